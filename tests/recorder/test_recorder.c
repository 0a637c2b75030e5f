// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recorder against real programs: sh -c scripts and rec_helper, whose
 * addresses are fixed.  Needs root (ptrace is fine without, but PFNs and
 * kernel-mode faults are not); skipped with a reason otherwise.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/recorder/recorder.h"
#include "traces/trace.h"

#define BASE	0x700000000000ULL
#define TBASE	0x700100000000ULL
#define RBASE	0x700200000000ULL
#define SBASE	0x700300000000ULL
#define LBASE	0x700400000000ULL
#define PG	4096ULL

static struct trace tr;

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("recorder tests need root (PFNs, kernel faults)");
}

static const char *helper(void)
{
	const char *h = getenv("RMAPLAB_REC_HELPER");

	cr_assert(h, "RMAPLAB_REC_HELPER not set by meson");
	return h;
}

/*
 * In a sanitizer build rec_helper is instrumented too; LeakSanitizer's
 * exit-time thread is created CLONE_UNTRACED and so cannot pass the
 * recorder's seccomp filter (its mmap calls fail with ENOSYS, as under
 * strace --seccomp-bpf).  The helper runs without leak checking.
 */
static void helper_env(void)
{
	const char *old = getenv("ASAN_OPTIONS");
	char buf[512];

	snprintf(buf, sizeof(buf), "%s%sdetect_leaks=0", old ? old : "",
		 old && *old ? ":" : "");
	setenv("ASAN_OPTIONS", buf, 1);
}

static int record(char *const argv[])
{
	struct recorder_opts o;

	helper_env();
	recorder_opts_init(&o);
	o.quiet = true;
	trace_init(&tr);
	return recorder_record(&o, argv, &tr);
}

static void fini(void)
{
	trace_free(&tr);
}

/* Index of the first event from @from on matching, or -1. */
static long find(long from, int type, int64_t pid, uint64_t addr)
{
	size_t i;

	for (i = from < 0 ? 0 : from; i < tr.nr_ev; i++) {
		const struct trace_event *ev = &tr.ev[i];

		if (ev->type != type || (pid && ev->pid != pid))
			continue;
		if (addr && ev->addr != addr)
			continue;
		return (long)i;
	}
	return -1;
}

static long find_fault(int64_t pid, uint64_t addr, int write)
{
	size_t i;

	for (i = 0; i < tr.nr_ev; i++)
		if (tr.ev[i].type == EV_FAULT && tr.ev[i].pid == pid &&
		    tr.ev[i].addr == addr && tr.ev[i].write == write)
			return (long)i;
	return -1;
}

static const struct trace_checkpoint *find_cp(const char *reason,
					      int64_t pid)
{
	size_t i, j;

	for (i = 0; i < tr.nr_ev; i++) {
		const struct trace_checkpoint *cp;

		if (tr.ev[i].type != EV_CHECKPOINT)
			continue;
		cp = &tr.cps[tr.ev[i].cp];
		if (strcmp(cp->reason, reason))
			continue;
		for (j = 0; j < cp->nr_procs; j++)
			if (cp->procs[j].pid == pid)
				return cp;
	}
	return NULL;
}

static const struct cp_page *cp_page(const struct trace_checkpoint *cp,
				     int64_t pid, uint64_t addr)
{
	size_t i, j;

	for (i = 0; i < cp->nr_procs; i++) {
		if (cp->procs[i].pid != pid)
			continue;
		for (j = 0; j < cp->procs[i].nr_pages; j++)
			if (cp->procs[i].pages[j].addr == addr)
				return &cp->procs[i].pages[j];
	}
	return NULL;
}

static int64_t root_label(void)
{
	long i = find(0, EV_EXEC, 0, 0);

	cr_assert_geq(i, 0, "no exec event");
	return tr.ev[i].pid;
}

TestSuite(recorder, .init = need_root, .fini = fini, .timeout = 30);

