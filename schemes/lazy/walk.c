// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmap_walk_anon() with ANON_VMA_LAZY (patch 09, "mm: implement
 * ANON_VMA_LAZY rmap semantics"): a regular folio walks its anon_vma as
 * classic does; a lazy one computes its address from the root,
 *
 *	vma_address(vma, pgoff, 1) = vma_mapping_base(root) + pgoff * PAGE_SIZE
 *
 * (wangtao, 2606.0/05023 and the correction that follows it), and finds
 * the VMAs there in the root's mm VMA tree, taking no anon_vma lock.  A
 * walk that saw the mapping change (an upgrade raced with it) goes round
 * again, as the commit message of patch 13 says and the posted patch
 * forgot.
 */
#include "core/world.h"
#include "lazy.h"

/*
 * walk=range: every VMA of the root's family over the folio's range, so a
 * large folio split between VMAs is found in each piece.
 */
static void walk_range(struct lazy_state *ls, struct vm_area_struct *root,
		       struct folio *folio, struct rmap_walk_control *rwc)
{
	struct mm_struct *mm = root->vm_mm;
	unsigned long nr = folio_nr_pages(folio);
	unsigned long start = vma_mapping_base(root) +
		(folio->index << mm->page_shift);
	unsigned long end = start + (nr << mm->page_shift);
	struct vm_area_struct *vma;

	if (end < start)
		end = ~0UL;
	for (vma = vma_first_overlap(mm, start, end); vma;
	     vma = vma_next_overlap(mm, vma, start, end)) {
		unsigned long addr;

		if (lazy_root_of(vma) != root)
			continue;
		addr = vma_address(vma, folio->index, nr);
		if (addr == ~0UL)
			continue;
		if (!rwc->rmap_one(folio, vma, addr, rwc->arg))
			return;
	}
}

/*
 * walk=point: the series' own reading, "once folio_address is obtained,
 * the VMA can be found through mm_mt" and "ANON_VMA_LAZY has only one
 * VMA" (wangtao, 2606.0/05958 and 06.03): one lookup at the folio's first
 * page.
 */
static void walk_point(struct lazy_state *ls, struct vm_area_struct *root,
		       struct folio *folio, struct rmap_walk_control *rwc)
{
	struct mm_struct *mm = root->vm_mm;
	unsigned long addr = vma_mapping_base(root) +
		(folio->index << mm->page_shift);
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma || lazy_root_of(vma) != root)
		return;
	rwc->rmap_one(folio, vma, addr, rwc->arg);
}

static void walk_lazy(struct lazy_state *ls, struct vm_area_struct *root,
		      struct folio *folio, struct rmap_walk_control *rwc)
{
	struct world *w = ls->w;
	struct lazy_vma *r = lazy_vma_of(root);
	struct mm_struct *mm = root->vm_mm;
	unsigned long visits;

	if (!r) {
		lazy_note_violation(ls, "walk: folio pfn %lx names VMA %lu, which is no root",
				    folio->pfn, root->id);
		return;
	}
	/*
	 * The family became a regular anon_vma but fork did not copy this
	 * folio's PTEs (VM_DONTCOPY, VM_WIPEONFORK siblings): the anon_vma
	 * links every VMA that can map it.
	 */
	if (r->upgraded && ls->p.redirect) {
		ls->st.redirects++;
		classic_rmap_walk_anon_vma(&ls->cs, r->upgraded, folio, rwc);
		return;
	}

	/* folio_get_anon_rmap(): pin the root VMA, no lock. */
	lock_count(&w->locks, &w->acct, ls->lock_ref, false);
	rwc->contexts++;
	visits = mm->mm_mt.visits;
	if (ls->p.walk == LAZY_WALK_POINT)
		walk_point(ls, root, folio, rwc);
	else
		walk_range(ls, root, folio, rwc);
	rwc->nodes += mm->mm_mt.visits - visits;
}

void lazy_rmap_walk(struct lazy_state *ls, struct folio *folio,
		    struct rmap_walk_control *rwc)
{
	unsigned long mapping;
	int tries = 0;

	/*
	 * An unmapped folio's rmap identity may be gone: leave it, unless
	 * migration pinned it (folio_trylock_get_anon_rmap(), patch 12).
	 */
	if (!classic_folio_mapped(folio) && !rwc->pinned)
		return;
	ls->st.walks++;
again:
	mapping = folio->mapping;
	if ((mapping & FOLIO_MAPPING_FLAGS) == FOLIO_MAPPING_ANON)
		classic_rmap_walk(&ls->cs, folio, rwc);
	else if ((mapping & FOLIO_MAPPING_FLAGS) == LAZY_TAG)
		walk_lazy(ls, folio_lazy_root(folio), folio, rwc);
	if (rwc->contended)
		return;
	/* Lazy only ever becomes regular; rmap_one() is idempotent. */
	if (folio->mapping != mapping && !tries++) {
		rwc->retries++;
		ls->st.retries++;
		goto again;
	}
}
