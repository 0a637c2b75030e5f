// SPDX-License-Identifier: GPL-2.0-only
/*
 * Non-present PTEs: swap entries and the swap cache through reclaim,
 * MADV_PAGEOUT, fork, mremap, zap and swap-in (do_swap_page()), and
 * migration entries through migration.  Every event is followed by the
 * classic checker and a walk of every folio against the page tables.
 *
 * The drawings give one character per page from page 0: '.' nothing,
 * 'P' a present anon page, 'S' a swap entry, 'M' a migration entry.
 */
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/pgtable.h"
#include "core/swap.h"
#include "tests/core/layout.h"
#include "traces/linux_abi.h"

static void setup(void)
{
	env_setup("");
}

TestSuite(swap, .init = setup, .fini = env_teardown);

static const char *ptes(long pid, int npages)
{
	static char buf[64];
	int i;

	for (i = 0; i < npages && i < 63; i++) {
		struct pte *pte = pte_lookup(T(pid)->mm, AT(i));

		buf[i] = pte_none(pte) ? '.' : pte->folio ? 'P' :
			 is_swap_pte(pte) ? 'S' : 'M';
	}
	buf[i] = '\0';
	return buf;
}

static struct pte *pte_at(long pid, int page)
{
	return pte_lookup(T(pid)->mm, AT(page));
}

static int slot_count(long pid, int page)
{
	return W->swap.slots[swp_offset(pte_at(pid, page))].count;
}

static void swap_sound(const char *what)
{
	char buf[300];

	cr_assert_eq(swap_check(W, buf, sizeof(buf)), 0, "%s: %s", what, buf);
	cr_assert_eq(W->nr_use_failures, 0, "%s: %s", what, W->use_failure);
}

static void reclaim(long pid, int page, int pages)
{
	sys_reclaim(T(pid), AT(page), pages * PG);
	env_after("reclaim");
	swap_sound("reclaim");
}

static void migrate(long pid, int page, int pages)
{
	cr_assert_eq(sys_migrate(T(pid), AT(page), pages * PG), 0);
	env_after("migrate");
	swap_sound("migrate");
}

static void fault(long pid, int page, bool write)
{
	ev_fault(pid, AT(page), write, 0);
	swap_sound("fault");
}

/*
 * 01        01
 * PP   ->   SS    MADV_PAGEOUT: exclusive folios go to swap,
 * PS   <-         a read fault brings page 0 back, exclusive.
 */
Test(swap, pageout_then_read_fault)
{
	map_anon(1, 0, 2, "rw-", 0);
	fault(1, 0, true);
	fault(1, 1, true);
	ev_madvise(1, AT(0), 2, MADV_PAGEOUT);
	swap_sound("pageout");
	cr_assert_str_eq(ptes(1, 2), "SS");
	cr_assert(pte_at(1, 0)->swp & PTE_SWP_EXCLUSIVE);
	cr_assert_eq(slot_count(1, 0), 1);
	cr_assert_eq(W->nr_folios, 2, "written out, still in the swap cache");
	fault(1, 0, false);
	cr_assert_str_eq(ptes(1, 2), "PS");
	cr_assert(folio_at(1, AT(0))->pages[0].anon_exclusive);
	cr_assert_eq(W->use[RMAP_USE_UNMAP].walks, 2);
	cr_assert_eq(W->use[RMAP_USE_AGING].walks, 0,
		     "MADV_PAGEOUT ignores references");
}

/*
 * 1: P  2: P   ->   pageout by 1: a folio mapped twice stays
 * 1: P  2: P
 */
Test(swap, pageout_leaves_shared_folios)
{
	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_fork(1, 2);
	ev_madvise(1, AT(0), 1, MADV_PAGEOUT);
	cr_assert_str_eq(ptes(1, 1), "P");
	cr_assert_str_eq(ptes(2, 1), "P");
	cr_assert_eq(W->swap.inuse, 0);
}

/*
 * 1: P  2: P    reclaim by 1   1: S  2: S   (one slot, count 2)
 * child reads first            1: S  2: P   (swap-cache hit)
 * parent reads                 1: P  2: P   (the same folio)
 * child writes: copy; parent writes: reuse, the swap cache lets go.
 */
