// SPDX-License-Identifier: GPL-2.0-only
/* rwsem and spinlock semantics for the simulation; see sim_lock.h. */
#include <stdlib.h>
#include <string.h>

#include "harness/sim/sim_internal.h"
#include "harness/sim/sim_lock.h"

static void wl_push(struct sim_wlist *wl, uint32_t agent, bool write,
		    uint64_t since)
{
	if (wl->nr == wl->cap) {
		wl->cap = wl->cap ? 2 * wl->cap : 8;
		wl->v = realloc(wl->v, wl->cap * sizeof(*wl->v));
		if (!wl->v)
			abort();
	}
	wl->v[wl->nr].agent = agent;
	wl->v[wl->nr].write = write;
	wl->v[wl->nr++].since = since;
}

static struct sim_waiter wl_take(struct sim_wlist *wl, size_t i)
{
	struct sim_waiter w = wl->v[i];

	memmove(&wl->v[i], &wl->v[i + 1], (wl->nr - i - 1) * sizeof(w));
	wl->nr--;
	return w;
}

static void grant(struct sim_grants *g, const struct sim_waiter *w,
		  bool slept)
{
	if (g->nr == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 16;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		if (!g->v)
			abort();
	}
	g->v[g->nr].agent = w->agent;
	g->v[g->nr].write = w->write;
	g->v[g->nr].slept = slept;
	g->v[g->nr++].since = w->since;
}

void sim_lock_init(struct sim_lock *l, enum lock_kind kind)
{
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->writer = -1;
	l->last_cpu = -1;
}

void sim_lock_fini(struct sim_lock *l)
{
	free(l->wait.v);
	free(l->spin.v);
}

bool sim_lock_has_waiters(const struct sim_lock *l)
{
	return l->wait.nr || l->spin.nr;
}

static enum sim_acquire spin_acquire(struct sim_lock *l, uint32_t agent,
				     bool write, bool trylock, uint64_t now)
{
	if (l->writer < 0 && !l->wait.nr) {
		l->writer = agent;
		return SIM_GOT;
	}
	if (trylock)
		return SIM_FAILED;
	wl_push(&l->wait, agent, write, now);
	return SIM_SPINS;
}

enum sim_acquire sim_lock_acquire(struct sim_lock *l, uint32_t agent,
				  bool write, bool trylock, uint64_t now)
{
	if (l->kind == LOCK_KIND_SPIN)
		return spin_acquire(l, agent, write, trylock, now);
	if (l->kind != LOCK_KIND_RWSEM)
		return SIM_GOT;
	if (!write) {
		/* RWSEM_READ_FAILED_MASK: a writer, waiters, handoff */
		if (l->writer < 0 && !l->wait.nr && !l->handoff) {
			l->readers++;
			return SIM_GOT;
		}
		if (trylock)
			return SIM_FAILED;
		wl_push(&l->wait, agent, false, now);
		return SIM_SLEEPS;
	}
	if (l->writer < 0 && !l->readers && !l->wait.nr && !l->handoff) {
		l->writer = agent;
		return SIM_GOT;
	}
	if (trylock)
		return SIM_FAILED;
	/* rwsem_can_spin_on_owner(): a running writer owns it */
	if (l->writer >= 0 && !l->handoff) {
		wl_push(&l->spin, agent, true, now);
		return SIM_SPINS;
	}
	wl_push(&l->wait, agent, true, now);
	return SIM_SLEEPS;
}

static void spin_release(struct sim_lock *l, struct sim_grants *g)
{
	struct sim_waiter w;

	l->writer = -1;
	if (!l->wait.nr)
		return;
	w = wl_take(&l->wait, 0);
	l->writer = w.agent;
	grant(g, &w, false);
}

/* rwsem_mark_wake() for a reader at the head: every queued reader. */
static void wake_readers(struct sim_lock *l, struct sim_grants *g)
{
	struct sim_waiter w;
	size_t i = 0;
	int woken = 0;

	while (i < l->wait.nr && woken < SIM_MAX_READERS_WAKEUP) {
		if (l->wait.v[i].write) {
			i++;
			continue;
		}
		w = wl_take(&l->wait, i);
		l->readers++;
		woken++;
		grant(g, &w, true);
	}
	/* spinners stop spinning on a reader-owned lock and queue */
	while (l->spin.nr) {
		w = wl_take(&l->spin, 0);
		wl_push(&l->wait, w.agent, true, w.since);
	}
}

void sim_lock_release(struct sim_lock *l, bool write, uint64_t now,
		      struct sim_grants *g)
{
	struct sim_waiter w;

	g->nr = 0;
	if (l->kind == LOCK_KIND_SPIN) {
		spin_release(l, g);
		return;
	}
	if (l->kind != LOCK_KIND_RWSEM)
		return;
	if (write)
		l->writer = -1;
	else if (l->readers > 0)
		l->readers--;
	if (l->writer >= 0 || l->readers)
		return;
	/* RWSEM_FLAG_HANDOFF: the first waiter waited too long */
	if (l->wait.nr && now - l->wait.v[0].since >=
	    SIM_RWSEM_WAIT_TIMEOUT_NS)
		l->handoff = true;
	if (!l->handoff && l->spin.nr) {
		w = wl_take(&l->spin, 0);
		l->writer = w.agent;
		grant(g, &w, false);
		return;
	}
	l->handoff = false;
	if (!l->wait.nr)
		return;
	if (l->wait.v[0].write) {
		w = wl_take(&l->wait, 0);
		l->writer = w.agent;
		grant(g, &w, true);
		return;
	}
	wake_readers(l, g);
}
