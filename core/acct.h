/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Object and operation accounting: every rmap-related object the model or
 * a scheme allocates is counted by class (live, peak, bytes at the slab
 * object size), and attributed to the operation that was running, so that
 * deterministic per-operation costs can be reported beside timings.
 */
#ifndef RMAPLAB_CORE_ACCT_H
#define RMAPLAB_CORE_ACCT_H

#include <stddef.h>

#include "lock_work.h"

/* The operation the model is executing, for per-operation counts. */
enum mm_op {
	OP_NONE,
	OP_MMAP,
	OP_MUNMAP,
	OP_MPROTECT,
	OP_MADVISE,
	OP_MREMAP,
	OP_BRK,
	OP_FAULT,
	OP_FORK,
	OP_EXEC,
	OP_EXIT,
	OP_MLOCK,
	OP_MSEAL,
	OP_UFFD,
	OP_WALK,
	OP_NR,
};

extern const char *const mm_op_names[OP_NR];

#define ACCT_MAX_CLASSES 16

struct obj_class {
	const char *name;
	size_t size;			/* bytes per object (slab stride) */
	long live, peak;
	unsigned long allocs[OP_NR], frees[OP_NR];
	unsigned long nr_allocs, nr_frees;	/* over every operation */
};

struct acct {
	struct obj_class cls[ACCT_MAX_CLASSES];
	int nr;
	enum mm_op cur_op;
	unsigned long ops[OP_NR];	/* operations executed */
	/* holds whose footprint awaits the counts (lock_work_snapshot()) */
	struct lock_stats *lock_watch;
};

/*
 * Register (or find) class @name; @size is the default object size, which
 * an arch table or the user may override by name (acct_set_size).
 * Returns the class id.
 */
int acct_class(struct acct *a, const char *name, size_t size);
int acct_find(const struct acct *a, const char *name);
void acct_set_size(struct acct *a, const char *name, size_t size);

static inline void acct_alloc(struct acct *a, int id)
{
	struct obj_class *c = &a->cls[id];

	if (a->lock_watch)
		lock_work_snapshot(a->lock_watch);
	c->allocs[a->cur_op]++;
	c->nr_allocs++;
	lock_work_add(LW_ALLOC, 1);
	if (++c->live > c->peak)
		c->peak = c->live;
}

static inline void acct_free(struct acct *a, int id)
{
	struct obj_class *c = &a->cls[id];

	if (a->lock_watch)
		lock_work_snapshot(a->lock_watch);
	c->frees[a->cur_op]++;
	c->nr_frees++;
	lock_work_add(LW_FREE, 1);
	c->live--;
}

#endif /* RMAPLAB_CORE_ACCT_H */
