/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Folio life and mapcounts, modelled on mm/rmap.c and include/linux/rmap.h:
 * per-page mapcount and PageAnonExclusive, entire_mapcount for PMD
 * mappings, and the MM_ID tracking by which a large folio knows whether it
 * may be mapped by more than one mm.
 */
#ifndef RMAPLAB_CORE_FOLIO_H
#define RMAPLAB_CORE_FOLIO_H

#include "mm.h"
#include "slab.h"

struct folio *folio_alloc(struct world *w, unsigned int order);
/* The world's cache of order-0 folios. */
void folio_cache_init(struct kmem_cache *c);

/* folio_add_new_anon_rmap(): a fresh exclusive folio, all pages mapped. */
void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long addr, bool pmd);
/*
 * The same with the exclusivity do_swap_page() decided: a folio read from
 * swap that may be shared is not exclusive (and mainline files it under
 * the anon_vma root).
 */
void __folio_add_new_anon_rmap(struct folio *folio,
			       struct vm_area_struct *vma, unsigned long addr,
			       bool pmd, bool exclusive);
/*
 * folio_add_anon_rmap_pte() / _pmd(): map page @idx (all pages) of an
 * anon folio again: swap-cache hit, remove_migration_pte().
 */
void folio_add_anon_rmap_pte(struct folio *folio, unsigned int idx,
			     struct vm_area_struct *vma, unsigned long addr,
			     bool exclusive);
void folio_add_anon_rmap_pmd(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long addr, bool exclusive);
/*
 * The PTE-level helpers below are inline: fork and exit call them for
 * every page they copy or zap.
 */
void __folio_put(struct folio *folio);
/* MM_ID tracking of a large folio, after its refcount has changed. */
void large_mapcount_add(struct folio *folio, struct mm_struct *mm, int diff);
void large_mapcount_sub(struct folio *folio, struct mm_struct *mm, int diff);

/*
 * folio_put() of the last reference: free a folio nothing maps unless
 * the swap cache still holds it.
 */
static inline void folio_put(struct folio *folio)
{
	if (!folio->refcount && !folio->swap && !folio->pinned)
		__folio_put(folio);
}

/*
 * The per-page part of folio_dup_rmap_pte() for an order-0 folio; the
 * caller adds the mapping to its mm's anon_pages (fork: once per range).
 */
static inline void folio_dup_rmap_pte_small(struct folio *folio,
					    unsigned int idx)
{
	folio->pages[idx].anon_exclusive = false;
	folio->pages[idx].mapcount++;
	folio->refcount++;
}

/* One more PTE (or PMD) mapping in @mm: fork's duplication. */
static inline void folio_dup_rmap_pte(struct folio *folio, unsigned int idx,
				      struct mm_struct *mm)
{
	folio_dup_rmap_pte_small(folio, idx);
	if (folio->order)
		large_mapcount_add(folio, mm, 1);
	mm->anon_pages++;
}

void folio_dup_rmap_pmd(struct folio *folio, struct mm_struct *mm);

/*
 * The per-page part of folio_remove_rmap_pte() for an order-0 folio; the
 * caller takes the mapping off its mm's anon_pages (zap: once per range).
 */
static inline void folio_remove_rmap_pte_small(struct folio *folio,
					       unsigned int idx)
{
	folio->pages[idx].mapcount--;
	folio->refcount--;
	folio_put(folio);
}

/* A mapping goes; the folio is freed with its last mapping. */
static inline void folio_remove_rmap_pte(struct folio *folio,
					 unsigned int idx,
					 struct mm_struct *mm)
{
	folio->pages[idx].mapcount--;
	folio->refcount--;
	if (folio->order)
		large_mapcount_sub(folio, mm, 1);
	mm->anon_pages--;
	folio_put(folio);
}

void folio_remove_rmap_pmd(struct folio *folio, struct mm_struct *mm);
/* __split_huge_pmd_locked(): a PMD mapping becomes nr PTE mappings. */
void folio_split_pmd_rmap(struct folio *folio, struct mm_struct *mm);

/*
 * __folio_split() to order 0: every page becomes its own folio (same pfn,
 * mapping, index + i), and the page tables of @mm are rewritten.  Pages
 * that were never written are then mapped to the shared zero page instead
 * (remap_page() with RMP_USE_SHARED_ZEROPAGE), i.e. unmapped here.
 */
void folio_split(struct folio *folio, struct mm_struct *mm);

/* folio_mapcount(): PTE mappings of every page plus PMD mappings. */
int folio_mapcount(const struct folio *folio);

/* folio_maybe_mapped_shared() */
bool folio_maybe_mapped_shared(const struct folio *folio);

#endif /* RMAPLAB_CORE_FOLIO_H */