Test(recorder, shell_fork_exec_exit_with_results)
{
	char *argv[] = { "sh", "-c", "/bin/true & wait; exit 5", NULL };
	int64_t sh, child;
	long fork_i, i;
	size_t nr_mmap = 0;

	cr_assert_eq(record(argv), 5, "exit status not passed through");
	cr_assert_str_eq(tr.hdr.clock, "monotonic");
	cr_assert(strstr(tr.hdr.recorder, "pfns") &&
		  !strstr(tr.hdr.recorder, "nopfns"));
	sh = root_label();
	fork_i = find(0, EV_FORK, sh, 0);
	cr_assert_geq(fork_i, 0, "sh did not fork");
	child = tr.ev[fork_i].child;
	cr_assert_neq(child, sh);
	/* the child execs /bin/true after the fork, then exits */
	i = find(fork_i, EV_EXEC, child, 0);
	cr_assert_gt(i, fork_i);
	cr_assert_gt(find(i, EV_EXIT, child, 0), i);
	cr_assert_geq(find(0, EV_EXIT, sh, 0), 0);
	/* every syscall event carries the kernel's result */
	for (i = 0; i < (long)tr.nr_ev; i++) {
		const struct trace_event *ev = &tr.ev[i];

		if (ev->type != EV_MMAP)
			continue;
		nr_mmap++;
		cr_assert(ev->has_result, "mmap %ld without result", i);
		cr_assert(ev->result > 0, "mmap %ld failed", i);
		if (ev->flags & MAP_FIXED)
			cr_assert_eq((uint64_t)ev->result, ev->addr);
	}
	cr_assert_gt(nr_mmap, 10, "only %zu mmaps", nr_mmap);
	/* checkpoints at exec, fork and exit */
	cr_assert(find_cp("exec", sh));
	cr_assert(find_cp("fork", child));
	cr_assert(find_cp("exit", child));
	cr_assert(find_cp("exit", sh));
	/* sorted by time */
	for (i = 1; i < (long)tr.nr_ev; i++)
		cr_assert_geq(tr.ev[i].time_ns, tr.ev[i - 1].time_ns);
}

/*
 * 0   1   2   3
 * w   r   ro  .      parent, then fork
 * W           w      child: CoW of page 0, new page 3
 */
Test(recorder, helper_map_fault_fork_cow)
{
	char *argv[] = { (char *)helper(), "basic", NULL };
	const struct trace_checkpoint *fcp, *ecp;
	const struct cp_page *pp, *cpg, *cw;
	int64_t parent, child;
	long i, fork_i;

	cr_assert_eq(record(argv), 3);
	parent = root_label();
	i = find(0, EV_MMAP, parent, BASE);
	cr_assert_geq(i, 0, "no mmap at BASE");
	cr_assert_eq(tr.ev[i].len, 4 * PG);
	cr_assert(tr.ev[i].has_result);
	cr_assert_eq((uint64_t)tr.ev[i].result, BASE);
	cr_assert(tr.ev[i].flags & MAP_ANONYMOUS);
	/* write fault, then a read fault that mapped the zero page */
	cr_assert_gt(find_fault(parent, BASE, 1), i);
	cr_assert_gt(find_fault(parent, BASE + PG, 0), i);
	cr_assert_lt(find_fault(parent, BASE + PG, 1), 0);
	i = find(0, EV_MPROTECT, parent, BASE + 2 * PG);
	cr_assert_geq(i, 0);
	cr_assert_eq(tr.ev[i].prot, PROT_READ);
	cr_assert_eq(tr.ev[i].result, 0);

	fork_i = find(0, EV_FORK, parent, 0);
	cr_assert_geq(fork_i, 0);
	child = tr.ev[fork_i].child;
	cr_assert_gt(find_fault(child, BASE, 1), fork_i, "no CoW fault");
	cr_assert_gt(find_fault(child, BASE + 3 * PG, 1), fork_i);
	i = find(0, EV_MUNMAP, parent, BASE);
	cr_assert_gt(i, fork_i);
	cr_assert_eq(tr.ev[i].len, 4 * PG);
	cr_assert_eq(tr.ev[i].result, 0);

	/* at fork both map the same folio: the kernel's sharing truth */
	fcp = find_cp("fork", child);
	cr_assert(fcp && fcp->has_pfns && fcp->nr_procs == 2);
	pp = cp_page(fcp, parent, BASE);
	cpg = cp_page(fcp, child, BASE);
	cr_assert(pp && cpg, "page 0 missing from the fork checkpoint");
	cr_assert_neq(pp->pfn, 0);
	cr_assert_eq(pp->pfn, cpg->pfn);
	cr_assert_null(cp_page(fcp, parent, BASE + PG), "zero page listed");
	/* after the CoW the child has its own copy */
	ecp = find_cp("exit", child);
	cr_assert(ecp);
	cw = cp_page(ecp, child, BASE);
	cr_assert(cw);
	cr_assert_neq(cw->pfn, pp->pfn);
	cr_assert(cp_page(ecp, child, BASE + 3 * PG));
}

