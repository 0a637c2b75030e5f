// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-run's safety: traces that would hurt the host are refused before
 * anything starts (processes, memory, destructive advice), and a signal
 * mid-run leaves no worker, tracefs instance, cgroup or temporary file.
 * Skipped unless running as root with tracefs mounted.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/common/need_kernel.h"
#include "traces/kernel_run.h"
#include "traces/trace.h"

/* Runs that start need 0x100000000-0x300000000 free in this process. */
static void need_range(void)
{
	need_free_range(0x100000000ULL, 0x300000000ULL);
}

/* 1 mmap, then @forks forks of process 1, none exiting. */
static void fork_storm(struct trace *t, size_t forks)
{
	struct trace_event *ev;
	size_t i;

	trace_init(t);
	snprintf(t->path, sizeof(t->path), "storm.trace");
	ev = trace_append(t);
	ev->type = EV_MMAP;
	ev->pid = 1;
	ev->addr = 0x100000000;
	ev->len = 0x1000;
	ev->prot = 3;
	ev->flags = 0x32;	/* private, anon, fixed */
	for (i = 0; i < forks; i++) {
		ev = trace_append(t);
		ev->type = EV_FORK;
		ev->pid = 1;
		ev->child = i + 2;
	}
}

Test(kernel_run_safety, fork_storm_refused_before_start)
{
	struct krun_result res;
	struct timespec a, b;
	struct trace t;
	char err[512];

	need_kernel();
	fork_storm(&t, 100000);
	clock_gettime(CLOCK_MONOTONIC, &a);
	cr_assert_eq(kernel_run(&t, NULL, &res, err, sizeof(err)), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	cr_expect_str_eq(err, "storm.trace: event 513: kernel-run refuses: "
			 "513 processes at once, over the limit of 512 "
			 "(--max-procs)");
	/* refused by the check, not by running into the limit */
	cr_expect_eq(res.out.nr_ev, 0);
	cr_expect_lt(b.tv_sec - a.tv_sec, 5);
	trace_free(&t);
}

Test(kernel_run_safety, limits_are_options)
{
	struct krun_opts o = { .max_procs = 3, .no_objects = true };
	struct krun_result res;
	struct trace t;
	char err[512];

	need_kernel();
	need_range();
	fork_storm(&t, 3);
	cr_assert_eq(kernel_run(&t, &o, &res, err, sizeof(err)), -1);
	cr_expect(strstr(err, "4 processes at once, over the limit of 3"),
		  "%s", err);
	o.max_procs = 4;
	cr_assert_eq(kernel_run(&t, &o, &res, err, sizeof(err)), 0, "%s",
		     err);
	krun_result_free(&res);
	trace_free(&t);
}

Test(kernel_run_safety, memory_and_destructive_advice)
{
	struct krun_opts o = { .max_mem = 1 << 20, .no_objects = true };
	struct krun_result res;
	struct trace_event *ev;
	struct trace t;
	char err[512];

	need_kernel();
	fork_storm(&t, 0);
	t.ev[0].len = 2 << 20;
	cr_assert_eq(kernel_run(&t, &o, &res, err, sizeof(err)), -1);
	cr_expect(strstr(err, "a mapping of 2097152 bytes, over the memory "
			 "limit of 1048576"), "%s", err);
	t.ev[0].len = 0x1000;
	ev = trace_append(&t);
	ev->type = EV_MADVISE;
	ev->pid = 1;
	ev->addr = 0x100000000;
	ev->len = 0x1000;
	ev->advice = 100;	/* MADV_HWPOISON */
	cr_assert_eq(kernel_run(&t, &o, &res, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "storm.trace: event 2: kernel-run refuses: "
			 "madvise hwpoison takes the host's memory out of "
			 "service (--allow-destructive)");
	ev->advice = 101;	/* MADV_SOFT_OFFLINE */
	cr_assert_eq(kernel_run(&t, &o, &res, err, sizeof(err)), -1);
	cr_expect(strstr(err, "madvise soft_offline"), "%s", err);
	trace_free(&t);
}

static bool dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = false;
	closedir(d);
	return empty;
}

static bool has_entry(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool found = false;

	if (!d)
		return false;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)))
			found = true;
	closedir(d);
	return found;
}

/* SIGTERM in the middle: the controller tears everything down. */
Test(kernel_run_safety, signal_tears_down, .timeout = 60)
{
	char tmp[] = "/tmp/rmaplab-krun-sig-XXXXXX", inst[64], cg[64];
	struct trace_event *ev;
	struct trace t;
	int status, i;
	pid_t pid;

	need_kernel();
	need_range();
	cr_assert_not_null(mkdtemp(tmp));
	fork_storm(&t, 1);
	ev = trace_append(&t);	/* a file, so there is a temp file */
	*ev = t.ev[0];
	ev->addr = 0x200000000;
	ev->flags = 0x11;		/* shared, fixed */
	ev->file = trace_file_id(&t, "f1");
	for (i = 0; i < 400000; i++) {
		ev = trace_append(&t);
		ev->type = EV_FAULT;
		ev->pid = 1 + (i & 1);
		ev->addr = 0x100000000;
		ev->write = 1;
	}
	pid = fork();
	cr_assert_geq(pid, 0);
	if (!pid) {
		struct krun_opts o = { .tmpdir = tmp };
		struct krun_result res;
		char err[512];
		int ret;

		ret = kernel_run(&t, &o, &res, err, sizeof(err));
		_exit(ret == -1 && krun_interrupted() == SIGTERM &&
		      strstr(err, "interrupted by SIGTERM") ? 0 : 1);
	}
	snprintf(inst, sizeof(inst), "rmaplab-%d-", (int)pid);
	snprintf(cg, sizeof(cg), "rmaplab-krun-%d", (int)pid);
	/* wait until it runs: its tracefs instances exist */
	for (i = 0; i < 200 && !has_entry("/sys/kernel/tracing/instances",
					  inst); i++)
		usleep(20000);
	cr_assert(has_entry("/sys/kernel/tracing/instances", inst));
	cr_expect(!dir_empty(tmp), "its files are there while it runs");
	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && !WEXITSTATUS(status),
		  "kernel_run did not stop on SIGTERM (status %#x)", status);
	cr_expect(!has_entry("/sys/kernel/tracing/instances", inst));
	cr_expect(!has_entry("/sys/fs/cgroup/pids", cg));
	cr_expect(!has_entry("/sys/fs/cgroup/memory", cg));
	cr_expect(dir_empty(tmp), "temporary files left in %s", tmp);
	rmdir(tmp);
	trace_free(&t);
}
