// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap entries, the swap cache, reclaim, MADV_PAGEOUT and swap-in; see
 * swap.h.  Large folios are not swapped by the model: reclaim and
 * pageout say so (unsupported) and leave them mapped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "oracle.h"
#include "pgtable.h"
#include "rmap_use.h"
#include "vma.h"

/* ---- swap slots (mm/swapfile.c) ----------------------------------- */

static unsigned long swap_slot_alloc(struct world *w)
{
	struct swap_device *sd = &w->swap;
	unsigned long off = sd->hint ? sd->hint : 1;

	for (; off < sd->nr; off++)
		if (!sd->slots[off].used)
			break;
	if (off >= sd->nr) {
		if (sd->nr + 2 > sd->cap) {
			sd->cap = sd->cap ? 2 * sd->cap : 64;
			sd->slots = realloc(sd->slots,
					    sd->cap * sizeof(*sd->slots));
			if (!sd->slots)
				abort();
		}
		if (!sd->nr)
			memset(&sd->slots[sd->nr++], 0, sizeof(*sd->slots));
		off = sd->nr++;
	}
	memset(&sd->slots[off], 0, sizeof(*sd->slots));
	sd->slots[off].used = true;
	sd->hint = off + 1;
	sd->inuse++;
	return off;
}

static struct swap_slot *swap_slot(struct world *w, unsigned long off)
{
	return &w->swap.slots[off];
}

/* A slot goes back when no entry and no swap-cache folio name it. */
static void swap_slot_put(struct world *w, unsigned long off)
{
	struct swap_slot *slot = swap_slot(w, off);

	if (slot->count || slot->cache)
		return;
	slot->used = false;
	w->swap.inuse--;
	if (off < w->swap.hint)
		w->swap.hint = off;
}

/* add_to_swap(): a slot for @folio, which enters the swap cache. */
static void add_to_swap(struct folio *folio)
{
	struct world *w = folio->world;
	unsigned long off;

	if (folio->swap)
		return;
	off = swap_slot_alloc(w);
	swap_slot(w, off)->cache = folio;
	folio->swap = off;
	folio->dirty = true;
}

bool folio_free_swap(struct folio *folio)
{
	struct world *w = folio->world;
	unsigned long off = folio->swap;

	/* folio_swapped(): an entry still names the slot. */
	if (!off || swap_slot(w, off)->count)
		return false;
	swap_slot(w, off)->cache = NULL;
	folio->swap = 0;
	swap_slot_put(w, off);
	/* its only copy is in memory now */
	folio->dirty = true;
	return true;
}

void free_swap_cache(struct folio *folio)
{
	if (folio->refcount || !folio_free_swap(folio))
		return;
	folio_put(folio);
}

/*
 * __remove_mapping() of a swap-cache folio nothing maps: reclaim frees
 * it once its writeback is done; the slot stays while entries name it.
 */
static void swap_cache_reclaim(struct folio *folio)
{
	struct world *w = folio->world;
	unsigned long off = folio->swap;

	swap_slot(w, off)->cache = NULL;
	folio->swap = 0;
	swap_slot_put(w, off);
	folio_put(folio);
}

void copy_nonpresent_pte(struct mm_struct *dst_mm, struct pte *dst,
			 struct pte *src)
{
	struct world *w = dst_mm->world;

	if (is_swap_pte(src)) {
		/* swap_duplicate(); both lose pte_swp_exclusive(). */
		swap_slot(w, swp_offset(src))->count++;
		src->swp &= ~PTE_SWP_EXCLUSIVE;
	}
	/* Migration entries never outlive the migrate event. */
	*dst = *src;
}

void zap_nonpresent_pte(struct mm_struct *mm, struct pte *pte)
{
	struct world *w = mm->world;
	unsigned long off = swp_offset(pte);
	struct swap_slot *slot;

	if (!is_swap_pte(pte))
		return;
	memset(pte, 0, sizeof(*pte));
	/* free_swap_and_cache_nr() */
	slot = swap_slot(w, off);
	slot->count--;
	if (slot->count)
		return;
	/* __try_to_reclaim_swap(TTRS_UNMAPPED): only an unmapped folio. */
	if (slot->cache && !slot->cache->refcount)
		swap_cache_reclaim(slot->cache);
	else
		swap_slot_put(w, off);
}