Test(recorder, helper_thread_shares_mm)
{
	char *argv[] = { (char *)helper(), "thread", NULL };
	int64_t proc, thr;
	long i;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	i = find(0, EV_THREAD, proc, 0);
	cr_assert_geq(i, 0, "no thread event");
	thr = tr.ev[i].child;
	cr_assert(tr.ev[i].flags & CLONE_VM);
	cr_assert_gt(find(i, EV_MMAP, thr, TBASE), i);
	cr_assert_gt(find_fault(thr, TBASE + PG, 1), i);
	cr_assert_gt(find(i, EV_EXIT, thr, 0), i);
	cr_assert_lt(find(0, EV_FORK, 0, 0), 0, "a thread recorded as fork");
}

Test(recorder, crash_leaves_complete_trace)
{
	char *argv[] = { (char *)helper(), "crash", NULL };
	const struct trace_checkpoint *cp;
	int64_t proc;
	long i;

	cr_assert_eq(record(argv), 128 + SIGSEGV);
	proc = root_label();
	i = find(0, EV_EXIT, proc, 0);
	cr_assert_geq(i, 0, "no exit event");
	cr_assert_eq((size_t)i, tr.nr_ev - 1, "exit is not the last event");
	cp = find_cp("exit", proc);
	cr_assert(cp, "no exit checkpoint");
	cr_assert(cp_page(cp, proc, BASE), "written page not in checkpoint");
}

/*
 * BASE: 0 1          RBASE: 0 1 . 3
 *       w w    ->           (moved) w
 */
Test(recorder, helper_mremap_fixed)
{
	char *argv[] = { (char *)helper(), "remap", NULL };
	const struct trace_checkpoint *cp;
	int64_t proc;
	long i;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	i = find(0, EV_MREMAP, proc, BASE);
	cr_assert_geq(i, 0);
	cr_assert_eq(tr.ev[i].len, 2 * PG);
	cr_assert_eq(tr.ev[i].new_len, 4 * PG);
	cr_assert_eq(tr.ev[i].new_addr, RBASE);
	cr_assert_eq((uint64_t)tr.ev[i].result, RBASE);
	cr_assert_gt(find_fault(proc, RBASE + 3 * PG, 1), i);
	cp = find_cp("exit", proc);
	cr_assert(cp);
	cr_assert(cp_page(cp, proc, RBASE));
	cr_assert(cp_page(cp, proc, RBASE + PG));
	cr_assert_null(cp_page(cp, proc, RBASE + 2 * PG));
	cr_assert(cp_page(cp, proc, RBASE + 3 * PG));
	cr_assert_null(cp_page(cp, proc, BASE));
}

Test(recorder, periodic_checkpoints)
{
	char *argv[] = { "sh", "-c", "true", NULL };
	struct recorder_opts o;
	size_t i, n = 0;

	recorder_opts_init(&o);
	o.quiet = true;
	o.cp_every = 20;
	trace_init(&tr);
	cr_assert_eq(recorder_record(&o, argv, &tr), 0);
	for (i = 0; i < tr.nr_cps; i++)
		n += !strcmp(tr.cps[i].reason, "periodic");
	cr_assert_gt(n, 0, "no periodic checkpoint");
}

/*
 * The header holds this kernel's slab object sizes: for every cache the
 * recorder looks for, /proc/slabinfo's objsize column (read here with a
 * parser of the test's own), or for a cache merged out of it, sysfs's
 * slab_size.
 */
