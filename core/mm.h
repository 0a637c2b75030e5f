/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The user-space model of the kernel's mm: mm_struct, vm_area_struct,
 * folio and page table, as far as they decide which VMAs exist and which
 * anon folio each PTE maps.  Field names follow the kernel.
 *
 * The model never knows which rmap scheme runs: the rmap-owned fields of a
 * VMA (anon_vma, anon_vma_chain, rmap_priv) and of a folio (mapping,
 * rmap_priv) are opaque to it, apart from testing vma->anon_vma for NULL,
 * which is what mm/ outside rmap.c does too ("has this VMA been faulted").
 */
#ifndef RMAPLAB_CORE_MM_H
#define RMAPLAB_CORE_MM_H

#include <stdbool.h>
#include <stdint.h>

#include "itree.h"
#include "list.h"

struct world;
struct rmap_scheme;

/* vm_flags, with the kernel's values where it matters for merging. */
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL
/* x86_64: protection keys in the high arch bits (VM_PKEY_BIT0..3) */
#define VM_PKEY_SHIFT	32
#define VM_PKEY_MASK	(0xfUL << VM_PKEY_SHIFT)
#define VM_DROPPABLE	(1UL << 40)
#define VM_UFFD_MINOR	(1UL << 41)
#define VM_SEALED	(1UL << 42)

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
#define VM_UFFD_FLAGS	(VM_UFFD_MISSING | VM_UFFD_WP | VM_UFFD_MINOR)

/*
 * A file is an identity only: what the trace calls it, plus whether it is
 * the shmem object behind a MAP_SHARED|MAP_ANONYMOUS mapping (each such
 * mmap creates its own).  Files are refcounted by the VMAs using them.
 */
struct file {
	unsigned long id;
	bool shmem_anon;
	unsigned long nr_pages;		/* i_size in pages; 0: not known */
	int refcount;
	char name[32];
};

struct mm_struct;

struct vm_area_struct {
	struct itree_node vm_node;	/* in mm->mm_mt, [vm_start, vm_end-1] */
	unsigned long vm_start, vm_end;
	unsigned long vm_pgoff;
	unsigned long vm_flags;
	struct file *vm_file;
	struct mm_struct *vm_mm;

	/*
	 * rmap-owned.  anon_vma is whatever the scheme hangs off a VMA once
	 * it has been prepared for anon folios; the core only tests it for
	 * NULL.  anon_vma_chain and rmap_priv are the scheme's to use.
	 */
	void *anon_vma;
	struct list_head anon_vma_chain;
	void *rmap_priv;

	unsigned long id;		/* stable label for output and debug */
	bool detached;
};

/*
 * struct page equivalent: per-page state inside a folio.  mapcount counts
 * PTE mappings of this page (PMD mappings are counted on the folio as
 * entire_mapcount, as in the kernel).
 */
struct page {
	int mapcount;
	bool anon_exclusive;		/* PageAnonExclusive */
	bool written;			/* content not all zero */
};

struct folio {
	struct world *world;
	unsigned long mapping;		/* rmap-owned, tagged pointer */
	unsigned long index;		/* rmap-owned: pgoff of first page */
	void *rmap_priv;		/* rmap-owned */
	unsigned long pfn;		/* of the first page; identity */
	/*
	 * MM_ID tracking of large folios (include/linux/mm.h): up to two mms
	 * and how many mappings each holds; maybe_mapped_shared is set when
	 * a third mm maps the folio and cleared as the kernel clears it.
	 */
	struct mm_struct *mm_id[2];
	int mm_id_mapcount[2];
	int entire_mapcount;		/* PMD mappings */
	bool maybe_mapped_shared;
	/*
	 * MADV_FREE made it lazyfree (folio_mark_lazyfree(): not swap-backed,
	 * reclaim discards it); @redirtied: written since, so reclaim puts
	 * it back swap-backed instead (core/swap.c).  @dirty: PG_dirty,
	 * which add_to_swap() and folio_free_swap() set (a PTE's dirty bit
	 * is not modelled).
	 */
	bool lazyfree, redirtied, dirty;
	/*
	 * From here on, next to the pages: what fork and exit read and write
	 * for every page they copy or unmap, and what allocating and freeing
	 * a folio touch, so that an order-0 folio (aligned, folio.c) costs
	 * them one cache line.
	 */
	struct list_head lru;		/* world->folios, for scans */
	/*
	 * folio->swap: the swap slot of a folio in the swap cache (0: not
	 * in it).  The swap cache holds the folio alive while no PTE maps
	 * it (core/swap.c).
	 */
	unsigned long swap;
	unsigned int order;
	int refcount;			/* one per PTE mapping, one per PMD */
	int pinned;			/* isolated by migration: kept alive */
	struct page pages[];
};

