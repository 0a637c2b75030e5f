// SPDX-License-Identifier: GPL-2.0-only
/*
 * report.json: everything the text report says, with the raw values of
 * every repeat; the schema is in reports/README.md.  Numbers the text
 * prints rounded (the memory tables) are written here exactly as
 * printed, beside the counts they come from.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/json.h"
#include "reports/report.h"
#include "reports/results_json.h"
#include "reports/stats.h"

#define JSON_VERSION 3

static void setup(struct rj *j, const struct rpt_setup *s)
{
	rj_key(j, "setup");
	rj_obj(j);
	rj_kstr(j, "cpu", s->cpu);
	rj_kulong(j, "cores", s->cores);
	rj_kulong(j, "mem_kb", s->mem_kb);
	rj_kstr(j, "kernel", s->kernel);
	rj_kstr(j, "arch", s->arch);
	rj_kulong(j, "page_size", s->page_size);
	rj_kstr(j, "thp_enabled", s->thp);
	rj_kstr(j, "thp_defrag", s->thp_defrag);
	rj_kstr(j, "compiler", s->compiler);
	rj_kstr(j, "cflags", s->cflags);
	rj_kstr(j, "commit", s->commit);
	rj_kstr(j, "counters", s->counters);
	rj_kstr(j, "objsizes", s->objsizes);
	rj_kstr(j, "command", s->command);
	rj_kulong(j, "repeats", s->repeats);
	rj_kulong(j, "walk_repeat", s->walk_repeat);
	rj_obj_end(j);
}

static void memtab(struct rj *j, const struct report_data *d,
		   const struct rpt_memtab *mt)
{
	char buf[32];
	size_t i;

	rj_obj(j);
	rj_kstr(j, "baseline", d->schemes[mt->base]);
	rj_kstr(j, "scheme", d->schemes[mt->other]);
	rj_key(j, "rows");
	rj_arr(j);
	for (i = 0; i < mt->nr; i++) {
		const struct rpt_memrow *r = &mt->rows[i];
		size_t n;

		rj_obj_flat(j);
		rj_kstr(j, "object", r->object);
		rj_knumber_text(j, "baseline_kb", r->base_txt);
		rj_knumber_text(j, "kb", r->txt);
		rj_kstr(j, "change", r->change);
		snprintf(buf, sizeof(buf), "%s", r->change);
		n = strlen(buf);
		if (n && buf[n - 1] == '%')
			buf[n - 1] = '\0';
		rj_knumber_text(j, "change_pct", buf);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

/* The cover-letter tables of @runs: the baseline against each scheme. */
static void memtabs(struct rj *j, const struct report_data *d,
		    const struct rpt_run *r)
{
	struct rpt_memtab mt;
	size_t s;

	rj_key(j, "memory_tables");
	rj_arr(j);
	for (s = 1; s < d->nr_schemes; s++) {
		if (!r[0].available || !r[s].available)
			continue;
		rpt_memtab_build(r, 0, (int)s, RPT_SNAP, &mt);
		memtab(j, d, &mt);
	}
	rj_arr_end(j);
}

