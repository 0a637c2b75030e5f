// SPDX-License-Identifier: GPL-2.0-only
/* Text tables: the seed's form, and never wider than 80 columns. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/table.h"

/* Print @t into a string. */
static char *render(const struct table *t, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	table_print(f, t, width);
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
	struct table t;
	char *out;

	table_init(&t, 3);
	table_head(&t, 0, "Object");
	table_head(&t, 1, "classic KB");
	table_head(&t, 2, "change lazy");
	table_row(&t);
	table_cell(&t, 0, "anon_vma_chain");
	table_cell(&t, 1, "%.1f", 18865.8);
	table_cell(&t, 2, "-57.0%%");
	out = render(&t, 80);
	cr_assert_str_eq(out,
		"Object         | classic KB | change lazy\n"
		"---------------+------------+------------\n"
		"anon_vma_chain |    18865.8 |      -57.0%\n");
	free(out);
	table_free(&t);
}

Test(table, wide_table_is_split_within_80_columns)
{
	struct table t;
	char *out;
	int c;

	table_init(&t, 13);
	table_title(&t, "a title");
	table_head(&t, 0, "Object");
	for (c = 1; c < 13; c++)
		table_head(&t, c, "scheme-%d KB", c);
	table_row(&t);
	table_cell(&t, 0, "anon_vma_chain");
	for (c = 1; c < 13; c++)
		table_cell(&t, c, "%d", c * 1000);
	table_row_ruled(&t);
	table_cell(&t, 0, "total");
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
	table_free(&t);
}

Test(table, overlong_cells_are_cut)
{
	char longname[200];
	struct table t;
	char *out;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	table_init(&t, 2);
	table_head(&t, 0, "name");
	table_head(&t, 1, "value");
	table_row(&t);
	table_cell(&t, 0, "%s", longname);
	table_cell(&t, 1, "%s", longname);
	out = render(&t, 80);
	cr_assert_leq(max_line(out), 80, "%s", out);
	cr_assert(strchr(out, '~'));
	free(out);
	table_free(&t);
}

Test(table, note_wraps)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int i;

	cr_assert(f);
	for (i = 0; i < 3; i++)
		table_note(f, 40, "%s", "the quick brown fox jumps over the "
			   "lazy dog and keeps running far away");
	fclose(f);
	cr_assert_leq(max_line(buf), 40, "%s", buf);
	cr_assert(strstr(buf, "quick brown"));
	free(buf);
}

Test(table, change_format)
{
	char b[32];

	fmt_change(b, sizeof(b), 18865.8, 8112.06);
	cr_assert_str_eq(b, "-57.0%");
	fmt_change(b, sizeof(b), 100, 100);
	cr_assert_str_eq(b, "0.0%");
	fmt_change(b, sizeof(b), 0, 5);
	cr_assert_str_eq(b, "new");
	fmt_change(b, sizeof(b), 100, 0);
	cr_assert_str_eq(b, "-100.0%");
	fmt_change(b, sizeof(b), 10, 13);
	cr_assert_str_eq(b, "+30.0%");
	fmt_count(b, sizeof(b), 123456);
	cr_assert_str_eq(b, "123.5k");
}