Test(swap, fork_reclaim_child_then_parent_swap_in)
{
	struct folio *f;

	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_fork(1, 2);
	reclaim(1, 0, 1);
	cr_assert_str_eq(ptes(1, 1), "S");
	cr_assert_str_eq(ptes(2, 1), "S");
	cr_assert_eq(swp_offset(pte_at(1, 0)), swp_offset(pte_at(2, 0)));
	cr_assert_eq(slot_count(1, 0), 2);
	cr_assert_not(pte_at(1, 0)->swp & PTE_SWP_EXCLUSIVE);
	cr_assert_eq(W->use[RMAP_USE_AGING].mappings, 2);
	fault(2, 0, false);
	cr_assert_str_eq(ptes(2, 1), "P");
	cr_assert_str_eq(ptes(1, 1), "S");
	f = folio_at(2, AT(0));
	cr_assert_neq(f->swap, 0, "still in the swap cache");
	fault(1, 0, false);
	cr_assert_eq(folio_at(1, AT(0)), f);
	cr_assert_not(f->pages[0].anon_exclusive);
	cr_assert_str_eq(sharers(1, AT(0)), "1:0x100000000 2:0x100000000");
	fault(2, 0, true);
	cr_assert_neq(folio_at(2, AT(0)), f, "the child copies");
	fault(1, 0, true);
	cr_assert_eq(folio_at(1, AT(0)), f, "the parent reuses");
	cr_assert_eq(f->swap, 0);
	cr_assert_eq(W->swap.inuse, 0);
}

/*
 * A second reclaim pass frees the written-out folio: the swap-in reads a
 * new folio, which a shared entry maps not exclusive (anon_vma root).
 */
Test(swap, swap_in_of_a_new_folio_from_a_shared_entry)
{
	struct folio *f;

	map_anon(1, 0, 2, "rw-", 0);
	fault(1, 0, true);
	ev_fork(1, 2);
	reclaim(1, 0, 1);
	reclaim(1, 1, 1);
	cr_assert_eq(W->nr_folios, 0);
	fault(2, 0, false);
	f = folio_at(2, AT(0));
	cr_assert_not(f->pages[0].anon_exclusive);
	cr_assert_eq(classic_folio_anon_vma(f), av_of(1, AT(0))->root);
	fault(1, 0, false);
	cr_assert_eq(folio_at(1, AT(0)), f);
}

/*
 * 1: S   fork   1: S  2: S   copy_nonpresent_pte(): count 2, neither
 *                            entry exclusive; each exit drops one.
 */
Test(swap, fork_duplicates_and_exit_frees_swap_entries)
{
	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_madvise(1, AT(0), 1, MADV_PAGEOUT);
	ev_fork(1, 2);
	cr_assert_str_eq(ptes(2, 1), "S");
	cr_assert_eq(slot_count(1, 0), 2);
	cr_assert_not(pte_at(1, 0)->swp & PTE_SWP_EXCLUSIVE);
	cr_assert_not(pte_at(2, 0)->swp & PTE_SWP_EXCLUSIVE);
	ev_exit(2);
	swap_sound("exit");
	cr_assert_eq(slot_count(1, 0), 1);
	ev_munmap(1, AT(0), 1);
	swap_sound("munmap");
	cr_assert_eq(W->swap.inuse, 0);
	cr_assert_eq(W->nr_folios, 0);
}

/*
 * 0123        0123
 * SS..   ->   ..SS   mremap moves the swap entries with the VMA.
 */
Test(swap, mremap_moves_swap_entries)
{
	map_anon(1, 0, 2, "rw-", 0);
	fault(1, 0, true);
	fault(1, 1, true);
	ev_madvise(1, AT(0), 2, MADV_PAGEOUT);
	cr_assert_str_eq(layout(1, 4), "AA..");
	ev_move(1, AT(0), 2, 2, AT(2));
	swap_sound("mremap");
	cr_assert_str_eq(layout(1, 4), "..AA");
	cr_assert_str_eq(ptes(1, 4), "..SS");
	fault(1, 3, false);
	cr_assert_str_eq(ptes(1, 4), "..SP");
}

/* MADV_FREE and MADV_DONTNEED drop swap entries and their slots. */
Test(swap, madvise_free_drops_swap_entries)
{
	map_anon(1, 0, 2, "rw-", 0);
	fault(1, 0, true);
	fault(1, 1, true);
	ev_madvise(1, AT(0), 2, MADV_PAGEOUT);
	ev_madvise(1, AT(0), 1, MADV_FREE);
	ev_madvise(1, AT(1), 1, MADV_DONTNEED);
	swap_sound("madvise");
	cr_assert_str_eq(ptes(1, 2), "..");
	cr_assert_eq(W->swap.inuse, 0);
}

/*
 * A write fault on an exclusive entry maps the page writable at once; on
 * a shared one it goes on to do_wp_page(), which copies.
 */
Test(swap, write_fault_on_exclusive_and_shared_entries)
{
	struct folio *f;

	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_madvise(1, AT(0), 1, MADV_PAGEOUT);
	fault(1, 0, true);
	cr_assert(folio_at(1, AT(0))->pages[0].anon_exclusive);
	cr_assert_eq(folio_at(1, AT(0))->swap, 0, "freed from swap");
	ev_fork(1, 2);
	reclaim(1, 0, 1);
	fault(1, 0, false);
	f = folio_at(1, AT(0));
	fault(2, 0, true);
	cr_assert_neq(folio_at(2, AT(0)), f);
	cr_assert(folio_at(2, AT(0))->pages[0].anon_exclusive);
}

