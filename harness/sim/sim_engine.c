// SPDX-License-Identifier: GPL-2.0-only
/*
 * The discrete-event simulation (sim.h).  Agents are virtual CPUs: the
 * first @cpus run the trace's units (a process subtree each, its events
 * in trace order, a unit ready once the fork creating it is done; a CPU
 * takes the lowest ready unit), the next @walkers are reclaim walkers
 * that start a walk every 1 / rate virtual seconds.  A walk is one of
 * the recorded walks sampled at or before the newest finished event (so
 * it sees the rmap state of that moment); most are folio_referenced()
 * walks (down_read_trylock(), giving up when it fails), the rest
 * try_to_unmap() or migration walks (down_read(), waiting).
 *
 * An agent runs its schedule step by step: the work before a step costs
 * sim_work_ns() (scaled by the hold scale while it holds a lock), a
 * lock operation costs COST_ACQUIRE, and an acquisition of a lock last
 * taken on another CPU pays COST_BOUNCE for the lock word and for every
 * rmap entry its previous writer linked or unlinked.  A waiting agent
 * keeps its CPU (no other task is modelled); a sleeping waiter pays
 * COST_WAKEUP when granted.  Everything is ordered by (virtual time,
 * sequence number), with seeded pseudo-random choices only: the same
 * inputs give the same result.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "harness/rnd.h"
#include "harness/sim/sim_internal.h"
#include "harness/sim/sim_lock.h"

#define MAX_HELD	32

struct held {
	uint32_t inst;
	uint8_t cls;
	bool write;
	uint64_t since;
	uint32_t dirty;			/* rmap entries changed while held */
};

struct agent {
	uint32_t id;
	bool walker;
	const struct sim_sched *s;	/* NULL: idle */
	uint32_t pos;			/* next step of s */
	bool paid;			/* the work before step pos is done */
	bool trylock;
	size_t unit, upos;		/* workers: unit, next event in it */
	struct held held[MAX_HELD];
	int nr_held;
	/* a wait in progress */
	uint32_t w_inst;
	uint8_t w_cls;
	bool w_write;
	uint64_t w_since;
	/* walkers */
	uint64_t next_walk, seed;
};

struct qent {
	uint64_t t, seq;
	uint32_t agent;
};

struct inst_state {
	struct sim_lock l;
	uint32_t dirty;			/* lines the last writer changed */
	bool init;
};

struct sim {
	const struct sim_recording *rec;
	const struct sim_opts *o;
	struct sim_result *res;
	unsigned int cpus, nagents;
	struct agent *ag;
	struct qent *heap;
	size_t nr_heap, cap_heap;
	uint64_t seq, now;
	struct inst_state *inst;
	size_t *ready;			/* ready units, FIFO */
	size_t ready_head, ready_nr;
	size_t *starts;			/* units started by each event: */
	size_t *starts_at;		/* index into starts, per event + 1 */
	unsigned long units_left;
	unsigned int busy;		/* CPUs with a unit */
	size_t progress;		/* newest finished event */
	bool any_done;
	struct sim_grants grants;
	uint64_t period;		/* walker period */
};

/* ---- time queue ----------------------------------------------------- */

