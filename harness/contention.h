/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The wall-clock contention diagnostic (`contend --mode wallclock` and
 * `--mode wallclock-schedule`).  Its figures depend on the machine, its
 * load and the build; they are never a report's contention figures,
 * which come from the simulation (harness/sim/sim.h).
 *
 * The driver replays the independent process subtrees of
 * a trace in parallel worker threads while walker threads walk live
 * folios with trylock, as reclaim and migration do; threads pinned with
 * hwloc; lock statistics per class and operation, like lock_stat.
 *
 * A unit is what one worker replays in trace order: the own events of a
 * process the trace starts with, or the whole subtree of a child it
 * forked (threads stay with their process).  A unit starts once the fork
 * that creates it has been applied; units run concurrently otherwise.
 *
 * Two modes, because the core is not thread safe:
 *
 *  - world (default): one shared world; every event is applied under a
 *    global world mutex, and walkers walk (rmap_walk_verified(), try_lock)
 *    under it too.  Concurrent: the workers' and walkers' control flow,
 *    the waiting for the world mutex (reported as class "world_mutex",
 *    per operation).  Not concurrent: anything inside the model, so the
 *    rmap locks (real pthread rwlocks: w->locks.threaded) are always
 *    free when taken, and their contended counts stay 0 by construction.
 *
 *  - schedule: first the trace is replayed single-threaded while a lock
 *    observer (core/lock.h, when it has one) records, per event, which
 *    rmap lock instances are taken in which mode and for how long, and
 *    the walks' locks on sampled folios; then the workers replay those
 *    lock schedules concurrently on real rwlocks, one per instance, busy
 *    for the recorded hold and gap times, and walkers trylock the recorded
 *    walks.  Concurrent: every rmap lock acquisition, with the instance
 *    sharing of the real history (fork trees share anon_vma roots), so
 *    contention, wait and hold times are real.  Not modelled: the model's
 *    state does not change during the concurrent phase (the schedule was
 *    fixed by the single-threaded replay), so an interleaving cannot
 *    change which locks an event takes.
 */
#ifndef RMAPLAB_HARNESS_CONTENTION_H
#define RMAPLAB_HARNESS_CONTENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "core/errbuf.h"
#include "core/lock.h"
#include "traces/trace.h"

enum contend_mode {
	CONTEND_WORLD,
	CONTEND_SCHEDULE,
};

struct contend_opts {
	enum contend_mode mode;
	unsigned int workers;		/* event threads; 0: one per PU */
	unsigned int walkers;		/* walker threads */
	bool pin;			/* bind threads to PUs with hwloc */
	uint64_t seed;
};

struct contend_result {
	char scheme[64];
	enum contend_mode mode;
	/* every rmap lock class, then world_mutex in world mode */
	struct lock_class locks[LOCK_MAX_CLASSES + 1];
	int nr_locks;
	unsigned long units, events, divergences;
	unsigned long walks, walks_contended;	/* walkers gave up */
	unsigned long found, present;	/* final check of every folio */
	uint64_t wall_ns;
	char topology[256];		/* hwloc summary and the binding */
};

/* Whether this build can record lock schedules (core lock observer). */
bool contend_schedule_supported(void);

/*
 * Run @t with @scheme as @o says.  0, or -1 with one line in @err (a bad
 * trace, an unknown scheme, a scheme that does not start, a mode this
 * build lacks).
 */
int contend_trace(const struct trace *t, const char *scheme,
		  const struct contend_opts *o, struct contend_result *res,
		  struct errbuf *err);

#endif /* RMAPLAB_HARNESS_CONTENTION_H */
