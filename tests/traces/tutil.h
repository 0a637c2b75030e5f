/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the trace-format tests. */
#ifndef RMAPLAB_TESTS_TRACES_TUTIL_H
#define RMAPLAB_TESTS_TRACES_TUTIL_H

#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/trace.h"

#define NR_VECTORS 30
#define FIRST_VECTOR 1001

/* Parse @text as the file "t.trace"; returns trace_parse_text()'s value. */
static inline int parse_str(const char *text, struct trace *t, char *err,
			    size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text) ? strlen(text) : 1,
			   "r");
	int ret;

	if (!f)
		return -2;
	if (!strlen(text))
		fgetc(f);
	ret = trace_parse_text(f, "t.trace", t, err, errlen);
	fclose(f);
	return ret;
}

/* Path of a bundled kernel vector: @ext is "trace" or "expected". */
static inline void vector_path(char *buf, size_t len, int n, const char *ext)
{
	const char *src = getenv("RMAPLAB_SRCDIR");

	snprintf(buf, len, "%s/tests/data/kernel-vectors/random-%d.%s",
		 src ? src : ".", n, ext);
}

/*
 * Whole output of a writer, malloc'd; *@len gets its size.  Not inlined:
 * gcc's -Wdangling-pointer misreads open_memstream()'s buffer pointer.
 */
static __attribute__((noinline, unused))
char *write_text(const struct trace *t, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	trace_write_text(m, t);
	fclose(m);
	if (len)
		*len = n;
	return buf;
}

static __attribute__((noinline, unused))
char *write_with(int (*writer)(FILE *, const struct trace *),
		 const struct trace *t, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	writer(m, t);
	fclose(m);
	*len = n;
	return buf;
}

/* Binary, version 2 (what rmaplab writes). */
static inline char *write_binary(const struct trace *t, size_t *len)
{
	return write_with(trace_write_binary, t, len);
}

/* The version 1 writer, for the tests that keep v1 files readable. */
static inline char *write_binary_v1(const struct trace *t, size_t *len)
{
	return write_with(trace_write_binary_v1, t, len);
}

#endif /* RMAPLAB_TESTS_TRACES_TUTIL_H */
