#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# What a failing scheme costs `rmaplab check`: the whole bundled corpus
# checked with correct schemes (classic, lazy, cowctx) and with a failing
# variant in cowctx's place (cowctx:poc), REPS runs each, alternating.
# Prints the CPU seconds (user + system, less sensitive than wall time to
# a busy machine) of every run, the median and spread of each, and the
# ratio of the medians; the target is a ratio of at most 1.5.
#
#   harness/bench/check-cost.sh [-b BUILD_DIR] [-r REPS]
#
# Not run by `meson test`: timings need a quiet machine.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build
reps=5
while getopts b:r: opt; do
	case $opt in
	b) build=$OPTARG ;;
	r) reps=$OPTARG ;;
	*) echo "usage: $0 [-b BUILD_DIR] [-r REPS]" >&2; exit 2 ;;
	esac
done
rmaplab=$build/harness/rmaplab
export RMAPLAB_SRCDIR="$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One run: CPU seconds appended to $tmp/$1; exit status 0 or 1 expected.
one() {
	name=$1
	shift
	rc=0
	/usr/bin/time -f '%U %S' -o "$tmp/t" "$rmaplab" check --no-minimise \
		"$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "rmaplab check $*: exit status $rc" >&2
		exit 1
	fi
	tail -n 1 "$tmp/t" | awk '{ printf "%.2f\n", $1 + $2 }' >>"$tmp/$name"
}

i=0
while [ "$i" -lt "$reps" ]; do
	one correct --scheme classic --scheme lazy --scheme cowctx
	one failing --scheme classic --scheme lazy --scheme cowctx:poc
	i=$((i + 1))
done

stats() {
	sort -n "$tmp/$1" | awk -v name="$1" '
		{ v[NR] = $1; all = all " " $1 }
		END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%-8s median %.2f s CPU  (min %.2f, max %.2f; runs:%s)\n",
			       name, m, v[1], v[NR], all
			print m > "/dev/stderr"
		}' 2>"$tmp/$1.median"
}

echo "rmaplab check, whole corpus ($reps runs each, CPU seconds):"
stats correct
stats failing
awk -v a="$(cat "$tmp/correct.median")" -v b="$(cat "$tmp/failing.median")" \
	'BEGIN { printf "failing / correct: %.2fx (target <= 1.5x)\n", b / a }'
