// SPDX-License-Identifier: GPL-2.0-only
/* Helpers for the report's data; see report_data.h. */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"

void rpt_run_free(struct rpt_run *r)
{
	free(r->replay_ns);
	free(r->walk.p50_ns);
	free(r->walk.p99_ns);
	free(r->walk.mean_ns);
	free(r->walk.max_ns);
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

/* Per acquisition over both: weighted by their acquisitions. */
static double per_acq(double a, unsigned long na, double b, unsigned long nb)
{
	return na + nb ? (a * (double)na + b * (double)nb) /
		(double)(na + nb) : 0;
}

static void footprint_add(struct rpt_run *sum, const struct rpt_footprint *p)
{
	struct rpt_footprint *q;
	int i;

	for (i = 0; i < sum->nr_fp; i++)
		if (!strcmp(sum->fp[i].name, p->name) &&
		    sum->fp[i].write == p->write)
			break;
	if (i == sum->nr_fp) {
		if (i == 2 * RPT_MAX_LOCKS)
			return;
		sum->fp[sum->nr_fp++] = *p;
		return;
	}
	q = &sum->fp[i];
	q->nodes = per_acq(q->nodes, q->acq, p->nodes, p->acq);
	q->linked = per_acq(q->linked, q->acq, p->linked, p->acq);
	q->unlinked = per_acq(q->unlinked, q->acq, p->unlinked, p->acq);
	q->contexts = per_acq(q->contexts, q->acq, p->contexts, p->acq);
	q->vmas = per_acq(q->vmas, q->acq, p->vmas, p->acq);
	q->allocated = per_acq(q->allocated, q->acq, p->allocated, p->acq);
	q->freed = per_acq(q->freed, q->acq, p->freed, p->acq);
	q->acq += p->acq;
}

void rpt_run_add(struct rpt_run *sum, const struct rpt_run *r)
{
	struct rpt_obj *so;
	struct rpt_lock *sl;
	enum rpt_moment m;
	bool fresh;
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
		fresh = !rpt_obj_find(sum, r->objs[i].name);
		so = rpt_obj_get(sum, r->objs[i].name, r->objs[i].size);
		if (!so)
			continue;
		so->slab = (fresh || so->slab) && r->objs[i].slab;
		if (so->size && so->size != r->objs[i].size) {
			/* Another arch's size: the sum keeps KB from now. */
			for (m = RPT_SNAP; m <= RPT_PEAK; m++)
				so->kb[m] = rpt_obj_kb(so, m);
			so->size = 0;
		}
		if (!so->size)
			for (m = RPT_SNAP; m <= RPT_PEAK; m++)
				so->kb[m] += rpt_obj_kb(&r->objs[i], m);
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
		memcpy(sl->kind, r->locks[i].kind, sizeof(sl->kind));
		if (r->locks[i].wait_max_ns > sl->wait_max_ns)
			sl->wait_max_ns = r->locks[i].wait_max_ns;
		sl->hold_ns += r->locks[i].hold_ns;
		for (op = 0; op < RPT_MAX_OPS; op++) {
			sl->rd[op] += r->locks[i].rd[op];
			sl->wr[op] += r->locks[i].wr[op];
			sl->contended[op] += r->locks[i].contended[op];
			sl->wait_ns[op] += r->locks[i].wait_ns[op];
		}
	}
	for (i = 0; i < r->nr_fp; i++)
		footprint_add(sum, &r->fp[i]);
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

static bool arch_before(const struct report_data *d, const struct rpt_arch *a,
			const struct rpt_arch *b)
{
	size_t i, ra = 0, rb = 0;

	for (i = d->nr_traces; i-- > 0;) {
		if (!strcmp(d->traces[i].arch, a->arch))
			ra = i;
		if (!strcmp(d->traces[i].arch, b->arch))
			rb = i;
	}
	return ra != rb ? ra < rb : a->page_size < b->page_size;
}

/* Is @name an item of the list @list ("A, B, C")? */
static bool kernel_listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	for (p = strstr(list, name); p; p = strstr(p + 1, name))
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ','))
			return true;
	return false;
}

/* "vm_area_struct 176 anon_vma 104 ...": every sized class of @tr once. */
static void trace_sizes(char *buf, size_t len, const struct report_data *d,
			const struct rpt_trace *tr)
{
	size_t s, used = 0;
	char item[RPT_NAME + 24];
	int k;

	buf[0] = '\0';
	for (s = 0; s < d->nr_schemes; s++) {
		for (k = 0; tr->runs[s].available && k < tr->runs[s].nr_objs;
		     k++) {
			const struct rpt_obj *o = &tr->runs[s].objs[k];

			snprintf(item, sizeof(item), " %s %lu ", o->name,
				 o->size);
			if (strstr(buf, item) || used >= len)
				continue;
			/* one blank between items: " a 1  b 2 " */
			used += snprintf(buf + used, len - used, "%s", item);
		}
	}
}

