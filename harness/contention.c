// SPDX-License-Identifier: GPL-2.0-only
/* The lock contention driver; see contention.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/oracle.h"
#include "harness/contention.h"
#include "harness/contention_internal.h"
#include "harness/measure.h"
#include "harness/replay.h"
#include "harness/rnd.h"

/* ---- units -------------------------------------------------------- */

/* Open addressing from process label to unit (+1; 0 is empty). */
struct pidmap {
	int64_t *key;
	size_t *val;
	bool *root;			/* the process started the trace */
	size_t cap, nr;
};

static size_t pid_slot(const struct pidmap *m, int64_t pid)
{
	size_t i = (size_t)((uint64_t)pid * 0x9E3779B97F4A7C15ULL) &
		(m->cap - 1);

	while (m->val[i] && m->key[i] != pid)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void pid_grow(struct pidmap *m)
{
	struct pidmap n = { .cap = m->cap ? 2 * m->cap : 1024 };
	size_t i, j;

	n.key = calloc(n.cap, sizeof(*n.key));
	n.val = calloc(n.cap, sizeof(*n.val));
	n.root = calloc(n.cap, sizeof(*n.root));
	if (!n.key || !n.val || !n.root)
		abort();
	for (i = 0; i < m->cap; i++) {
		if (!m->val[i])
			continue;
		j = pid_slot(&n, m->key[i]);
		n.key[j] = m->key[i];
		n.val[j] = m->val[i];
		n.root[j] = m->root[i];
		n.nr++;
	}
	free(m->key);
	free(m->val);
	free(m->root);
	*m = n;
}

/* Unit of @pid + 1, 0 when unknown. */
static size_t pid_get(struct pidmap *m, int64_t pid, bool *root)
{
	size_t i;

	if (!m->cap)
		return 0;
	i = pid_slot(m, pid);
	if (root)
		*root = m->root[i];
	return m->val[i];
}

static void pid_set(struct pidmap *m, int64_t pid, size_t unit, bool root)
{
	size_t i;

	if (2 * (m->nr + 1) > m->cap)
		pid_grow(m);
	i = pid_slot(m, pid);
	if (!m->val[i])
		m->nr++;
	m->key[i] = pid;
	m->val[i] = unit;
	m->root[i] = root;
}

/*
 * An exited label maps to no unit, so that a label the trace reuses
 * after an exit starts a new root process.
 */
static void pid_forget(struct pidmap *m, int64_t pid)
{
	size_t i;

	if (!m->cap)
		return;
	i = pid_slot(m, pid);
	if (m->val[i])
		m->val[i] = (size_t)-1;	/* exited: never a unit */
}

static void pidmap_free(struct pidmap *m)
{
	free(m->key);
	free(m->val);
	free(m->root);
}

static size_t unit_new(struct units *u, size_t start)
{
	if (u->nr == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 64;
		u->v = realloc(u->v, u->cap * sizeof(*u->v));
		if (!u->v)
			abort();
	}
	memset(&u->v[u->nr], 0, sizeof(u->v[u->nr]));
	u->v[u->nr].start = start;
	return u->nr++;
}

static void unit_add(struct unit *u, size_t ev)
{
	if (u->nr == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 64;
		u->ev = realloc(u->ev, u->cap * sizeof(*u->ev));
		if (!u->ev)
			abort();
	}
	u->ev[u->nr++] = ev;
}

void contend_units_free(struct units *u)
{
	size_t i;

	for (i = 0; i < u->nr; i++)
		free(u->v[i].ev);
	free(u->v);
	memset(u, 0, sizeof(*u));
}

/*
 * Split @t into units: a process first seen without a fork is a root
 * process with its own unit; each child a root process forks starts a
 * unit of its own that its descendants join; threads join their
 * creator's unit.  Checkpoints belong to no unit.
 */
void contend_build_units(const struct trace *t, struct units *u)
{
	struct pidmap m = { 0 };
	size_t i, k, c;
	bool root;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < t->nr_ev; i++) {
		const struct trace_event *ev = &t->ev[i];

		if (ev->type == EV_CHECKPOINT)
			continue;
		k = pid_get(&m, ev->pid, &root);
		if (!k || k == (size_t)-1) {
			k = unit_new(u, SIZE_MAX) + 1;
			root = true;
			pid_set(&m, ev->pid, k, true);
		}
		unit_add(&u->v[k - 1], i);
		if (ev->type == EV_FORK) {
			c = root ? unit_new(u, i) + 1 : k;
			pid_set(&m, ev->child, c, false);
		} else if (ev->type == EV_THREAD) {
			pid_set(&m, ev->child, k, false);
		} else if (ev->type == EV_EXIT) {
			pid_forget(&m, ev->pid);
		}
	}
	pidmap_free(&m);
}

