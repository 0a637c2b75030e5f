#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Re-record the bundled corpus from scratch, as root, on a Debian 12
# machine: installs the workload packages, builds rmaplab unless $RMAPLAB
# names a binary, and records every workload (or the ones named) into
# traces/corpus/NAME.rmt.  Loopback traffic only.
#
#   traces/corpus/record-all.sh [--no-install] [NAME...]
#   names: make-j2 python-mp postgres-pgbench redis-bgsave apache-prefork
#          shell-storm zygote threadfork py-threads jvm-version
#
#   traces/corpus/record-all.sh --arm64 [NAME...]
#   names: shell-storm zygote threadfork remap
#   The static workloads, cross-built for aarch64, each recorded inside a
#   VM (rmaplab record --kernel) on debian:6.12-arm64 (4 KiB pages) and
#   debian:6.12-arm64-16k into traces/corpus/arm64/{4k,16k}/NAME.rmt.
#   Needs qemu-system-arm, gcc-aarch64-linux-gnu, arm64 apt sources.
#
# Environment: RMAPLAB (recorder binary), OUT (output directory, default
# traces/corpus), BUILD (build directory, default /tmp/rmaplab-corpus-build).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-$HERE}
BUILD=${BUILD:-/tmp/rmaplab-corpus-build}
ALL="make-j2 python-mp postgres-pgbench redis-bgsave apache-prefork
shell-storm zygote threadfork py-threads jvm-version"
PGBIN=/usr/lib/postgresql/15/bin

