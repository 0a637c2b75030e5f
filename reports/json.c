// SPDX-License-Identifier: GPL-2.0-only
/* A tiny streaming JSON writer; see json.h. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "reports/json.h"

void rj_init(struct rj *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

void rj_finish(struct rj *j)
{
	fputc('\n', j->f);
}

static void indent(struct rj *j)
{
	int i;

	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

/* Separator and layout before a value or a key. */
static void before(struct rj *j)
{
	bool first;

	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->depth)
		return;
	first = j->first[j->depth];
	if (!first)
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (!j->flat[j->depth])
		indent(j);
	else if (!first)
		fputc(' ', j->f);
}

static void rj_open(struct rj *j, char c, bool flat)
{
	before(j);
	fputc(c, j->f);
	if (j->depth < RJ_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
	/* Inside a flat container everything stays flat. */
	j->flat[j->depth] = flat || j->flat[j->depth - 1];
}

static void rj_close(struct rj *j, char c)
{
	bool empty = j->first[j->depth], flat = j->flat[j->depth];

	if (j->depth)
		j->depth--;
	if (!empty && !flat)
		indent(j);
	fputc(c, j->f);
}

void rj_obj(struct rj *j)
{
	rj_open(j, '{', false);
}

void rj_obj_flat(struct rj *j)
{
	rj_open(j, '{', true);
}

void rj_obj_end(struct rj *j)
{
	rj_close(j, '}');
}

void rj_arr(struct rj *j)
{
	rj_open(j, '[', false);
}

void rj_arr_flat(struct rj *j)
{
	rj_open(j, '[', true);
}

void rj_arr_end(struct rj *j)
{
	rj_close(j, ']');
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
		case '\r':
			fputs("\\r", f);
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

void rj_key(struct rj *j, const char *key)
{
	before(j);
	put_string(j->f, key);
	fputs(": ", j->f);
	j->after_key = true;
}

void rj_str(struct rj *j, const char *s)
{
	if (!s) {
		rj_null(j);
		return;
	}
	before(j);
	put_string(j->f, s);
}

void rj_ulong(struct rj *j, unsigned long long v)
{
	before(j);
	fprintf(j->f, "%llu", v);
}

void rj_long(struct rj *j, long long v)
{
	before(j);
	fprintf(j->f, "%lld", v);
}

void rj_double(struct rj *j, double v)
{
	before(j);
	if (!isfinite(v))
		fputs("null", j->f);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(j->f, "%.0f", v);
	else
		fprintf(j->f, "%.10g", v);
}

void rj_bool(struct rj *j, bool v)
{
	before(j);
	fputs(v ? "true" : "false", j->f);
}

void rj_null(struct rj *j)
{
	before(j);
	fputs("null", j->f);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char)*s))
			s++;
	else
		return false;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return !*s;
}

void rj_number_text(struct rj *j, const char *text)
{
	const char *t = text && *text == '+' ? text + 1 : text;

	before(j);
	if (t && is_json_number(t))
		fputs(t, j->f);
	else
		fputs("null", j->f);
}

void rj_kstr(struct rj *j, const char *key, const char *s)
{
	rj_key(j, key);
	rj_str(j, s);
}

void rj_kulong(struct rj *j, const char *key, unsigned long long v)
{
	rj_key(j, key);
	rj_ulong(j, v);
}

void rj_klong(struct rj *j, const char *key, long long v)
{
	rj_key(j, key);
	rj_long(j, v);
}

void rj_kdouble(struct rj *j, const char *key, double v)
{
	rj_key(j, key);
	rj_double(j, v);
}

void rj_kbool(struct rj *j, const char *key, bool v)
{
	rj_key(j, key);
	rj_bool(j, v);
}

void rj_knumber_text(struct rj *j, const char *key, const char *text)
{
	rj_key(j, key);
	rj_number_text(j, text);
}
