// SPDX-License-Identifier: GPL-2.0-only
/* The measurement library; see measure.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/oracle.h"
#include "harness/measure.h"
#include "harness/replay.h"
#include "reports/stats.h"

uint64_t measure_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* ---- object sizes ------------------------------------------------- */

/* The slab objsizes the scheme table gives (harness/registry.h). */
size_t objsize_arch(const char *arch, const char *name)
{
	return objsize_arch_table(arch, scheme_objclass_find(name));
}

void objsizes_set(struct objsizes *s, const char *name, size_t size)
{
	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	snprintf(s->v[s->nr].name, sizeof(s->v[s->nr].name), "%s", name);
	s->v[s->nr].size = size;
	s->nr++;
}

int objsizes_parse(struct objsizes *s, const char *arg, struct errbuf *err)
{
	const char *eq = strchr(arg, '=');
	char name[48], *end;
	unsigned long v;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name))
		return errbuf_set(err, "--objsize %s: expected NAME=SIZE", arg);
	memcpy(name, arg, eq - arg);
	name[eq - arg] = '\0';
	errno = 0;
	v = strtoul(eq + 1, &end, 0);
	if (errno || end == eq + 1 || *end || v > (1UL << 30))
		return errbuf_set(err, "--objsize %s: bad size '%s'", arg,
				  eq + 1);
	objsizes_set(s, name, v);
	return 0;
}

static int take_objsize(const char *name, unsigned long objsize, void *arg)
{
	objsizes_set(arg, name, objsize);
	return 0;
}

int objsizes_from_slabinfo(struct objsizes *s, const char *path,
			   struct errbuf *err)
{
	size_t before = s->nr;

	if (trace_slabinfo_each(path, take_objsize, s, err->msg,
				sizeof(err->msg)))
		return -1;
	if (s->nr == before)
		return errbuf_set(err, "%s: no caches", path);
	return 0;
}

