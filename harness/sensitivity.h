/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Measure the headline figures' sensitivity to each scheme's R- and
 * C-graded choices (reports/sensitivity.h has the data and the printing).
 */
#ifndef RMAPLAB_HARNESS_SENSITIVITY_H
#define RMAPLAB_HARNESS_SENSITIVITY_H

#include <stddef.h>

#include "core/errbuf.h"
#include "harness/measure.h"
#include "reports/sensitivity.h"
#include "traces/trace.h"

/*
 * Replay @traces once per variant of every scheme of @schemes that is not
 * itself a variant (no ':'), against the first of them as the baseline.
 * @sizes: object sizes as the caller measures them (may be NULL).
 * Returns 0, or -1 with one line in @err.
 */
int sensitivity_measure(const struct trace *traces, size_t nr_traces,
			const char *const *schemes, size_t nr_schemes,
			const struct objsizes *sizes,
			struct sensitivity *out, struct errbuf *err);

#endif /* RMAPLAB_HARNESS_SENSITIVITY_H */
