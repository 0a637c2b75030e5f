// SPDX-License-Identifier: GPL-2.0-only
/* Walk verification and the brute-force oracle; see oracle.h. */
#include <stdlib.h>

#include "oracle.h"
#include "pgtable.h"
#include "rmap_use.h"
#include "vma.h"

void rmap_hits_free(struct rmap_hits *h)
{
	free(h->v);
	h->v = NULL;
	h->nr = h->cap = 0;
}

void rmap_hits_push(struct rmap_hits *h, const struct rmap_hit *hit)
{
	if (h->nr == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 64;
		h->v = realloc(h->v, h->cap * sizeof(*h->v));
		if (!h->v)
			abort();
	}
	h->v[h->nr++] = *hit;
}

int rmap_hit_cmp(const struct rmap_hit *a, const struct rmap_hit *b)
{
	if (a->folio->pfn != b->folio->pfn)
		return a->folio->pfn < b->folio->pfn ? -1 : 1;
	if (a->idx != b->idx)
		return a->idx < b->idx ? -1 : 1;
	if (a->mm->id != b->mm->id)
		return a->mm->id < b->mm->id ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	return rmap_hit_cmp(a, b);
}

size_t rmap_hits_sort(struct rmap_hits *h)
{
	size_t i, n = 0;

	if (h->nr < 2)
		return h->nr;
	qsort(h->v, h->nr, sizeof(*h->v), hit_cmp);
	for (i = 0; i < h->nr; i++)
		if (!n || rmap_hit_cmp(&h->v[n - 1], &h->v[i]))
			h->v[n++] = h->v[i];
	h->nr = n;
	return n;
}

struct verify {
	struct rmap_hits *out;
	struct rmap_walk_control *rwc;
};

/*
 * page_vma_mapped_walk() in miniature: look for PTEs of @vma that map a
 * page of @folio in the folio's window starting at @addr.
 */
static bool verify_one(struct folio *folio, struct vm_area_struct *vma,
		       unsigned long addr, void *arg)
{
	struct verify *v = arg;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long psz = page_size(mm), nr = folio_nr_pages(folio);
	unsigned long end = addr + nr * psz, a;
	struct rmap_hit hit;
	bool found = false;
	struct pte *pte;

	v->rwc->candidates++;
	if (addr < vma->vm_start)
		addr = vma->vm_start;
	if (end > vma->vm_end || end < addr)
		end = vma->vm_end;
	for_each_present_pte(mm, pte, a, addr, end) {
		if (pte->folio != folio)
			continue;
		hit.folio = folio;
		hit.idx = pte->idx;
		hit.mm = mm;
		hit.addr = a;
		rmap_hits_push(v->out, &hit);
		found = true;
	}
	if (!found)
		v->rwc->misses++;
	return true;
}

void rmap_walk_verified(struct world *w, struct folio *folio,
			struct rmap_hits *out, struct rmap_walk_control *rwc)
{
	struct verify v = { .out = out, .rwc = rwc };

	rwc->rmap_one = verify_one;
	rwc->arg = &v;
	rmap_walk_accounted(w, folio, rwc);
}

void oracle_scan(struct world *w, struct rmap_hits *out)
{
	struct mm_struct *mm;
	struct rmap_hit hit;
	unsigned long addr;
	struct pte *pte;

	list_for_each_entry(mm, &w->mms, mmlist) {
		for_each_present_pte(mm, pte, addr, 0, ~0UL) {
			hit.folio = pte->folio;
			hit.idx = pte->idx;
			hit.mm = mm;
			hit.addr = addr;
			rmap_hits_push(out, &hit);
			if (addr + page_size(mm) < addr)
				break;
		}
	}
}

/*
 * Does @pte map @folio?  During remove_migration_ptes() a migration entry
 * of the folio being migrated counts for the folio that replaces it.
 */
static bool oracle_maps(struct world *w, const struct pte *pte,
			const struct folio *folio)
{
	if (pte->folio)
		return pte->folio == folio;
	return is_migration_pte(pte) && folio == w->migration_target &&
		w->nr_migrating &&
		w->migrating[swp_offset(pte)] == w->migrating[w->nr_migrating - 1];
}

void oracle_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	struct world *w = folio->world;
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long addr, base;
	struct pte *pte;

	list_for_each_entry(mm, &w->mms, mmlist) {
		for_each_vma(mm, vma) {
			rwc->nodes++;
			for_each_pte_entry(mm, pte, addr, vma->vm_start,
					   vma->vm_end) {
				if (!oracle_maps(w, pte, folio))
					continue;
				base = addr - ((unsigned long)pte->idx <<
					       mm->page_shift);
				if (base < vma->vm_start || base > addr)
					base = vma->vm_start;
				if (!rwc->rmap_one(folio, vma, base, rwc->arg))
					return;
				break;
			}
		}
	}
}