void zap_swap_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	unsigned long addr;
	struct pte *pte;

	for_each_pte_entry(mm, pte, addr, start, end)
		if (is_swap_pte(pte))
			zap_nonpresent_pte(mm, pte);
}

/* ---- reclaim (mm/vmscan.c, mm/rmap.c) ----------------------------- */

struct unmap_arg {
	unsigned long found;
	unsigned long referenced;
};

/* folio_referenced_one(): count the mappings, change nothing. */
static bool folio_referenced_one(struct folio *folio,
				 struct vm_area_struct *vma,
				 unsigned long addr, void *arg)
{
	struct unmap_arg *u = arg;
	unsigned long start, end, a;
	struct pte *pte;

	pvmw_range(folio, vma, addr, &start, &end);
	for_each_present_pte(vma->vm_mm, pte, a, start, end)
		if (pte->folio == folio)
			u->referenced++;
	return true;
}

/*
 * try_to_unmap_one(): each PTE of @vma mapping @folio becomes a swap
 * entry of its slot, exclusive when the page was PageAnonExclusive.
 */
static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long addr, void *arg)
{
	struct unmap_arg *u = arg;
	unsigned long n = unmap_to_entries(folio, vma, addr, PTE_SWP_SWAP,
					   folio->swap);

	/* swap_duplicate() for each entry */
	swap_slot(folio->world, folio->swap)->count += n;
	u->found += n;
	return true;
}

/* Is @folio mapped in a VMA with any of @flags? */
static bool folio_mapped_with(struct world *w, struct folio *folio,
			      unsigned long flags)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long addr;
	struct pte *pte;

	list_for_each_entry(mm, &w->mms, mmlist)
		for_each_vma(mm, vma) {
			if (!(vma->vm_flags & flags))
				continue;
			for_each_present_pte(mm, pte, addr, vma->vm_start,
					     vma->vm_end)
				if (pte->folio == folio)
					return true;
		}
	return false;
}

/* Mapped in a VM_LOCKED VMA: unevictable. */
static bool folio_mlocked(struct world *w, struct folio *folio)
{
	return folio_mapped_with(w, folio, VM_LOCKED);
}

/*
 * A folio of a MAP_DROPPABLE mapping is not swap-backed
 * (folio_add_new_anon_rmap()): reclaim drops it, dirty or not.
 */
static bool folio_droppable(struct world *w, struct folio *folio)
{
	return folio_mapped_with(w, folio, VM_DROPPABLE);
}

/* try_to_unmap_one() of a folio that is not swap-backed: discard. */
static bool discard_one(struct folio *folio, struct vm_area_struct *vma,
			unsigned long addr, void *arg)
{
	struct unmap_arg *u = arg;
	unsigned long start, end, a;
	struct pte *pte;

	pvmw_range(folio, vma, addr, &start, &end);
	for_each_present_pte(vma->vm_mm, pte, a, start, end) {
		unsigned int idx = pte->idx;

		if (pte->folio != folio)
			continue;
		pte_clear(pte);
		folio_remove_rmap_pte(folio, idx, vma->vm_mm);
		u->found++;
	}
	return true;
}

/*
 * shrink_folio_list() for one anon folio: folio_referenced() (unless
 * MADV_PAGEOUT ignores references), add_to_swap(), try_to_unmap(); a
 * folio still mapped afterwards stays, in the swap cache, as in the
 * kernel.  Writeback keeps the unmapped folio in the swap cache until a
 * later reclaim pass.
 */
