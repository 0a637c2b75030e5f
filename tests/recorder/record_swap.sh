#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# `rmaplab record --memory-limit` on programs pushed into swap, each
# checked with `rmaplab check`:
#  - rec_helper swapfork: writes 2 MiB, forks, then writes 12 MiB under an
#    8 MiB limit, so the kernel reclaims pages the two processes share;
#    a second fork's checkpoint shows the shared swap slots, the first
#    child swaps them in.  classic must match the kernel (exit 0), with
#    the reclaim replayed from the checkpoints and said so.
#  - rec_helper pageout: MADV_COLD and MADV_PAGEOUT, then a fork that
#    shares the swap entries: a pageout event, its slots at the fork.
#  - rec_helper procmadvise: process_madvise() of a child, MADV_PAGEOUT
#    of two iovecs and MADV_COLD, written as the child's events; the
#    child's exit checkpoint holds the swap entries.
#  - rec_helper pageout-moved (two CPUs or more): MADV_PAGEOUT from
#    another CPU than the faults', so reclaim may leave folios still in
#    the first CPU's LRU batch mapped; the recorder writes those pages as
#    `madvise cold` and the rest as `pageout`, and check must agree.
# The recorder must leave neither its cgroup nor its swap file behind.
# Skips (77) unless root with a memory cgroup and swap possible.
#
#   tests/recorder/record_swap.sh RMAPLAB REC_HELPER
set -u
rmaplab=${1:?usage: $0 RMAPLAB REC_HELPER}
helper=${2:?rec_helper}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || skip "needs root (memory cgroup, swapon, PFNs)"
if ! [ -w /sys/fs/cgroup/memory/cgroup.procs ] &&
   ! grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
	skip "no memory cgroup (v1 or v2)"
fi

# An instrumented helper's LeakSanitizer thread cannot pass the seccomp
# filter (traces/recorder/README.md, limits): no leak check.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export ASAN_OPTIONS

