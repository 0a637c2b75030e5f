// SPDX-License-Identifier: GPL-2.0-only
/*
 * cowctx invariants (research/schemes.md §5, items 17-20):
 *  17 one context per live mm; the context tree is the fork tree;
 *     refcount = [mm alive] + #children + #folios referencing;
 *  18 every mm mapping a folio is in the subtree of the folio's context;
 *  19 each mapping sits at (index + page + off(v)) with off(v) == 0 or a
 *     remap entry for it; remap entries exist exactly for faulted moved
 *     VMAs, keyed by their current range;
 *  20 the walk reaches every mapping (fails under stop=poc after a
 *     parent's CoW: the §3.5 gap).
 * Tree-visit counters are restored so that checking costs nothing in the
 * reported numbers.
 */
#include <stdlib.h>

#include "core/pgtable.h"
#include "cowctx.h"

static int check_contexts(struct world *w, struct cowctx_world *cw,
			  struct errbuf *err)
{
	struct cow_context *ctx, *child, *up;
	struct mm_struct *mm;
	struct folio *folio;
	unsigned long live = 0, with_mm = 0, steps;
	long expect;

	list_for_each_entry(mm, &w->mms, mmlist) {
		ctx = mm_ctx(mm);
		if (!ctx)
			return errbuf_set(err, "cowctx: mm %lu (pid %ld) "
					  "has no context", mm->id, mm->owner);
		if (ctx->mm != mm)
			return errbuf_set(err, "cowctx: context of mm %lu "
					  "(pid %ld) belongs to another mm",
					  mm->id, mm->owner);
		live++;
	}

	list_for_each_entry(ctx, &cw->contexts, all)
		ctx->check_folios = 0;
	list_for_each_entry(folio, &w->folios, lru) {
		ctx = folio_ctx(folio);
		if (ctx)
			ctx->check_folios++;
	}

	list_for_each_entry(ctx, &cw->contexts, all) {
		if (ctx->mm) {
			with_mm++;
			if (mm_ctx(ctx->mm) != ctx)
				return errbuf_set(err, "cowctx: context %lu "
						  "points at mm %lu which has "
						  "another context", ctx->id,
						  ctx->mm->id);
		} else if (ctx->remap.root) {
			return errbuf_set(err, "cowctx: context %lu of an "
					  "exited mm still has remap entries",
					  ctx->id);
		}
		if (ctx->parent) {
			if (ctx->parent->id != ctx->parent_mm_id)
				return errbuf_set(err, "cowctx: context %lu "
						  "has parent %lu, forked "
						  "from mm %lu", ctx->id,
						  ctx->parent->id,
						  ctx->parent_mm_id);
			for (child = cowctx_first_child(ctx->parent); child;
			     child = cowctx_next_sibling(child))
				if (child == ctx)
					break;
			if (!child)
				return errbuf_set(err, "cowctx: context %lu is "
						  "missing from its parent's "
						  "children", ctx->id);
		}
		steps = 0;
		for (up = ctx->parent; up; up = up->parent)
			if (++steps > cw->nr_contexts)
				return errbuf_set(err, "cowctx: context %lu: "
						  "cycle in the context tree",
						  ctx->id);
		expect = (ctx->mm ? 1 : 0) + ctx->check_folios;
		for (child = cowctx_first_child(ctx); child;
		     child = cowctx_next_sibling(child)) {
			if (child->parent != ctx)
				return errbuf_set(err, "cowctx: context %lu "
						  "listed under %lu but its "
						  "parent is another",
						  child->id, ctx->id);
			expect++;
		}
		if (ctx->refcnt != expect)
			return errbuf_set(err, "cowctx: context %lu (pid %ld): "
					  "refcount %ld, expected %ld (mm %d + "
					  "children + %ld folios)", ctx->id,
					  ctx->owner, ctx->refcnt, expect,
					  ctx->mm ? 1 : 0, ctx->check_folios);
	}
	if (with_mm != live)
		return errbuf_set(err, "cowctx: %lu contexts with an mm, %lu "
				  "live mms", with_mm, live);
	return 0;
}

/* Remap entries exist exactly for faulted, moved, private VMAs. */
static int check_vma(struct cowctx_world *cw, struct mm_struct *mm,
		     struct vm_area_struct *vma, struct errbuf *err)
{
	struct cowctx_vma *cv = vma_cv(vma);
	unsigned long pgoff;
	long off;

