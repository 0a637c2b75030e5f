// SPDX-License-Identifier: GPL-2.0-only
/*
 * The contention driver's schedule mode (contention.h): record, per event,
 * which rmap lock instances the single-threaded replay takes and when,
 * then replay those lock schedules concurrently on real rwlocks.
 *
 * It needs the core's lock observer (core/lock.h defines
 * RMAP_LOCK_OBSERVER when it has one); without it the mode reports that
 * it is not available.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/lock.h"
#include "core/oracle.h"
#include "harness/contention_internal.h"
#include "harness/measure.h"
#include "harness/replay.h"
#include "harness/rnd.h"
#include "harness/u64map.h"

#ifndef RMAP_LOCK_OBSERVER

bool contend_schedule_supported(void)
{
	return false;
}

int contend_schedule(const struct trace *t, const char *scheme,
		     const struct contend_opts *o, struct contend_result *res,
		     struct errbuf *err)
{
	return errbuf_set(err, "contend: --mode wallclock-schedule needs "
			  "the core's lock observer (RMAP_LOCK_OBSERVER in "
			  "core/lock.h), which this build lacks");
}

#else

bool contend_schedule_supported(void)
{
	return true;
}

/* One lock operation of a schedule, @gap_ns after the previous one. */
struct step {
	uint32_t lock;			/* dense instance index */
	uint8_t kind;			/* enum lock_event */
	uint8_t cls;
	uint16_t pad;
	uint32_t gap_ns;
};

/* The steps of one event or walk, and the time after the last one. */
struct sched {
	uint32_t first, nr;
	uint32_t tail_ns;
	size_t event;			/* walks: after this event */
};

#define MAX_GAP_NS	(1U << 30)
#define MAX_HELD	16
#define CYCLE_NS	(200ULL * 1000 * 1000)

struct recording {
	struct step *steps;
	size_t nr, cap;
	struct sched *ev;		/* per trace event */
	struct sched *walks;
	size_t nr_walks, cap_walks;
	struct u64map ids;		/* lock id -> dense index */
	size_t nr_ids;
	uint8_t *cls;			/* per dense index */
	size_t cap_cls;
	uint64_t last;
};

static uint64_t now_ns(void)
{
	return measure_now_ns();
}

static uint32_t clamp_gap(uint64_t v)
{
	return v > MAX_GAP_NS ? MAX_GAP_NS : (uint32_t)v;
}

static uint32_t dense_of(struct recording *rec, unsigned long id, int cls)
{
	bool added;
	uint32_t d = u64map_get_or_add(&rec->ids, id, (uint32_t)rec->nr_ids,
				       &added);

	if (!added)
		return d;
	if (rec->nr_ids == rec->cap_cls) {
		rec->cap_cls = rec->cap_cls ? 2 * rec->cap_cls : 4096;
		rec->cls = realloc(rec->cls, rec->cap_cls);
		if (!rec->cls)
			abort();
	}
	rec->cls[rec->nr_ids++] = (uint8_t)cls;
	return d;
}

/* The lock observer: one step per acquisition and release. */
static void observe(void *arg, unsigned long id, int cls,
		    enum lock_event ev)
{
	struct recording *rec = arg;
	uint64_t t = now_ns();
	struct step *s;

	/* counted locks have no instance to contend on */
	if (!id)
		return;
	if (rec->nr == rec->cap) {
		rec->cap = rec->cap ? 2 * rec->cap : 65536;
		rec->steps = realloc(rec->steps, rec->cap * sizeof(*s));
		if (!rec->steps)
			abort();
	}
	s = &rec->steps[rec->nr++];
	s->lock = dense_of(rec, id, cls);
	s->kind = (uint8_t)ev;
	s->cls = (uint8_t)cls;
	s->pad = 0;
	s->gap_ns = clamp_gap(t - rec->last);
	rec->last = now_ns();	/* the observer's own time is not work */
}

static void sched_begin(struct recording *rec, struct sched *s)
{
	s->first = (uint32_t)rec->nr;
	rec->last = now_ns();
}

static void sched_end(struct recording *rec, struct sched *s)
{
	s->nr = (uint32_t)(rec->nr - s->first);
	s->tail_ns = clamp_gap(now_ns() - rec->last);
}

