/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small helpers shared by the harness tests: where the test data lives,
 * loading a trace with its .expected end state, hand-built traces.
 */
#ifndef RMAPLAB_TESTS_HARNESS_HUTIL_H
#define RMAPLAB_TESTS_HARNESS_HUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/check.h"
#include "tests/common/slurp.h"
#include "traces/expected.h"
#include "traces/trace.h"

static inline const char *srcdir(void)
{
	const char *s = getenv("RMAPLAB_SRCDIR");

	return s && *s ? s : ".";
}

/* @t from $RMAPLAB_SRCDIR/@rel, with its .expected when there is one. */
static inline void load_with_expected(struct trace *t, const char *rel)
{
	char path[4096], exp[4096], err[512];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	trace_init(t);
	cr_assert_eq(trace_load(path, t, err, sizeof(err)), 0, "%s", err);
	n = strlen(path);
	if (n > 6 && !strcmp(path + n - 6, ".trace")) {
		snprintf(exp, sizeof(exp), "%.*s.expected", (int)(n - 6),
			 path);
		if (!access(exp, R_OK))
			cr_assert_eq(trace_append_expected(t, exp, err,
							   sizeof(err)), 0,
				     "%s", err);
	}
}

/* A trace from text lines (the text grammar), named @name. */
static inline void parse_text(struct trace *t, const char *name,
			      const char *text)
{
	char err[512];
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	cr_assert(f);
	trace_init(t);
	cr_assert_eq(trace_parse_text(f, name, t, err, sizeof(err)), 0,
		     "%s", err);
	fclose(f);
}

static inline struct check_result check1(const struct trace *t,
					 const char *scheme,
					 const struct check_opts *o)
{
	struct check_result res;

	cr_assert_eq(check_trace(t, &scheme, 1, o, &res), 0, "%s",
		     res.error);
	return res;
}

/*
 * Run the command function @fn as `rmaplab NAME ARGS...` (ARGS
 * NULL-terminated) with stdout in the file @tmp; its stdout in *out
 * (caller frees), its exit status returned.
 */
static inline int hutil_run_cmd(int (*fn)(int, char **), const char *name,
				const char *tmp, char **out,
				const char *const *args)
{
	char *argv[32];
	int argc = 0, rc;

	argv[argc++] = (char *)name;
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	fflush(stdout);
	cr_assert(freopen(tmp, "w", stdout));
	rc = fn(argc, argv);
	fflush(stdout);
	cr_assert(freopen("/dev/null", "w", stdout));
	*out = slurp(tmp, NULL);
	return rc;
}

/* hutil_run_cmd() with a temporary file of its own. */
static inline int run_cmd(int (*cmd)(int, char **), const char *name,
			  char **out, const char *const *args)
{
	char path[] = "/tmp/rmaplab-cmd-out-XXXXXX";
	int fd = mkstemp(path), rc;

	cr_assert_geq(fd, 0);
	close(fd);
	rc = hutil_run_cmd(cmd, name, path, out, args);
	unlink(path);
	return rc;
}

#endif /* RMAPLAB_TESTS_HARNESS_HUTIL_H */
