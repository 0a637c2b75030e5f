// SPDX-License-Identifier: GPL-2.0-only
/*
 * Population of page tables without a user fault, modelled on mm/gup.c:
 * __mm_populate() and populate_vma_page_range() (mmap MAP_POPULATE and
 * MAP_LOCKED, mlock, mlockall, a locked mremap that grows) and
 * faultin_page_range() (MADV_POPULATE_READ/WRITE).  Each page is looked
 * up as follow_page_mask() does and faulted in as faultin_page() does
 * when the lookup fails.
 */
#include <errno.h>

#include "pgtable.h"
#include "vma.h"

/*
 * One page of __get_user_pages(): a read needs any mapping (the zero
 * page will do), a write needs a PTE the process may write without a
 * fault (an exclusive anon page, or a shared mapping's page).
 */
static int gup_one(struct vm_area_struct *vma, unsigned long addr,
		   bool write)
{
	struct pte *pte = pte_lookup(vma->vm_mm, addr);

	if (pte && pte->folio &&
	    (!write || pte->folio->pages[pte->idx].anon_exclusive))
		return 0;
	return do_fault_vma(vma, addr, write, 0, true);
}

/* Pages done before an error, or the error when none was done. */
static long gup_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, bool write)
{
	unsigned long psz = page_size(vma->vm_mm), addr;
	long done = 0;
	int err;

	for (addr = start; addr < end; addr += psz, done++) {
		err = gup_one(vma, addr, write);
		if (err)
			return done ? done : err;
	}
	return done;
}

/* populate_vma_page_range() */
long populate_vma_page_range(struct vm_area_struct *vma,
				    unsigned long start, unsigned long end)
{
	unsigned long nr = (end - start) >> vma->vm_mm->page_shift;

	/* VM_LOCKONFAULT never breaks CoW ahead of the faults. */
	if (vma->vm_flags & VM_LOCKONFAULT)
		return nr;
	/* ... and PROT_NONE is never faulted in */
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;
	/*
	 * Writable private mappings are write-faulted to break CoW; the
	 * rest is read with FOLL_FORCE.
	 */
	return gup_range(vma, start, end,
			 (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE);
}

int mm_populate(struct mm_struct *mm, unsigned long start, unsigned long end,
		bool ignore_errors)
{
	unsigned long nstart, nend;
	struct vm_area_struct *vma;
	long ret = 0;

	for (nstart = start; nstart < end; nstart = nend) {
		vma = vma_first_overlap(mm, nstart, end);
		if (!vma)
			break;
		nend = vma->vm_end < end ? vma->vm_end : end;
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		ret = populate_vma_page_range(vma, nstart, nend);
		if (ret < 0) {
			if (ignore_errors) {
				ret = 0;
				continue;	/* at the next VMA */
			}
			break;
		}
		nend = nstart + ((unsigned long)ret << mm->page_shift);
		ret = 0;
	}
	return ret;
}

/*
 * madvise_populate() / faultin_page_range(): no FOLL_FORCE, so the VMA
 * must allow the access (-EINVAL otherwise); a hole is -ENOMEM, a fault
 * that would raise SIGSEGV -EFAULT.  Pages before the failure stay.
 */
long madvise_populate(struct mm_struct *mm, unsigned long start,
		      unsigned long end, bool write)
{
	struct vm_area_struct *vma;
	unsigned long vend;
	long ret;

	while (start < end) {
		vma = vma_lookup(mm, start);
		if (!vma)
			return -ENOMEM;
		if ((vma->vm_flags & (VM_IO | VM_PFNMAP)) ||
		    !(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			return -EINVAL;
		vend = vma->vm_end < end ? vma->vm_end : end;
		ret = gup_range(vma, start, vend, write);
		if (ret < 0)
			return ret;
		start += (unsigned long)ret << mm->page_shift;
		if (start < vend)
			return gup_one(vma, start, write);
	}
	return 0;
}
