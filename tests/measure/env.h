/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers of the measurement tests. */
#ifndef RMAPLAB_TESTS_MEASURE_ENV_H
#define RMAPLAB_TESTS_MEASURE_ENV_H

#include <stddef.h>
#include <stdio.h>

#include "harness/measure.h"
#include "tests/common/slurp.h"
#include "traces/trace.h"

#define TRACE_HEADER "# rmaplab text trace v1   arch=x86_64 page_size=4096\n"

/* Parse a text trace held in a string; fails the test on error. */
void load_text(struct trace *t, const char *text);
/* Measure @text with @scheme (default options, one timed walk). */
void measure_text(const char *text, const char *scheme,
		  struct measure_result *res);
/* Live count of class @name, or -1 when the scheme has no such class. */
long live_of(const struct measure_result *r, const char *name);
long peak_of(const struct measure_result *r, const char *name);
/* Write @text to a fresh temporary file; returns its path (static). */
const char *write_temp(const char *text, const char *suffix);

#endif
