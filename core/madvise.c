// SPDX-License-Identifier: GPL-2.0-only
/*
 * madvise, modelled on madvise_walk_vmas() and madvise_vma_behavior():
 * unlike mprotect it skips holes, applies to every VMA in the range and
 * reports -ENOMEM at the end.
 */
#include <errno.h>
#include <sys/mman.h>

#include "swap.h"
#include "pgtable.h"
#include "vma.h"

#include "traces/linux_abi.h"

static long madvise_update_vma(struct vm_area_struct *vma,
			       struct vm_area_struct **prev,
			       unsigned long start, unsigned long end,
			       unsigned long new_flags)
{
	long err = 0;

	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(*prev, vma, start, end, new_flags, &err);
	if (!vma)
		return err;
	*prev = vma;
	vma->vm_flags = new_flags;
	return 0;
}

/* is_madv_discard(): advices that can zero anonymous memory */
static bool is_madv_discard(int behavior)
{
	switch (behavior) {
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_REMOVE:
	case MADV_DONTFORK:
	case MADV_WIPEONFORK:
	case MADV_GUARD_INSTALL:
		return true;
	}
	return false;
}

/*
 * can_modify_vma_madv(): a sealed private anonymous VMA the process may
 * not write refuses the discarding advices.
 */
static bool can_modify_vma_madv(struct vm_area_struct *vma, int behavior)
{
	if (!is_madv_discard(behavior) || !vma_is_sealed(vma))
		return true;
	if (vma->vm_file || (vma->vm_flags & VM_SHARED))
		return true;
	return vma->vm_flags & VM_WRITE;
}

/* vma_ksm_compatible() */
static bool vma_ksm_compatible(struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_SPECIAL |
				  VM_DROPPABLE));
}

/* madvise_vma_behavior() */
static long madvise_vma(struct vm_area_struct *vma,
			struct vm_area_struct **prev, unsigned long start,
			unsigned long end, int behavior)
{
	struct world *w = vma->vm_mm->world;
	unsigned long new_flags = vma->vm_flags;
	struct vm_area_struct *vma_prev = *prev;
	long err;

	if (!can_modify_vma_madv(vma, behavior))
		return -EPERM;
	/* Advices that leave the VMA alone continue after it. */
	*prev = vma;
	switch (behavior) {
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		/* Before 6.9 only: the walk populates each VMA's part. */
		return madvise_populate(vma->vm_mm, start, end,
					behavior == MADV_POPULATE_WRITE);
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		/* madvise_dontneed_free_valid_vma() */
		if (vma->vm_flags & VM_PFNMAP)
			return -EINVAL;
		if (behavior == MADV_DONTNEED && (vma->vm_flags & VM_LOCKED))
			return -EINVAL;
		zap_page_range(vma, start, end);
		return 0;
	case MADV_FREE:
		/*
		 * Lazy-free only marks exclusive anon pages clean; without
		 * memory pressure nothing is unmapped, but a large folio only
		 * partly in the range is split first.
		 */
		if (vma->vm_flags & (VM_PFNMAP | VM_LOCKED))
			return -EINVAL;
		if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		/* madvise_free_pte_range(): swap entries are just dropped */
		zap_swap_range(vma->vm_mm, start, end);
		madvise_free_range(vma, start, end);
		madvise_free_lazy(vma, start, end);
		return 0;
	case MADV_REMOVE:
		/*
		 * madvise_remove(): punching a hole drops page-cache pages,
		 * never the anon copies of a private mapping.
		 */
		if (vma->vm_flags & VM_LOCKED)
			return -EINVAL;
		if (!vma->vm_file)
			return -EINVAL;
		if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) !=
		    (VM_SHARED | VM_MAYWRITE))
			return -EACCES;
		return 0;
	case MADV_WILLNEED:
		/* Read-ahead and swap-in: no mapping changes. */
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		/* can_madv_lru_vma() */
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP))
			return -EINVAL;
		/*
		 * madvise_cold_or_pageout_pte_range(): like MADV_FREE it
		 * splits a large folio this mm alone maps and the range only
		 * partly covers; MADV_COLD then only deactivates,
		 * MADV_PAGEOUT reclaims the folios mapped once.
		 */
		madvise_free_range(vma, start, end);
		if (behavior == MADV_PAGEOUT && !(vma->vm_flags & VM_SHARED))
			madvise_pageout_range(vma, start, end);
		return 0;
	case MADV_COLLAPSE:
		world_unsupported(w, "madvise MADV_COLLAPSE");
		return 0;
	case MADV_GUARD_INSTALL:
		return guard_install(vma, start, end);
	case MADV_GUARD_REMOVE:
		if (vma->vm_flags & VM_SPECIAL)
			return -EINVAL;
		guard_remove(vma, start, end);
		return 0;
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		if (new_flags & VM_DROPPABLE)
			return -EINVAL;
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (new_flags & (VM_SPECIAL | VM_DROPPABLE))
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		/*
		 * ksm_madvise(): only the flag.  ksmd (off unless
		 * /sys/kernel/mm/ksm/run is set) would merge pages later;
		 * the model assumes it is off.
		 */
		if (!vma_ksm_compatible(vma))
			return 0;
		new_flags |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		new_flags &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		new_flags &= ~VM_NOHUGEPAGE;
		new_flags |= VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		new_flags &= ~VM_HUGEPAGE;
		new_flags |= VM_NOHUGEPAGE;
		break;
	default:
		return -EINVAL;
	}
	*prev = vma_prev;
	err = madvise_update_vma(vma, prev, start, end, new_flags);
	/* kernel resources temporarily unavailable */
	return err == -ENOMEM ? -EAGAIN : err;
}

