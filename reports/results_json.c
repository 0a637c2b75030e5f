// SPDX-License-Identifier: GPL-2.0-only
/* The results model as JSON; see results_json.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/report.h"
#include "reports/results_json.h"
#include "reports/stats.h"

void rpt_json_doubles(struct rj *j, const char *key, const double *v,
		      size_t n)
{
	size_t i;

	rj_key(j, key);
	rj_arr_flat(j);
	for (i = 0; v && i < n; i++)
		rj_double(j, v[i]);
	rj_arr_end(j);
}

/* "KEY": {"op": n, ...} of the operations with a count. */
static void per_op(struct rj *j, const char (*ops)[16], int nr_ops,
		   const char *key, const unsigned long *v)
{
	int op;

	rj_key(j, key);
	rj_obj_flat(j);
	for (op = 0; op < nr_ops; op++)
		if (v[op])
			rj_kulong(j, ops[op], v[op]);
	rj_obj_end(j);
}

void rpt_json_walk(struct rj *j, const struct rpt_walk *w, bool dist)
{
	char buf[32];
	unsigned int r;
	int p;

	rj_key(j, "walk");
	rj_obj(j);
	rj_kulong(j, "walks", w->walks);
	rj_kulong(j, "found", w->found);
	rj_kulong(j, "expected", w->expected);
	rj_kulong(j, "candidates", w->candidates);
	rj_kulong(j, "misses", w->misses);
	rj_kulong(j, "nodes", w->nodes);
	rj_kulong(j, "contexts", w->contexts);
	rj_kulong(j, "locks", w->locks);
	rj_kulong(j, "retries", w->retries);
	snprintf(buf, sizeof(buf), "%.2f", w->walks ?
		 (double)w->candidates / (double)w->walks : NAN);
	rj_knumber_text(j, "vmas_per_walk", buf);
	snprintf(buf, sizeof(buf), "%.1f", w->candidates ? 100.0 *
		 (1.0 - (double)w->misses / (double)w->candidates) : NAN);
	rj_knumber_text(j, "precision_pct", buf);
	rj_key(j, "repeats");
	rj_arr(j);
	for (r = 0; r < w->nr_rep; r++) {
		rj_obj_flat(j);
		rj_kdouble(j, "p50_ns", w->p50_ns[r]);
		rj_kdouble(j, "p99_ns", w->p99_ns[r]);
		rj_kdouble(j, "mean_ns", w->mean_ns[r]);
		if (w->max_ns)
			rj_kdouble(j, "max_ns", w->max_ns[r]);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	if (dist && w->nr_ns) {
		/* The distribution of the first repeat, p0 .. p100. */
		rj_key(j, "ns_percentiles");
		rj_arr_flat(j);
		for (p = 0; p <= 100; p++)
			rj_double(j, p ? rs_percentile_sorted(w->ns, w->nr_ns,
							      p) : w->ns[0]);
		rj_arr_end(j);
	}
	rj_obj_end(j);
}

static void series(struct rj *j, const struct rpt_run *r)
{
	size_t i;
	int k;

	rj_key(j, "series");
	rj_obj(j);
	rj_key(j, "classes");
	rj_arr_flat(j);
	for (k = 0; k < r->nr_objs; k++)
		rj_str(j, r->objs[k].name);
	rj_arr_end(j);
	rj_key(j, "event");
	rj_arr_flat(j);
	for (i = 0; i < r->series.nr; i++)
		rj_ulong(j, r->series.event[i]);
	rj_arr_end(j);
	rj_key(j, "live");
	rj_arr(j);
	for (i = 0; i < r->series.nr; i++) {
		rj_arr_flat(j);
		for (k = 0; k < r->nr_objs; k++)
			rj_long(j, r->series.live[i * RPT_MAX_CLASSES + k]);
		rj_arr_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

/* KB as the text prints them: "%g", the cover letter's form. */
static void kkb(struct rj *j, const char *key, double kb)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%g", kb);
	rj_knumber_text(j, key, buf);
}

static void objects(struct rj *j, const char (*ops)[16], int nr_ops,
		    const struct rpt_run *r)
{
	int k;

	rj_key(j, "objects");
	rj_arr(j);
	for (k = 0; k < r->nr_objs; k++) {
		const struct rpt_obj *o = &r->objs[k];

		rj_obj_flat(j);
		rj_kstr(j, "name", o->name);
		/* null: a sum over arches whose sizes differ */
		rj_key(j, "size");
		if (o->size)
			rj_ulong(j, o->size);
		else
			rj_null(j);
		rj_klong(j, "end", o->end);
		rj_klong(j, "peak", o->peak);
		rj_klong(j, "snapshot", o->snap);
		kkb(j, "end_kb", rpt_obj_kb(o, RPT_END));
		kkb(j, "peak_kb", rpt_obj_kb(o, RPT_PEAK));
		kkb(j, "snapshot_kb", rpt_obj_kb(o, RPT_SNAP));
		per_op(j, ops, nr_ops, "allocs", o->allocs);
		per_op(j, ops, nr_ops, "frees", o->frees);
		rj_obj_end(j);
	}
	rj_arr_end(j);
}

static void locks(struct rj *j, const char (*ops)[16], int nr_ops,
		  const struct rpt_run *r)
{
	char buf[32];
	int k, op;

	rj_key(j, "locks");
	rj_arr(j);
	for (k = 0; k < r->nr_locks; k++) {
		const struct rpt_lock *l = &r->locks[k];

		rj_obj(j);
		rj_kstr(j, "name", l->name);
		if (l->kind[0])
			rj_kstr(j, "kind", l->kind);
		rj_kdouble(j, "wait_max_ns", l->wait_max_ns);
		rj_kdouble(j, "hold_ns", l->hold_ns);
		rj_key(j, "per_op");
		rj_arr(j);
		for (op = 0; op < nr_ops; op++) {
			if (!l->rd[op] && !l->wr[op] && !l->contended[op])
				continue;
			rj_obj_flat(j);
			rj_kstr(j, "op", ops[op]);
			rj_kulong(j, "ops", r->op_count[op]);
			rj_kulong(j, "read", l->rd[op]);
			rj_kulong(j, "write", l->wr[op]);
			if (r->op_count[op]) {
				snprintf(buf, sizeof(buf), "%.2f",
					 (double)(l->rd[op] + l->wr[op]) /
					 (double)r->op_count[op]);
				rj_knumber_text(j, "per_op", buf);
			} else {
				rj_key(j, "per_op");
				rj_null(j);
			}
			rj_kulong(j, "contended", l->contended[op]);
			rj_kdouble(j, "wait_ns", l->wait_ns[op]);
			rj_kdouble(j, "wait_ns_per_op", r->op_count[op] ?
				   l->wait_ns[op] / (double)r->op_count[op] :
				   NAN);
			rj_obj_end(j);
		}
		rj_arr_end(j);
		rj_obj_end(j);
	}
	rj_arr_end(j);
}

void rpt_json_footprint(struct rj *j, const struct rpt_footprint *p)
{
	rj_obj_flat(j);
	rj_kstr(j, "class", p->name);
	rj_kstr(j, "kind", p->kind);
	rj_kstr(j, "mode", p->write ? "write" : "read");
	rj_kulong(j, "acquisitions", p->acq);
	rj_kdouble(j, "nodes_per_acq", p->nodes);
	rj_kdouble(j, "linked_per_acq", p->linked);
	rj_kdouble(j, "unlinked_per_acq", p->unlinked);
	rj_kdouble(j, "contexts_per_acq", p->contexts);
	rj_kdouble(j, "vmas_per_acq", p->vmas);
	rj_kdouble(j, "allocated_per_acq", p->allocated);
	rj_kdouble(j, "freed_per_acq", p->freed);
	if (p->instances) {
		rj_kulong(j, "instances", p->instances);
		rj_kulong(j, "procs_p50", p->procs_p50);
		rj_kulong(j, "procs_p90", p->procs_p90);
		rj_kulong(j, "procs_max", p->procs_max);
		rj_kulong(j, "subtrees_max", p->subtrees_max);
		rj_kulong(j, "vmas_max", p->vmas_max);
		rj_kulong(j, "links_max", p->links_max);
	}
	if (p->shared_pct >= 0) {
		rj_kdouble(j, "write_on_shared_pct", p->shared_pct);
		rj_kdouble(j, "write_on_all_subtrees_pct", p->all_pct);
	}
	rj_obj_end(j);
}

void rpt_json_run_members(struct rj *j, const char (*ops)[16], int nr_ops,
			  const struct rpt_run *r, bool dist)
{
	int k, op;

	rj_kstr(j, "scheme", r->scheme);
	rj_kbool(j, "available", r->available);
	if (!r->available) {
		rj_kstr(j, "why", r->why);
		return;
	}
	rj_kulong(j, "events", r->events);
	rj_kulong(j, "divergences", r->divergences);
	rj_key(j, "snapshot");
	rj_obj_flat(j);
	rj_kbool(j, "end", r->snap_end);
	rj_kulong(j, "event", r->snap_event);
	rj_kulong(j, "folios", r->snap_folios);
	rj_obj_end(j);
	rpt_json_doubles(j, "replay_ns", r->replay_ns, r->walk.nr_rep);
	kkb(j, "rmap_kb", rpt_rmap_kb(r, RPT_SNAP));
	objects(j, ops, nr_ops, r);
	rj_key(j, "ops");
	rj_arr(j);
	for (op = 0; op < nr_ops; op++) {
		if (!r->op_count[op] && !r->op_nodes[op])
			continue;
		rj_obj_flat(j);
		rj_kstr(j, "op", ops[op]);
		rj_kulong(j, "count", r->op_count[op]);
		rj_kdouble(j, "ns", r->op_ns[op]);
		rj_kulong(j, "vma_nodes", r->op_nodes[op]);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	locks(j, ops, nr_ops, r);
	if (r->nr_fp) {
		rj_key(j, "footprint");
		rj_arr(j);
		for (k = 0; k < r->nr_fp; k++)
			rpt_json_footprint(j, &r->fp[k]);
		rj_arr_end(j);
	}
	rpt_json_walk(j, &r->walk, dist);
	if (r->series.nr)
		series(j, r);
	if (r->kernel_anon_vma >= 0 || r->kernel_avc >= 0) {
		rj_key(j, "kernel");
		rj_obj(j);
		rj_klong(j, "anon_vma", r->kernel_anon_vma);
		rj_klong(j, "anon_vma_chain", r->kernel_avc);
		rj_klong(j, "model_anon_vma", r->model_anon_vma);
		rj_klong(j, "model_anon_vma_chain", r->model_avc);
		rj_obj_end(j);
	}
}

void rpt_json_runs(struct rj *j, const char *key, const char (*ops)[16],
		   int nr_ops, const struct rpt_run *runs, size_t n,
		   bool dist)
{
	size_t s;

	rj_key(j, key);
	rj_arr(j);
	for (s = 0; s < n; s++) {
		rj_obj(j);
		rpt_json_run_members(j, ops, nr_ops, &runs[s], dist);
		rj_obj_end(j);
	}
	rj_arr_end(j);
}

static void lockstat(struct rj *j, const char (*ops)[16], int nr_ops,
		     const struct rpt_lockstat *l)
{
	rj_obj_flat(j);
	rj_kstr(j, "class", l->name);
	if (l->kind[0])
		rj_kstr(j, "kind", l->kind);
	rj_kstr(j, "mode", l->write ? "write" : "read");
	rj_kulong(j, "con-bounces", l->con_bounces);
	rj_kulong(j, "contentions", l->contentions);
	rj_kdouble(j, "waittime-min", l->wait_min);
	rj_kdouble(j, "waittime-max", l->wait_max);
	rj_kdouble(j, "waittime-total", l->wait_total);
	rj_kulong(j, "acq-bounces", l->acq_bounces);
	rj_kulong(j, "acquisitions", l->acquisitions);
	rj_kdouble(j, "holdtime-min", l->hold_min);
	rj_kdouble(j, "holdtime-max", l->hold_max);
	rj_kdouble(j, "holdtime-total", l->hold_total);
	rj_kulong(j, "holds_timed", l->hold_n);
	per_op(j, ops, nr_ops, "contentions_by_op", l->contentions_op);
	rj_obj_end(j);
}

/* Times are virtual ns (the simulation's), never wall clock. */
void rpt_json_sim_point(struct rj *j, const char (*ops)[16], int nr_ops,
			const struct rpt_sim_point *pt)
{
	int k;

	rj_obj(j);
	rj_kulong(j, "cpus", pt->cpus);
	rj_kulong(j, "max_busy", pt->max_busy);
	rj_kulong(j, "walkers", pt->walkers);
	rj_kdouble(j, "hold_scale", pt->hold_scale);
	rj_kulong(j, "events", pt->events);
	rj_kdouble(j, "ops_per_sec", pt->ops_per_sec);
	rj_kdouble(j, "virtual_ns", pt->virtual_ns);
	rj_kulong(j, "walks", pt->walks);
	rj_kulong(j, "walks_blocking", pt->walks_blocking);
	rj_kulong(j, "walks_gave_up", pt->walks_gave_up);
	rj_kulong(j, "rcu_deferred_frees", pt->rcu_deferred_frees);
	rj_kbool(j, "stalled", pt->stalled);
	rj_key(j, "lock_stat");
	rj_arr(j);
	for (k = 0; k < pt->nr; k++)
		lockstat(j, ops, nr_ops, &pt->ls[k]);
	rj_arr_end(j);
	rj_obj_end(j);
}