die() { echo "record-all: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "must run as root (PFNs, kpageflags)"

install=1
arm64=0
if [ "${1:-}" = --no-install ]; then
	install=0
	shift
elif [ "${1:-}" = --arm64 ]; then
	arm64=1
	install=0
	ALL="shell-storm zygote threadfork remap"
	shift
fi
names=${*:-$ALL}

if [ $install = 1 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q build-essential meson ninja-build pkg-config \
		python3 postgresql redis-server redis-tools apache2 \
		apache2-utils openjdk-17-jre-headless
fi

if [ -z "${RMAPLAB:-}" ]; then
	[ -d "$BUILD" ] || meson setup "$BUILD" "$REPO" >/dev/null
	ninja -C "$BUILD" -j2 harness/rmaplab
	[ $arm64 = 0 ] || ninja -C "$BUILD" -j2 harness/rmaplab-guest-aarch64
	RMAPLAB=$BUILD/harness/rmaplab
fi
[ -x "$RMAPLAB" ] || die "$RMAPLAB: not executable"

WORK=$(mktemp -d /tmp/rmaplab-corpus.XXXXXX)
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

# record NAME CMD...: record into $OUT/NAME.rmt, keep the program's status;
# with $EVERY set, a periodic checkpoint every $EVERY events as well
record() {
	local name=$1
	shift
	echo "== $name: $*" >&2
	local status=0
	"$RMAPLAB" record ${EVERY:+-n "$EVERY"} -o "$OUT/$name.rmt" -- "$@" || status=$?
	# stored smaller (zstd level 19), same events; in place is safe
	"$RMAPLAB" convert "$OUT/$name.rmt" -o "$OUT/$name.rmt" || return 2
	return $status
}

# wait_for CMD...: retry CMD for up to 20 s
wait_for() {
	local i
	for i in $(seq 200); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	die "timed out waiting for: $*"
}

# A make -j2 build of a real C project: the trace library of rmaplab.
rec_make_j2() {
	local d=$WORK/make
	mkdir -p "$d"
	record make-j2 make -j2 -C "$d" -s \
		-f "$REPO/traces/corpus/workloads/make-j2.mk" REPO="$REPO"
}

# Python multiprocessing (fork) with a 24 MB parent heap, 4 workers.
rec_python_mp() {
	record python-mp /usr/bin/python3 "$HERE/workloads/mp_heap.py" 24 4 8
}

# PostgreSQL 15 under pgbench -C: one backend fork per transaction.
rec_postgres_pgbench() {
	local d=$WORK/pg sock=$WORK/pg port=5499 pid
	local as_pg=(setpriv --reuid=postgres --regid=postgres --init-groups)
	mkdir -p "$d"
	chown postgres: "$d"
	"${as_pg[@]}" "$PGBIN/initdb" -D "$d/data" -A trust >/dev/null
	cat >>"$d/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$sock'
port = $port
shared_buffers = 16MB
max_connections = 20
huge_pages = off
dynamic_shared_memory_type = posix
autovacuum = off
logging_collector = off
EOF
	# the pgbench tables, made before recording
	"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$d/data" -w -l "$d/init.log" \
		start >/dev/null
	"${as_pg[@]}" "$PGBIN/pgbench" -q -i -s 1 -h "$sock" -p $port \
		postgres >/dev/null 2>&1
	"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$d/data" -w stop >/dev/null

	record postgres-pgbench "${as_pg[@]}" "$PGBIN/postgres" \
		-D "$d/data" >"$d/server.log" 2>&1 &
	pid=$!
	wait_for "$PGBIN/pg_isready" -h "$sock" -p $port
	"${as_pg[@]}" "$PGBIN/pgbench" -C -c 2 -t 10 -h "$sock" -p $port \
		postgres >/dev/null
	"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$d/data" -m fast -w stop >/dev/null
	wait $pid
}

# Redis 7: BGSAVE while redis-benchmark writes.
rec_redis_bgsave() {
	local d=$WORK/redis port=6399 pid bench
	mkdir -p "$d"
	record redis-bgsave redis-server --port $port --bind 127.0.0.1 \
		--save '' --appendonly no --dir "$d" --daemonize no \
		--logfile "$d/redis.log" --enable-debug-command local &
	pid=$!
	wait_for redis-cli -p $port ping
	redis-cli -p $port debug populate 50000 key 100 >/dev/null
	redis-benchmark -p $port -t set -n 60000 -r 50000 -d 100 -c 4 -q \
		>/dev/null &
	bench=$!
	# two snapshots while the writes go on
	for i in 1 2; do
		sleep 0.3
		redis-cli -p $port bgsave >/dev/null
		wait_for sh -c "redis-cli -p $port info persistence |
			grep -q 'rdb_bgsave_in_progress:0'"
	done
	wait $bench
	redis-cli -p $port shutdown nosave >/dev/null || true
	wait $pid || true
}

# Apache 2.4 prefork under ab: a parent forking long-lived workers that
# are recycled after 40 connections.
rec_apache_prefork() {
	local d=$WORK/apache port=8099 pid m=/usr/lib/apache2/modules
	mkdir -p "$d/www"
	head -c 16384 /usr/share/common-licenses/GPL-2 >"$d/www/index.html"
	cat >"$d/httpd.conf" <<EOF
ServerRoot "$d"
ServerName localhost
LoadModule mpm_prefork_module $m/mod_mpm_prefork.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule dir_module $m/mod_dir.so
Listen 127.0.0.1:$port
PidFile $d/httpd.pid
ErrorLog $d/error.log
DefaultRuntimeDir $d
User www-data
Group www-data
TypesConfig /etc/mime.types
DocumentRoot $d/www
DirectoryIndex index.html
StartServers 2
MinSpareServers 2
MaxSpareServers 4
MaxRequestWorkers 8
MaxConnectionsPerChild 40
EOF
	# its own session: on stop, prefork signals its whole process group
	record apache-prefork setsid /usr/sbin/apache2 -f "$d/httpd.conf" \
		-DFOREGROUND &
	pid=$!
	wait_for test -s "$d/httpd.pid"
	wait_for bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
	ab -q -n 600 -c 4 "http://127.0.0.1:$port/index.html" >/dev/null
	kill -TERM "$(cat "$d/httpd.pid")"
	wait $pid || true
}

# A shell-script storm: fork+exec of short pipelines, as configure does.
rec_shell_storm() {
	record shell-storm /bin/sh -c '
		i=0
		while [ $i -lt 30 ]; do
			echo "line $i" | sed s/line/LINE/ | wc -c >/dev/null
			x=$(basename /usr/bin/env$i)
			test -d /usr/bin && : "$x"
			i=$((i + 1))
		done'
}

# A zygote: preload, then 24 apps forked from it, alive together.
rec_zygote() {
	gcc -O2 -pthread -o "$WORK/zygote" "$HERE/workloads/zygote.c"
	record zygote "$WORK/zygote" 24 6144 512
}

# Fork from a multi-threaded process: 4 writer threads dirty a 1 MB heap
# while the main thread forks 12 children, each with a thread of its own.
# Periodic checkpoints, triggered by whichever thread makes a call.
rec_threadfork() {
	gcc -O2 -pthread -o "$WORK/threadfork" "$HERE/workloads/threadfork.c"
	EVERY=500 record threadfork "$WORK/threadfork" 4 12 1024
}

# Python threads: a pool of 8 threads, 32 tasks, some spawning a process.
rec_py_threads() {
	EVERY=500 record py-threads /usr/bin/python3 \
		"$HERE/workloads/py_threads.py" 8 32 256
}

# The JVM starting up and printing its version: GC, JIT compiler and
# service threads, a 64 MB heap reservation, the class-data archive.
rec_jvm_version() {
	EVERY=500 record jvm-version java -Xmx64m -version
}

# The arm64 corpus: small runs (TCG is slow), the workloads above where
# they build statically, busybox's sh for the shell storm.
arm64_record() {
	local cc=aarch64-linux-gnu-gcc bin=$WORK/arm64 n k sub cmd every storm
	command -v $cc >/dev/null || die "$cc: not found"
	mkdir -p "$bin"
	for k in debian:6.12-arm64:4k debian:6.12-arm64-16k:16k; do
		"$RMAPLAB" vm --fetch "${k%:*}" >/dev/null ||
			die "${k%:*}: cannot fetch the kernel"
	done
	for n in $names; do
		every=()
		case $n in
		shell-storm)
			# one line: the VM passes no newline in an argument
			storm='i=0; while [ $i -lt 8 ]; do echo "line $i" |'
			storm+=' sed s/line/LINE/ | wc -c >/dev/null;'
			storm+=' x=$(basename /bin/env$i); test -d /bin &&'
			storm+=' : "$x"; i=$((i + 1)); done'
			cmd=(sh -c "$storm") ;;
		zygote)
			cmd=("$bin/zygote" 8 1024 256) ;;
		threadfork)
			every=(-n 200)
			cmd=("$bin/threadfork" 2 4 256) ;;
		remap)
			cmd=("$bin/remap" 3 32) ;;
		*)
			die "unknown arm64 workload '$n' (one of: $(echo $ALL))" ;;
		esac
		if [ "$n" != shell-storm ]; then
			$cc -O2 -static -pthread -o "$bin/$n" \
				"$HERE/workloads/$n.c" ||
				die "$n: cross-build failed"
		fi
		for k in debian:6.12-arm64:4k debian:6.12-arm64-16k:16k; do
			sub=${k##*:}
			mkdir -p "$OUT/arm64/$sub"
			echo "== arm64/$sub/$n: ${cmd[*]}" >&2
			time "$RMAPLAB" record --kernel "${k%:*}" "${every[@]}" \
				-o "$OUT/arm64/$sub/$n.rmt" -- "${cmd[@]}"
			"$RMAPLAB" convert "$OUT/arm64/$sub/$n.rmt" \
				-o "$OUT/arm64/$sub/$n.rmt"
			ls -l "$OUT/arm64/$sub/$n.rmt" >&2
		done
	done
}

mkdir -p "$OUT"
if [ $arm64 = 1 ]; then
	arm64_record
	exit 0
fi
for n in $names; do
	case $n in
	make-j2|python-mp|postgres-pgbench|redis-bgsave|apache-prefork|\
	shell-storm|zygote|threadfork|py-threads|jvm-version)
		"rec_${n//-/_}"
		;;
	*)
		die "unknown workload '$n' (one of: $(echo $ALL))"
		;;
	esac
	ls -l "$OUT/$n.rmt" >&2
done
