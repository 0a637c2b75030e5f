/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel-run: execute a text trace on the running kernel, one real process
 * per PID label, every event at its exact address, and record what the
 * kernel did (results, folio orders, end state, anon_vma object counts).
 * The method is described in traces/KERNEL_RUN.md.
 */
#ifndef RMAPLAB_TRACES_KERNEL_RUN_H
#define RMAPLAB_TRACES_KERNEL_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "traces/trace.h"

struct krun_opts {
	bool every_event;	/* checkpoint after every event */
	bool no_objects;	/* do not count anon_vma objects (no tracefs) */
	const char *tmpdir;	/* where file=NAME files go; NULL: $TMPDIR */
	FILE *warn;		/* result mismatches; NULL: stderr */
	/* limits, refused before anything runs (traces/KERNEL_RUN.md) */
	unsigned long max_procs;	/* alive at once; 0: 512 */
	uint64_t max_mem;	/* mapped, populated; 0: MemAvailable/2 */
	bool allow_destructive;	/* madvise hwpoison, soft_offline */
};

#define KRUN_DEFAULT_MAX_PROCS 512

/*
 * The signal (SIGINT, SIGTERM, SIGHUP) that stopped the last kernel_run()
 * (it returned -1 after its teardown), else 0.  The caller re-raises it.
 */
int krun_interrupted(void);

/* An event the kernel refused to execute (a fault that would kill). */
struct krun_skip {
	size_t before;		/* index in out.ev this one preceded */
	struct trace_event ev;	/* file index into out.files */
	char why[24];		/* "err segv", "err sigbus" */
};

struct krun_result {
	struct trace out;	/* events with results, final checkpoint */
	struct krun_skip *skips;
	size_t nr_skips;
};

/*
 * Check that this process may run traces on the kernel: root, and (unless
 * @objects is false) tracefs mounted with the kmem tracepoints.  Returns 0
 * or -1 with one line in @err saying what to do.
 */
int krun_check_env(bool objects, char *err, size_t errlen);

/*
 * The running kernel's release as a trace records it (kernel-run and
 * record): uname -r, with the upstream release first where uname -r
 * hides the stable sublevel.
 */
void krun_release(char *buf, size_t len);

/*
 * Run @in on the kernel.  @res is initialised here.  On error returns -1
 * with one line in @err ("FILE:LINE: what" for a bad trace), every process
 * it started killed and reaped; res is then empty.
 */
int kernel_run(const struct trace *in, const struct krun_opts *o,
	       struct krun_result *res, char *err, size_t errlen);
void krun_result_free(struct krun_result *res);

/*
 * A batch of kernel_run() calls (kernel-run --generate): the tracefs
 * instances that count objects are made once and reused, and SIGINT,
 * SIGTERM and SIGHUP stay caught between the runs.  Call
 * kernel_run_batch_end() after every begin: it removes the instances and
 * returns -1 with the error line when a signal stopped the batch
 * (krun_interrupted() says which; the caller re-raises it).  Before each
 * run, krun_interrupted() says whether to go on.
 */
void kernel_run_batch_begin(void);
int kernel_run_batch_end(char *err, size_t errlen);

/* The result as a text trace, with skipped events as "# skipped" lines. */
int krun_write_text(FILE *f, const struct krun_result *res);

/* The last checkpoint of @res, or NULL when it has none. */
const struct trace_checkpoint *krun_final(const struct krun_result *res);

#endif /* RMAPLAB_TRACES_KERNEL_RUN_H */