Test(recorder, slab_sizes_are_proc_slabinfos)
{
	char *argv[] = { "sh", "-c", "true", NULL };
	char line[1024], name[64], path[300];
	unsigned long a, b, objsize;
	size_t i, listed = 0, want = 0;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		cr_skip_test("/proc/slabinfo unreadable (%s): nothing to "
			     "compare the recorded sizes with",
			     strerror(errno));
	fclose(f);
	cr_assert_eq(record(argv), 0);
	for (i = 0; trace_slab_caches[i]; i++) {
		const char *cache = trace_slab_caches[i];
		uint32_t got = trace_slab_size(&tr.hdr, cache);
		bool found = false;

		f = fopen("/proc/slabinfo", "r");
		cr_assert(f);
		while (!found && fgets(line, sizeof(line), f))
			found = sscanf(line, "%63s %lu %lu %lu", name, &a, &b,
				       &objsize) == 4 && !strcmp(name, cache);
		fclose(f);
		if (found) {
			listed++;
			cr_expect_eq(got, objsize, "%s: recorded %u, "
				     "/proc/slabinfo says %lu", cache, got,
				     objsize);
			want++;
			continue;
		}
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/slab_size",
			 cache);
		f = fopen(path, "r");
		if (f && fscanf(f, "%lu", &objsize) == 1) {
			cr_expect_eq(got, objsize, "%s: recorded %u, %s says "
				     "%lu", cache, got, path, objsize);
			want++;
		} else {
			cr_expect_eq(got, 0, "%s: recorded %u, the kernel has "
				     "no such cache", cache, got);
		}
		if (f)
			fclose(f);
	}
	cr_expect_eq(tr.hdr.nr_slab, want);
	/* every kernel this runs on has its own vm_area_struct cache */
	cr_expect_gt(listed, 0, "no cache of %s in /proc/slabinfo",
		     trace_slab_caches[0]);
}

Test(recorder, missing_command_is_an_error)
{
	char *argv[] = { "rmaplab-no-such-command", NULL };

	cr_assert_eq(record(argv), RECORDER_ERROR);
}

Test(recorder, binary_round_trip)
{
	char *argv[] = { (char *)helper(), "basic", NULL };
	char path[] = "/tmp/rmaplab-rec-XXXXXX", err[256];
	struct trace back;
	size_t i;
	FILE *f;
	int fd;

	cr_assert_eq(record(argv), 3);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "wb");
	cr_assert_eq(trace_write_binary(f, &tr), 0);
	fclose(f);
	cr_assert_eq(trace_load(path, &back, err, sizeof(err)), 0, "%s", err);
	unlink(path);
	cr_assert_eq(back.nr_ev, tr.nr_ev);
	cr_assert_eq(back.nr_cps, tr.nr_cps);
	for (i = 0; i < tr.nr_ev; i++) {
		cr_assert_eq(back.ev[i].type, tr.ev[i].type);
		cr_assert_eq(back.ev[i].addr, tr.ev[i].addr);
		cr_assert_eq(back.ev[i].result, tr.ev[i].result);
	}
	trace_free(&back);
}

/* Write @tr to a temporary binary trace; the path is left in @path. */
static void save(char *path)
{
	FILE *f;
	int fd;

	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "wb");
	cr_assert_eq(trace_write_binary(f, &tr), 0);
	fclose(f);
}

static long count(int type, int64_t pid)
{
	long n = 0;
	size_t i;

	for (i = 0; i < tr.nr_ev; i++)
		n += tr.ev[i].type == type && (!pid || tr.ev[i].pid == pid);
	return n;
}

/*
 * A thread writes 64 pages round after round while the main thread forks
 * 20 times: a write the kernel did after a fork's copy must follow that
 * fork in the trace, or the model shares the page with the child where
 * the kernel did not.  `rmaplab check` compares every fork checkpoint's
 * sharing with the model's.
 */
/* `rmaplab check` of the recording, every scheme: it must agree. */
static void check_clean(void)
{
	char path[] = "/tmp/rmaplab-rec-XXXXXX", cmd[1024];
	const char *rmaplab = getenv("RMAPLAB_BIN");
	int st;

	cr_assert(rmaplab, "RMAPLAB_BIN not set by meson");
	save(path);
	snprintf(cmd, sizeof(cmd), "%s check --no-minimise --no-expected "
		 "%s >/dev/null 2>&1", rmaplab, path);
	st = system(cmd);
	unlink(path);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "rmaplab check of the recording failed (status %d)", st);
}