	if (!vma->anon_vma) {
		if (cv)
			return errbuf_set(err, "cowctx: unfaulted VMA "
					  "%#lx-%#lx of mm %lu has rmap state",
					  vma->vm_start, vma->vm_end, mm->id);
		return 0;
	}
	if (vma->anon_vma != mm_ctx(mm) || !cv)
		return errbuf_set(err, "cowctx: faulted VMA %#lx-%#lx of mm "
				  "%lu is not tied to its mm's context",
				  vma->vm_start, vma->vm_end, mm->id);
	cv->check_gen = cw->check_gen;
	off = cowctx_vma_off(vma);
	if (!cowctx_vma_tracked(vma) || !off) {
		if (cv->ctx)
			return errbuf_set(err, "cowctx: VMA %#lx-%#lx of mm "
					  "%lu (offset 0) has a remap entry",
					  vma->vm_start, vma->vm_end, mm->id);
		return 0;
	}
	pgoff = cowctx_anon_pgoff(vma);
	if (cv->ctx != mm_ctx(mm) || cv->node.start != pgoff ||
	    cv->node.last != pgoff + vma_pages(vma) - 1 || cv->off != off)
		return errbuf_set(err, "cowctx: moved VMA %#lx-%#lx of mm %lu "
				  "(pgoff %#lx offset %ld) lacks its remap "
				  "entry", vma->vm_start, vma->vm_end, mm->id,
				  pgoff, off);
	return 0;
}

static bool in_subtree(struct cow_context *ctx, struct cow_context *root)
{
	for (; ctx; ctx = ctx->parent)
		if (ctx == root)
			return true;
	return false;
}

/* Items 18 and 19 for one present PTE. */
static int check_pte(struct mm_struct *mm, struct vm_area_struct *vma,
		     unsigned long addr, struct pte *pte, struct errbuf *err)
{
	struct folio *folio = pte->folio;
	struct cow_context *fctx = folio_ctx(folio);
	unsigned long want;

	if (!fctx)
		return errbuf_set(err, "cowctx: folio pfn %#lx mapped at %#lx "
				  "in mm %lu has no context", folio->pfn, addr,
				  mm->id);
	if (!in_subtree(mm_ctx(mm), fctx))
		return errbuf_set(err, "cowctx: mm %lu (pid %ld) maps folio "
				  "pfn %#lx at %#lx outside the subtree of its "
				  "context (mm %lu)", mm->id, mm->owner,
				  folio->pfn, addr, fctx->id);
	want = (folio->index + pte->idx + cowctx_vma_off(vma)) <<
		mm->page_shift;
	if (want != addr)
		return errbuf_set(err, "cowctx: folio pfn %#lx page %u mapped "
				  "at %#lx in mm %lu but index %#lx and VMA "
				  "offset %ld place it at %#lx", folio->pfn,
				  pte->idx, addr, mm->id, folio->index,
				  cowctx_vma_off(vma), want);
	return 0;
}

/* A remap entry must belong to a VMA check_vma() just saw. */
static int check_entry(struct cowctx_world *cw, struct cow_context *ctx,
		       struct itree_node *n, struct errbuf *err)
{
	struct cowctx_vma *cv = itree_entry(n, struct cowctx_vma, node);

	if (cv->check_gen == cw->check_gen && cv->ctx == ctx)
		return 0;
	return errbuf_set(err, "cowctx: context %lu has a stale remap entry "
			  "[%#lx, %#lx] -> %ld", ctx->id, n->start, n->last,
			  cv->off);
}

static int check_mms(struct world *w, struct cowctx_world *cw,
		     struct errbuf *err)
{
	struct cow_context *ctx;
	struct itree_node *n;
	struct mm_struct *mm;
	int ret = 0;

	cw->check_gen++;
	list_for_each_entry(mm, &w->mms, mmlist) {
		unsigned long visits = mm->mm_mt.visits;
		struct vm_area_struct *vma;

		for_each_vma(mm, vma) {
			unsigned long addr;
			struct pte *pte;

			ret = check_vma(cw, mm, vma, err);
			if (ret)
				break;
			for_each_present_pte(mm, pte, addr, vma->vm_start,
					     vma->vm_end) {
				ret = check_pte(mm, vma, addr, pte, err);
				if (ret)
					break;
			}
			if (ret)
				break;
		}
		mm->mm_mt.visits = visits;
		if (ret)
			return ret;
	}

