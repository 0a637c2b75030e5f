// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recorder's streamed output (recorder_opts.out): the file holds the
 * whole trace with its end block, in the same order as a recording kept
 * in memory, even when the program crashes.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/recorder/recorder.h"
#include "traces/trace.h"

static void need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("recorder tests need root (PFNs, kernel faults)");
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
}

TestSuite(recorder_output, .init = need_root, .timeout = 30);

/* Record @mode of rec_helper into a file (text or v2) and load it. */
static int record_to_file(const char *mode, bool text, struct trace *back)
{
	char *argv[] = { getenv("RMAPLAB_REC_HELPER"), (char *)mode, NULL };
	char path[] = "/tmp/rmaplab-recout-XXXXXX", err[512];
	struct recorder_opts o;
	struct trace t;
	int fd, status;

	cr_assert_not_null(argv[0]);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	recorder_opts_init(&o);
	o.quiet = true;
	o.out = fdopen(fd, "w");
	o.out_text = text;
	trace_init(&t);
	status = recorder_record(&o, argv, &t);
	cr_assert_eq(fclose(o.out), 0);
	/* what was written is forgotten: only the files table stays */
	cr_expect_eq(t.nr_ev, 0);
	cr_expect_eq(t.nr_cps, 0);
	trace_free(&t);
	cr_assert_eq(trace_load(path, back, err, sizeof(err)), 0, "%s", err);
	cr_expect(!back->incomplete);
	unlink(path);
	return status;
}

static void expect_time_order(const struct trace *t)
{
	size_t i;

	for (i = 1; i < t->nr_ev; i++)
		cr_expect_leq(t->ev[i - 1].time_ns, t->ev[i].time_ns,
			      "event %zu before event %zu in time", i + 1, i);
}

Test(recorder_output, crash_leaves_complete_file)
{
	struct trace t;
	size_t last;

	cr_assert_eq(record_to_file("crash", false, &t), 128 + SIGSEGV);
	cr_assert_gt(t.nr_ev, 2);
	last = t.nr_ev - 1;
	cr_expect_eq(t.ev[last].type, EV_EXIT, "exit is not the last event");
	cr_expect_gt(t.nr_cps, 0, "no checkpoint written");
	cr_expect_str_eq(t.hdr.clock, "monotonic");
	expect_time_order(&t);
	trace_free(&t);
}

Test(recorder_output, text_output_has_its_end_line)
{
	struct trace t;

	cr_assert_eq(record_to_file("basic", true, &t), 3);
	cr_assert_gt(t.nr_ev, 2);
	cr_expect_gt(t.nr_cps, 0);
	expect_time_order(&t);
	trace_free(&t);
}
