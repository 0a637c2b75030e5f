// SPDX-License-Identifier: GPL-2.0-only
/* Measurements as the results model; see results.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/results.h"
#include "harness/registry.h"

int results_op_names(char (*names)[16])
{
	int i;

	for (i = 0; i < OP_NR && i < RPT_MAX_OPS; i++)
		snprintf(names[i], 16, "%s", mm_op_names[i]);
	return i;
}

static double *dalloc(size_t n)
{
	double *v = calloc(n ? n : 1, sizeof(double));

	if (!v)
		abort();
	return v;
}

void results_run_init(struct rpt_run *r, const char *scheme,
		      unsigned int nrep)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->scheme, sizeof(r->scheme), "%s", scheme);
	r->walk.nr_rep = nrep;
	r->walk.p50_ns = dalloc(nrep);
	r->walk.p99_ns = dalloc(nrep);
	r->walk.mean_ns = dalloc(nrep);
	r->walk.max_ns = dalloc(nrep);
	r->replay_ns = dalloc(nrep);
	r->kernel_anon_vma = r->kernel_avc = -1;
	r->model_anon_vma = r->model_avc = -1;
}

/* The deterministic counters of a walk, and the per-folio times. */
static void walk_counters(struct rpt_walk *w, const struct walk_stats *ws)
{
	w->walks = ws->walks;
	w->found = ws->found;
	w->expected = ws->expected;
	w->candidates = ws->candidates;
	w->misses = ws->misses;
	w->nodes = ws->nodes;
	w->contexts = ws->contexts;
	w->locks = ws->locks;
	w->retries = ws->retries;
	if (ws->nr_ns) {
		w->ns = dalloc(ws->nr_ns);
		memcpy(w->ns, ws->ns, ws->nr_ns * sizeof(double));
		w->nr_ns = ws->nr_ns;
	}
}

void results_fill_walk(struct rpt_walk *w, const struct walk_stats *ws)
{
	memset(w, 0, sizeof(*w));
	walk_counters(w, ws);
	w->nr_rep = 1;
	w->p50_ns = dalloc(1);
	w->p99_ns = dalloc(1);
	w->mean_ns = dalloc(1);
	w->max_ns = dalloc(1);
	w->p50_ns[0] = ws->p50_ns;
	w->p99_ns[0] = ws->p99_ns;
	w->mean_ns[0] = ws->mean_ns;
	w->max_ns[0] = ws->max_ns;
}

void results_walk_free(struct rpt_walk *w)
{
	free(w->p50_ns);
	free(w->p99_ns);
	free(w->mean_ns);
	free(w->max_ns);
	free(w->ns);
	memset(w, 0, sizeof(*w));
}

static double per(unsigned long n, unsigned long d)
{
	return d ? (double)n / (double)d : 0.0;
}

/* Row @p: class @name held @n times in mode @write, @work done in all. */
static void footprint_row(struct rpt_footprint *p, const char *name,
			  enum lock_kind kind, int write, unsigned long n,
			  const unsigned long *work)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->kind, sizeof(p->kind), "%s", lock_kind_names[kind]);
	p->write = write;
	p->acq = n;
	p->nodes = per(work[LW_NODE], n);
	p->linked = per(work[LW_LINK], n);
	p->unlinked = per(work[LW_UNLINK], n);
	p->contexts = per(work[LW_CTX], n);
	p->vmas = per(work[LW_VMA], n);
	p->allocated = per(work[LW_ALLOC], n);
	p->freed = per(work[LW_FREE], n);
	p->shared_pct = p->all_pct = -1;
}

/*
 * What a hold of @c touched in each mode, all operations: one row per
 * mode it was held in (core/lock.h's footprint).
 */