Test(recorder, fork_beside_a_writing_thread)
{
	char *argv[] = { (char *)helper(), "forkw", "20", NULL };

	cr_assert_eq(record(argv), 0);
	cr_assert_eq(count(EV_FORK, root_label()), 20);
	check_clean();
}

/*
 * The main thread ends first (pthread_exit); the process lives on in its
 * other thread, whose exit ends it: the exit checkpoint names the process,
 * whose exit is recorded last.
 */
Test(recorder, leader_exits_before_its_thread)
{
	char *argv[] = { (char *)helper(), "leader", NULL };
	int64_t proc, thr;
	long t;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	t = find(0, EV_THREAD, proc, 0);
	cr_assert_geq(t, 0);
	thr = tr.ev[t].child;
	cr_assert(find_cp("exit", proc), "no exit checkpoint of the process");
	cr_assert_gt(find(0, EV_EXIT, proc, 0), find(0, EV_EXIT, thr, 0));
	check_clean();
}

/*
 * SBASE: 0 1 2 | 3 4 5 | . . . . | 10 11
 *        id 0    id 0            5000-byte segment, 11 unmapped before
 *                                shmdt, which still names 2 pages
 * All in the program's own IPC namespace.
 */
Test(recorder, shmat_segment_zero_and_adjacent_attaches)
{
	char *argv[] = { (char *)helper(), "shm", NULL };
	static const uint64_t at[] = { SBASE, SBASE + 3 * PG,
				       SBASE + 10 * PG };
	static const uint64_t len[] = { 3 * PG, 3 * PG, 2 * PG };
	int64_t proc;
	long i;
	int k;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	for (k = 0; k < 3; k++) {
		i = find(0, EV_MMAP, proc, at[k]);
		cr_assert_geq(i, 0, "no shmat at %#llx",
			      (unsigned long long)at[k]);
		cr_assert_eq(tr.ev[i].len, len[k], "attach %d: length %#llx",
			     k, (unsigned long long)tr.ev[i].len);
		cr_assert(tr.ev[i].flags & MAP_SHARED);
		cr_assert_eq((uint64_t)tr.ev[i].result, at[k]);
		i = find(i, EV_MUNMAP, proc, at[k]);
		cr_assert_geq(i, 0, "no shmdt at %#llx",
			      (unsigned long long)at[k]);
		cr_assert_eq(tr.ev[i].len, len[k]);
	}
	/* two attaches of one segment are one file, not two */
	cr_assert_eq(tr.ev[find(0, EV_MMAP, proc, at[0])].file,
		     tr.ev[find(0, EV_MMAP, proc, at[1])].file);
	check_clean();
}

/*
 * With a checkpoint after every event, the thread's own mmap triggers
 * some: they describe the process (its label), not the thread.
 */
Test(recorder, thread_triggered_checkpoint_names_the_process)
{
	char *argv[] = { (char *)helper(), "thread", NULL };
	struct recorder_opts o;
	int64_t proc, thr;
	size_t i, j, by_thread = 0;

	helper_env();
	recorder_opts_init(&o);
	o.quiet = true;
	o.cp_every = 1;
	trace_init(&tr);
	cr_assert_eq(recorder_record(&o, argv, &tr), 0);
	proc = root_label();
	i = (size_t)find(0, EV_THREAD, proc, 0);
	thr = tr.ev[i].child;
	for (; i < tr.nr_ev; i++) {
		const struct trace_checkpoint *cp;

		if (tr.ev[i].type != EV_CHECKPOINT)
			continue;
		cp = &tr.cps[tr.ev[i].cp];
		cr_assert_eq(tr.ev[i].pid, proc);
		for (j = 0; j < cp->nr_procs; j++)
			cr_assert_eq(cp->procs[j].pid, proc,
				     "checkpoint %s names %lld", cp->reason,
				     (long long)cp->procs[j].pid);
		/* the one right after the thread's mmap */
		if (i > 0 && tr.ev[i - 1].type == EV_MMAP &&
		    tr.ev[i - 1].pid == thr)
			by_thread++;
	}
	cr_assert_gt(by_thread, 0, "no checkpoint triggered by the thread");
	check_clean();
}

