/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fixed-width text tables for a plain-text email to linux-mm.
 *
 * RT_LETTER is the form of the ANON_VMA_LAZY cover letter's slab table:
 * every cell left aligned, " | " between columns, no rule line:
 *
 *	Object         | Before (active KB) | After (active KB) | Change
 *	anon_vma_chain | 18865.8            | 8112.06           | -57.0%
 *
 * RT_RULED right-aligns all but the first column and rules the header
 * off; RT_NUMERIC is RT_RULED with the headings right aligned over their
 * numbers too, the form of `rmaplab compare` and `contend`:
 *
 *	Object         | classic KB | change lazy
 *	---------------+------------+------------
 *	anon_vma_chain |    18865.8 |      -57.0%
 *
 * RT_PLAIN is mmtests' compare-kernels layout (columns separated by
 * spaces only).  A table wider than the limit is printed as several that
 * repeat the first column, so that no line is longer than the limit; a
 * column that cannot fit beside the first is printed as a list, except in
 * RT_NUMERIC, which gives the first column at most half the line and cuts
 * longer cells with '~'.
 */
#ifndef RMAPLAB_REPORTS_TABLE_H
#define RMAPLAB_REPORTS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define RT_WIDTH	80
#define RT_MAX_COLS	64

enum rt_style {
	RT_LETTER,
	RT_RULED,
	RT_PLAIN,
	RT_NUMERIC,
};

struct rt_table {
	enum rt_style style;
	char *title;			/* above every part, may be NULL */
	int ncols;
	char *head[RT_MAX_COLS];
	char ***rows;
	bool *ruled;			/* a rule line above the row */
	size_t nr_rows, cap_rows;
};

void rt_init(struct rt_table *t, int ncols, enum rt_style style);
void rt_free(struct rt_table *t);
/* A line above the table, repeated with " (cont.)" above every part. */
void rt_title(struct rt_table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rt_head(struct rt_table *t, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void rt_row(struct rt_table *t);
void rt_row_ruled(struct rt_table *t);
void rt_cell(struct rt_table *t, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Print within @width columns (0: RT_WIDTH). */
void rt_print(FILE *f, const struct rt_table *t, int width);

/*
 * @text word-wrapped within @width columns: the first line starts with
 * @first, the others with @indent.  A word longer than a line is cut.
 */
void rt_wrap(FILE *f, int width, const char *first, const char *indent,
	     const char *text);
void rt_wrapf(FILE *f, int width, const char *first, const char *indent,
	      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "-57.0%", "+1.0%", "0.0%", "new" (from zero), "-" (both zero). */
void rt_change(char *buf, size_t len, double base, double val);

#endif /* RMAPLAB_REPORTS_TABLE_H */