static void shrink_folio(struct world *w, struct folio *folio,
			 bool ignore_references)
{
	char where[256];
	struct unmap_arg u = { 0 };
	int want = folio_mapcount(folio);
	unsigned long pfn = folio->pfn;

	if (!ignore_references) {
		rmap_use_walk(w, folio, folio_referenced_one, &u, false);
		rmap_use_account(w, RMAP_USE_AGING, want, u.referenced,
				 "folio_referenced() of folio pfn 0x%lx by %s "
				 "counted %lu of its %d mappings (mapped at %s)",
				 pfn, w->scheme->name, u.referenced, want,
				 u.referenced < (unsigned long)want ?
				 folio_where(w, folio, false, where,
					     sizeof(where)) : "");
	}
	if (folio->lazyfree && folio->redirtied) {
		/*
		 * try_to_unmap_one() finds the lazyfree folio dirty again:
		 * it puts the PTE back, folio_set_swapbacked(), and the
		 * walk aborts; the folio stays, swap-backed.
		 */
		folio->lazyfree = folio->redirtied = false;
		return;
	}
	if (folio->lazyfree && want > 1) {
		/*
		 * Whether each PTE is clean decides, mapping by mapping in
		 * walk order (dirty ones abort the walk); the model has no
		 * PTE dirty bits.
		 */
		world_unsupported(w, "reclaim of a lazyfree folio mapped "
				  "more than once");
		return;
	}
	if (folio_droppable(w, folio) || folio->lazyfree) {
		/*
		 * Not swap-backed (MAP_DROPPABLE, or clean lazyfree): the
		 * lazyfree path of try_to_unmap_one() discards it.
		 */
		/* the walk may free the folio: keep it until the count */
		folio->pinned++;
		rmap_use_walk(w, folio, discard_one, &u, false);
		folio->pinned--;
		rmap_use_account(w, RMAP_USE_UNMAP, want, u.found,
				 "try_to_unmap() of droppable or lazyfree folio "
				 "pfn 0x%lx by %s dropped %lu of its %d "
				 "mappings: it stays mapped at %s", pfn,
				 w->scheme->name, u.found, want,
				 u.found < (unsigned long)want ?
				 folio_where(w, folio, false, where,
					     sizeof(where)) : "");
		folio_put(folio);
		return;
	}
	add_to_swap(folio);
	rmap_use_walk(w, folio, try_to_unmap_one, &u, false);
	rmap_use_account(w, RMAP_USE_UNMAP, want, u.found,
			 "try_to_unmap() of folio pfn 0x%lx by %s unmapped "
			 "%lu of its %d mappings: it stays mapped at %s",
			 pfn, w->scheme->name, u.found, want,
			 u.found < (unsigned long)want ?
			 folio_where(w, folio, false, where, sizeof(where)) :
			 "");
}

int reclaim_folio(struct world *w, struct folio *folio)
{
	if (folio->order) {
		world_unsupported(w, "reclaim of a large folio");
		return -1;
	}
	shrink_folio(w, folio, false);
	return 0;
}

void folio_vec_add(struct folio_vec *fv, struct folio *folio)
{
	size_t i;

	for (i = 0; i < fv->nr; i++)
		if (fv->v[i] == folio)
			return;
	if (fv->nr == fv->cap) {
		fv->cap = fv->cap ? 2 * fv->cap : 16;
		fv->v = realloc(fv->v, fv->cap * sizeof(*fv->v));
		if (!fv->v)
			abort();
	}
	fv->v[fv->nr++] = folio;
}

long sys_reclaim(struct task *t, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = t->mm;
	struct world *w = mm->world;
	unsigned long psz = page_size(mm), start, end, a;
	struct folio_vec fv = { 0 };
	struct vm_area_struct *vma;
	struct folio *folio, *tmp;
	struct pte *pte;
	size_t i;

	start = addr & ~(psz - 1);
	end = (addr + len + psz - 1) & ~(psz - 1);
	if (end < start)
		return -EINVAL;
	/* An earlier pass's writeback is done: drop those folios first. */
	list_for_each_entry_safe(folio, tmp, &w->folios, lru)
		if (folio->swap && !folio->refcount)
			swap_cache_reclaim(folio);
	for (vma = vma_first_overlap(mm, start, end); vma;
	     vma = vma_next_overlap(mm, vma, start, end)) {
		for_each_present_pte(mm, pte, a, start < vma->vm_start ?
				     vma->vm_start : start,
				     end > vma->vm_end ? vma->vm_end : end)
			folio_vec_add(&fv, pte->folio);
	}
	for (i = 0; i < fv.nr; i++) {
		folio = fv.v[i];
		if (folio->order) {
			world_unsupported(w, "reclaim of a large folio");
			continue;
		}
		if (folio_mlocked(w, folio))
			continue;
		shrink_folio(w, folio, false);
	}
	free(fv.v);
	return 0;
}