/* A write to a read-only anon page dies: it is no write fault. */
Test(recorder, segv_access_is_not_a_write)
{
	char *argv[] = { (char *)helper(), "segv", NULL };
	int64_t proc;
	long i, j;

	cr_assert_eq(record(argv), 128 + SIGSEGV);
	proc = root_label();
	i = find(0, EV_MPROTECT, proc, BASE);
	cr_assert_geq(i, 0);
	for (j = i; j < (long)tr.nr_ev; j++)
		cr_assert(!(tr.ev[j].type == EV_FAULT &&
			    tr.ev[j].addr == BASE && tr.ev[j].write),
			  "the failed write was recorded as a write fault");
	cr_assert_lt(find_fault(proc, BASE, 1), i);
	check_clean();
}

/* Faults at pages @from..@to (exclusive) of LBASE after event @after. */
static void faulted(int64_t proc, long after, int from, int to, bool want)
{
	int k;

	for (k = from; k < to; k++) {
		long f = find_fault(proc, LBASE + k * PG, 1);

		if (want)
			cr_assert_gt(f, after, "page %d not populated", k);
		else
			cr_assert_lt(f, 0, "page %d populated", k);
	}
}

Test(recorder, populate_and_lock_calls_recorded)
{
	char *argv[] = { (char *)helper(), "lock", NULL };
	const struct trace_checkpoint *cp;
	int64_t proc;
	long i;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	i = find(0, EV_MMAP, proc, LBASE);
	cr_assert_geq(i, 0);
	cr_assert(tr.ev[i].flags & MAP_POPULATE);
	faulted(proc, i, 0, 4, true);
	i = find(0, EV_MMAP, proc, LBASE + 8 * PG);
	cr_assert(tr.ev[i].flags & MAP_LOCKED);
	faulted(proc, i, 8, 12, true);
	i = find(0, EV_MLOCK, proc, LBASE + 16 * PG);
	cr_assert_geq(i, 0, "no mlock event");
	cr_assert_eq(tr.ev[i].len, 2 * PG);
	cr_assert_eq(tr.ev[i].flags, 0);
	cr_assert_eq(tr.ev[i].result, 0);
	faulted(proc, i, 16, 18, true);
	faulted(proc, i, 18, 20, false);
	cr_assert_geq(find(i, EV_MUNLOCK, proc, LBASE + 16 * PG), 0);
	i = find(0, EV_MLOCK, proc, LBASE + 24 * PG);
	cr_assert_geq(i, 0, "no mlock2 event");
	cr_assert_eq(tr.ev[i].flags, 1, "MLOCK_ONFAULT lost");
	faulted(proc, i, 24, 28, false);
	i = find(0, EV_MLOCKALL, proc, 0);
	cr_assert_geq(i, 0, "no mlockall event");
	cr_assert_eq(tr.ev[i].flags, MCL_FUTURE);
	faulted(proc, find(i, EV_MMAP, proc, LBASE + 32 * PG), 32, 36, true);
	cr_assert_gt(find(i, EV_MUNLOCKALL, proc, 0), i);
	i = find(0, EV_MADVISE, proc, LBASE + 40 * PG);
	cr_assert_eq(tr.ev[i].advice, 23);
	faulted(proc, i, 40, 42, true);
	faulted(proc, i, 42, 44, false);
	i = find(0, EV_MSEAL, proc, LBASE + 48 * PG);
	cr_assert_geq(i, 0, "no mseal event");
	cr_assert_eq(tr.ev[i].len, PG);
	cr_assert(tr.ev[i].has_result);
	i = find(0, EV_PKEY_MPROTECT, proc, LBASE + 56 * PG);
	cr_assert_geq(i, 0, "no pkey_mprotect event");
	cr_assert_eq(tr.ev[i].prot, PROT_READ);
	cr_assert_eq(tr.ev[i].advice, -1);
	/* every populated page was seen: the exit checkpoint says nothing */
	cp = find_cp("exit", proc);
	cr_assert(cp, "no plain exit checkpoint");
	check_clean();
}