/* Walk two of the oldest live folios and keep their schedules. */
static void sample_walks(struct recording *rec, struct world *w,
			 size_t event, uint64_t *seed)
{
	struct rmap_hits hits = { 0 };
	struct rmap_walk_control rwc;
	struct folio *folio;
	struct sched *s;
	int n;

	for (n = 0; n < 2 && w->nr_folios; n++) {
		folio = contend_old_folio(w, seed);
		if (rec->nr_walks == rec->cap_walks) {
			rec->cap_walks = rec->cap_walks ?
				2 * rec->cap_walks : 1024;
			rec->walks = realloc(rec->walks, rec->cap_walks *
					     sizeof(*rec->walks));
			if (!rec->walks)
				abort();
		}
		s = &rec->walks[rec->nr_walks++];
		s->event = event;
		memset(&rwc, 0, sizeof(rwc));
		hits.nr = 0;
		sched_begin(rec, s);
		rmap_walk_verified(w, folio, &hits, &rwc);
		sched_end(rec, s);
	}
	rmap_hits_free(&hits);
}

static void recording_free(struct recording *rec)
{
	free(rec->steps);
	free(rec->ev);
	free(rec->walks);
	u64map_free(&rec->ids);
	free(rec->cls);
}

/* ---- the concurrent phase ------------------------------------------ */

struct sched_shared {
	const struct trace *t;
	struct recording *rec;
	pthread_rwlock_t *locks;	/* one per dense instance */
	struct units units;
	atomic_size_t next_unit, progress;
	atomic_uchar *done;
	atomic_int workers_left;
	atomic_bool failed;
	pthread_mutex_t out;
	char error[256];
	struct lock_class stats[LOCK_MAX_CLASSES];
	int nr_cls;
	unsigned long walks, gave_up;
	struct pinning pin;
	unsigned int nr_workers;
	bool pin_threads;
	uint64_t seed;
};

struct held {
	uint32_t lock;
	bool write;
	uint64_t since;
};

struct runner {
	struct sched_shared *sh;
	struct lock_class stats[LOCK_MAX_CLASSES];
	struct held held[MAX_HELD];
	int nr_held;
};

static void spin(uint64_t ns)
{
	uint64_t end;

	if (!ns)
		return;
	end = now_ns() + ns;
	while (now_ns() < end)
		;
}

static int try_take(pthread_rwlock_t *l, bool write)
{
	return write ? pthread_rwlock_trywrlock(l) :
		pthread_rwlock_tryrdlock(l);
}

/*
 * Take lock @s.  A walker only tries (returns false when it would wait);
 * a worker holding nothing else blocks; one already holding a lock spins
 * on trylock, so that an ordering cycle between two schedules is noticed
 * (after CYCLE_NS) instead of hanging.
 */
static bool take(struct runner *rn, const struct step *s, enum mm_op op,
		 bool walker)
{
	pthread_rwlock_t *l = &rn->sh->locks[s->lock];
	struct lock_class *c = &rn->stats[s->cls];
	bool write = s->kind == LOCK_EV_WRITE;
	uint64_t t0, wait = 0;

	if (rn->nr_held == MAX_HELD)
		return false;
	if (try_take(l, write)) {
		/* a failed trylock: neither acquisition nor contention */
		if (walker)
			return false;
		t0 = now_ns();
		if (!rn->nr_held) {
			if (write)
				pthread_rwlock_wrlock(l);
			else
				pthread_rwlock_rdlock(l);
		} else {
			while (try_take(l, write)) {
				if (now_ns() - t0 > CYCLE_NS ||
				    atomic_load(&rn->sh->failed))
					return false;
				sched_yield();
			}
		}
		wait = now_ns() - t0;
		c->contended[op]++;
		c->wait_ns[op] += wait;
		if (wait > c->wait_max_ns)
			c->wait_max_ns = wait;
	}
	if (write)
		c->acquire_write[op]++;
	else
		c->acquire_read[op]++;
	rn->held[rn->nr_held].lock = s->lock;
	rn->held[rn->nr_held].write = write;
	rn->held[rn->nr_held].since = now_ns();
	rn->nr_held++;
	return true;
}

static void drop(struct runner *rn, uint32_t lock)
{
	struct held *h;
	int i;

	for (i = rn->nr_held - 1; i >= 0; i--)
		if (rn->held[i].lock == lock)
			break;
	if (i < 0)
		return;
	h = &rn->held[i];
	if (h->write)
		rn->stats[rn->sh->rec->cls[lock]].hold_ns +=
			now_ns() - h->since;
	pthread_rwlock_unlock(&rn->sh->locks[lock]);
	rn->held[i] = rn->held[--rn->nr_held];
}

static void drop_all(struct runner *rn)
{
	while (rn->nr_held)
		drop(rn, rn->held[rn->nr_held - 1].lock);
}