/* ---- threads, pinning --------------------------------------------- */

void contend_pin_init(struct pinning *p, char *desc, size_t len)
{
	int pk, co, nu;

	memset(p, 0, sizeof(*p));
	if (hwloc_topology_init(&p->topo) || hwloc_topology_load(p->topo)) {
		snprintf(desc, len, "hwloc: no topology");
		return;
	}
	p->ok = true;
	pk = hwloc_get_nbobjs_by_type(p->topo, HWLOC_OBJ_PACKAGE);
	co = hwloc_get_nbobjs_by_type(p->topo, HWLOC_OBJ_CORE);
	p->npu = hwloc_get_nbobjs_by_type(p->topo, HWLOC_OBJ_PU);
	nu = hwloc_get_nbobjs_by_type(p->topo, HWLOC_OBJ_NUMANODE);
	snprintf(desc, len, "hwloc: %d package%s, %d cores, %d PUs, %d NUMA "
		 "node%s", pk, pk == 1 ? "" : "s", co, p->npu, nu,
		 nu == 1 ? "" : "s");
}

/* Bind the calling thread to PU @i (modulo); its OS index, or -1. */
int contend_pin_self(struct pinning *p, int i)
{
	hwloc_obj_t pu;

	if (!p->ok || p->npu <= 0)
		return -1;
	pu = hwloc_get_obj_by_type(p->topo, HWLOC_OBJ_PU, i % p->npu);
	if (!pu || hwloc_set_cpubind(p->topo, pu->cpuset,
				     HWLOC_CPUBIND_THREAD))
		return -1;
	return (int)pu->os_index;
}

void contend_pin_fini(struct pinning *p)
{
	if (p->ok)
		hwloc_topology_destroy(p->topo);
}

void contend_pin_note(struct pinning *p, const char *who, int pu)
{
	if (p->bound_len < (int)sizeof(p->binding))
		p->bound_len += snprintf(p->binding + p->bound_len,
					 sizeof(p->binding) - p->bound_len,
					 "%s%s@%d", p->bound_len ? " " : "",
					 who, pu);
}

void contend_pin_describe(const struct pinning *p, char *desc, size_t len)
{
	size_t used = strlen(desc);

	if (p->binding[0])
		snprintf(desc + used, len - used, "; %s", p->binding);
}

static uint64_t now_ns(void)
{
	return measure_now_ns();
}

/* A pthread mutex with lock_stat-like accounting, per thread. */
static void mutex_take(pthread_mutex_t *mu, struct lock_class *st,
		       enum mm_op op, uint64_t *since)
{
	uint64_t t0, wait;

	if (pthread_mutex_trylock(mu)) {
		t0 = now_ns();
		pthread_mutex_lock(mu);
		wait = now_ns() - t0;
		st->contended[op]++;
		st->wait_ns[op] += wait;
		if (wait > st->wait_max_ns)
			st->wait_max_ns = wait;
	}
	st->acquire_write[op]++;
	*since = now_ns();
}

static void mutex_drop(pthread_mutex_t *mu, struct lock_class *st,
		       uint64_t since)
{
	st->hold_ns += now_ns() - since;
	pthread_mutex_unlock(mu);
}

void contend_lock_class_add(struct lock_class *sum,
			    const struct lock_class *c)
{
	int op;

	for (op = 0; op < OP_NR; op++) {
		sum->acquire_read[op] += c->acquire_read[op];
		sum->acquire_write[op] += c->acquire_write[op];
		sum->contended[op] += c->contended[op];
		sum->wait_ns[op] += c->wait_ns[op];
	}
	if (c->wait_max_ns > sum->wait_max_ns)
		sum->wait_max_ns = c->wait_max_ns;
	sum->hold_ns += c->hold_ns;
}

/* ---- world mode --------------------------------------------------- */

struct shared {
	const struct trace *t;
	struct replay r;
	pthread_mutex_t world;
	struct units units;
	atomic_size_t next_unit;
	atomic_uchar *done;		/* per event */
	atomic_int workers_left;
	atomic_bool failed;
	pthread_mutex_t out;		/* guards what follows */
	struct errbuf err;
	struct lock_class world_stats;
	unsigned long walks, walks_contended;
	struct pinning pin;
	unsigned int nr_workers;
	uint64_t seed;
};

