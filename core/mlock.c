// SPDX-License-Identifier: GPL-2.0-only
/*
 * mlock, mlock2, munlock, mlockall and munlockall, modelled on mm/mlock.c:
 * mlock_fixup() splits and merges VMAs as any flag change does, then the
 * range is populated (__mm_populate()).  The model runs as a process with
 * CAP_IPC_LOCK, so RLIMIT_MEMLOCK never refuses.  Which pages sit on the
 * unevictable LRU does not change any VMA or mapping, so it is not kept.
 */
#include <errno.h>
#include <sys/mman.h>

#include "vma.h"

#include "traces/linux_abi.h"

/*
 * mlock_fixup(): VM_SPECIAL and VM_DROPPABLE VMAs keep their flags
 * silently; the others get @newflags over [start, end).
 */
static long mlock_fixup(struct vm_area_struct *vma,
			struct vm_area_struct **prev, unsigned long start,
			unsigned long end, unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	long err = 0;

	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_DROPPABLE))) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(*prev, vma, start, end, newflags, &err);
	if (!vma)
		return err;
	vma->vm_flags = newflags;
	*prev = vma;
	return 0;
}

/* apply_vma_lock_flags(): like mprotect, a hole is -ENOMEM. */
static long apply_vma_lock_flags(struct mm_struct *mm, unsigned long start,
				 unsigned long len, unsigned long flags)
{
	unsigned long end = start + len, nstart, tmp, newflags;
	struct vm_area_struct *vma, *prev;
	long err;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = vma_prev(mm, vma);
	if (start > vma->vm_start)
		prev = vma;

	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mlock_fixup(vma, &prev, nstart, tmp, newflags);
		if (err)
			return err;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = vma_next(mm, prev);
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/* __mlock_posix_error_return() */
static long mlock_posix_error(long err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

/*
 * mlock and munlock round the start down and the length up to pages,
 * with PAGE_ALIGN()'s wrap: a huge length becomes 0, a no-op.
 */
static long lock_range(struct mm_struct *mm, unsigned long *start,
		       unsigned long *len)
{
	unsigned long psz = page_size(mm), off = *start & (psz - 1);

	*len = (*len + off + psz - 1) & ~(psz - 1);
	*start -= off;
	return 0;
}

/* do_mlock() */
static long do_mlock(struct mm_struct *mm, unsigned long start,
		     unsigned long len, unsigned long flags)
{
	long err = lock_range(mm, &start, &len);

	if (err)
		return err;
	err = apply_vma_lock_flags(mm, start, len, flags);
	if (err)
		return err;
	err = mm_populate(mm, start, start + len, false);
	return err ? mlock_posix_error(err) : 0;
}

static void op_begin(struct mm_struct *mm)
{
	mm->world->acct.cur_op = OP_MLOCK;
	mm->world->acct.ops[OP_MLOCK]++;
}

static void op_end(struct mm_struct *mm)
{
	mm->world->acct.cur_op = OP_NONE;
}

long sys_mlock(struct task *t, unsigned long start, unsigned long len,
	       unsigned int flags)
{
	unsigned long vm_flags = VM_LOCKED;
	long ret;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	op_begin(t->mm);
	ret = do_mlock(t->mm, start, len, vm_flags);
	op_end(t->mm);
	return ret;
}

long sys_munlock(struct task *t, unsigned long start, unsigned long len)
{
	struct mm_struct *mm = t->mm;
	long ret = lock_range(mm, &start, &len);

	if (ret)
		return ret;
	op_begin(mm);
	ret = apply_vma_lock_flags(mm, start, len, 0);
	op_end(mm);
	return ret;
}

/* apply_mlockall_flags(): every VMA; errors are ignored. */
static void apply_mlockall_flags(struct mm_struct *mm, unsigned int flags)
{
	struct vm_area_struct *vma, *prev = NULL, *next;
	unsigned long to_add = 0, newflags;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = vma_first(mm); vma; vma = next) {
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;
		if (mlock_fixup(vma, &prev, vma->vm_start, vma->vm_end,
				newflags))
			prev = vma;
		next = vma_next(mm, prev);
	}
}

long sys_mlockall(struct task *t, unsigned int flags)
{
	struct mm_struct *mm = t->mm;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	op_begin(mm);
	apply_mlockall_flags(mm, flags);
	if (flags & MCL_CURRENT)
		mm_populate(mm, 0, mm->world->task_size, true);
	op_end(mm);
	return 0;
}

long sys_munlockall(struct task *t)
{
	op_begin(t->mm);
	apply_mlockall_flags(t->mm, 0);
	op_end(t->mm);
	return 0;
}
