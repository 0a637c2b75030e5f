// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page faults and PTE-level work, modelled on mm/memory.c and
 * mm/huge_memory.c: do_anonymous_page(), do_huge_pmd_anonymous_page(),
 * do_cow_fault(), do_wp_page() with wp_can_reuse_anon_folio(),
 * do_huge_pmd_wp_page(), wp_page_copy(), expand_downwards(), zap and
 * free_pgtables().
 */
#include <errno.h>

#include "folio.h"
#include "pgtable.h"
#include "swap.h"
#include "vma.h"

#define STACK_GUARD_GAP_PAGES	256UL
#define STACK_RLIMIT		(8UL << 20)

static int anon_vma_prepare(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		return 0;
	return scheme_of(vma->vm_mm)->anon_vma_prepare(vma);
}

/*
 * Split the PMD mapping covering @addr, if any, into PTE mappings of the
 * same folio (__split_huge_pmd()).
 */
void split_huge_pmd_at(struct mm_struct *mm, unsigned long addr)
{
	unsigned long pmd = pmd_size(mm), base = addr & ~(pmd - 1);
	unsigned long psz = page_size(mm), a;
	struct pte *pte = pte_lookup(mm, base);
	struct folio *folio;

	if (!pte || !pte->folio || !pte->pmd)
		return;
	folio = pte->folio;
	for (a = base; a < base + pmd; a += psz)
		pte_lookup(mm, a)->pmd = 0;
	folio_split_pmd_rmap(folio, mm);
}

static void set_pte(struct mm_struct *mm, unsigned long addr,
		    struct folio *folio, unsigned int idx, bool pmd)
{
	struct pte *pte = pte_alloc(mm, addr);

	pte->folio = folio;
	pte->idx = idx;
	pte->pmd = pmd;
}

/*
 * zap_pte_range() / zap_huge_pmd(): unmap the anon pages of [start, end)
 * in @vma.  A PMD mapping only partly inside is split first.  Guard
 * markers stay unless @drop_markers (ZAP_FLAG_DROP_MARKER: munmap, exit).
 */
static void zap_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end, bool drop_markers)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pmd = pmd_size(mm), psz = page_size(mm), addr, a, i, n;
	unsigned long nr, unmapped = 0;
	unsigned int idx;
	struct pte *run, *pte;
	struct folio *folio;

	if (start & (pmd - 1))
		split_huge_pmd_at(mm, start);
	if (end & (pmd - 1))
		split_huge_pmd_at(mm, end);
	for_each_pte_run(mm, run, nr, addr, start, end) {
		/* @nr is pte_run()'s: a copy the loop can keep in a register */
		for (i = 0, n = nr; i < n; i++) {
			pte = &run[i];
			folio = pte->folio;
			/*
			 * zap_nonpresent_ptes(): swap entries always, markers
			 * when asked.
			 */
			if (!folio) {
				if (pte->swp)
					zap_nonpresent_pte(mm, pte);
				else if (drop_markers)
					pte->guard = 0;
				continue;
			}
			if (pte->pmd) {
				/* Not split above: whole. */
				for (a = 0; a < pmd; a += psz)
					pte_clear(pte_lookup(mm,
						addr + i * psz + a));
				folio_remove_rmap_pmd(folio, mm);
				/* Go on after it (it spans tables on 16K). */
				addr += i * psz + pmd;
				nr = 0;
				break;
			}
			idx = pte->idx;
			pte_clear(pte);
			if (folio->swap) {
				/* free_pages_and_swap_cache() */
				folio_remove_rmap_pte(folio, idx, mm);
				free_swap_cache(folio);
			} else if (folio->order) {
				folio_remove_rmap_pte(folio, idx, mm);
			} else {
				folio_remove_rmap_pte_small(folio, idx);
				unmapped++;
			}
		}
	}
	mm->anon_pages -= unmapped;
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start,
		    unsigned long end)
{
	zap_range(vma, start, end, false);
}

void unmap_page_range(struct vm_area_struct *vma, unsigned long start,
		      unsigned long end)
{
	zap_range(vma, start, end, true);
}

/*
 * free_pgd_range(): PTE tables whose whole PMD range lies between the
 * surviving neighbours (floor, ceiling) go away with the unmapped VMAs.
 * Only the tables that exist are visited.
 */
