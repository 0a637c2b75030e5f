#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Trace reading and replay speed on the generated fork-tree trace, with
# the goals of issue 18 beside each figure:
#
#   decode   the block cursor alone                      >= 30M events/s
#   run      `rmaplab run --scheme classic`, end to end  >= 5M events/s
#            (load + replay, user + sys CPU time)
#   compare  `rmaplab compare --scheme classic`          >= 2M events/s
#   memory   peak RSS of run, against run on a 1-event trace
#
# and compare on the bundled corpus.  Medians of REPS runs with min and
# max.  Not part of `meson test`: timings need a quiet machine.
#
#   harness/bench/trace_speed.sh [-b BUILD] [-r REPS] [-n EVENTS]
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build
reps=7
events=1000000
while getopts b:r:n: opt; do
	case $opt in
	b) build=$OPTARG ;;
	r) reps=$OPTARG ;;
	n) events=$OPTARG ;;
	*) sed -n '4,17p' "$0"; exit 2 ;;
	esac
done
rmaplab=$build/harness/rmaplab
work=$(mktemp -d /tmp/rmaplab-speed.XXXXXX)
trap 'rm -rf "$work"' EXIT

# stats LABEL GOAL VALUES...: median, min, max of events/s in millions
stats() {
	local label=$1 goal=$2
	shift 2
	printf '%s\n' "$@" | sort -g | awk -v l="$label" -v g="$goal" '
		{ v[NR] = $1 }
		END {
			m = v[int((NR + 1) / 2)]
			printf "%-8s %7.2f M events/s  (median of %d; min %.2f, " \
			       "max %.2f)  goal %s: %s\n", l, m, NR, v[1], \
			       v[NR], g, (m >= g + 0 ? "met" : "NOT met")
		}'
}

# cpu_rate CMD...: events/s of one run by user + sys time; RSS to $work/rss
cpu_rate() {
	/usr/bin/time -f '%U %S %M' -o "$work/time" "$@" > /dev/null
	read -r u s rss < "$work/time"
	echo "$rss" >> "$work/rss"
	awk -v n="$n" -v u="$u" -v s="$s" 'BEGIN { print n / (u + s) / 1e6 }'
}

"$rmaplab" generate forktree --events "$events" -o "$work/ft.rmt"
n=$("$rmaplab" dump "$work/ft.rmt" | tail -1 | awk '{ print $2 }')
echo "forktree: $n events, $(stat -c %s "$work/ft.rmt") bytes on disk"

# decode: bench_decode's own median, in this thread's CPU time
"$build/harness/bench/bench_decode" -r "$reps" "$work/ft.rmt" |
	awk '$1 == "decode" { print $0 "  goal 30: " \
	     ($2 >= 30 ? "met" : "NOT met") }'

: > "$work/rss"
vals=()
for i in $(seq "$reps"); do
	vals+=("$(cpu_rate "$rmaplab" run --scheme classic "$work/ft.rmt")")
done
stats run 5 "${vals[@]}"
rss_run=$(sort -n "$work/rss" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')

vals=()
for i in $(seq "$reps"); do
	vals+=("$(cpu_rate "$rmaplab" compare --scheme classic "$work/ft.rmt")")
done
stats compare 2 "${vals[@]}"

printf '1 mmap 0x0 0x1000 rw- private,anon -> 0x10000\nend 1\n' \
	> "$work/one.trace"
: > "$work/rss"
n=1 cpu_rate "$rmaplab" run "$work/one.trace" > /dev/null
rss_base=$(cat "$work/rss")
echo "memory   run peak RSS $rss_run KB; on a 1-event trace $rss_base KB:" \
     "$((rss_run - rss_base)) KB for the trace's model and one block"

# the corpus, as report/compare run it (every trace's events summed)
n=0
for f in "$src"/traces/corpus/*.rmt; do
	n=$((n + $("$rmaplab" dump "$f" | tail -1 | awk '{ print $2 }')))
done
vals=()
for i in $(seq 3); do
	vals+=("$(cpu_rate "$rmaplab" compare --scheme classic)")
done
echo "corpus: $n events"
stats compare 2 "${vals[@]}"
