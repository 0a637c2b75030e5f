/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ground truth and verification of rmap walks.
 *
 * rmap_walk_verified() runs the world's scheme walk on a folio and checks
 * every candidate VMA against the page table, as rmap_one() callers do
 * with page_vma_mapped_walk(): a hit is a PTE of that VMA mapping a page
 * of the folio.  oracle_scan() is the brute force: every present PTE of
 * every mm, which is what "who maps this folio" means.
 */
#ifndef RMAPLAB_CORE_ORACLE_H
#define RMAPLAB_CORE_ORACLE_H

#include "world.h"

struct rmap_hit {
	struct folio *folio;
	unsigned int idx;		/* page within the folio */
	struct mm_struct *mm;
	unsigned long addr;
};

struct rmap_hits {
	struct rmap_hit *v;
	size_t nr, cap;
};

void rmap_hits_free(struct rmap_hits *h);
void rmap_hits_push(struct rmap_hits *h, const struct rmap_hit *hit);
/* Order by (folio pfn, page, mm, addr): <0, 0, >0. */
int rmap_hit_cmp(const struct rmap_hit *a, const struct rmap_hit *b);
/* Sort in that order and drop duplicates. */
size_t rmap_hits_sort(struct rmap_hits *h);

/*
 * Walk @folio with the scheme; verified hits are appended to @out.  The
 * cost counters accumulate in @rwc (zero it first).
 */
void rmap_walk_verified(struct world *w, struct folio *folio,
			struct rmap_hits *out, struct rmap_walk_control *rwc);

/* Every present anon PTE of every mm, appended to @out. */
void oracle_scan(struct world *w, struct rmap_hits *out);

/*
 * The brute-force walk, usable as a scheme's rmap_walk: every VMA of every
 * mm with a PTE mapping @folio is a candidate.
 */
void oracle_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc);

#endif /* RMAPLAB_CORE_ORACLE_H */