void free_pgtables(struct mm_struct *mm, unsigned long start,
		   unsigned long end, unsigned long floor,
		   unsigned long ceiling)
{
	unsigned long pmd = pmd_size(mm), base = start & ~(pmd - 1);

	while (pte_table_next(mm, &base, end)) {
		base &= ~(pmd - 1);
		if (base >= floor && base + pmd - 1 <= ceiling - 1)
			pte_table_free(mm, base);
		if (base + pmd < base)
			break;
		base += pmd;
	}
}

/*
 * madvise_free_huge_pmd() / madvise_free_pte_range(): a large folio this
 * mm alone maps, only part of which lies in [start, end), is split so
 * that only the advised pages are marked lazy-free.
 */
void madvise_free_range(struct vm_area_struct *vma, unsigned long start,
			unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long psz = page_size(mm), addr, a, in;
	struct folio *folio, *last = NULL;
	struct pte *pte;

	for_each_present_pte(mm, pte, addr, start, end) {
		folio = pte->folio;
		if (folio == last || !folio->order ||
		    folio_maybe_mapped_shared(folio))
			continue;
		last = folio;
		in = 0;
		/* Within one VMA the folio's pages lie around this PTE. */
		a = addr - pte->idx * psz;
		if (a > addr || a < start)
			a = start;
		for (; a < end && a < addr + (folio_nr_pages(folio) -
					     pte->idx) * psz; a += psz) {
			struct pte *p = pte_lookup(mm, a);

			if (p && p->folio == folio)
				in++;
		}
		if (in == folio_nr_pages(folio))
			continue;
		if (pte->pmd)
			split_huge_pmd_at(mm, addr);
		folio_split(folio, mm);
	}
}

/* thp_vma_allowable_order() && thp_vma_suitable_order() for a PMD. */
static bool thp_pmd_allowed(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pmd = pmd_size(mm), base = addr & ~(pmd - 1);
	struct world *w = mm->world;

	if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
		return false;
	if (vma->vm_flags & VM_NOHUGEPAGE)
		return false;
	if (w->thp_mode == THP_NEVER)
		return false;
	if (w->thp_mode == THP_MADVISE && !(vma->vm_flags & VM_HUGEPAGE))
		return false;
	return base >= vma->vm_start && base + pmd <= vma->vm_end;
}

/* Allocate and map a new exclusive anon folio of @order around @addr. */
static void map_new_folio(struct vm_area_struct *vma, unsigned long addr,
			  unsigned int order)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long psz = page_size(mm), nr = 1UL << order;
	unsigned long base = addr & ~((psz << order) - 1), i;
	bool pmd = order && order == mm->world->pmd_order;
	struct folio *folio = folio_alloc(mm->world, order);

	for (i = 0; i < nr; i++)
		set_pte(mm, base + i * psz, folio, i, pmd);
	folio_add_new_anon_rmap(folio, vma, base, pmd);
}

/*
 * Can a large folio of @order be placed around @addr?  The range must lie
 * in the VMA and hold no anon page or guard marker yet (the kernel needs
 * an empty PMD or PTE range to allocate one).
 */
static bool large_folio_fits(struct vm_area_struct *vma, unsigned long addr,
			     unsigned int order)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long size = page_size(mm) << order;
	unsigned long base = addr & ~(size - 1), a;
	struct pte *pte;

	if (base < vma->vm_start || base + size > vma->vm_end)
		return false;
	a = base;
	pte = pte_next_entry(mm, &a, base + size);
	return pte == NULL;
}

/*
 * wp_can_reuse_anon_folio() / __wp_can_reuse_large_anon_folio().  The
 * swap cache holds a reference of its own, dropped (folio_free_swap())
 * when no swap entry needs the folio any more.
 */
static bool wp_can_reuse_anon_folio(struct folio *folio,
				    const struct world *w)
{
	/*
	 * Before 6.15 a large folio is never reused at PTE level: the reuse
	 * came with "mm: Copy-on-Write (COW) reuse support for PTE-mapped
	 * THP" (v6.15, lore 20250303163014.1128035-14-david@redhat.com).
	 */
	if (folio->order && !kernel_at_least(w, 6, 15))
		return false;
	if (!folio->order) {
		if (folio->refcount != 1)
			return false;
		if (folio->swap)
			folio_free_swap(folio);
		return !folio->swap;
	}
	if (folio->refcount <= 1)
		return false;
	return !folio->maybe_mapped_shared;
}

