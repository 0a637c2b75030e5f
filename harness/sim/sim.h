/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The contention simulation: a trace's lock schedule, recorded once from
 * a deterministic single-threaded replay, run on N virtual CPUs in
 * virtual time with the kernel's lock semantics, while reclaim walkers
 * walk folios.  No wall clock anywhere: the same inputs give the same
 * output, byte for byte.
 *
 *   sim_record.c     replay once; per event and sampled walk, the lock
 *                    operations and the work (lock_work.h) between them;
 *                    the lock footprint and each lock instance's domain
 *   sim_lock.c       rwsem and spinlock semantics (who gets a lock when)
 *   sim_cost.c       the cost table: virtual ns per object touched
 *   sim_engine.c     the discrete-event simulation of CPUs and walkers
 *   sim_storm.c      generated fork storms (zygote, server, chain)
 *   sim_out.c        lock_stat-like tables, footprint, scaling, JSON
 */
#ifndef RMAPLAB_HARNESS_SIM_SIM_H
#define RMAPLAB_HARNESS_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/errbuf.h"
#include "core/lock.h"
#include "traces/trace.h"

struct rj;

#define SIM_MAX_CLASSES		(LOCK_MAX_CLASSES + 1)
#define SIM_MAX_CPUS		256
#define SIM_MAX_WALKERS		64

/* lock_stat's numbers for one class and one mode (read or write). */
struct sim_lockstat {
	unsigned long con_bounces, contentions;
	uint64_t wait_min, wait_max, wait_total;
	unsigned long acq_bounces, acquisitions;
	uint64_t hold_min, hold_max, hold_total;
	unsigned long hold_n;		/* holds timed (not point counts) */
	unsigned long contentions_op[OP_NR];
};

struct sim_class_stat {
	char name[64];
	enum lock_kind kind;
	struct sim_lockstat st[2];	/* [0] read, [1] write */
};

/* One run of the simulation on one CPU count. */
struct sim_result {
	unsigned int cpus, walkers;
	double hold_scale;
	uint64_t makespan_ns;		/* virtual time until the last event */
	unsigned long events, walks, walks_gave_up, walks_blocking;
	unsigned long rcu_deferred_frees;
	bool stalled;			/* units left blocked for ever */
	unsigned int max_busy;		/* most CPUs running a unit at once */
	double ops_per_sec;		/* events per virtual second */
	int nr_classes;
	struct sim_class_stat cls[SIM_MAX_CLASSES];
};

struct sim_opts {
	unsigned int walkers;		/* reclaim walkers (virtual CPUs) */
	double walk_rate;		/* walks / virtual s / walker */
	unsigned int blocking_pct;	/* % of walks that block (unmap) */
	double hold_scale;		/* multiplies in-lock costs */
	uint64_t seed;
};

void sim_opts_default(struct sim_opts *o);

/* A recorded trace: opaque, from sim_record(). */
struct sim_recording;

/* The lock footprint of one class (deterministic, from the replay). */
struct sim_fp_class {
	char name[64];
	enum lock_kind kind;
	unsigned long acq[2][OP_NR];		/* [write][op] */
	unsigned long work[2][LW_NR];		/* while held, all ops */
	unsigned long freed[2][ACCT_MAX_CLASSES];
	/* instances and their domains (instances with an id only) */
	unsigned long instances;
	unsigned long procs_max, units_max, links_max, vmas_max;
	double procs_mean, vmas_mean;
	unsigned long procs_p50, procs_p90;
	/* event acquisitions on instances shared by more than one unit */
	unsigned long acq_events[2], acq_shared[2], acq_all_units[2];
};

struct sim_footprint {
	unsigned long units, events, walks_sampled;
	int nr_acct;
	char acct_names[ACCT_MAX_CLASSES][64];
	int nr_classes;
	struct sim_fp_class cls[SIM_MAX_CLASSES];
};

/*
 * Replay @t with @scheme once and record it.  NULL with one line in @err
 * for a bad trace or a scheme that does not start.
 */
struct sim_recording *sim_record(const struct trace *t, const char *scheme,
				 struct errbuf *err);
void sim_recording_free(struct sim_recording *rec);
const struct sim_footprint *sim_footprint(const struct sim_recording *rec);
/* Mappings the final walk of every live folio found, and present. */
void sim_recording_check(const struct sim_recording *rec,
			 unsigned long *found, unsigned long *present);

/* Run @rec on @cpus virtual CPUs. */
void sim_run(const struct sim_recording *rec, unsigned int cpus,
	     const struct sim_opts *o, struct sim_result *res);

/* Generated fork storms; @size scales them (processes). */
enum sim_storm {
	STORM_ZYGOTE,			/* one parent, many app children */
	STORM_SERVER,			/* fork per connection */
	STORM_CHAIN,			/* each child forks the next */
	STORM_NR,
};

extern const char *const sim_storm_names[STORM_NR];
int sim_storm_lookup(const char *name);
void sim_storm_trace(struct trace *t, enum sim_storm kind, unsigned int size,
		     uint64_t seed);

/* Output (sim_out.c). */
void sim_print_footprint(FILE *f, const char *trace, const char *scheme,
			 const struct sim_footprint *fp);
void sim_print_lockstat(FILE *f, const struct sim_result *r);
void sim_print_costs(FILE *f);
void sim_json_footprint(struct rj *j, const struct sim_footprint *fp);
void sim_json_result(struct rj *j, const struct sim_result *r);

#endif /* RMAPLAB_HARNESS_SIM_SIM_H */
