// SPDX-License-Identifier: GPL-2.0-only
/* `perf script` text -> trace, on lines in the form perf 6.1 prints. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "traces/import_perf.h"

static const char script[] =
"# ========\n"
"# os release : 6.18.44\n"
"# arch : x86_64\n"
"    0/0         0.000000: PERF_RECORD_COMM: perf-exec:100/100\n"
"  100/100      10.000001: PERF_RECORD_COMM exec: prog:100/100\n"
"  100/100      10.000002: PERF_RECORD_MMAP2 100/100: [0x7ffd0000(0x21000) @ 0x7ffffffde000 00:00 0 0]: rw-p [stack]\n"
"  100/100      10.000003: PERF_RECORD_MMAP2 100/100: [0x555000(0x2000) @ 0x1000 fe:00 42 7]: r-xp /bin/prog\n"
"  100/100      10.000004: PERF_RECORD_MMAP2 100/100: [0x7f0000(0x2000) @ 0 00:00 0 0]: r-xp [vdso]\n"
"  100/100      10.000005:     exceptions:page_fault_kernel: address=0x7ffd0100 ip=_copy_to_user error_code=0x2\n"
"  100/100      10.000006:         sched:sched_process_exec: filename=./prog pid=100 old_pid=100\n"
"  100/100      10.000007:          syscalls:sys_exit_execve: 0x0\n"
"  100/100      10.000010:          syscalls:sys_enter_mmap: addr: 0x00000000, len: 0x00004000, prot: 0x00000001, flags: 0x00000002, fd: 0x00000003, off: 0x00002000\n"
"  100/100      10.000011: PERF_RECORD_MMAP2 100/100: [0x7e0000(0x4000) @ 0x2000 fe:00 77 0]: r--p /lib/x.so\n"
"  100/100      10.000012:           syscalls:sys_exit_mmap: 0x7e0000\n"
"  100/100      10.000013:      syscalls:sys_enter_mprotect: start: 0x7e0000, len: 0x00001000, prot: 0x00000000\n"
"  100/100      10.000014: PERF_RECORD_MMAP2 100/100: [0x7e0000(0x1000) @ 0x2000 fe:00 77 0]: ---p /lib/x.so\n"
"  100/100      10.000015:       syscalls:sys_exit_mprotect: 0x0\n"
"  100/100      10.000016:       exceptions:page_fault_user: address=0x7ffd0ff8 ip=0x555010 error_code=0x6\n"
"  100/100      10.000017:       exceptions:page_fault_user: address=0x7e1010 ip=0x555010 error_code=0x4\n"
"  100/100      10.000018:     exceptions:page_fault_kernel: address=0xffffffff81000000 ip=x error_code=0x2\n"
"  100/100      10.000019:           syscalls:sys_enter_brk: brk: 0x00000000\n"
"  100/100      10.000020:            syscalls:sys_exit_brk: 0x600000\n"
"  100/100      10.000021:          syscalls:sys_enter_munmap: addr: 0x900000, len: 0x1000\n"
"  100/100      10.000022:           syscalls:sys_exit_munmap: 0xffffffffffffffea\n"
"  100/100      10.000030:        syscalls:sys_enter_clone3: uargs: 0x7ffd0590, size: 0x00000058\n"
"  100/100      10.000031: PERF_RECORD_FORK(100:101):(100:100)\n"
"  100/100      10.000032:         sched:sched_process_fork: comm=prog pid=100 child_comm=prog child_pid=101\n"
"  100/100      10.000033:          syscalls:sys_exit_clone3: 0x65\n"
"  100/101      10.000034:          syscalls:sys_exit_clone3: 0x0\n"
"  100/100      10.000040:         syscalls:sys_enter_clone: clone_flags: 0x01200011, newsp: 0x0, parent_tidptr: 0x0, child_tidptr: 0x7f0a10, tls: 0x0\n"
"  102/102      10.000041: PERF_RECORD_FORK(102:102):(100:100)\n"
"  100/100      10.000042:         sched:sched_process_fork: comm=prog pid=100 child_comm=prog child_pid=102\n"
"  100/100      10.000043:          syscalls:sys_exit_clone: 0x66\n"
"  102/102      10.000050:       exceptions:page_fault_user: address=0x7ffd0ff8 ip=0x555010 error_code=0x7\n"
"  102/102      10.000051:    syscalls:sys_enter_exit_group: error_code: 0x00000000\n"
"  102/102      10.000052:         sched:sched_process_exit: comm=prog pid=102 prio=120 group_dead=true\n"
"  102/102      10.000053: PERF_RECORD_EXIT(102:102):(100:100)\n";

static struct trace import(const char *text, int *ret, char *err,
			   size_t len)
{
	struct import_perf_stats st;
	struct trace t;
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	cr_assert(f);
	*ret = import_perf_script(f, "s.txt", NULL, &t, &st, err, len);
	fclose(f);
	return t;
}

Test(import_perf, script_to_events)
{
	static const char *const want[] = {
		"100 exec",
		"100 mmap 0x7ffd0000 0x21000 rw- private,anon,fixed,growsdown -> 0x7ffd0000",
		"100 mmap 0x555000 0x2000 r-x private,fixed file=fe:00:42 off=1 -> 0x555000",
		"100 mmap 0x7f0000 0x2000 r-x private,fixed file=[vdso] off=0 -> 0x7f0000",
		"100 fault 0x7ffd0000 w",
		"100 mmap 0x0 0x4000 r-- private file=fe:00:77 off=2 -> 0x7e0000",
		"100 mprotect 0x7e0000 0x1000 --- -> 0",
		"100 fault 0x7ffd0000 w",
		"100 fault 0x7e1000 r",
		"100 brk 0x0 -> 0x600000",
		"100 munmap 0x900000 0x1000 -> -EINVAL",
		"100 thread 101",
		"100 fork 102 flags=0x1200011 -> 0x66",
		"102 fault 0x7ffd0000 w",
		"102 exit",
	};
	char err[512], *out = NULL, *line, *save;
	size_t len = 0, i = 0;
	struct trace t;
	int ret;
	FILE *f;

	t = import(script, &ret, err, sizeof(err));
	cr_assert_eq(ret, 0, "%s", err);
	cr_expect_str_eq(t.hdr.kernel, "6.18.44");
	cr_expect_str_eq(t.hdr.recorder,
			 "perf-import/1,nokstate,order0,nopopulate");
	f = open_memstream(&out, &len);
	cr_assert_eq(trace_write_text(f, &t), 0);
	fclose(f);
	/* the header, then the events without their t= times */
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tm = strstr(line, " t=");

		if (line[0] == '#')
			continue;
		if (tm)
			memmove(tm, tm + strcspn(tm + 1, " ") + 1,
				strlen(tm + strcspn(tm + 1, " ") + 1) + 1);
		cr_assert_lt(i, sizeof(want) / sizeof(want[0]),
			     "extra event '%s'", line);
		cr_expect_str_eq(line, want[i], "event %zu: %s", i, line);
		i++;
	}
	cr_expect_eq(i, sizeof(want) / sizeof(want[0]));
	free(out);
	trace_free(&t);
}