/* wp_page_copy(): the faulting PTE gets a private copy. */
static void wp_page_copy(struct vm_area_struct *vma, unsigned long addr,
			 struct pte *pte)
{
	struct mm_struct *mm = vma->vm_mm;
	struct folio *old = pte->folio;
	unsigned int idx = pte->idx;

	anon_vma_prepare(vma);
	pte_clear(pte);
	folio_remove_rmap_pte(old, idx, mm);
	map_new_folio(vma, addr, 0);
}

/* do_wp_page() on a present anon PTE. */
int do_wp_page(struct vm_area_struct *vma, unsigned long addr,
		      struct pte *pte)
{
	struct folio *folio = pte->folio;
	struct page *page = &folio->pages[pte->idx];

	if (page->anon_exclusive)
		return 0;
	if (wp_can_reuse_anon_folio(folio, vma->vm_mm->world)) {
		/*
		 * Only a small folio moves to the reusing VMA's anon_vma: a
		 * large one may still be mapped by other VMAs of this mm, so
		 * __wp_can_reuse_large_anon_folio() leaves its rmap alone.
		 */
		if (!folio->order)
			scheme_of(vma->vm_mm)->folio_move_anon(folio, vma);
		page->anon_exclusive = true;
		return 0;
	}
	wp_page_copy(vma, addr, pte);
	return 0;
}

/*
 * do_huge_pmd_wp_page(): an exclusive or solely referenced PMD mapping is
 * reused whole; otherwise the PMD is split and the fault retried at PTE
 * level.
 */
static int do_huge_pmd_wp_page(struct vm_area_struct *vma,
			       unsigned long addr, struct pte *pte)
{
	struct folio *folio = pte->folio;
	unsigned long i, nr = folio_nr_pages(folio);

	if (folio->pages[0].anon_exclusive)
		return 0;
	if (folio->refcount == 1) {
		scheme_of(vma->vm_mm)->folio_move_anon(folio, vma);
		for (i = 0; i < nr; i++)
			folio->pages[i].anon_exclusive = true;
		return 0;
	}
	split_huge_pmd_at(vma->vm_mm, addr);
	return do_wp_page(vma, addr, pte);
}

/* expand_downwards(): a fault below a VM_GROWSDOWN VMA grows it. */
static int expand_downwards(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma_prev(mm, vma);
	unsigned long grow, size;

	addr &= ~(page_size(mm) - 1);
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) &&
	    (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    addr - prev->vm_end < (STACK_GUARD_GAP_PAGES << mm->page_shift))
		return -ENOMEM;
	if (anon_vma_prepare(vma))
		return -ENOMEM;
	size = vma->vm_end - addr;
	grow = (vma->vm_start - addr) >> mm->page_shift;
	if (grow > vma->vm_pgoff || size > STACK_RLIMIT)
		return -ENOMEM;
	vma_adjust(vma, addr, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}

int do_fault_vma(struct vm_area_struct *vma, unsigned long addr, bool write,
		 unsigned int order, bool gup)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pte *pte = pte_lookup(mm, addr);

	/* PTE_MARKER_GUARD: handle_pte_marker() says VM_FAULT_SIGSEGV. */
	if (pte && pte->guard)
		return -EFAULT;
	/* Beyond the end of the file (a grown shared anon map): SIGBUS */
	if (vma->vm_file && vma->vm_file->nr_pages &&
	    linear_page_index(vma, addr) >= vma->vm_file->nr_pages)
		return -EFAULT;
	/* Shared file and shmem pages are never anon folios. */
	if (vma->vm_flags & VM_SHARED)
		return 0;

	if (is_swap_pte(pte)) {
		do_swap_page(vma, addr, pte, write);
		goto written;
	}
	if (pte && pte->folio) {
		if (!write)
			return 0;
		if (pte->pmd)
			do_huge_pmd_wp_page(vma, addr, pte);
		else
			do_wp_page(vma, addr, pte);
		goto written;
	}

	/*
	 * handle_userfault(): the fault waits for the monitor, which fills
	 * the page as the trace cannot show.  A write has prepared the
	 * anon_vma before it asks (do_anonymous_page()).
	 */
	if (vma->vm_flags & VM_UFFD_MISSING) {
		if (write && vma_is_anonymous(vma) && anon_vma_prepare(vma))
			return -ENOMEM;
		world_unsupported(mm->world, "fault in a userfaultfd range");
		return 0;
	}

	/*
	 * A GUP write fault on an empty THP-eligible PMD maps a PMD folio,
	 * and from 6.13 so does one on the huge zero page ("mm: Allocate THP
	 * on hugezeropage wp-fault"; the model keeps no PTEs for it, only
	 * the table).  Before, do_huge_pmd_wp_page() split the huge zero
	 * PMD and the write copied one small page.
	 */
	if (gup && write && vma_is_anonymous(vma) &&
	    thp_pmd_allowed(vma, addr) &&
	    large_folio_fits(vma, addr, mm->world->pmd_order) &&
	    (kernel_at_least(mm->world, 6, 13) ||
	     !pte_table_present(mm, addr)))
		order = mm->world->pmd_order;

	if (!write && !order) {
		/*
		 * The zero page or a page-cache page: nothing anon.  But a
		 * THP-eligible empty PMD goes through
		 * do_huge_pmd_anonymous_page(), which prepares the anon_vma
		 * before mapping the huge zero page.
		 */
		if (thp_pmd_allowed(vma, addr) &&
		    !pte_table_present(mm, addr)) {
			if (anon_vma_prepare(vma))
				return -ENOMEM;
		}
		pte_alloc(mm, addr);
		return 0;
	}

	/* do_anonymous_page(), do_huge_pmd_anonymous_page(), CoW faults */
	if (anon_vma_prepare(vma))
		return -ENOMEM;
	if (!vma_is_anonymous(vma) || !large_folio_fits(vma, addr, order))
		order = 0;
	map_new_folio(vma, addr, order);