void objsizes_free(struct objsizes *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

size_t objsize_trace(const struct trace_header *h, const char *name)
{
	size_t sz = trace_slab_size(h, name);

	return sz ? sz : objsize_arch(h->arch, name);
}

void measure_apply_sizes(struct world *w, const struct trace_header *h,
			 const struct objsizes *user)
{
	size_t j, sz;
	int i;

	for (i = 0; i < w->acct.nr; i++) {
		sz = objsize_trace(h, w->acct.cls[i].name);
		if (sz)
			world_set_objsize(w, w->acct.cls[i].name, sz);
	}
	if (!user)
		return;
	for (j = 0; j < user->nr; j++)
		world_set_objsize(w, user->v[j].name, user->v[j].size);
}

/* ---- walks -------------------------------------------------------- */

static void ns_push(struct walk_stats *ws, double v)
{
	if (ws->nr_ns == ws->cap_ns) {
		ws->cap_ns = ws->cap_ns ? 2 * ws->cap_ns : 256;
		ws->ns = realloc(ws->ns, ws->cap_ns * sizeof(*ws->ns));
		if (!ws->ns)
			abort();
	}
	ws->ns[ws->nr_ns++] = v;
}

#define MAX_REPEAT 15

void measure_walks(struct world *w, unsigned int repeat,
		   struct walk_stats *ws)
{
	struct rmap_hits hits = { 0 }, all = { 0 };
	struct rmap_walk_control rwc;
	double t[MAX_REPEAT];
	struct folio *folio;
	unsigned int i;
	uint64_t t0;

	if (!repeat)
		repeat = 1;
	if (repeat > MAX_REPEAT)
		repeat = MAX_REPEAT;
	list_for_each_entry(folio, &w->folios, lru) {
		for (i = 0; i < repeat; i++) {
			hits.nr = 0;
			memset(&rwc, 0, sizeof(rwc));
			t0 = measure_now_ns();
			rmap_walk_verified(w, folio, &hits, &rwc);
			t[i] = (double)(measure_now_ns() - t0);
			if (i)
				continue;
			ws->candidates += rwc.candidates;
			ws->misses += rwc.misses;
			ws->nodes += rwc.nodes;
			ws->contexts += rwc.contexts;
			ws->locks += rwc.locks;
			ws->retries += rwc.retries;
			ws->found += rmap_hits_sort(&hits);
		}
		rs_sort(t, repeat);
		ns_push(ws, t[repeat / 2]);
		ws->walks++;
	}
	oracle_scan(w, &all);
	ws->expected += all.nr;
	rmap_hits_free(&all);
	rmap_hits_free(&hits);
}

/* Without walks every figure is NaN (reports/stats.h). */
void walk_stats_finish(struct walk_stats *ws)
{
	rs_sort(ws->ns, ws->nr_ns);
	ws->p50_ns = rs_percentile_sorted(ws->ns, ws->nr_ns, 50);
	ws->p99_ns = rs_percentile_sorted(ws->ns, ws->nr_ns, 99);
	ws->mean_ns = rs_amean(ws->ns, ws->nr_ns);
	ws->max_ns = rs_max(ws->ns, ws->nr_ns);
}

void walk_stats_add(struct walk_stats *sum, const struct walk_stats *ws)
{
	size_t i;

	sum->walks += ws->walks;
	sum->found += ws->found;
	sum->expected += ws->expected;
	sum->candidates += ws->candidates;
	sum->misses += ws->misses;
	sum->nodes += ws->nodes;
	sum->contexts += ws->contexts;
	sum->locks += ws->locks;
	sum->retries += ws->retries;
	for (i = 0; i < ws->nr_ns; i++)
		ns_push(sum, ws->ns[i]);
}

void walk_stats_free(struct walk_stats *ws)
{
	free(ws->ns);
	ws->ns = NULL;
	ws->nr_ns = ws->cap_ns = 0;
}

double walk_precision(const struct walk_stats *ws)
{
	if (!ws->candidates)
		return NAN;
	return 1.0 - (double)ws->misses / (double)ws->candidates;
}

/* ---- replay with measurement --------------------------------------- */

enum mm_op measure_event_op(unsigned int type)
{
	switch (type) {
	case EV_MMAP:
		return OP_MMAP;
	case EV_MUNMAP:
		return OP_MUNMAP;
	case EV_MPROTECT:
		return OP_MPROTECT;
	case EV_MADVISE:
		return OP_MADVISE;
	case EV_MREMAP:
		return OP_MREMAP;
	case EV_BRK:
		return OP_BRK;
	case EV_FAULT:
		return OP_FAULT;
	case EV_FORK:
		return OP_FORK;
	case EV_EXEC:
		return OP_EXEC;
	case EV_EXIT:
		return OP_EXIT;
	case EV_MLOCK:
	case EV_MUNLOCK:
	case EV_MLOCKALL:
	case EV_MUNLOCKALL:
		return OP_MLOCK;
	case EV_MSEAL:
		return OP_MSEAL;
	case EV_PKEY_MPROTECT:
		return OP_MPROTECT;
	case EV_UFFD_REGISTER:
	case EV_UFFD_UNREGISTER:
		return OP_UFFD;
	default:
		return OP_NONE;
	}
}

static void series_sample(struct mem_series *s, const struct world *w,
			  unsigned long event)
{
	long *row;
	int i;

	if (s->nr && s->event[s->nr - 1] == event)
		return;
	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 128;
		s->event = realloc(s->event, s->cap * sizeof(*s->event));
		s->live = realloc(s->live, s->cap * ACCT_MAX_CLASSES *
				  sizeof(*s->live));
		if (!s->event || !s->live)
			abort();
	}
	s->event[s->nr] = event;
	row = &s->live[s->nr * ACCT_MAX_CLASSES];
	for (i = 0; i < ACCT_MAX_CLASSES; i++)
		row[i] = i < w->acct.nr ? w->acct.cls[i].live : 0;
	s->nr++;
}

static long class_live(const struct world *w, const char *name)
{
	int i = acct_find(&w->acct, name);

	return i < 0 ? -1 : w->acct.cls[i].live;
}

static struct cp_sample *cp_push(struct measure_result *res)
{
	struct cp_sample *cp;

	res->cps = realloc(res->cps, (res->nr_cps + 1) * sizeof(*res->cps));
	if (!res->cps)
		abort();
	cp = &res->cps[res->nr_cps++];
	memset(cp, 0, sizeof(*cp));
	return cp;
}

