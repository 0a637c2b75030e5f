#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM's cost: boot a kernel under qemu (`rmaplab vm`), generate and run
# COUNT fresh histories in it (`kernel-run --kernel NAME --generate`),
# power off; RUNS times, each with fresh seeds.  Prints each run's wall
# seconds, their median and range, and the machine's load average, which
# TCG times follow closely.  Run as root.
#
#   harness/bench_vm.sh [-n RUNS] [-c COUNT] [-k KERNEL] [-s SEED] [-o DIR]
#   defaults: 1 run, 50 histories, debian:6.12-arm64-16k, seed 900000;
#   -o keeps the histories in DIR/runN (for `rmaplab check --objects`)
#
# RMAPLAB names the rmaplab binary (default: build/harness/rmaplab).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RMAPLAB=${RMAPLAB:-$REPO/build/harness/rmaplab}
RUNS=1 COUNT=50 KERNEL=debian:6.12-arm64-16k SEED=900000 KEEP=

die() { echo "bench_vm: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	-n) RUNS=$2; shift 2 ;;
	-c) COUNT=$2; shift 2 ;;
	-k) KERNEL=$2; shift 2 ;;
	-s) SEED=$2; shift 2 ;;
	-o) KEEP=$2; shift 2 ;;
	*) die "usage: $0 [-n RUNS] [-c COUNT] [-k KERNEL] [-s SEED] [-o DIR]" ;;
	esac
done
[ -x "$RMAPLAB" ] || die "$RMAPLAB: not built (set RMAPLAB)"

if [ -n "$KEEP" ]; then
	mkdir -p "$KEEP" || die "$KEEP: cannot create"
	WORK=$KEEP
else
	WORK=$(mktemp -d /tmp/rmaplab-bench-vm.XXXXXX)
	trap 'rm -rf "$WORK"' EXIT
fi

times=()
for ((i = 0; i < RUNS; i++)); do
	s=$((SEED + i * COUNT))
	t0=$(date +%s.%N)
	"$RMAPLAB" kernel-run --kernel "$KERNEL" --generate "$s:$COUNT" \
		-o "$WORK/run$i" >/dev/null ||
		die "kernel-run --kernel $KERNEL --generate $s:$COUNT failed"
	t1=$(date +%s.%N)
	n=$(ls "$WORK/run$i" | grep -c '\.expected$' || true)
	[ "$n" = "$COUNT" ] || die "run $i: $n of $COUNT histories came back"
	t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	times+=("$t")
	printf 'run %d: %s histories from seed %s: %.1f s (load %s)\n' \
		"$i" "$COUNT" "$s" "$t" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
printf '%s\n' "${times[@]}" | sort -n | awk -v k="$KERNEL" -v c="$COUNT" '
	{ t[NR] = $1 }
	END {
		m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%s, boot + %d histories: median %.1f s, " \
		       "min %.1f, max %.1f, %d runs\n", k, c, m, t[1], t[NR], NR
	}'
