// SPDX-License-Identifier: GPL-2.0-only
/* Measure the sensitivity tables; see sensitivity.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness/measure_out.h"
#include "harness/params.h"
#include "harness/registry.h"
#include "harness/sensitivity.h"

/* KB live at the snapshot: one class, or every class but (or with) VMAs. */
static double snap_kb(const struct measure_result *r, const char *name,
		      bool vmas)
{
	double kb = 0;
	int i;

	for (i = 0; i < r->acct.nr; i++) {
		const struct obj_class *c = &r->acct.cls[i];

		if (name ? strcmp(c->name, name) :
		    (!vmas && !strcmp(c->name, "vm_area_struct")))
			continue;
		kb += (double)(r->snap_live[i] > 0 ? r->snap_live[i] : 0) *
			(double)c->size / 1024.0;
	}
	return kb;
}

static double change(double base, double v)
{
	if (base == 0)
		return v == 0 ? 0 : NAN;
	return 100.0 * (v - base) / base;
}

static double per_op(const struct measure_result *r, int op)
{
	if (!r->ops[op].count)
		return NAN;
	return (double)measure_op_locks(r, op) / (double)r->ops[op].count;
}

static void figures(const struct measure_result *r,
		    const struct measure_result *base, double *v)
{
	v[SENS_ANON_VMA] = change(snap_kb(base, "anon_vma", false),
				  snap_kb(r, "anon_vma", false));
	v[SENS_AVC] = change(snap_kb(base, "anon_vma_chain", false),
			     snap_kb(r, "anon_vma_chain", false));
	v[SENS_RMAP_KB] = change(snap_kb(base, NULL, false),
				 snap_kb(r, NULL, false));
	v[SENS_TOTAL_KB] = change(snap_kb(base, NULL, true),
				  snap_kb(r, NULL, true));
	v[SENS_VMAS_WALK] = r->walk.walks ? (double)r->walk.candidates /
		(double)r->walk.walks : NAN;
	v[SENS_PRECISION] = 100.0 * walk_precision(&r->walk);
	v[SENS_LOCKS_FORK] = per_op(r, OP_FORK);
	v[SENS_LOCKS_EXIT] = per_op(r, OP_EXIT);
}

/* Every trace through @spec, summed. */
static int measure_all(const struct trace *traces, size_t nr,
		       const char *spec, const struct objsizes *sizes,
		       struct measure_result *sum, struct errbuf *err)
{
	struct measure_opts o = { .walk_repeat = 1, .sizes = sizes };
	struct measure_result res;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	snprintf(sum->scheme, sizeof(sum->scheme), "%s", spec);
	for (i = 0; i < nr; i++) {
		memset(&res, 0, sizeof(res));
		if (measure_trace(&traces[i], spec, &o, &res, err) < 0) {
			measure_result_free(&res);
			return -1;
		}
		measure_result_add(sum, &res);
		measure_result_free(&res);
	}
	return 0;
}

static struct sens_run *add_run(struct sens_scheme *s, size_t *cap)
{
	if (s->nr == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		s->runs = realloc(s->runs, *cap * sizeof(*s->runs));
		if (!s->runs)
			abort();
	}
	memset(&s->runs[s->nr], 0, sizeof(s->runs[0]));
	return &s->runs[s->nr++];
}

/* The default and one run per R/C alternative of scheme @name. */
static int plan(struct sens_scheme *s, const char *name, struct errbuf *err)
{
	char vals[PARAM_MAX_VALUES][PARAM_VALUE_LEN];
	const struct scheme_param *p;
	struct scheme_spec spec;
	struct sens_run *r;
	size_t cap = 0, n, k, lf = 0;

	if (scheme_lookup(name, &spec, err))
		return -1;
	snprintf(s->name, sizeof(s->name), "%s", name);
	r = add_run(s, &cap);
	snprintf(r->spec, sizeof(r->spec), "%s", name);
	for (p = spec.scheme->params; p && p->name; p++) {
		if (p->grade != GRADE_R && p->grade != GRADE_C)
			continue;
		n = scheme_param_values(p, vals, PARAM_MAX_VALUES);
		if (!n && !strncmp(p->help, "preset:", 7)) {
			r = add_run(s, &cap);
			snprintf(r->spec, sizeof(r->spec), "%.31s:%.31s", name,
				 p->name);
			snprintf(r->choice, sizeof(r->choice), "%.31s", p->name);
			r->grade = (char)p->grade;
			r->preset = true;
			continue;
		}
		if (!n) {
			lf += snprintf(s->fixed + lf, sizeof(s->fixed) - lf,
				       "%s%s=%s (%s, a number)",
				       lf ? ", " : "", p->name, p->def,
				       param_grade_name(p->grade));
			if (lf >= sizeof(s->fixed))
				lf = sizeof(s->fixed) - 1;
			continue;
		}
		for (k = 0; k < n; k++) {
			if (!strcmp(vals[k], p->def))
				continue;
			r = add_run(s, &cap);
			snprintf(r->spec, sizeof(r->spec), "%.31s:%.31s=%.23s", name,
				 p->name, vals[k]);
			snprintf(r->choice, sizeof(r->choice), "%.31s=%.23s",
				 p->name, vals[k]);
			r->grade = (char)p->grade;
		}
	}
	return 0;
}

int sensitivity_measure(const struct trace *traces, size_t nr_traces,
			const char *const *schemes, size_t nr_schemes,
			const struct objsizes *sizes,
			struct sensitivity *out, struct errbuf *err)
{
	struct measure_result base, res;
	size_t i, k;

	memset(out, 0, sizeof(*out));
	if (!nr_schemes)
		return errbuf_set(err, "sensitivity: no scheme");
	snprintf(out->base, sizeof(out->base), "%s", schemes[0]);
	snprintf(out->traces, sizeof(out->traces), "%zu trace%s", nr_traces,
		 nr_traces == 1 ? "" : "s");
	if (measure_all(traces, nr_traces, schemes[0], sizes, &base, err))
		goto fail_base;
	figures(&base, &base, out->base_v);
	out->s = calloc(nr_schemes, sizeof(*out->s));
	if (!out->s)
		abort();
	for (i = 0; i < nr_schemes; i++) {
		struct sens_scheme *s = &out->s[out->nr];

		if (strchr(schemes[i], ':'))
			continue;
		out->nr++;
		if (plan(s, schemes[i], err))
			goto fail;
		for (k = 0; k < s->nr; k++) {
			struct sens_run *r = &s->runs[k];

			if (measure_all(traces, nr_traces, r->spec, sizes,
					&res, err)) {
				measure_result_free(&res);
				goto fail;
			}
			r->available = res.available;
			figures(&res, &base, r->v);
			r->missed = res.walk.expected > res.walk.found ?
				res.walk.expected - res.walk.found : 0;
			measure_result_free(&res);
		}
	}
	measure_result_free(&base);
	return 0;
fail:
	sensitivity_free(out);
fail_base:
	measure_result_free(&base);
	return -1;
}
