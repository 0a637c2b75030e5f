/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The data a report is made from, as plain C: whoever measured it (the
 * harness's `rmaplab report`) fills these structures, and reports/ only
 * turns them into text, JSON, CSV and charts.  Nothing here knows the mm
 * model; names (schemes, object classes, lock classes, operations) are
 * strings and every count is a number the producer already computed.
 */
#ifndef RMAPLAB_REPORTS_REPORT_DATA_H
#define RMAPLAB_REPORTS_REPORT_DATA_H

#include <stdbool.h>
#include <stddef.h>

#include "reports/sensitivity.h"

#define RPT_NAME	64
#define RPT_MAX_OPS	16
#define RPT_MAX_CLASSES	16
#define RPT_MAX_LOCKS	16
#define RPT_MAX_KINDS	16

/* Where and how the numbers were produced. */
struct rpt_setup {
	char cpu[128];			/* /proc/cpuinfo model name */
	unsigned int cores;		/* online CPUs */
	unsigned long mem_kb;		/* MemTotal */
	char kernel[128];		/* uname -r */
	char arch[72];			/* uname -m */
	unsigned long page_size;
	char thp[32];			/* transparent_hugepage/enabled */
	char thp_defrag[32];
	char compiler[128];
	char cflags[256];		/* build type and flags */
	char commit[64];		/* rmaplab commit, or "unknown" */
	char counters[256];		/* which counters were available */
	char objsizes[256];		/* "vm_area_struct 192, ..." */
	char command[512];		/* the command line */
	unsigned int repeats;		/* replays per trace and scheme */
	unsigned int walk_repeat;	/* timed walks per folio (median) */
};

/* One accounted object class (a slab cache in the kernel). */
struct rpt_obj {
	char name[RPT_NAME];
	/*
	 * Bytes per object; 0 in a sum over traces of architectures whose
	 * sizes differ, whose KB are then kb[] (by enum rpt_moment): each
	 * trace's objects in its own architecture's size.
	 */
	unsigned long size;
	double kb[3];
	bool slab;			/* size from a kernel's slabinfo */
	long end, peak;			/* live at the end; own maximum */
	long snap;			/* live at the trace's snapshot */
	unsigned long allocs[RPT_MAX_OPS], frees[RPT_MAX_OPS];
};

/* rmap walks of every live folio, and their timing over the repeats. */
struct rpt_walk {
	unsigned long walks;		/* folios walked */
	unsigned long found, expected;	/* verified mappings / present PTEs */
	unsigned long candidates;	/* VMAs visited */
	unsigned long misses;		/* of those, not mapping the folio */
	unsigned long nodes, contexts, locks, retries;
	unsigned int nr_rep;		/* one entry per repeat below */
	double *p50_ns, *p99_ns, *mean_ns;
	double *max_ns;			/* NULL: not kept */
	double *ns;			/* per folio, first repeat, sorted */
	size_t nr_ns;
};

/* One lock class: acquisitions and waits per operation. */
struct rpt_lock {
	char name[RPT_NAME];
	char kind[16];			/* rwsem, spinlock, rcu, atomic */
	unsigned long rd[RPT_MAX_OPS], wr[RPT_MAX_OPS];
	unsigned long contended[RPT_MAX_OPS];
	double wait_ns[RPT_MAX_OPS];
	double wait_max_ns, hold_ns;	/* over every operation */
};

/*
 * What one hold of a lock class in one mode touched, per acquisition
 * (core/lock.h's footprint); the simulation adds who took the instances.
 */
struct rpt_footprint {
	char name[RPT_NAME];
	char kind[16];			/* rwsem, spinlock, rcu, atomic */
	bool write;
	unsigned long acq;
	double nodes, linked, unlinked, contexts, vmas;	/* per acq */
	double allocated, freed;			/* per acq */
	/* the simulation's lock domains; instances 0: not measured */
	unsigned long instances, procs_p50, procs_p90, procs_max;
	unsigned long subtrees_max, vmas_max, links_max;
	double shared_pct, all_pct;	/* event writes; < 0: none */
};

/* Live object counts sampled over a replay (class order: run->objs). */
struct rpt_series {
	size_t nr;
	unsigned long *event;		/* after this many events */
	long *live;			/* nr rows of RPT_MAX_CLASSES */
};

/* One trace (or the total of all traces) replayed with one scheme. */
struct rpt_run {
	char scheme[RPT_NAME];
	bool available;
	char why[512];
	unsigned long events, divergences;
	/* The snapshot the walks ran on (and objs[].snap): end or event. */
	bool snap_end;
	unsigned long snap_event, snap_folios;
	double *replay_ns;		/* per repeat: all events' replay ns */
	int nr_objs;
	struct rpt_obj objs[RPT_MAX_CLASSES];
	unsigned long op_count[RPT_MAX_OPS];
	double op_ns[RPT_MAX_OPS];	/* first repeat */
	unsigned long op_nodes[RPT_MAX_OPS];
	int nr_locks;
	struct rpt_lock locks[RPT_MAX_LOCKS];
	int nr_fp;			/* lock footprint rows */
	struct rpt_footprint fp[2 * RPT_MAX_LOCKS];
	struct rpt_walk walk;
	struct rpt_series series;
	/* The kernel's counts at the end (a kernel vector), -1: unknown. */
	long kernel_anon_vma, kernel_avc;
	long model_anon_vma, model_avc;
};

struct rpt_trace {
	char name[128];			/* file name, with its directory */
	char path[256];			/* where names alone would clash */
	char arch[16];			/* from the trace header */
	unsigned long page_size;
	char objsize_source[256];	/* where its objects' sizes are from */
	/*
	 * The release whose slabinfo the trace recorded ("" when it has no
	 * sizes); with slab_partial, the table (table_source) gave the
	 * sizes of the kernel classes it lacks.
	 */
	char slab_kernel[64];
	bool slab_partial;
	char table_source[128];		/* the table's source for its arch */
	unsigned long events;
	char recorder[64], kernel[64];	/* from the trace header */
	/* Most non-exec'ed children of one process alive at once. */
	size_t fanout;
	bool zygote;			/* fanout >= the cover letter's scale */
	/* The moment of the memory tables: end, or a sampled event. */
	bool snap_end;
	unsigned long snap_event;
	struct rpt_run *runs;		/* one per scheme */
};

/* Disagreements of one kind ("miss", "kernel-maps", ...). */
struct rpt_kind {
	char name[24];
	bool kernel;			/* against the kernel's state */
	unsigned long n;
};

/*
 * Two categories of disagreement: with the oracle (walks against the
 * page tables, schemes against each other, invariants) and with the
 * kernel's recorded state (layout, sharing sets, syscall results).
 */
enum rpt_category {
	RPT_ORACLE,
	RPT_KERNEL,
	RPT_CATEGORIES,
};

/* The first disagreement of a category, from the smallest trace. */
struct rpt_finding {
	char kind[24];			/* "" when there is none */
	char what[1024];
	char trace[256];
	unsigned long trace_events;
	/* The minimal (or, for the kernel, cut) trace, or NULL. */
	char *minimal;
	size_t minimal_from, minimal_to;
	bool minimal_cut_only;
	char minimal_file[256];		/* where it was written */
	char minimal_note[256];		/* why there is none */
};

/* The rmap's users the checker follows (core/swap.h enum rmap_use). */
#define RPT_USERS	4

/* The checker's summary for one scheme over every trace. */
struct rpt_check_scheme {
	char scheme[RPT_NAME];
	bool init_failed;
	char init_err[512];
	unsigned long traces;
	unsigned long events, checkpoints, folios, walks, mismatches;
	unsigned long divergences;
	unsigned long n[RPT_CATEGORIES];	/* mismatches */
	unsigned long failed[RPT_CATEGORIES];	/* traces with one */
	/* the rmap's users: aging, unmap, swap-in, migration */
	unsigned long use_walks[RPT_USERS], use_mappings[RPT_USERS];
	unsigned long use_misses[RPT_USERS];
	int nr_kinds;
	struct rpt_kind kinds[RPT_MAX_KINDS];
	struct rpt_finding first[RPT_CATEGORIES];
};

struct rpt_check {
	bool ran;
	char note[256];			/* why not, or what was checked */
	size_t nr;
	struct rpt_check_scheme *s;	/* one per scheme */
	unsigned long trace_errors;
	/* classic's anon_vma_chain count against the kernel's */
	unsigned long kernel_avc_seen, kernel_avc_equal;
};

/* Walk cost of generated fork trees, one point per depth. */
struct rpt_depth_point {
	unsigned int depth;
	unsigned long events;
	struct rpt_run *runs;		/* one per scheme */
};

struct rpt_depth {
	char shape[512];		/* what the generated trees look like */
	size_t nr;
	struct rpt_depth_point *pts;
};

/*
 * The contention simulation (harness/sim/sim.h): a workload's lock
 * schedule on virtual CPUs in virtual time, deterministic.
 */
#define RPT_MAX_CPUS	16
#define RPT_SCALES	5

/* lock_stat's numbers for one class and mode; times in ns. */
struct rpt_lockstat {
	char name[RPT_NAME];
	char kind[16];
	bool write;
	unsigned long contentions_op[RPT_MAX_OPS];	/* by operation */
	unsigned long con_bounces, contentions, acq_bounces, acquisitions;
	double wait_min, wait_max, wait_total;
	double hold_min, hold_max, hold_total;
	unsigned long hold_n;		/* holds timed */
};

/* One CPU count. */
struct rpt_sim_point {
	unsigned int cpus;
	unsigned int max_busy;		/* most CPUs running a subtree */
	unsigned int walkers;
	double hold_scale;		/* in-lock costs times this */
	unsigned long events;
	double ops_per_sec;		/* events per virtual second */
	double virtual_ns;
	unsigned long walks, walks_blocking, walks_gave_up;
	unsigned long rcu_deferred_frees;
	bool stalled;			/* units blocked for ever */
	int nr;
	struct rpt_lockstat ls[2 * RPT_MAX_LOCKS];
};


struct rpt_contend_run {
	char scheme[RPT_NAME];
	bool available;
	char why[512];
	unsigned long found, present;	/* final walk of every folio */
	int nr_fp;
	struct rpt_footprint fp[2 * RPT_MAX_LOCKS];
	unsigned long fp_units;		/* process subtrees of fp_trace */
	size_t nr_pts;
	struct rpt_sim_point pts[RPT_MAX_CPUS];
	double scale_ops[RPT_SCALES];	/* at the largest CPU count */
	unsigned long rcu_deferred_frees;
};

struct rpt_contend {
	bool ran;
	char note[512];			/* why not, or a caveat */
	char fp_trace[128];		/* the footprint's trace */
	char trace[256];		/* the simulated workload */
	unsigned long units, events;	/* of the simulated workload */
	unsigned int walkers, blocking_pct;
	double walk_rate;
	double scales[RPT_SCALES];
	char *costs;			/* the cost table, as text */
	struct rpt_contend_run *runs;	/* one per scheme */
};

/* What the chart step did. */
struct rpt_charts {
	bool ran;			/* gnuplot produced the charts */
	char note[256];			/* why they were skipped */
	char skipped[256];		/* a chart that was not drawn, why */
	size_t nr;
	char files[32][64];		/* relative to the output directory */
};

struct report_data {
	struct rpt_setup setup;
	size_t nr_schemes;
	char (*schemes)[RPT_NAME];	/* first: the baseline */
	char (*scheme_desc)[512];	/* what each is, its parameters */
	int nr_ops;
	char op_names[RPT_MAX_OPS][16];
	size_t nr_traces;
	struct rpt_trace *traces;
	struct rpt_run *total;		/* per scheme, over every trace */
	bool from_corpus;
	char corpus_dir[256];
	struct rpt_check check;
	struct rpt_depth depth;
	struct rpt_contend contend;
	struct rpt_charts charts;
	/* The headline figures over each scheme's R and C choices. */
	struct sensitivity sens;
	bool sens_ran;
	char sens_note[128];		/* why it did not run */
	bool email;
};

void rpt_run_free(struct rpt_run *r);
void report_data_free(struct report_data *d);

/* The class named @name in @r, or NULL. */
const struct rpt_obj *rpt_obj_find(const struct rpt_run *r,
				   const char *name);
/* Find or add class @name (size @size) in @r; NULL when full. */
struct rpt_obj *rpt_obj_get(struct rpt_run *r, const char *name,
			    unsigned long size);
/* Find or add lock class @name in @r; NULL when full. */
struct rpt_lock *rpt_lock_get(struct rpt_run *r, const char *name);

/* Index of the scheme spec @name in @d, or -1. */
int rpt_scheme_index(const struct report_data *d, const char *name);
/* The base scheme of a variant ("cowctx:poc" -> "cowctx"), or -1. */
int rpt_variant_base(const struct report_data *d, size_t s);
/* A spec with parameters is a variant of its scheme. */
bool rpt_is_variant(const char *scheme);

/*
 * Add @r's counts into the total @sum: events, objects (end, peak and
 * snapshot), operations, locks, lock footprints and walk counters.  Walk times, replay
 * times and series are the producer's: percentiles do not add.
 */
void rpt_run_add(struct rpt_run *sum, const struct rpt_run *r);

/*
 * The traces of one architecture and page size: their objects are in
 * that architecture's slab object sizes.
 */
struct rpt_arch {
	char arch[16];
	unsigned long page_size;
	char sizes[512];		/* "name size ..." of its traces' classes */
	char objsize_source[512];	/* its traces' sources, each once */
	size_t nr_traces;
	unsigned long events;
	struct rpt_run *runs;		/* per scheme, the sum of its traces */
};

/*
 * @d's traces by architecture (in the order the traces name them), page
 * size (smallest first) and object sizes (traces of one arch from two
 * kernels whose slab sizes differ are two groups, never one sum) into
 * *@out; returns how many.  Free with rpt_arches_free().
 */
size_t rpt_arches(const struct report_data *d, struct rpt_arch **out);
void rpt_arches_free(struct rpt_arch *a, size_t n, size_t nr_schemes);
/* "aarch64, 16 KiB pages" */
void rpt_arch_name(char *buf, size_t len, const struct rpt_arch *a);

#endif /* RMAPLAB_REPORTS_REPORT_DATA_H */
