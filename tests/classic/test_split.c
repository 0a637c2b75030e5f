// SPDX-License-Identifier: GPL-2.0-only
/*
 * Splitting VMAs under a large folio: anon_vma_clone(VMA_OP_SPLIT) gives
 * every piece the same anon_vma and chain, the pieces are re-keyed in the
 * interval tree, and one folio is then found through several VMAs (with
 * vma_address() clamping to vm_start where the folio starts below it).
 */
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "env.h"

TestSuite(classic_split, .fini = env_teardown);

/*
 * 0        100      200              511
 * AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA   one PMD-mapped THP (order 9)
 * AAAAAAAAABBBBBBBBBCCCCCCCCCCCCCCCCCCC   mprotect 100-199 r--
 *                                         -> 3 VMAs, 1 anon_vma, 3 AVCs
 */
Test(classic_split, thp_split_by_mprotect)
{
	struct folio *f;

	env_setup("");
	f = ev_mmap_thp(1, AT(0));
	cr_expect_eq(f->index, AT(0) >> 12);

	ev_mprotect(1, AT(100), 100, "r--");
	cr_expect_eq(nr_vmas(1), 3);
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 3);
	cr_expect_eq(av_of(1, AT(150)), av_of(1, AT(0)));
	cr_expect_eq(folio_at(1, AT(150)), f);
	cr_expect(walk_finds(f, 1, AT(0)));
	cr_expect(walk_finds(f, 1, AT(150)));
	cr_expect(walk_finds(f, 1, AT(300)));

	/*
	 * fork: every child piece gets its own anon_vma (the parent's is
	 * in use), so 1 + 3 anon_vmas and 3 + 3 * 2 AVCs.
	 */
	ev_fork(1, 2);
	cr_expect_eq(live("anon_vma"), 4);
	cr_expect_eq(live("anon_vma_chain"), 9);
	cr_expect(walk_finds(f, 2, AT(150)));

	/* merge back in the parent: one VMA, the folio still whole */
	ev_mprotect(1, AT(100), 100, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
	cr_expect_eq(live("anon_vma_chain"), 7);
	cr_expect(walk_finds(f, 1, AT(150)));
}

/*
 * 01234567
 * FFFF....   an order-2 folio at page 0
 * AABCCCCC   mprotect page 2 r--: B's pgoff is above the folio's index,
 *            C's range starts inside the folio, A's at it
 */
Test(classic_split, small_large_folio_three_ways)
{
	struct vm_area_struct *v[16];
	struct folio *f;
	int n;

	env_setup("");
	ev_mmap(1, AT(0), 8, "rw-");
	ev_fault(1, AT(0), true, 2);
	f = folio_at(1, AT(0));
	cr_assert_eq(f->order, 2);
	ev_mprotect(1, AT(2), 1, "r--");
	cr_expect_eq(nr_vmas(1), 3);
	cr_expect_eq(live("anon_vma_chain"), 3);
	n = walk_candidates(f, v, 16);
	cr_expect_eq(n, 3);
	cr_expect(walk_finds(f, 1, AT(2)));
	cr_expect(walk_finds(f, 1, AT(3)));

	/* unmap the middle: the folio is still found in A and C */
	ev_munmap(1, AT(2), 1);
	cr_expect_eq(live("anon_vma_chain"), 2);
	cr_expect(walk_finds(f, 1, AT(0)));
	cr_expect(walk_finds(f, 1, AT(3)));
}

/*
 * 0123456789
 * AAAAAAAAAA   faulted everywhere, then munmap 3-5:
 * AAA...BBBB   the split piece keeps the anon_vma; unmapped AVC freed
 */
Test(classic_split, munmap_hole)
{
	env_setup("");
	ev_mmap(1, AT(0), 10, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(8), true, 0);
	ev_munmap(1, AT(3), 3);
	cr_expect_eq(nr_vmas(1), 2);
	cr_expect_eq(av_of(1, AT(8)), av_of(1, AT(0)));
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 2);
	/*
	 * Root write locks, as the kernel takes them: two splits, each an
	 * anon_vma_clone() and a vma_prepare() re-key, then one
	 * unlink_anon_vmas() for the piece that goes.
	 */
	cr_expect_eq(locks_w(OP_MUNMAP), 5);
}
