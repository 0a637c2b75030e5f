#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The recorder's memory over a long recording, and what a recorder killed
# outright leaves.  Records a tight mmap / write / munmap loop for SECONDS
# (default 60), prints the recorder's RSS and peak RSS (VmHWM) every
# STEP seconds (default 5) and the trace's size, then kills the recorder
# with SIGKILL and reads what it left: refused as incomplete, readable
# with --salvage.  Run as root (perf fault sampling and PFNs).
#
#   harness/bench/record_rss.sh [-t SECONDS] [-s STEP]
#
# RMAPLAB names the rmaplab binary (default: build/harness/rmaplab).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
RMAPLAB=${RMAPLAB:-$REPO/build/harness/rmaplab}
SECONDS_RUN=60
STEP=5
while getopts t:s: opt; do
	case $opt in
	t) SECONDS_RUN=$OPTARG ;;
	s) STEP=$OPTARG ;;
	*) sed -n '4,14p' "$0"; exit 2 ;;
	esac
done
[ -x "$RMAPLAB" ] || { echo "$RMAPLAB: not built" >&2; exit 2; }

WORK=$(mktemp -d /tmp/rmaplab-rss.XXXXXX)
REC=
cleanup() {
	[ -n "$REC" ] && kill -9 "$REC" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/loop.c" <<'C'
#include <stdlib.h>
#include <sys/mman.h>
int main(void)
{
	for (;;) {
		char *p = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			abort();
		p[0] = 1;
		p[1 << 15] = 1;
		munmap(p, 1 << 16);
	}
}
C
cc -O2 -o "$WORK/loop" "$WORK/loop.c"

out=$WORK/loop.rmt
"$RMAPLAB" record -q --no-checkpoints -o "$out" -- "$WORK/loop" &
REC=$!
printf '%8s %10s %10s %12s\n' seconds rss_kb peak_kb written_kb
t=0
while [ "$t" -lt "$SECONDS_RUN" ]; do
	sleep "$STEP"
	t=$((t + STEP))
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$REC/status")
	hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$REC/status")
	part=$(ls "$WORK"/loop.rmt.partial-* 2>/dev/null | head -1)
	size=$(( $(stat -c %s "$part") / 1024 ))
	printf '%8d %10d %10d %12d\n' "$t" "$rss" "$hwm" "$size"
done
kill -9 "$REC"
wait "$REC" 2>/dev/null || true
REC=
part=$(ls "$WORK"/loop.rmt.partial-* | head -1)
echo "killed with SIGKILL: $(basename "$part") left, $out $( [ -e "$out" ] && echo exists || echo 'not created')"
set +e
"$RMAPLAB" dump "$part" > /dev/null
echo "dump: exit $?"
"$RMAPLAB" dump --salvage "$part" | tail -1
echo "dump --salvage: exit ${PIPESTATUS[0]}"
