/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synthetic fork trees, the workload the anon_vma design was argued over
 * (2010: "1000 child processes and a VMA with 1000 anonymous pages per
 * process that get COWed"; 2011: exim forking per connection).
 *
 * A root process maps and writes @pages pages, then forks a tree @depth
 * levels deep with @fanout children per process; every process writes
 * (CoW) a random @cow_pct percent of the pages it inherited, and an inner
 * process exits after forking its children with probability @exit_pct.
 *
 * Two outputs from the same generator:
 *  - forktree_world(): the tree built directly in a world through
 *    core/world.h, left alive, for walk benchmarks;
 *  - forktree_trace(): a server-like trace of at least @nr_events events:
 *    the root keeps forking such trees (each process also maps, splits,
 *    moves and unmaps a scratch area), and every tree exits before the
 *    next; for replay throughput and contention runs.  The root's
 *    children subtrees are independent of one another.
 *
 * The same parameters and seed always give the same result.
 */
#ifndef RMAPLAB_HARNESS_GEN_FORKTREE_H
#define RMAPLAB_HARNESS_GEN_FORKTREE_H

#include <stdint.h>

#include "core/errbuf.h"
#include "core/world.h"
#include "traces/trace.h"

#define FORKTREE_BASE		0x100000000UL	/* shared region */
#define FORKTREE_SCRATCH	0x200000000UL	/* a process's own area */
#define FORKTREE_MOVED		0x300000000UL	/* scratch moved */
#define FORKTREE_SCRATCH_PAGES	8

struct forktree_params {
	unsigned int depth;		/* levels below the root, 1..64 */
	unsigned int fanout;		/* children per process, 1..16 */
	unsigned long pages;		/* pages the root writes */
	unsigned int cow_pct;		/* % of pages each child writes */
	unsigned int exit_pct;		/* % of inner processes exiting */
	unsigned long max_procs;	/* cap per tree (0: 4096) */
	uint64_t seed;
};

/* Sensible defaults: depth 3, fanout 4, 256 pages, 10% CoW, no exit. */
void forktree_defaults(struct forktree_params *p);

/*
 * Build the tree in a new world running @scheme ("classic", "cowctx:poc"
 * ...).  NULL with a message in @err when the scheme does not start.
 */
struct world *forktree_world(const char *scheme,
			     const struct forktree_params *p,
			     struct errbuf *err);

/* Fill @t (initialised here) with at least @nr_events events. */
void forktree_trace(struct trace *t, const struct forktree_params *p,
		    unsigned long nr_events);

#endif /* RMAPLAB_HARNESS_GEN_FORKTREE_H */
