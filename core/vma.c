// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMA split and merge, modelled on mm/vma.c of Linux 6.18 (with the
 * January 2026 copied_from fix that stable kernels carry).
 *
 * The merge cases drawn as in mm/vma.c.  A new range (mmap, brk, copy_vma):
 *
 *	prev  new  next		can_vma_merge_left / can_vma_merge_right
 *	PPPP  ****  NNNN   ->	PPPPPPPPPPPPPP	(both: next removed)
 *
 * An existing range (mprotect, madvise) [start, end) of middle:
 *
 *	PPPP MMMMMMMM NNNN	left_side: start == middle->vm_start
 *	     ********		right_side: end == middle->vm_end
 */
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"
#include "vma.h"

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct world *w = mm->world;
	struct vm_area_struct *vma = kmem_cache_zalloc(&w->vma_cache);

	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	vma->id = w->next_vma_id++;
	acct_alloc(&w->acct, w->cls_vma);
	return vma;
}

/*
 * vm_area_dup(): the copy carries anon_vma and rmap_priv as the kernel's
 * memcpy does; the chain starts empty and the scheme's clone or fork hook
 * decides what the copy really gets.
 */
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma = vm_area_alloc(orig->vm_mm);

	vma->vm_start = orig->vm_start;
	vma->vm_end = orig->vm_end;
	vma->vm_pgoff = orig->vm_pgoff;
	vma->vm_flags = orig->vm_flags;
	vma->vm_file = orig->vm_file;
	if (vma->vm_file)
		vma->vm_file->refcount++;
	vma->anon_vma = orig->anon_vma;
	vma->rmap_priv = orig->rmap_priv;
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	struct world *w = vma->vm_mm->world;

	acct_free(&w->acct, w->cls_vma);
	kmem_cache_free(&w->vma_cache, vma);
}

static void fput(struct file *file)
{
	if (file && --file->refcount == 0 && file->shmem_anon)
		free(file);
}

void remove_vma(struct vm_area_struct *vma)
{
	const struct rmap_scheme *s = scheme_of(vma->vm_mm);

	vma->detached = true;
	s->unlink_anon_vmas(vma);
	fput(vma->vm_file);
	vma->vm_file = NULL;
	if (s->vma_release(vma))
		vm_area_free(vma);
}

void vma_adjust(struct vm_area_struct *vma, unsigned long start,
		unsigned long end, unsigned long pgoff)
{
	const struct rmap_scheme *s = scheme_of(vma->vm_mm);

	if (vma->vm_start == start && vma->vm_end == end &&
	    vma->vm_pgoff == pgoff)
		return;
	s->vma_pre_update(vma);
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vma_tree_update(vma->vm_mm, vma);
	s->vma_post_update(vma);
}

/*
 * Two VMAs change bounds under one vma_prepare() (a merge that shrinks
 * one neighbour and grows the other): the rmap sees both removed, then
 * both reinserted, so a scheme takes its lock once.
 */
static void vma_adjust_two(struct vm_area_struct *a, unsigned long a_start,
			   unsigned long a_end, unsigned long a_pgoff,
			   struct vm_area_struct *b, unsigned long b_start,
			   unsigned long b_end, unsigned long b_pgoff)
{
	const struct rmap_scheme *s = scheme_of(a->vm_mm);

	s->vma_pre_update(a);
	s->vma_pre_update(b);
	a->vm_start = a_start;
	a->vm_end = a_end;
	a->vm_pgoff = a_pgoff;
	b->vm_start = b_start;
	b->vm_end = b_end;
	b->vm_pgoff = b_pgoff;
	vma_tree_update(a->vm_mm, a);
	vma_tree_update(b->vm_mm, b);
	s->vma_post_update(b);
	s->vma_post_update(a);
}

/*
 * vma_adjust_trans_huge(): a VMA boundary inside a PMD-mapped THP splits
 * the PMD mapping into PTEs (the folio itself stays whole).
 */
static void adjust_trans_huge(struct mm_struct *mm, unsigned long addr)
{
	if (addr & (pmd_size(mm) - 1))
		split_huge_pmd_at(mm, addr);
}

/*
 * __split_vma(): the new VMA takes [vm_start, addr) if @new_below, else
 * [addr, vm_end); @vma keeps the rest and its identity.
 */
