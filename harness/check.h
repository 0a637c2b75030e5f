/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cross-scheme checker behind `rmaplab check`.
 *
 * check_trace() replays one trace through several schemes in lockstep,
 * one world per scheme plus one for the oracle (harness/registry.h), and
 * at every verification point (every EV_CHECKPOINT and the end of the
 * trace; every event when asked) checks, for every scheme alike:
 *
 *  - each live folio's walk against the brute-force page-table scan:
 *    mappings the walk missed, mappings it reported that the page tables
 *    do not hold (research/schemes.md §5 items 1-2);
 *  - per-page mapcounts against the PTEs that map the page, and
 *    PageAnonExclusive against more than one mapping (§5 items 4-5);
 *  - its mapping sets against the oracle world's (§5.3), so that a
 *    disagreement names the scheme that differs and no verdict depends
 *    on which other schemes run;
 *  - at kernel checkpoints: its VMA layout against the kernel's maps
 *    lines, its sharing sets against the kernel's PFN groups, the folio
 *    size of every present page against kpageflags, and, for a scheme
 *    that keeps the kernel's objects (SCHEME_KERNEL_OBJECTS), the
 *    anon_vma / anon_vma_chain counts;
 *  - the scheme's own invariant checker (scheme->check);
 *  - results the model computes that differ from the kernel's.
 *
 * How a difference from the kernel is judged follows the scheme's
 * capabilities, never its name: a model error (a failure), or, for a
 * scheme that may change the layout by design (SCHEME_LAYOUT_BY_DESIGN),
 * a design finding.  After the first event that uses a feature the model
 * lacks ("unsupported"), differences from the kernel are not judged; the
 * model's own consistency still is.
 */
#ifndef RMAPLAB_HARNESS_CHECK_H
#define RMAPLAB_HARNESS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/replay.h"
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
	CHECK_FOLIO_ORDER,	/* folio size differs from a checkpoint's */
	CHECK_LAYOUT,		/* VMAs an event touched differ from the
				 * oracle's (mainline's) */
	CHECK_NR,
};

/* How a finding counts. */
enum check_class {
	CHECK_FAILURE,		/* a model error: the scheme fails */
	CHECK_DESIGN,		/* differs from mainline as designed */
	CHECK_UNJUDGED,		/* after an unsupported feature */
};

/* "miss", "extra", "mapcount", ...: the words the tests and output use. */
const char *check_kind_name(enum check_kind kind);
/* Kinds whose ground truth is the kernel's recorded state. */
bool check_kind_is_kernel(enum check_kind kind);

struct check_finding {
	enum check_kind kind;
	enum check_class cls;
	char scheme[64];	/* the scheme at fault */
	char other[64];		/* CROSS: the scheme it was compared with */
	size_t event;		/* index of the last event applied */
	/* kernel-state kinds: the process and range that disagree */
	long pid;		/* -1: none */
	unsigned long start, end;
	char what[1024];	/* the disagreement in words */
};

/* Failures described per scheme and trace (all are counted). */
#define CHECK_SHOWN	3

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
	unsigned int caps;		/* the scheme's SCHEME_* */
	bool init_failed;
	char init_err[512];
	unsigned long events, checkpoints, folios, walks;
	unsigned long mismatches;	/* failures, all kinds */
	unsigned long failures[CHECK_NR];	/* per kind */
	unsigned long design[CHECK_NR];		/* design findings per kind */
	unsigned long unjudged;		/* kernel differences not judged */
	unsigned long divergences;	/* all, however judged */
	/* the rmap's users: walks, mappings to find, mappings missed */
	unsigned long use_walks[4], use_mappings[4], use_misses[4];
	char first_divergence[512];
	/*
	 * Reclaim the kernel did on its own, replayed from checkpoints
	 * (replay_sync_swap()): folios, swap-ins, checkpoints, and the
	 * first such checkpoint's event index and number (from 1).
	 */
	unsigned long kreclaims, kswapins, kreclaim_points;
	size_t kreclaim_event, kreclaim_cp;
	struct check_finding first;	/* kind CHECK_OK when none */
	struct check_finding shown[CHECK_SHOWN];	/* first failures */
	size_t nr_shown;
	struct check_finding first_design;	/* kind CHECK_OK when none */
	/* object counts: "objects: classic anon_vma X kernel Y, ..." */
	char objects[256];
	bool objects_differ;
};

struct check_result {
	struct check_scheme_result *s;
	size_t nr;
	bool trace_error;	/* the trace is impossible: message in error */
	char error[512];
	bool matched;		/* a wanted finding was seen */
	struct check_finding first;	/* first failure over all schemes */
	unsigned long points;		/* verification points */
	unsigned long kernel_points;	/* of which kernel checkpoints */
	bool objects_fail;		/* --objects: a difference fails */
	/* features the model lacks, as the replay met them */
	unsigned long unsupported;
	size_t first_unsupported;	/* event index, if unsupported */
	struct replay_unsupported unsup[REPLAY_MAX_UNSUPPORTED];
	size_t nr_unsup;
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
 * did not initialise; then per scheme the failures of each kind and the
 * first CHECK_SHOWN of them, the design findings, the object counts; then
 * the "unsupported: FILE: event N: FEATURE" lines.
 */
void check_print_summary(FILE *f, const char *name,
			 const struct check_result *res);

/* The scheme result for @scheme (spec as given), or NULL. */
const struct check_scheme_result *
check_scheme(const struct check_result *res, const char *scheme);

#endif /* RMAPLAB_HARNESS_CHECK_H */
