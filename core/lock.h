/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instrumented locks, in the manner of lock_stat: every rmap-side lock
 * belongs to a class that counts acquisitions (read / write), contended
 * acquisitions, wait and hold time, and how many were taken per operation.
 *
 * Replays are single threaded unless the world is marked threaded (the
 * contention driver); then the lock is a real pthread rwlock and contention
 * and times are measured.  The deterministic counts are kept either way.
 */
#ifndef RMAPLAB_CORE_LOCK_H
#define RMAPLAB_CORE_LOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "acct.h"

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
};

struct lock_class {
	const char *name;
	unsigned long acquire_read[OP_NR];
	unsigned long acquire_write[OP_NR];
	unsigned long contended[OP_NR];
	uint64_t wait_ns[OP_NR];
	uint64_t wait_max_ns;
	uint64_t hold_ns;
};

struct lock_stats {
	struct lock_class cls[LOCK_MAX_CLASSES];
	int nr;
	bool threaded;
	pthread_mutex_t stat_lock;	/* guards counters when threaded */
	/* Called, when set, on every rmap_lock acquisition and release. */
	void (*observe)(void *arg, unsigned long lock_id, int cls,
			enum lock_event ev);
	void *observe_arg;
};

struct rmap_lock {
	int cls;
	unsigned long id;		/* unique per rmap_lock_init() */
	pthread_rwlock_t rw;
	uint64_t write_since;		/* for hold time */
};

int lock_class(struct lock_stats *ls, const char *name);
void rmap_lock_init(struct rmap_lock *l, int cls);
void rmap_lock_destroy(struct rmap_lock *l);

void rmap_lock_write(struct lock_stats *ls, struct acct *a,
		     struct rmap_lock *l);
void rmap_unlock_write(struct lock_stats *ls, struct rmap_lock *l);
void rmap_lock_read(struct lock_stats *ls, struct acct *a,
		    struct rmap_lock *l);
/* down_read_trylock(): false (and a contended count) if it would block. */
bool rmap_trylock_read(struct lock_stats *ls, struct acct *a,
		       struct rmap_lock *l);
void rmap_unlock_read(struct lock_stats *ls, struct rmap_lock *l);

/* Count an acquisition of a lock the model does not otherwise hold. */
void lock_count(struct lock_stats *ls, struct acct *a, int cls, bool write);

#endif /* RMAPLAB_CORE_LOCK_H */