/*
 * madvise_free_pte_range(): each folio mapped in [start, end) becomes
 * lazyfree (folio_mark_lazyfree()), except a dirty or swap-cache one that
 * is mapped more than once, or whose slot an entry still names.
 */
void madvise_free_lazy(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long a;
	struct pte *pte;

	for_each_present_pte(mm, pte, a, start, end) {
		struct folio *folio = pte->folio;

		if (folio->swap || folio->dirty) {
			/* folio_mapcount() == nr pages: mapped once */
			if ((unsigned long)folio_mapcount(folio) !=
			    folio_nr_pages(folio))
				continue;
			if (folio->swap && !folio_free_swap(folio))
				continue;
			folio->dirty = false;
		}
		folio->lazyfree = true;
		folio->redirtied = false;
	}
}

void folio_redirty(struct folio *folio)
{
	if (folio->lazyfree)
		folio->redirtied = true;
}

/*
 * madvise_cold_or_pageout_pte_range() with pageout: only folios mapped
 * once (folio_mapcount() == nr pages) are isolated, then reclaim_pages()
 * shrinks them ignoring references.
 */
void madvise_pageout_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct world *w = mm->world;
	struct folio_vec fv = { 0 };
	unsigned long a;
	struct pte *pte;
	size_t i;

	for_each_present_pte(mm, pte, a, start, end) {
		struct folio *folio = pte->folio;

		if (folio->order) {
			world_unsupported(w, "madvise MADV_PAGEOUT of a "
					  "large folio");
			continue;
		}
		if (folio_mapcount(folio) != 1)
			continue;
		folio_vec_add(&fv, folio);
	}
	for (i = 0; i < fv.nr; i++)
		shrink_folio(w, fv.v[i], true);
	free(fv.v);
}

/* ---- swap-in (mm/memory.c) ---------------------------------------- */

/*
 * The folio just mapped must be reachable by the scheme's walk from every
 * mapping it has: the swap-in user's check.
 */
static void swapin_walk_back(struct world *w, struct folio *folio)
{
	struct rmap_walk_control rwc;
	struct rmap_hits hits = { 0 };
	int want = folio_mapcount(folio);
	size_t got;
	char where[256];

	memset(&rwc, 0, sizeof(rwc));
	rmap_walk_verified(w, folio, &hits, &rwc);
	got = rmap_hits_sort(&hits);
	rmap_use_account(w, RMAP_USE_SWAPIN, want, got,
			 "%s's walk of folio pfn 0x%lx, just swapped in, finds "
			 "%zu of its %d mappings (mapped at %s)",
			 w->scheme->name, folio->pfn, got, want,
			 got < (size_t)want ?
			 folio_where(w, folio, false, where, sizeof(where)) :
			 "");
	rmap_hits_free(&hits);
}

void do_swap_page(struct vm_area_struct *vma, unsigned long addr,
		  struct pte *pte, bool write)
{
	struct mm_struct *mm = vma->vm_mm;
	struct world *w = mm->world;
	unsigned long off = swp_offset(pte);
	bool exclusive = pte->swp & PTE_SWP_EXCLUSIVE;
	struct swap_slot *slot = swap_slot(w, off);
	struct folio *folio = slot->cache;

