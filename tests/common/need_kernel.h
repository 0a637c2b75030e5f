/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tests that run histories on the running kernel (kernel-run) skip where
 * it cannot work, saying why in one line: not root, no tracefs
 * (krun_check_env()), or this process already maps the range a history
 * maps (sanitizer shadow memory).
 */
#ifndef RMAPLAB_TESTS_COMMON_NEED_KERNEL_H
#define RMAPLAB_TESTS_COMMON_NEED_KERNEL_H

#include <stdbool.h>
#include <stdio.h>

#include <criterion/criterion.h>

#include "traces/kernel_run.h"

/* Skip unless kernel-run can work here. */
static inline void need_kernel(void)
{
	char err[512];

	if (krun_check_env(true, err, sizeof(err)))
		cr_skip_test("%s", err);
}

/* Skip if this process maps anything in [@start, @end). */
static inline void need_free_range(unsigned long long start,
				   unsigned long long end)
{
	unsigned long long s, e;
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx", &s, &e) == 2 &&
		    s < end && start < e) {
			fclose(f);
			cr_skip_test("this process maps the test range "
				     "(sanitizer shadow?): %.40s", line);
		}
	}
	fclose(f);
}

#endif /* RMAPLAB_TESTS_COMMON_NEED_KERNEL_H */
