// SPDX-License-Identifier: GPL-2.0-only
/* Fixed-width text tables; see table.h. */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "harness/table.h"

static char *vfmt(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

void table_init(struct table *t, int ncols)
{
	memset(t, 0, sizeof(*t));
	if (ncols > TABLE_MAX_COLS)
		ncols = TABLE_MAX_COLS;
	t->ncols = ncols;
}

void table_free(struct table *t)
{
	size_t r;
	int c;

	for (r = 0; r < t->nr_rows; r++) {
		for (c = 0; c < t->ncols; c++)
			free(t->rows[r][c]);
		free(t->rows[r]);
	}
	for (c = 0; c < t->ncols; c++)
		free(t->head[c]);
	free(t->rows);
	free(t->rule);
	free(t->title);
	memset(t, 0, sizeof(*t));
}

void table_title(struct table *t, const char *fmt, ...)
{
	va_list ap;

	free(t->title);
	va_start(ap, fmt);
	t->title = vfmt(fmt, ap);
	va_end(ap);
}

void table_head(struct table *t, int col, const char *fmt, ...)
{
	va_list ap;

	if (col < 0 || col >= t->ncols)
		return;
	free(t->head[col]);
	va_start(ap, fmt);
	t->head[col] = vfmt(fmt, ap);
	va_end(ap);
}

static void add_row(struct table *t, bool rule)
{
	if (t->nr_rows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? 2 * t->cap_rows : 16;
		t->rows = realloc(t->rows, t->cap_rows * sizeof(*t->rows));
		t->rule = realloc(t->rule, t->cap_rows * sizeof(*t->rule));
		if (!t->rows || !t->rule)
			abort();
	}
	t->rows[t->nr_rows] = calloc(t->ncols ? t->ncols : 1, sizeof(char *));
	if (!t->rows[t->nr_rows])
		abort();
	t->rule[t->nr_rows] = rule;
	t->nr_rows++;
}

void table_row(struct table *t)
{
	add_row(t, false);
}

void table_row_ruled(struct table *t)
{
	add_row(t, true);
}

void table_cell(struct table *t, int col, const char *fmt, ...)
{
	char **row;
	va_list ap;

	if (!t->nr_rows || col < 0 || col >= t->ncols)
		return;
	row = t->rows[t->nr_rows - 1];
	free(row[col]);
	va_start(ap, fmt);
	row[col] = vfmt(fmt, ap);
	va_end(ap);
}

/* Print @s in exactly @w columns; cut with '~' when longer. */
static void put_cell(FILE *f, const char *s, int w, bool right)
{
	int n = s ? (int)strlen(s) : 0;

	if (!s)
		s = "";
	if (n > w) {
		fprintf(f, "%.*s~", w > 0 ? w - 1 : 0, s);
		return;
	}
	if (right)
		fprintf(f, "%*s", w, s);
	else
		fprintf(f, "%-*s", w, s);
}

static void put_rule(FILE *f, const int *w, const int *cols, int n)
{
	int i, k;

	for (i = 0; i < n; i++) {
		int len = w[cols[i]] + (i ? 2 : 1);

		if (i == n - 1 && i)
			len--;
		if (i)
			fputc('+', f);
		for (k = 0; k < len; k++)
			fputc('-', f);
	}
	fputc('\n', f);
}

static void put_line(FILE *f, char *const *cells, const int *w,
		     const int *cols, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i)
			fputs(" | ", f);
		/* A one-column line needs no padding after its text. */
		if (n == 1) {
			const char *s = cells[0] ? cells[0] : "";
			int len = (int)strlen(s);

			put_cell(f, s, len < w[0] ? len : w[0], false);
			continue;
		}
		put_cell(f, cells[cols[i]], w[cols[i]], i > 0);
	}
	fputc('\n', f);
}

int table_print(FILE *f, const struct table *t, int width)
{
	int w[TABLE_MAX_COLS] = { 0 }, cols[TABLE_MAX_COLS] = { 0 };
	int c, n, next, lines = 0, part = 0, limit;
	size_t r;

	if (!t->ncols)
		return 0;
	if (width <= 0)
		width = TABLE_WIDTH;
	for (c = 0; c < t->ncols; c++) {
		w[c] = t->head[c] ? (int)strlen(t->head[c]) : 0;
		for (r = 0; r < t->nr_rows; r++)
			if (t->rows[r][c] && (int)strlen(t->rows[r][c]) > w[c])
				w[c] = (int)strlen(t->rows[r][c]);
	}
	/* The label column may take half the line, a value the rest. */
	if (w[0] > width / 2)
		w[0] = width / 2;
	limit = width - w[0] - 3;
	for (c = 1; c < t->ncols; c++)
		if (w[c] > limit)
			w[c] = limit;

	next = 1;
	do {
		int len = w[0];

		n = 0;
		cols[n++] = 0;
		while (next < t->ncols &&
		       (n == 1 || len + 3 + w[next] <= width)) {
			len += 3 + w[next];
			cols[n++] = next++;
		}
		if (part)
			fputc('\n', f);
		if (t->title) {
			fprintf(f, "%.*s%s\n", width - 8, t->title,
				part ? " (cont.)" : "");
			lines++;
		}
		put_line(f, (char *const *)t->head, w, cols, n);
		put_rule(f, w, cols, n);
		lines += 2;
		for (r = 0; r < t->nr_rows; r++) {
			if (t->rule[r]) {
				put_rule(f, w, cols, n);
				lines++;
			}
			put_line(f, t->rows[r], w, cols, n);
			lines++;
		}
		part++;
	} while (next < t->ncols);
	return lines;
}

void table_note(FILE *f, int width, const char *fmt, ...)
{
	const char *p, *word;
	int col = 0, n;
	va_list ap;
	char *s;

	if (width <= 0)
		width = TABLE_WIDTH;
	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	for (p = s; *p; ) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && *p != ' ')
			p++;
		n = (int)(p - word);
		if (col && col + 1 + n > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col) {
			fputc(' ', f);
			col++;
		}
		fwrite(word, 1, n, f);
		col += n;
	}
	if (col)
		fputc('\n', f);
	free(s);
}

void fmt_change(char *buf, size_t len, double base, double val)
{
	if (isnan(base) || isnan(val)) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (base == 0) {
		snprintf(buf, len, val == 0 ? "0.0%%" : "new");
		return;
	}
	snprintf(buf, len, "%+.1f%%", 100.0 * (val - base) / base);
	/* "+0.0%" and "-0.0%" say no change; print it plainly. */
	if (!strcmp(buf, "+0.0%") || !strcmp(buf, "-0.0%"))
		snprintf(buf, len, "0.0%%");
}

void fmt_count(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "n/a");
	else if (fabs(v) < 100000)
		snprintf(buf, len, "%.0f", v);
	else if (fabs(v) < 100000000)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.1fM", v / 1e6);
}
