/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The results model (report_data.h) as JSON: one replay of one scheme
 * (RUN), a point of the contention simulation (POINT, with lock_stat's
 * rows) and a lock footprint row, in the schema of reports/README.md.
 * report.json, `compare --json` and `contend --json` write their results
 * through these, so that a figure has one name and one form everywhere.
 * Operation names are @ops[0 .. @nr_ops - 1], index = operation.
 */
#ifndef RMAPLAB_REPORTS_RESULTS_JSON_H
#define RMAPLAB_REPORTS_RESULTS_JSON_H

#include <stdbool.h>

#include "reports/json.h"
#include "reports/report_data.h"

/*
 * The members of RUN, into an object the caller opened (and closes, after
 * members of its own); with @dist the walk's percentiles p0 .. p100.
 */
void rpt_json_run_members(struct rj *j, const char (*ops)[16], int nr_ops,
			  const struct rpt_run *r, bool dist);
/* "KEY": [ RUN, ... ] of @n runs. */
void rpt_json_runs(struct rj *j, const char *key, const char (*ops)[16],
		   int nr_ops, const struct rpt_run *runs, size_t n,
		   bool dist);
/* "walk": WALK (RUN's); with @dist its percentiles p0 .. p100. */
void rpt_json_walk(struct rj *j, const struct rpt_walk *w, bool dist);
/* A lock footprint row (one class and mode), on one line. */
void rpt_json_footprint(struct rj *j, const struct rpt_footprint *p);
/* A point of the simulation: one CPU count, its lock_stat rows. */
void rpt_json_sim_point(struct rj *j, const char (*ops)[16], int nr_ops,
			const struct rpt_sim_point *pt);
/* "KEY": [ numbers ] on one line. */
void rpt_json_doubles(struct rj *j, const char *key, const double *v,
		      size_t n);

#endif /* RMAPLAB_REPORTS_RESULTS_JSON_H */
