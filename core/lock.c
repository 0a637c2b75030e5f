// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instrumented locks; see lock.h.  In a single-threaded replay the
 * pthread lock is never touched: only the deterministic counts and the
 * footprint move.
 */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "lock.h"

const char *const lock_kind_names[LOCK_KIND_NR] = {
	[LOCK_KIND_RWSEM] = "rwsem",
	[LOCK_KIND_SPIN] = "spinlock",
	[LOCK_KIND_RCU] = "rcu",
	[LOCK_KIND_ATOMIC] = "atomic",
};

const char *const lock_work_names[LW_NR] = {
	[LW_NODE] = "nodes",
	[LW_LINK] = "linked",
	[LW_UNLINK] = "unlinked",
	[LW_CTX] = "contexts",
	[LW_VMA] = "vmas",
	[LW_ALLOC] = "allocated",
	[LW_FREE] = "freed",
};

_Thread_local unsigned long lock_work_now[LW_NR];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int lock_class_kind(struct lock_stats *ls, const char *name,
		    enum lock_kind kind)
{
	int i;

	for (i = 0; i < ls->nr; i++)
		if (!strcmp(ls->cls[i].name, name))
			return i;
	if (ls->nr == LOCK_MAX_CLASSES)
		return LOCK_MAX_CLASSES - 1;
	i = ls->nr++;
	memset(&ls->cls[i], 0, sizeof(ls->cls[i]));
	memset(&ls->fp[i], 0, sizeof(ls->fp[i]));
	ls->cls[i].name = name;
	ls->cls[i].kind = kind;
	return i;
}

int lock_class(struct lock_stats *ls, const char *name)
{
	return lock_class_kind(ls, name, LOCK_KIND_RWSEM);
}

static atomic_ulong next_lock_id;

static inline void observe(struct lock_stats *ls, unsigned long id, int cls,
			   enum lock_event ev)
{
	if (ls->observe)
		ls->observe(ls->observe_arg, id, cls, ev);
}

/* ---- footprint ------------------------------------------------------ */

void lock_footprint_add(struct lock_footprint *sum,
			const struct lock_footprint *fp)
{
	int m, op, k;

	for (m = 0; m < 2; m++) {
		for (op = 0; op < OP_NR; op++) {
			sum->sections[m][op] += fp->sections[m][op];
			for (k = 0; k < LW_NR; k++)
				sum->work[m][op][k] += fp->work[m][op][k];
		}
		for (k = 0; k < ACCT_MAX_CLASSES; k++) {
			sum->allocated[m][k] += fp->allocated[m][k];
			sum->freed[m][k] += fp->freed[m][k];
		}
	}
}

/*
 * Most holds allocate and free nothing, so a hold copies the per-class
 * object counts only when the first allocation or free under it comes:
 * hold_begin() sets acct->lock_watch, and acct_alloc() and acct_free()
 * call this before they count.  The holds not yet snapped are the newest.
 */
void lock_work_snapshot(struct lock_stats *ls)
{
	struct acct *acct = ls->acct;
	struct lock_held *h;
	int i, k;

	acct->lock_watch = NULL;
	/* a threaded replay keeps no footprint (hold_begin()) */
	if (ls->threaded)
		return;
	for (i = ls->nr_held - 1; i >= 0 && !ls->held[i].snapped; i--) {
		h = &ls->held[i];
		for (k = 0; k < acct->nr; k++) {
			h->allocs[k] = acct->cls[k].nr_allocs;
			h->frees[k] = acct->cls[k].nr_frees;
		}
		h->snapped = true;
	}
}

static void hold_begin(struct lock_stats *ls, struct acct *a,
		       unsigned long id, int cls, bool write)
{
	struct lock_held *h;

	if (ls->threaded || ls->nr_held == LOCK_MAX_HELD)
		return;
	if (a && a != ls->acct) {
		if (ls->acct && ls->acct->lock_watch)
			lock_work_snapshot(ls);
		ls->acct = a;
	}
	h = &ls->held[ls->nr_held++];
	h->id = id;
	h->cls = cls;
	h->write = write;
	h->op = a ? a->cur_op : OP_NONE;
	h->snapped = false;
	memcpy(h->work, lock_work_now, sizeof(h->work));
	if (ls->acct)
		ls->acct->lock_watch = ls;
}

static void hold_account(struct lock_stats *ls, const struct lock_held *h)
{
	struct lock_footprint *fp = &ls->fp[h->cls];
	unsigned long *work = fp->work[h->write][h->op];
	const struct acct *acct = ls->acct;
	int i, nr = acct ? acct->nr : 0;

	fp->sections[h->write][h->op]++;
	for (i = 0; i < LW_NR; i++)
		work[i] += lock_work_now[i] - h->work[i];
	/*
	 * Nothing allocated or freed while held (most holds): no change.
	 * Otherwise the first allocation or free took the snapshot.
	 */
	if (lock_work_now[LW_ALLOC] == h->work[LW_ALLOC] &&
	    lock_work_now[LW_FREE] == h->work[LW_FREE])
		return;
	for (i = 0; i < nr; i++) {
		fp->allocated[h->write][i] += acct->cls[i].nr_allocs -
			h->allocs[i];
		fp->freed[h->write][i] += acct->cls[i].nr_frees -
			h->frees[i];
	}
}

