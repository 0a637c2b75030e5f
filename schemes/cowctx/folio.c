// SPDX-License-Identifier: GPL-2.0-only
/*
 * Folio side of cowctx: a folio records (context, anon pgoff) and holds a
 * reference on its context, as __folio_set_anon() and
 * folio_move_anon_rmap() of the PoC's mm/rmap.c do.
 */
#include "cowctx.h"

/* folio_ctx=field: the PoC's separate per-folio pointer comes and goes. */
static void folio_field_account(struct world *w, bool set)
{
	struct cowctx_world *cw = w->scheme_priv;

	if (!cw->p.folio_field)
		return;
	if (set)
		acct_alloc(&w->acct, cw->cls_folio_ref);
	else
		acct_free(&w->acct, cw->cls_folio_ref);
}

/* __folio_set_anon(): the faulting mm's context; fault or CoW copy. */
void cowctx_folio_add_new_anon(struct folio *folio,
			       struct vm_area_struct *vma,
			       unsigned long addr, bool exclusive)
{
	struct cow_context *ctx = mm_ctx(vma->vm_mm);
	struct cow_context *old = folio_ctx(folio);

	if (ctx)
		cowctx_get(ctx);
	if (ctx && !old)
		folio_field_account(vma->vm_mm->world, true);
	folio->mapping = (unsigned long)ctx | COWCTX_MAPPING_ANON;
	/* linear_anon_page_index() */
	folio->index = cowctx_anon_pgoff(vma) +
		((addr - vma->vm_start) >> vma->vm_mm->page_shift);
	if (old)
		cowctx_put(old);
}

/* Fork copies PTEs: the folio stays where it is; no per-folio work. */
void cowctx_folio_dup_anon(struct folio *folio, struct vm_area_struct *dst,
			   struct vm_area_struct *src)
{
}

/*
 * folio_move_anon_rmap(): a CoW reuse makes the folio exclusive to the
 * reusing mm, so it moves to that mm's context ("exclusive folios are
 * moved to the correct CoW context level"); the index stays valid since
 * the reusing VMA has the same anon pgoff or a remap entry for it.
 */
void cowctx_folio_move_anon(struct folio *folio, struct vm_area_struct *vma)
{
	struct cow_context *ctx = mm_ctx(vma->vm_mm);
	struct cow_context *old = folio_ctx(folio);

	if (!ctx || old == ctx)
		return;
	cowctx_get(ctx);
	folio->mapping = (unsigned long)ctx | COWCTX_MAPPING_ANON;
	if (old)
		cowctx_put(old);
}

/* mremap moves PTEs; (context, index) stay valid through the remap entry. */
void cowctx_folio_moved(struct folio *folio, struct vm_area_struct *old,
			struct vm_area_struct *new_vma)
{
}

void cowctx_folio_free(struct folio *folio)
{
	struct cow_context *ctx = folio_ctx(folio);

	folio->mapping = 0;
	if (ctx) {
		folio_field_account(folio->world, false);
		cowctx_put(ctx);
	}
}

/* folio_mapcount(): PTE mappings of every page plus PMD mappings. */
int cowctx_folio_mapcount(const struct folio *folio)
{
	unsigned long i, nr = folio_nr_pages(folio);
	int mapcount = folio->entire_mapcount;

	for (i = 0; i < nr; i++)
		mapcount += folio->pages[i].mapcount;
	return mapcount;
}

/* folio_maybe_mapped_shared() of include/linux/mm.h. */
bool cowctx_folio_maybe_mapped_shared(const struct folio *folio)
{
	int mapcount = cowctx_folio_mapcount(folio);

	if (!folio->order)
		return mapcount > 1;
	if (mapcount <= 1)
		return false;
	if (folio->maybe_mapped_shared)
		return true;
	return folio->mm_id[0] && folio->mm_id[1];
}

/* __folio_split(): each order-0 piece keeps the context, with a reference. */
void cowctx_folio_split(struct folio *folio, struct folio *new)
{
	struct cow_context *ctx = folio_ctx(new);

	if (ctx) {
		folio_field_account(folio->world, true);
		cowctx_get(ctx);
	}
}
