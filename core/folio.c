// SPDX-License-Identifier: GPL-2.0-only
/* Folios and their mapcounts; see folio.h. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "pgtable.h"
#include "vma.h"

/*
 * An order-0 folio takes two cache lines, aligned, so that the fields
 * fork and zap touch for each page (mm.h: lru to pages[0]) share one.
 * The cache spaces them three lines apart: two apart, those lines would
 * all fall in one half of the L1 cache's sets (fork and zap of the fork
 * tree missed L1 1.5 times as often).
 */
#define FOLIO_LINE	64
#define FOLIO0_SIZE	(2 * FOLIO_LINE)
#define FOLIO0_STRIDE	(3 * FOLIO_LINE)

_Static_assert(offsetof(struct folio, lru) >= FOLIO_LINE &&
	       offsetof(struct folio, pages) + sizeof(struct page) <=
	       FOLIO0_SIZE, "an order-0 folio's hot fields span two lines");

void folio_cache_init(struct kmem_cache *c)
{
	kmem_cache_init(c, FOLIO0_STRIDE, FOLIO_LINE);
}

static struct folio *__folio_alloc(struct world *w, unsigned int order,
				   unsigned long pfn)
{
	unsigned long nr = 1UL << order;
	struct folio *folio;

	/* A slab of its own for small folios, as the page allocator's pcp. */
	if (!order)
		folio = kmem_cache_zalloc(&w->folio_cache);
	else
		folio = calloc(1, sizeof(*folio) + nr * sizeof(struct page));
	if (!folio)
		abort();
	folio->order = order;
	folio->world = w;
	folio->pfn = pfn;
	list_add_tail(&folio->lru, &w->folios);
	w->nr_folios++;
	acct_alloc(&w->acct, w->cls_folio);
	return folio;
}

struct folio *folio_alloc(struct world *w, unsigned int order)
{
	unsigned long pfn = w->next_pfn;

	w->next_pfn += 1UL << order;
	return __folio_alloc(w, order, pfn);
}

static void folio_free(struct world *w, struct folio *folio)
{
	if (w->scheme->folio_free)
		w->scheme->folio_free(folio);
	list_del(&folio->lru);
	w->nr_folios--;
	acct_free(&w->acct, w->cls_folio);
	if (!folio->order)
		kmem_cache_free(&w->folio_cache, folio);
	else
		free(folio);
}

/*
 * folio_add_return_large_mapcount(): the first two mms to map a large
 * folio get a slot each; a mapping by any other mm, or by a second one
 * while the first still maps it, marks the folio maybe-mapped-shared.
 */
void large_mapcount_add(struct folio *folio, struct mm_struct *mm, int diff)
{
	int total = folio->refcount;	/* after the caller's update */

	if (!folio->order)
		return;
	if (folio->mm_id[0] == mm) {
		folio->mm_id_mapcount[0] += diff;
	} else if (folio->mm_id[1] == mm) {
		folio->mm_id_mapcount[1] += diff;
	} else if (!folio->mm_id[0]) {
		folio->mm_id[0] = mm;
		folio->mm_id_mapcount[0] = diff;
		if (total != diff)
			folio->maybe_mapped_shared = true;
	} else if (!folio->mm_id[1]) {
		folio->mm_id[1] = mm;
		folio->mm_id_mapcount[1] = diff;
		folio->maybe_mapped_shared = true;
	}
}

/*
 * folio_sub_return_large_mapcount(): a slot is released when its mm no
 * longer maps the folio; whenever one slot then owns every mapping, the
 * folio is exclusive again.
 */
void large_mapcount_sub(struct folio *folio, struct mm_struct *mm, int diff)
{
	int total = folio->refcount;	/* after the caller's update */
	int i;

	if (!folio->order)
		return;
	for (i = 0; i < 2; i++) {
		if (folio->mm_id[i] != mm)
			continue;
		folio->mm_id_mapcount[i] -= diff;
		if (folio->mm_id_mapcount[i] > 0)
			return;
		folio->mm_id_mapcount[i] = 0;
		folio->mm_id[i] = NULL;
		break;
	}
	if (folio->mm_id_mapcount[0] == total ||
	    folio->mm_id_mapcount[1] == total)
		folio->maybe_mapped_shared = false;
}

int folio_mapcount(const struct folio *folio)
{
	unsigned long i;
	int n = folio->entire_mapcount;

	for (i = 0; i < folio_nr_pages(folio); i++)
		n += folio->pages[i].mapcount;
	return n;
}

bool folio_maybe_mapped_shared(const struct folio *folio)
{
	if (!folio->order)
		return folio->pages[0].mapcount > 1;
	return folio->maybe_mapped_shared;
}

void __folio_put(struct folio *folio)
{
	folio_free(folio->world, folio);
}

void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long addr, bool pmd)
{
	__folio_add_new_anon_rmap(folio, vma, addr, pmd, true);
}

