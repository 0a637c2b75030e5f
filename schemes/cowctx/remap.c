// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-context remap entries: for every faulted VMA whose offset
 * off(v) = (vm_start >> PAGE_SHIFT) - anon_pgoff(v) is not zero, an entry
 * [anon_pgoff, anon_pgoff + pages - 1] -> off in its mm's context.
 *
 * The PoC keeps these in a maple tree (remap_mt) whose ranges are split
 * where entries overlap, each range holding one offset inline or a sorted
 * array of offsets (add_new_remap(), find_and_unmap_existing(),
 * cow_context_vma_adjust(), cow_context_do_remap()).  Here each VMA's
 * entry is one node of an interval tree (core/itree.h) and overlapping
 * entries simply coexist; a lookup over a pgoff range returns the same
 * set of distinct offsets the PoC's split ranges would.  Because an entry
 * is always re-derived from its VMA's current bounds (remap_sync), split,
 * merge, expand, mremap, fork and unmap all reduce to "remove the old
 * entry, add the current one", which is what cow_context_vma_adjust()
 * and __cow_context_do_remap() do.
 */
#include <stdlib.h>
#include <string.h>

#include "cowctx.h"

static void remap_insert(struct cow_context *ctx, struct cowctx_vma *cv,
			 unsigned long pgoff, unsigned long last, long off)
{
	struct cowctx_world *cw = ctx->cw;
	struct world *w = cw->w;

	cv->node.start = pgoff;
	cv->node.last = last;
	cv->off = off;
	cv->ctx = ctx;
	/* store_new_remaps_entry(): mas_lock() around the store. */
	lock_count(&w->locks, &w->acct, cw->lk_remap_mt, true);
	itree_insert(&ctx->remap, &cv->node);
	acct_alloc(&w->acct, cw->cls_remap);
}

/* find_and_unmap_existing() / shrink_remaps(). */
void cowctx_remap_remove(struct cowctx_vma *cv)
{
	struct cow_context *ctx = cv->ctx;
	struct cowctx_world *cw;
	struct world *w;

	if (!ctx)
		return;
	cw = ctx->cw;
	w = cw->w;
	rmap_lock_write(&w->locks, &w->acct, &ctx->concurrent_unmap_lock);
	itree_remove(&ctx->remap, &cv->node);
	rmap_unlock_write(&w->locks, &ctx->concurrent_unmap_lock);
	lock_count(&w->locks, &w->acct, cw->lk_remap_mt, true);
	acct_free(&w->acct, cw->cls_remap);
	cv->ctx = NULL;
}

/*
 * Make @vma's entry match the VMA as it is now: none unless it is a
 * faulted private VMA whose offset is not zero (should_track_remap()).
 */
void cowctx_remap_sync(struct vm_area_struct *vma)
{
	struct cowctx_vma *cv = vma_cv(vma);
	struct cow_context *ctx;
	unsigned long pgoff, last;
	long off;

	if (!cv)
		return;
	ctx = vma->anon_vma ? mm_ctx(vma->vm_mm) : NULL;
	if (!ctx || vma->detached || !cowctx_vma_tracked(vma)) {
		cowctx_remap_remove(cv);
		return;
	}
	off = cowctx_vma_off(vma);
	if (!off) {
		cowctx_remap_remove(cv);
		return;
	}
	pgoff = cowctx_anon_pgoff(vma);
	last = pgoff + vma_pages(vma) - 1;
	if (cv->ctx == ctx && cv->node.start == pgoff &&
	    cv->node.last == last && cv->off == off)
		return;
	cowctx_remap_remove(cv);
	remap_insert(ctx, cv, pgoff, last, off);
}

/* Remove every entry of @ctx (its mm is going away). */
void cowctx_remap_drain(struct cow_context *ctx)
{
	while (ctx->remap.root) {
		struct cowctx_vma *cv = itree_entry(ctx->remap.root,
						    struct cowctx_vma, node);

		cowctx_remap_remove(cv);
	}
}

void cowctx_offs_init(struct cowctx_offs *o)
{
	o->v = o->stack;
	o->nr = 0;
	o->cap = COWCTX_OFFS_STACK;
}

void cowctx_offs_fini(struct cowctx_offs *o)
{
	if (o->v != o->stack)
		free(o->v);
	o->v = o->stack;
	o->nr = 0;
	o->cap = COWCTX_OFFS_STACK;
}

/* append_remap_offset(): sorted insert, duplicates dropped. */
static void offs_add(struct cowctx_offs *o, long off)
{
	unsigned int i;

	for (i = o->nr; i > 0 && o->v[i - 1] >= off; i--)
		if (o->v[i - 1] == off)
			return;
	if (o->nr == o->cap) {
		long *v = malloc(2 * o->cap * sizeof(*v));

		if (!v)
			abort();
		memcpy(v, o->v, o->nr * sizeof(*v));
		if (o->v != o->stack)
			free(o->v);
		o->v = v;
		o->cap *= 2;
	}
	memmove(&o->v[i + 1], &o->v[i], (o->nr - i) * sizeof(*o->v));
	o->v[i] = off;
	o->nr++;
}

void cowctx_remap_offsets(struct cow_context *ctx, unsigned long pgoff,
			  unsigned long last, struct cowctx_offs *o)
{
	struct itree_node *n;

	for (n = itree_first(&ctx->remap, pgoff, last); n;
	     n = itree_next(&ctx->remap, n, pgoff, last))
		offs_add(o, itree_entry(n, struct cowctx_vma, node)->off);
}
