#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# A program recorded with the perf command `rmaplab import --help`
# prints, imported, checks with exit 0 across the schemes; the imported
# trace's header says what perf could not know.  Skips (77) with the
# reason where perf cannot record here.
# usage: import_perf.sh RMAPLAB
set -u
rmaplab=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
skip() { echo "SKIP: $*"; exit 77; }

command -v perf > /dev/null || skip "perf is not installed (Debian: linux-perf)"
[ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le -1 ] ||
	skip "syscall tracepoints need root or perf_event_paranoid = -1"
[ -d /sys/kernel/tracing/events/syscalls ] ||
	[ -d /sys/kernel/debug/tracing/events/syscalls ] ||
	skip "no tracefs with syscall tracepoints"

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 1

cmd=$("$rmaplab" import --help | grep -o 'perf record .* -- CMD \[ARGS\]')
[ -n "$cmd" ] || { echo "FAIL: import --help prints no perf record line"; exit 1; }
cmd=${cmd% -- CMD \[ARGS\]}
case $cmd in
*" -o "*) echo "FAIL: the perf command names an output: $cmd"; exit 1 ;;
esac

# A program with fork, exec, a pipe of processes, and a subshell.
$cmd -q -- sh -c 'x=$(ls / | sort | head -3); (echo "$x" | wc -l) > /dev/null' \
	> perf.out 2>&1 || {
	grep -q -i "permission\|not supported\|no such" perf.out &&
		skip "perf record refused: $(head -1 perf.out)"
	echo "FAIL: perf record: $(cat perf.out)"; exit 1; }

"$rmaplab" import -o prog.rmt perf.data 2> import.err ||
	{ echo "FAIL: import: $(cat import.err)"; exit 1; }
perf script -i perf.data --header --show-mmap-events --show-task-events \
	--show-lost-events -F pid,tid,time,event,trace,addr > script.txt 2> /dev/null
"$rmaplab" import - < script.txt > prog.trace 2> import2.err ||
	{ echo "FAIL: import of the text: $(cat import2.err)"; exit 1; }
head -1 prog.trace | grep -q 'recorder=perf-import/1,nokstate,order0' ||
	{ echo "FAIL: header: $(head -1 prog.trace)"; exit 1; }
# the same trace from perf.data and from its text
"$rmaplab" dump prog.rmt | cmp -s - prog.trace ||
	{ echo "FAIL: perf.data and its perf script text import differently"; exit 1; }
grep -q ' exec ' prog.trace && grep -q ' fork ' prog.trace &&
	grep -q ' fault ' prog.trace ||
	{ echo "FAIL: no exec, fork or fault in the imported trace"; exit 1; }

"$rmaplab" check prog.rmt > check.out 2>&1
rc=$?
cat check.out
[ $rc = 0 ] || { echo "FAIL: check exits $rc"; exit 1; }
grep -q 'no kernel checkpoints (recorder perf-import' check.out ||
	{ echo "FAIL: check does not say the kernel's state is missing"; exit 1; }
grep -q ' 0 folios checked' check.out &&
	{ echo "FAIL: check verified nothing"; exit 1; }
echo "ok: $(grep -c . prog.trace) lines imported and checked"