/*
 * madvise_behavior_valid() of a kernel with KSM, THP, MEMORY_FAILURE; the
 * guard-region advices came with "mm: madvise: implement lightweight
 * guard page mechanism" (6.13): older kernels say -EINVAL.
 */
static bool madvise_behavior_valid(const struct world *w, int behavior)
{
	switch (behavior) {
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		return kernel_at_least(w, 6, 13);
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_SOFT_OFFLINE:
	case MADV_HWPOISON:
		return true;
	}
	return false;
}

long sys_madvise(struct task *t, unsigned long start, unsigned long len,
		 int behavior)
{
	struct mm_struct *mm = t->mm;
	unsigned long psz = page_size(mm), end, tmp;
	struct vm_area_struct *vma, *prev;
	long error, unmapped_error = 0;

	if (!madvise_behavior_valid(mm->world, behavior))
		return -EINVAL;
	/*
	 * Guard regions came with "mm: madvise: implement lightweight guard
	 * page mechanism" (6.13); before, madvise_behavior_valid() did not
	 * know the advice.
	 */
	if ((behavior == MADV_GUARD_INSTALL ||
	     behavior == MADV_GUARD_REMOVE) &&
	    !kernel_at_least(mm->world, 6, 13))
		return -EINVAL;
	/*
	 * madvise_inject_error() poisons page frames, which the model
	 * lacks; the reference kernel (no CONFIG_MEMORY_FAILURE) says
	 * -EINVAL.
	 */
	if (behavior == MADV_HWPOISON || behavior == MADV_SOFT_OFFLINE) {
		world_unsupported(mm->world, behavior == MADV_HWPOISON ?
				  "madvise MADV_HWPOISON" :
				  "madvise MADV_SOFT_OFFLINE");
		return -EINVAL;
	}
	if (start & (psz - 1))
		return -EINVAL;
	/* a small negative length rounds up to zero */
	if (len && !((len + psz - 1) & ~(psz - 1)))
		return -EINVAL;
	len = (len + psz - 1) & ~(psz - 1);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	mm->world->acct.cur_op = OP_MADVISE;
	mm->world->acct.ops[OP_MADVISE]++;
	/*
	 * Since "mm/madvise: make MADV_POPULATE_(READ|WRITE) handle
	 * VM_FAULT_RETRY properly" (the model takes 6.9, R: not bisected) the
	 * populate advices stop at the first hole; before, they went through
	 * madvise_walk_vmas(), which skips holes, populates every VMA in the
	 * range and returns -ENOMEM at the end.
	 */
	if ((behavior == MADV_POPULATE_READ ||
	     behavior == MADV_POPULATE_WRITE) &&
	    kernel_at_least(mm->world, 6, 9)) {
		error = madvise_populate(mm, start, end,
					 behavior == MADV_POPULATE_WRITE);
		goto out;
	}
	vma = find_vma(mm, start);
	prev = vma ? vma_prev(mm, vma) : vma_prev_of(mm, start);
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma) {
			error = -ENOMEM;
			break;
		}
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end) {
				error = unmapped_error;
				break;
			}
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = madvise_vma(vma, &prev, start, tmp, behavior);
		if (error)
			break;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end) {
			error = unmapped_error;
			break;
		}
		vma = find_vma(mm, prev ? prev->vm_end : start);
	}
out:
	mm->world->acct.cur_op = OP_NONE;
	return error;
}