	if (!folio) {
		/* swapin_readahead(): a new folio, in the swap cache. */
		folio = folio_alloc(w, 0);
		folio->pages[0].written = true;
		folio->swap = off;
		slot = swap_slot(w, off);
		slot->cache = folio;
	}
	/* swap_free_nr(), should_try_to_free_swap(), folio_free_swap() */
	slot->count--;
	if ((vma->vm_flags & VM_LOCKED) || (write && !folio->refcount))
		folio_free_swap(folio);
	memset(pte, 0, sizeof(*pte));
	pte->folio = folio;
	/*
	 * A folio that is not anon yet (read from swap) gets
	 * folio_add_new_anon_rmap(), not exclusive when the entry was not;
	 * one still anon from before (swap-cache hit) is mapped again.
	 */
	if (!folio->mapping)
		__folio_add_new_anon_rmap(folio, vma, addr, false, exclusive);
	else
		folio_add_anon_rmap_pte(folio, 0, vma, addr, exclusive);
	swapin_walk_back(w, folio);
	/* A write on a shared entry goes on to do_wp_page(). */
	if (write && !exclusive)
		do_wp_page(vma, addr, pte);
}

/* ---- accounting ----------------------------------------------------- */

int swap_check(struct world *w, char *buf, size_t len)
{
	struct swap_device *sd = &w->swap;
	unsigned long off, addr, *count;
	struct folio *folio;
	struct mm_struct *mm;
	struct pte *pte;
	int ret = 0;

	/* Nothing was ever swapped or migrated: nothing to audit. */
	if (!sd->nr && !w->cap_migrating)
		return 0;
	count = calloc(sd->nr + 1, sizeof(*count));
	if (!count)
		abort();
	list_for_each_entry(mm, &w->mms, mmlist) {
		for_each_pte_entry(mm, pte, addr, 0, ~0UL) {
			if (is_migration_pte(pte)) {
				snprintf(buf, len, "a migration entry is left "
					 "at %ld:0x%lx", mm_pid(mm), addr);
				ret = -1;
				goto out;
			}
			if (is_swap_pte(pte)) {
				off = swp_offset(pte);
				if (off >= sd->nr || !sd->slots[off].used) {
					snprintf(buf, len, "the swap entry at "
						 "%ld:0x%lx names free slot "
						 "%lu", mm_pid(mm), addr, off);
					ret = -1;
					goto out;
				}
				count[off]++;
			}
			if (addr + page_size(mm) < addr)
				break;
		}
	}
	for (off = 1; off < sd->nr; off++) {
		struct swap_slot *slot = &sd->slots[off];

		if (!slot->used)
			continue;
		if ((unsigned long)slot->count != count[off]) {
			snprintf(buf, len, "swap slot %lu has count %d but %lu "
				 "swap entries name it", off, slot->count,
				 count[off]);
			ret = -1;
			goto out;
		}
		if (!slot->count && !slot->cache) {
			snprintf(buf, len, "swap slot %lu is allocated but "
				 "nothing uses it", off);
			ret = -1;
			goto out;
		}
		if (slot->cache && slot->cache->swap != off) {
			snprintf(buf, len, "swap slot %lu names folio pfn "
				 "0x%lx, which is not its swap-cache folio",
				 off, slot->cache->pfn);
			ret = -1;
			goto out;
		}
	}
	list_for_each_entry(folio, &w->folios, lru) {
		if (!folio->swap)
			continue;
		off = folio->swap;
		if (off >= sd->nr || sd->slots[off].cache != folio) {
			snprintf(buf, len, "folio pfn 0x%lx is in the swap "
				 "cache at slot %lu, which does not name it",
				 folio->pfn, off);
			ret = -1;
			goto out;
		}
	}
out:
	free(count);
	return ret;
}

void swap_fini(struct world *w)
{
	struct folio *folio, *tmp;

	list_for_each_entry_safe(folio, tmp, &w->folios, lru)
		if (folio->swap && !folio->refcount)
			swap_cache_reclaim(folio);
	free(w->swap.slots);
	memset(&w->swap, 0, sizeof(w->swap));
	free(w->migrating);
	w->migrating = NULL;
	w->nr_migrating = w->cap_migrating = 0;
}