/* Run one schedule; false when it could not (walker gave up, cycle). */
static bool run_sched(struct runner *rn, const struct sched *s,
		      enum mm_op op, bool walker)
{
	const struct step *st = &rn->sh->rec->steps[s->first];
	uint32_t i;

	for (i = 0; i < s->nr; i++) {
		spin(st[i].gap_ns);
		switch (st[i].kind) {
		case LOCK_EV_READ:
		case LOCK_EV_WRITE:
			if (!take(rn, &st[i], op, walker)) {
				drop_all(rn);
				return false;
			}
			break;
		default:
			drop(rn, st[i].lock);
		}
	}
	drop_all(rn);
	spin(s->tail_ns);
	return true;
}

static void merge(struct runner *rn, unsigned long walks,
		  unsigned long gave_up)
{
	struct sched_shared *sh = rn->sh;
	int k;

	pthread_mutex_lock(&sh->out);
	for (k = 0; k < sh->nr_cls; k++)
		contend_lock_class_add(&sh->stats[k], &rn->stats[k]);
	sh->walks += walks;
	sh->gave_up += gave_up;
	pthread_mutex_unlock(&sh->out);
}

static void note_bind(struct sched_shared *sh, int index, const char *who)
{
	int pu = sh->pin_threads ? contend_pin_self(&sh->pin, index) : -1;

	pthread_mutex_lock(&sh->out);
	contend_pin_note(&sh->pin, who, pu);
	pthread_mutex_unlock(&sh->out);
}

struct sched_arg {
	struct sched_shared *sh;
	int index;
};

static void *sched_worker(void *p)
{
	struct sched_arg *a = p;
	struct sched_shared *sh = a->sh;
	struct runner *rn = calloc(1, sizeof(*rn));
	size_t u, i, ev, seen;

	if (!rn)
		abort();
	rn->sh = sh;
	note_bind(sh, a->index, "worker");
	while (!atomic_load(&sh->failed) &&
	       (u = atomic_fetch_add(&sh->next_unit, 1)) < sh->units.nr) {
		struct unit *un = &sh->units.v[u];

		if (un->start != SIZE_MAX)
			while (!atomic_load_explicit(&sh->done[un->start],
						     memory_order_acquire) &&
			       !atomic_load(&sh->failed))
				sched_yield();
		for (i = 0; i < un->nr && !atomic_load(&sh->failed); i++) {
			ev = un->ev[i];
			if (!run_sched(rn, &sh->rec->ev[ev],
				       measure_event_op(sh->t->ev[ev].type),
				       false)) {
				pthread_mutex_lock(&sh->out);
				snprintf(sh->error, sizeof(sh->error),
					 "%.200s: event %zu: lock order cycle "
					 "between concurrent units",
					 sh->t->path, ev);
				pthread_mutex_unlock(&sh->out);
				atomic_store(&sh->failed, true);
				break;
			}
			atomic_store_explicit(&sh->done[ev], 1,
					      memory_order_release);
			seen = atomic_load(&sh->progress);
			while (seen < ev &&
			       !atomic_compare_exchange_weak(&sh->progress,
							     &seen, ev))
				;
		}
	}
	merge(rn, 0, 0);
	free(rn);
	atomic_fetch_sub(&sh->workers_left, 1);
	return NULL;
}

/*
 * A walker replays walks recorded near the workers' progress (the live
 * folios of that moment), with trylock as reclaim does.
 */
static void *sched_walker(void *p)
{
	struct sched_arg *a = p;
	struct sched_shared *sh = a->sh;
	struct runner *rn = calloc(1, sizeof(*rn));
	uint64_t seed = sh->seed * 31 + (uint64_t)a->index;
	struct timespec pause = { 0, 20000 };
	unsigned long walks = 0, gave_up = 0;
	long last, pick;

	if (!rn)
		abort();
	rn->sh = sh;
	note_bind(sh, a->index, "walker");
	while (atomic_load(&sh->workers_left) > 0) {
		last = contend_last_at(sh->rec->walks, sh->rec->nr_walks,
				       sizeof(*sh->rec->walks),
				       offsetof(struct sched, event),
				       atomic_load(&sh->progress));
		if (last >= 0) {
			pick = last - (long)(rnd_next(&seed) % 64);
			if (pick < 0)
				pick = 0;
			walks++;
			if (!run_sched(rn, &sh->rec->walks[pick], OP_WALK,
				       true))
				gave_up++;
		}
		nanosleep(&pause, NULL);
	}
	merge(rn, walks, gave_up);
	free(rn);
	return NULL;
}

