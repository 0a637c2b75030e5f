// SPDX-License-Identifier: GPL-2.0-only
/*
 * mremap, modelled on mm/mremap.c of Linux 6.18: check_mremap_params(),
 * check_prep_vma(), mremap_at() (no-op, shrink, expand in place or move),
 * mremap_to() (MREMAP_FIXED / MREMAP_DONTUNMAP), remap_move() (a pure
 * MREMAP_FIXED move may span several VMAs, keeping the gaps between them),
 * move_vma(), copy_vma() and move_page_tables().
 */
#include <errno.h>
#include <linux/mman.h>

#include "pgtable.h"
#include "vma.h"

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif

struct remap {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	unsigned long addr, old_len, new_len, new_addr, placed;
	unsigned int flags;
};

static bool implies_new_addr(const struct remap *r)
{
	return r->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

/*
 * copy_vma(): the destination VMA for [addr, addr + len), merged with its
 * new neighbours where possible.  A faulted VMA keeps its pgoff so that
 * its folios' index stays valid; an unfaulted anonymous one takes the pgoff
 * of its new address, to merge more easily.  *vmap is updated when the
 * source itself was merged into the destination.
 */
static struct vm_area_struct *copy_vma(struct vm_area_struct **vmap,
				       unsigned long addr, unsigned long len,
				       unsigned long pgoff, bool keep_source)
{
	struct vm_area_struct *vma = *vmap, *new_vma, *prev, *next;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long vma_start = vma->vm_start;
	bool unfaulted = false;
	int err;

	if (vma_is_anonymous(vma) && !vma->anon_vma) {
		pgoff = addr >> mm->page_shift;
		unfaulted = true;
	}

	prev = vma_prev_of(mm, addr);
	next = find_vma(mm, addr);
	if (next && next->vm_start < addr + len)
		return NULL;	/* cannot happen: the range was unmapped */
	/*
	 * 6.12.114 on: an unfaulted source that MREMAP_DONTUNMAP keeps may
	 * not merge with its own copy ("mm/mremap: fix locked_vm leak from
	 * MREMAP_DONTUNMAP self-merge", 6.12.y; 6.18.44 still merges).
	 */
	if (unfaulted && keep_source &&
	    kernel_stable_has(mm->world, 6, 12, 114)) {
		if (prev == vma)
			prev = NULL;
		if (next == vma)
			next = NULL;
	}
	/*
	 * 6.1.191 took the same fix as "no merge at all when the copy
	 * touches its source": vma_merge() was not even tried.
	 */
	if (unfaulted && keep_source &&
	    kernel_stable_has(mm->world, 6, 1, 191) &&
	    (vma->vm_end == addr || vma->vm_start == addr + len))
		prev = next = NULL;
	{
		struct vma_merge_struct vmg = {
			.mm = mm,
			.prev = (prev && prev->vm_end == addr) ? prev : NULL,
			.next = (next && next->vm_start == addr + len) ?
				next : NULL,
			.start = addr,
			.end = addr + len,
			.pgoff = pgoff,
			.vm_flags = vma->vm_flags,
			.file = vma->vm_file,
			.anon_vma = vma->anon_vma,
			.copied_from = vma,
		};

		new_vma = vma_merge_new_range(&vmg);
	}
	if (new_vma) {
		if (vma_start >= new_vma->vm_start &&
		    vma_start < new_vma->vm_end)
			*vmap = new_vma;
		return new_vma;
	}

	new_vma = vm_area_dup(vma);
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	err = scheme_of(mm)->anon_vma_clone(new_vma, vma, VMA_OP_REMAP);
	if (err) {
		vm_area_free(new_vma);
		return NULL;
	}
	vma_tree_insert(mm, new_vma);
	return new_vma;
}

/*
 * move_ptes() / move_huge_pmd(): a PMD mapping moves whole only when both
 * addresses are PMD aligned and the whole PMD moves; otherwise it is split
 * first.  Destination PTE tables exist wherever the source had one.
 */
static void move_page_tables(struct vm_area_struct *vma,
			     unsigned long old_addr,
			     struct vm_area_struct *new_vma,
			     unsigned long new_addr, unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	const struct rmap_scheme *s = scheme_of(mm);
	unsigned long psz = page_size(mm), pmd = pmd_size(mm);
	unsigned long off, old_end = old_addr + len, base, from, to;
	struct pte *src, *dst;

	if (old_addr & (pmd - 1))
		split_huge_pmd_at(mm, old_addr);
	if (old_end & (pmd - 1))
		split_huge_pmd_at(mm, old_end);
	if ((old_addr ^ new_addr) & (pmd - 1)) {
		/* Misaligned move: no PMD can move whole. */
		for_each_present_pte(mm, src, off, old_addr, old_end)
			if (src->pmd)
				split_huge_pmd_at(mm, off);
	}
	/* Only the PTE tables that exist are visited. */
	base = old_addr;
	while (pte_table_next(mm, &base, old_end)) {
		from = base < old_addr ? old_addr : base;
		to = base + pmd > old_end || base + pmd < base ?
			old_end : base + pmd;
		for (off = from - old_addr; off < to - old_addr; off += psz) {
			src = pte_lookup(mm, old_addr + off);
			dst = pte_alloc(mm, new_addr + off);
			/* Above 4 KiB pages a PMD spans several of our tables. */
			if (!src)
				continue;
			if (src->guard || src->swp) {
				/*
				 * Guard markers and swap entries move with
				 * their PTEs, no rmap call.
				 */
				dst->guard = src->guard;
				dst->swp = src->swp;
				dst->idx = src->idx;
				pte_clear(src);
				continue;
			}
			if (!src->folio)
				continue;
			*dst = *src;
			pte_clear(src);
			if (!dst->pmd || dst->idx == 0)
				s->folio_moved(dst->folio, vma, new_vma);
		}
		if (base + pmd < base)
			break;
		base += pmd;
	}
}

/* move_vma(): copy the VMA, move its page tables, drop the source. */
static long move_vma(struct remap *r)
{
	struct mm_struct *mm = r->mm;
	struct vm_area_struct *vma = r->vma, *new_vma;
	unsigned long pgoff, old_start = vma->vm_start;
	unsigned long old_end = vma->vm_end;

	if (mm->map_count >= mm->world->max_map_count - 3)
		return -ENOMEM;
	/*
	 * 6.12.114 on: a locked VMA is split around the range first, so
	 * that only the moved part loses VM_LOCKED ("mm/mremap: fix
	 * locked_vm leak by splitting VMA for MREMAP_DONTUNMAP", 6.12.y;
	 * 6.18.44 unlocks the whole VMA, unsplit; 6.1.y from 6.1.191).
	 */
	if ((r->flags & MREMAP_DONTUNMAP) && (vma->vm_flags & VM_LOCKED) &&
	    (kernel_stable_has(mm->world, 6, 12, 114) ||
	     kernel_stable_has(mm->world, 6, 1, 191))) {
		int err = 0;

		if (vma->vm_start != r->addr)
			err = split_vma(vma, r->addr, 1);
		if (!err && vma->vm_end != r->addr + r->old_len)
			err = split_vma(vma, r->addr + r->old_len, 0);
		if (err)
			return err;
		old_start = vma->vm_start;
		old_end = vma->vm_end;
	}
	pgoff = vma->vm_pgoff + ((r->addr - vma->vm_start) >> mm->page_shift);
	new_vma = copy_vma(&vma, r->new_addr, r->new_len, pgoff,
			   r->flags & MREMAP_DONTUNMAP);
	if (!new_vma)
		return -ENOMEM;
	r->vma = vma;
	scheme_of(mm)->vma_moved(vma, new_vma);
	move_page_tables(vma, r->addr, new_vma, r->new_addr, r->old_len);

	if (r->flags & MREMAP_DONTUNMAP) {
		/*
		 * dontunmap_complete(): the old VMA stays, empty; its rmap
		 * links are dropped only if all of it moved.
		 */
		if (new_vma != vma && r->addr == old_start &&
		    r->addr + r->old_len == old_end) {
			scheme_of(mm)->unlink_anon_vmas(vma);
			/*
			 * 6.12.112 on: the emptied anon VMA is unfaulted again
			 * and takes the pgoff of a fresh one, so a new mapping
			 * beside it merges ("mm/mremap: reset unfaulted VMA
			 * page offset for MREMAP_DONTUNMAP", a 6.12.y stable
			 * change, 6.1.191 in 6.1.y; 6.18.44 does not have it).
			 */
			if ((kernel_stable_has(mm->world, 6, 12, 112) ||
			     kernel_stable_has(mm->world, 6, 1, 191)) &&
			    vma_is_anonymous(vma))
				vma->vm_pgoff = vma->vm_start >> mm->page_shift;
		}
		/* The old VMA is never locked any more. */
		vma->vm_flags &= ~VM_LOCKED_MASK;
	} else if (r->old_len) {
		do_munmap(mm, r->addr, r->old_len);
	}
	return r->new_addr;
}

/* check_prep_vma(): validate the VMA for what the call will do. */
static long check_prep_vma(struct remap *r)
{
	struct vm_area_struct *vma = r->vma;
	unsigned long old_len = r->old_len;

	if (!vma)
		return -EFAULT;
	/* mseal()'d: no mremap at all */
	if (vma_is_sealed(vma))
		return -EPERM;
	if (r->new_len == r->old_len && !implies_new_addr(r))
		return 0;
	if (r->new_len < r->old_len && !implies_new_addr(r))
		return 0;
	if (!r->old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE)))
		return -EINVAL;
	if ((r->flags & MREMAP_DONTUNMAP) &&
	    (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	if (r->new_len < r->old_len)
		old_len = r->new_len;
	if (old_len > vma->vm_end - r->addr)
		return -EFAULT;
	if (r->new_len == old_len)
		return 0;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	return 0;
}

static long shrink_vma(struct remap *r)
{
	return do_munmap(r->mm, r->addr + r->new_len,
			 r->old_len - r->new_len);
}

/* vma_expandable(): nothing mapped in [vm_end, vm_end + delta). */
static bool can_expand_in_place(struct remap *r)
{
	struct vm_area_struct *vma = r->vma;
	unsigned long delta = r->new_len - r->old_len;

	if (r->addr + r->old_len != vma->vm_end)
		return false;
	if (vma->vm_end + delta < vma->vm_end)
		return false;
	/* get_unmapped_area(MAP_FIXED) of the grown VMA: below TASK_SIZE */
	if (!range_in_task_size(r->mm, vma->vm_start,
				vma->vm_end + delta - vma->vm_start))
		return false;
	return !vma_first_overlap(r->mm, vma->vm_end, vma->vm_end + delta);
}

/* vma_merge_extend(): grow in place, merging with next if it touches. */
static long expand_in_place(struct remap *r)
{
	struct vm_area_struct *vma = r->vma, *next;
	unsigned long delta = r->new_len - r->old_len;
	struct vma_merge_struct vmg = {
		.mm = r->mm,
		.prev = vma,
		.start = vma->vm_end,
		.end = vma->vm_end + delta,
		.pgoff = vma->vm_pgoff + vma_pages(vma),
		.vm_flags = vma->vm_flags,
		.file = vma->vm_file,
		.anon_vma = vma->anon_vma,
		.owner = vma,
	};

	next = vma_next(r->mm, vma);
	vmg.next = (next && next->vm_start == vmg.end) ? next : NULL;
	if (!vma_merge_new_range(&vmg))
		return -ENOMEM;
	return r->addr;
}

static long mremap_to(struct remap *r)
{
	long err;

	if (r->flags & MREMAP_FIXED) {
		err = do_munmap(r->mm, r->new_addr, r->new_len);
		if (err)
			return err;
		r->vma = vma_lookup(r->mm, r->addr);
		if (!r->vma)
			return -EFAULT;
	}
	if (r->new_len < r->old_len) {
		err = shrink_vma(r);
		if (err)
			return err;
		/* The unmap may have split and freed r->vma. */
		r->vma = vma_lookup(r->mm, r->addr);
		if (!r->vma)
			return -EFAULT;
		r->old_len = r->new_len;
	}
	if (!(r->flags & MREMAP_FIXED))
		r->new_addr = r->placed;
	return move_vma(r);
}

static long mremap_at(struct remap *r)
{
	long err;

	if (r->new_len == r->old_len)
		return r->addr;
	if (r->new_len < r->old_len) {
		err = shrink_vma(r);
		return err ? err : (long)r->addr;
	}
	if (can_expand_in_place(r))
		return expand_in_place(r);
	if (!(r->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	/* get_unmapped_area() finds no room above TASK_SIZE */
	if (!range_in_task_size(r->mm, r->placed, r->new_len))
		return -ENOMEM;
	r->new_addr = r->placed;
	return move_vma(r);
}

/*
 * mremap_to() before the 2025 rework of mm/mremap.c: the target was
 * unmapped and the source cut to its new length before the source VMA was
 * looked at (vma_to_resize()), so a call that then fails with -EFAULT has
 * already unmapped both (Debian's 6.12 does this in a VM; 6.18 checks
 * first).  Which release moved the check is not pinned down here: the
 * model takes the one that brought multi-VMA moves, 6.17.
 */
static long mremap_to_unchecked(struct remap *r)
{
	bool locked;
	long err;

	if (r->flags & MREMAP_FIXED) {
		err = do_munmap(r->mm, r->new_addr, r->new_len);
		if (err)
			return err;
	}
	if (r->new_len < r->old_len) {
		err = do_munmap(r->mm, r->addr + r->new_len,
				r->old_len - r->new_len);
		if (err)
			return err;
		r->old_len = r->new_len;
	}
	r->vma = vma_lookup(r->mm, r->addr);
	err = check_prep_vma(r);
	if (err)
		return err;
	if (!(r->flags & MREMAP_FIXED))
		r->new_addr = r->placed;
	locked = r->vma->vm_flags & VM_LOCKED;
	err = move_vma(r);
	/* do_mremap(): a locked mapping that grew is populated after. */
	if (err >= 0 && locked && r->new_len > r->old_len)
		mm_populate(r->mm, err + r->old_len, err + r->new_len, true);
	return err;
}

/* remap_move(): MREMAP_FIXED without resize, across every VMA in range. */
static long remap_move(struct remap *r)
{
	unsigned long start = r->addr, end = r->addr + r->old_len;
	unsigned long target = r->new_addr, last_end = 0, offset;
	struct vm_area_struct *vma;
	bool seen = false, multi = false;
	long res = -EFAULT, res_vma;

	while ((vma = vma_first_overlap(r->mm, seen ? last_end : start,
					end))) {
		unsigned long addr = vma->vm_start > start ?
			vma->vm_start : start;
		unsigned long vend = vma->vm_end < end ? vma->vm_end : end;

		if (!seen && start < vma->vm_start)
			return -EFAULT;
		/*
		 * vma_multi_allowed(): a move of several VMAs stops with
		 * -EFAULT at a userfaultfd-armed one (the ones before have
		 * moved).
		 */
		if (!seen)
			multi = vma->vm_end < end;
		if (multi && (vma->vm_flags & VM_UFFD_FLAGS))
			return -EFAULT;
		offset = seen ? vma->vm_start - last_end : 0;
		last_end = vma->vm_end;
		r->vma = vma;
		r->addr = addr;
		r->new_addr = target + offset;
		r->old_len = r->new_len = vend - addr;
		res_vma = check_prep_vma(r);
		if (!res_vma)
			res_vma = mremap_to(r);
		if (res_vma < 0)
			return res_vma;
		if (!seen)
			res = res_vma;
		seen = true;
		target = res_vma + r->new_len;
		if (last_end >= end)
			break;
	}
	return res;
}

long sys_mremap(struct task *t, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned int flags,
		unsigned long new_addr, unsigned long placed)
{
	struct mm_struct *mm = t->mm;
	unsigned long psz = page_size(mm);
	struct remap r = {
		.mm = mm,
		.addr = addr,
		.flags = flags,
		.new_addr = new_addr,
		.placed = placed,
	};
	bool locked;
	long ret, err;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (addr & (psz - 1))
		return -EINVAL;
	r.old_len = (old_len + psz - 1) & ~(psz - 1);
	r.new_len = (new_len + psz - 1) & ~(psz - 1);
	if (!r.new_len)
		return -EINVAL;
	/* check_mremap_params(): is the new length silly? */
	if (r.new_len > mm->world->task_size)
		return -EINVAL;
	if (r.new_addr + r.new_len < r.new_addr)
		return -EINVAL;
	if (implies_new_addr(&r)) {
		if (r.new_addr & (psz - 1))
			return -EINVAL;
		if (!range_in_task_size(mm, r.new_addr, r.new_len))
			return -EINVAL;
		if (!(flags & MREMAP_MAYMOVE))
			return -EINVAL;
		if ((flags & MREMAP_DONTUNMAP) && r.old_len != r.new_len)
			return -EINVAL;
		if ((flags & MREMAP_FIXED) &&
		    r.addr < r.new_addr + r.new_len &&
		    r.new_addr < r.addr + r.old_len)
			return -EINVAL;
		if (mm->map_count + 2 >= mm->world->max_map_count - 3)
			return -ENOMEM;
	}

	mm->world->acct.cur_op = OP_MREMAP;
	mm->world->acct.ops[OP_MREMAP]++;
	/*
	 * A move across several VMAs came with "mm/mremap: permit mremap()
	 * move of multiple VMAs" (6.17); before, the range had to lie in one
	 * VMA (vma_to_resize(): -EFAULT), as check_prep_vma() still says.
	 */
	if ((flags & MREMAP_FIXED) && r.old_len == r.new_len &&
	    kernel_at_least(mm->world, 6, 17)) {
		ret = remap_move(&r);
		goto out;
	}
	if (implies_new_addr(&r) && !kernel_at_least(mm->world, 6, 17)) {
		/*
		 * do_mremap() of 6.12 looks the source VMA up and refuses a
		 * sealed one before mremap_to() unmaps anything.
		 */
		r.vma = vma_lookup(mm, addr);
		if (!r.vma)
			ret = -EFAULT;
		else if (vma_is_sealed(r.vma))
			ret = -EPERM;
		else
			ret = mremap_to_unchecked(&r);
		goto out;
	}
	r.vma = vma_lookup(mm, addr);
	err = check_prep_vma(&r);
	if (err) {
		ret = err;
		goto out;
	}
	locked = r.vma->vm_flags & VM_LOCKED;
	ret = implies_new_addr(&r) ? mremap_to(&r) : mremap_at(&r);
	/* A locked mapping that grew has its new part faulted in. */
	if (ret >= 0 && locked && r.new_len > r.old_len)
		mm_populate(mm, ret + r.old_len, ret + r.new_len, true);
out:
	mm->world->acct.cur_op = OP_NONE;
	return ret;
}