struct thread_arg {
	struct shared *sh;
	int index;			/* PU order: workers, then walkers */
	bool walker;
};

static void note_binding(struct shared *sh, const char *who, int pu)
{
	pthread_mutex_lock(&sh->out);
	contend_pin_note(&sh->pin, who, pu);
	pthread_mutex_unlock(&sh->out);
}

static void wait_for(struct shared *sh, size_t ev)
{
	while (!atomic_load_explicit(&sh->done[ev], memory_order_acquire) &&
	       !atomic_load(&sh->failed))
		sched_yield();
}

static void *world_worker(void *p)
{
	struct thread_arg *a = p;
	struct shared *sh = a->sh;
	struct lock_class st = { .name = "world_mutex" };
	struct errbuf err;
	uint64_t since;
	size_t u, i;
	int ret, pu;

	pu = contend_pin_self(&sh->pin, a->index);
	note_binding(sh, "worker", pu);
	while ((u = atomic_fetch_add(&sh->next_unit, 1)) < sh->units.nr) {
		struct unit *un = &sh->units.v[u];

		if (un->start != SIZE_MAX)
			wait_for(sh, un->start);
		for (i = 0; i < un->nr && !atomic_load(&sh->failed); i++) {
			const struct trace_event *ev = &sh->t->ev[un->ev[i]];

			mutex_take(&sh->world, &st, measure_event_op(ev->type),
				   &since);
			sh->r.next = un->ev[i];
			ret = replay_step(&sh->r, &err);
			mutex_drop(&sh->world, &st, since);
			if (ret < 0) {
				pthread_mutex_lock(&sh->out);
				if (!atomic_load(&sh->failed))
					sh->err = err;
				atomic_store(&sh->failed, true);
				pthread_mutex_unlock(&sh->out);
				break;
			}
			atomic_store_explicit(&sh->done[un->ev[i]], 1,
					      memory_order_release);
		}
	}
	pthread_mutex_lock(&sh->out);
	contend_lock_class_add(&sh->world_stats, &st);
	pthread_mutex_unlock(&sh->out);
	atomic_fetch_sub(&sh->workers_left, 1);
	return NULL;
}

struct folio *contend_old_folio(struct world *w, uint64_t *seed)
{
	unsigned long k = rnd_next(seed) % (w->nr_folios < 4096 ?
					    w->nr_folios : 4096);
	struct folio *folio;

	list_for_each_entry(folio, &w->folios, lru)
		if (!k--)
			break;
	return folio;
}

