/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `rmaplab report`'s outputs, made from a struct report_data:
 *
 *  - the text email body (every line within 80 columns), which
 *    reports/mbox.h makes a mail;
 *  - report.json: everything in the text and the raw repeats
 *    (schema in reports/README.md);
 *  - one CSV file per table;
 *  - gnuplot charts (PNG and SVG) when gnuplot is installed.
 */
#ifndef RMAPLAB_REPORTS_REPORT_H
#define RMAPLAB_REPORTS_REPORT_H

#include <stdio.h>

#include "reports/report_data.h"

#define REPORT_WIDTH	80

/* The moment a memory table shows. */
enum rpt_moment {
	RPT_SNAP,		/* the trace's snapshot (end, or a sample) */
	RPT_END,
	RPT_PEAK,		/* each class's own maximum */
};

/* One row of a memory table, as printed. */
struct rpt_memrow {
	char object[RPT_NAME];
	double base_kb, kb;
	char base_txt[32], txt[32];	/* "%g", the cover letter's form */
	char change[16];		/* "-57.0%", "new", "-" */
};

/* A memory table in the cover letter's form: baseline versus one other. */
struct rpt_memtab {
	int base, other;		/* scheme indices */
	size_t nr;			/* rows, the last one the total */
	struct rpt_memrow rows[RPT_MAX_CLASSES + 1];
};

/*
 * Build the table of @runs[@base] against @runs[@other] at @m: the
 * classes either run accounts (vm_area_struct, anon_vma_chain, anon_vma
 * first, as the cover letter lists them), then "total".
 */
void rpt_memtab_build(const struct rpt_run *runs, int base, int other,
		      enum rpt_moment m, struct rpt_memtab *mt);
/* KB of one class at @m. */
double rpt_obj_kb(const struct rpt_obj *o, enum rpt_moment m);
/* KB of every class but vm_area_struct at @m: the rmap metadata. */
double rpt_rmap_kb(const struct rpt_run *r, enum rpt_moment m);

/* The ANON_VMA_LAZY cover letter's slab tables (27 May 2026). */
struct rpt_seed_row {
	const char *object;
	const char *before, *after, *change;	/* as printed there */
};
extern const struct rpt_seed_row rpt_seed_boot[3];
extern const struct rpt_seed_row rpt_seed_apps[3];

/* Index of the zygote-style trace, or -1. */
int rpt_zygote(const struct report_data *d);

void report_write_text(FILE *f, const struct report_data *d);

/* report.json; 0, or -1 on a write error. */
int report_write_json(FILE *f, const struct report_data *d);

/*
 * One CSV file per table into @dir: memory.csv, series.csv, walk.csv,
 * walk_ns.csv, locks.csv, ops.csv, depth.csv, check.csv.  0, or -1 with
 * a message in @err.
 */
int report_write_csv(const char *dir, const struct report_data *d,
		     char *err, size_t errlen);

/*
 * Charts into @dir/charts/ (gnuplot scripts, their data, PNG and SVG).
 * Records in d->charts what was made, or why nothing was: gnuplot is
 * looked up as $RMAPLAB_GNUPLOT, else "gnuplot" in $PATH.  Returns 0,
 * also when charts were skipped; -1 (message in @err) when the
 * directory cannot be written.
 */
int report_charts(const char *dir, struct report_data *d,
		  char *err, size_t errlen);

#endif /* RMAPLAB_REPORTS_REPORT_H */
