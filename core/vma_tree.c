// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mm's VMA tree (the kernel's maple tree mm_mt): disjoint intervals
 * [vm_start, vm_end - 1] in an augmented AVL tree, so that finding the VMA
 * containing an address or every VMA overlapping a range is O(log n + k).
 */
#include "vma.h"

static inline struct vm_area_struct *node_vma(struct itree_node *n)
{
	return n ? itree_entry(n, struct vm_area_struct, vm_node) : NULL;
}

void vma_tree_insert(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vma->vm_node.start = vma->vm_start;
	vma->vm_node.last = vma->vm_end - 1;
	mm->mm_mt.vma_tree = true;
	itree_insert(&mm->mm_mt, &vma->vm_node);
	mm->map_count++;
	mm->vma_cache = NULL;
}

void vma_tree_remove(struct mm_struct *mm, struct vm_area_struct *vma)
{
	itree_remove(&mm->mm_mt, &vma->vm_node);
	mm->map_count--;
	mm->vma_cache = NULL;
}

/*
 * Bounds changed: re-key in place.  VMAs never overlap, so a VMA keeps its
 * place among its neighbours whatever its new bounds.
 */
void vma_tree_update(struct mm_struct *mm, struct vm_area_struct *vma)
{
	itree_rekey(&mm->mm_mt, &vma->vm_node, vma->vm_start,
		    vma->vm_end - 1);
	mm->vma_cache = NULL;
}

/* find_vma(): first VMA with vm_end > addr. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	return node_vma(itree_first(&mm->mm_mt, addr, ~0UL));
}

/*
 * Faults come in runs on one VMA: a one-entry cache, dropped whenever the
 * tree changes, saves the tree descent (the model's stand-in for the
 * per-VMA lock fast path).
 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->vma_cache;

	if (vma && addr >= vma->vm_start && addr < vma->vm_end)
		return vma;
	vma = node_vma(itree_floor(&mm->mm_mt, addr));
	if (vma && addr < vma->vm_end) {
		mm->vma_cache = vma;
		return vma;
	}
	return NULL;
}

struct vm_area_struct *vma_first_overlap(struct mm_struct *mm,
					 unsigned long start,
					 unsigned long end)
{
	if (end <= start)
		return NULL;
	return node_vma(itree_first(&mm->mm_mt, start, end - 1));
}

struct vm_area_struct *vma_next_overlap(struct mm_struct *mm,
					struct vm_area_struct *vma,
					unsigned long start, unsigned long end)
{
	struct vm_area_struct *next = vma_next(mm, vma);

	if (next && next->vm_start < end && next->vm_end > start)
		return next;
	return NULL;
}

struct vm_area_struct *vma_next(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	return node_vma(itree_succ(&mm->mm_mt, &vma->vm_node));
}

struct vm_area_struct *vma_prev(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	return node_vma(itree_pred(&mm->mm_mt, &vma->vm_node));
}

struct vm_area_struct *vma_first(struct mm_struct *mm)
{
	return node_vma(itree_min(&mm->mm_mt));
}

/* The VMA before @addr: the last one starting below it. */
struct vm_area_struct *vma_prev_of(struct mm_struct *mm, unsigned long addr)
{
	if (!addr)
		return NULL;
	return node_vma(itree_floor(&mm->mm_mt, addr - 1));
}

unsigned long vma_address(const struct vm_area_struct *vma,
			  unsigned long pgoff, unsigned long nr)
{
	unsigned int shift = vma->vm_mm->page_shift;
	unsigned long addr;

	if (pgoff >= vma->vm_pgoff) {
		addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << shift);
		if (addr < vma->vm_start || addr >= vma->vm_end)
			return ~0UL;
		return addr;
	}
	/* A large folio starting below the VMA: clamp if it reaches in. */
	if (pgoff + nr - 1 >= vma->vm_pgoff)
		return vma->vm_start;
	return ~0UL;
}
