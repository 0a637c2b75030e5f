/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The replay engine: applies a trace's events, in order, to a world run by
 * one scheme, and compares every result the model computes with the one
 * the kernel returned.
 */
#ifndef RMAPLAB_HARNESS_REPLAY_H
#define RMAPLAB_HARNESS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/world.h"
#include "harness/registry.h"
#include "traces/trace.h"

/* A feature the model lacks, met at @event (index) and @count times. */
struct replay_unsupported {
	char feature[64];
	size_t event;
	unsigned long count;
};

#define REPLAY_MAX_UNSUPPORTED	8

struct replay {
	struct world *w;
	const struct trace *t;		/* the trace, or a reader's window */
	struct trace_reader *src;	/* streamed: where windows come from */
	size_t base;			/* index of t->ev[0] in the trace */
	struct scheme_spec spec;
	size_t next;			/* index of the next event */
	struct file **files;		/* trace file index -> world file */
	size_t nr_files;
	unsigned long divergences;	/* results that differ from the kernel */
	char first_divergence[512];
	/* the latest, described while divergences <= describe when quiet */
	char last_divergence[512];
	unsigned long describe;
	/*
	 * Events that used a feature the model does not implement
	 * (world_unsupported()): how many, and the distinct features first
	 * met, in order.  Such an event's result is not compared.
	 */
	unsigned long unsupported;
	struct replay_unsupported unsup[REPLAY_MAX_UNSUPPORTED];
	size_t nr_unsup;
	bool quiet;			/* do not print divergences */
	char where[300];		/* scratch for error locations */
};

/*
 * Model the kernel release @release ("6.12") for every replay from now on,
 * whatever the traces' headers say (--kernel-version); -1 if it names none.
 */
int replay_set_kernel_version(const char *release);

int replay_open(struct replay *r, const struct trace *t, const char *scheme,
		struct errbuf *err);
/*
 * Replay from a cursor: one block of the trace in memory at a time.
 * @src stays the caller's; an error reading it ends replay_step() with
 * -1 and the reader's line.
 */
int replay_open_stream(struct replay *r, struct trace_reader *src,
		       const char *scheme, struct errbuf *err);
void replay_close(struct replay *r);

/*
 * Apply the next event.  Returns 1 when it was applied, 0 at the end of the
 * trace, -1 for an impossible trace ("FILE: event N: what" in @err).
 * A result that differs from the kernel's is a divergence: counted, printed
 * to stderr unless quiet, and replay goes on with the model's outcome.
 * An event that used a feature the model lacks is counted in unsupported
 * instead, and its first use of each feature is printed to stderr unless
 * quiet: "unsupported: FILE: event N: FEATURE".
 */
int replay_step(struct replay *r, struct errbuf *err);
/* "FILE:LINE" (text) or "FILE: event N" (binary) of the next event. */
const char *replay_where(struct replay *r);
/*
 * Count @feature at event index @event (the checker's own findings, such
 * as a folio the kernel collapsed); prints as replay_step() does.
 */
void replay_note_unsupported(struct replay *r, size_t event,
			     const char *feature);
/*
 * Does trace @t come from a recording, where the kernel reclaims on its
 * own between checkpoints (rmaplab record), rather than from kernel-run,
 * whose reclaims are events?
 */
bool replay_kernel_reclaims(const struct trace *t);

struct replay_swap_sync {
	unsigned long reclaims;		/* folios reclaimed */
	unsigned long swapins;		/* swap entries faulted in */
};

/*
 * At checkpoint @cp (event index @event): reclaim every folio the model
 * maps where the kernel has a swap entry (reclaim_folio(), the scheme's
 * walk), then fault in every swap entry of the model the kernel has
 * present (read for a clean swap-cache folio, else write): the reclaim
 * and swap-ins the kernel did on its own since the last checkpoint.
 */
void replay_sync_swap(struct replay *r, const struct trace_checkpoint *cp,
		      size_t event, struct replay_swap_sync *out);

/* "unsupported: FILE: event N: FEATURE" for @u. */
void replay_print_unsupported(FILE *f, const char *path,
			      const struct replay_unsupported *u);
/* Run to the end (or to a checkpoint when @stop_at_cp); as replay_step. */
int replay_all(struct replay *r, struct errbuf *err);

#endif /* RMAPLAB_HARNESS_REPLAY_H */
