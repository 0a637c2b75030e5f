#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The VM's cost: boot a kernel under qemu (`rmaplab vm`), generate and run
# COUNT fresh histories in it (`kernel-run --kernel NAME --generate`),
# power off; RUNS times, each with fresh seeds.  Prints each run's wall
# seconds, their median and range, and the machine's load average, which
# TCG times follow closely; and the CPU seconds the run took (qemu's
# mostly), which load changes much less.  Run as root.
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
fi

# CPU seconds of the children waited for so far (qemu's included), into
# $cpu: `times` in this shell, not a subshell, which has no children.
TIMES=$(mktemp /tmp/rmaplab-bench-vm-times.XXXXXX)
trap 'rm -f "$TIMES"; [ -n "$KEEP" ] || rm -rf "$WORK"' EXIT
child_cpu() {
	times > "$TIMES"
	cpu=$(awk 'NR == 2 {
		for (i = 1; i <= 2; i++) {
			split($i, a, /[ms]/)
			n += a[1] * 60 + a[2]
		}
		print n }' "$TIMES")
}

walls=() cpus=()
for ((i = 0; i < RUNS; i++)); do
	s=$((SEED + i * COUNT))
	child_cpu
	c0=$cpu
	t0=$(date +%s.%N)
	"$RMAPLAB" kernel-run --kernel "$KERNEL" --generate "$s:$COUNT" \
		-o "$WORK/run$i" >/dev/null ||
		die "kernel-run --kernel $KERNEL --generate $s:$COUNT failed"
	t1=$(date +%s.%N)
	child_cpu
	c1=$cpu
	n=$(ls "$WORK/run$i" | grep -c '\.expected$' || true)
	[ "$n" = "$COUNT" ] || die "run $i: $n of $COUNT histories came back"
	t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
	c=$(awk -v a="$c0" -v b="$c1" 'BEGIN { print b - a }')
	walls+=("$t")
	cpus+=("$c")
	printf 'run %d: %s histories from seed %s: %.1f s, CPU %.1f s ' \
		"$i" "$COUNT" "$s" "$t" "$c"
	printf '(load %s)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
done
# median LABEL VALUES...: "LABEL median M s, min A, max B"
median() {
	local label=$1
	shift
	printf '%s\n' "$@" | sort -n | awk -v l="$label" '
		{ t[NR] = $1 }
		END {
			m = NR % 2 ? t[(NR + 1) / 2] : \
				(t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%s median %.1f s, min %.1f, max %.1f", l, m,
			       t[1], t[NR]
		}'
}
printf '%s, boot + %d histories: %s; %s; %d runs\n' "$KERNEL" "$COUNT" \
	"$(median wall "${walls[@]}")" "$(median CPU "${cpus[@]}")" "$RUNS"
