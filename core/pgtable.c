// SPDX-License-Identifier: GPL-2.0-only
/* Radix page tables; see pgtable.h. */
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"

#define PT_BITS		9
#define PT_ENTRIES	(1UL << PT_BITS)
#define VA_BITS		48		/* 4 levels; a 5th is added on demand */

struct pgtable {
	void *root;
	int levels;
	unsigned int page_shift;
	/* The last PTE table walked to, and the address range it maps. */
	struct pte *leaf;
	unsigned long leaf_base;
	/*
	 * Every table ever allocated, freed together with the mm; PTE
	 * tables free_pgtables() took out wait in @spare for reuse.
	 */
	void **tables, **spare;
	size_t nr_tables, cap_tables, nr_spare, cap_spare;
};

static void push(void ***v, size_t *nr, size_t *cap, void *p)
{
	if (*nr == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			abort();
	}
	(*v)[(*nr)++] = p;
}

static void *alloc_table(struct pgtable *pt, bool leaf)
{
	size_t size = PT_ENTRIES * (leaf ? sizeof(struct pte) :
				    sizeof(void *));
	void *t;

	if (leaf && pt->nr_spare) {
		t = pt->spare[--pt->nr_spare];
		memset(t, 0, size);
		return t;
	}
	t = calloc(1, size);
	if (!t)
		abort();
	push(&pt->tables, &pt->nr_tables, &pt->cap_tables, t);
	return t;
}

struct pgtable *pgtable_new(unsigned int page_shift)
{
	struct pgtable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		abort();
	pt->page_shift = page_shift;
	pt->levels = (VA_BITS - page_shift + PT_BITS - 1) / PT_BITS;
	return pt;
}

void pgtable_free(struct pgtable *pt)
{
	size_t i;

	if (!pt)
		return;
	for (i = 0; i < pt->nr_tables; i++)
		free(pt->tables[i]);
	free(pt->tables);
	free(pt->spare);
	free(pt);
}

static inline unsigned long level_index(const struct pgtable *pt,
					unsigned long addr, int level)
{
	return (addr >> (pt->page_shift + (level - 1) * PT_BITS)) &
		(PT_ENTRIES - 1);
}

/* Is @addr above what the table's levels map? */
static inline bool beyond(const struct pgtable *pt, unsigned long addr)
{
	unsigned int bits = pt->page_shift + pt->levels * PT_BITS;

	return bits < 64 && (addr >> bits);
}

static struct pte *walk(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	struct pgtable *pt = mm->pgd;
	unsigned long base = addr >> (pt->page_shift + PT_BITS);
	void **slot = &pt->root;
	int level;

	if (pt->leaf && pt->leaf_base == base)
		return &pt->leaf[level_index(pt, addr, 1)];
	/* Beyond what the levels cover (la57, 52-bit arm64): grow on top. */
	while (beyond(pt, addr)) {
		void **top;

		if (!alloc)
			return NULL;
		top = alloc_table(pt, false);
		top[0] = pt->root;
		pt->root = top;
		pt->levels++;
	}

	for (level = pt->levels; level >= 1; level--) {
		if (!*slot) {
			if (!alloc)
				return NULL;
			*slot = alloc_table(pt, level == 1);
		}
		if (level == 1)
			break;
		slot = &((void **)*slot)[level_index(pt, addr, level)];
	}
	pt->leaf = *slot;
	pt->leaf_base = base;
	return &((struct pte *)*slot)[level_index(pt, addr, 1)];
}

struct pte *pte_lookup(struct mm_struct *mm, unsigned long addr)
{
	return walk(mm, addr, false);
}

struct pte *pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	return walk(mm, addr, true);
}

/* Span of addresses one entry at @level covers. */
static inline unsigned long level_span(const struct pgtable *pt, int level)
{
	return 1UL << (pt->page_shift + (level - 1) * PT_BITS);
}

/* Present, or with @guards any non-present entry: guard, swap, migration. */
static inline bool pte_wanted(const struct pte *pte, bool guards)
{
	return pte->folio || (guards && (pte->guard || pte->swp));
}

/*
 * The first wanted PTE at or after *addr below @end under @table.  Each
 * step moves to the next slot of a level; the scan ends at the last slot
 * or when the next slot's address wraps (the top table of a 6-level tree
 * has fewer than 512 useful slots), so it always terminates.
 */
