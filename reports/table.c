// SPDX-License-Identifier: GPL-2.0-only
/* Fixed-width text tables; see table.h. */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reports/table.h"

static char *vfmt(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	return s;
}

void rt_init(struct rt_table *t, int ncols, enum rt_style style)
{
	memset(t, 0, sizeof(*t));
	if (ncols > RT_MAX_COLS)
		ncols = RT_MAX_COLS;
	if (ncols < 1)
		ncols = 1;
	t->ncols = ncols;
	t->style = style;
}

void rt_free(struct rt_table *t)
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
	free(t->ruled);
	free(t->title);
	memset(t, 0, sizeof(*t));
}

void rt_title(struct rt_table *t, const char *fmt, ...)
{
	va_list ap;

	free(t->title);
	va_start(ap, fmt);
	t->title = vfmt(fmt, ap);
	va_end(ap);
}

void rt_head(struct rt_table *t, int col, const char *fmt, ...)
{
	va_list ap;

	if (col < 0 || col >= t->ncols)
		return;
	free(t->head[col]);
	va_start(ap, fmt);
	t->head[col] = vfmt(fmt, ap);
	va_end(ap);
}

static void add_row(struct rt_table *t, bool ruled)
{
	if (t->nr_rows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? 2 * t->cap_rows : 16;
		t->rows = realloc(t->rows, t->cap_rows * sizeof(*t->rows));
		t->ruled = realloc(t->ruled, t->cap_rows * sizeof(*t->ruled));
		if (!t->rows || !t->ruled)
			abort();
	}
	t->rows[t->nr_rows] = calloc(t->ncols, sizeof(char *));
	if (!t->rows[t->nr_rows])
		abort();
	t->ruled[t->nr_rows] = ruled;
	t->nr_rows++;
}

void rt_row(struct rt_table *t)
{
	add_row(t, false);
}

void rt_row_ruled(struct rt_table *t)
{
	add_row(t, true);
}

void rt_cell(struct rt_table *t, int col, const char *fmt, ...)
{
	char **cell;
	va_list ap;

	if (!t->nr_rows || col < 0 || col >= t->ncols)
		return;
	cell = &t->rows[t->nr_rows - 1][col];
	free(*cell);
	va_start(ap, fmt);
	*cell = vfmt(fmt, ap);
	va_end(ap);
}

static int slen(const char *s)
{
	return s ? (int)strlen(s) : 0;
}

static const char *sep(const struct rt_table *t)
{
	return t->style == RT_PLAIN ? "  " : " | ";
}

/* One line of the columns @cols (the first always column 0). */
static void print_line(FILE *f, const struct rt_table *t,
		       char *const *cells,
		       const int *cols, int n, const int *w, bool head)
{
	char line[1024];
	size_t len = 0;
	int i, c, pad;
	const char *s;

	for (i = 0; i < n; i++) {
		c = cols[i];
		s = cells[c] ? cells[c] : "";
		if (i)
			len += snprintf(line + len, sizeof(line) - len, "%s",
					sep(t));
		pad = w[c] - slen(s);
		/* Narrower than its cells: RT_NUMERIC's overlong cells. */
		if (pad < 0)
			len += snprintf(line + len, sizeof(line) - len,
					"%.*s~", w[c] > 0 ? w[c] - 1 : 0, s);
		/* Left: the first column, every cell of a letter table. */
		else if (!c || t->style == RT_LETTER || (head && t->style ==
							 RT_RULED))
			len += snprintf(line + len, sizeof(line) - len,
					"%s%*s", s, pad, "");
		else
			len += snprintf(line + len, sizeof(line) - len,
					"%*s%s", pad, "", s);
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
	}
	while (len && line[len - 1] == ' ')
		len--;
	line[len] = '\0';
	fprintf(f, "%s\n", line);
}

static void print_rule(FILE *f, const struct rt_table *t, const int *cols,
		       int n, const int *w)
{
	int i, k;

	for (i = 0; i < n; i++) {
		if (i)
			fputs(t->style == RT_PLAIN ? "  " : "-+-", f);
		for (k = 0; k < w[cols[i]]; k++)
			fputc('-', f);
	}
	fputc('\n', f);
}

