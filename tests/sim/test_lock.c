// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulation's lock semantics (harness/sim/sim_lock.h), against what
 * kernel/locking/rwsem.c does: agents are numbers, times nanoseconds.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "harness/sim/sim_lock.h"

static struct sim_grants g;

static void release(struct sim_lock *l, bool write, uint64_t now)
{
	sim_lock_release(l, write, now, &g);
}

/* R1 holds; W2 queues; R3 must queue behind W2, not share with R1. */
Test(sim_rwsem, reader_does_not_pass_queued_writer)
{
	struct sim_lock l;

	sim_lock_init(&l, LOCK_KIND_RWSEM);
	cr_assert_eq(sim_lock_acquire(&l, 1, false, false, 0), SIM_GOT);
	cr_assert_eq(sim_lock_acquire(&l, 2, true, false, 10), SIM_SLEEPS,
		     "a writer facing a reader sleeps");
	cr_assert_eq(sim_lock_acquire(&l, 3, false, false, 20), SIM_SLEEPS,
		     "a reader does not pass a queued writer");
	release(&l, false, 30);
	cr_assert_eq(g.nr, 1);
	cr_assert_eq(g.v[0].agent, 2, "the writer first");
	cr_assert(g.v[0].write);
	release(&l, true, 40);
	cr_assert_eq(g.nr, 1);
	cr_assert_eq(g.v[0].agent, 3);
	cr_assert_eq(l.readers, 1);
	sim_lock_fini(&l);
}

/* down_read_trylock() fails when anyone waits, even with readers in. */
Test(sim_rwsem, trylock_fails_on_waiters)
{
	struct sim_lock l;

	sim_lock_init(&l, LOCK_KIND_RWSEM);
	cr_assert_eq(sim_lock_acquire(&l, 1, false, true, 0), SIM_GOT,
		     "a free lock: trylock succeeds");
	cr_assert_eq(sim_lock_acquire(&l, 4, false, true, 1), SIM_GOT,
		     "readers only: trylock succeeds");
	cr_assert_eq(sim_lock_acquire(&l, 2, true, false, 5), SIM_SLEEPS);
	cr_assert_eq(sim_lock_acquire(&l, 3, false, true, 6), SIM_FAILED,
		     "a writer waits: trylock fails");
	cr_assert_eq(l.wait.nr, 1, "a failed trylock does not queue");
	sim_lock_fini(&l);
}

/* A writer facing a running writer spins and wins over sleepers. */
Test(sim_rwsem, spinning_writer_takes_it_first)
{
	struct sim_lock l;

	sim_lock_init(&l, LOCK_KIND_RWSEM);
	cr_assert_eq(sim_lock_acquire(&l, 1, true, false, 0), SIM_GOT);
	cr_assert_eq(sim_lock_acquire(&l, 2, false, false, 1), SIM_SLEEPS);
	cr_assert_eq(sim_lock_acquire(&l, 3, true, false, 2), SIM_SPINS);
	release(&l, true, 100);
	cr_assert_eq(g.nr, 1);
	cr_assert_eq(g.v[0].agent, 3, "the spinner steals the lock");
	cr_assert_not(g.v[0].slept);
	release(&l, true, 200);
	cr_assert_eq(g.v[0].agent, 2);
	cr_assert(g.v[0].slept, "a sleeper pays a wake-up");
	sim_lock_fini(&l);
}

/* After RWSEM_WAIT_TIMEOUT the first waiter gets it: handoff. */
Test(sim_rwsem, handoff_after_timeout)
{
	struct sim_lock l;
	uint64_t late = SIM_RWSEM_WAIT_TIMEOUT_NS + 10;

	sim_lock_init(&l, LOCK_KIND_RWSEM);
	cr_assert_eq(sim_lock_acquire(&l, 1, true, false, 0), SIM_GOT);
	cr_assert_eq(sim_lock_acquire(&l, 2, false, false, 5), SIM_SLEEPS);
	cr_assert_eq(sim_lock_acquire(&l, 3, true, false, 6), SIM_SPINS);
	release(&l, true, late);
	cr_assert_eq(g.nr, 1);
	cr_assert_eq(g.v[0].agent, 2, "handed off to the starving waiter");
	/* readers own it now: the spinner stopped spinning and queued */
	cr_assert_eq(l.spin.nr, 0);
	cr_assert_eq(l.wait.nr, 1);
	cr_assert_eq(l.wait.v[0].agent, 3);
	sim_lock_fini(&l);
}

