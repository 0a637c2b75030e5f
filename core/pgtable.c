// SPDX-License-Identifier: GPL-2.0-only
/* Radix page tables; see pgtable.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtable.h"
#include "vma.h"

#define PT_BITS		9
#define PT_ENTRIES	(1UL << PT_BITS)
#define VA_BITS		48		/* 4 levels; a 5th is added on demand */

struct pgtable {
	void *root;
	int levels;
	unsigned int page_shift;
	struct pgtable_cache *cache;
	/* The last PTE table walked to, and the address range it maps. */
	struct pte *leaf;
	unsigned long leaf_base;
};

/*
 * Every table ends in a header saying which of its entries may be other
 * than zero: a table goes back to the cache zeroed over that range only,
 * so neither a new table nor a reused one is cleared whole (a fork tree
 * maps a few pages of each 512-entry table).
 */
struct pt_hdr {
	unsigned short lo, hi;		/* entries that may be set, hi < lo: none */
	struct pt_hdr *next;		/* in the cache */
};

#define LEAF_BYTES	(PT_ENTRIES * sizeof(struct pte))
#define UPPER_BYTES	(PT_ENTRIES * sizeof(void *))

/* Tables of freed mms, zeroed, for the next ones: [0] upper, [1] PTE. */
struct pgtable_cache {
	struct pt_hdr *free[2];
};

static inline struct pt_hdr *hdr_of(void *table, bool leaf)
{
	return (struct pt_hdr *)((char *)table +
				 (leaf ? LEAF_BYTES : UPPER_BYTES));
}

static inline void *table_of(struct pt_hdr *h, bool leaf)
{
	return (char *)h - (leaf ? LEAF_BYTES : UPPER_BYTES);
}

/* Entry @i of the table of @h may now be set. */
static inline void hdr_touch(struct pt_hdr *h, unsigned long i)
{
	if (i < h->lo)
		h->lo = i;
	if (i > h->hi)
		h->hi = i;
}

struct pgtable_cache *pgtable_cache_new(void)
{
	struct pgtable_cache *c = calloc(1, sizeof(*c));

	if (!c)
		abort();
	return c;
}

void pgtable_cache_free(struct pgtable_cache *c)
{
	struct pt_hdr *h;
	int leaf;

	if (!c)
		return;
	for (leaf = 0; leaf < 2; leaf++) {
		while ((h = c->free[leaf])) {
			c->free[leaf] = h->next;
			free(table_of(h, leaf));
		}
	}
	free(c);
}

static void *alloc_table(struct pgtable *pt, bool leaf)
{
	struct pt_hdr *h = pt->cache->free[leaf];
	void *t;

	if (h) {
		pt->cache->free[leaf] = h->next;
		t = table_of(h, leaf);
	} else {
		t = calloc(1, (leaf ? LEAF_BYTES : UPPER_BYTES) +
			   sizeof(struct pt_hdr));
		if (!t)
			abort();
		h = hdr_of(t, leaf);
	}
	h->lo = PT_ENTRIES - 1;
	h->hi = 0;
	return t;
}

/* Sanitizer builds check that a table said to be cleared is. */
#if defined(__SANITIZE_ADDRESS__)
#define PT_CHECK_CLEARED 1
#else
#define PT_CHECK_CLEARED 0
#endif

static void check_cleared(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i]) {
			fprintf(stderr, "rmaplab: a page table entry was left "
				"set after every entry was cleared\n");
			abort();
		}
	}
}

/*
 * Give @t to the cache, clearing what may be set in it unless @cleared:
 * every entry has been cleared already (upper tables always are, by
 * release_tree()).
 */
static void release_table(struct pgtable_cache *c, void *t, bool leaf,
			  bool cleared)
{
	struct pt_hdr *h = hdr_of(t, leaf);
	size_t esz = leaf ? sizeof(struct pte) : sizeof(void *);

	if (h->lo <= h->hi && !cleared)
		memset((char *)t + h->lo * esz, 0,
		       (h->hi - h->lo + 1) * esz);
	if (h->lo <= h->hi && cleared && PT_CHECK_CLEARED)
		check_cleared((char *)t + h->lo * esz,
			      (h->hi - h->lo + 1) * esz);
	h->next = c->free[leaf];
	c->free[leaf] = h;
}

struct pgtable *pgtable_new(struct pgtable_cache *cache,
			    unsigned int page_shift)
{
	struct pgtable *pt = calloc(1, sizeof(*pt));

	if (!pt)
		abort();
	pt->cache = cache;
	pt->page_shift = page_shift;
	pt->levels = (VA_BITS - page_shift + PT_BITS - 1) / PT_BITS;
	return pt;
}

