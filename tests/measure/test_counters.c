// SPDX-License-Identifier: GPL-2.0-only
/* Counters: hardware where there is a PMU, else software, and say which. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness/counters.h"

Test(counters, open_measure_and_say_which)
{
	struct counter_set cs;
	volatile unsigned long sink = 0;
	char *buf;
	int n, i;

	n = counters_open(&cs);
	cr_assert_geq(n, 0);
	cr_assert(cs.note[0], "the set says what it measures");
	if (!n) {
		/* perf_event_open refused everything (a sandbox). */
		cr_assert(strstr(cs.note, "none") || strstr(cs.note, "sw"),
			  "%s", cs.note);
		return;
	}
	cr_assert(!strncmp(cs.note, cs.hw ? "hw:" : "sw only:", 3),
		  "%s", cs.note);
	counters_start(&cs);
	buf = malloc(1 << 22);
	cr_assert(buf);
	for (i = 0; i < (1 << 22); i += 4096)
		buf[i] = (char)i;
	for (i = 0; i < 1000000; i++)
		sink += i;
	counters_stop(&cs);
	free(buf);
	for (i = 0; i < cs.nr; i++) {
		if (!strcmp(cs.c[i].name, "task-clock") ||
		    !strcmp(cs.c[i].name, "cycles"))
			cr_assert_gt(cs.c[i].value, 0, "%s", cs.c[i].name);
		/* Without a PMU only software events may appear. */
		if (!cs.hw)
			cr_assert(!cs.c[i].hw);
	}
	counters_close(&cs);
	cr_assert_eq(cs.nr, 0);
}