static int record(const struct trace *t, const char *scheme,
		  struct recording *rec, struct world **wp,
		  struct lock_stats *names, struct errbuf *err)
{
	unsigned long every = t->nr_ev / 4000 ? t->nr_ev / 4000 : 1;
	uint64_t seed = 12345;
	struct replay r;
	size_t idx;
	int ret = 0;

	rec->ev = calloc(t->nr_ev + 1, sizeof(*rec->ev));
	if (!rec->ev)
		abort();
	if (replay_open(&r, t, scheme, err))
		return -1;
	r.quiet = true;
	r.w->locks.observe = observe;
	r.w->locks.observe_arg = rec;
	while ((idx = r.next) < t->nr_ev) {
		sched_begin(rec, &rec->ev[idx]);
		ret = replay_step(&r, err);
		sched_end(rec, &rec->ev[idx]);
		rec->ev[idx].event = idx;
		if (ret <= 0)
			break;
		if ((idx + 1) % every == 0)
			sample_walks(rec, r.w, idx, &seed);
	}
	r.w->locks.observe = NULL;
	*names = r.w->locks;
	*wp = r.w;
	r.w = NULL;
	replay_close(&r);
	return ret < 0 ? -1 : 0;
}

int contend_schedule(const struct trace *t, const char *scheme,
		     const struct contend_opts *o, struct contend_result *res,
		     struct errbuf *err)
{
	struct sched_shared *sh = calloc(1, sizeof(*sh));
	struct recording rec = { 0 };
	struct lock_stats names;
	struct sched_arg *args;
	struct world *w = NULL;
	unsigned int n, i, started = 0;
	pthread_t *tid;
	uint64_t t0;
	size_t d;
	int ret = -1, k;

	if (!sh)
		abort();
	if (record(t, scheme, &rec, &w, &names, err))
		goto out;
	sh->t = t;
	sh->rec = &rec;
	sh->seed = o->seed ? o->seed : 1;
	sh->nr_cls = names.nr;
	for (k = 0; k < names.nr; k++)
		sh->stats[k].name = names.cls[k].name;
	sh->locks = calloc(rec.nr_ids + 1, sizeof(*sh->locks));
	if (!sh->locks)
		abort();
	for (d = 0; d < rec.nr_ids; d++)
		pthread_rwlock_init(&sh->locks[d], NULL);
	pthread_mutex_init(&sh->out, NULL);
	contend_pin_init(&sh->pin, res->topology, sizeof(res->topology));
	sh->pin_threads = o->pin;
	sh->nr_workers = o->workers ? o->workers :
		(sh->pin.npu > 0 ? (unsigned int)sh->pin.npu : 2);
	contend_build_units(t, &sh->units);
	sh->done = calloc(t->nr_ev + 1, sizeof(*sh->done));
	if (!sh->done)
		abort();
	res->units = sh->units.nr;
	for (d = 0; d < sh->units.nr; d++)
		res->events += sh->units.v[d].nr;

	n = sh->nr_workers + o->walkers;
	args = calloc(n, sizeof(*args));
	tid = calloc(n, sizeof(*tid));
	if (!args || !tid)
		abort();
	atomic_store(&sh->workers_left, (int)sh->nr_workers);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		args[i].sh = sh;
		args[i].index = (int)i;
		if (pthread_create(&tid[i], NULL, i < sh->nr_workers ?
				   sched_worker : sched_walker, &args[i])) {
			atomic_store(&sh->failed, true);
			atomic_store(&sh->workers_left, 0);
			snprintf(sh->error, sizeof(sh->error),
				 "contend: cannot start a thread");
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	res->wall_ns = now_ns() - t0;
	free(args);
	free(tid);
	if (atomic_load(&sh->failed)) {
		errbuf_set(err, "%s", sh->error);
		goto out;
	}
	for (k = 0; k < sh->nr_cls; k++)
		res->locks[k] = sh->stats[k];
	res->nr_locks = sh->nr_cls;
	res->walks = sh->walks;
	res->walks_contended = sh->gave_up;
	contend_final_check(w, res);
	ret = 0;
out:
	contend_pin_describe(&sh->pin, res->topology, sizeof(res->topology));
	if (sh->locks) {
		for (d = 0; d < rec.nr_ids; d++)
			pthread_rwlock_destroy(&sh->locks[d]);
		free(sh->locks);
		pthread_mutex_destroy(&sh->out);
		contend_pin_fini(&sh->pin);
	}
	contend_units_free(&sh->units);
	free(sh->done);
	free(sh);
	recording_free(&rec);
	world_free(w);
	return ret;
}

#endif /* RMAP_LOCK_OBSERVER */
