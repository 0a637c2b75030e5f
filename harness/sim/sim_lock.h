/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Who gets a lock when, as the kernel decides it (6.18):
 *
 * rwsem (kernel/locking/rwsem.c)
 *  - down_read() takes the lock at once only if no writer holds it and
 *    nobody waits (RWSEM_READ_FAILED_MASK includes RWSEM_FLAG_WAITERS):
 *    a reader does not pass a queued writer; otherwise it sleeps in the
 *    FIFO wait list.
 *  - down_read_trylock() fails when a writer holds it or anyone waits.
 *  - down_write() takes a free lock; when a writer that is running
 *    holds it, the new writer spins (rwsem_optimistic_spin(), on the
 *    OSQ, in arrival order) and takes the lock as soon as it is
 *    released, ahead of sleeping waiters; otherwise (readers hold it,
 *    or the handoff bit is set) it sleeps in the wait list.
 *  - On release the first waiter is granted the lock: a writer alone,
 *    or, when the first waiter is a reader, every reader in the list
 *    up to MAX_READERS_WAKEUP (rwsem_mark_wake(): phase-fair readers).
 *    Spinning writers go to the wait list when readers get the lock.
 *  - Handoff: once the first waiter has waited RWSEM_WAIT_TIMEOUT (4 ms),
 *    the release hands it the lock and spinners cannot steal it.
 *  Simplified: a woken waiter owns the lock from the release on (the
 *  kernel lets spinners and new readers steal it during the wake-up
 *  unless the handoff bit is set); a writer facing readers sleeps at
 *  once (the kernel spins a while on a reader-owned lock first).
 *
 * spinlock (queued spinlock): one holder; waiters spin in FIFO order
 * (the MCS queue), read and write alike; a trylock fails when held.
 */
#ifndef RMAPLAB_HARNESS_SIM_SIM_LOCK_H
#define RMAPLAB_HARNESS_SIM_SIM_LOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/lock.h"

#define SIM_MAX_READERS_WAKEUP	0x100	/* MAX_READERS_WAKEUP */
/* RWSEM_WAIT_TIMEOUT: DIV_ROUND_UP(HZ, 250) jiffies, 4 ms at any HZ */
#define SIM_RWSEM_WAIT_TIMEOUT_NS	(4ULL * 1000 * 1000)

struct sim_waiter {
	uint32_t agent;
	bool write;
	uint64_t since;
};

struct sim_wlist {
	struct sim_waiter *v;
	size_t nr, cap;
};

struct sim_lock {
	enum lock_kind kind;
	int readers;
	int64_t writer;			/* holding agent, or -1 */
	bool handoff;
	struct sim_wlist wait;		/* sleeping (rwsem) / spinning (spin) */
	struct sim_wlist spin;		/* rwsem optimistic spinners */
	int last_cpu;			/* of the last acquisition, -1 */
};

enum sim_acquire {
	SIM_GOT,
	SIM_SPINS,			/* waits on its CPU */
	SIM_SLEEPS,			/* waits in the wait list */
	SIM_FAILED,			/* a trylock that would wait */
};

/* Agents a release granted the lock to. */
struct sim_grant {
	uint32_t agent;
	bool write;
	bool slept;			/* pays a wake-up */
	uint64_t since;			/* when it started waiting */
};

struct sim_grants {
	struct sim_grant *v;
	size_t nr, cap;
};

void sim_lock_init(struct sim_lock *l, enum lock_kind kind);
void sim_lock_fini(struct sim_lock *l);
enum sim_acquire sim_lock_acquire(struct sim_lock *l, uint32_t agent,
				  bool write, bool trylock, uint64_t now);
/* Release by a holder; whom it granted the lock to goes to @g (reset). */
void sim_lock_release(struct sim_lock *l, bool write, uint64_t now,
		      struct sim_grants *g);
bool sim_lock_has_waiters(const struct sim_lock *l);

#endif /* RMAPLAB_HARNESS_SIM_SIM_LOCK_H */
