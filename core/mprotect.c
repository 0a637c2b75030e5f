// SPDX-License-Identifier: GPL-2.0-only
/* mprotect, modelled on do_mprotect_pkey() and mprotect_fixup(). */
#include <errno.h>
#include <sys/mman.h>

#include "vma.h"

/*
 * mprotect_fixup(): give [start, end) of @vma the new flags, merging or
 * splitting as vma_modify_flags() does.  *pprev becomes the VMA now
 * covering the range.
 */
static long mprotect_fixup(struct vm_area_struct *vma,
			   struct vm_area_struct **pprev,
			   unsigned long start, unsigned long end,
			   unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	long err = 0;

	/* A sealed VMA refuses even a no-op; earlier VMAs stay changed. */
	if (vma_is_sealed(vma))
		return -EPERM;
	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	/*
	 * A private mapping made writable is charged (VM_ACCOUNT) and stays
	 * charged; an unfaulted anonymous one made read-only is uncharged
	 * since "mm: mprotect: allow unfaulted VMAs to be unaccounted on
	 * mprotect()" (the model takes 6.7, R: not bisected; 6.1 keeps the
	 * charge, so such a VMA no longer merges with a fresh read-only map).
	 */
	if (newflags & VM_WRITE) {
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_SHARED |
				  VM_NORESERVE)))
			newflags |= VM_ACCOUNT;
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) &&
		   !vma->anon_vma && kernel_at_least(vma->vm_mm->world, 6, 7)) {
		newflags &= ~VM_ACCOUNT;
	}

	vma = vma_modify_flags(*pprev, vma, start, end, newflags, &err);
	if (!vma)
		return err;
	*pprev = vma;
	vma->vm_flags = newflags;
	/*
	 * A locked private VMA made writable breaks CoW now, so that the
	 * first write does not fault.
	 */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
	    (newflags & VM_WRITE))
		populate_vma_page_range(vma, start, end);
	return 0;
}

/*
 * do_mprotect_pkey(): @pkey -1 keeps each VMA's key.  The model takes any
 * key of the hardware's range as allocated (pkey_alloc() is not traced),
 * and leaves out x86's execute-only key, which never changes a merge.
 * Without keys in hardware only key 0 is allocated (mm_pkey_is_allocated()
 * of arm64 without FEAT_S1POE, and of include/linux/pkeys.h).
 */
static long do_mprotect_pkey(struct task *t, unsigned long start,
			     unsigned long len, unsigned int prot, int pkey)
{
	struct mm_struct *mm = t->mm;
	unsigned long psz = page_size(mm), end, nstart, tmp, newflags;
	struct vm_area_struct *vma, *prev;
	long error = 0;

	if (start & (psz - 1))
		return -EINVAL;
	if (!len)
		return 0;
	len = (len + psz - 1) & ~(psz - 1);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (pkey < -1 || pkey >= mm->world->max_pkey)
		return -EINVAL;

	vma = vma_first_overlap(mm, start, end);
	if (!vma || vma->vm_start > start)
		return -ENOMEM;

	mm->world->acct.cur_op = OP_MPROTECT;
	mm->world->acct.ops[OP_MPROTECT]++;
	prev = vma_prev(mm, vma);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		newflags = ((prot & PROT_READ) ? VM_READ : 0) |
			((prot & PROT_WRITE) ? VM_WRITE : 0) |
			((prot & PROT_EXEC) ? VM_EXEC : 0);
		newflags |= vma->vm_flags & ~VM_ACCESS_FLAGS;
		if (pkey != -1)
			newflags = (newflags & ~VM_PKEY_MASK) |
				((unsigned long)pkey << VM_PKEY_SHIFT);
		/* newflags >> 4 shifts VM_MAY* onto VM_* */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = vma->vm_end < end ? vma->vm_end : end;
		error = mprotect_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			break;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = vma_first_overlap(mm, nstart, end);
	}
	if (!error && tmp < end)
		error = -ENOMEM;
	mm->world->acct.cur_op = OP_NONE;
	return error;
}

long sys_mprotect(struct task *t, unsigned long start, unsigned long len,
		  unsigned int prot)
{
	return do_mprotect_pkey(t, start, len, prot, -1);
}

/*
 * arm64 has had ARCH_HAS_PKEYS, so the pkey syscalls, only since 6.12
 * ("arm64: add Permission Overlay Extension Kconfig"): -ENOSYS before.
 */
long sys_pkey_mprotect(struct task *t, unsigned long start,
		       unsigned long len, unsigned int prot, int pkey)
{
	const struct world *w = t->mm->world;

	if (w->arch == ARCH_ARM64 && !kernel_at_least(w, 6, 12))
		return -ENOSYS;
	return do_mprotect_pkey(t, start, len, prot, pkey);
}
