// SPDX-License-Identifier: GPL-2.0-only
/* Helpers for the report's data; see report_data.h. */
#include <stdlib.h>
#include <string.h>

#include "reports/report_data.h"

void rpt_run_free(struct rpt_run *r)
{
	free(r->replay_ns);
	free(r->walk.p50_ns);
	free(r->walk.p99_ns);
	free(r->walk.mean_ns);
	free(r->walk.ns);
	free(r->series.event);
	free(r->series.live);
	memset(r, 0, sizeof(*r));
}

static void runs_free(struct rpt_run *runs, size_t n)
{
	size_t s;

	if (!runs)
		return;
	for (s = 0; s < n; s++)
		rpt_run_free(&runs[s]);
	free(runs);
}

void report_data_free(struct report_data *d)
{
	size_t i;

	for (i = 0; i < d->nr_traces; i++)
		runs_free(d->traces[i].runs, d->nr_schemes);
	free(d->traces);
	runs_free(d->total, d->nr_schemes);
	for (i = 0; i < d->check.nr; i++) {
		free(d->check.s[i].first[RPT_ORACLE].minimal);
		free(d->check.s[i].first[RPT_KERNEL].minimal);
	}
	free(d->check.s);
	for (i = 0; i < d->depth.nr; i++)
		runs_free(d->depth.pts[i].runs, d->nr_schemes);
	free(d->depth.pts);
	free(d->contend.runs);
	free(d->contend.costs);
	sensitivity_free(&d->sens);
	free(d->schemes);
	free(d->scheme_desc);
	memset(d, 0, sizeof(*d));
}

const struct rpt_obj *rpt_obj_find(const struct rpt_run *r, const char *name)
{
	int i;

	for (i = 0; i < r->nr_objs; i++)
		if (!strcmp(r->objs[i].name, name))
			return &r->objs[i];
	return NULL;
}

struct rpt_obj *rpt_obj_get(struct rpt_run *r, const char *name,
			    unsigned long size)
{
	struct rpt_obj *o = (struct rpt_obj *)rpt_obj_find(r, name);

	if (o)
		return o;
	if (r->nr_objs == RPT_MAX_CLASSES)
		return NULL;
	o = &r->objs[r->nr_objs++];
	memset(o, 0, sizeof(*o));
	strncpy(o->name, name, sizeof(o->name) - 1);
	o->size = size;
	return o;
}

struct rpt_lock *rpt_lock_get(struct rpt_run *r, const char *name)
{
	struct rpt_lock *l;
	int i;

	for (i = 0; i < r->nr_locks; i++)
		if (!strcmp(r->locks[i].name, name))
			return &r->locks[i];
	if (r->nr_locks == RPT_MAX_LOCKS)
		return NULL;
	l = &r->locks[r->nr_locks++];
	memset(l, 0, sizeof(*l));
	strncpy(l->name, name, sizeof(l->name) - 1);
	return l;
}

int rpt_scheme_index(const struct report_data *d, const char *name)
{
	size_t s;

	for (s = 0; s < d->nr_schemes; s++)
		if (!strcmp(d->schemes[s], name))
			return (int)s;
	return -1;
}

bool rpt_is_variant(const char *scheme)
{
	return strchr(scheme, ':') != NULL;
}

int rpt_variant_base(const struct report_data *d, size_t s)
{
	const char *colon = strchr(d->schemes[s], ':');
	char base[RPT_NAME];
	size_t n;

	if (!colon)
		return -1;
	n = (size_t)(colon - d->schemes[s]);
	if (n >= sizeof(base))
		return -1;
	memcpy(base, d->schemes[s], n);
	base[n] = '\0';
	return rpt_scheme_index(d, base);
}

void rpt_run_add(struct rpt_run *sum, const struct rpt_run *r)
{
	struct rpt_obj *so;
	struct rpt_lock *sl;
	int i, op;

	if (!r->available) {
		if (!sum->available && !sum->why[0])
			memcpy(sum->why, r->why, sizeof(sum->why));
		return;
	}
	sum->available = true;
	sum->why[0] = '\0';
	sum->events += r->events;
	sum->divergences += r->divergences;
	for (op = 0; op < RPT_MAX_OPS; op++) {
		sum->op_count[op] += r->op_count[op];
		sum->op_ns[op] += r->op_ns[op];
		sum->op_nodes[op] += r->op_nodes[op];
	}
	for (i = 0; i < r->nr_objs; i++) {
		so = rpt_obj_get(sum, r->objs[i].name, r->objs[i].size);
		if (!so)
			continue;
		so->size = r->objs[i].size;
		so->end += r->objs[i].end;
		so->peak += r->objs[i].peak;
		so->snap += r->objs[i].snap;
		for (op = 0; op < RPT_MAX_OPS; op++) {
			so->allocs[op] += r->objs[i].allocs[op];
			so->frees[op] += r->objs[i].frees[op];
		}
	}
	for (i = 0; i < r->nr_locks; i++) {
		sl = rpt_lock_get(sum, r->locks[i].name);
		if (!sl)
			continue;
		for (op = 0; op < RPT_MAX_OPS; op++) {
			sl->rd[op] += r->locks[i].rd[op];
			sl->wr[op] += r->locks[i].wr[op];
			sl->contended[op] += r->locks[i].contended[op];
			sl->wait_ns[op] += r->locks[i].wait_ns[op];
		}
	}
	sum->walk.walks += r->walk.walks;
	sum->walk.found += r->walk.found;
	sum->walk.expected += r->walk.expected;
	sum->walk.candidates += r->walk.candidates;
	sum->walk.misses += r->walk.misses;
	sum->walk.nodes += r->walk.nodes;
	sum->walk.contexts += r->walk.contexts;
	sum->walk.locks += r->walk.locks;
	sum->walk.retries += r->walk.retries;
}
