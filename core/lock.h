/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instrumented locks, in the manner of lock_stat: every rmap-side lock
 * belongs to a class that counts acquisitions (read / write), contended
 * acquisitions, wait and hold time, and how many were taken per operation.
 *
 * Replays are single threaded unless the world is marked threaded (the
 * wall-clock contention diagnostic); then the lock is a real pthread
 * rwlock and waits are measured.  The deterministic counts are kept
 * either way.
 *
 * A single-threaded replay also keeps each class's footprint: the work
 * (lock_work.h) done between acquisition and release, per mode and
 * operation, and which object classes were allocated and freed while a
 * lock of the class was held.  A lock the model only counts
 * (lock_count()) is held, for the footprint, until the end of the
 * enclosing scope (an rmap walk: rcu_read_lock() or a reference held
 * across the walk), or not at all outside one.
 */
#ifndef RMAPLAB_CORE_LOCK_H
#define RMAPLAB_CORE_LOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "acct.h"
#include "lock_work.h"

#define LOCK_MAX_CLASSES 16

/*
 * What a lock observer is told: every acquisition (a successful trylock
 * included) and release of an rmap_lock, with the lock's instance id.
 * The contention driver's schedule mode records these.
 */
#define RMAP_LOCK_OBSERVER 1

enum lock_event {
	LOCK_EV_READ,
	LOCK_EV_WRITE,
	LOCK_EV_READ_UNLOCK,
	LOCK_EV_WRITE_UNLOCK,
	LOCK_EV_COUNT_READ,		/* lock_count(): no instance */
	LOCK_EV_COUNT_WRITE,
};

/* What kind of lock a class is: how it waits (the simulation's rules). */
enum lock_kind {
	LOCK_KIND_RWSEM,		/* struct rw_semaphore (the default) */
	LOCK_KIND_SPIN,			/* spinlock_t: FIFO, waiters spin */
	LOCK_KIND_RCU,			/* rcu_read_lock(): never waits */
	LOCK_KIND_ATOMIC,		/* a reference count: never waits */
	LOCK_KIND_NR,
};

extern const char *const lock_kind_names[LOCK_KIND_NR];

/* Work done while a lock of the class was held (footprint). */
struct lock_footprint {
	unsigned long sections[2][OP_NR];	/* [write]: holds seen */
	unsigned long work[2][OP_NR][LW_NR];
	unsigned long allocated[2][ACCT_MAX_CLASSES];	/* acct class */
	unsigned long freed[2][ACCT_MAX_CLASSES];
};

struct lock_class {
	const char *name;
	enum lock_kind kind;
	unsigned long acquire_read[OP_NR];
	unsigned long acquire_write[OP_NR];
	unsigned long contended[OP_NR];
	uint64_t wait_ns[OP_NR];
	uint64_t wait_max_ns;
	uint64_t hold_ns;
};

#define LOCK_MAX_HELD 32

/* A hold in progress, for the footprint (single-threaded replays). */
struct lock_held {
	unsigned long id;		/* 0: a counted lock in a scope */
	int cls;
	bool write;
	enum mm_op op;
	unsigned long work[LW_NR];	/* lock_work_now at acquisition */
	/* per-class counts at the first allocation or free under it */
	bool snapped;
	unsigned long allocs[ACCT_MAX_CLASSES], frees[ACCT_MAX_CLASSES];
};

struct lock_stats {
	struct lock_class cls[LOCK_MAX_CLASSES];
	int nr;
	bool threaded;
	pthread_mutex_t stat_lock;	/* guards counters when threaded */
	/*
	 * Called, when set, on every acquisition and release of an
	 * rmap_lock and on every lock_count() (id 0; inside a scope, its
	 * release at the scope's end comes as an unlock of id 0).
	 */
	void (*observe)(void *arg, unsigned long lock_id, int cls,
			enum lock_event ev);
	void *observe_arg;
	struct lock_footprint fp[LOCK_MAX_CLASSES];
	struct lock_held held[LOCK_MAX_HELD];
	int nr_held;
	int scope;			/* nesting of lock_scope_begin() */
	int scope_base;			/* held[] entries below the scope */
	struct acct *acct;		/* for allocations under a lock */
	unsigned long rcu_frees;	/* lock_rcu_free() */
};

struct rmap_lock {
	int cls;
	unsigned long id;		/* unique per rmap_lock_init() */
	pthread_rwlock_t rw;
	uint64_t write_since;		/* for hold time */
};

int lock_class(struct lock_stats *ls, const char *name);
/* @sum += @fp (by object class index: the same world's classes). */
void lock_footprint_add(struct lock_footprint *sum,
			const struct lock_footprint *fp);
/* lock_class() of a class that is not an rwsem. */
int lock_class_kind(struct lock_stats *ls, const char *name,
		    enum lock_kind kind);
void rmap_lock_init(struct rmap_lock *l, int cls);
void rmap_lock_destroy(struct rmap_lock *l);

void rmap_lock_write(struct lock_stats *ls, struct acct *a,
		     struct rmap_lock *l);
void rmap_unlock_write(struct lock_stats *ls, struct rmap_lock *l);
void rmap_lock_read(struct lock_stats *ls, struct acct *a,
		    struct rmap_lock *l);
/* down_read_trylock(): false if it would block (counted nowhere). */
bool rmap_trylock_read(struct lock_stats *ls, struct acct *a,
		       struct rmap_lock *l);
void rmap_unlock_read(struct lock_stats *ls, struct rmap_lock *l);

/* An acquisition, counted; single threaded, or under stat_lock. */
static inline void lock_count_acquire(struct lock_stats *ls, struct acct *a,
				      int cls, bool write)
{
	struct lock_class *c = &ls->cls[cls];
	enum mm_op op = a ? a->cur_op : OP_NONE;

	if (write)
		c->acquire_write[op]++;
	else
		c->acquire_read[op]++;
}

void __lock_count(struct lock_stats *ls, struct acct *a, int cls,
		  bool write);

/*
 * Count an acquisition of a lock the model does not otherwise hold.
 * Inline for what every fault does (mmap_lock for reading) in a
 * single-threaded replay that nobody observes and no scope holds.
 */
static inline void lock_count(struct lock_stats *ls, struct acct *a, int cls,
			      bool write)
{
	if (ls->threaded || ls->observe || ls->scope) {
		__lock_count(ls, a, cls, write);
		return;
	}
	lock_count_acquire(ls, a, cls, write);
	ls->fp[cls].sections[write][a ? a->cur_op : OP_NONE]++;
}

/* An object freed after a grace period (kfree_rcu()), for RCU walkers. */
static inline void lock_rcu_free(struct lock_stats *ls)
{
	ls->rcu_frees++;
}

/*
 * An rmap walk: counted locks taken inside are held, for the footprint,
 * until lock_scope_end().
 */
void lock_scope_begin(struct lock_stats *ls);
void lock_scope_end(struct lock_stats *ls);

#endif /* RMAPLAB_CORE_LOCK_H */
