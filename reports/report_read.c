// SPDX-License-Identifier: GPL-2.0-only
/* report.json read back with jansson; see report_read.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "reports/report_read.h"

static const char *const metric_key[RR_NR_METRICS] = {
	[RR_WALK_P50] = "p50_ns",
	[RR_WALK_P99] = "p99_ns",
	[RR_WALK_MEAN] = "mean_ns",
	[RR_REPLAY_RATE] = "replay_events_per_s",
};

static void str(char *dst, size_t len, json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	snprintf(dst, len, "%s", s ? s : "");
}

/* A number (integer or real) under @key; NaN when there is none. */
static double num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : __builtin_nan("");
}

static void values(struct rr_values *out, json_t *timing)
{
	json_t *arr = json_object_get(timing, "values"), *v;
	size_t i;

	if (!json_is_array(arr) || !json_array_size(arr))
		return;
	out->v = calloc(json_array_size(arr), sizeof(*out->v));
	if (!out->v)
		abort();
	json_array_foreach(arr, i, v)
		if (json_is_number(v))
			out->v[out->n++] = json_number_value(v);
}

static struct rr_scheme *scheme_get(struct rr_report *r, const char *name)
{
	struct rr_scheme *s = (struct rr_scheme *)rr_scheme(r, name);

	if (s)
		return s;
	r->s = realloc(r->s, (r->nr + 1) * sizeof(*r->s));
	if (!r->s)
		abort();
	s = &r->s[r->nr++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	return s;
}

static void read_run(struct rr_scheme *s, json_t *run)
{
	json_t *objs = json_object_get(run, "objects"), *o;
	json_t *walk = json_object_get(run, "walk");
	size_t i;

	if (!json_is_true(json_object_get(run, "available")))
		return;
	s->have_run = true;
	s->rmap_kb = num(run, "rmap_kb");
	s->vmas_per_walk = num(walk, "vmas_per_walk");
	s->precision_pct = num(walk, "precision_pct");
	if (!json_is_array(objs))
		return;
	s->obj = calloc(json_array_size(objs) + 1, sizeof(*s->obj));
	if (!s->obj)
		abort();
	json_array_foreach(objs, i, o) {
		struct rr_object *ro = &s->obj[s->nr_obj++];

		str(ro->name, sizeof(ro->name), o, "name");
		ro->snapshot_kb = num(o, "snapshot_kb");
		ro->peak_kb = num(o, "peak_kb");
	}
}

static int bad(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

int rr_load(const char *path, struct rr_report *r, char *err, size_t len)
{
	json_t *root, *arr, *e, *setup, *check;
	const char *format;
	json_error_t jerr;
	struct stat st;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		snprintf(r->path, sizeof(r->path), "%s/report.json", path);
	else
		snprintf(r->path, sizeof(r->path), "%s", path);
	root = json_load_file(r->path, 0, &jerr);
	if (!root && jerr.line < 1)	/* not opened: no line to name */
		return bad(err, len, "%s: %s", r->path, jerr.text);
	if (!root)
		return bad(err, len, "%s:%d: %s", r->path, jerr.line,
			   jerr.text);
	/*
	 * compare --json writes its runs as report.json does (the results
	 * model, reports/results_json.h): one replay, no check, no setup.
	 */
	format = json_string_value(json_object_get(root, "format")) ?: "";
	if (!json_is_object(root) || (strcmp(format, "rmaplab-report") &&
				      strcmp(format, "rmaplab-compare"))) {
		json_decref(root);
		return bad(err, len, "%s: not an rmaplab report.json "
			   "(no \"format\": \"rmaplab-report\") nor compare "
			   "--json", r->path);
	}
	r->version = json_integer_value(json_object_get(root, "version"));

	setup = json_object_get(root, "setup");
	str(r->commit, sizeof(r->commit), setup, "commit");
	str(r->kernel, sizeof(r->kernel), setup, "kernel");
	str(r->cpu, sizeof(r->cpu), setup, "cpu");
	str(r->compiler, sizeof(r->compiler), setup, "compiler");
	r->repeats = json_integer_value(json_object_get(setup, "repeats"));

	arr = json_object_get(root, "traces");
	json_array_foreach(arr, i, e) {
		r->nr_traces++;
		r->events += json_integer_value(json_object_get(e, "events"));
	}
	/* the schemes in the run's order, then what each has */
	arr = json_object_get(root, "schemes");
	json_array_foreach(arr, i, e)
		scheme_get(r, json_string_value(json_object_get(e, "name")) ?:
			   "?");
	arr = json_object_get(root, "walk_timing");
	json_array_foreach(arr, i, e) {
		struct rr_scheme *s = scheme_get(r, json_string_value(
				json_object_get(e, "scheme")) ?: "?");
		int m;

		for (m = 0; m < RR_NR_METRICS; m++)
			if (!s->t[m].n)
				values(&s->t[m],
				       json_object_get(e, metric_key[m]));
	}
	arr = json_object_get(json_object_get(root, "total"), "runs");
	json_array_foreach(arr, i, e)
		read_run(scheme_get(r, json_string_value(
				json_object_get(e, "scheme")) ?: "?"), e);
	check = json_object_get(root, "check");
	r->check_ran = json_is_true(json_object_get(check, "ran"));
	arr = json_object_get(check, "schemes");
	json_array_foreach(arr, i, e) {
		struct rr_scheme *s = scheme_get(r, json_string_value(
				json_object_get(e, "scheme")) ?: "?");

		if (!r->check_ran ||
		    json_is_true(json_object_get(e, "init_failed")))
			continue;
		s->have_check = true;
		s->oracle_mismatches = json_integer_value(
			json_object_get(e, "oracle_mismatches"));
		s->kernel_mismatches = json_integer_value(
			json_object_get(e, "kernel_mismatches"));
	}
	json_decref(root);
	return 0;
}

const struct rr_scheme *rr_scheme(const struct rr_report *r,
				  const char *name)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (!strcmp(r->s[i].name, name))
			return &r->s[i];
	return NULL;
}

void rr_free(struct rr_report *r)
{
	size_t i;
	int m;

	for (i = 0; i < r->nr; i++) {
		for (m = 0; m < RR_NR_METRICS; m++)
			free(r->s[i].t[m].v);
		free(r->s[i].obj);
	}
	free(r->s);
	memset(r, 0, sizeof(*r));
}
