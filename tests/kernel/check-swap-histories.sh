#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fresh random histories with reclaim and pageout through the real kernel
# (`rmaplab kernel-run --generate SEED --swap`, traces/KERNEL_RUN.md),
# each checked with `rmaplab check --objects` for classic and the oracle:
# maps, frame and swap-slot sharing, object counts.  A kernel-run that
# fails (the squeeze could not reclaim a target) is tried three times.
# Needs root, tracefs, a memory cgroup and a file system for swap.
#
#   tests/kernel/check-swap-histories.sh BUILD/harness/rmaplab FIRST COUNT [KEEPDIR]
set -u
rmaplab=${1:?usage: $0 RMAPLAB FIRST COUNT [KEEPDIR]}
first=${2:?first seed}
count=${3:?count}
keep=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -n "$keep" ] && mkdir -p "$keep"

ok=0; bad=0; norun=0
for ((s = first; s < first + count; s++)); do
	ran=0
	for try in 1 2 3; do
		if "$rmaplab" kernel-run --generate "$s" --swap -o "$tmp" \
				>"$tmp/err" 2>&1; then
			ran=1
			break
		fi
	done
	if [ $ran = 0 ]; then
		echo "random-$s: kernel-run failed: $(cat "$tmp/err")"
		norun=$((norun + 1))
		continue
	fi
	if "$rmaplab" check --scheme classic --scheme oracle --objects \
			"$tmp/random-$s.trace" >"$tmp/check" 2>&1; then
		ok=$((ok + 1))
		[ -n "$keep" ] && cp "$tmp/random-$s".{trace,expected} "$keep"
	else
		bad=$((bad + 1))
		echo "random-$s: $(grep -m1 'FAIL:' "$tmp/check")"
	fi
	rm -f "$tmp"/random-"$s".*
done
echo "$count histories: $ok match the kernel, $bad differ, $norun not run"
[ $bad = 0 ] && [ $norun = 0 ]
