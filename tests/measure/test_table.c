// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare's text tables (reports/table.h, RT_NUMERIC): the seed's form,
 * and never wider than 80 columns.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports/table.h"

/* Print @t into a string. */
static char *render(const struct rt_table *t, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	rt_print(f, t, width);
	fclose(f);
	return buf;
}

static int max_line(const char *s)
{
	int max = 0, n = 0;

	for (; *s; s++) {
		if (*s == '\n') {
			n = 0;
			continue;
		}
		if (++n > max)
			max = n;
	}
	return max;
}

Test(table, seed_form)
{
	struct rt_table t;
	char *out;

	rt_init(&t, 3, RT_NUMERIC);
	rt_head(&t, 0, "Object");
	rt_head(&t, 1, "classic KB");
	rt_head(&t, 2, "change lazy");
	rt_row(&t);
	rt_cell(&t, 0, "anon_vma_chain");
	rt_cell(&t, 1, "%.1f", 18865.8);
	rt_cell(&t, 2, "-57.0%%");
	out = render(&t, 80);
	cr_assert_str_eq(out,
		"Object         | classic KB | change lazy\n"
		"---------------+------------+------------\n"
		"anon_vma_chain |    18865.8 |      -57.0%\n");
	free(out);
	rt_free(&t);
}

Test(table, wide_table_is_split_within_80_columns)
{
	struct rt_table t;
	char *out;
	int c;

	rt_init(&t, 13, RT_NUMERIC);
	rt_title(&t, "a title");
	rt_head(&t, 0, "Object");
	for (c = 1; c < 13; c++)
		rt_head(&t, c, "scheme-%d KB", c);
	rt_row(&t);
	rt_cell(&t, 0, "anon_vma_chain");
	for (c = 1; c < 13; c++)
		rt_cell(&t, c, "%d", c * 1000);
	rt_row_ruled(&t);
	rt_cell(&t, 0, "total");
	out = render(&t, 80);
	cr_assert_leq(max_line(out), 80, "%s", out);
	/* Every column still shows, and the label repeats per part. */
	for (c = 1; c < 13; c++) {
		char want[32];

		snprintf(want, sizeof(want), "scheme-%d KB", c);
		cr_assert(strstr(out, want), "missing %s", want);
	}
	cr_assert(strstr(out, "a title (cont.)"));
	free(out);
	rt_free(&t);
}

Test(table, overlong_cells_are_cut)
{
	char longname[200];
	struct rt_table t;
	char *out;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	rt_init(&t, 2, RT_NUMERIC);
	rt_head(&t, 0, "name");
	rt_head(&t, 1, "value");
	rt_row(&t);
	rt_cell(&t, 0, "%s", longname);
	rt_cell(&t, 1, "%s", longname);
	out = render(&t, 80);
	cr_assert_leq(max_line(out), 80, "%s", out);
	cr_assert(strchr(out, '~'));
	free(out);
	rt_free(&t);
}

Test(table, note_wraps)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	cr_assert(f);
	for (i = 0; i < 3; i++)
		rt_wrap(f, 40, "", "", "the quick brown fox jumps over the "
			"lazy dog and keeps running far away");
	fclose(f);
	cr_assert_leq(max_line(buf), 40, "%s", buf);
	cr_assert(strstr(buf, "quick brown"));
	free(buf);
}

Test(table, change_format)
{
	char b[32];

	rt_change(b, sizeof(b), 18865.8, 8112.06);
	cr_assert_str_eq(b, "-57.0%");
	rt_change(b, sizeof(b), 100, 100);
	cr_assert_str_eq(b, "0.0%");
	rt_change(b, sizeof(b), 0, 5);
	cr_assert_str_eq(b, "new");
	rt_change(b, sizeof(b), 100, 0);
	cr_assert_str_eq(b, "-100.0%");
	rt_change(b, sizeof(b), 10, 13);
	cr_assert_str_eq(b, "+30.0%");
}