void __folio_add_new_anon_rmap(struct folio *folio,
			       struct vm_area_struct *vma, unsigned long addr,
			       bool pmd, bool exclusive)
{
	unsigned long i, nr = folio_nr_pages(folio);

	for (i = 0; i < nr; i++) {
		folio->pages[i].anon_exclusive = exclusive;
		if (!pmd)
			folio->pages[i].mapcount = 1;
	}
	if (pmd)
		folio->entire_mapcount = 1;
	folio->refcount = pmd ? 1 : (int)nr;
	if (folio->order) {
		folio->mm_id[0] = vma->vm_mm;
		folio->mm_id_mapcount[0] = folio->refcount;
	}
	vma->vm_mm->anon_pages += nr;
	vma->vm_mm->world->scheme->folio_add_new_anon(folio, vma, addr,
						      exclusive);
}

void folio_add_anon_rmap_pte(struct folio *folio, unsigned int idx,
			     struct vm_area_struct *vma, unsigned long addr,
			     bool exclusive)
{
	const struct rmap_scheme *s = vma->vm_mm->world->scheme;

	folio->pages[idx].mapcount++;
	if (exclusive)
		folio->pages[idx].anon_exclusive = true;
	folio->refcount++;
	large_mapcount_add(folio, vma->vm_mm, 1);
	vma->vm_mm->anon_pages++;
	if (s->folio_add_anon)
		s->folio_add_anon(folio, vma, addr, exclusive);
}

void folio_add_anon_rmap_pmd(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long addr, bool exclusive)
{
	const struct rmap_scheme *s = vma->vm_mm->world->scheme;
	unsigned long i, nr = folio_nr_pages(folio);

	for (i = 0; exclusive && i < nr; i++)
		folio->pages[i].anon_exclusive = true;
	folio->entire_mapcount++;
	folio->refcount++;
	large_mapcount_add(folio, vma->vm_mm, 1);
	vma->vm_mm->anon_pages += nr;
	if (s->folio_add_anon)
		s->folio_add_anon(folio, vma, addr, exclusive);
}

void folio_dup_rmap_pmd(struct folio *folio, struct mm_struct *mm)
{
	unsigned long i, nr = folio_nr_pages(folio);

	for (i = 0; i < nr; i++)
		folio->pages[i].anon_exclusive = false;
	folio->entire_mapcount++;
	folio->refcount++;
	large_mapcount_add(folio, mm, 1);
	mm->anon_pages += nr;
}

void folio_remove_rmap_pmd(struct folio *folio, struct mm_struct *mm)
{
	folio->entire_mapcount--;
	folio->refcount--;
	large_mapcount_sub(folio, mm, 1);
	mm->anon_pages -= folio_nr_pages(folio);
	folio_put(folio);
}

void folio_split_pmd_rmap(struct folio *folio, struct mm_struct *mm)
{
	unsigned long i, nr = folio_nr_pages(folio);

	for (i = 0; i < nr; i++)
		folio->pages[i].mapcount++;
	folio->refcount += nr;
	large_mapcount_add(folio, mm, nr);
	folio->entire_mapcount--;
	folio->refcount--;
	large_mapcount_sub(folio, mm, 1);
}

void folio_split(struct folio *folio, struct mm_struct *mm)
{
	struct world *w = mm->world;
	unsigned long i, nr = folio_nr_pages(folio), addr, pfn = folio->pfn;
	struct folio **parts, *part;
	struct pte *pte;

	if (!folio->order)
		return;
	parts = calloc(nr, sizeof(*parts));
	if (!parts)
		abort();
	parts[0] = folio;
	for (i = 1; i < nr; i++) {
		part = __folio_alloc(w, 0, folio->pfn + i);
		part->mapping = folio->mapping;
		part->index = folio->index + i;
		part->rmap_priv = folio->rmap_priv;
		part->pages[0] = folio->pages[i];
		part->refcount = part->pages[0].mapcount;
		if (w->scheme->folio_split)
			w->scheme->folio_split(folio, part);
		parts[i] = part;
	}
	for_each_present_pte(mm, pte, addr, 0, ~0UL) {
		if (pte->folio != folio)
			continue;
		pte->folio = parts[pte->idx];
		pte->idx = 0;
		pte->pmd = 0;
	}
	folio->order = 0;
	folio->refcount = folio->pages[0].mapcount;
	folio->entire_mapcount = 0;
	folio->mm_id[0] = folio->mm_id[1] = NULL;
	folio->maybe_mapped_shared = false;
	/* Pages unmapped before the split are freed with it. */
	for (i = 0; i < nr; i++)
		if (!parts[i]->refcount)
			folio_free(w, parts[i]);

	/*
	 * Zero-filled pages go back to the shared zero page, except in a
	 * locked VMA (try_to_map_unused_to_zeropage()), since 6.12 ("mm:
	 * remap unused subpages to shared zeropage when splitting isolated
	 * thp"); before, every page stayed mapped.  Any part, @folio
	 * included, may be freed here: compare pfns only.
	 */
	for_each_present_pte(mm, pte, addr, 0, ~0UL) {
		if (!kernel_at_least(w, 6, 12))
			break;
		if (pte->folio->pfn < pfn || pte->folio->pfn >= pfn + nr ||
		    pte->folio->pages[0].written)
			continue;
		if (vma_lookup(mm, addr)->vm_flags & VM_LOCKED)
			continue;
		part = pte->folio;
		pte_clear(pte);
		folio_remove_rmap_pte(part, 0, mm);
	}
	free(parts);
}
