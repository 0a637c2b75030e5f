#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Compile the recorder for aarch64 (Debian: gcc-aarch64-linux-gnu and
# libc6-dev-arm64-cross), with the project's warnings as errors, and check
# that the aarch64 syscall table is the one built.  No link, no run.
set -eu
cd "$(dirname "$0")/../.."
CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
NM=${CROSS_NM:-aarch64-linux-gnu-nm}
command -v "$CC" >/dev/null 2>&1 ||
	{ echo "cross-check: $CC not installed (gcc-aarch64-linux-gnu)" >&2;
	  exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for f in traces/recorder/*.c harness/cmd_record.c; do
	"$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter \
		-Wno-sign-compare -Wno-missing-field-initializers \
		-fno-strict-aliasing -I. -c "$f" -o "$tmp/$(basename "$f").o"
done
"$NM" "$tmp/arch.c.o" | grep -q ' [DR] rec_arch$' ||
	{ echo "cross-check: no aarch64 syscall table" >&2; exit 1; }
echo "cross-check: the recorder compiles for aarch64"
