/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-thread event counters around a measured region, with libpfm4
 * encoding the events for perf_event_open().  Hardware events (cycles,
 * instructions, cache-misses) where the CPU has a PMU the kernel drives;
 * where perf_event_open() refuses them (a VM without a vPMU: ENOENT),
 * software events (task-clock, page-faults, context-switches), and the
 * result says which were measured.
 */
#ifndef RMAPLAB_HARNESS_COUNTERS_H
#define RMAPLAB_HARNESS_COUNTERS_H

#include <stdbool.h>
#include <stdint.h>

#define COUNTERS_MAX 8

struct counter {
	char name[32];			/* "cycles", "task-clock" ... */
	int fd;
	bool hw;
	uint64_t value;			/* of the last start..stop */
};

struct counter_set {
	struct counter c[COUNTERS_MAX];
	int nr;
	bool hw;			/* hardware events are measured */
	/* "hw: cycles,instructions,cache-misses" or "sw only (...)". */
	char note[160];
};

/*
 * Open the counters for the calling thread.  Returns the number opened
 * (0 when none could be: @cs->note says why); never fails otherwise.
 */
int counters_open(struct counter_set *cs);
void counters_start(struct counter_set *cs);
/* Stop and read every counter into c[i].value. */
void counters_stop(struct counter_set *cs);
void counters_close(struct counter_set *cs);

#endif /* RMAPLAB_HARNESS_COUNTERS_H */
