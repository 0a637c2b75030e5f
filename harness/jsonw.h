/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small streaming JSON writer: objects, arrays, strings, numbers.  It
 * keeps track of commas and indentation so that callers just say what
 * comes next.  Non-finite doubles are written as null (JSON has no NaN).
 */
#ifndef RMAPLAB_HARNESS_JSONW_H
#define RMAPLAB_HARNESS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSONW_MAX_DEPTH 32

struct jsonw {
	FILE *f;
	int depth;
	bool first[JSONW_MAX_DEPTH];
	bool after_key;
	int compact_from;		/* depth printed on one line */
};

/* @compact_from: nesting depth printed on one line (0: never). */
void jw_init(struct jsonw *j, FILE *f, int compact_from);
/* Ends the document with a newline. */
void jw_finish(struct jsonw *j);

void jw_obj(struct jsonw *j);
void jw_obj_end(struct jsonw *j);
void jw_arr(struct jsonw *j);
void jw_arr_end(struct jsonw *j);
void jw_key(struct jsonw *j, const char *key);

void jw_str(struct jsonw *j, const char *s);
void jw_int(struct jsonw *j, long long v);
void jw_uint(struct jsonw *j, unsigned long long v);
void jw_double(struct jsonw *j, double v);
void jw_bool(struct jsonw *j, bool v);
void jw_null(struct jsonw *j);

/* "key": value shorthands. */
void jw_kstr(struct jsonw *j, const char *key, const char *s);
void jw_kint(struct jsonw *j, const char *key, long long v);
void jw_kuint(struct jsonw *j, const char *key, unsigned long long v);
void jw_kdouble(struct jsonw *j, const char *key, double v);
void jw_kbool(struct jsonw *j, const char *key, bool v);

#endif /* RMAPLAB_HARNESS_JSONW_H */
