// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmap, munmap and brk, modelled on do_mmap(), __mmap_region(),
 * do_vmi_align_munmap() and the brk syscall of mm/mmap.c and mm/vma.c.
 */
#include <errno.h>
#include <sys/mman.h>

#include "pgtable.h"
#include "vma.h"

#include "traces/linux_abi.h"

/*
 * Unmap [start, end): split the VMAs at the edges (the kernel's
 * vms_gather_munmap_vmas), detach everything inside, zap its PTEs, free
 * the page tables no VMA needs any more and unlink the rmap.
 */
static long munmap_range(struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	struct vm_area_struct *vma, *next, *prev;
	unsigned long floor, ceiling;
	int err;

	vma = vma_first_overlap(mm, start, end);
	if (!vma)
		return 0;
	if (start > vma->vm_start) {
		if (end < vma->vm_end &&
		    mm->map_count >= mm->world->max_map_count)
			return -ENOMEM;
		/* A sealed VMA is not split for nothing. */
		if (vma_is_sealed(vma))
			return -EPERM;
		err = __split_vma(vma, start, 1);
		if (err)
			return err;
	}
	/*
	 * vms_gather_munmap_vmas(): a sealed VMA fails the whole unmap;
	 * splits already made stay.
	 */
	for (next = vma_first_overlap(mm, start, end);
	     next && next->vm_start < end; next = vma_next(mm, next)) {
		if (vma_is_sealed(next))
			return -EPERM;
		if (next->vm_end > end) {
			err = __split_vma(next, end, 0);
			if (err)
				return err;
		}
	}

	prev = vma_prev_of(mm, start);
	vma = vma_first_overlap(mm, start, end);
	next = vma;
	while (next && next->vm_start < end)
		next = vma_next(mm, next);
	floor = prev ? prev->vm_end : 0;
	ceiling = next ? next->vm_start : ~0UL;

	while ((vma = vma_first_overlap(mm, start, end))) {
		unmap_page_range(vma, vma->vm_start, vma->vm_end);
		vma_tree_remove(mm, vma);
		remove_vma(vma);
	}
	free_pgtables(mm, start, end, floor, ceiling);
	return 0;
}

long do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	unsigned long psz = page_size(mm);

	if (start & (psz - 1))
		return -EINVAL;
	len = (len + psz - 1) & ~(psz - 1);
	if (!len || start + len < start)
		return -EINVAL;
	/* do_vmi_munmap(): the range must lie below TASK_SIZE */
	if (!range_in_task_size(mm, start, len))
		return -EINVAL;
	return munmap_range(mm, start, start + len);
}

long sys_munmap(struct task *t, unsigned long addr, unsigned long len)
{
	long ret;

	t->mm->world->acct.cur_op = OP_MUNMAP;
	t->mm->world->acct.ops[OP_MUNMAP]++;
	ret = do_munmap(t->mm, addr, len);
	t->mm->world->acct.cur_op = OP_NONE;
	return ret;
}

static unsigned long calc_vm_prot_bits(unsigned int prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) |
		((prot & PROT_WRITE) ? VM_WRITE : 0) |
		((prot & PROT_EXEC) ? VM_EXEC : 0);
}

/*
 * calc_vm_flag_bits(): MAP_STACK has meant VM_NOHUGEPAGE since 6.7 ("mm:
 * mmap: map MAP_STACK to VM_NOHUGEPAGE"), so a thread stack never merges
 * with a neighbouring heap-like mapping; before, the flag was ignored.
 */
static unsigned long calc_vm_flag_bits(const struct world *w,
				       unsigned int flags)
{
	bool stack_nohuge = (flags & MAP_STACK) && kernel_at_least(w, 6, 7);

	return ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) |
		((flags & MAP_LOCKED) ? VM_LOCKED : 0) |
		(stack_nohuge ? VM_NOHUGEPAGE : 0);
}

/* accountable_mapping(): private writable mappings are charged. */
static bool accountable_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/*
 * __mmap_region(): clear what MAP_FIXED replaces, try to merge the new
 * range with its neighbours, else link a new VMA.
 */
static long mmap_region(struct mm_struct *mm, struct file *file,
			unsigned long addr, unsigned long len,
			unsigned long vm_flags, unsigned long pgoff)
{
	struct vm_area_struct *vma = NULL, *prev, *next;
	unsigned long end = addr + len;
	long err;

	err = munmap_range(mm, addr, end);
	if (err)
		return err;

	if (accountable_mapping(vm_flags))
		vm_flags |= VM_ACCOUNT;

	prev = vma_prev_of(mm, addr);
	next = find_vma(mm, addr);

	/*
	 * A shared anonymous mapping gets its shmem file only when the VMA is
	 * created, after the merge attempt, so it never merges.
	 */
	if (prev || next) {
		struct vma_merge_struct vmg = {
			.mm = mm,
			.prev = (prev && prev->vm_end == addr) ? prev : NULL,
			.next = (next && next->vm_start == end) ? next : NULL,
			.start = addr,
			.end = end,
			.pgoff = pgoff,
			.vm_flags = vm_flags,
			.file = file,
		};

		if (!(file && file->shmem_anon))
			vma = vma_merge_new_range(&vmg);
	}
	if (!vma) {
		vma = vm_area_alloc(mm);
		vma->vm_start = addr;
		vma->vm_end = end;
		vma->vm_pgoff = pgoff;
		vma->vm_flags = vm_flags;
		vma->vm_file = file;
		if (file)
			file->refcount++;
		vma_tree_insert(mm, vma);
	}
	return addr;
}

