/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Measurements as the one results model, reports/report_data.h: a
 * replay (harness/measure.h), the contention simulation's points and
 * lock footprint (harness/sim/sim.h).  report, compare and contend turn
 * their results into these structures and write them through
 * reports/results_json.h, so that each figure is computed and named once.
 */
#ifndef RMAPLAB_HARNESS_RESULTS_H
#define RMAPLAB_HARNESS_RESULTS_H

#include "harness/measure.h"
#include "harness/sim/sim.h"
#include "reports/report_data.h"

/* The operation names (mm_op_names) as the model keeps them; how many. */
int results_op_names(char (*names)[16]);

/* An empty run of @scheme with room for @nrep replays' timings. */
void results_run_init(struct rpt_run *r, const char *scheme,
		      unsigned int nrep);
/*
 * Everything deterministic of replay @m of a trace with header @h (whose
 * slab object sizes, objsize_trace(), the replay used) into @r, from
 * results_run_init().  Free with rpt_run_free().
 */
void results_fill_run(struct rpt_run *r, const struct measure_result *m,
		      const struct trace_header *h);
/* The timings of replay @rep (< the run's nrep). */
void results_fill_timing(struct rpt_run *r, const struct measure_result *m,
			 unsigned int rep);
/*
 * The counters of @ws and its timings as replay 0 of @w, which gets room
 * for one replay; free with results_walk_free().
 */
void results_fill_walk(struct rpt_walk *w, const struct walk_stats *ws);
void results_walk_free(struct rpt_walk *w);

/* One point of the simulation, @res at its CPU count. */
void results_fill_point(struct rpt_sim_point *pt, const struct sim_result *res);
/*
 * The simulation's lock footprint, one row per class and mode held, into
 * @fp (room for @max); returns how many.
 */
int results_fill_sim_footprint(struct rpt_footprint *fp, int max,
			       const struct sim_footprint *sf);

#endif /* RMAPLAB_HARNESS_RESULTS_H */