/* Release @table at @level and every table under it. */
static void release_tree(struct pgtable_cache *c, void *table, int level,
			 bool cleared)
{
	struct pt_hdr *h = hdr_of(table, level == 1);
	void **slot;
	unsigned long i;

	if (level > 1) {
		for (i = h->lo; i <= h->hi; i++) {
			slot = &((void **)table)[i];
			if (*slot)
				release_tree(c, *slot, level - 1, cleared);
			*slot = NULL;
		}
	}
	release_table(c, table, level == 1, cleared || level > 1);
}

static void free_tables(struct pgtable *pt, bool cleared)
{
	if (!pt)
		return;
	if (pt->root)
		release_tree(pt->cache, pt->root, pt->levels, cleared);
	free(pt);
}

void pgtable_free(struct pgtable *pt)
{
	free_tables(pt, false);
}

void pgtable_free_cleared(struct pgtable *pt)
{
	free_tables(pt, true);
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

/* walk() past the cached PTE table: down from the root. */
static __attribute__((noinline))
struct pte *walk_tables(struct mm_struct *mm, unsigned long addr, bool alloc)
{
	struct pgtable *pt = mm->pgd;
	unsigned long base = addr >> (pt->page_shift + PT_BITS);
	void **slot = &pt->root, *parent = NULL;
	unsigned long i = 0;
	int level;

	/* Beyond what the levels cover (la57, 52-bit arm64): grow on top. */
	while (beyond(pt, addr)) {
		void **top;

		if (!alloc)
			return NULL;
		top = alloc_table(pt, false);
		top[0] = pt->root;
		hdr_touch(hdr_of(top, false), 0);
		pt->root = top;
		pt->levels++;
	}

	for (level = pt->levels; level >= 1; level--) {
		if (!*slot) {
			if (!alloc)
				return NULL;
			*slot = alloc_table(pt, level == 1);
			if (level < pt->levels)
				hdr_touch(hdr_of(parent, false), i);
		}
		if (level == 1)
			break;
		parent = *slot;
		i = level_index(pt, addr, level);
		slot = &((void **)parent)[i];
	}
	pt->leaf = *slot;
	pt->leaf_base = base;
	i = level_index(pt, addr, 1);
	hdr_touch(hdr_of(pt->leaf, true), i);
	return &pt->leaf[i];
}

static inline struct pte *walk(struct mm_struct *mm, unsigned long addr,
			       bool alloc)
{
	struct pgtable *pt = mm->pgd;
	unsigned long i;

	if (pt->leaf && pt->leaf_base == addr >> (pt->page_shift + PT_BITS)) {
		i = level_index(pt, addr, 1);
		hdr_touch(hdr_of(pt->leaf, true), i);
		return &pt->leaf[i];
	}
	return walk_tables(mm, addr, alloc);
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

struct pte *pte_run(struct mm_struct *mm, unsigned long *addr,
		    unsigned long end, unsigned long *nr)
{
	struct pgtable *pt = mm->pgd;
	unsigned int shift = pt->page_shift;
	unsigned long i, left, a = *addr;

	if (a >= end)
		return NULL;
	if (!pt->leaf || pt->leaf_base != a >> (shift + PT_BITS)) {
		if (!pte_table_next(mm, &a, end))
			return NULL;
		if (a > *addr)
			*addr = a;
		if (!walk(mm, *addr, false))
			return NULL;
	}
	i = level_index(pt, *addr, 1);
	left = (end - *addr + (1UL << shift) - 1) >> shift;
	*nr = PT_ENTRIES - i < left ? PT_ENTRIES - i : left;
	return &pt->leaf[i];
}

struct pte *pte_alloc_run(struct mm_struct *mm, unsigned long addr,
			  unsigned long nr)
{
	struct pte *pte = walk(mm, addr, true);

	hdr_touch(hdr_of(mm->pgd->leaf, true),
		  level_index(mm->pgd, addr, 1) + nr - 1);
	return pte;
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

/*
 * The kernel's PTE table maps a PMD range; ours map PT_ENTRIES pages, which
 * above 4 KiB pages is a part of one (a quarter on 16 KiB).  A PMD range
 * has a table when any of ours in it exists.
 */
bool pte_table_present(struct mm_struct *mm, unsigned long addr)
{
	unsigned long pmd = pmd_size(mm), a = addr & ~(pmd - 1);

	return pte_table_next(mm, &a, a + pmd);
}

void pte_table_free(struct mm_struct *mm, unsigned long addr)
{
	struct pgtable *pt = mm->pgd;
	unsigned long pmd = pmd_size(mm), a = addr & ~(pmd - 1);
	unsigned long end = a + pmd;
	void **slot;

	for (; pte_table_next(mm, &a, end); a += level_span(pt, 2)) {
		slot = leaf_slot(mm, a);
		if (pt->leaf == *slot)
			pt->leaf = NULL;
		release_table(pt->cache, *slot, true, false);
		*slot = NULL;
	}
}