/*
 * 1: P  2: P   migrate   1: P' 2: P'   both PTEs name the new folio; no
 *                                      migration entry is left.
 */
Test(swap, migrate_shared_folio)
{
	struct folio *f;
	unsigned long pfn;

	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_fork(1, 2);
	pfn = folio_at(1, AT(0))->pfn;
	migrate(1, 0, 1);
	f = folio_at(1, AT(0));
	cr_assert_neq(f->pfn, pfn);
	cr_assert_eq(folio_at(2, AT(0)), f);
	cr_assert_str_eq(ptes(1, 1), "P");
	cr_assert_eq(W->nr_folios, 1, "the old folio is freed");
	cr_assert_eq(W->use[RMAP_USE_MIGRATE].mappings, 4,
		     "two to unmap, two to restore");
}

/* An exclusive page stays exclusive through migration. */
Test(swap, migrate_keeps_exclusive)
{
	map_anon(1, 0, 2, "rw-", 0);
	fault(1, 0, true);
	fault(1, 1, true);
	migrate(1, 0, 2);
	cr_assert(folio_at(1, AT(0))->pages[0].anon_exclusive);
	cr_assert(folio_at(1, AT(1))->pages[0].anon_exclusive);
	cr_assert_eq(W->nr_folios, 2);
}

/* A swap-cache folio migrates with its slot. */
Test(swap, migrate_swap_cache_folio)
{
	struct folio *f;

	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_fork(1, 2);
	reclaim(1, 0, 1);
	fault(1, 0, false);
	migrate(1, 0, 1);
	f = folio_at(1, AT(0));
	cr_assert_neq(f->swap, 0);
	cr_assert_eq(W->swap.slots[f->swap].cache, f);
	fault(2, 0, false);
	cr_assert_eq(folio_at(2, AT(0)), f);
}

/*
 * 0123       0123
 * PPPP  ->   ..SP    reclaim 0-2: pages 0-1 are MAP_DROPPABLE, dropped
 * DDAL               (no swap entry); 2 swaps out; 3 is mlocked, stays
 */
Test(swap, reclaim_drops_droppable_and_skips_mlocked)
{
	cr_assert_eq(sys_mmap(T(1), AT(0), 2 * PG, PROT_READ | PROT_WRITE,
			      MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, NULL,
			      0), (long)AT(0));
	map_anon(1, 2, 1, "rw-", 0);
	map_anon(1, 3, 1, "rw-", MAP_LOCKED);
	fault(1, 0, true);
	fault(1, 1, true);
	fault(1, 2, true);
	fault(1, 3, true);
	reclaim(1, 0, 4);
	cr_assert_str_eq(ptes(1, 4), "..SP");
	cr_assert_eq(slot_count(1, 2), 1);
}

/*
 * 0123        0123
 * PPPP   ->   ..SP   MADV_FREE of 0-1: lazyfree; reclaim of 0-2 drops
 *                    0 and 1 (discarded, no swap entry) and swaps 2.
 * A write to a lazyfree folio before the reclaim keeps it (3 after a
 * second MADV_FREE): reclaim finds it dirty, puts it back swap-backed,
 * and the next reclaim swaps it.
 */
Test(swap, lazyfree_folios_discarded_not_swapped)
{
	int i;

	map_anon(1, 0, 4, "rw-", 0);
	for (i = 0; i < 4; i++)
		fault(1, i, true);
	ev_madvise(1, AT(0), 2, MADV_FREE);
	cr_assert(folio_at(1, AT(0))->lazyfree);
	cr_assert_not(folio_at(1, AT(2))->lazyfree);
	reclaim(1, 0, 3);
	cr_assert_str_eq(ptes(1, 4), "..SP");
	cr_assert_eq(W->swap.inuse, 1, "only page 2 took a slot");
	ev_madvise(1, AT(3), 1, MADV_FREE);
	fault(1, 3, true);
	reclaim(1, 3, 1);
	cr_assert_str_eq(ptes(1, 4), "..SP", "redirtied: kept");
	cr_assert_not(folio_at(1, AT(3))->lazyfree);
	reclaim(1, 3, 1);
	cr_assert_str_eq(ptes(1, 4), "..SS");
}

/*
 * 1: P  2: P   MADV_FREE by 1 of a folio 2 maps too, then reclaim: the
 * PTEs' dirty bits decide in the kernel, which the model lacks: said,
 * and the folio stays mapped.
 */
Test(swap, lazyfree_shared_folio_unsupported)
{
	map_anon(1, 0, 1, "rw-", 0);
	fault(1, 0, true);
	ev_fork(1, 2);
	ev_madvise(1, AT(0), 1, MADV_FREE);
	sys_reclaim(T(1), AT(0), PG);
	cr_assert(W->nr_unsupported);
	cr_assert(strstr(W->unsupported, "lazyfree"), "%s", W->unsupported);
	cr_assert_str_eq(ptes(1, 1), "P");
	cr_assert_str_eq(ptes(2, 1), "P");
}