static void lock_footprint_rows(struct rpt_run *r, const struct lock_class *c,
				const struct lock_footprint *fp)
{
	unsigned long holds, work[LW_NR];
	int m, op, k;

	for (m = 1; m >= 0 && r->nr_fp < 2 * RPT_MAX_LOCKS; m--) {
		holds = 0;
		memset(work, 0, sizeof(work));
		for (op = 0; op < OP_NR; op++) {
			holds += fp->sections[m][op];
			for (k = 0; k < LW_NR; k++)
				work[k] += fp->work[m][op][k];
		}
		if (holds)
			footprint_row(&r->fp[r->nr_fp++], c->name, c->kind, m,
				      holds, work);
	}
}

void results_fill_run(struct rpt_run *r, const struct measure_result *m,
		      const struct trace_header *h)
{
	int map[ACCT_MAX_CLASSES], i, op, k;
	struct rpt_obj *o;
	struct rpt_lock *l;
	size_t j;

	r->available = m->available;
	snprintf(r->why, sizeof(r->why), "%s", m->why);
	if (!m->available)
		return;
	r->events = m->events;
	r->divergences = m->divergences;
	r->snap_end = m->snap_at_end;
	r->snap_event = m->snap_event;
	r->snap_folios = m->snap_folios;
	for (i = 0; i < m->acct.nr && i < ACCT_MAX_CLASSES; i++) {
		const struct obj_class *c = &m->acct.cls[i];

		map[i] = -1;
		/* Unsized classes (folio, mm_struct) are not slab memory. */
		if (!c->size)
			continue;
		o = rpt_obj_get(r, c->name, c->size);
		if (!o)
			continue;
		map[i] = (int)(o - r->objs);
		o->slab = objsize_trace(h, c->name) == c->size;
		o->end = c->live;
		o->peak = c->peak;
		o->snap = m->snap_live[i];
		for (op = 0; op < OP_NR && op < RPT_MAX_OPS; op++) {
			o->allocs[op] = c->allocs[op];
			o->frees[op] = c->frees[op];
		}
	}
	for (op = 0; op < OP_NR && op < RPT_MAX_OPS; op++) {
		r->op_count[op] = m->ops[op].count;
		r->op_ns[op] = (double)m->ops[op].ns;
		r->op_nodes[op] = m->ops[op].vma_nodes;
	}
	for (i = 0; i < m->nr_locks; i++) {
		l = rpt_lock_get(r, m->locks[i].name);
		if (!l)
			continue;
		snprintf(l->kind, sizeof(l->kind), "%s",
			 lock_kind_names[m->locks[i].kind]);
		l->wait_max_ns = (double)m->locks[i].wait_max_ns;
		l->hold_ns = (double)m->locks[i].hold_ns;
		lock_footprint_rows(r, &m->locks[i], &m->lock_fp[i]);
		for (op = 0; op < OP_NR && op < RPT_MAX_OPS; op++) {
			l->rd[op] = m->locks[i].acquire_read[op];
			l->wr[op] = m->locks[i].acquire_write[op];
			l->contended[op] = m->locks[i].contended[op];
			l->wait_ns[op] = (double)m->locks[i].wait_ns[op];
		}
	}
	walk_counters(&r->walk, &m->walk);
	r->series.nr = m->series.nr;
	r->series.event = calloc(m->series.nr + 1, sizeof(unsigned long));
	r->series.live = calloc((m->series.nr + 1) * RPT_MAX_CLASSES,
				sizeof(long));
	if (!r->series.event || !r->series.live)
		abort();
	for (j = 0; j < m->series.nr; j++) {
		r->series.event[j] = m->series.event[j];
		for (k = 0; k < m->acct.nr && k < ACCT_MAX_CLASSES; k++)
			if (map[k] >= 0)
				r->series.live[j * RPT_MAX_CLASSES + map[k]] =
					m->series.live[j * ACCT_MAX_CLASSES +
						       k];
	}
	for (j = 0; j < m->nr_cps; j++) {
		const struct cp_sample *cp = &m->cps[j];

		if (cp->kernel_anon_vma < 0 && cp->kernel_avc < 0)
			continue;
		r->kernel_anon_vma = cp->kernel_anon_vma;
		r->kernel_avc = cp->kernel_avc;
		r->model_anon_vma = cp->model_anon_vma;
		r->model_avc = cp->model_avc;
	}
}

