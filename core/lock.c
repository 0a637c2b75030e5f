// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instrumented locks; see lock.h.  In a single-threaded replay the
 * pthread lock is never touched: only the deterministic counts move.
 */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "lock.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int lock_class(struct lock_stats *ls, const char *name)
{
	int i;

	for (i = 0; i < ls->nr; i++)
		if (!strcmp(ls->cls[i].name, name))
			return i;
	if (ls->nr == LOCK_MAX_CLASSES)
		return LOCK_MAX_CLASSES - 1;
	i = ls->nr++;
	memset(&ls->cls[i], 0, sizeof(ls->cls[i]));
	ls->cls[i].name = name;
	return i;
}

static atomic_ulong next_lock_id;

static inline void observe(struct lock_stats *ls, struct rmap_lock *l,
			   enum lock_event ev)
{
	if (ls->observe)
		ls->observe(ls->observe_arg, l->id, l->cls, ev);
}

void rmap_lock_init(struct rmap_lock *l, int cls)
{
	l->cls = cls;
	l->id = atomic_fetch_add(&next_lock_id, 1) + 1;
	l->write_since = 0;
	pthread_rwlock_init(&l->rw, NULL);
}

void rmap_lock_destroy(struct rmap_lock *l)
{
	pthread_rwlock_destroy(&l->rw);
}

static void account(struct lock_stats *ls, struct acct *a, int cls,
		    bool write, bool contended, uint64_t wait)
{
	struct lock_class *c = &ls->cls[cls];
	enum mm_op op = a ? a->cur_op : OP_NONE;

	if (ls->threaded)
		pthread_mutex_lock(&ls->stat_lock);
	if (write)
		c->acquire_write[op]++;
	else
		c->acquire_read[op]++;
	if (contended) {
		c->contended[op]++;
		c->wait_ns[op] += wait;
		if (wait > c->wait_max_ns)
			c->wait_max_ns = wait;
	}
	if (ls->threaded)
		pthread_mutex_unlock(&ls->stat_lock);
}

void lock_count(struct lock_stats *ls, struct acct *a, int cls, bool write)
{
	account(ls, a, cls, write, false, 0);
}

void rmap_lock_write(struct lock_stats *ls, struct acct *a,
		     struct rmap_lock *l)
{
	uint64_t t0;

	if (!ls->threaded) {
		account(ls, a, l->cls, true, false, 0);
		observe(ls, l, LOCK_EV_WRITE);
		return;
	}
	if (pthread_rwlock_trywrlock(&l->rw) == 0) {
		account(ls, a, l->cls, true, false, 0);
	} else {
		t0 = now_ns();
		pthread_rwlock_wrlock(&l->rw);
		account(ls, a, l->cls, true, true, now_ns() - t0);
	}
	l->write_since = now_ns();
	observe(ls, l, LOCK_EV_WRITE);
}

void rmap_unlock_write(struct lock_stats *ls, struct rmap_lock *l)
{
	uint64_t held;

	observe(ls, l, LOCK_EV_WRITE_UNLOCK);
	if (!ls->threaded)
		return;
	held = now_ns() - l->write_since;
	pthread_rwlock_unlock(&l->rw);
	pthread_mutex_lock(&ls->stat_lock);
	ls->cls[l->cls].hold_ns += held;
	pthread_mutex_unlock(&ls->stat_lock);
}

void rmap_lock_read(struct lock_stats *ls, struct acct *a,
		    struct rmap_lock *l)
{
	uint64_t t0;

	if (!ls->threaded || pthread_rwlock_tryrdlock(&l->rw) == 0) {
		account(ls, a, l->cls, false, false, 0);
		observe(ls, l, LOCK_EV_READ);
		return;
	}
	t0 = now_ns();
	pthread_rwlock_rdlock(&l->rw);
	account(ls, a, l->cls, false, true, now_ns() - t0);
	observe(ls, l, LOCK_EV_READ);
}

bool rmap_trylock_read(struct lock_stats *ls, struct acct *a,
		       struct rmap_lock *l)
{
	if (!ls->threaded || pthread_rwlock_tryrdlock(&l->rw) == 0) {
		account(ls, a, l->cls, false, false, 0);
		observe(ls, l, LOCK_EV_READ);
		return true;
	}
	account(ls, a, l->cls, false, true, 0);
	return false;
}

void rmap_unlock_read(struct lock_stats *ls, struct rmap_lock *l)
{
	observe(ls, l, LOCK_EV_READ_UNLOCK);
	if (ls->threaded)
		pthread_rwlock_unlock(&l->rw);
}
