// SPDX-License-Identifier: GPL-2.0-only
/*
 * Faults, CoW and fork as mm/memory.c and mm/huge_memory.c decide them:
 * who maps which page, mapcounts and PageAnonExclusive.
 */
#include <errno.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/folio.h"
#include "core/pgtable.h"
#include "tests/core/layout.h"

#define HPAGE	(512 * PG)
#define THP	0x400000000UL

static void setup(void)
{
	env_setup("");
}

TestSuite(memory, .init = setup, .fini = env_teardown);

static int mapcount(long pid, unsigned long addr)
{
	struct pte *pte = pte_lookup(T(pid)->mm, addr);

	return pte->folio->pages[pte->idx].mapcount;
}

static bool exclusive(long pid, unsigned long addr)
{
	struct pte *pte = pte_lookup(T(pid)->mm, addr);

	return pte->folio->pages[pte->idx].anon_exclusive;
}

/* A read fault on untouched anonymous memory maps the zero page. */
Test(memory, read_fault_maps_no_anon_folio)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(0), false, 0);
	cr_assert_null(folio_or_null(1, AT(0)));
	cr_assert_null(vma_at(1, AT(0))->anon_vma);
	cr_assert_eq(live("anon_vma"), 0);
}

Test(memory, write_fault_allocates_exclusive_folio)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(1), true, 0);
	cr_assert_not_null(folio_or_null(1, AT(1)));
	cr_assert_eq(mapcount(1, AT(1)), 1);
	cr_assert(exclusive(1, AT(1)));
	cr_assert_not_null(vma_at(1, AT(1))->anon_vma);
	cr_assert_str_eq(sharers(1, AT(1)), "1:0x100001000");
}

Test(memory, faults_the_kernel_would_segv)
{
	map_anon(1, 0, 1, "r--", 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(0), true, 0), -EFAULT);
	cr_assert_eq(handle_mm_fault(T(1), AT(3), false, 0), -EFAULT);
	map_anon(1, 2, 1, "---", 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(2), false, 0), -EFAULT);
}

/*
 * fork shares every page of a faulted VMA: mapcount 2, neither side
 * exclusive any more.  A write in the child copies; the parent's page
 * drops back to mapcount 1.
 */
Test(memory, fork_shares_then_child_cow_copies)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	cr_assert_eq(folio_at(1, AT(0)), folio_at(2, AT(0)));
	cr_assert_eq(mapcount(1, AT(0)), 2);
	cr_assert(!exclusive(1, AT(0)) && !exclusive(2, AT(0)));
	cr_assert_str_eq(sharers(1, AT(0)), "1:0x100000000 2:0x100000000");
	ev_fault(2, AT(0), true, 0);
	cr_assert_neq(folio_at(1, AT(0)), folio_at(2, AT(0)));
	cr_assert_eq(mapcount(1, AT(0)), 1);
	cr_assert(exclusive(2, AT(0)));
	/* The parent's page is not exclusive, but it is the only mapping. */
	cr_assert(!exclusive(1, AT(0)));
	ev_fault(1, AT(0), true, 0);
	cr_assert(exclusive(1, AT(0)));
}

/* After the child exits, the parent's write reuses the page. */
Test(memory, cow_reuses_sole_mapping)
{
	struct folio *f;

	map_anon(1, 0, 1, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	f = folio_at(1, AT(0));
	ev_fork(1, 2);
	ev_exit(2);
	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(folio_at(1, AT(0)), f);
	cr_assert(exclusive(1, AT(0)));
}

/* A write fault in a private file mapping creates an anon folio. */
Test(memory, private_file_cow_creates_anon_folio)
{
	map_file(1, 0, 2, "rw-", "f0", 7, false);
	ev_fault(1, AT(1), false, 0);
	cr_assert_null(folio_or_null(1, AT(1)));
	ev_fault(1, AT(1), true, 0);
	cr_assert_not_null(folio_or_null(1, AT(1)));
	cr_assert_eq(folio_at(1, AT(1))->index, 8);
	/* A shared file mapping never gets one. */
	map_file(1, 4, 1, "rw-", "f0", 0, true);
	ev_fault(1, AT(4), true, 0);
	cr_assert_null(folio_or_null(1, AT(4)));
}

/* VM_DONTCOPY: no VMA in the child; VM_WIPEONFORK: an empty one. */
Test(memory, fork_honours_dontcopy_and_wipeonfork)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 2, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_madvise(1, AT(0), 2, MADV_DONTFORK);
	ev_madvise(1, AT(3), 2, MADV_WIPEONFORK);
	ev_fork(1, 2);
	cr_assert_str_eq(layout(2, 5), "...AA");
	cr_assert_null(folio_or_null(2, AT(3)));
	cr_assert_null(vma_at(2, AT(3))->anon_vma);
	cr_assert_eq(mapcount(1, AT(3)), 1);
	cr_assert(exclusive(1, AT(0)));
}

