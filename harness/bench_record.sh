#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Recorder overhead: the same workload plain, under
# `strace -f --seccomp-bpf -e trace=memory,process -o /dev/null`, and under
# `rmaplab record` (faults and checkpoints) and, to show what the
# checkpoints cost, `rmaplab record --no-checkpoints`, RUNS times each,
# interleaved; prints the median wall time of each and the ratios.  Run
# as root.
#
#   harness/bench_record.sh [-n RUNS] [-w WORKLOAD]... [-- CMD [ARGS...]]
#   workloads: make-j2 (default), python-mp, zygote, shell-storm
#
# RMAPLAB names the rmaplab binary (default: build/harness/rmaplab).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RMAPLAB=${RMAPLAB:-$REPO/build/harness/rmaplab}
RUNS=5
WORKLOADS=()

die() { echo "bench_record: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	-n) RUNS=$2; shift 2 ;;
	-w) WORKLOADS+=("$2"); shift 2 ;;
	--) shift; break ;;
	*) die "usage: $0 [-n RUNS] [-w WORKLOAD]... [-- CMD...]" ;;
	esac
done
[ -x "$RMAPLAB" ] || die "$RMAPLAB: not built (set RMAPLAB)"
command -v strace >/dev/null || die "strace not installed"

WORK=$(mktemp -d /tmp/rmaplab-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# workload NAME: set CMD to the command line of a named workload
workload() {
	case $1 in
	make-j2)
		mkdir -p "$WORK/make"
		CMD=(make -B -j2 -s -C "$WORK/make"
		     -f "$REPO/traces/corpus/workloads/make-j2.mk" REPO="$REPO")
		;;
	python-mp)
		CMD=(/usr/bin/python3
		     "$REPO/traces/corpus/workloads/mp_heap.py" 24 4 8)
		;;
	zygote)
		gcc -O2 -pthread -o "$WORK/zygote" \
			"$REPO/traces/corpus/workloads/zygote.c"
		CMD=("$WORK/zygote" 24 6144 512)
		;;
	shell-storm)
		CMD=(/bin/sh -c 'i=0; while [ $i -lt 30 ]; do
			echo "line $i" | sed s/line/LINE/ | wc -c >/dev/null
			i=$((i + 1)); done')
		;;
	*)
		die "unknown workload $1"
		;;
	esac
}

# run MODE: one timed run of CMD, prints seconds
run() {
	local t0 t1
	t0=$(date +%s.%N)
	case $1 in
	plain)	"${CMD[@]}" >/dev/null 2>&1 ;;
	strace)	strace -f --seccomp-bpf -e trace=memory,process -o /dev/null \
			"${CMD[@]}" >/dev/null 2>&1 ;;
	record)	"$RMAPLAB" record -q -o "$WORK/bench.rmt" -- "${CMD[@]}" \
			>/dev/null 2>&1 ;;
	nocp)	"$RMAPLAB" record -q --no-checkpoints -o "$WORK/bench.rmt" \
			-- "${CMD[@]}" >/dev/null 2>&1 ;;
	esac
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }'
}

median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

MODES="plain strace record nocp"

bench() {
	local name=$1 m i
	declare -A times=() med=()

	"${CMD[@]}" >/dev/null 2>&1 || true	# warm the page cache
	for i in $(seq "$RUNS"); do
		for m in $MODES; do
			times[$m]+="$(run $m) "
		done
	done
	for m in $MODES; do
		med[$m]=$(echo ${times[$m]} | tr ' ' '\n' | median)
	done
	awk -v n="$name" -v r="$RUNS" -v p="${med[plain]}" \
	    -v s="${med[strace]}" -v c="${med[record]}" -v q="${med[nocp]}" \
	    'BEGIN { printf "%-12s %4d %8.3f %8.3f %8.3f %8.3f %8.2f %8.2f\n",
		     n, r, p, s, c, q, c / s, c / p }'
}

echo "# $(uname -r), $(nproc) CPUs, THP $(sed 's/.*\[\(.*\)\].*/\1/' \
	/sys/kernel/mm/transparent_hugepage/enabled); median wall seconds"
printf '%-12s %4s %8s %8s %8s %8s %8s %8s\n' workload runs plain strace \
	record rec-nocp rec/str rec/pln
if [ $# -gt 0 ]; then
	CMD=("$@")
	bench custom
	exit 0
fi
[ ${#WORKLOADS[@]} -gt 0 ] || WORKLOADS=(make-j2)
for w in "${WORKLOADS[@]}"; do
	workload "$w"
	bench "$w"
done
