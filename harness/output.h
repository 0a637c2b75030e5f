/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What `rmaplab run` prints: VMA layouts in /proc/PID/maps form, the
 * sharing sets each scheme's walk finds, object statistics.
 */
#ifndef RMAPLAB_HARNESS_OUTPUT_H
#define RMAPLAB_HARNESS_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/oracle.h"
#include "core/world.h"

/* "== PID" and its VMA lines for every live process, in pid order. */
void print_maps(FILE *f, struct world *w, bool show_pgoff);

/*
 * One "PID:ADDR ..." line per present anon page, from the scheme's walk
 * (verified): entries and lines in byte order, as `LC_ALL=C sort` does.
 * Cost counters of the walks accumulate in @rwc when non-NULL.
 */
void print_sharing(FILE *f, struct world *w, struct rmap_walk_control *rwc);

/* The same lines, as an array of strings (caller frees each and it). */
char **sharing_lines(struct world *w, bool oracle, size_t *nr,
		     struct rmap_walk_control *rwc);

/*
 * "stat NAME LIVE PEAK BYTES ALLOCS FREES" per accounted object class:
 * LIVE is what the kernel holds at the end; ALLOCS and FREES are the
 * totals over the history.
 */
void print_stats(FILE *f, struct world *w);

#endif /* RMAPLAB_HARNESS_OUTPUT_H */