written:
	/* The write lands: the page is no longer all zeroes. */
	pte = pte_lookup(mm, addr);
	if (write && pte && pte->folio) {
		pte->folio->pages[pte->idx].written = true;
		folio_redirty(pte->folio);
	}
	return 0;
}

int handle_mm_fault(struct task *t, unsigned long addr, bool write,
		    unsigned int order)
{
	struct mm_struct *mm = t->mm;
	struct world *w = mm->world;
	struct vm_area_struct *vma;
	int ret = 0;

	w->acct.cur_op = OP_FAULT;
	w->acct.ops[OP_FAULT]++;
	lock_count(&w->locks, &w->acct, w->lock_mmap, false);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		vma = find_vma(mm, addr);
		if (!vma || !(vma->vm_flags & VM_GROWSDOWN) ||
		    expand_downwards(vma, addr)) {
			ret = -EFAULT;
			goto out;
		}
	}
	if (write ? !(vma->vm_flags & VM_WRITE) :
	    !(vma->vm_flags & VM_ACCESS_FLAGS)) {
		ret = -EFAULT;
		goto out;
	}
	ret = do_fault_vma(vma, addr, write, order, false);
out:
	w->acct.cur_op = OP_NONE;
	return ret;
}

/*
 * madvise_guard_install(): an anonymous VMA gets an anon_vma, whatever is
 * mapped in the range is zapped and every PTE becomes a guard marker.
 * The VMA itself does not change (6.18.y marks it VM_MAYBE_GUARD, which
 * never stops a merge; see vma_needs_copy() in fork.c).
 */
long guard_install(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long psz = page_size(mm), addr;
	struct pte *pte;

	/* is_valid_guard_vma(vma, false) */
	if (vma->vm_flags & (VM_SPECIAL | VM_LOCKED))
		return -EINVAL;
	if (vma_is_anonymous(vma) && anon_vma_prepare(vma))
		return -ENOMEM;
	/*
	 * guard_install_pte_entry(): any entry but none or a marker (a
	 * page, a swap entry) makes the kernel zap the range first.
	 */
	for_each_pte_entry(mm, pte, addr, start, end) {
		if (pte->folio || pte->swp) {
			zap_page_range(vma, start, end);
			break;
		}
	}
	for (addr = start; addr < end; addr += psz)
		pte_alloc(mm, addr)->guard = 1;
	return 0;
}

/* madvise_guard_remove(): clear the markers, nothing else. */
void guard_remove(struct vm_area_struct *vma, unsigned long start,
		  unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;
	struct pte *pte;

	for_each_pte_entry(mm, pte, addr, start, end)
		pte->guard = 0;
}

bool range_has_anon_pages(struct mm_struct *mm, unsigned long start,
			  unsigned long end)
{
	unsigned long addr = start;

	return pte_next_present(mm, &addr, end) != NULL;
}