static void checkpoint_sample(struct measure_result *res, struct world *w,
			      const struct trace_checkpoint *kcp,
			      unsigned long event, const char *reason,
			      const struct measure_opts *o)
{
	struct cp_sample *cp;

	if ((!kcp || (kcp->anon_vma < 0 && kcp->anon_vma_chain < 0)) &&
	    !o->walk_checkpoints)
		return;
	cp = cp_push(res);
	cp->event = event;
	snprintf(cp->reason, sizeof(cp->reason), "%s",
		 reason ? reason : (kcp ? kcp->reason : ""));
	cp->kernel_anon_vma = kcp ? kcp->anon_vma : -1;
	cp->kernel_avc = kcp ? kcp->anon_vma_chain : -1;
	/* Compared with the kernel's only where the scheme keeps them. */
	cp->model_anon_vma = cp->model_avc = -1;
	if (w->scheme->caps & SCHEME_KERNEL_OBJECTS) {
		cp->model_anon_vma = class_live(w, "anon_vma");
		cp->model_avc = class_live(w, "anon_vma_chain");
	}
	if (o->walk_checkpoints) {
		measure_walks(w, o->walk_repeat ? o->walk_repeat : 3,
			      &cp->walk);
		walk_stats_finish(&cp->walk);
		cp->walked = true;
	}
}

/* The VMA tree visit count of @pid's mm, and the mm's id. */
static unsigned long mm_visits(struct world *w, long pid, unsigned long *id)
{
	struct task *t = task_find(w, pid);

	if (!t || !t->mm) {
		*id = ~0UL;
		return 0;
	}
	*id = t->mm->id;
	return t->mm->mm_mt.visits;
}

/*
 * VMA tree nodes an event visited: the acting mm's count before and after
 * (a new mm from exec or a first event counts whole), plus the child's
 * mm after a fork.  An mm the event frees (exit) takes its count along.
 */
static unsigned long event_vma_nodes(struct world *w,
				     const struct trace_event *ev,
				     unsigned long id0, unsigned long v0)
{
	unsigned long id1, v1, cid, n = 0;
	struct task *child;

	v1 = mm_visits(w, ev->pid, &id1);
	if (id1 != ~0UL)
		n = id1 == id0 ? (v1 >= v0 ? v1 - v0 : 0) : v1;
	if (ev->type == EV_FORK) {
		child = task_find(w, ev->child);
		cid = child && child->mm ? child->mm->id : ~0UL;
		if (cid != ~0UL && cid != id1)
			n += child->mm->mm_mt.visits;
	}
	return n;
}

/* The snapshot's live objects and folios: now. */
static void snap_figures(struct measure_result *res, struct world *w)
{
	int i;

	for (i = 0; i < w->acct.nr; i++)
		res->snap_live[i] = w->acct.cls[i].live;
	res->snap_folios = w->nr_folios;
}

/*
 * The walks of the snapshot in the middle of the replay: what they count
 * (OP_WALK, locks) is taken back, so that the events' costs are those of
 * a replay that never walked.
 */
static void walk_now(struct measure_result *res, struct world *w,
		     const struct measure_opts *o)
{
	struct lock_footprint *fp;
	struct lock_class *cls;
	struct acct *acct;

	acct = malloc(sizeof(*acct));
	cls = malloc(sizeof(w->locks.cls));
	fp = malloc(sizeof(w->locks.fp));
	if (!acct || !cls || !fp)
		abort();
	*acct = w->acct;
	memcpy(cls, w->locks.cls, sizeof(w->locks.cls));
	memcpy(fp, w->locks.fp, sizeof(w->locks.fp));
	measure_walks(w, o->walk_repeat ? o->walk_repeat : 3, &res->walk);
	w->acct = *acct;
	memcpy(w->locks.cls, cls, sizeof(w->locks.cls));
	memcpy(w->locks.fp, fp, sizeof(w->locks.fp));
	free(acct);
	free(cls);
	free(fp);
}

static unsigned int page_size_ok(unsigned int ps)
{
	return ps && !(ps & (ps - 1));
}

int measure_trace(const struct trace *t, const char *scheme,
		  const struct measure_opts *o, struct measure_result *res,
		  struct errbuf *err)
{
	struct scheme_spec spec;
	const struct trace_event *ev;
	unsigned long every, id0, v0, idx, peak_folios = 0, peak_event = 0;
	bool snapped = false;
	struct replay r;
	struct world *w;
	uint64_t t0, dt;
	enum mm_op op;
	int ret, i;