/* A page written through /proc/self/mem: no fault, but the checkpoint. */
Test(recorder, page_filled_without_fault_is_said_at_checkpoint)
{
	char *argv[] = { (char *)helper(), "procmem", NULL };
	const struct trace_checkpoint *cp;
	int64_t proc;
	long i;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	cr_assert_null(find_cp("exit", proc));
	cp = find_cp("exit-unseen", proc);
	cr_assert(cp, "the exit checkpoint does not say what it saw");
	cr_assert(cp_page(cp, proc, BASE + PG));
	/* the trace goes on from the kernel's state: a fault after it */
	i = find(0, EV_CHECKPOINT, proc, 0);
	while (i >= 0 && strcmp(tr.cps[tr.ev[i].cp].reason, "exit-unseen"))
		i = find(i + 1, EV_CHECKPOINT, proc, 0);
	cr_assert_gt(find_fault(proc, BASE + PG, 1), i);
}

static long find_syscall(const char *name)
{
	size_t i;

	for (i = 0; i < tr.nr_ev; i++)
		if (tr.ev[i].type == EV_SYSCALL &&
		    tr.ev[i].file < tr.nr_files &&
		    !strcmp(tr.files[tr.ev[i].file], name))
			return (long)i;
	return -1;
}

/*
 * userfaultfd: registration is recorded, copies by name; a thread's fault
 * that waits 20 ms for the handler is recorded, not dropped as slow.
 */
Test(recorder, userfaultfd_register_copy_and_slow_fault)
{
	char *argv[] = { (char *)helper(), "uffd", NULL };
	int64_t proc;
	long i, t;

	cr_assert_eq(record(argv), 0);
	proc = root_label();
	i = find(0, EV_UFFD_REGISTER, proc, BASE);
	cr_assert_geq(i, 0, "no uffd_register event");
	cr_assert_eq(tr.ev[i].len, 2 * PG);
	cr_assert_eq(tr.ev[i].flags, 1 /* MISSING */);
	cr_assert_eq(tr.ev[i].result, 0);
	cr_assert_gt(find_syscall("uffdio_copy"), i);
	cr_assert_gt(find(i, EV_UFFD_UNREGISTER, proc, BASE), i);
	t = find(0, EV_THREAD, proc, 0);
	cr_assert_geq(t, 0);
	cr_assert_gt(find_fault(tr.ev[t].child, BASE + PG, 1), t,
		     "the thread's slow fault was dropped");
}

/* The highest NUMA node: 0 on a machine with one. */
static int last_node(void)
{
	char path[64];
	int n = 0;

	for (;;) {
		snprintf(path, sizeof(path), "/sys/devices/system/node/node%d",
			 n + 1);
		if (access(path, F_OK))
			return n;
		n++;
	}
}

/*
 * move_pages() and migrate_pages() become migrate events for the pages
 * that really moved, and only for those: none on a machine with one NUMA
 * node (the pages are on the node asked for already).
 */
Test(recorder, move_pages_recorded_where_pages_move)
{
	int node = last_node();
	char arg[16];
	char *argv[] = { (char *)helper(), "movepages", arg, NULL };
	size_t i, moved = 0;

	snprintf(arg, sizeof(arg), "%d", node);
	cr_assert_eq(record(argv), 0);
	for (i = 0; i < tr.nr_ev; i++) {
		const struct trace_event *ev = &tr.ev[i];

		if (ev->type != EV_MIGRATE)
			continue;
		cr_expect(ev->addr >= 0x700500000000ULL &&
			  ev->addr + ev->len <= 0x700500008000ULL &&
			  ev->len, "migrate 0x%lx 0x%lx",
			  (unsigned long)ev->addr, (unsigned long)ev->len);
		moved += ev->len / PG;
	}
	if (!node)
		cr_expect_eq(moved, 0, "one NUMA node, yet %zu pages moved",
			     moved);
	else
		cr_expect_geq(moved, 4, "%d nodes, only %zu pages moved",
			      node + 1, moved);
}
