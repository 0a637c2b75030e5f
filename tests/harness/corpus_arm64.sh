#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The arm64 corpus (traces/corpus/arm64/{4k,16k}, recorded in a VM on
# Debian's 6.12 kernels): every recording replays with every scheme and
# agrees with every checkpoint, at least four for each page size; so do
# the 6.12 runs of known/dontunmap-neighbour.trace.
# usage: corpus_arm64.sh RMAPLAB SRCDIR
set -u
rmaplab=$1 src=$2
fail=0
for sub in 4k 16k; do
	n=0
	for f in "$src/traces/corpus/arm64/$sub"/*.rmt; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		"$rmaplab" check --no-minimise "$f" || {
			echo "FAIL: check $f exits $?"
			fail=1
		}
	done
	[ $n -ge 4 ] || { echo "FAIL: arm64/$sub: $n recordings, want 4"; fail=1; }
done
# The 6.12 DONTUNMAP history kept in known/, run on both 6.12 kernels
# with a checkpoint after every event, now agrees everywhere.
for f in "$src"/traces/corpus/arm64/known/dontunmap-neighbour-6.12-*.rmt; do
	"$rmaplab" check --no-minimise "$f" || {
		echo "FAIL: check $f exits $?"
		fail=1
	}
done
exit $fail
