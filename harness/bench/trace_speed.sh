#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Trace reading, replay and measurement speed on the generated fork-tree
# trace, and the memory of a replay, with the goals of issue 18 beside
# each figure:
#
#   decode   the block cursor alone                      >= 30M events/s
#   run      `rmaplab run --scheme classic`, end to end  >= 5M events/s
#            (load + replay, CPU time: perf's task-clock, else user + sys)
#   compare  `rmaplab compare --scheme classic`          >= 2M events/s
#   memory   peak RSS of run above run on a 1-event trace, against the
#            model's own heap at its peak (valgrind's massif, less the
#            trace reader's buffers): no more than that plus 4 MB
#
# and, without a goal, compare (three schemes) on the bundled corpus.
# Medians of REPS runs with min and max.  Not part of `meson test`:
# timings need a quiet machine.
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
	*) sed -n '4,21p' "$0"; exit 2 ;;
	esac
done
rmaplab=$build/harness/rmaplab
work=$(mktemp -d /tmp/rmaplab-speed.XXXXXX)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { echo "/usr/bin/time: not installed" >&2; exit 2; }
have_perf=0
perf stat -x, -e task-clock -o "$work/p" true 2> /dev/null && have_perf=1

# stats LABEL GOAL UNIT VALUES...: median, min and max, and the goal (-:
# none)
stats() {
	local label=$1 goal=$2 unit=$3
	shift 3
	printf '%s\n' "$@" | sort -g | awk -v l="$label" -v g="$goal" \
		-v u="$unit" '
		{ v[NR] = $1 }
		END {
			m = v[int((NR + 1) / 2)]
			printf "%-8s %7.2f %s  (median of %d; min %.2f, " \
			       "max %.2f)", l, m, u, NR, v[1], v[NR]
			if (g == "-")
				printf "\n"
			else
				printf "  goal %s: %s\n", g, \
				       (m >= g + 0 ? "met" : "NOT met")
		}'
}

# cpu_s CMD...: CPU seconds of one run
cpu_s() {
	if [ $have_perf = 1 ]; then
		perf stat -x, -e task-clock -o "$work/p" "$@" > /dev/null
		awk -F, '/task-clock/ { print $1 / 1000 }' "$work/p"
	else
		/usr/bin/time -f '%U %S' -o "$work/t" "$@" > /dev/null
		awk '{ print $1 + $2 }' "$work/t"
	fi
}

# rate N CMD...: millions of events per CPU second of one run
rate() {
	local n=$1
	shift
	awk -v n="$n" -v s="$(cpu_s "$@")" 'BEGIN { print n / s / 1e6 }'
}

# rss_kb CMD...: median peak RSS of three runs
rss_kb() {
	for i in 1 2 3; do
		/usr/bin/time -f '%M' -o "$work/t" "$@" > /dev/null
		cat "$work/t"
	done | sort -n | sed -n 2p
}

nr_events() {
	"$rmaplab" dump "$1" | tail -1 | awk '{ print $2 }'
}

"$rmaplab" generate forktree --events "$events" -o "$work/ft.rmt"
n=$(nr_events "$work/ft.rmt")
echo "forktree: $n events, $(stat -c %s "$work/ft.rmt") bytes on disk;" \
     "CPU time by $([ $have_perf = 1 ] && echo "perf task-clock" ||
		    echo "user + sys")"

# One decode, run and compare per round, so that the three figures share
# whatever the host does meanwhile (a guest's speed can change by half
# from one minute to the next).  decode: bench_decode's, in its thread's
# CPU time.
dec=()
run=()
cmp=()
for i in $(seq "$reps"); do
	dec+=("$("$build/harness/bench/bench_decode" -r 1 "$work/ft.rmt" |
		awk '$1 == "decode" { print $2 }')")
	run+=("$(rate "$n" "$rmaplab" run --scheme classic "$work/ft.rmt")")
	cmp+=("$(rate "$n" "$rmaplab" compare --scheme classic \
		 "$work/ft.rmt")")
done
stats decode 30 "M events/s" "${dec[@]}"
stats run 5 "M events/s" "${run[@]}"
stats compare 2 "M events/s" "${cmp[@]}"

printf '1 mmap 0x0 0x1000 rw- private,anon -> 0x10000\nend 1\n' \
	> "$work/one.trace"
rss_run=$(rss_kb "$rmaplab" run --scheme classic "$work/ft.rmt")
rss_base=$(rss_kb "$rmaplab" run --scheme classic "$work/one.trace")
echo "memory   run peak RSS $rss_run KB; $rss_base KB on a 1-event trace:" \
     "$((rss_run - rss_base)) KB more"
if command -v valgrind > /dev/null; then
	# the reader's decoded block and files table left out
	valgrind --tool=massif --massif-out-file="$work/massif" \
		--ignore-fn=trace_xrealloc --ignore-fn=trace_xcalloc \
		"$rmaplab" run --scheme classic "$work/ft.rmt" \
		> /dev/null 2>&1
	heap=$(awk -F= '/^mem_heap_B=/ && $2 > m { m = $2 }
			END { print int(m / 1024) }' "$work/massif")
	echo "memory   the model's heap at its peak $heap KB (massif);" \
	     "RSS above the 1-event run $((rss_run - rss_base)) KB," \
	     "goal <= $heap + 4096: $( [ $((rss_run - rss_base)) -le \
	     $((heap + 4096)) ] && echo met || echo 'NOT met')"
else
	echo "memory   valgrind not installed: the model's heap not" \
	     "measured, the memory goal not checked"
fi

# the corpus as compare runs it: every scheme, every trace's events
n=0
for f in "$src"/traces/corpus/*.rmt; do
	n=$((n + $(nr_events "$f")))
done
vals=()
for i in $(seq 3); do
	vals+=("$(rate "$((n * 3))" "$rmaplab" compare --scheme classic \
		  --scheme lazy --scheme cowctx)")
done
echo "corpus: $n events, compare with classic, lazy and cowctx (events" \
     "x 3 per second; no goal)"
stats compare - "M events/s" "${vals[@]}"