# The recorder's swap file goes to TMPDIR: ours, removed whatever happens.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-swap.XXXXXX")
cleanup() {
	for f in "$tmp"/rmaplab-swap-*; do
		[ -e "$f" ] && swapoff "$f" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cgroups() { ls -d /sys/fs/cgroup/memory/rmaplab-record-* \
	/sys/fs/cgroup/rmaplab-record-* 2>/dev/null | wc -l; }
cg_before=$(cgroups)

record() {	# OUT LIMIT ARGS...
	out=$1 limit=$2
	shift 2
	TMPDIR=$tmp "$rmaplab" record -q --memory-limit "$limit" -o "$out" \
		-- "$helper" "$@" 2>"$tmp/err"
	rc=$?
	if [ $rc = 2 ] && grep -q "swapon\|memory cgroup" "$tmp/err"; then
		skip "swap not possible here: $(cat "$tmp/err")"
	fi
	[ $rc = 0 ] || fail "record $*: exit $rc: $(cat "$tmp/err")"
	grep -q "rmaplab-swap" /proc/swaps &&
		grep -q "$tmp" /proc/swaps && fail "swap file left on"
	[ "$(cgroups)" = "$cg_before" ] || fail "memory cgroup left behind"
	ls "$tmp"/rmaplab-swap-* >/dev/null 2>&1 && fail "swap file left"
	"$rmaplab" dump "$out" >"$out.txt" || fail "dump $out"
}

# Checkpoints with a swap slot named by two processes.
shared_slots() {
	awk '$2 == "checkpoint" { delete seen; delete by }
	     $1 == "proc" { p = $2 }
	     $1 == "page" && $3 == "swap" {
		k = $4 " " $5; if (k in seen && seen[k] != p) by[k] = 1
		seen[k] = p }
	     $1 == "end" && NF == 1 { n = 0; for (k in by) n++
		if (n) cps++ }
	     END { print cps + 0 }' "$1"
}

# 2 MiB shared, 12 MiB more: a sanitizer's runtime and shadow need room
limit=8M
grep -q __asan_init "$helper" && limit=16M
record "$tmp/sf.rmt" $limit swapfork 12
[ "$(shared_slots "$tmp/sf.rmt.txt")" -ge 1 ] ||
	fail "swapfork: no checkpoint with a swap slot two processes share"
"$rmaplab" check --no-minimise -s classic "$tmp/sf.rmt" >"$tmp/check" 2>&1 ||
	fail "swapfork: check: $(cat "$tmp/check")"
grep -q "classic: replayed [1-9][0-9]* kernel-initiated reclaims" \
	"$tmp/check" || fail "swapfork: no reclaim replayed: $(cat "$tmp/check")"
echo "swapfork: $(grep 'classic: replayed' "$tmp/check")"

record "$tmp/po.rmt" 64M pageout
grep -q " pageout 0x700500004000 0x8000 t=[0-9]* -> 0" "$tmp/po.rmt.txt" ||
	fail "pageout: no pageout event: $(grep pageout "$tmp/po.rmt.txt")"
grep -q " madvise 0x700500000000 0x4000 cold t=[0-9]* -> 0" "$tmp/po.rmt.txt" ||
	fail "pageout: no MADV_COLD"
[ "$(shared_slots "$tmp/po.rmt.txt")" -ge 1 ] ||
	fail "pageout: the fork checkpoint shares no swap slot"
"$rmaplab" check --no-minimise -s classic "$tmp/po.rmt" >"$tmp/check" 2>&1 ||
	fail "pageout: check: $(cat "$tmp/check")"
echo "pageout: $(head -1 "$tmp/check")"

record "$tmp/pmad.rmt" 64M procmadvise
child=$(awk '$2 == "fork" { print $3; exit }' "$tmp/pmad.rmt.txt")
for want in "pageout 0x700500008000 0x4000" "pageout 0x70050000c000 0x4000" \
	    "madvise 0x700500000000 0x4000 cold"; do
	grep -q "^$child $want t=[0-9]* -> 0" "$tmp/pmad.rmt.txt" ||
		fail "procmadvise: no '$child $want': $(grep -E \
		     ' pageout | cold | syscall ' "$tmp/pmad.rmt.txt")"
done
! grep -q " syscall process_madvise" "$tmp/pmad.rmt.txt" ||
	fail "procmadvise: a call recorded by name only"
"$rmaplab" check --no-minimise "$tmp/pmad.rmt" >"$tmp/check" 2>&1 ||
	fail "procmadvise: check: $(cat "$tmp/check")"
echo "procmadvise: $(head -1 "$tmp/check")"

if [ "$(nproc)" -lt 2 ]; then
	echo "pageout-moved: skipped, one CPU"
	exit 0
fi
record "$tmp/pm.rmt" 64M pageout-moved
# pageout and cold events of the call, in order, covering its 16 pages
awk -v want=0x700500000000 '
	function hex(s,   v, i) {	# mawk has no strtonum()
		v = 0
		for (i = 3; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef",
					   substr(s, i, 1)) - 1
		return v
	}
	$2 == "pageout" || ($2 == "madvise" && $5 == "cold") {
		if (hex($3) != hex(want) + done) bad = 1
		done += hex($4)
		if ($2 == "madvise") kept += hex($4) / 4096
	}
	END {
		if (bad || done != 16 * 4096) exit 1
		print kept + 0
	}' "$tmp/pm.rmt.txt" >"$tmp/kept" ||
	fail "pageout-moved: the events do not cover the call's range once:
$(grep -E ' pageout | cold ' "$tmp/pm.rmt.txt")"
"$rmaplab" check --no-minimise -s classic "$tmp/pm.rmt" >"$tmp/check" 2>&1 ||
	fail "pageout-moved: check: $(cat "$tmp/check")"
echo "pageout-moved: $(cat "$tmp/kept") of 16 pages left mapped;" \
	"$(head -1 "$tmp/check")"