/* Per architecture and page size: its sizes and memory tables. */
static void arches(struct rj *j, const struct report_data *d)
{
	struct rpt_arch *a;
	size_t n = rpt_arches(d, &a), i, s;
	int k;

	rj_key(j, "architectures");
	rj_arr(j);
	for (i = 0; i < n; i++) {
		rj_obj(j);
		rj_kstr(j, "arch", a[i].arch);
		rj_kulong(j, "page_size", a[i].page_size);
		rj_kulong(j, "traces", a[i].nr_traces);
		rj_kulong(j, "events", a[i].events);
		rj_kstr(j, "objsize_source", a[i].objsize_source);
		rj_key(j, "objsizes");
		rj_arr(j);
		for (s = 0; s < d->nr_schemes; s++) {
			const struct rpt_run *r = &a[i].runs[s];

			for (k = 0; r->available && k < r->nr_objs; k++) {
				const struct rpt_obj *o = &r->objs[k];
				size_t e;

				/* each class once, where it first appears */
				for (e = 0; e < s; e++)
					if (a[i].runs[e].available &&
					    rpt_obj_find(&a[i].runs[e],
							 o->name))
						break;
				if (e < s)
					continue;
				rj_obj_flat(j);
				rj_kstr(j, "name", o->name);
				rj_kulong(j, "size", o->size);
				rj_kbool(j, "slab", o->slab);
				rj_obj_end(j);
			}
		}
		rj_arr_end(j);
		memtabs(j, d, a[i].runs);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rpt_arches_free(a, n, d->nr_schemes);
}

static void seed_rows(struct rj *j, const char *key,
		      const struct rpt_seed_row *rows)
{
	char buf[16];
	int i;

	rj_key(j, key);
	rj_arr(j);
	for (i = 0; i < 3; i++) {
		rj_obj_flat(j);
		rj_kstr(j, "object", rows[i].object);
		rj_knumber_text(j, "before_kb", rows[i].before);
		rj_knumber_text(j, "after_kb", rows[i].after);
		snprintf(buf, sizeof(buf), "%.*s",
			 (int)strlen(rows[i].change) - 1, rows[i].change);
		rj_knumber_text(j, "change_pct", buf);
		rj_obj_end(j);
	}
	rj_arr_end(j);
}

static void headline(struct rj *j, const struct report_data *d)
{
	int z = rpt_zygote(d);

	rj_key(j, "headline");
	rj_obj(j);
	rj_key(j, "seed");
	rj_obj(j);
	rj_kstr(j, "source", "[PATCH 0/15] mm: introduce ANON_VMA_LAZY for "
		"deferred anon_vma creation, 27 May 2026");
	seed_rows(j, "after_boot", rpt_seed_boot);
	seed_rows(j, "after_24_apps", rpt_seed_apps);
	rj_obj_end(j);
	rj_kstr(j, "zygote_trace", z < 0 ? NULL : d->traces[z].name);
	rj_obj_end(j);
}

static void timing(struct rj *j, const char *key, const double *v,
		   size_t n, const double *b, size_t nb, bool rate)
{
	double m = rate ? rs_hmean(v, n) : rs_amean(v, n);
	double bm = rate ? rs_hmean(b, nb) : rs_amean(b, nb);
	double p = v == b ? NAN : rs_welch_p(v, n, b, nb);

	rj_key(j, key);
	rj_obj(j);
	rj_kdouble(j, "min", rs_min(v, n));
	rj_kdouble(j, rate ? "hmean" : "amean", m);
	rj_kdouble(j, "stddev", rs_stddev(v, n));
	rj_kdouble(j, "max", rs_max(v, n));
	rj_kdouble(j, "change_pct", bm ? 100.0 * (m - bm) / bm : NAN);
	rj_kdouble(j, "welch_p", p);
	rj_kbool(j, "significant", !isnan(p) && p < 0.05);
	rpt_json_doubles(j, "values", v, n);
	rj_obj_end(j);
}

/* The Sensitivity section: every choice's figures, per scheme. */
static void sensitivity(struct rj *j, const struct report_data *d)
{
	size_t i, k;
	int fig;

	rj_key(j, "sensitivity");
	rj_obj(j);
	rj_kbool(j, "ran", d->sens_ran);
	rj_kstr(j, "note", d->sens_note);
	rj_kstr(j, "baseline", d->sens.base);
	rj_key(j, "schemes");
	rj_arr(j);
	for (i = 0; i < d->sens.nr; i++) {
		const struct sens_scheme *s = &d->sens.s[i];

		rj_obj(j);
		rj_kstr(j, "scheme", s->name);
		rj_kstr(j, "not_varied", s->fixed);
		rj_key(j, "choices");
		rj_arr(j);
		for (k = 0; k < s->nr; k++) {
			const struct sens_run *r = &s->runs[k];
			char g[2] = { r->grade, '\0' };

			rj_obj(j);
			rj_kstr(j, "spec", r->spec);
			rj_kstr(j, "choice", r->choice);
			rj_kstr(j, "grade", k ? g : "default");
			rj_kbool(j, "preset", r->preset);
			rj_kbool(j, "available", r->available);
			for (fig = 0; fig < SENS_NR; fig++)
				rj_kdouble(j, sens_fig_names[fig], r->v[fig]);
			rj_kulong(j, "missed", r->missed);
			rj_obj_end(j);
		}
		rj_arr_end(j);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

static void walk_timing(struct rj *j, const struct report_data *d)
{
	const struct rpt_run *b = &d->total[0];
	double *rate, *brate;
	size_t s, i;

	brate = calloc(b->walk.nr_rep + 1, sizeof(double));
	if (!brate)
		abort();
	for (i = 0; b->replay_ns && i < b->walk.nr_rep; i++)
		brate[i] = b->replay_ns[i] > 0 ? (double)b->events /
			(b->replay_ns[i] / 1e9) : NAN;
	rj_key(j, "walk_timing");
	rj_arr(j);
	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &d->total[s];
		unsigned int n = r->walk.nr_rep;

		rj_obj(j);
		rj_kstr(j, "scheme", d->schemes[s]);
		if (!r->available || !b->available) {
			rj_obj_end(j);
			continue;
		}
		timing(j, "p50_ns", r->walk.p50_ns, n, s ? b->walk.p50_ns :
		       r->walk.p50_ns, b->walk.nr_rep, false);
		timing(j, "p99_ns", r->walk.p99_ns, n, s ? b->walk.p99_ns :
		       r->walk.p99_ns, b->walk.nr_rep, false);
		timing(j, "mean_ns", r->walk.mean_ns, n, s ?
		       b->walk.mean_ns : r->walk.mean_ns, b->walk.nr_rep,
		       false);
		rate = calloc(n + 1, sizeof(double));
		if (!rate)
			abort();
		for (i = 0; r->replay_ns && i < n; i++)
			rate[i] = r->replay_ns[i] > 0 ? (double)r->events /
				(r->replay_ns[i] / 1e9) : NAN;
		timing(j, "replay_events_per_s", rate, n, s ? brate : rate,
		       b->walk.nr_rep, true);
		free(rate);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	free(brate);
}

static void finding(struct rj *j, const char *key,
		    const struct rpt_finding *fi)
{
	rj_key(j, key);
	if (!fi->kind[0]) {
		rj_null(j);
		return;
	}
	rj_obj(j);
	rj_kstr(j, "kind", fi->kind);
	rj_kstr(j, "trace", fi->trace);
	rj_kulong(j, "trace_events", fi->trace_events);
	rj_kstr(j, "what", fi->what);
	rj_kstr(j, "minimal_trace", fi->minimal);
	rj_kulong(j, "minimal_from", fi->minimal_from);
	rj_kulong(j, "minimal_to", fi->minimal_to);
	rj_kbool(j, "cut_only", fi->minimal_cut_only);
	rj_kstr(j, "minimal_file", fi->minimal_file);
	rj_kstr(j, "minimal_note", fi->minimal_note);
	rj_obj_end(j);
}

static void check(struct rj *j, const struct report_data *d)
{
	const struct rpt_check *c = &d->check;
	size_t s;
	int k;

	rj_key(j, "check");
	rj_obj(j);
	rj_kbool(j, "ran", c->ran);
	rj_kstr(j, "note", c->note);
	rj_kulong(j, "trace_errors", c->trace_errors);
	rj_kulong(j, "kernel_avc_checkpoints", c->kernel_avc_seen);
	rj_kulong(j, "kernel_avc_equal", c->kernel_avc_equal);
	rj_key(j, "schemes");
	rj_arr(j);
	for (s = 0; s < c->nr; s++) {
		const struct rpt_check_scheme *cs = &c->s[s];

		rj_obj(j);
		rj_kstr(j, "scheme", cs->scheme);
		rj_kbool(j, "init_failed", cs->init_failed);
		if (cs->init_failed)
			rj_kstr(j, "init_error", cs->init_err);
		rj_kulong(j, "traces", cs->traces);
		rj_kulong(j, "events", cs->events);
		rj_kulong(j, "checkpoints", cs->checkpoints);
		rj_kulong(j, "folios", cs->folios);
		rj_kulong(j, "walks", cs->walks);
		rj_kulong(j, "mismatches", cs->mismatches);
		rj_kulong(j, "divergences", cs->divergences);
		rj_kulong(j, "oracle_mismatches", cs->n[RPT_ORACLE]);
		rj_kulong(j, "oracle_failed_traces", cs->failed[RPT_ORACLE]);
		rj_kulong(j, "kernel_mismatches", cs->n[RPT_KERNEL]);
		rj_kulong(j, "kernel_failed_traces", cs->failed[RPT_KERNEL]);
		rj_key(j, "kinds");
		rj_arr(j);
		for (k = 0; k < cs->nr_kinds; k++) {
			rj_obj_flat(j);
			rj_kstr(j, "kind", cs->kinds[k].name);
			rj_kbool(j, "kernel", cs->kinds[k].kernel);
			rj_kulong(j, "n", cs->kinds[k].n);
			rj_obj_end(j);
		}
		rj_arr_end(j);
		finding(j, "first_oracle", &cs->first[RPT_ORACLE]);
		finding(j, "first_kernel", &cs->first[RPT_KERNEL]);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

static void depth(struct rj *j, const struct report_data *d)
{
	size_t i;

	rj_key(j, "fork_depth");
	rj_obj(j);
	rj_kstr(j, "shape", d->depth.shape);
	rj_key(j, "points");
	rj_arr(j);
	for (i = 0; i < d->depth.nr; i++) {
		rj_obj(j);
		rj_kulong(j, "depth", d->depth.pts[i].depth);
		rj_kulong(j, "events", d->depth.pts[i].events);
		rpt_json_runs(j, "runs", d->op_names, d->nr_ops,
			      d->depth.pts[i].runs, d->nr_schemes, false);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

/* Times are virtual ns (the simulation's), never wall clock. */
static void contention(struct rj *j, const struct report_data *d)
{
	const struct rpt_contend *c = &d->contend;
	size_t s, p;
	int k;

	rj_key(j, "contention");
	rj_obj(j);
	rj_kbool(j, "ran", c->ran);
	rj_kstr(j, "note", c->note);
	rj_kstr(j, "method", "simulation, virtual time");
	rj_kstr(j, "footprint_trace", c->fp_trace);
	rj_kstr(j, "trace", c->trace);
	rj_kulong(j, "events", c->events);
	rj_kulong(j, "units", c->units);
	rj_kulong(j, "walkers", c->walkers);
	rj_kdouble(j, "walk_rate", c->walk_rate);
	rj_kulong(j, "blocking_pct", c->blocking_pct);
	rj_key(j, "hold_scales");
	rj_arr_flat(j);
	for (k = 0; k < RPT_SCALES; k++)
		rj_double(j, c->scales[k]);
	rj_arr_end(j);
	rj_key(j, "runs");
	rj_arr(j);
	for (s = 0; c->runs && s < d->nr_schemes; s++) {
		const struct rpt_contend_run *r = &c->runs[s];

		rj_obj(j);
		rj_kstr(j, "scheme", r->scheme);
		rj_kbool(j, "available", r->available);
		if (!r->available) {
			rj_kstr(j, "why", r->why);
			rj_obj_end(j);
			continue;
		}
		rj_kulong(j, "found", r->found);
		rj_kulong(j, "present", r->present);
		rj_kulong(j, "rcu_deferred_frees", r->rcu_deferred_frees);
		rj_key(j, "footprint");
		rj_arr(j);
		for (k = 0; k < r->nr_fp; k++)
			rpt_json_footprint(j, &r->fp[k]);
		rj_arr_end(j);
		rj_key(j, "scale_ops_per_sec");
		rj_arr_flat(j);
		for (k = 0; k < RPT_SCALES; k++)
			rj_double(j, r->scale_ops[k]);
		rj_arr_end(j);
		rj_key(j, "points");
		rj_arr(j);
		for (p = 0; p < r->nr_pts; p++)
			rpt_json_sim_point(j, d->op_names, d->nr_ops,
					   &r->pts[p]);
		rj_arr_end(j);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

int report_write_json(FILE *f, const struct report_data *d)
{
	struct rj j;
	size_t i, s;

	rj_init(&j, f);
	rj_obj(&j);
	rj_kstr(&j, "format", "rmaplab-report");
	rj_kulong(&j, "version", JSON_VERSION);
	setup(&j, &d->setup);
	rj_key(&j, "schemes");
	rj_arr(&j);
	for (s = 0; s < d->nr_schemes; s++) {
		int b = rpt_variant_base(d, s);

		rj_obj(&j);
		rj_kstr(&j, "name", d->schemes[s]);
		rj_kbool(&j, "baseline", !s);
		rj_kbool(&j, "variant", rpt_is_variant(d->schemes[s]));
		rj_kstr(&j, "variant_of", b >= 0 ? d->schemes[b] : NULL);
		rj_kstr(&j, "description", d->scheme_desc ?
			d->scheme_desc[s] : "");
		rj_obj_end(&j);
	}
	rj_arr_end(&j);
	rj_key(&j, "ops");
	rj_arr_flat(&j);
	for (i = 0; i < (size_t)d->nr_ops; i++)
		rj_str(&j, d->op_names[i]);
	rj_arr_end(&j);
	rj_kbool(&j, "from_corpus", d->from_corpus);
	rj_kstr(&j, "corpus_dir", d->corpus_dir);
	check(&j, d);
	headline(&j, d);
	rj_key(&j, "traces");
	rj_arr(&j);
	for (i = 0; i < d->nr_traces; i++) {
		const struct rpt_trace *t = &d->traces[i];

		rj_obj(&j);
		rj_kstr(&j, "name", t->name);
		rj_kstr(&j, "path", t->path);
		rj_kstr(&j, "arch", t->arch);
		rj_kulong(&j, "page_size", t->page_size);
		rj_kulong(&j, "events", t->events);
		rj_kstr(&j, "recorder", t->recorder);
		rj_kstr(&j, "kernel", t->kernel);
		rj_kulong(&j, "fork_fanout", t->fanout);
		rj_kbool(&j, "zygote", t->zygote);
		rj_key(&j, "moment");
		rj_obj(&j);
		rj_kbool(&j, "end", t->snap_end);
		rj_kulong(&j, "event", t->snap_event);
		rj_obj_end(&j);
		memtabs(&j, d, t->runs);
		rpt_json_runs(&j, "runs", d->op_names, d->nr_ops, t->runs,
			      d->nr_schemes, false);
		rj_obj_end(&j);
	}
	rj_arr_end(&j);
	rj_key(&j, "total");
	rj_obj(&j);
	memtabs(&j, d, d->total);
	rpt_json_runs(&j, "runs", d->op_names, d->nr_ops, d->total,
		      d->nr_schemes, true);
	rj_obj_end(&j);
	arches(&j, d);
	walk_timing(&j, d);
	depth(&j, d);
	contention(&j, d);
	sensitivity(&j, d);
	rj_key(&j, "charts");
	rj_obj(&j);
	rj_kbool(&j, "ran", d->charts.ran);
	rj_kstr(&j, "note", d->charts.note);
	rj_kstr(&j, "skipped", d->charts.skipped);
	rj_key(&j, "files");
	rj_arr_flat(&j);
	for (i = 0; i < d->charts.nr; i++)
		rj_str(&j, d->charts.files[i]);
	rj_arr_end(&j);
	rj_obj_end(&j);
	rj_kbool(&j, "email", d->email);
	rj_obj_end(&j);
	rj_finish(&j);
	return ferror(f) ? -1 : 0;
}