	memset(res, 0, sizeof(*res));
	snprintf(res->scheme, sizeof(res->scheme), "%s", scheme);
	if (scheme_lookup(scheme, &spec, err))
		return -1;
	if (!page_size_ok(t->hdr.page_size))
		return errbuf_set(err, "%s: bad page size %u", t->path,
				  t->hdr.page_size);
	if (replay_open(&r, t, scheme, err)) {
		/* Name and trace are fine: the scheme refused to start. */
		res->available = false;
		snprintf(res->why, sizeof(res->why), "%s", err->msg);
		return 1;
	}
	res->available = true;
	r.quiet = true;
	w = r.w;
	measure_apply_sizes(w, &t->hdr, o->sizes);

	every = o->every;
	if (!every)
		every = t->nr_ev / 100 ? t->nr_ev / 100 : 1;
	res->series.every = every;
	series_sample(&res->series, w, 0);

	for (;;) {
		idx = r.next;
		if (idx >= t->nr_ev)
			break;
		ev = &t->ev[idx];
		v0 = mm_visits(w, ev->pid, &id0);
		t0 = measure_now_ns();
		ret = replay_step(&r, err);
		dt = measure_now_ns() - t0;
		if (ret < 0) {
			replay_close(&r);
			return -1;
		}
		if (!ret)
			break;
		op = measure_event_op(ev->type);
		res->replay_ns += dt;
		res->ops[op].ns += dt;
		if (ev->type != EV_CHECKPOINT)
			res->ops[op].count++;
		res->ops[op].vma_nodes += event_vma_nodes(w, ev, id0, v0);
		res->events++;
		if (ev->type == EV_CHECKPOINT && ev->cp < t->nr_cps)
			checkpoint_sample(res, w, &t->cps[ev->cp], idx, NULL,
					  o);
		if ((idx + 1) % every == 0)
			series_sample(&res->series, w, idx + 1);
		if (w->nr_folios > peak_folios) {
			peak_folios = w->nr_folios;
			peak_event = idx + 1;
		}
		/* The snapshot, known from an earlier replay: take it now. */
		if (idx + 1 == o->snap_event && peak_event == idx + 1) {
			snap_figures(res, w);
			if (!o->no_walk)
				walk_now(res, w, o);
			snapped = true;
		}
	}
	series_sample(&res->series, w, t->nr_ev);
	if (o->end_ref)
		checkpoint_sample(res, w, o->end_ref, t->nr_ev, "end",
				  &(struct measure_opts){ 0 });
	res->divergences = r.divergences;

	/* Costs of the events only: the walks below count under OP_WALK. */
	res->acct = w->acct;
	res->nr_locks = w->locks.nr;
	for (i = 0; i < w->locks.nr; i++) {
		res->locks[i] = w->locks.cls[i];
		res->lock_fp[i] = w->locks.fp[i];
	}

	res->snap_event = t->nr_ev;
	res->snap_at_end = true;
	if (!w->nr_folios && peak_folios) {
		/* Ends empty: the snapshot is where the most folios were. */
		res->snap_event = peak_event;
		res->snap_at_end = false;
	}
	if (snapped && res->snap_event != o->snap_event) {
		/* Not where the earlier replay had it: taken again below. */
		walk_stats_free(&res->walk);
		memset(&res->walk, 0, sizeof(res->walk));
		snapped = false;
	}
	if (res->snap_at_end) {
		snap_figures(res, w);
		if (!o->no_walk)
			measure_walks(w, o->walk_repeat ? o->walk_repeat : 3,
				      &res->walk);
	} else if (!snapped) {
		/* The peak was not known: replay up to it again. */
		replay_close(&r);
		r.w = measure_replay_to(t, scheme, peak_event, err);
		if (!r.w)
			return -1;
		snap_figures(res, r.w);
		if (!o->no_walk)
			measure_walks(r.w, o->walk_repeat ?
				      o->walk_repeat : 3, &res->walk);
		world_free(r.w);
		walk_stats_finish(&res->walk);
		return 0;
	}
	walk_stats_finish(&res->walk);
	replay_close(&r);
	return 0;
}

