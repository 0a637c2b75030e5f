/* SPDX-License-Identifier: GPL-2.0-only */
/* What the simulation's files share; see sim.h. */
#ifndef RMAPLAB_HARNESS_SIM_SIM_INTERNAL_H
#define RMAPLAB_HARNESS_SIM_SIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "harness/contention_internal.h"
#include "harness/sim/sim.h"

#define SIM_NO_INST	UINT32_MAX

enum sim_what {
	SIM_ACQ_READ,
	SIM_ACQ_WRITE,
	SIM_RELEASE,
	SIM_POINT_READ,			/* a counted lock outside a walk */
	SIM_POINT_WRITE,
};

/* One lock operation, after @work was done since the previous one. */
struct sim_step {
	uint32_t inst;			/* instance, or SIM_NO_INST */
	uint8_t what;			/* enum sim_what */
	uint8_t cls;
	uint16_t pad;
	uint32_t work[LW_NR];
};

/* The steps of one event or walk, and the work after the last one. */
struct sim_sched {
	uint32_t first, nr;
	uint32_t tail[LW_NR];
	uint8_t op;			/* enum mm_op */
	size_t event;			/* walks: sampled after this event */
};

/* One lock instance and its domain. */
struct sim_inst {
	uint8_t cls;
	uint32_t units, procs, vmas;	/* distinct sharers */
	long links, links_max;		/* rmap entries linked under it */
	unsigned long acq[2];		/* by events: [write] */
};

struct sim_recording {
	struct sim_step *steps;
	size_t nr_steps, cap_steps;
	struct sim_sched *ev;		/* per trace event */
	size_t nr_ev;
	struct sim_sched *walks;
	size_t nr_walks, cap_walks;
	struct units units;
	struct sim_inst *inst;
	size_t nr_inst, cap_inst;
	int nr_classes;
	char cls_name[SIM_MAX_CLASSES][64];
	enum lock_kind cls_kind[SIM_MAX_CLASSES];
	unsigned long rcu_frees;	/* lock_rcu_free() calls */
	struct sim_footprint fp;
	unsigned long found, present;
};

/* The cost table (sim_cost.c). */
enum sim_cost_item {
	COST_WORK,			/* + enum lock_work: per object */
	COST_ACQUIRE = COST_WORK + LW_NR, /* an uncontended lock op */
	COST_BOUNCE,			/* a cache line from another CPU */
	COST_WAKEUP,			/* a sleeping waiter runs again */
	COST_WALK,			/* a walk's fixed part */
	COST_OP,			/* + enum mm_op: fixed part */
	COST_NR = COST_OP + OP_NR,
};

struct sim_cost {
	const char *what;
	uint64_t ns;
	const char *basis;
};

extern const struct sim_cost sim_costs[COST_NR];

/* Virtual ns for @work, in-lock parts scaled by @scale. */
uint64_t sim_work_ns(const uint32_t work[LW_NR], double scale);

#endif /* RMAPLAB_HARNESS_SIM_SIM_INTERNAL_H */
