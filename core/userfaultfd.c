// SPDX-License-Identifier: GPL-2.0-only
/*
 * UFFDIO_REGISTER and UFFDIO_UNREGISTER, modelled on
 * userfaultfd_register_range() and userfaultfd_clear_vma() of
 * mm/userfaultfd.c: the VM_UFFD_* flags change like any other VMA flag
 * (split, merge).  One userfaultfd per process is assumed, so the
 * context never stops a merge.  Faults in a VM_UFFD_MISSING range wait
 * for the monitor, which the trace cannot show: they are unsupported.
 */
#include <errno.h>

#include "vma.h"

#include "traces/linux_abi.h"

/* vma_can_userfault(): anonymous, shmem and (minor) file mappings. */
static bool vma_can_userfault(const struct vm_area_struct *vma,
			      unsigned long vm_flags)
{
	if (vma->vm_flags & (VM_SPECIAL | VM_DROPPABLE))
		return false;
	/* Minor faults need a page cache: not anonymous private memory. */
	if ((vm_flags & VM_UFFD_MINOR) && !vma->vm_file)
		return false;
	return true;
}

static long uffd_apply(struct task *t, unsigned long start,
		       unsigned long len, unsigned long vm_flags, bool reg)
{
	struct mm_struct *mm = t->mm;
	unsigned long psz = page_size(mm), end = start + len, new_flags;
	struct vm_area_struct *vma, *prev;
	long err = 0;

	if ((start | len) & (psz - 1))
		return -EINVAL;
	if (!len || end < start || !range_in_task_size(mm, start, len))
		return -EINVAL;
	vma = vma_first_overlap(mm, start, end);
	if (!vma)
		return -EINVAL;
	/* Registration checks every VMA first and changes nothing on -EINVAL. */
	if (reg) {
		struct vm_area_struct *v;

		for (v = vma; v; v = vma_next_overlap(mm, v, start, end))
			if (!vma_can_userfault(v, vm_flags) ||
			    ((v->vm_flags & VM_SHARED) && !(v->vm_flags &
							    VM_MAYWRITE)))
				return -EINVAL;
	}
	mm->world->acct.cur_op = OP_UFFD;
	mm->world->acct.ops[OP_UFFD]++;
	prev = vma_prev(mm, vma);
	if (start > vma->vm_start)
		prev = vma;
	while (vma && vma->vm_start < end) {
		new_flags = (vma->vm_flags & ~VM_UFFD_FLAGS) |
			    (reg ? vm_flags : 0);
		if (new_flags != vma->vm_flags) {
			vma = vma_modify_flags(prev, vma,
					       start > vma->vm_start ? start :
					       vma->vm_start,
					       vma->vm_end < end ? vma->vm_end :
					       end, new_flags, &err);
			if (!vma)
				break;
			vma->vm_flags = new_flags;
		}
		prev = vma;
		vma = vma_next(mm, vma);
	}
	mm->world->acct.cur_op = OP_NONE;
	return err;
}

long sys_uffd_register(struct task *t, unsigned long start,
		       unsigned long len, unsigned int modes)
{
	unsigned long vm_flags = 0;

	if (!modes || (modes & ~(UFFD_MODE_MISSING | UFFD_MODE_WP |
				 UFFD_MODE_MINOR)))
		return -EINVAL;
	if (modes & UFFD_MODE_MISSING)
		vm_flags |= VM_UFFD_MISSING;
	if (modes & UFFD_MODE_WP)
		vm_flags |= VM_UFFD_WP;
	if (modes & UFFD_MODE_MINOR)
		vm_flags |= VM_UFFD_MINOR;
	return uffd_apply(t, start, len, vm_flags, true);
}

long sys_uffd_unregister(struct task *t, unsigned long start,
			 unsigned long len)
{
	return uffd_apply(t, start, len, 0, false);
}
