// SPDX-License-Identifier: GPL-2.0-only
/*
 * Remap entries: a faulted VMA that moves gets an entry [pgoff, last] ->
 * offset in its mm's context; the entry follows splits and merges, is
 * copied on fork, moves with further mremaps, goes on unmap and when the
 * VMA moves back to offset 0.  Drawings: one column per page from BASE.
 */
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "env.h"

TestSuite(cowctx_remap, .fini = env_teardown);

static unsigned long remap_entries(long pid)
{
	return ctx_of(pid)->remap.count;
}

/*
 * 0123456789abcdef
 * AAAA                 P1 faults all four pages
 *         AAAA         mremap +8 pages: offset 8, one entry
 * P1 forks P2: P2's context gets an entry for its copy of the VMA;
 * the folios are found in both mms at the moved address.
 */
Test(cowctx_remap, mremap_then_fork)
{
	struct folio *f;
	int i;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	for (i = 0; i < 4; i++)
		ev_fault(1, AT(i), true, 0);
	f = folio_at(1, AT(2));
	ev_move(1, AT(0), 4, 4, AT(8));
	cr_expect_eq(live("cow_remap"), 1);
	cr_expect_eq(remap_entries(1), 1);
	cr_expect_eq(cowctx_vma_off(vma_at(1, AT(8))), 8);
	cr_expect_eq(f->index, AT(2) >> 12, "index survives the move");
	cr_expect(walk_finds(f, 1, AT(10)));

	ev_fork(1, 2);
	cr_expect_eq(live("cow_remap"), 2);
	cr_expect_eq(remap_entries(2), 1);
	cr_expect(walk_finds(f, 2, AT(10)));

	/* P2 moves its copy again: only P2's entry changes */
	ev_move(2, AT(8), 4, 4, AT(32));
	cr_expect_eq(cowctx_vma_off(vma_at(2, AT(32))), 32);
	cr_expect_eq(live("cow_remap"), 2);
	cr_expect(walk_finds(f, 2, AT(34)));
	cr_expect(walk_finds(f, 1, AT(10)));
}

/*
 * 0123456789abcdef
 *         AAAA         moved, offset 8: one entry
 *         AbAA         mprotect page 9: three VMAs, three entries
 *         AAAA         mprotect back: merged, one entry again
 */
Test(cowctx_remap, split_merge_moved)
{
	int i;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	for (i = 0; i < 4; i++)
		ev_fault(1, AT(i), true, 0);
	ev_move(1, AT(0), 4, 4, AT(8));
	ev_mprotect(1, AT(9), 1, "r--");
	cr_expect_eq(nr_vmas(1), 3);
	cr_expect_eq(remap_entries(1), 3);
	ev_mprotect(1, AT(9), 1, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
	cr_expect_eq(remap_entries(1), 1);
	cr_expect_eq(live("cow_remap"), 1);
	for (i = 0; i < 4; i++)
		cr_expect(walk_finds(folio_at(1, AT(8 + i)), 1, AT(8 + i)));
}

/*
 * 0123456789abcdef
 * AAAA                 faulted
 *         AAAA         moved away: an entry
 * AAAA                 moved back: offset 0, no entry
 *         AAAA         away again, then unmapped: no entry
 */
Test(cowctx_remap, move_back_and_unmap)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(1), true, 0);
	ev_move(1, AT(0), 4, 4, AT(8));
	cr_expect_eq(remap_entries(1), 1);
	ev_move(1, AT(8), 4, 4, AT(0));
	cr_expect_eq(cowctx_vma_off(vma_at(1, AT(0))), 0);
	cr_expect_eq(remap_entries(1), 0);
	ev_move(1, AT(0), 4, 4, AT(8));
	ev_munmap(1, AT(8), 4);
	cr_expect_eq(live("cow_remap"), 0);
}

/*
 * An unfaulted VMA that moves is not remapped (its pgoff is reset), and
 * it gets no entry when it is faulted at its new place.
 */
Test(cowctx_remap, unfaulted_move)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_move(1, AT(0), 4, 4, AT(8));
	ev_fault(1, AT(9), true, 0);
	cr_expect_eq(cowctx_vma_off(vma_at(1, AT(8))), 0);
	cr_expect_eq(live("cow_remap"), 0);
}

/*
 * Half of a four-page folio moves: one mm maps it through two VMAs at
 * different offsets, and the walk must find both halves.
 *
 * 0123456789abcdef
 * FFFF                 one order-2 folio
 * FF      FF           pages 2-3 moved to 8-9 (offset 6)
 */
Test(cowctx_remap, large_folio_split_by_move)
{
	struct walk_res r;
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	f = folio_at(1, AT(0));
	cr_assert_eq(f->order, 2);
	ev_move(1, AT(2), 2, 2, AT(8));
	cr_expect_eq(folio_at(1, AT(8)), f);
	walk(f, &r);
	cr_expect_eq(r.hits.nr, 4, "found %zu of 4 pages", r.hits.nr);
	walk_res_free(&r);
}

/* A private file VMA: anon pgoff, not the file offset, keys its folios. */
Test(cowctx_remap, private_file_anon_pgoff)
{
	struct folio *f;

	env_setup("");
	ev_mmap_file(1, AT(0), 4, "rw-", "f0", 0);
	ev_fault(1, AT(1), true, 0);
	f = folio_at(1, AT(1));
	cr_expect_eq(f->index, AT(1) >> 12);
	cr_expect_eq(live("cow_remap"), 0);
	ev_move(1, AT(0), 4, 4, AT(16));
	cr_expect_eq(live("cow_remap"), 1);
	cr_expect(walk_finds(f, 1, AT(17)));
}

/* file_pgoff=file (the PoC): keyed by vm_pgoff, so remapped from the start. */
Test(cowctx_remap, private_file_poc_pgoff)
{
	struct folio *f;

	env_setup("file_pgoff=file");
	ev_mmap_file(1, AT(0), 4, "rw-", "f0", 0);
	ev_fault(1, AT(1), true, 0);
	f = folio_at(1, AT(1));
	cr_expect_eq(f->index, 1);
	cr_expect_eq(live("cow_remap"), 1);
	cr_expect(walk_finds(f, 1, AT(1)));
}

/*
 * A PMD-mapped THP: shared by fork (one PMD mapping per mm, counted once
 * by the fixed walk's stop rule), then half of the child's range moves,
 * which splits the child's PMD into PTEs in two VMAs at two offsets.
 */
Test(cowctx_remap, thp_fork_and_half_move)
{
	struct walk_res r;
	struct folio *f;

	env_setup("");
	f = ev_mmap_thp(1, AT(0));
	cr_assert_eq(f->entire_mapcount, 1, "PMD-mapped");
	ev_fork(1, 2);
	walk(f, &r);
	cr_expect_eq(r.hits.nr, 1024);
	cr_expect_eq(r.rwc.contexts, 2);
	walk_res_free(&r);

	ev_move(2, AT(256), 256, 256, AT(1024));
	cr_expect_eq(f->entire_mapcount, 1, "P1 keeps its PMD");
	walk(f, &r);
	cr_expect_eq(r.hits.nr, 1024);
	walk_res_free(&r);
	cr_expect(walk_finds(f, 2, AT(1024)));
	cr_expect(walk_finds(f, 2, AT(255)));
}
