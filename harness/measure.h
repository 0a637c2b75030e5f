/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The measurement library: replays a trace with one scheme and collects
 * what linux-mm reviewers compare (DESIGN.md "Measuring"):
 *
 *  - memory: live and peak objects per accounted class (anon_vma,
 *    anon_vma_chain, vm_area_struct and each scheme's own), at the slab
 *    object size of the trace's architecture, and a time series of live
 *    counts sampled every N events;
 *  - the deterministic cost of every operation: events, objects
 *    allocated and freed per class, rmap locks taken per class, VMA tree
 *    nodes visited; and the replay time spent in each;
 *  - the rmap walk: every live folio walked with rmap_walk_verified() at
 *    the end (and at the trace's checkpoints), each walk timed; candidate
 *    VMAs, those that did not map the folio, tree nodes, contexts and
 *    locks per walk;
 *  - the kernel's own anon_vma / anon_vma_chain counts where the trace's
 *    checkpoints (or a kernel vector's .expected file) carry them.
 *
 * Everything except the nanoseconds is deterministic.
 */
#ifndef RMAPLAB_HARNESS_MEASURE_H
#define RMAPLAB_HARNESS_MEASURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/acct.h"
#include "core/errbuf.h"
#include "core/lock.h"
#include "core/world.h"
#include "traces/trace.h"

/* ---- object sizes ------------------------------------------------- */

struct objsize {
	char name[48];
	size_t size;
};

/* Overrides, applied in order (a later entry wins). */
struct objsizes {
	struct objsize *v;
	size_t nr, cap;
};

/* The slab object size of @name on @arch ("x86_64"), 0 if not known. */
size_t objsize_arch(const char *arch, const char *name);
/* "NAME=SIZE"; -1 with a message on a malformed argument. */
int objsizes_parse(struct objsizes *s, const char *arg, struct errbuf *err);
void objsizes_set(struct objsizes *s, const char *name, size_t size);
/*
 * Every cache of a /proc/slabinfo (version 2.x) file: its objsize column.
 * -1 with a message when the file cannot be read or parsed.
 */
int objsizes_from_slabinfo(struct objsizes *s, const char *path,
			   struct errbuf *err);
void objsizes_free(struct objsizes *s);
/*
 * The slab object size of @name for a trace with header @h: the
 * recording kernel's (trace_slab_size()) when the trace has it, else the
 * table's for its arch; 0 if neither knows it.
 */
size_t objsize_trace(const struct trace_header *h, const char *name);
/*
 * objsize_trace() of every class, then @user, into @w's accounting
 * (world_set_objsize).
 */
void measure_apply_sizes(struct world *w, const struct trace_header *h,
			 const struct objsizes *user);

/* ---- results ------------------------------------------------------ */

/* Timed walks and their cost counters. */
struct walk_stats {
	unsigned long walks;		/* folios walked */
	unsigned long found;		/* verified (page, mm, addr) */
	unsigned long expected;		/* present anon PTEs (oracle) */
	unsigned long candidates, misses, nodes, contexts, locks, retries;
	double *ns;			/* per walk: median of the repeats */
	size_t nr_ns, cap_ns;
	double p50_ns, p99_ns, mean_ns, max_ns;	/* walk_stats_finish() */
};

struct op_cost {
	unsigned long count;		/* events of this operation */
	uint64_t ns;			/* replay time spent in them */
	unsigned long vma_nodes;	/* VMA tree nodes the core visited */
};

/* The kernel's and the model's counts at one checkpoint. */
struct cp_sample {
	unsigned long event;		/* index of the checkpoint event */
	char reason[16];
	long kernel_anon_vma, kernel_avc;	/* -1: unknown */
	long model_anon_vma, model_avc;	/* -1: none, or the scheme does not keep
					 * the kernel's objects */
	bool walked;
	struct walk_stats walk;		/* when walked */
};

/* Live counts per acct class id, sampled after event[i] for i in event. */
struct mem_series {
	unsigned long every;
	size_t nr, cap;
	unsigned long *event;
	long *live;			/* nr rows of ACCT_MAX_CLASSES */
};

struct measure_result {
	char scheme[64];
	bool available;			/* false: the scheme refused */
	char why[512];
	unsigned long events, divergences;
	uint64_t replay_ns;
	struct op_cost ops[OP_NR];
	struct acct acct;		/* at the end, before the walks */
	/*
	 * The snapshot the walks ran on: the end of the trace, or, when the
	 * trace ends with no live folio (a recorded program exits), the
	 * event after which most folios were live.  Live objects there,
	 * per class of acct.
	 */
	unsigned long snap_event;	/* events applied */
	bool snap_at_end;
	unsigned long snap_folios;
	long snap_live[ACCT_MAX_CLASSES];
	struct lock_class locks[LOCK_MAX_CLASSES];
	/* work done while held, per class (locks[] order; core/lock.h) */
	struct lock_footprint lock_fp[LOCK_MAX_CLASSES];
	int nr_locks;
	struct walk_stats walk;		/* every folio of the snapshot */
	struct cp_sample *cps;
	size_t nr_cps;
	struct mem_series series;
};

struct measure_opts {
	unsigned long every;		/* sample period; 0: ~100 samples */
	unsigned int walk_repeat;	/* timed walks per folio; 0: 3 */
	bool walk_checkpoints;		/* also walk at checkpoints */
	bool no_walk;			/* skip the final walks */
	const struct objsizes *sizes;	/* NULL: the arch table only */
	/* The kernel's end state (a kernel vector's .expected), or NULL. */
	const struct trace_checkpoint *end_ref;
	/*
	 * Where the snapshot of this trace lies when it is not the end:
	 * snap_event of an earlier result for it, with any scheme (folios
	 * are the core's); 0: not known.  The snapshot is then taken during
	 * the one replay; without it, a trace that ends with no live folio
	 * is replayed a second time up to its folio peak for the walks.
	 */
	unsigned long snap_event;
};

/*
 * Replay @t with @scheme and measure.  Returns 0; 1 when the scheme is
 * not available (res->available false, res->why says why); -1 for a bad
 * trace or scheme name (one line in @err).  Free with
 * measure_result_free() in every case.
 */
int measure_trace(const struct trace *t, const char *scheme,
		  const struct measure_opts *o, struct measure_result *res,
		  struct errbuf *err);
void measure_result_free(struct measure_result *res);

/*
 * The world of @scheme after the first @events events of @t (all when
 * @events is ~0UL); NULL with a message in @err.  Divergences from the
 * kernel's results are not reported.  Free with world_free().
 */
struct world *measure_replay_to(const struct trace *t, const char *scheme,
				unsigned long events, struct errbuf *err);
/*
 * The event count after which @t has the most live folios (scheme
 * independent: folios are the core's), and that number.
 */
unsigned long measure_folio_peak(const struct trace *t,
				 unsigned long *folios, struct errbuf *err);

/*
 * Add @r into the corpus total @sum (same scheme): counts, objects and
 * locks by name, walk times; series and checkpoints are not summed.
 * Peaks add up: the sum of each trace's peak.
 */
void measure_result_add(struct measure_result *sum,
			const struct measure_result *r);

/*
 * Walk every live folio of @w @repeat times with rmap_walk_verified(),
 * adding to @ws (the median time of each folio's walks; counters of the
 * first).  Then walk_stats_finish() for percentiles.
 */
void measure_walks(struct world *w, unsigned int repeat,
		   struct walk_stats *ws);
void walk_stats_finish(struct walk_stats *ws);
void walk_stats_add(struct walk_stats *sum, const struct walk_stats *ws);
void walk_stats_free(struct walk_stats *ws);
/* 1 - misses / candidates; NaN without candidates. */
double walk_precision(const struct walk_stats *ws);

/* The mm_op an event type runs as (OP_NONE for checkpoints, threads). */
enum mm_op measure_event_op(unsigned int type);

uint64_t measure_now_ns(void);

/* ---- the bundled corpus -------------------------------------------- */


#endif /* RMAPLAB_HARNESS_MEASURE_H */