long sys_mmap(struct task *t, unsigned long addr, unsigned long len,
	      unsigned int prot, unsigned int flags, struct file *file,
	      unsigned long pgoff)
{
	struct mm_struct *mm = t->mm;
	struct world *w = mm->world;
	unsigned long psz = page_size(mm), vm_flags;
	unsigned int type = flags & MAP_TYPE;
	long ret;

	if (!len)
		return -EINVAL;
	len = (len + psz - 1) & ~(psz - 1);
	if (!len || addr + len < addr)
		return -ENOMEM;
	if (type != MAP_SHARED && type != MAP_PRIVATE &&
	    type != MAP_SHARED_VALIDATE && type != MAP_DROPPABLE)
		return -EINVAL;
	/* __get_unmapped_area(): TASK_SIZE first, then the alignment */
	if (!range_in_task_size(mm, addr, len))
		return -ENOMEM;
	if (addr & (psz - 1))
		return -EINVAL;
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    vma_first_overlap(mm, addr, addr + len))
		return -EEXIST;
	if (flags & MAP_HUGETLB)
		world_unsupported(w, "mmap MAP_HUGETLB");

	vm_flags = calc_vm_prot_bits(prot) | calc_vm_flag_bits(w, flags) |
		mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	/*
	 * MAP_DROPPABLE came in 6.11 (9651fcedf7b9 "mm: add MAP_DROPPABLE
	 * for designating always lazily freeable mappings"); do_mmap()
	 * refused the unknown map type before, after the address checks.
	 */
	if (type == MAP_DROPPABLE && (file || !kernel_at_least(w, 6, 11)))
		return -EINVAL;
	if (type == MAP_DROPPABLE) {
		/*
		 * Droppable pages may vanish at any time: never locked,
		 * reserved, copied at fork or dumped.
		 */
		if ((flags & (MAP_LOCKED | MAP_HUGETLB)) ||
		    (vm_flags & VM_GROWSDOWN))
			return -EINVAL;
		vm_flags |= VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK |
			VM_DONTDUMP;
		pgoff = addr >> mm->page_shift;
	} else if (type != MAP_PRIVATE) {
		if (!file) {
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			file = world_shmem_file(w);
			/* shmem_zero_setup(): the object is as long as the map */
			file->nr_pages = len >> mm->page_shift;
		}
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	} else if (!file) {
		pgoff = addr >> mm->page_shift;
	}
	if (flags & MAP_NORESERVE)
		vm_flags |= VM_NORESERVE;

	w->acct.cur_op = OP_MMAP;
	w->acct.ops[OP_MMAP]++;
	ret = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	/* vm_mmap_pgoff(): MAP_LOCKED and MAP_POPULATE fault the range in */
	if (ret >= 0 && ((vm_flags & VM_LOCKED) ||
			 (flags & (MAP_POPULATE | MAP_NONBLOCK)) ==
			 MAP_POPULATE))
		mm_populate(mm, addr, addr + len, true);
	w->acct.cur_op = OP_NONE;
	return ret;
}

/*
 * brk(): grow by extending the VMA that ends at the old break (do_brk_flags
 * merges only with that prev), shrink by unmapping.  The first brk of an
 * mm only tells where its break is.
 */
long sys_brk(struct task *t, unsigned long brk)
{
	struct mm_struct *mm = t->mm;
	unsigned long psz = page_size(mm), newbrk, oldbrk;
	struct vm_area_struct *prev, *next, *vma = NULL;
	unsigned long vm_flags;
	long ret;

	if (!mm->brk_known)
		return -EINVAL;	/* the caller seeds the break */
	if (brk < mm->start_brk)
		return mm->brk;
	newbrk = (brk + psz - 1) & ~(psz - 1);
	oldbrk = (mm->brk + psz - 1) & ~(psz - 1);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return brk;
	}
	mm->world->acct.cur_op = OP_BRK;
	mm->world->acct.ops[OP_BRK]++;
	if (brk <= mm->brk) {
		ret = do_munmap(mm, newbrk, oldbrk - newbrk);
		if (!ret)
			mm->brk = brk;
		goto out;
	}
	/* check_brk_limits(): nothing at or above TASK_SIZE */
	if (newbrk < oldbrk || !range_in_task_size(mm, oldbrk, newbrk - oldbrk))
		goto out;
	next = find_vma(mm, oldbrk);
	if (next && newbrk + psz > next->vm_start)
		goto out;	/* would run into the next mapping */

	vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
		VM_MAYEXEC | VM_ACCOUNT | mm->def_flags;
	prev = vma_prev_of(mm, oldbrk);
	if (prev && prev->vm_start < mm->start_brk)
		prev = NULL;
	if (prev && prev->vm_end == oldbrk) {
		struct vma_merge_struct vmg = {
			.mm = mm,
			.prev = prev,
			.start = oldbrk,
			.end = newbrk,
			.pgoff = oldbrk >> mm->page_shift,
			.vm_flags = vm_flags,
			.just_expand = true,
		};

		vma = vma_merge_new_range(&vmg);
	}
	if (!vma) {
		vma = vm_area_alloc(mm);
		vma->vm_start = oldbrk;
		vma->vm_end = newbrk;
		vma->vm_pgoff = oldbrk >> mm->page_shift;
		vma->vm_flags = vm_flags;
		vma_tree_insert(mm, vma);
	}
	mm->brk = brk;
	/* mlockall(MCL_FUTURE) covers the heap too */
	if (mm->def_flags & VM_LOCKED)
		mm_populate(mm, oldbrk, newbrk, true);
out:
	mm->world->acct.cur_op = OP_NONE;
	return mm->brk;
}
