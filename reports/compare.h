/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Two runs side by side, as mmtests' compare-kernels sets two kernels
 * side by side: every number of run B next to run A's, the change against
 * A, and a star where the replays' timings differ significantly.
 */
#ifndef RMAPLAB_REPORTS_COMPARE_H
#define RMAPLAB_REPORTS_COMPARE_H

#include <stdio.h>

#include "reports/report_read.h"

void report_compare_runs(FILE *f, const struct rr_report *a,
			 const struct rr_report *b);

#endif /* RMAPLAB_REPORTS_COMPARE_H */