/* An unfaulted VMA copies no page tables at fork (vma_needs_copy()). */
Test(memory, fork_skips_unfaulted_vma)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(0), false, 0);
	ev_fork(1, 2);
	cr_assert_null(vma_at(2, AT(0))->anon_vma);
	cr_assert(!pte_table_present(T(2)->mm, AT(0)));
}

/*
 * A THP from a write fault in a MADV_HUGEPAGE region is PMD-mapped; after
 * fork a write in the parent splits the parent's PMD and copies one page;
 * the other 511 stay shared.
 */
Test(memory, thp_fork_then_cow_copies_one_page)
{
	struct folio *thp;

	ev_mmap(1, THP, 1024, "rw-");
	ev_madvise(1, THP, 1024, MADV_HUGEPAGE);
	ev_fault(1, THP + 5 * PG, true, 9);
	thp = folio_at(1, THP);
	cr_assert_eq(thp->order, 9);
	cr_assert(pte_lookup(T(1)->mm, THP)->pmd);
	ev_fork(1, 2);
	cr_assert_eq(thp->entire_mapcount, 2);
	ev_fault(1, THP + 5 * PG, true, 9);
	cr_assert_neq(folio_at(1, THP + 5 * PG), thp);
	cr_assert_eq(folio_at(1, THP + 5 * PG)->order, 0);
	cr_assert(!pte_lookup(T(1)->mm, THP)->pmd);
	cr_assert(pte_lookup(T(2)->mm, THP)->pmd);
	cr_assert_eq(folio_at(1, THP + 6 * PG), thp);
	cr_assert(folio_maybe_mapped_shared(thp));
	/* The child exits: the parent is the only mm left, so it reuses. */
	ev_exit(2);
	cr_assert(!folio_maybe_mapped_shared(thp));
	ev_fault(1, THP + 6 * PG, true, 0);
	cr_assert_eq(folio_at(1, THP + 6 * PG), thp);
}

/*
 * The same history on 6.12: before 6.15 a write to a PTE-mapped large
 * folio never reuses it, even when this mm alone maps it: the page is
 * copied, the rest of the THP stays (kernel-run of Debian's 6.12.118
 * arm64 in a VM gives the written page a small folio here).
 *
 *  THP (PTE-mapped, parent only)      write page 6
 *  TTTTTTTT...                   ->   TTTTTTsTT...   (s: a new small folio)
 */
Test(memory, thp_pte_mapped_not_reused_before_6_15)
{
	struct folio *thp;

	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	ev_mmap(1, THP, 1024, "rw-");
	ev_madvise(1, THP, 1024, MADV_HUGEPAGE);
	ev_fault(1, THP + 5 * PG, true, 9);
	thp = folio_at(1, THP);
	ev_fork(1, 2);
	ev_fault(1, THP + 5 * PG, true, 9);
	ev_exit(2);
	cr_assert(!folio_maybe_mapped_shared(thp));
	ev_fault(1, THP + 6 * PG, true, 0);
	cr_assert_neq(folio_at(1, THP + 6 * PG), thp);
	cr_assert_eq(folio_at(1, THP + 6 * PG)->order, 0);
	cr_assert_eq(folio_at(1, THP + 7 * PG), thp);
}

/*
 * A read fault maps the huge zero page; MADV_POPULATE_WRITE over it then
 * gets a PMD folio from 6.13, while 6.12 splits the huge zero PMD and
 * copies small pages (kernel-run of Debian's 6.12.118 amd64 in a VM:
 * mlockall(MCL_CURRENT) leaves 512 small folios there).
 *
 *  PMD 0: Z (huge zero)  populate write  ->  T (one order-9 folio)  6.18
 *  PMD 2: Z (huge zero)  populate write  ->  s s s ... (order 0)    6.12
 */
Test(memory, populate_over_huge_zero_page)
{
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long pmd = THP + 2 * i * HPAGE;

		if (i)
			W->kernel_version = KERNEL_VERSION(6, 12, 0);
		ev_mmap(1, pmd, 512, "rw-");
		ev_madvise(1, pmd, 512, MADV_HUGEPAGE);
		ev_fault(1, pmd + 3 * PG, false, 0);
		cr_assert_null(folio_or_null(1, pmd + 3 * PG));
		cr_assert_eq(sys_madvise(T(1), pmd, HPAGE,
					 MADV_POPULATE_WRITE), 0);
	}
	cr_assert_eq(folio_at(1, THP + 3 * PG)->order, 9);
	cr_assert_eq(folio_at(1, THP + 2 * HPAGE + 3 * PG)->order, 0);
	cr_assert_neq(folio_at(1, THP + 2 * HPAGE),
		      folio_at(1, THP + 2 * HPAGE + PG));
}

