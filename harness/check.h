/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cross-scheme checker behind `rmaplab check`.
 *
 * check_trace() replays one trace through several schemes in lockstep,
 * one world per scheme, and at every verification point (every
 * EV_CHECKPOINT and the end of the trace; every event when asked) checks:
 *
 *  - each live folio's walk against the brute-force page-table scan:
 *    mappings the walk missed, mappings it reported that the page tables
 *    do not hold (research/schemes.md §5 items 1-2);
 *  - per-page mapcounts against the PTEs that map the page, and
 *    PageAnonExclusive against more than one mapping (§5 items 4-5);
 *  - the verified mapping sets of all schemes against each other (§5.3);
 *  - at kernel checkpoints: classic's VMA layout against the kernel's
 *    maps lines, every scheme's sharing sets against the kernel's PFN
 *    groups, and classic's anon_vma / anon_vma_chain counts;
 *  - the scheme's own invariant checker (scheme->check);
 *  - results the model computes that differ from the kernel's (replay
 *    divergences), which are failures for classic and the oracle, whose
 *    VMA bookkeeping is the kernel's.
 */
#ifndef RMAPLAB_HARNESS_CHECK_H
#define RMAPLAB_HARNESS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "traces/trace.h"

enum check_kind {
	CHECK_OK,
	CHECK_MISS,		/* a mapping the walk did not find */
	CHECK_EXTRA,		/* a walk result no PTE backs */
	CHECK_MAPCOUNT,		/* page mapcount != PTEs mapping the page */
	CHECK_PAE,		/* PageAnonExclusive page mapped twice */
	CHECK_FOLIO,		/* folio list and page tables disagree */
	CHECK_INVARIANT,	/* the scheme's own checker */
	CHECK_CROSS,		/* two schemes' mapping sets differ */
	CHECK_DIVERGENCE,	/* a result differs from the kernel's */
	CHECK_KERNEL_MAPS,	/* VMA layout differs from a checkpoint */
	CHECK_KERNEL_SHARING,	/* sharing sets differ from a checkpoint */
	CHECK_OBJECTS,		/* object counts differ from a checkpoint */
	CHECK_RMAP_USER,	/* reclaim, swap-in or migration missed */
	CHECK_SWAP,		/* swap entries and slots disagree */
	CHECK_NR,
};

/* "miss", "extra", "mapcount", ...: the words the tests and output use. */
const char *check_kind_name(enum check_kind kind);
/* Kinds whose ground truth is the kernel's recorded state. */
bool check_kind_is_kernel(enum check_kind kind);

struct check_finding {
	enum check_kind kind;
	char scheme[64];	/* the scheme at fault */
	char other[64];		/* CROSS: the scheme it was compared with */
	size_t event;		/* index of the last event applied */
	char what[1024];	/* the disagreement in words */
};

struct check_opts {
	bool every_event;	/* verify after every event, not only at cps */
	bool paranoid;		/* scheme->check after every event */
	bool objects;		/* object-count differences are failures */
	bool no_results;	/* ignore replay divergences entirely */
	/*
	 * Also verify where the recorder would have taken a checkpoint:
	 * after a fork or exec, before an exit (traces without any).
	 */
	bool at_task_events;
	/*
	 * Findings for which @want returns true stop the replay (and set
	 * check_result.matched); NULL: run to the end.
	 */
	bool (*want)(const struct check_finding *f, void *arg);
	void *want_arg;
};

struct check_scheme_result {
	char name[64];
	bool init_failed;
	char init_err[512];
	unsigned long events, checkpoints, folios, walks, mismatches;
	unsigned long divergences;	/* all, failures or not */
	/* the rmap's users: walks, mappings to find, mappings missed */
	unsigned long use_walks[4], use_mappings[4], use_misses[4];
	bool divergence_fails;		/* classic's bookkeeping */
	char first_divergence[512];
	struct check_finding first;	/* kind CHECK_OK when none */
};

struct check_result {
	struct check_scheme_result *s;
	size_t nr;
	bool trace_error;	/* the trace is impossible: message in error */
	char error[512];
	bool matched;		/* a wanted finding was seen */
	struct check_finding first;	/* first failure over all schemes */
	unsigned long points;		/* verification points */
	/* object counts: "objects: classic anon_vma X kernel Y, ..." */
	char objects[256];
	bool objects_differ;
	bool objects_fail;		/* --objects: a difference fails */
};

/*
 * Check @t with each scheme spec of @schemes ("classic", "cowctx:poc").
 * Returns 0 when the replay ran (findings in @res), -1 when the trace is
 * impossible or a spec is unknown (@res->error).  A scheme that fails to
 * initialise is marked in its result and left out.
 */
int check_trace(const struct trace *t, const char *const *schemes,
		size_t nr, const struct check_opts *o,
		struct check_result *res);
void check_result_free(struct check_result *res);

/* Did any scheme fail (or not initialise)? */
bool check_failed(const struct check_result *res);
bool check_init_failed(const struct check_result *res);

/*
 * The summary lines: one per scheme,
 * "NAME SCHEME: N events, N checkpoints, N folios checked, N walks,
 * N mismatches ok|FAIL", or "NAME SCHEME: error: ..." for a scheme that
 * did not initialise; then the objects line when there is one.
 */
void check_print_summary(FILE *f, const char *name,
			 const struct check_result *res);

/* The scheme result for @scheme (spec as given), or NULL. */
const struct check_scheme_result *
check_scheme(const struct check_result *res, const char *scheme);

#endif /* RMAPLAB_HARNESS_CHECK_H */
