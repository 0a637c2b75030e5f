/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheme parameters as data: the values a parameter may take, read from
 * the "a|b|c: ..." head of its help text, and its evidence grade as text.
 */
#ifndef RMAPLAB_HARNESS_PARAMS_H
#define RMAPLAB_HARNESS_PARAMS_H

#include <stddef.h>

#include "core/scheme.h"

#define PARAM_MAX_VALUES	8
#define PARAM_VALUE_LEN		24

/*
 * The values @p lists ("found|never|poc: ..."), at most @max, into @vals;
 * 0 for a number, a preset or a test-only parameter.
 */
size_t scheme_param_values(const struct scheme_param *p,
			   char vals[][PARAM_VALUE_LEN], size_t max);

/* "S", "C", "R" or "?" (not yet graded). */
const char *param_grade_name(enum param_grade g);

#endif /* RMAPLAB_HARNESS_PARAMS_H */
