/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The trace minimiser: delta debugging (Zeller's ddmin) over a trace's
 * events down to a short trace that still shows the same kind of
 * disagreement, for a bug report that fits in an email.
 *
 * A candidate stays a valid history: dropping a fork (or thread) drops
 * every later event of the new label and of everything it created, and
 * checkpoints are dropped (the kernel state they record belongs to the
 * whole history).  A candidate is accepted only when the checker, run
 * after every event with just the schemes concerned, finds a disagreement
 * of the same kind by the same scheme (for CHECK_CROSS the same pair; for
 * CHECK_DIVERGENCE at the same original event).
 *
 * Disagreements with the kernel's recorded state (VMA layout, sharing
 * sets, folio sizes, object counts at a checkpoint): the checkpoint is the
 * ground truth of the whole history before it.  When the trace names the
 * running kernel's release and we are root, they are minimised by delta
 * debugging with the live kernel as the oracle (every candidate executed
 * by kernel-run, the model checked against its end state).  Otherwise the
 * trace is cut to the events of the process concerned and its ancestors
 * that touch the disagreeing range, when the model's state in that range
 * is then what the whole history left there (else it is only cut after
 * the checkpoint), and the output says it was not confirmed on a kernel.
 *
 * Results: the minimal trace keeps the "-> RESULT" of its events where
 * the oracle scheme, replaying the minimal trace, computes the same
 * result; where it does not (a call that failed only because an earlier
 * event is gone), the result is dropped, and a fault the model refuses
 * (-EFAULT) is dropped, so that the minimal trace replays without
 * divergences.  This is undone if the disagreement then no longer shows.
 *
 * Long candidates (recorded traces) are verified only after their last
 * event, short ones after every event; minimisation stops after its time
 * budget (MINIMISE_DEFAULT_SECONDS unless given) or 20000 replays with the
 * shortest trace found so far, and says so (stopped_early).
 */
#ifndef RMAPLAB_HARNESS_MINIMISE_H
#define RMAPLAB_HARNESS_MINIMISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/check.h"
#include "traces/trace.h"

struct minimise_stats {
	size_t from, to;		/* events before and after */
	unsigned long tests;		/* candidate replays */
	bool cut_only;			/* kernel disagreement: not minimised */
	bool range_cut;			/* ... but cut to its range */
	bool on_kernel;			/* minimised on the live kernel */
	char why[320];			/* why the kernel was not used */
	struct check_finding target;
	bool results_fixed;		/* results made self-consistent */
	bool reproduced;		/* the minimal trace shows it */
	bool stopped_early;		/* replay or time bound reached */
};

/*
 * Minimise @in for @target, a finding check_trace() reported on @in.
 * @out is initialised here (trace_free() it).  Returns 0, or -1 when the
 * finding does not show on @in itself with the schemes concerned (then
 * @out is a copy of @in).
 */
int minimise_trace(const struct trace *in, const struct check_finding *target,
		   struct trace *out, struct minimise_stats *st);

#define MINIMISE_DEFAULT_SECONDS	60

/* The same within @seconds. */
int minimise_trace_within(const struct trace *in,
			  const struct check_finding *target,
			  struct trace *out, struct minimise_stats *st,
			  unsigned int seconds);

/*
 * The minimal trace in the text grammar, with comment lines after the
 * header saying what it reproduces.
 */
int minimise_write(FILE *f, const struct trace *t,
		   const struct check_finding *target,
		   const struct minimise_stats *st);

#endif /* RMAPLAB_HARNESS_MINIMISE_H */
