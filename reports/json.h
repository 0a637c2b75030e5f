/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one streaming JSON writer (report.json, and compare's and contend's
 * --json): objects are indented one member per line, a container opened
 * flat stays on one line with all it holds.  The caller says what comes
 * next; commas and indentation are kept here.  Non-finite numbers are
 * written as null, since JSON has no NaN.
 */
#ifndef RMAPLAB_REPORTS_JSON_H
#define RMAPLAB_REPORTS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define RJ_MAX_DEPTH 32

struct rj {
	FILE *f;
	int depth;
	bool first[RJ_MAX_DEPTH];
	bool flat[RJ_MAX_DEPTH];	/* this level stays on one line */
	bool after_key;
};

void rj_init(struct rj *j, FILE *f);
/* Ends the document with a newline. */
void rj_finish(struct rj *j);

void rj_obj(struct rj *j);
/* An object on one line (a table row, a small record). */
void rj_obj_flat(struct rj *j);
void rj_obj_end(struct rj *j);
void rj_arr(struct rj *j);
/* An array on one line (numbers, short strings). */
void rj_arr_flat(struct rj *j);
void rj_arr_end(struct rj *j);
void rj_key(struct rj *j, const char *key);

/* null for a NULL @s */
void rj_str(struct rj *j, const char *s);
/* Integers are taken as long long so that 64-bit counters stay whole. */
void rj_ulong(struct rj *j, unsigned long long v);
void rj_long(struct rj *j, long long v);
void rj_double(struct rj *j, double v);
void rj_bool(struct rj *j, bool v);
void rj_null(struct rj *j);
/* A number as already formatted ("4.80469", "-57.0"); null if not one. */
void rj_number_text(struct rj *j, const char *text);

void rj_kstr(struct rj *j, const char *key, const char *s);
void rj_kulong(struct rj *j, const char *key, unsigned long long v);
void rj_klong(struct rj *j, const char *key, long long v);
void rj_kdouble(struct rj *j, const char *key, double v);
void rj_kbool(struct rj *j, const char *key, bool v);
void rj_knumber_text(struct rj *j, const char *key, const char *text);

#endif /* RMAPLAB_REPORTS_JSON_H */