/* Column @c as a list, "first cell: value", for names too long. */
static void print_list(FILE *f, const struct rt_table *t, int c,
		       int width)
{
	size_t r;

	if (t->head[c])
		rt_wrapf(f, width, "", "  ", "%s:", t->head[c]);
	for (r = 0; r < t->nr_rows; r++)
		rt_wrapf(f, width, "  ", "    ", "%s: %s",
			 t->rows[r][0] ? t->rows[r][0] : "",
			 t->rows[r][c] ? t->rows[r][c] : "");
}

void rt_print(FILE *f, const struct rt_table *t, int width)
{
	int w[RT_MAX_COLS] = { 0 }, cols[RT_MAX_COLS], c, n, used, seplen;
	bool any_head = false, cont = false;
	size_t r;

	if (!width)
		width = RT_WIDTH;
	seplen = (int)strlen(sep(t));
	for (c = 0; c < t->ncols; c++) {
		w[c] = slen(t->head[c]);
		any_head |= t->head[c] != NULL;
		for (r = 0; r < t->nr_rows; r++)
			if (slen(t->rows[r][c]) > w[c])
				w[c] = slen(t->rows[r][c]);
	}
	if (t->style == RT_NUMERIC) {
		/* The first column may take half the line, a value the rest. */
		if (w[0] > width / 2)
			w[0] = width / 2;
		for (c = 1; c < t->ncols; c++)
			if (w[c] > width - w[0] - seplen)
				w[c] = width - w[0] - seplen;
	}
	c = 1;
	do {
		/* As many columns as fit beside the first. */
		cols[0] = 0;
		n = 1;
		used = w[0];
		while (c < t->ncols &&
		       (n == 1 || used + seplen + w[c] <= width)) {
			used += seplen + w[c];
			cols[n++] = c++;
		}
		if (cont)
			fputc('\n', f);
		if (t->title)
			fprintf(f, "%.*s%s\n", width - 8, t->title,
				cont ? " (cont.)" : "");
		cont = true;
		if (n == 2 && used > width) {
			/* Not even one column fits beside the first. */
			print_list(f, t, cols[1], width);
			continue;
		}
		if (any_head) {
			print_line(f, t, t->head, cols, n, w, true);
			if (t->style == RT_RULED || t->style == RT_NUMERIC)
				print_rule(f, t, cols, n, w);
		}
		for (r = 0; r < t->nr_rows; r++) {
			if (t->ruled[r])
				print_rule(f, t, cols, n, w);
			print_line(f, t, t->rows[r], cols, n, w, false);
		}
	} while (c < t->ncols);
}

void rt_wrap(FILE *f, int width, const char *first, const char *indent,
	     const char *text)
{
	const char *p = text, *lead = first;
	int col, wl, room;

	if (!width)
		width = RT_WIDTH;
	while (*p == ' ')
		p++;
	fputs(lead, f);
	col = (int)strlen(lead);
	if (!*p) {
		fputc('\n', f);
		return;
	}
	while (*p) {
		wl = (int)strcspn(p, " ");
		if (col > (int)strlen(lead) && col + 1 + wl > width) {
			fputc('\n', f);
			lead = indent;
			fputs(lead, f);
			col = (int)strlen(lead);
		} else if (col > (int)strlen(lead)) {
			fputc(' ', f);
			col++;
		}
		/* A word longer than a whole line: cut it. */
		room = width - col;
		if (room < 1)
			room = 1;
		while (wl > room) {
			fprintf(f, "%.*s\n%s", room, p, indent);
			p += room;
			wl -= room;
			lead = indent;
			col = (int)strlen(indent);
			room = width - col > 0 ? width - col : 1;
		}
		fprintf(f, "%.*s", wl, p);
		col += wl;
		p += wl;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

void rt_wrapf(FILE *f, int width, const char *first, const char *indent,
	      const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	rt_wrap(f, width, first, indent, s);
	free(s);
}

void rt_change(char *buf, size_t len, double base, double val)
{
	if (isnan(base) || isnan(val)) {
		snprintf(buf, len, "n/a");
		return;
	}
	if (base == 0) {
		snprintf(buf, len, val == 0 ? "-" : "new");
		return;
	}
	snprintf(buf, len, "%+.1f%%", 100.0 * (val - base) / base);
	if (!strcmp(buf, "+0.0%") || !strcmp(buf, "-0.0%"))
		snprintf(buf, len, "0.0%%");
}
