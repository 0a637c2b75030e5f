// SPDX-License-Identifier: GPL-2.0-only
/*
 * `rmaplab check` as a command: exit status, summary lines, the minimal
 * trace it writes.  cmd_check() is linked in directly.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/cmds.h"
#include "hutil.h"

static char out_path[] = "/tmp/rmaplab-check-out-XXXXXX";
static char min_path[] = "/tmp/rmaplab-check-min-XXXXXX";

static void setup(void)
{
	int fd = mkstemp(out_path);

	cr_assert_geq(fd, 0);
	close(fd);
	fd = mkstemp(min_path);
	cr_assert_geq(fd, 0);
	close(fd);
	unlink(min_path);
}

static void teardown(void)
{
	unlink(out_path);
	unlink(min_path);
}

TestSuite(cli, .init = setup, .fini = teardown);

/* Run `rmaplab check ARGS...`; its stdout in *out (caller frees). */
static int run(char **out, const char *const *args)
{
	return hutil_run_cmd(cmd_check, "check", out_path, out, args);
}

static const char *adv(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/tests/adversarial/%s.trace",
		 srcdir(), name);
	return path;
}

Test(cli, passes_with_summary)
{
	const char *args[] = { "--scheme", "classic", "--scheme", "cowctx",
			       NULL, NULL };
	char *out;

	args[4] = adv("parent-cow");
	cr_expect_eq(run(&out, args), 0, "%s", out);
	cr_expect(strstr(out, "parent-cow.trace classic: 9 events, 1 "
			 "checkpoints, "), "%s", out);
	cr_expect(strstr(out, "parent-cow.trace cowctx: 9 events, 1 "
			 "checkpoints, "), "%s", out);
	cr_expect(strstr(out, " 0 mismatches ok\n"), "%s", out);
	cr_expect(strstr(out, "parent-cow.trace objects: classic anon_vma "),
		  "%s", out);
	free(out);
}

Test(cli, poc_fails_and_minimises)
{
	const char *args[] = { "--scheme", "cowctx:poc", "--every-event",
			       "--minimise-out", min_path, NULL, NULL };
	struct trace t;
	char err[512], *out;

	args[5] = adv("parent-cow");
	cr_expect_eq(run(&out, args), 1, "%s", out);
	cr_expect(strstr(out, " mismatches FAIL\n"), "%s", out);
	cr_expect(strstr(out, "first disagreement: cowctx:poc miss: "), "%s",
		  out);
	cr_expect(strstr(out, "# reproduces: cowctx:poc miss: "), "%s", out);
	free(out);
	trace_init(&t);
	cr_assert_eq(trace_load(min_path, &t, err, sizeof(err)), 0, "%s", err);
	/* mmap, fault, fork, the parent's write */
	cr_expect_eq(t.nr_ev, 4, "%zu events", t.nr_ev);
	trace_free(&t);
}

Test(cli, bad_input_is_status_2)
{
	const char *missing[] = { "/nonexistent.trace", NULL };
	const char *scheme[] = { "--scheme", "nosuch", NULL, NULL };
	const char *params[] = { "--scheme", "classic:nosuch=1", NULL, NULL };
	char *out;

	cr_expect_eq(run(&out, missing), 2);
	free(out);
	scheme[2] = adv("parent-cow");
	cr_expect_eq(run(&out, scheme), 2);
	free(out);
	params[2] = adv("parent-cow");
	cr_expect_eq(run(&out, params), 2);
	cr_expect(strstr(out, "error: scheme failed to initialise"), "%s",
		  out);
	free(out);
}

Test(cli, random_catches_broken_fork)
{
	const char *args[] = { "--random", "200", "--seed", "1", "--scheme",
			       "classic:bug=skip_fork_avc", "--minimise-out",
			       min_path, NULL };
	struct trace t;
	char err[512], *out;

	cr_expect_eq(run(&out, args), 1, "%s", out);
	cr_expect(strstr(out, "random: "), "%s", out);
	free(out);
	trace_init(&t);
	cr_assert_eq(trace_load(min_path, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect_leq(t.nr_ev, 10);
	trace_free(&t);
}