Test(import_perf, bad_line_names_file_and_line)
{
	char err[512];
	struct trace t;
	int ret;

	t = import("# arch : x86_64\n  1/1  1.5: PERF_RECORD_COMM exec: a:1/1\n"
		   "garbage without a time stamp\n", &ret, err, sizeof(err));
	cr_expect_eq(ret, -1);
	cr_expect(strstr(err, "s.txt:3: no time stamp"), "%s", err);
	trace_free(&t);
	t = import("  1/1  1.5: syscalls:sys_enter_mmap: addr: 0x0\n", &ret,
		   err, sizeof(err));
	cr_expect_eq(ret, -1);
	cr_expect(strstr(err, "s.txt:1: sys_enter_mmap without 'len'"), "%s",
		  err);
	trace_free(&t);
	t = import("# nothing\n", &ret, err, sizeof(err));
	cr_expect_eq(ret, -1);
	cr_expect(strstr(err, "no mm events"), "%s", err);
	trace_free(&t);
}

/* The software page-fault event (arm64): the address, no access type. */
Test(import_perf, page_faults_event_without_access_type)
{
	char err[512];
	struct trace t;
	int ret;

	t = import("# arch : aarch64\n"
		   "  7/7  1.000001: PERF_RECORD_COMM exec: a:7/7\n"
		   "  7/7  1.000002: PERF_RECORD_MMAP2 7/7: [0x10000(0x4000) "
		   "@ 0 00:00 0 0]: rw-p //anon\n"
		   "  7/7  1.000003: page-faults:     10ab8\n", &ret, err,
		   sizeof(err));
	cr_assert_eq(ret, 0, "%s", err);
	cr_expect_str_eq(t.hdr.arch, "aarch64");
	cr_expect_str_eq(t.hdr.recorder,
			 "perf-import/1,nokstate,order0,nopopulate,norw");
	cr_assert_eq(t.nr_ev, 3);
	cr_expect_eq(t.ev[2].type, EV_FAULT);
	cr_expect_eq(t.ev[2].addr, 0x10000);
	cr_expect_eq(t.ev[2].write, 1, "an unknown access is a write");
	trace_free(&t);
}