static struct pte *next_present(const struct pgtable *pt, void *table,
				int level, unsigned long *addr,
				unsigned long end, bool guards)
{
	unsigned long span = level_span(pt, level);
	unsigned long i, next;
	struct pte *pte;

	while (*addr < end) {
		i = level_index(pt, *addr, level);
		next = (*addr & ~(span - 1)) + span;
		if (level == 1) {
			pte = &((struct pte *)table)[i];
			if (pte_wanted(pte, guards))
				return pte;
		} else if (((void **)table)[i]) {
			pte = next_present(pt, ((void **)table)[i], level - 1,
					   addr, end, guards);
			if (pte)
				return pte;
		}
		if (i == PT_ENTRIES - 1 || next <= *addr)
			return NULL;
		*addr = next;
	}
	return NULL;
}

static struct pte *next_entry(struct mm_struct *mm, unsigned long *addr,
			      unsigned long end, bool guards)
{
	struct pgtable *pt = mm->pgd;
	unsigned long leaf_span = 1UL << (pt->page_shift + PT_BITS);
	unsigned long i;
	struct pte *pte;

	/* Scans go page by page: finish the cached PTE table first. */
	while (pt->leaf && *addr < end &&
	       pt->leaf_base == *addr >> (pt->page_shift + PT_BITS)) {
		i = level_index(pt, *addr, 1);
		if (pte_wanted(&pt->leaf[i], guards))
			return &pt->leaf[i];
		if (i == PT_ENTRIES - 1) {
			*addr = (*addr & ~(leaf_span - 1)) + leaf_span;
			if (!*addr)
				return NULL;
			break;
		}
		*addr += 1UL << pt->page_shift;
	}
	if (!pt->root || *addr >= end || beyond(pt, *addr))
		return NULL;
	pte = next_present(pt, pt->root, pt->levels, addr, end, guards);
	if (pte) {
		pt->leaf = pte - level_index(pt, *addr, 1);
		pt->leaf_base = *addr >> (pt->page_shift + PT_BITS);
	}
	return pte;
}

struct pte *pte_next_present(struct mm_struct *mm, unsigned long *addr,
			     unsigned long end)
{
	return next_entry(mm, addr, end, false);
}

struct pte *pte_next_entry(struct mm_struct *mm, unsigned long *addr,
			   unsigned long end)
{
	return next_entry(mm, addr, end, true);
}

/* First PTE table mapping addresses at or after *addr, below @end. */
static bool next_table(const struct pgtable *pt, void *table, int level,
		       unsigned long *addr, unsigned long end)
{
	unsigned long span = level_span(pt, level);
	unsigned long i, next;

	while (*addr < end) {
		i = level_index(pt, *addr, level);
		next = (*addr & ~(span - 1)) + span;
		if (((void **)table)[i]) {
			if (level == 2) {
				*addr &= ~(span - 1);
				return true;
			}
			if (next_table(pt, ((void **)table)[i], level - 1,
				       addr, end))
				return true;
		}
		if (i == PT_ENTRIES - 1 || next <= *addr)
			return false;
		*addr = next;
	}
	return false;
}

bool pte_table_next(struct mm_struct *mm, unsigned long *addr,
		    unsigned long end)
{
	struct pgtable *pt = mm->pgd;

	if (!pt->root || *addr >= end || beyond(pt, *addr) || pt->levels < 2)
		return false;
	return next_table(pt, pt->root, pt->levels, addr, end);
}

static void **leaf_slot(struct mm_struct *mm, unsigned long addr)
{
	struct pgtable *pt = mm->pgd;
	void **slot = &pt->root;
	int level;

	if (beyond(pt, addr))
		return NULL;
	for (level = pt->levels; level > 1; level--) {
		if (!*slot)
			return NULL;
		slot = &((void **)*slot)[level_index(pt, addr, level)];
	}
	return slot;
}

bool pte_table_present(struct mm_struct *mm, unsigned long addr)
{
	void **slot = leaf_slot(mm, addr);

	return slot && *slot;
}

void pte_table_free(struct mm_struct *mm, unsigned long addr)
{
	void **slot = leaf_slot(mm, addr);

	if (slot && *slot) {
		if (mm->pgd->leaf == *slot)
			mm->pgd->leaf = NULL;
		push(&mm->pgd->spare, &mm->pgd->nr_spare,
		     &mm->pgd->cap_spare, *slot);
		*slot = NULL;
	}
}
