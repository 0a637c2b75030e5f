/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a critical section works on.  The core counts, per thread, the
 * work whose cost grows with the rmap structures: tree nodes visited,
 * rmap tree entries linked and unlinked, rmap containers and VMAs an
 * rmap walk visits, objects allocated and freed.  The lock layer
 * (lock.h) takes the difference between acquisition and release, so a
 * scheme reports what it touches simply by using the core's trees,
 * accounting and walk control; it never counts by hand.
 */
#ifndef RMAPLAB_CORE_LOCK_WORK_H
#define RMAPLAB_CORE_LOCK_WORK_H

enum lock_work {
	LW_NODE,		/* tree nodes visited (itree queries) */
	LW_LINK,		/* rmap tree entries inserted (AVCs linked) */
	LW_UNLINK,		/* rmap tree entries removed */
	LW_CTX,			/* containers a walk visited (rwc->contexts) */
	LW_VMA,			/* VMAs handed to rmap_one() */
	LW_ALLOC,		/* accounted objects allocated */
	LW_FREE,		/* accounted objects freed */
	LW_NR,
};

extern const char *const lock_work_names[LW_NR];

/* Running totals of this thread; only differences mean anything. */
extern _Thread_local unsigned long lock_work_now[LW_NR];

static inline void lock_work_add(enum lock_work k, unsigned long n)
{
	lock_work_now[k] += n;
}

struct lock_stats;

/*
 * Holds of @ls have not yet recorded the per-class object counts: the
 * accounting calls this before it counts an allocation or a free then
 * (acct->lock_watch; lock.c).
 */
void lock_work_snapshot(struct lock_stats *ls);

#endif /* RMAPLAB_CORE_LOCK_WORK_H */
