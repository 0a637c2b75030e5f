/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Summary statistics of repeated measurements, as mmtests'
 * compare-kernels prints them: arithmetic mean for times, harmonic mean
 * for rates, and Welch's t-test to mark a difference as significant.
 */
#ifndef RMAPLAB_REPORTS_STATS_H
#define RMAPLAB_REPORTS_STATS_H

#include <stddef.h>

double rs_amean(const double *v, size_t n);
/* Harmonic mean; NaN when a value is not positive. */
double rs_hmean(const double *v, size_t n);
/* Sample standard deviation (n - 1); 0 for one value. */
double rs_stddev(const double *v, size_t n);
double rs_min(const double *v, size_t n);
double rs_max(const double *v, size_t n);
/* Sort @v in place, smallest first (what the percentiles want). */
void rs_sort(double *v, size_t n);
/* Median of @v (not modified). */
double rs_median(const double *v, size_t n);
/* Nearest-rank percentile of sorted @v, 0 < p <= 100. */
double rs_percentile_sorted(const double *v, size_t n, double p);

/*
 * Two-sided p-value of Welch's t-test for equal means of @a and @b.
 * NaN when either has fewer than two values; 1 when both are constant
 * and equal, 0 when both are constant and differ.
 */
double rs_welch_p(const double *a, size_t na, const double *b, size_t nb);

#endif /* RMAPLAB_REPORTS_STATS_H */
