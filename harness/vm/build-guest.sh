#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# build-guest.sh CC OUT SOURCE...: link the static rmaplab-guest for
# another architecture with a cross compiler (Debian: gcc-aarch64-linux-gnu
# and libc6-dev-arm64-cross, and the arm64 builds of libzstd-dev and
# zlib1g-dev for the v2 trace format).  meson passes the sources.
set -eu
cc=$1 out=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
exec "$cc" -std=gnu11 -O2 -static -Wall -Wextra -Werror \
	-Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -fno-strict-aliasing \
	-I"$top" -o "$out" "$@" -lzstd -lz
