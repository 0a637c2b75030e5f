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

/*
 * vma_can_userfault(): anonymous and shmem mappings (minor faults: shmem
 * only), never droppable ones.  6.12 tested VM_DROPPABLE in the requested
 * flags, already masked to the uffd ones, so a droppable VMA registered
 * (Debian's 6.12.118 does; 6.18.44 refuses).  R: the release that fixed
 * it is not identified; the model takes 6.13.
 */
static bool vma_can_userfault(const struct vm_area_struct *vma,
			      unsigned long vm_flags)
{
	bool shmem = vma->vm_file && vma->vm_file->shmem_anon;

	if ((vma->vm_flags & VM_DROPPABLE) &&
	    kernel_at_least(vma->vm_mm->world, 6, 13))
		return false;
	if ((vm_flags & VM_UFFD_MINOR) && !shmem)
		return false;
	return !vma->vm_file || shmem;
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
	/*
	 * userfaultfd_(un)register() check every VMA first (holes are
	 * fine) and change nothing when one cannot take part.
	 */
	{
		struct vm_area_struct *v;

		for (v = vma; v; v = vma_next_overlap(mm, v, start, end)) {
			if (!vma_can_userfault(v, reg ? vm_flags :
					       v->vm_flags & VM_UFFD_FLAGS))
				return -EINVAL;
			if (reg && !(v->vm_flags & VM_MAYWRITE))
				return -EPERM;
		}
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
	/*
	 * arm64 has had HAVE_ARCH_USERFAULTFD_WP only since 6.10
	 * (5b32510af77b "arm64/mm: Add uffd write-protect support"):
	 * userfaultfd_register() refused the mode before.
	 */
	if ((modes & UFFD_MODE_WP) && t->mm->world->arch == ARCH_ARM64 &&
	    !kernel_at_least(t->mm->world, 6, 10))
		return -EINVAL;
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
