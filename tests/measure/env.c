// SPDX-License-Identifier: GPL-2.0-only
/* Shared helpers of the measurement tests; see env.h. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

void load_text(struct trace *t, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char err[512];

	cr_assert(f);
	trace_init(t);
	cr_assert_eq(trace_parse_text(f, "test.trace", t, err, sizeof(err)),
		     0, "%s", err);
	fclose(f);
}

void measure_text(const char *text, const char *scheme,
		  struct measure_result *res)
{
	struct measure_opts o = { .walk_repeat = 1 };
	struct errbuf err;
	struct trace t;

	load_text(&t, text);
	cr_assert_eq(measure_trace(&t, scheme, &o, res, &err), 0, "%s: %s",
		     scheme, err.msg);
	trace_free(&t);
}

long live_of(const struct measure_result *r, const char *name)
{
	int i = acct_find(&r->acct, name);

	return i < 0 ? -1 : r->acct.cls[i].live;
}

long peak_of(const struct measure_result *r, const char *name)
{
	int i = acct_find(&r->acct, name);

	return i < 0 ? -1 : r->acct.cls[i].peak;
}

const char *write_temp(const char *text, const char *suffix)
{
	static char path[256];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/rmaplab-measure-XXXXXX%s",
		 suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	return path;
}