int __split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	struct mm_struct *mm = vma->vm_mm;
	const struct rmap_scheme *s = scheme_of(mm);
	struct vm_area_struct *new;
	unsigned long pgoff = vma->vm_pgoff;
	int err;

	new = vm_area_dup(vma);
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> mm->page_shift;
	}
	err = s->anon_vma_clone(new, vma, VMA_OP_SPLIT);
	if (err) {
		fput(new->vm_file);
		vm_area_free(new);
		return err;
	}
	adjust_trans_huge(mm, addr);
	if (new_below)
		vma_adjust(vma, addr, vma->vm_end,
			   pgoff + ((addr - vma->vm_start) >> mm->page_shift));
	else
		vma_adjust(vma, vma->vm_start, addr, pgoff);
	vma_tree_insert(mm, new);
	return 0;
}

int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	struct mm_struct *mm = vma->vm_mm;

	if (mm->map_count >= mm->world->max_map_count)
		return -12;	/* -ENOMEM */
	return __split_vma(vma, addr, new_below);
}

/* is_mergeable_vma(): everything but the anon identity and pgoff. */
static bool is_mergeable_vma(struct vma_merge_struct *vmg,
			     struct vm_area_struct *vma)
{
	if (vma->vm_flags != vmg->vm_flags)
		return false;
	if (vma->vm_file != vmg->file)
		return false;
	return true;
}

static bool is_mergeable_anon_vma(struct vma_merge_struct *vmg,
				  struct vm_area_struct *tgt)
{
	const struct rmap_scheme *s = scheme_of(vmg->mm);

	struct vm_area_struct *owner = vmg->owner;

	if (!owner)
		owner = vmg->middle ? vmg->middle : vmg->copied_from;
	return s->anon_mergeable(tgt, vmg->anon_vma, vmg->middle,
				 vmg->copied_from, owner);
}

/* can_vma_merge_after(): the range can be appended to prev. */
static bool can_vma_merge_left(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev;

	return prev && prev->vm_end == vmg->start &&
		is_mergeable_vma(vmg, prev) &&
		is_mergeable_anon_vma(vmg, prev) &&
		prev->vm_pgoff + vma_pages(prev) == vmg->pgoff;
}

/*
 * can_vma_merge_before(): the range can be prepended to next; when both
 * sides merge, prev and next must also be compatible with each other.
 */
static bool can_vma_merge_right(struct vma_merge_struct *vmg,
				bool can_merge_left)
{
	struct vm_area_struct *next = vmg->next;
	unsigned long pglen = (vmg->end - vmg->start) >> vmg->mm->page_shift;

	if (!next || vmg->end != next->vm_start ||
	    !is_mergeable_vma(vmg, next) ||
	    !is_mergeable_anon_vma(vmg, next) ||
	    next->vm_pgoff != vmg->pgoff + pglen)
		return false;
	if (!can_merge_left)
		return true;
	return scheme_of(vmg->mm)->anon_compatible(vmg->prev, next);
}

/*
 * dup_anon_vma(): when a faulted VMA's range goes to an unfaulted target,
 * the target takes the source's anon identity first.
 */
static int dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (src && src->anon_vma && !dst->anon_vma)
		return scheme_of(dst->vm_mm)->anon_vma_clone(dst, src,
						VMA_OP_MERGE_UNFAULTED);
	return 0;
}

/* Detach a VMA a merge swallowed and drop it. */
static void merge_remove(struct vm_area_struct *vma)
{
	vma_tree_remove(vma->vm_mm, vma);
	remove_vma(vma);
}

/*
 * vma_expand(): grow vmg->target to [vmg->start, vmg->end), swallowing
 * next when the range reaches its end.
 */
static int vma_expand(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *target = vmg->target, *next = vmg->next;
	bool remove_next = false;
	int err = 0;

	if (next && target != next && vmg->end == next->vm_end)
		remove_next = true;
	if (remove_next)
		err = dup_anon_vma(target, next);
	if (!err && vmg->copied_from)
		err = dup_anon_vma(target, vmg->copied_from);
	if (err)
		return err;

	if (remove_next)
		merge_remove(next);
	adjust_trans_huge(vmg->mm, vmg->start);
	adjust_trans_huge(vmg->mm, vmg->end);
	vma_adjust(target, vmg->start, vmg->end, vmg->pgoff);
	return 0;
}

struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev, *next = vmg->next;
	unsigned long end = vmg->end;
	bool can_merge_left, can_merge_right;

	if ((vmg->vm_flags & VM_SPECIAL) || (!prev && !next))
		return NULL;

	can_merge_left = prev && prev->vm_end == vmg->start &&
		can_vma_merge_left(vmg);
	can_merge_right = !vmg->just_expand &&
		can_vma_merge_right(vmg, can_merge_left);

	if (can_merge_right) {
		vmg->end = next->vm_end;
		vmg->target = next;
	}
	if (can_merge_left) {
		vmg->start = prev->vm_start;
		vmg->target = prev;
		vmg->pgoff = prev->vm_pgoff;
	}
	if (!can_merge_right)
		vmg->end = end;

	if (vmg->target && !vma_expand(vmg))
		return vmg->target;
	return NULL;
}

/*
 * vma_merge_existing_range(): the range [start, end) of middle is to get
 * vmg->vm_flags; merge it into prev and/or next where the kernel would.
 */
static struct vm_area_struct *
vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *middle = vmg->middle, *prev = vmg->prev;
	struct vm_area_struct *next = NULL, *target;
	struct mm_struct *mm = vmg->mm;
	unsigned long start = vmg->start, end = vmg->end;
	bool left_side = start == middle->vm_start;
	bool right_side = end == middle->vm_end;
	bool merge_left = false, merge_right = false, merge_both;
	bool remove_middle;
	int err;

	if ((vmg->vm_flags & VM_SPECIAL) || (!left_side && !right_side))
		return NULL;

	if (left_side)
		merge_left = can_vma_merge_left(vmg);
	if (right_side) {
		next = vmg->next = vma_next(mm, middle);
		merge_right = can_vma_merge_right(vmg, merge_left);
	}
	if (!merge_left && !merge_right)
		return NULL;

	merge_both = merge_left && merge_right;
	remove_middle = left_side && right_side;

	if (merge_both) {
		/*
		 * |<-------------------->|
		 * |-------********-------|
		 *   prev   middle   next
		 *  extend  delete  delete
		 */
		unsigned long next_end = next->vm_end;

		err = dup_anon_vma(prev, next->anon_vma ? next : middle);
		if (err)
			return NULL;
		merge_remove(middle);
		merge_remove(next);
		vma_adjust(prev, prev->vm_start, next_end, prev->vm_pgoff);
		target = prev;
	} else if (merge_left) {
		/*
		 * |<------------>|      OR
		 * |<----------------->|
		 * |-------*************
		 *   prev     middle
		 *  extend shrink/delete
		 */
		err = dup_anon_vma(prev, middle);
		if (err)
			return NULL;
		adjust_trans_huge(mm, end);
		if (remove_middle) {
			merge_remove(middle);
			vma_adjust(prev, prev->vm_start, end, prev->vm_pgoff);
		} else {
			vma_adjust_two(prev, prev->vm_start, end,
				       prev->vm_pgoff, middle, end,
				       middle->vm_end, middle->vm_pgoff +
				       ((end - middle->vm_start) >>
					mm->page_shift));
		}
		target = prev;
	} else {
		/*
		 *     |<------------->| OR
		 * |<----------------->|
		 * *************-------|
		 *      middle     next
		 * shrink/delete extend
		 */
		unsigned long pglen = (end - start) >> mm->page_shift;

		err = dup_anon_vma(next, middle);
		if (err)
			return NULL;
		adjust_trans_huge(mm, start);
		if (remove_middle) {
			merge_remove(middle);
			vma_adjust(next, start, next->vm_end,
				   next->vm_pgoff - pglen);
		} else {
			vma_adjust_two(middle, middle->vm_start, start,
				       middle->vm_pgoff, next, start,
				       next->vm_end, next->vm_pgoff - pglen);
		}
		target = next;
	}
	return target;
}

struct vm_area_struct *vma_modify(struct vma_merge_struct *vmg, long *errp)
{
	struct vm_area_struct *vma = vmg->middle, *merged;
	int err;

	merged = vma_merge_existing_range(vmg);
	if (merged)
		return merged;

	if (vma->vm_start < vmg->start) {
		err = split_vma(vma, vmg->start, 1);
		if (err) {
			*errp = err;
			return NULL;
		}
	}
	if (vma->vm_end > vmg->end) {
		err = split_vma(vma, vmg->end, 0);
		if (err) {
			*errp = err;
			return NULL;
		}
	}
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev,
					struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					unsigned long new_flags, long *err)
{
	struct vma_merge_struct vmg = {
		.mm = vma->vm_mm,
		.prev = prev,
		.middle = vma,
		.start = start,
		.end = end,
		.vm_flags = new_flags,
		.pgoff = vma->vm_pgoff +
			((start - vma->vm_start) >> vma->vm_mm->page_shift),
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
	};

	return vma_modify(&vmg, err);
}
