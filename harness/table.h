/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fixed-width text tables for plain-text email, in the form the
 * ANON_VMA_LAZY posting used for its slab table:
 *
 *	Object         | classic KB | lazy KB | change lazy
 *	---------------+------------+---------+------------
 *	anon_vma_chain |    18865.8 |  8112.1 |      -57.0%
 *
 * The first column is left aligned, the others right aligned.  A table
 * wider than the limit is cut into several tables that each repeat the
 * first column, so no line is ever longer than the limit (80 by default,
 * what linux-mm readers expect).
 */
#ifndef RMAPLAB_HARNESS_TABLE_H
#define RMAPLAB_HARNESS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_WIDTH	80
#define TABLE_MAX_COLS	64

struct table {
	char *title;			/* printed above, may be NULL */
	int ncols;
	char *head[TABLE_MAX_COLS];
	char ***rows;			/* rows[r][c]; NULL prints empty */
	bool *rule;			/* a rule line above row r */
	size_t nr_rows, cap_rows;
};

void table_init(struct table *t, int ncols);
void table_free(struct table *t);

void table_title(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void table_head(struct table *t, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Start a row; cells of the previous row not set stay empty. */
void table_row(struct table *t);
/* Start a row with a rule line above it (totals). */
void table_row_ruled(struct table *t);
void table_cell(struct table *t, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print within @width columns (0: TABLE_WIDTH).  Returns lines printed. */
int table_print(FILE *f, const struct table *t, int width);

/* Print @text word-wrapped within @width columns (0: TABLE_WIDTH). */
void table_note(FILE *f, int width, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Helpers for cells: "-57.0%", "+3.2%", "0.0%", "new", "n/a". */
void fmt_change(char *buf, size_t len, double base, double val);
/* Counts with a k/M suffix above 99999: "12345", "123.4k", "5.6M". */
void fmt_count(char *buf, size_t len, double v);

#endif /* RMAPLAB_HARNESS_TABLE_H */