static void hold_drop(struct lock_stats *ls, int i)
{
	hold_account(ls, &ls->held[i]);
	/* most holds end innermost first: nothing above them to move */
	if (i < ls->nr_held - 1)
		memmove(&ls->held[i], &ls->held[i + 1],
			(ls->nr_held - i - 1) * sizeof(ls->held[0]));
	ls->nr_held--;
	if (i < ls->scope_base)
		ls->scope_base--;
}

/* The innermost hold of @id ends (holds need not nest). */
static void hold_end(struct lock_stats *ls, unsigned long id)
{
	int i;

	if (ls->threaded)
		return;
	for (i = ls->nr_held - 1; i >= 0; i--)
		if (ls->held[i].id == id)
			break;
	if (i >= 0)
		hold_drop(ls, i);
}

void lock_scope_begin(struct lock_stats *ls)
{
	if (ls->threaded || ls->scope++)
		return;
	ls->scope_base = ls->nr_held;
}

/* Counted locks taken in the scope are released here, newest first. */
void lock_scope_end(struct lock_stats *ls)
{
	struct lock_held *h;
	int i;

	if (ls->threaded || !ls->scope || --ls->scope)
		return;
	for (i = ls->nr_held - 1; i >= ls->scope_base; i--) {
		h = &ls->held[i];
		if (h->id)
			continue;	/* an rmap_lock: its unlock ends it */
		observe(ls, 0, h->cls, h->write ? LOCK_EV_WRITE_UNLOCK :
			LOCK_EV_READ_UNLOCK);
		hold_drop(ls, i);
	}
	ls->scope_base = 0;
}

/* ---- the locks -------------------------------------------------------- */

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

/* The same in a threaded world, where waits are measured too. */
static void account(struct lock_stats *ls, struct acct *a, int cls,
		    bool write, bool contended, uint64_t wait)
{
	struct lock_class *c = &ls->cls[cls];
	enum mm_op op = a ? a->cur_op : OP_NONE;

	pthread_mutex_lock(&ls->stat_lock);
	lock_count_acquire(ls, a, cls, write);
	if (contended) {
		c->contended[op]++;
		c->wait_ns[op] += wait;
		if (wait > c->wait_max_ns)
			c->wait_max_ns = wait;
	}
	pthread_mutex_unlock(&ls->stat_lock);
}

void __lock_count(struct lock_stats *ls, struct acct *a, int cls,
		  bool write)
{
	if (ls->threaded)
		account(ls, a, cls, write, false, 0);
	else
		lock_count_acquire(ls, a, cls, write);
	observe(ls, 0, cls, write ? LOCK_EV_COUNT_WRITE : LOCK_EV_COUNT_READ);
	if (ls->scope)
		hold_begin(ls, a, 0, cls, write);
	else if (!ls->threaded)
		ls->fp[cls].sections[write][a ? a->cur_op : OP_NONE]++;
}

void rmap_lock_write(struct lock_stats *ls, struct acct *a,
		     struct rmap_lock *l)
{
	uint64_t t0;

	if (!ls->threaded) {
		lock_count_acquire(ls, a, l->cls, true);
		observe(ls, l->id, l->cls, LOCK_EV_WRITE);
		hold_begin(ls, a, l->id, l->cls, true);
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
	observe(ls, l->id, l->cls, LOCK_EV_WRITE);
}

void rmap_unlock_write(struct lock_stats *ls, struct rmap_lock *l)
{
	uint64_t held;

	hold_end(ls, l->id);
	observe(ls, l->id, l->cls, LOCK_EV_WRITE_UNLOCK);
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

	if (!ls->threaded) {
		lock_count_acquire(ls, a, l->cls, false);
		observe(ls, l->id, l->cls, LOCK_EV_READ);
		hold_begin(ls, a, l->id, l->cls, false);
		return;
	}
	if (pthread_rwlock_tryrdlock(&l->rw) == 0) {
		account(ls, a, l->cls, false, false, 0);
		observe(ls, l->id, l->cls, LOCK_EV_READ);
		return;
	}
	t0 = now_ns();
	pthread_rwlock_rdlock(&l->rw);
	account(ls, a, l->cls, false, true, now_ns() - t0);
	observe(ls, l->id, l->cls, LOCK_EV_READ);
}

/*
 * down_read_trylock(): false if it would block.  A failed trylock is not
 * an acquisition and not a contention (lock_stat counts neither): the
 * caller gives up, which it reports itself (rwc->contended).
 */
bool rmap_trylock_read(struct lock_stats *ls, struct acct *a,
		       struct rmap_lock *l)
{
	if (!ls->threaded) {
		lock_count_acquire(ls, a, l->cls, false);
	} else {
		if (pthread_rwlock_tryrdlock(&l->rw))
			return false;
		account(ls, a, l->cls, false, false, 0);
	}
	observe(ls, l->id, l->cls, LOCK_EV_READ);
	hold_begin(ls, a, l->id, l->cls, false);
	return true;
}

void rmap_unlock_read(struct lock_stats *ls, struct rmap_lock *l)
{
	hold_end(ls, l->id);
	observe(ls, l->id, l->cls, LOCK_EV_READ_UNLOCK);
	if (ls->threaded)
		pthread_rwlock_unlock(&l->rw);
}