static inline unsigned long folio_nr_pages(const struct folio *folio)
{
	return 1UL << folio->order;
}

/*
 * A PTE of the model maps one page of an anon folio, holds a non-present
 * entry (swp: a swap entry naming a swap slot, or a migration entry of
 * page idx of the folio being migrated, encoded in core/swap.h), or
 * nothing.  The
 * zero page and page-cache pages are not anon folios and never need an
 * rmap walk; a read fault on them changes nothing the model tracks
 * (a write fault on them allocates exactly as on an empty PTE).  A
 * non-present PTE may hold a guard marker (PTE_MARKER_GUARD).
 */
struct pte {
	struct folio *folio;
	unsigned short idx;		/* page index inside the folio */
	unsigned char pmd;		/* part of a PMD mapping */
	unsigned char guard;		/* guard marker, never with a folio */
	unsigned int swp;		/* swap or migration entry, 0: none */
};

struct pgtable;

struct mm_struct {
	struct itree_root mm_mt;	/* VMAs, ordered by vm_start */
	struct pgtable *pgd;
	struct world *world;
	unsigned int page_shift;
	int map_count;
	int mm_users;			/* tasks (threads) sharing it */
	unsigned long id;		/* creation order: stable labels */
	long owner;			/* label of the process it belongs to */
	unsigned long start_brk, brk;
	bool brk_known;
	unsigned long def_flags;	/* VM_LOCKED[ONFAULT] of MCL_FUTURE */
	unsigned long anon_pages;	/* RSS of anon pages, for stats */
	struct vm_area_struct *vma_cache; /* last vma_lookup() hit */
	void *rmap_priv;		/* scheme's per-mm state */
	struct list_head mmlist;	/* world->mms */
};

static inline bool vma_is_sealed(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_SEALED;
}

static inline unsigned long page_size(const struct mm_struct *mm)
{
	return 1UL << mm->page_shift;
}

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> vma->vm_mm->page_shift;
}

/* vma_is_anonymous(): private or shared?  Here: no file, no shmem. */
static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return vma->vm_file == NULL;
}

/* linear_page_index(): the pgoff of @addr within @vma. */
static inline unsigned long linear_page_index(const struct vm_area_struct *vma,
					      unsigned long addr)
{
	return vma->vm_pgoff +
		((addr - vma->vm_start) >> vma->vm_mm->page_shift);
}

/*
 * vma_address() of mm/internal.h: where page @pgoff (first of @nr) lands
 * in @vma, clamped to vm_start when a large folio starts below it;
 * -EFAULT (as ~0UL) when the range misses the VMA.
 */
unsigned long vma_address(const struct vm_area_struct *vma,
			  unsigned long pgoff, unsigned long nr);

/* VMA tree access (core/vma_tree.c). */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_first_overlap(struct mm_struct *mm,
					 unsigned long start,
					 unsigned long end);
struct vm_area_struct *vma_next_overlap(struct mm_struct *mm,
					struct vm_area_struct *vma,
					unsigned long start, unsigned long end);
struct vm_area_struct *vma_next(struct mm_struct *mm,
				struct vm_area_struct *vma);
struct vm_area_struct *vma_prev(struct mm_struct *mm,
				struct vm_area_struct *vma);
struct vm_area_struct *vma_first(struct mm_struct *mm);

#define for_each_vma(mm, vma) \
	for (vma = vma_first(mm); vma; vma = vma_next(mm, vma))

/* Page table (core/pgtable.c). */
struct pte *pte_lookup(struct mm_struct *mm, unsigned long addr);
struct pte *pte_alloc(struct mm_struct *mm, unsigned long addr);

#endif /* RMAPLAB_CORE_MM_H */
