/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading a whole file, or the rest of a stream (a redirected stdout), in
 * one NUL-terminated buffer the caller frees; a test fails if the file
 * cannot be opened.
 */
#ifndef RMAPLAB_TESTS_COMMON_SLURP_H
#define RMAPLAB_TESTS_COMMON_SLURP_H

#include <stdio.h>
#include <stdlib.h>

#include <criterion/criterion.h>

/* The rest of @f; *@len (if not NULL) gets its size. */
static inline char *slurp_stream(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	for (;;) {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 65536;
			buf = realloc(buf, cap + 1);
			cr_assert(buf);
		}
		got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* The whole of @path; *@len (if not NULL) gets its size. */
static inline char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;

	cr_assert(f, "cannot open %s", path);
	buf = slurp_stream(f, len);
	fclose(f);
	return buf;
}

#endif /* RMAPLAB_TESTS_COMMON_SLURP_H */