long contend_last_at(const void *base, size_t nr, size_t size, size_t off,
		     size_t ev)
{
	long lo = 0, hi = (long)nr - 1, best = -1, mid;
	size_t at;

	while (lo <= hi) {
		mid = (lo + hi) / 2;
		at = *(const size_t *)((const char *)base + mid * size + off);
		if (at <= ev) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return best;
}

/*
 * A walker emulates reclaim: it takes one of the oldest live folios (the
 * list is in allocation order, like the inactive LRU's tail) and walks it
 * with try_lock, giving up when an rmap lock is contended.
 */
static void *world_walker(void *p)
{
	struct thread_arg *a = p;
	struct shared *sh = a->sh;
	struct lock_class st = { .name = "world_mutex" };
	struct rmap_hits hits = { 0 };
	struct rmap_walk_control rwc;
	unsigned long walks = 0, gave_up = 0;
	uint64_t seed = sh->seed + 77 * (a->index + 1), since;
	struct timespec pause = { 0, 20000 };
	struct folio *folio;
	struct world *w = sh->r.w;
	int pu;

	pu = contend_pin_self(&sh->pin, a->index);
	note_binding(sh, "walker", pu);
	while (atomic_load(&sh->workers_left) > 0) {
		mutex_take(&sh->world, &st, OP_WALK, &since);
		if (w->nr_folios) {
			folio = contend_old_folio(w, &seed);
			memset(&rwc, 0, sizeof(rwc));
			rwc.try_lock = true;
			hits.nr = 0;
			rmap_walk_verified(w, folio, &hits, &rwc);
			walks++;
			gave_up += rwc.contended;
		}
		mutex_drop(&sh->world, &st, since);
		nanosleep(&pause, NULL);
	}
	rmap_hits_free(&hits);
	pthread_mutex_lock(&sh->out);
	contend_lock_class_add(&sh->world_stats, &st);
	sh->walks += walks;
	sh->walks_contended += gave_up;
	pthread_mutex_unlock(&sh->out);
	return NULL;
}

/* Every live folio walked once more, single threaded: nothing lost. */
void contend_final_check(struct world *w, struct contend_result *res)
{
	struct walk_stats ws = { 0 };

	measure_walks(w, 1, &ws);
	res->found = ws.found;
	res->present = ws.expected;
	walk_stats_free(&ws);
}

static int run_threads(struct shared *sh, const struct contend_opts *o,
		       void *(*worker)(void *), void *(*walker)(void *),
		       struct errbuf *err)
{
	unsigned int n = sh->nr_workers + o->walkers, i;
	struct thread_arg *args = calloc(n, sizeof(*args));
	pthread_t *tid = calloc(n, sizeof(*tid));
	unsigned int started = 0;

	if (!args || !tid)
		abort();
	atomic_store(&sh->workers_left, (int)sh->nr_workers);
	for (i = 0; i < n; i++) {
		args[i].sh = sh;
		args[i].index = o->pin ? (int)i : -1;
		args[i].walker = i >= sh->nr_workers;
		if (pthread_create(&tid[i], NULL, args[i].walker ? walker :
				   worker, &args[i])) {
			errbuf_set(err, "contend: cannot start a thread");
			atomic_store(&sh->failed, true);
			/* Walkers wait for workers that never ran. */
			atomic_store(&sh->workers_left, 0);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(args);
	free(tid);
	return started == n ? 0 : -1;
}

static int contend_world(const struct trace *t, const char *scheme,
			 const struct contend_opts *o,
			 struct contend_result *res, struct errbuf *err)
{
	struct shared *sh = calloc(1, sizeof(*sh));
	struct world *w;
	uint64_t t0;
	int ret = 0, i;

	if (!sh)
		abort();
	sh->t = t;
	sh->seed = o->seed ? o->seed : 1;
	pthread_mutex_init(&sh->world, NULL);
	pthread_mutex_init(&sh->out, NULL);
	contend_pin_init(&sh->pin, res->topology, sizeof(res->topology));
	if (!o->pin)
		sh->pin.npu = 0;
	sh->nr_workers = o->workers ? o->workers :
		(sh->pin.npu > 0 ? (unsigned int)sh->pin.npu : 2);
	if (replay_open(&sh->r, t, scheme, err)) {
		ret = -1;
		goto out;
	}
	sh->r.quiet = true;
	w = sh->r.w;
	w->locks.threaded = true;
	contend_build_units(t, &sh->units);
	sh->done = calloc(t->nr_ev + 1, sizeof(*sh->done));
	if (!sh->done)
		abort();
	res->units = sh->units.nr;

	t0 = now_ns();
	ret = run_threads(sh, o, world_worker, world_walker, err);
	res->wall_ns = now_ns() - t0;
	if (!ret && atomic_load(&sh->failed)) {
		*err = sh->err;
		ret = -1;
	}
	w->locks.threaded = false;
	if (!ret) {
		res->events = 0;
		for (i = 0; (size_t)i < sh->units.nr; i++)
			res->events += sh->units.v[i].nr;
		res->divergences = sh->r.divergences;
		res->walks = sh->walks;
		res->walks_contended = sh->walks_contended;
		for (i = 0; i < w->locks.nr; i++)
			res->locks[i] = w->locks.cls[i];
		res->nr_locks = w->locks.nr;
		res->locks[res->nr_locks] = sh->world_stats;
		res->locks[res->nr_locks++].name = "world_mutex";
		contend_final_check(w, res);
	}
	replay_close(&sh->r);
out:
	contend_pin_describe(&sh->pin, res->topology, sizeof(res->topology));
	contend_units_free(&sh->units);
	free(sh->done);
	contend_pin_fini(&sh->pin);
	pthread_mutex_destroy(&sh->world);
	pthread_mutex_destroy(&sh->out);
	free(sh);
	return ret;
}

/* ---- entry -------------------------------------------------------- */

int contend_trace(const struct trace *t, const char *scheme,
		  const struct contend_opts *o, struct contend_result *res,
		  struct errbuf *err)
{
	struct scheme_spec spec;

	memset(res, 0, sizeof(*res));
	snprintf(res->scheme, sizeof(res->scheme), "%s", scheme);
	res->mode = o->mode;
	if (scheme_lookup(scheme, &spec, err))
		return -1;
	if (o->mode == CONTEND_SCHEDULE)
		return contend_schedule(t, scheme, o, res, err);
	return contend_world(t, scheme, o, res, err);
}