/* rwsem_mark_wake(): a reader at the head wakes every queued reader. */
Test(sim_rwsem, phase_fair_reader_wakeup)
{
	struct sim_lock l;

	sim_lock_init(&l, LOCK_KIND_RWSEM);
	cr_assert_eq(sim_lock_acquire(&l, 1, true, false, 0), SIM_GOT);
	cr_assert_eq(sim_lock_acquire(&l, 2, false, false, 1), SIM_SLEEPS);
	l.writer = -1;		/* make the next writer queue, not spin */
	l.readers = 1;
	cr_assert_eq(sim_lock_acquire(&l, 3, true, false, 2), SIM_SLEEPS);
	cr_assert_eq(sim_lock_acquire(&l, 4, false, false, 3), SIM_SLEEPS);
	release(&l, false, 10);
	cr_assert_eq(g.nr, 2, "both readers, past the queued writer");
	cr_assert_eq(g.v[0].agent, 2);
	cr_assert_eq(g.v[1].agent, 4);
	cr_assert_eq(l.readers, 2);
	cr_assert_eq(l.wait.nr, 1);
	sim_lock_fini(&l);
}

/* Queued spinlock: FIFO, read and write alike; trylock fails if held. */
Test(sim_spin, fifo)
{
	struct sim_lock l;

	sim_lock_init(&l, LOCK_KIND_SPIN);
	cr_assert_eq(sim_lock_acquire(&l, 1, false, false, 0), SIM_GOT);
	cr_assert_eq(sim_lock_acquire(&l, 2, false, false, 1), SIM_SPINS,
		     "no shared mode");
	cr_assert_eq(sim_lock_acquire(&l, 3, true, false, 2), SIM_SPINS);
	cr_assert_eq(sim_lock_acquire(&l, 4, false, true, 3), SIM_FAILED);
	release(&l, false, 10);
	cr_assert_eq(g.nr, 1);
	cr_assert_eq(g.v[0].agent, 2);
	cr_assert_not(g.v[0].slept, "spinners never sleep");
	release(&l, false, 20);
	cr_assert_eq(g.v[0].agent, 3);
	sim_lock_fini(&l);
}

/* RCU readers and reference counts never wait. */
Test(sim_rcu, readers_never_wait)
{
	struct sim_lock l;
	int i;

	sim_lock_init(&l, LOCK_KIND_RCU);
	for (i = 0; i < 8; i++)
		cr_assert_eq(sim_lock_acquire(&l, i, i & 1, i & 2, i),
			     SIM_GOT);
	release(&l, false, 10);
	cr_assert_eq(g.nr, 0);
	sim_lock_fini(&l);
}

/*
 * The core's instrumented lock (core/lock.h), threaded as in the
 * wall-clock diagnostic: a failed down_read_trylock() is neither an
 * acquisition nor a contention, as in lock_stat.
 */
Test(core_lock, failed_trylock_counts_nothing)
{
	struct lock_stats ls;
	struct acct a;
	struct rmap_lock l;
	int cls;

	memset(&ls, 0, sizeof(ls));
	memset(&a, 0, sizeof(a));
	pthread_mutex_init(&ls.stat_lock, NULL);
	cls = lock_class(&ls, "test");
	rmap_lock_init(&l, cls);
	ls.threaded = true;
	a.cur_op = OP_WALK;
	cr_assert_eq(pthread_rwlock_wrlock(&l.rw), 0);
	cr_assert_not(rmap_trylock_read(&ls, &a, &l));
	cr_assert_eq(ls.cls[cls].acquire_read[OP_WALK], 0);
	cr_assert_eq(ls.cls[cls].contended[OP_WALK], 0);
	pthread_rwlock_unlock(&l.rw);
	cr_assert(rmap_trylock_read(&ls, &a, &l));
	cr_assert_eq(ls.cls[cls].acquire_read[OP_WALK], 1);
	rmap_unlock_read(&ls, &l);
	rmap_lock_destroy(&l);
	pthread_mutex_destroy(&ls.stat_lock);
}
