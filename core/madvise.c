// SPDX-License-Identifier: GPL-2.0-only
/*
 * madvise, modelled on madvise_walk_vmas() and madvise_vma_behavior():
 * unlike mprotect it skips holes, applies to every VMA in the range and
 * reports -ENOMEM at the end.
 */
#include <errno.h>
#include <sys/mman.h>

#include "swap.h"
#include "vma.h"

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

static long madvise_vma(struct vm_area_struct *vma,
			struct vm_area_struct **prev, unsigned long start,
			unsigned long end, int behavior)
{
	unsigned long new_flags = vma->vm_flags;

	switch (behavior) {
	case MADV_DONTNEED:
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP))
			return -EINVAL;
		zap_page_range(vma, start, end);
		*prev = vma;
		return 0;
	case MADV_FREE:
		/*
		 * Lazy-free only marks exclusive anon pages clean; without
		 * memory pressure nothing is unmapped, but a large folio only
		 * partly in the range is split first.
		 */
		if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		madvise_free_range(vma, start, end);
		*prev = vma;
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		/* can_madv_lru_vma(); MADV_COLD only ages, nothing moves. */
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP))
			return -EINVAL;
		if (behavior == MADV_PAGEOUT && !(vma->vm_flags & VM_SHARED))
			madvise_pageout_range(vma, start, end);
		*prev = vma;
		return 0;
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
		new_flags &= ~VM_WIPEONFORK;
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
	return madvise_update_vma(vma, prev, start, end, new_flags);
}

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_DONTFORK:
	case MADV_DOFORK:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
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

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (start & (psz - 1))
		return -EINVAL;
	len = (len + psz - 1) & ~(psz - 1);
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	mm->world->acct.cur_op = OP_MADVISE;
	mm->world->acct.ops[OP_MADVISE]++;
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
	mm->world->acct.cur_op = OP_NONE;
	return error;
}