/* A sole PMD mapping is reused whole on write after the child's exit. */
Test(memory, thp_pmd_reused_whole)
{
	struct folio *thp;

	thp = ev_mmap_thp(1, THP);
	ev_fork(1, 2);
	ev_exit(2);
	ev_fault(1, THP + PG, true, 0);
	cr_assert_eq(folio_at(1, THP + PG), thp);
	cr_assert(pte_lookup(T(1)->mm, THP)->pmd);
	cr_assert(thp->pages[100].anon_exclusive);
}

/*
 * A read fault on an empty, THP-eligible PMD goes through
 * do_huge_pmd_anonymous_page(), which prepares the anon_vma even though
 * it maps only the huge zero page.
 */
Test(memory, thp_read_fault_prepares_anon_vma)
{
	ev_mmap(1, THP, 512, "rw-");
	ev_madvise(1, THP, 512, MADV_HUGEPAGE);
	ev_fault(1, THP + PG, false, 0);
	cr_assert_not_null(vma_at(1, THP)->anon_vma);
	cr_assert_null(folio_or_null(1, THP + PG));
	/* Not eligible (no MADV_HUGEPAGE): the ordinary zero page. */
	ev_mmap(1, THP + 2 * HPAGE, 512, "rw-");
	ev_fault(1, THP + 2 * HPAGE, false, 0);
	cr_assert_null(vma_at(1, THP + 2 * HPAGE)->anon_vma);
}

/* Splitting a VMA inside a PMD mapping splits the PMD, not the folio. */
Test(memory, vma_split_splits_pmd_mapping)
{
	struct folio *thp;

	thp = ev_mmap_thp(1, THP);
	ev_mprotect(1, THP + 8 * PG, 8, "r--");
	cr_assert(!pte_lookup(T(1)->mm, THP)->pmd);
	cr_assert_eq(folio_at(1, THP + 10 * PG), thp);
	cr_assert_eq(thp->entire_mapcount, 0);
	cr_assert_eq(thp->pages[10].mapcount, 1);
	cr_assert_eq(thp->refcount, 512);
	/* munmap of part of it frees nothing yet: the folio lives on. */
	ev_munmap(1, THP, 8);
	cr_assert_eq(thp->refcount, 504);
}

/* Threads share the mm; exec gives a fresh, empty one. */
Test(memory, threads_share_mm_and_exec_replaces_it)
{
	struct task *th;

	map_anon(1, 0, 1, "rw-", 0);
	cr_assert_eq(task_clone_thread(T(1), 10, &th), 0);
	cr_assert_eq(th->mm, T(1)->mm);
	ev_fault(10, AT(0), true, 0);
	cr_assert_not_null(folio_or_null(1, AT(0)));
	task_exit(th);
	cr_assert_not_null(folio_or_null(1, AT(0)));
	cr_assert_eq(task_exec(T(1)), 0);
	cr_assert_eq(nr_vmas(1), 0);
	cr_assert_eq(W->nr_folios, 0);
}

/* The brute-force oracle and classic's walk agree on a small fork tree. */
Test(memory, oracle_and_walk_agree)
{
	map_anon(1, 0, 4, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(1), true, 0);
	ev_fork(1, 2);
	ev_fork(2, 3);
	ev_fault(2, AT(1), true, 0);
	ev_exit(1);
	cr_assert_str_eq(sharers(2, AT(0)),
			 "2:0x100000000 3:0x100000000");
	cr_assert(walk_finds(folio_at(3, AT(0)), 2, AT(0)));
	cr_assert(walk_finds(folio_at(3, AT(0)), 3, AT(0)));
}

/*
 * An address above 48 bits (la57 x86_64, 52-bit arm64) grows the page
 * table by a level; lower mappings stay where they were.
 */
Test(memory, page_table_grows_for_high_addresses)
{
	unsigned long high = 1UL << 52;

	/* a 5-level machine's TASK_SIZE */
	T(1)->mm->world->task_size = (1UL << 56) - PG;
	map_anon(1, 0, 1, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(sys_mmap(T(1), high, PG, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		     (long)high);
	ev_fault(1, high, true, 0);
	ev_fork(1, 2);
	cr_assert_str_eq(sharers(2, high), "1:0x10000000000000 "
			 "2:0x10000000000000");
	cr_assert_str_eq(sharers(2, AT(0)), "1:0x100000000 2:0x100000000");
	cr_assert_null(folio_or_null(1, high + (1UL << 48)));
}