/*
 * Where group @a's sizes are from, each kernel once: "the recording
 * kernels' /proc/slabinfo (R1, R2)", then the table for what they lack
 * and for its traces that recorded none.
 */
static void arch_source(const struct report_data *d, struct rpt_arch *a)
{
	char kernels[256] = "", item[72], sizes[sizeof(a->sizes)];
	const char *table = NULL;
	size_t i, nk = 0, len = 0, used;
	bool partial = false, unsized = false;

	for (i = 0; i < d->nr_traces; i++) {
		const struct rpt_trace *tr = &d->traces[i];

		trace_sizes(sizes, sizeof(sizes), d, tr);
		if (strcmp(tr->arch, a->arch) ||
		    tr->page_size != a->page_size || strcmp(sizes, a->sizes))
			continue;
		table = tr->table_source;
		if (!tr->slab_kernel[0]) {
			unsized = true;
			continue;
		}
		partial |= tr->slab_partial;
		snprintf(item, sizeof(item), "%s", tr->slab_kernel);
		if (kernel_listed(kernels, item))
			continue;
		len += snprintf(kernels + len, sizeof(kernels) - len,
				"%s%s", nk ? ", " : "", item);
		nk++;
	}
	used = 0;
	if (nk)
		used = snprintf(a->objsize_source, sizeof(a->objsize_source),
				"the recording kernel%s /proc/slabinfo (%s)",
				nk > 1 ? "s'" : "'s", kernels);
	if (nk && partial && used < sizeof(a->objsize_source))
		used += snprintf(a->objsize_source + used,
				 sizeof(a->objsize_source) - used,
				 "; the rest: %s", table);
	if (nk && unsized && used < sizeof(a->objsize_source))
		used += snprintf(a->objsize_source + used,
				 sizeof(a->objsize_source) - used,
				 "; traces without recorded sizes: %s", table);
	if (!nk)
		snprintf(a->objsize_source, sizeof(a->objsize_source), "%s",
			 table ? table : "not known");
}

size_t rpt_arches(const struct report_data *d, struct rpt_arch **out)
{
	struct rpt_arch *a = calloc(d->nr_traces + 1, sizeof(*a)), t;
	size_t n = 0, i, k, s;
	char sizes[sizeof(a->sizes)];

	if (!a)
		abort();
	for (i = 0; i < d->nr_traces; i++) {
		const struct rpt_trace *tr = &d->traces[i];

		trace_sizes(sizes, sizeof(sizes), d, tr);
		for (k = 0; k < n; k++)
			if (!strcmp(a[k].arch, tr->arch) &&
			    a[k].page_size == tr->page_size &&
			    !strcmp(a[k].sizes, sizes))
				break;
		if (k == n) {
			snprintf(a[k].arch, sizeof(a[k].arch), "%s",
				 tr->arch);
			a[k].page_size = tr->page_size;
			memcpy(a[k].sizes, sizes, sizeof(sizes));
			a[k].runs = calloc(d->nr_schemes + 1,
					   sizeof(*a[k].runs));
			if (!a[k].runs)
				abort();
			for (s = 0; s < d->nr_schemes; s++)
				snprintf(a[k].runs[s].scheme, RPT_NAME, "%s",
					 d->schemes[s]);
			n++;
		}
		a[k].nr_traces++;
		a[k].events += tr->events;
		for (s = 0; s < d->nr_schemes; s++)
			rpt_run_add(&a[k].runs[s], &tr->runs[s]);
	}
	for (k = 0; k < n; k++)
		arch_source(d, &a[k]);
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && arch_before(d, &a[k], &a[k - 1]); k--) {
			t = a[k];
			a[k] = a[k - 1];
			a[k - 1] = t;
		}
	*out = a;
	return n;
}

void rpt_arches_free(struct rpt_arch *a, size_t n, size_t nr_schemes)
{
	size_t i;

	for (i = 0; i < n; i++)
		runs_free(a[i].runs, nr_schemes);
	free(a);
}

void rpt_arch_name(char *buf, size_t len, const struct rpt_arch *a)
{
	if (a->page_size >= 1024 && !(a->page_size % 1024))
		snprintf(buf, len, "%s, %lu KiB pages", a->arch[0] ?
			 a->arch : "unknown arch", a->page_size / 1024);
	else
		snprintf(buf, len, "%s, %lu-byte pages", a->arch[0] ?
			 a->arch : "unknown arch", a->page_size);
}
