/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Page tables of the model: a radix tree of 512-entry tables, like the
 * hardware's, so that lookups cost what a walk costs and empty ranges are
 * skipped a table at a time.
 */
#ifndef RMAPLAB_CORE_PGTABLE_H
#define RMAPLAB_CORE_PGTABLE_H

#include "mm.h"

/*
 * The tables of freed mms, kept zeroed for the world's next ones (one per
 * world: no locking).
 */
struct pgtable_cache;

struct pgtable_cache *pgtable_cache_new(void);
void pgtable_cache_free(struct pgtable_cache *cache);

struct pgtable *pgtable_new(struct pgtable_cache *cache,
			    unsigned int page_shift);
/* Its tables go back to its cache. */
void pgtable_free(struct pgtable *pt);
/*
 * The same when every entry has been cleared (pte_clear()): exit_mmap()
 * after zapping every VMA.  Nothing is cleared again; ASan builds check.
 */
void pgtable_free_cleared(struct pgtable *pt);

/*
 * First present PTE at or after *addr and below @end, or NULL; *addr is
 * set to its address.
 */
struct pte *pte_next_present(struct mm_struct *mm, unsigned long *addr,
			     unsigned long end);

/* The same, also stopping at a non-present entry (guard, swap, migration). */
struct pte *pte_next_entry(struct mm_struct *mm, unsigned long *addr,
			   unsigned long end);
/*
 * Is there one of our PTE tables at or after *addr (rounded down to the
 * table's span) and below @end?  *addr is set to the start of its span:
 * 512 pages, a PMD range on 4 KiB pages, part of one above (a
 * quarter on 16 KiB).  Cost follows the tables that exist, not the length
 * of the range.
 */
bool pte_table_next(struct mm_struct *mm, unsigned long *addr,
		    unsigned long end);

/*
 * Runs of entries one PTE table at a time, for loops over every entry of
 * a range (fork, zap) that would otherwise look each one up: the entries
 * from *addr (moved up to the first PTE table at or after it) to @end or
 * the table's end, whichever comes first; *nr is set to their number.
 * NULL when no table maps anything in [*addr, @end).  Writes through a
 * run may only clear entries: entries are set through pte_alloc() or
 * pte_alloc_run().
 */
struct pte *pte_run(struct mm_struct *mm, unsigned long *addr,
		    unsigned long end, unsigned long *nr);
/* @nr entries from @addr, all in one PTE table, allocated if need be. */
struct pte *pte_alloc_run(struct mm_struct *mm, unsigned long addr,
			  unsigned long nr);

#define for_each_pte_run(mm, run, nr, addr, start, end)			\
	for (addr = (start);						\
	     (run = pte_run(mm, &addr, end, &nr)) != NULL;		\
	     addr += nr << (mm)->page_shift)

/* Is there a PTE table for the PMD range containing @addr? */
bool pte_table_present(struct mm_struct *mm, unsigned long addr);
/* Free the (empty) PTE table of the PMD range containing @addr. */
void pte_table_free(struct mm_struct *mm, unsigned long addr);

/*
 * pte_clear(): the entry maps nothing now.  Cleared whole, so that a
 * table whose entries have all been cleared goes back to the cache as it
 * came (pgtable_free_cleared()).
 */
static inline void pte_clear(struct pte *pte)
{
	*pte = (struct pte){ 0 };
}

static inline bool pte_present(const struct pte *pte)
{
	return pte && pte->folio;
}

/* The loops end when the next address wraps past the top of memory. */
#define for_each_present_pte(mm, pte, addr, start, end)			\
	for (addr = (start);						\
	     (pte = pte_next_present(mm, &addr, end)) != NULL;		\
	     addr += page_size(mm))

#define for_each_pte_entry(mm, pte, addr, start, end)			\
	for (addr = (start);						\
	     (pte = pte_next_entry(mm, &addr, end)) != NULL;		\
	     addr += page_size(mm))

#endif /* RMAPLAB_CORE_PGTABLE_H */