static bool qless(const struct qent *a, const struct qent *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void q_push(struct sim *s, uint32_t agent, uint64_t t)
{
	struct qent e = { t, s->seq++, agent }, tmp;
	size_t i;

	if (s->nr_heap == s->cap_heap) {
		s->cap_heap = s->cap_heap ? 2 * s->cap_heap : 64;
		s->heap = realloc(s->heap, s->cap_heap * sizeof(*s->heap));
		if (!s->heap)
			abort();
	}
	i = s->nr_heap++;
	s->heap[i] = e;
	while (i && qless(&s->heap[i], &s->heap[(i - 1) / 2])) {
		tmp = s->heap[i];
		s->heap[i] = s->heap[(i - 1) / 2];
		s->heap[(i - 1) / 2] = tmp;
		i = (i - 1) / 2;
	}
}

static struct qent q_pop(struct sim *s)
{
	struct qent top = s->heap[0], tmp;
	size_t i = 0, l, r, m;

	s->heap[0] = s->heap[--s->nr_heap];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < s->nr_heap && qless(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->nr_heap && qless(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = tmp;
		i = m;
	}
	return top;
}

/* ---- statistics ----------------------------------------------------- */

static struct sim_lockstat *stat_of(struct sim *s, int cls, bool write)
{
	return &s->res->cls[cls].st[write];
}

static void stat_wait(struct sim_lockstat *st, uint64_t wait)
{
	if (!st->wait_total && !st->wait_max)
		st->wait_min = wait;
	if (wait < st->wait_min)
		st->wait_min = wait;
	if (wait > st->wait_max)
		st->wait_max = wait;
	st->wait_total += wait;
}

static void stat_hold(struct sim_lockstat *st, uint64_t hold)
{
	if (!st->hold_n || hold < st->hold_min)
		st->hold_min = hold;
	if (hold > st->hold_max)
		st->hold_max = hold;
	st->hold_total += hold;
	st->hold_n++;
}

/* ---- locks ---------------------------------------------------------- */

static struct inst_state *inst(struct sim *s, uint32_t i)
{
	struct inst_state *is = &s->inst[i];

	if (!is->init) {
		sim_lock_init(&is->l,
			      s->rec->cls_kind[s->rec->inst[i].cls]);
		is->init = true;
	}
	return is;
}

static bool waits(const struct sim *s, uint8_t cls)
{
	enum lock_kind k = s->rec->cls_kind[cls];

	return k == LOCK_KIND_RWSEM || k == LOCK_KIND_SPIN;
}

/*
 * The agent now holds the lock: account the acquisition and return the
 * time its hold starts paying (the cache lines that must come over).
 */
static uint64_t acquired(struct sim *s, struct agent *a, uint32_t i,
			 uint8_t cls, bool write, uint64_t t)
{
	struct sim_lockstat *st = stat_of(s, cls, write);
	uint64_t cost = sim_costs[COST_ACQUIRE].ns;
	struct held *h;

	st->acquisitions++;
	if (i != SIM_NO_INST) {
		struct inst_state *is = inst(s, i);

		if (is->l.last_cpu >= 0 && is->l.last_cpu != (int)a->id) {
			st->acq_bounces++;
			cost += sim_costs[COST_BOUNCE].ns * (1 + is->dirty);
			is->dirty = 0;
		}
		is->l.last_cpu = (int)a->id;
	}
	if (a->nr_held < MAX_HELD) {
		h = &a->held[a->nr_held++];
		h->inst = i;
		h->cls = cls;
		h->write = write;
		h->since = t;
		h->dirty = 0;
	}
	return cost;
}

static void released(struct sim *s, struct agent *a, uint32_t i,
		     uint8_t cls, uint64_t t)
{
	struct held *h;
	int k;

	for (k = a->nr_held - 1; k >= 0; k--)
		if (a->held[k].inst == i &&
		    (i != SIM_NO_INST || a->held[k].cls == cls))
			break;
	if (k < 0)
		return;
	h = &a->held[k];
	stat_hold(stat_of(s, h->cls, h->write), t - h->since);
	if (i != SIM_NO_INST && h->write)
		inst(s, i)->dirty += h->dirty;
	memmove(h, h + 1, (a->nr_held - k - 1) * sizeof(*h));
	a->nr_held--;
}

/* ---- agents --------------------------------------------------------- */

static void start_unit(struct sim *s, struct agent *a, size_t u)
{
	a->unit = u;
	a->upos = 0;
	a->s = NULL;
	if (++s->busy > s->res->max_busy)
		s->res->max_busy = s->busy;
}

static void make_ready(struct sim *s, size_t u)
{
	s->ready[(s->ready_head + s->ready_nr++) % s->rec->units.nr] = u;
}

/* Give ready units to idle CPUs, lowest CPU first. */
static void dispatch(struct sim *s, uint64_t t)
{
	unsigned int c;

	for (c = 0; c < s->cpus && s->ready_nr; c++) {
		struct agent *a = &s->ag[c];

		if (a->unit != SIZE_MAX)
			continue;
		start_unit(s, a, s->ready[s->ready_head]);
		s->ready_head = (s->ready_head + 1) % s->rec->units.nr;
		s->ready_nr--;
		q_push(s, a->id, t);
	}
}

static void event_done(struct sim *s, size_t ev, uint64_t t)
{
	size_t k;

	s->res->events++;
	if (!s->any_done || ev > s->progress)
		s->progress = ev;
	s->any_done = true;
	for (k = s->starts_at[ev]; k < s->starts_at[ev + 1]; k++)
		make_ready(s, s->starts[k]);
	if (t > s->res->makespan_ns)
		s->res->makespan_ns = t;
}

/* Pick the next schedule; false when the agent has nothing to do. */
static bool next_sched(struct sim *s, struct agent *a, uint64_t *t)
{
	const struct sim_recording *rec = s->rec;
	long last, pick;

	if (a->walker) {
		if (!s->units_left || !rec->nr_walks)
			return false;
		if (*t < a->next_walk) {
			q_push(s, a->id, a->next_walk);
			return false;
		}
		a->next_walk += s->period;
		last = s->any_done ? contend_last_at(rec->walks, rec->nr_walks,
			sizeof(*rec->walks), offsetof(struct sim_sched, event),
			s->progress) : -1;
		if (last < 0)
			last = 0;
		pick = last - (long)(rnd_next(&a->seed) % 64);
		if (pick < 0)
			pick = 0;
		a->s = &rec->walks[pick];
		a->trylock = rnd_next(&a->seed) % 100 >= s->o->blocking_pct;
		s->res->walks++;
		s->res->walks_blocking += !a->trylock;
		a->pos = 0;
		*t += sim_costs[COST_WALK].ns;
		return true;
	}
	while (a->unit != SIZE_MAX) {
		const struct unit *u = &rec->units.v[a->unit];

		if (a->upos < u->nr) {
			a->s = &rec->ev[u->ev[a->upos]];
			a->pos = 0;
			*t += sim_costs[COST_OP + a->s->op].ns;
			return true;
		}
		s->units_left--;
		s->busy--;
		a->unit = SIZE_MAX;
		if (s->ready_nr) {
			start_unit(s, a, s->ready[s->ready_head]);
			s->ready_head = (s->ready_head + 1) %
				rec->units.nr;
			s->ready_nr--;
		}
	}
	return false;
}

static void sched_done(struct sim *s, struct agent *a, uint64_t t)
{
	if (!a->walker) {
		event_done(s, a->s - s->rec->ev, t);
		a->upos++;
	}
	a->s = NULL;
	a->nr_held = 0;
}

static void wake_granted(struct sim *s, uint32_t i, uint8_t cls,
			 uint64_t t);

/* A walker's trylock failed: it drops what it holds and gives up. */
static void give_up(struct sim *s, struct agent *a, uint64_t t)
{
	while (a->nr_held) {
		struct held h = a->held[a->nr_held - 1];

		released(s, a, h.inst, h.cls, t);
		if (h.inst != SIM_NO_INST && waits(s, h.cls)) {
			sim_lock_release(&inst(s, h.inst)->l, h.write, t,
					 &s->grants);
			wake_granted(s, h.inst, h.cls, t);
		}
	}
	s->res->walks_gave_up++;
	a->s = NULL;
}

/*
 * Run agent @a from time @t until it must wait for time or a lock.
 * Returns with the agent queued, blocked, or finished.
 */
static void run(struct sim *s, struct agent *a, uint64_t t)
{
	const struct sim_recording *rec = s->rec;
	double scale;

	for (;;) {
		const struct sim_step *st;
		enum sim_acquire got;
		struct inst_state *is;
		bool write;
		int k;

		if (!a->s) {
			dispatch(s, t);
			if (!next_sched(s, a, &t))
				return;
			/* the event's fixed cost first */
			a->paid = false;
			q_push(s, a->id, t);
			return;
		}
		scale = a->nr_held ? s->o->hold_scale : 1.0;
		if (a->pos == a->s->nr) {
			t += sim_work_ns(a->s->tail, scale);
			sched_done(s, a, t);
			continue;
		}
		st = &rec->steps[a->s->first + a->pos];
		/* the work before this step, once: then the step itself */
		if (!a->paid) {
			uint64_t d = sim_work_ns(st->work, scale);

			a->paid = true;
			if (d) {
				q_push(s, a->id, t + d);
				return;
			}
		}
		a->paid = false;
		a->pos++;
		/* what the holders changed: lines the next CPU must fetch */
		for (k = 0; k < a->nr_held; k++)
			a->held[k].dirty += st->work[LW_LINK] +
				st->work[LW_UNLINK];
		write = st->what == SIM_ACQ_WRITE;
		switch (st->what) {
		case SIM_POINT_READ:
		case SIM_POINT_WRITE:
			stat_of(s, st->cls, st->what == SIM_POINT_WRITE)->
				acquisitions++;
			continue;
		case SIM_RELEASE:
			t += sim_costs[COST_ACQUIRE].ns;
			if (st->inst != SIM_NO_INST && waits(s, st->cls)) {
				bool w = false;

				for (k = a->nr_held - 1; k >= 0; k--)
					if (a->held[k].inst == st->inst) {
						w = a->held[k].write;
						break;
					}
				if (k < 0)
					continue;
				released(s, a, st->inst, st->cls, t);
				sim_lock_release(&inst(s, st->inst)->l, w, t,
						 &s->grants);
				wake_granted(s, st->inst, st->cls, t);
			} else {
				released(s, a, st->inst, st->cls, t);
			}
			continue;
		default:
			break;
		}
		if (st->inst == SIM_NO_INST || !waits(s, st->cls)) {
			t += acquired(s, a, st->inst, st->cls, write, t);
			continue;
		}
		is = inst(s, st->inst);
		got = sim_lock_acquire(&is->l, a->id, write,
				       a->walker && a->trylock && !write, t);
		if (got == SIM_GOT) {
			t += acquired(s, a, st->inst, st->cls, write, t);
			continue;
		}
		if (got == SIM_FAILED) {
			give_up(s, a, t);
			continue;
		}
		/* contended: wait until a release grants it */
		{
			struct sim_lockstat *ls = stat_of(s, st->cls, write);

			ls->contentions++;
			ls->contentions_op[a->s->op]++;
			if (is->l.last_cpu >= 0 &&
			    is->l.last_cpu != (int)a->id)
				ls->con_bounces++;
		}
		a->w_inst = st->inst;
		a->w_cls = st->cls;
		a->w_write = write;
		a->w_since = t;
		return;
	}
}

/* Resume every agent a release granted the lock to. */
static void wake_granted(struct sim *s, uint32_t i, uint8_t cls, uint64_t t)
{
	size_t k;

	for (k = 0; k < s->grants.nr; k++) {
		const struct sim_grant *g = &s->grants.v[k];
		struct agent *w = &s->ag[g->agent];
		uint64_t at = t + (g->slept ? sim_costs[COST_WAKEUP].ns :
				   sim_costs[COST_ACQUIRE].ns);

		stat_wait(stat_of(s, cls, g->write), at - w->w_since);
		at += acquired(s, w, i, cls, g->write, at);
		q_push(s, w->id, at);
	}
	s->grants.nr = 0;
}

static void setup(struct sim *s)
{
	const struct sim_recording *rec = s->rec;
	const struct units *u = &rec->units;
	size_t k, n = 0, e;
	unsigned int i;

	s->inst = calloc(rec->nr_inst + 1, sizeof(*s->inst));
	s->ready = calloc(u->nr + 1, sizeof(*s->ready));
	s->starts = calloc(u->nr + 1, sizeof(*s->starts));
	s->starts_at = calloc(rec->nr_ev + 2, sizeof(*s->starts_at));
	s->ag = calloc(s->nagents, sizeof(*s->ag));
	if (!s->inst || !s->ready || !s->starts || !s->starts_at || !s->ag)
		abort();
	/* units each event starts, as a CSR array */
	for (k = 0; k < u->nr; k++)
		if (u->v[k].start != SIZE_MAX)
			s->starts_at[u->v[k].start + 1]++;
	for (e = 0; e < rec->nr_ev; e++)
		s->starts_at[e + 1] += s->starts_at[e];
	s->starts_at[rec->nr_ev + 1] = s->starts_at[rec->nr_ev];
	{
		size_t *fill = calloc(rec->nr_ev + 1, sizeof(*fill));

		if (!fill)
			abort();
		for (k = 0; k < u->nr; k++) {
			if (u->v[k].start == SIZE_MAX) {
				make_ready(s, k);
				continue;
			}
			e = u->v[k].start;
			s->starts[s->starts_at[e] + fill[e]++] = k;
			n++;
		}
		free(fill);
	}
	s->units_left = u->nr;
	for (i = 0; i < s->nagents; i++) {
		struct agent *a = &s->ag[i];

		a->id = i;
		a->unit = SIZE_MAX;
		a->walker = i >= s->cpus;
		if (a->walker) {
			a->seed = s->o->seed * 0x9E3779B97F4A7C15ULL + i + 1;
			/* walkers start staggered over one period */
			a->next_walk = s->period * (i - s->cpus) /
				(s->nagents - s->cpus);
		}
		if (a->walker)
			q_push(s, i, a->next_walk);
	}
	dispatch(s, 0);
}

void sim_opts_default(struct sim_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->walkers = 1;
	o->walk_rate = 100000;
	o->blocking_pct = 10;
	o->hold_scale = 1.0;
	o->seed = 1;
}

void sim_run(const struct sim_recording *rec, unsigned int cpus,
	     const struct sim_opts *o, struct sim_result *res)
{
	struct sim s = { .rec = rec, .o = o, .res = res, .cpus = cpus };
	unsigned int i;
	int c;

	memset(res, 0, sizeof(*res));
	res->cpus = cpus;
	res->walkers = o->walkers;
	res->hold_scale = o->hold_scale;
	res->nr_classes = rec->nr_classes;
	res->rcu_deferred_frees = rec->rcu_frees;
	for (c = 0; c < rec->nr_classes; c++) {
		snprintf(res->cls[c].name, sizeof(res->cls[c].name), "%s",
			 rec->cls_name[c]);
		res->cls[c].kind = rec->cls_kind[c];
	}
	s.nagents = cpus + o->walkers;
	s.period = o->walk_rate > 0 ? (uint64_t)(1e9 / o->walk_rate) : 0;
	if (!s.period)
		s.period = 1;
	if (!rec->units.nr)
		return;
	setup(&s);
	while (s.nr_heap) {
		struct qent e = q_pop(&s);
		struct agent *a = &s.ag[e.agent];

		s.now = e.t;
		if (a->walker && !s.units_left)
			continue;
		run(&s, a, e.t);
	}
	res->stalled = s.units_left > 0;
	if (res->makespan_ns)
		res->ops_per_sec = res->events * 1e9 /
			(double)res->makespan_ns;
	for (i = 0; i < rec->nr_inst; i++)
		if (s.inst[i].init)
			sim_lock_fini(&s.inst[i].l);
	free(s.inst);
	free(s.ready);
	free(s.starts);
	free(s.starts_at);
	free(s.ag);
	free(s.heap);
	free(s.grants.v);
}
