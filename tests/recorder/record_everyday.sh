#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Everyday programs nobody here wrote, recorded on this machine's kernel
# and checked through every default scheme: `rmaplab check` must find
# the model and the kernel agreeing at every checkpoint and every walk
# finding every mapping (exit 0; a design finding is no failure, an
# `unsupported:` feature is, since these programs are the test).
#
#   sort    a pipeline: seq | shuf | sort -n | tail
#   tar     tar czf: tar and a gzip child through a pipe
#   perl    a 50000-key hash, a fork whose child writes half of it
#   python  a thread pool of 4, then a fork whose child writes
#   xz      xz -T2: two compressing threads
#   cc      the C compiler on one of rmaplab's own files
#
# A program this machine lacks is skipped and said; the test skips (77)
# unless root (the recorder reads PFNs) or when none could run.
#
#   tests/recorder/record_everyday.sh RMAPLAB SRCDIR
set -u
rmaplab=${1:?usage: $0 RMAPLAB SRCDIR}
src=${2:?srcdir}
skip() { echo "SKIP: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root (the recorder reads PFNs)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/record-everyday.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

failed=0 ran=0
# program NAME NEEDS CMD...: record CMD, then check it
program() {
	name=$1 needs=$2
	shift 2
	if ! command -v "$needs" >/dev/null 2>&1; then
		echo "$name: skipped, no $needs here"
		return
	fi
	ran=$((ran + 1))
	if ! "$rmaplab" record -q -o "$tmp/$name.rmt" -- "$@" \
	     >"$tmp/$name.out" 2>"$tmp/$name.err"; then
		echo "FAIL $name: record: $(tail -3 "$tmp/$name.err")"
		failed=$((failed + 1))
		return
	fi
	"$rmaplab" check --no-minimise "$tmp/$name.rmt" >"$tmp/$name.check" 2>&1
	rc=$?
	if [ $rc != 0 ]; then
		echo "FAIL $name: check exit $rc:"
		sed 's/^/    /' "$tmp/$name.check"
		failed=$((failed + 1))
		return
	fi
	sed "s|^$tmp/||" "$tmp/$name.check"
}

program sort shuf sh -c 'seq 1 200000 | shuf | sort -n | tail -1'
program tar gzip tar czf "$tmp/core.tgz" -C "$src" core schemes
program perl perl perl -e '
	my %h; $h{$_} = [1 .. 20] for 1 .. 50000;
	my $pid = fork;
	if (!$pid) { $h{$_}[0]++ for 1 .. 25000; exit 0 }
	waitpid($pid, 0);'
program python python3 python3 -c '
import os
from concurrent.futures import ThreadPoolExecutor
def work(n):
	return sum(len(bytearray(4096 * 64)) for _ in range(n))
with ThreadPoolExecutor(4) as pool:
	print(sum(pool.map(work, [50] * 8)))
keep = [bytearray(4096) for _ in range(5000)]
pid = os.fork()
if pid == 0:
	for b in keep[:2500]:
		b[0] = 1
	os._exit(0)
os.waitpid(pid, 0)'
program xz xz sh -c "head -c 20000000 /dev/zero | xz -T2 -1 >/dev/null"
program cc cc cc -O2 -I"$src" -c "$src/core/vma.c" -o "$tmp/vma.o"

[ $ran -gt 0 ] || skip "none of the programs is installed"
[ $failed = 0 ] || { echo "$failed of $ran programs failed"; exit 1; }
echo "$ran programs: the kernel and every scheme agree"