	list_for_each_entry(ctx, &cw->contexts, all) {
		unsigned long visits = ctx->remap.visits;

		for (n = itree_min(&ctx->remap); n && !ret;
		     n = itree_succ(&ctx->remap, n))
			ret = check_entry(cw, ctx, n, err);
		ctx->remap.visits = visits;
		if (ret)
			return ret;
	}
	return 0;
}

struct found_rec {
	struct folio *folio;
	int found;
	struct vm_area_struct **cand;
	unsigned int nr, cap;
};

/* Count the folio's mappings in a candidate, as the core's verifier does. */
static bool record_one(struct folio *folio, struct vm_area_struct *vma,
		       unsigned long addr, void *arg)
{
	struct found_rec *rec = arg;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long i, a, pgoff = cowctx_anon_pgoff(vma);
	bool pmd = false;

	if (rec->nr == rec->cap) {
		rec->cap = rec->cap ? 2 * rec->cap : 16;
		rec->cand = realloc(rec->cand, rec->cap * sizeof(*rec->cand));
		if (!rec->cand)
			abort();
	}
	rec->cand[rec->nr++] = vma;
	for (i = 0; i < folio_nr_pages(folio); i++) {
		struct pte *pte;

		if (folio->index + i < pgoff)
			continue;
		a = vma->vm_start + ((folio->index + i - pgoff) <<
				     mm->page_shift);
		if (a >= vma->vm_end)
			break;
		pte = pte_lookup(mm, a);
		if (!pte || pte->folio != folio || pte->idx != i)
			continue;
		if (!pte->pmd || !pmd)
			rec->found++;
		pmd |= pte->pmd;
	}
	return true;
}

/* Name one mapping of @folio the walk did not hand out. */
static int report_miss(struct world *w, struct found_rec *rec,
		       struct errbuf *err)
{
	struct folio *folio = rec->folio;
	struct mm_struct *mm;

	list_for_each_entry(mm, &w->mms, mmlist) {
		unsigned long visits = mm->mm_mt.visits;
		struct vm_area_struct *vma;

		for_each_vma(mm, vma) {
			unsigned long addr;
			struct pte *pte;
			unsigned int i;

			for (i = 0; i < rec->nr; i++)
				if (rec->cand[i] == vma)
					break;
			if (i < rec->nr)
				continue;
			for_each_present_pte(mm, pte, addr, vma->vm_start,
					     vma->vm_end) {
				if (pte->folio != folio)
					continue;
				mm->mm_mt.visits = visits;
				return errbuf_set(err, "cowctx: walk of folio "
						  "pfn %#lx (context %lu, "
						  "index %#lx) missed pid %ld "
						  "addr %#lx (found %d of %d "
						  "mappings)", folio->pfn,
						  folio_ctx(folio)->id,
						  folio->index, mm_pid(mm),
						  addr, rec->found,
						  cowctx_folio_mapcount(folio));
			}
		}
		mm->mm_mt.visits = visits;
	}
	return errbuf_set(err, "cowctx: walk of folio pfn %#lx found %d of "
			  "%d mappings", folio->pfn, rec->found,
			  cowctx_folio_mapcount(folio));
}

static int check_walks(struct world *w, struct errbuf *err)
{
	struct folio *folio;
	int ret = 0;

	list_for_each_entry(folio, &w->folios, lru) {
		struct rmap_walk_control rwc = { .rmap_one = record_one };
		struct found_rec rec = { .folio = folio };
		int mapcount = cowctx_folio_mapcount(folio);

		if (mapcount <= 0 || !folio_ctx(folio))
			continue;
		rwc.arg = &rec;
		cowctx_rmap_walk_quiet(folio, &rwc);
		if (rec.found < mapcount)
			ret = report_miss(w, &rec, err);
		free(rec.cand);
		if (ret)
			return ret;
	}
	return 0;
}

int cowctx_check(struct world *w, struct errbuf *err)
{
	struct cowctx_world *cw = w->scheme_priv;
	int ret;

	ret = check_contexts(w, cw, err);
	if (!ret)
		ret = check_mms(w, cw, err);
	if (!ret)
		ret = check_walks(w, err);
	return ret;
}
