/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Non-present PTEs and the rmap's users, modelled on Linux 6.18:
 *
 *  - swap entries (include/linux/swapops.h) naming a slot of one swap
 *    device, with the slot's count of entries (si->swap_map) that fork
 *    duplicates (swap_duplicate()) and zap frees (free_swap_and_cache_nr());
 *  - the swap cache (mm/swap_state.c): a folio with folio->swap set, alive
 *    while its slot is allocated even when nothing maps it;
 *  - reclaim (mm/vmscan.c shrink_folio_list(): folio_referenced() for
 *    aging, add_to_swap(), try_to_unmap()), MADV_PAGEOUT
 *    (madvise_cold_or_pageout_pte_range(), reclaim_pages()), swap-in
 *    (mm/memory.c do_swap_page());
 *  - migration entries and migration (mm/migrate.c migrate_pages():
 *    try_to_migrate(), __folio_migrate_mapping(), remove_migration_ptes()).
 *
 * Every walk these users make goes through the world's scheme, and each
 * is compared with what the page tables hold: the kernel's answer when a
 * walk misses a mapping is kept (the folio stays mapped, the migration
 * fails), and the miss is recorded in world->rmap_use for the checker.
 */
#ifndef RMAPLAB_CORE_SWAP_H
#define RMAPLAB_CORE_SWAP_H

#include <stdbool.h>
#include <stddef.h>

#include "mm.h"

struct task;

/*
 * pte->swp: the kind of a non-present entry, its exclusive bit, and its
 * offset (the swap slot, or the index in world->migrating).
 */
#define PTE_SWP_SWAP		(1U << 30)	/* swap entry */
#define PTE_SWP_MIGRATION	(2U << 30)	/* migration entry of page idx */
#define PTE_SWP_KIND		(3U << 30)
#define PTE_SWP_EXCLUSIVE	(1U << 29)	/* pte_swp_exclusive() */
#define PTE_SWP_OFFSET		((1U << 29) - 1)

static inline unsigned int swp_offset(const struct pte *pte)
{
	return pte->swp & PTE_SWP_OFFSET;
}

static inline unsigned int mk_swp(unsigned int kind, unsigned long off,
				  bool exclusive)
{
	return kind | (exclusive ? PTE_SWP_EXCLUSIVE : 0) |
		(unsigned int)(off & PTE_SWP_OFFSET);
}

static inline bool pte_none(const struct pte *pte)
{
	return !pte || (!pte->folio && !pte->swp);
}

static inline bool is_swap_pte(const struct pte *pte)
{
	return pte && !pte->folio && (pte->swp & PTE_SWP_KIND) == PTE_SWP_SWAP;
}

static inline bool is_migration_pte(const struct pte *pte)
{
	return pte && !pte->folio &&
		(pte->swp & PTE_SWP_KIND) == PTE_SWP_MIGRATION;
}

/* One slot of the model's swap device (si->swap_map[offset]). */
struct swap_slot {
	int count;			/* swap entries naming this slot */
	struct folio *cache;		/* SWAP_HAS_CACHE: its folio */
	bool used;
};

struct swap_device {
	struct swap_slot *slots;	/* offset 0 is never handed out */
	unsigned long nr, cap;
	unsigned long inuse;		/* slots allocated */
	unsigned long hint;		/* lowest offset that may be free */
};

/* The rmap's users whose walks the model makes and checks. */
enum rmap_use {
	RMAP_USE_AGING,			/* folio_referenced() */
	RMAP_USE_UNMAP,			/* try_to_unmap() */
	RMAP_USE_SWAPIN,		/* a swapped-in folio walked back */
	RMAP_USE_MIGRATE,		/* try_to_migrate() + remove_migration_ptes() */
	RMAP_USE_NR,
};

struct rmap_use_stats {
	unsigned long walks;		/* walks made for this user */
	unsigned long mappings;		/* mappings they had to find */
	unsigned long misses;		/* mappings they did not find */
};

const char *rmap_use_name(enum rmap_use use);

/* Distinct folios, in the order met: the folios a range operation acts on. */
struct folio_vec {
	struct folio **v;
	size_t nr, cap;
};

void folio_vec_add(struct folio_vec *fv, struct folio *folio);

/*
 * `PID reclaim ADDR LEN`: reclaim every anon folio mapped in the range
 * of @t's mm, wherever else it is mapped (shrink_folio_list() on them).
 * `PID migrate ADDR LEN`: move_pages() of the range's anon folios to new
 * frames.  Both return 0, or -ENOMEM when the range is not all mapped.
 */
long sys_reclaim(struct task *t, unsigned long addr, unsigned long len);
long sys_migrate(struct task *t, unsigned long addr, unsigned long len);

/*
 * shrink_folio_list() of @folio alone, wherever it is mapped: the reclaim
 * the kernel did on its own that a checkpoint revealed.  0, or -1 when
 * the model cannot swap it (a large folio: world_unsupported()).
 */
int reclaim_folio(struct world *w, struct folio *folio);

/* madvise(MADV_PAGEOUT) on [start, end) of @vma: exclusive folios only. */
void madvise_pageout_range(struct vm_area_struct *vma, unsigned long start,
			   unsigned long end);

/* do_swap_page(): a fault on the swap entry @pte of @vma at @addr. */
void do_swap_page(struct vm_area_struct *vma, unsigned long addr,
		  struct pte *pte, bool write);

/* copy_nonpresent_pte(): fork copies the swap entry @src into @dst. */
void copy_nonpresent_pte(struct mm_struct *dst_mm, struct pte *dst,
			 struct pte *src);

/* zap_nonpresent_ptes(): free the swap entry @pte (free_swap_and_cache). */
void zap_nonpresent_pte(struct mm_struct *mm, struct pte *pte);

/* MADV_FREE: the folios of [start, end) become lazyfree (see swap.c). */
void madvise_free_lazy(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end);
/* A write landed on @folio: a lazyfree one is dirty again. */
void folio_redirty(struct folio *folio);

/* MADV_FREE: the swap entries of [start, end) go, cheaper than swap-in. */
void zap_swap_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end);

/*
 * folio_free_swap(): drop @folio from the swap cache if no swap entry
 * names its slot any more; true if it left.  free_swap_cache(): the same
 * for a folio that nothing maps, which is then freed.
 */
bool folio_free_swap(struct folio *folio);
void free_swap_cache(struct folio *folio);

/*
 * Every slot's count equals the swap entries naming it, every swap-cache
 * folio and slot point at each other, no entry names a free slot, and no
 * migration entry is left.  0, or -1 with one line in @buf.
 */
int swap_check(struct world *w, char *buf, size_t len);

void swap_fini(struct world *w);

#endif /* RMAPLAB_CORE_SWAP_H */