struct world *measure_replay_to(const struct trace *t, const char *scheme,
				unsigned long events, struct errbuf *err)
{
	struct replay r;
	struct world *w;

	if (replay_open(&r, t, scheme, err))
		return NULL;
	r.quiet = true;
	measure_apply_sizes(r.w, &t->hdr, NULL);
	while (r.next < events && r.next < t->nr_ev) {
		if (replay_step(&r, err) < 0) {
			replay_close(&r);
			return NULL;
		}
	}
	w = r.w;
	r.w = NULL;
	replay_close(&r);
	return w;
}

unsigned long measure_folio_peak(const struct trace *t,
				 unsigned long *folios, struct errbuf *err)
{
	unsigned long best = 0, at = 0;
	struct replay r;
	int ret;

	*folios = 0;
	if (replay_open(&r, t, ORACLE_SPEC, err))
		return 0;
	r.quiet = true;
	while ((ret = replay_step(&r, err)) > 0) {
		if (r.w->nr_folios > best) {
			best = r.w->nr_folios;
			at = r.next;
		}
	}
	replay_close(&r);
	*folios = best;
	return ret < 0 ? 0 : at;
}

void measure_result_free(struct measure_result *res)
{
	size_t i;

	walk_stats_free(&res->walk);
	for (i = 0; i < res->nr_cps; i++)
		walk_stats_free(&res->cps[i].walk);
	free(res->cps);
	free(res->series.event);
	free(res->series.live);
	res->cps = NULL;
	res->nr_cps = 0;
	memset(&res->series, 0, sizeof(res->series));
}

static int find_lock(const struct measure_result *r, const char *name)
{
	int i;

	for (i = 0; i < r->nr_locks; i++)
		if (!strcmp(r->locks[i].name, name))
			return i;
	return -1;
}

void measure_result_add(struct measure_result *sum,
			const struct measure_result *r)
{
	int i, j, op;

	if (!sum->scheme[0])
		snprintf(sum->scheme, sizeof(sum->scheme), "%s", r->scheme);
	if (!r->available) {
		if (!sum->available && !sum->why[0])
			snprintf(sum->why, sizeof(sum->why), "%s", r->why);
		return;
	}
	sum->available = true;
	sum->why[0] = '\0';
	sum->events += r->events;
	sum->divergences += r->divergences;
	sum->replay_ns += r->replay_ns;
	sum->snap_folios += r->snap_folios;
	for (op = 0; op < OP_NR; op++) {
		sum->ops[op].count += r->ops[op].count;
		sum->ops[op].ns += r->ops[op].ns;
		sum->ops[op].vma_nodes += r->ops[op].vma_nodes;
		sum->acct.ops[op] += r->acct.ops[op];
	}
	for (i = 0; i < r->acct.nr; i++) {
		const struct obj_class *c = &r->acct.cls[i];
		struct obj_class *s;

		j = acct_class(&sum->acct, c->name, c->size);
		s = &sum->acct.cls[j];
		s->size = c->size;
		s->live += c->live;
		s->peak += c->peak;
		sum->snap_live[j] += r->snap_live[i] > 0 ? r->snap_live[i] : 0;
		for (op = 0; op < OP_NR; op++) {
			s->allocs[op] += c->allocs[op];
			s->frees[op] += c->frees[op];
		}
	}
	for (i = 0; i < r->nr_locks; i++) {
		const struct lock_class *c = &r->locks[i];
		struct lock_class *s;

		j = find_lock(sum, c->name);
		if (j < 0) {
			if (sum->nr_locks == LOCK_MAX_CLASSES)
				continue;
			j = sum->nr_locks++;
			memset(&sum->locks[j], 0, sizeof(sum->locks[j]));
			memset(&sum->lock_fp[j], 0, sizeof(sum->lock_fp[j]));
			sum->locks[j].name = c->name;
			sum->locks[j].kind = c->kind;
		}
		s = &sum->locks[j];
		lock_footprint_add(&sum->lock_fp[j], &r->lock_fp[i]);
		for (op = 0; op < OP_NR; op++) {
			s->acquire_read[op] += c->acquire_read[op];
			s->acquire_write[op] += c->acquire_write[op];
			s->contended[op] += c->contended[op];
			s->wait_ns[op] += c->wait_ns[op];
		}
		if (c->wait_max_ns > s->wait_max_ns)
			s->wait_max_ns = c->wait_max_ns;
		s->hold_ns += c->hold_ns;
	}
	walk_stats_add(&sum->walk, &r->walk);
}


