// SPDX-License-Identifier: GPL-2.0-only
/* A small streaming JSON writer; see jsonw.h. */
#include <math.h>

#include "harness/jsonw.h"

void jw_init(struct jsonw *j, FILE *f, int compact_from)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
	j->compact_from = compact_from;
}

void jw_finish(struct jsonw *j)
{
	fputc('\n', j->f);
}

static bool compact(const struct jsonw *j)
{
	return j->compact_from > 0 && j->depth >= j->compact_from;
}

/* Separator and indentation before a value or key at this depth. */
static void before(struct jsonw *j)
{
	int i;

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (!j->depth)
		return;
	if (compact(j)) {
		fputc(' ', j->f);
		return;
	}
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputc(' ', j->f);
}

static void open_nest(struct jsonw *j, char c)
{
	before(j);
	fputc(c, j->f);
	if (j->depth < JSONW_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_nest(struct jsonw *j, char c)
{
	bool empty = j->first[j->depth];
	int i;

	if (j->depth)
		j->depth--;
	if (!empty && !compact(j)) {
		fputc('\n', j->f);
		for (i = 0; i < j->depth; i++)
			fputc(' ', j->f);
	} else if (!empty) {
		fputc(' ', j->f);
	}
	fputc(c, j->f);
}

void jw_obj(struct jsonw *j)
{
	open_nest(j, '{');
}

void jw_obj_end(struct jsonw *j)
{
	close_nest(j, '}');
}

void jw_arr(struct jsonw *j)
{
	open_nest(j, '[');
}

void jw_arr_end(struct jsonw *j)
{
	close_nest(j, ']');
}

static void put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

void jw_key(struct jsonw *j, const char *key)
{
	before(j);
	put_string(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void jw_str(struct jsonw *j, const char *s)
{
	before(j);
	put_string(j->f, s);
}

void jw_int(struct jsonw *j, long long v)
{
	before(j);
	fprintf(j->f, "%lld", v);
}

void jw_uint(struct jsonw *j, unsigned long long v)
{
	before(j);
	fprintf(j->f, "%llu", v);
}

void jw_double(struct jsonw *j, double v)
{
	before(j);
	if (!isfinite(v))
		fputs("null", j->f);
	else if (v == (double)(long long)v && fabs(v) < 1e15)
		fprintf(j->f, "%.1f", v);
	else
		fprintf(j->f, "%.10g", v);
}

void jw_bool(struct jsonw *j, bool v)
{
	before(j);
	fputs(v ? "true" : "false", j->f);
}

void jw_null(struct jsonw *j)
{
	before(j);
	fputs("null", j->f);
}

void jw_kstr(struct jsonw *j, const char *key, const char *s)
{
	jw_key(j, key);
	jw_str(j, s);
}

void jw_kint(struct jsonw *j, const char *key, long long v)
{
	jw_key(j, key);
	jw_int(j, v);
}

void jw_kuint(struct jsonw *j, const char *key, unsigned long long v)
{
	jw_key(j, key);
	jw_uint(j, v);
}

void jw_kdouble(struct jsonw *j, const char *key, double v)
{
	jw_key(j, key);
	jw_double(j, v);
}

void jw_kbool(struct jsonw *j, const char *key, bool v)
{
	jw_key(j, key);
	jw_bool(j, v);
}
