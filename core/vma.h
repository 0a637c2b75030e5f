/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Core-internal VMA machinery, modelled on mm/vma.c: allocation, the VMA
 * tree, split, the two merge entry points and munmap.  Schemes see only
 * core/mm.h and core/scheme.h.
 */
#ifndef RMAPLAB_CORE_VMA_H
#define RMAPLAB_CORE_VMA_H

#include "mm.h"
#include "world.h"

#define world_of(mm)	((mm)->world)
#define scheme_of(mm)	((mm)->world->scheme)

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
/* Free a VMA object (schemes that kept one alive call this later). */
void vm_area_free(struct vm_area_struct *vma);
/* Unlink rmap state and release a VMA that has left the tree. */
void remove_vma(struct vm_area_struct *vma);

void vma_tree_insert(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_tree_remove(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_tree_update(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_prev_of(struct mm_struct *mm, unsigned long addr);

/*
 * vma_set_range() with the rmap told before and after, as vma_prepare()
 * and vma_complete() do around every bounds change.
 */
void vma_adjust(struct vm_area_struct *vma, unsigned long start,
		unsigned long end, unsigned long pgoff);

/*
 * The vma_merge_struct of mm/vma.c.  For a new range, middle is NULL;
 * for an existing range, middle is the VMA being modified.
 */
struct vma_merge_struct {
	struct mm_struct *mm;
	struct vm_area_struct *prev, *middle, *next, *target;
	struct vm_area_struct *copied_from;
	struct vm_area_struct *owner;	/* whose anon identity the range has */
	unsigned long start, end, pgoff;
	unsigned long vm_flags;
	struct file *file;
	void *anon_vma;
	bool just_expand;
};

int __split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);
int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);

struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg);
/* vma_modify(): merge the modified range, else split it out. */
struct vm_area_struct *vma_modify(struct vma_merge_struct *vmg, long *err);
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev,
					struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long new_flags, long *err);

/*
 * do_vmi_munmap(): unmap [start, end) of @mm, splitting VMAs at the edges.
 * Returns 0 or -errno.
 */
long do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);

/* memory.c: PTE-level work done on behalf of VMA operations. */
/* MADV_DONTNEED's zap: guard markers stay. */
void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end);
/* unmap_vmas()'s zap: guard markers go too. */
void unmap_page_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end);
/*
 * The fault handler below the access checks (__handle_mm_fault()), for
 * GUP as well as user faults.  @order 0 with @gup: the model picks what
 * the kernel would (a PMD folio where THP allows one, else a page).
 * Returns 0, -EFAULT (SIGSEGV: a guard marker) or -ENOMEM.
 */
int do_fault_vma(struct vm_area_struct *vma, unsigned long addr, bool write,
		 unsigned int order, bool gup);
/*
 * Populate [start, end) as __mm_populate() does for mmap(MAP_POPULATE,
 * MAP_LOCKED), mlock and mlockall: errors end the VMA's part, and are
 * returned only when !@ignore_errors.
 */
int mm_populate(struct mm_struct *mm, unsigned long start, unsigned long end,
		bool ignore_errors);
/* One VMA's part of it: pages done, or -errno when none was. */
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end);
/* MADV_POPULATE_READ/WRITE: faultin_page_range() over [start, end). */
long madvise_populate(struct mm_struct *mm, unsigned long start,
		      unsigned long end, bool write);
/* MADV_GUARD_INSTALL / MADV_GUARD_REMOVE on [start, end) of @vma. */
long guard_install(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end);
void guard_remove(struct vm_area_struct *vma, unsigned long start,
		  unsigned long end);
bool range_has_anon_pages(struct mm_struct *mm, unsigned long start,
			  unsigned long end);
void split_huge_pmd_at(struct mm_struct *mm, unsigned long addr);
/* do_wp_page(): a write fault on the present anon PTE @pte. */
int do_wp_page(struct vm_area_struct *vma, unsigned long addr,
	       struct pte *pte);
/*
 * MADV_FREE, MADV_COLD: split the large folios this mm alone maps that
 * [start, end) only partly covers.
 */
void madvise_free_range(struct vm_area_struct *vma, unsigned long start,
			unsigned long end);
void free_pgtables(struct mm_struct *mm, unsigned long start,
		   unsigned long end, unsigned long floor,
		   unsigned long ceiling);

/* world.c: mms and tasks. */
struct mm_struct *mm_alloc(struct world *w, long owner);
void mm_free(struct mm_struct *mm);
struct task *task_add(struct world *w, long pid, struct mm_struct *mm);

/* TASK_SIZE check of get_unmapped_area() for [addr, addr + len). */
static inline bool range_in_task_size(const struct mm_struct *mm,
				      unsigned long addr, unsigned long len)
{
	unsigned long task_size = mm->world->task_size;

	return len <= task_size && addr <= task_size - len;
}

static inline unsigned long pmd_size(const struct mm_struct *mm)
{
	return page_size(mm) << mm->world->pmd_order;
}

#endif /* RMAPLAB_CORE_VMA_H */
