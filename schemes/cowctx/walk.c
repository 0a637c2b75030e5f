// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rmap walk, cow_context_walk() of the PoC: under the RCU read side,
 * visit the folio's context, then its descendants depth first, children
 * before their parent (traverse_contexts()).  In each context whose mm is
 * alive, look the mm's VMA tree up at the folio's pages shifted by offset
 * 0 and by every remap offset covering the folio (walk_context(),
 * walk_context_remap()), and hand every VMA with that offset to rmap_one.
 *
 * When to stop early is the parameter that matters:
 *  - stop=poc: the PoC's shortcut.  After offset 0 of a context, if the
 *    folio is not maybe-mapped-shared, the whole walk ends.  After a
 *    parent's CoW copy the old folio stays in the parent's context but is
 *    mapped only by the child: exclusive, nothing at offset 0 in the
 *    parent, the walk ends and misses the child (research/schemes.md
 *    §3.5).  It also skips the remap offsets of the context it stops in.
 *  - stop=found (default): end once the candidates seen so far hold every
 *    mapping the folio has (folio_mapcount()), as folio_referenced_one()
 *    ends the walk when its mapcount reaches zero.  For a small exclusive
 *    folio that is "stop once the mapping was actually found".
 *  - stop=never: always the whole subtree.
 */
#include <urcu/urcu-memb.h>

#include "cowctx.h"

struct walk_state {
	struct folio *folio;
	struct rmap_walk_control *rwc;
	enum cowctx_stop stop;
	bool quiet;
	unsigned long nr;
	int total;			/* folio_mapcount() when we started */
	int found;			/* mappings in candidates so far */
	struct cowctx_offs offs;
};

/*
 * How many of the folio's mappings @vma holds (page_vma_mapped_walk()'s
 * answer, counted the way folio_mapcount() counts: a PMD mapping once).
 */
static int count_mapped(struct walk_state *ws, struct vm_area_struct *vma,
			unsigned long base)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int shift = mm->page_shift;
	unsigned long first = vma->vm_start >> shift;
	unsigned long end = vma->vm_end >> shift;
	unsigned long i = first > base ? first - base : 0;
	bool pmd = false;
	int n = 0;

	for (; i < ws->nr && base + i < end; i++) {
		struct pte *pte = pte_lookup(mm, (base + i) << shift);

		if (!pte || pte->folio != ws->folio || pte->idx != i)
			continue;
		if (!pte->pmd)
			n++;
		else if (!pmd)
			n++;
		pmd |= pte->pmd;
	}
	return n;
}

/* walk_context_remap(): the VMAs of @mm at offset @off.  false: stop. */
static bool walk_offset(struct walk_state *ws, struct mm_struct *mm, long off)
{
	struct folio *folio = ws->folio;
	unsigned int shift = mm->page_shift;
	unsigned long base = folio->index + (unsigned long)off;
	unsigned long start = base << shift;
	unsigned long end = (base + ws->nr) << shift;
	struct vm_area_struct *vma;

	for (vma = vma_first_overlap(mm, start, end); vma;
	     vma = vma_next_overlap(mm, vma, start, end)) {
		if (cowctx_vma_off(vma) != off)
			continue;
		if (ws->stop == COWCTX_STOP_FOUND)
			ws->found += count_mapped(ws, vma, base);
		if (!ws->rwc->rmap_one(folio, vma,
				       vma->vm_start > start ? vma->vm_start :
				       start, ws->rwc->arg))
			return false;
		if (ws->stop == COWCTX_STOP_FOUND && ws->found >= ws->total)
			return false;
	}
	return true;
}

/* walk_context(): false ends the whole walk. */
static bool walk_context(struct walk_state *ws, struct cow_context *ctx)
{
	struct mm_struct *mm = CMM_LOAD_SHARED(ctx->mm);
	unsigned long mm_visits, remap_visits, pgoff = ws->folio->index;
	bool was_exclusive, ret = true;
	unsigned int i;

	ws->rwc->contexts++;
	if (!mm)
		return true;
	mm_visits = mm->mm_mt.visits;
	remap_visits = ctx->remap.visits;

	was_exclusive = !cowctx_folio_maybe_mapped_shared(ws->folio);
	if (!walk_offset(ws, mm, 0)) {
		ret = false;
		goto out;
	}
	if (ws->stop == COWCTX_STOP_POC && was_exclusive &&
	    !cowctx_folio_maybe_mapped_shared(ws->folio)) {
		ret = false;
		goto out;
	}

	ws->offs.nr = 0;
	cowctx_remap_offsets(ctx, pgoff, pgoff + ws->nr - 1, &ws->offs);
	for (i = 0; i < ws->offs.nr; i++) {
		if (!walk_offset(ws, mm, ws->offs.v[i])) {
			ret = false;
			break;
		}
	}
out:
	ws->rwc->nodes += (mm->mm_mt.visits - mm_visits) +
		(ctx->remap.visits - remap_visits);
	if (ws->quiet) {
		mm->mm_mt.visits = mm_visits;
		ctx->remap.visits = remap_visits;
	}
	return ret;
}

/* traverse_contexts(): @root first, then its subtree, children first. */
static void traverse(struct walk_state *ws, struct cow_context *root)
{
	struct cow_context *curr = root, *next;
	bool ascended = false;

	if (!walk_context(ws, root))
		return;
	for (;;) {
		if (!ascended) {
			next = cowctx_first_child(curr);
			if (next) {
				curr = next;
				continue;
			}
		}
		if (curr == root || !walk_context(ws, curr))
			break;
		next = cowctx_next_sibling(curr);
		ascended = !next;
		curr = next ? next : curr->parent;
	}
}

static void walk(struct folio *folio, struct rmap_walk_control *rwc,
		 bool quiet)
{
	struct cow_context *ctx = folio_ctx(folio);
	struct walk_state ws = {
		.folio = folio,
		.rwc = rwc,
		.quiet = quiet,
		.nr = folio_nr_pages(folio),
	};
	struct cowctx_world *cw;
	struct world *w;

	if (!ctx)
		return;
	cw = ctx->cw;
	w = cw->w;
	ws.stop = cw->p.stop;
	/*
	 * remove_migration_ptes() walks a folio nothing maps yet: the
	 * mapcount cannot end the walk (pinned=whole, a reconstruction).
	 * The PoC's own shortcut has no such case and stays.
	 */
	if (rwc->pinned && ws.stop == COWCTX_STOP_FOUND &&
	    !cw->p.pinned_stop)
		ws.stop = COWCTX_STOP_NEVER;
	ws.total = cowctx_folio_mapcount(folio);
	/* Nothing maps it: there is nothing to find. */
	if (ws.stop == COWCTX_STOP_FOUND && ws.total <= 0)
		return;
	cowctx_offs_init(&ws.offs);

	cowctx_rcu_read_lock();
	if (!quiet) {
		lock_count(&w->locks, &w->acct, cw->lk_rcu, false);
		rwc->locks++;
	}
	traverse(&ws, ctx);
	cowctx_rcu_read_unlock();

	cowctx_offs_fini(&ws.offs);
}

void cowctx_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	walk(folio, rwc, false);
}

void cowctx_rmap_walk_quiet(struct folio *folio,
			    struct rmap_walk_control *rwc)
{
	walk(folio, rwc, true);
}
