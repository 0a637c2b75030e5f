/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading a run's report.json back (schema: reports/README.md), for
 * setting two runs side by side.  Only what the comparison prints is
 * read; a value the file lacks is marked absent, not zero.
 */
#ifndef RMAPLAB_REPORTS_REPORT_READ_H
#define RMAPLAB_REPORTS_REPORT_READ_H

#include <stdbool.h>
#include <stddef.h>

/* The timings of walk_timing[], one value per replay. */
enum rr_metric {
	RR_WALK_P50,
	RR_WALK_P99,
	RR_WALK_MEAN,
	RR_REPLAY_RATE,			/* events/s: higher is faster */
	RR_NR_METRICS,
};

struct rr_values {
	double *v;
	size_t n;			/* 0: absent */
};

struct rr_object {
	char name[48];
	double snapshot_kb, peak_kb;
};

struct rr_scheme {
	char name[64];
	struct rr_values t[RR_NR_METRICS];
	bool have_run;			/* total.runs[] had it, available */
	double rmap_kb;
	struct rr_object *obj;
	size_t nr_obj;
	double vmas_per_walk, precision_pct;
	bool have_check;		/* check.schemes[] had it */
	long oracle_mismatches, kernel_mismatches;
};

struct rr_report {
	char path[512];
	long version;
	char commit[64], kernel[128], cpu[128], compiler[64];
	long repeats;
	size_t nr_traces;
	long events;			/* over every trace */
	bool check_ran;
	struct rr_scheme *s;
	size_t nr;
};

/*
 * Load @path: a report.json, or a directory holding one.  -1 with "FILE:
 * what is wrong" in @err when it cannot be read or is not a report.
 */
int rr_load(const char *path, struct rr_report *r, char *err, size_t len);
void rr_free(struct rr_report *r);
/* @r's scheme called @name, or NULL. */
const struct rr_scheme *rr_scheme(const struct rr_report *r,
				  const char *name);

#endif /* RMAPLAB_REPORTS_REPORT_READ_H */
