// SPDX-License-Identifier: GPL-2.0-only
/*
 * mseal, modelled on do_mseal() and mseal_apply() of mm/mseal.c: the
 * whole range must be mapped, then every VMA in it gets VM_SEALED (a
 * plain flag for merging).  The refusals a sealed VMA causes live where
 * the kernel checks them: munmap_range(), mprotect_fixup(), mremap and
 * madvise.
 */
#include <errno.h>

#include "vma.h"

long sys_mseal(struct task *t, unsigned long start, unsigned long len,
	       unsigned long flags)
{
	struct mm_struct *mm = t->mm;
	unsigned long psz = page_size(mm), end, prev_end, cur_end;
	struct vm_area_struct *vma, *prev;
	long err = 0;

	/* 6.10 added it: ff388fe5c481 ("mseal: wire up mseal syscall") */
	if (!kernel_at_least(mm->world, 6, 10))
		return -ENOSYS;
	if (flags)
		return -EINVAL;
	if (start & (psz - 1))
		return -EINVAL;
	end = start + ((len + psz - 1) & ~(psz - 1));
	if (len && end == start)
		return -EINVAL;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;

	/* range_contains_unmapped() */
	prev_end = start;
	for (vma = vma_first_overlap(mm, start, end); vma;
	     vma = vma_next_overlap(mm, vma, start, end)) {
		if (vma->vm_start > prev_end)
			return -ENOMEM;
		prev_end = vma->vm_end;
	}
	if (prev_end < end)
		return -ENOMEM;

	mm->world->acct.cur_op = OP_MSEAL;
	mm->world->acct.ops[OP_MSEAL]++;
	vma = vma_lookup(mm, start);
	prev = vma_prev(mm, vma);
	if (start > vma->vm_start)
		prev = vma;
	while (vma && vma->vm_start < end) {
		if (!vma_is_sealed(vma)) {
			cur_end = vma->vm_end < end ? vma->vm_end : end;
			vma = vma_modify_flags(prev, vma, start > vma->vm_start ?
					       start : vma->vm_start, cur_end,
					       vma->vm_flags | VM_SEALED, &err);
			if (!vma)
				break;
			vma->vm_flags |= VM_SEALED;
		}
		prev = vma;
		vma = vma_next(mm, vma);
	}
	mm->world->acct.cur_op = OP_NONE;
	return err;
}