void results_fill_timing(struct rpt_run *r, const struct measure_result *m,
			 unsigned int rep)
{
	r->walk.p50_ns[rep] = m->walk.p50_ns;
	r->walk.p99_ns[rep] = m->walk.p99_ns;
	r->walk.mean_ns[rep] = m->walk.mean_ns;
	if (r->walk.max_ns)
		r->walk.max_ns[rep] = m->walk.max_ns;
	r->replay_ns[rep] = (double)m->replay_ns;
}

int results_fill_sim_footprint(struct rpt_footprint *fp, int max,
			       const struct sim_footprint *sf)
{
	int c, m, nr = 0;

	for (c = 0; c < sf->nr_classes; c++) {
		const struct sim_fp_class *fc = &sf->cls[c];

		for (m = 1; m >= 0 && nr < max; m--) {
			struct rpt_footprint *p = &fp[nr];
			unsigned long n = 0;
			int op;

			for (op = 0; op < OP_NR; op++)
				n += fc->acq[m][op];
			if (!n)
				continue;
			nr++;
			footprint_row(p, fc->name, fc->kind, m, n,
				      fc->work[m]);
			p->instances = fc->instances;
			p->procs_p50 = fc->procs_p50;
			p->procs_p90 = fc->procs_p90;
			p->procs_max = fc->procs_max;
			p->subtrees_max = fc->units_max;
			p->vmas_max = fc->vmas_max;
			p->links_max = fc->links_max;
			if (m && fc->acq_events[1]) {
				p->shared_pct = 100.0 * fc->acq_shared[1] /
					fc->acq_events[1];
				p->all_pct = 100.0 * fc->acq_all_units[1] /
					fc->acq_events[1];
			}
		}
	}
	return nr;
}

void results_fill_point(struct rpt_sim_point *pt, const struct sim_result *res)
{
	int c, m, op;

	pt->cpus = res->cpus;
	pt->max_busy = res->max_busy;
	pt->walkers = res->walkers;
	pt->hold_scale = res->hold_scale;
	pt->events = res->events;
	pt->ops_per_sec = res->ops_per_sec;
	pt->virtual_ns = (double)res->makespan_ns;
	pt->walks = res->walks;
	pt->walks_blocking = res->walks_blocking;
	pt->walks_gave_up = res->walks_gave_up;
	pt->rcu_deferred_frees = res->rcu_deferred_frees;
	pt->stalled = res->stalled;
	for (c = 0; c < res->nr_classes; c++) {
		for (m = 1; m >= 0 && pt->nr < 2 * RPT_MAX_LOCKS; m--) {
			const struct sim_lockstat *st = &res->cls[c].st[m];
			struct rpt_lockstat *l = &pt->ls[pt->nr];

			if (!st->acquisitions && !st->contentions)
				continue;
			pt->nr++;
			memset(l, 0, sizeof(*l));
			snprintf(l->name, sizeof(l->name), "%s",
				 res->cls[c].name);
			snprintf(l->kind, sizeof(l->kind), "%s",
				 lock_kind_names[res->cls[c].kind]);
			l->write = m;
			l->con_bounces = st->con_bounces;
			l->contentions = st->contentions;
			l->acq_bounces = st->acq_bounces;
			l->acquisitions = st->acquisitions;
			l->wait_min = (double)st->wait_min;
			l->wait_max = (double)st->wait_max;
			l->wait_total = (double)st->wait_total;
			l->hold_min = (double)st->hold_min;
			l->hold_max = (double)st->hold_max;
			l->hold_total = (double)st->hold_total;
			l->hold_n = st->hold_n;
			for (op = 0; op < OP_NR && op < RPT_MAX_OPS; op++)
				l->contentions_op[op] = st->contentions_op[op];
		}
	}
}
