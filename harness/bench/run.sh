#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run rmaplab's benchmarks and print medians with their spread.
#
#   harness/bench/run.sh [-b BUILD_DIR] [-o OUT_DIR] [-r REPS] [-t SECONDS]
#                        [-f FILTER] [-q]
#
#   -b  build directory (default: build, at the top of the source tree)
#   -o  where the JSON of every program goes (default: bench-results)
#   -r  repetitions per benchmark (default 5): median and cv are over them
#   -t  minimum time per repetition in seconds (default 0.2)
#   -f  a --benchmark_filter regex for every program (default: all)
#   -q  quick: fewer fork trees (depth 1, 4, 16, 64; fan-out 1, 4, 16)
#
# Not run by `meson test`: timings need a quiet machine.  Each program's
# full output is kept as Google benchmark JSON (--benchmark_out) in OUT_DIR
# with the machine, kernel and compiler it ran with.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build
out=bench-results
reps=5
mintime=0.2
filter=.
quick=0
while getopts b:o:r:t:f:q opt; do
	case $opt in
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	r) reps=$OPTARG ;;
	t) mintime=$OPTARG ;;
	f) filter=$OPTARG ;;
	q) quick=1 ;;
	*) sed -n '4,17p' "$0"; exit 2 ;;
	esac
done
bench=$build/harness/bench
for p in walk ops replay; do
	if [ ! -x "$bench/bench_$p" ]; then
		echo "run.sh: $bench/bench_$p not built (ninja -C $build)" >&2
		exit 2
	fi
done
mkdir -p "$out"
export RMAPLAB_SRCDIR=$src

echo "machine: $(uname -srm); $(grep -m1 'model name' /proc/cpuinfo |
	cut -d: -f2 | sed 's/^ *//'); $(nproc) CPUs"
echo "compiler: $(sed -n 's/^C compiler for the host machine: //p' \
	"$build/meson-logs/meson-log.txt" 2>/dev/null | head -1)"
echo "flags: $(grep -m1 -o '"command": "cc [^"]*harness/measure.c"' \
	"$build/compile_commands.json" 2>/dev/null | tr ' ' '\n' |
	grep -E '^-(O|g|march|f|std)' | grep -v diagnostics | tr '\n' ' ')"
echo "repetitions: $reps x >= ${mintime}s; figures: median, cv = stddev/mean"
echo

# Print "name  median  cv  [items/s]" from a console run with aggregates;
# for walks also the mean ns per walk (1e9 / items_per_second).
summarise() {
	awk '
	function num(s,   m) {
		m = 1
		if (s ~ /k\/s$/) m = 1e3
		if (s ~ /M\/s$/) m = 1e6
		if (s ~ /G\/s$/) m = 1e9
		sub(/[kMG]?\/s$/, "", s)
		return s * m
	}
	/_median / {
		name = $1; sub(/_median$/, "", name)
		med[name] = $2 " " $3
		ips[name] = ""
		for (i = 4; i <= NF; i++)
			if ($i ~ /^items_per_second=/) {
				ips[name] = $i
				sub(/items_per_second=/, "", ips[name])
			}
		order[++n] = name
	}
	/_cv / {
		name = $1; sub(/_cv$/, "", name)
		cv[name] = $2 $3
	}
	/ERROR OCCURRED/ && !($1 in err) {
		err[$1] = 1
		print $1 "  " substr($0, index($0, "ERROR"))
	}
	END {
		for (i = 1; i <= n; i++) {
			k = order[i]
			printf "%-40s %14s  cv %7s", k, med[k], cv[k]
			if (ips[k] != "" && k ~ /^walk\//)
				printf "  %8.0f ns/walk", 1e9 / num(ips[k])
			else if (ips[k] != "")
				printf "  %s items/s", ips[k]
			printf "\n"
		}
	}'
}

run() {
	prog=$1
	f=$2
	echo "== bench_$prog"
	"$bench/bench_$prog" --benchmark_filter="$f" \
		--benchmark_repetitions="$reps" \
		--benchmark_min_time="$mintime" \
		--benchmark_report_aggregates_only=true \
		--benchmark_out="$out/bench_$prog.json" \
		--benchmark_out_format=json 2>&1 |
		grep -v '^\*\*\*WARNING' | tee "$out/bench_$prog.txt" |
		summarise
	echo
}

walkf=$filter
if [ "$quick" = 1 ] && [ "$filter" = . ]; then
	walkf='walk/corpus|/d(1|4|16|64)_f(1|4|16)$'
fi
run replay "$filter"
run ops "$filter"
run walk "$walkf"
echo "JSON in $out/bench_*.json; counters: see the 'counters:' line of each"
echo "program in $out/bench_*.txt (software events only without a PMU)."
