// SPDX-License-Identifier: GPL-2.0-only
/*
 * The merge outcomes of the kernel's tools/testing/selftests/mm/merge.c,
 * re-expressed on the model: faulted/unfaulted neighbours and fork
 * children (is_mergeable_anon_vma()).
 */
#include <linux/mman.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "tests/core/layout.h"

static void setup(void)
{
	env_setup("");
}

TestSuite(selftests, .init = setup, .fini = env_teardown);

/*
 * 0123456789           0123456789
 * RRRRRWWWWW    ->     AAAAAAAAAA
 * (unfaulted)(faulted)   RO part made RW again merges into the faulted
 */
Test(selftests, mprotect_unfaulted_left)
{
	map_anon(1, 0, 10, "rw-", 0);
	ev_mprotect(1, AT(0), 5, "r--");
	ev_fault(1, AT(5), true, 0);
	cr_assert_str_eq(layout(1, 10), "AAAAABBBBB");
	ev_mprotect(1, AT(0), 5, "rw-");
	cr_assert_str_eq(layout(1, 10), "AAAAAAAAAA");
}

/*
 * 0123456789           0123456789
 * WWWWWRRRRR    ->     AAAAAAAAAA
 */
Test(selftests, mprotect_unfaulted_right)
{
	map_anon(1, 0, 10, "rw-", 0);
	ev_mprotect(1, AT(5), 5, "r--");
	ev_fault(1, AT(0), true, 0);
	ev_mprotect(1, AT(5), 5, "rw-");
	cr_assert_str_eq(layout(1, 10), "AAAAAAAAAA");
}

/*
 * 012345678          012345678
 * RRRWWWRRR   ->     AAAAAAAAA   (both unfaulted sides merge into it)
 */
Test(selftests, mprotect_unfaulted_both)
{
	map_anon(1, 0, 9, "rw-", 0);
	ev_mprotect(1, AT(0), 3, "r--");
	ev_mprotect(1, AT(6), 3, "r--");
	ev_fault(1, AT(3), true, 0);
	cr_assert_str_eq(layout(1, 9), "AAABBBCCC");
	ev_mprotect(1, AT(0), 9, "rw-");
	cr_assert_str_eq(layout(1, 9), "AAAAAAAAA");
	cr_assert_not_null(vma_at(1, AT(0))->anon_vma);
}

/*
 * In a forked child, a faulted VMA (its chain is not singular: a fork
 * child) must not absorb a new unfaulted neighbour.
 *
 * child: 0123456789
 *        FFFFF        + mmap 5-9   ->  AAAAABBBBB
 */
Test(selftests, forked_target_vma)
{
	map_anon(1, 0, 5, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	map_anon(2, 5, 5, "rw-", 0);
	cr_assert_str_eq(layout(2, 10), "AAAAABBBBB");
	/* The parent's own VMA is no fork child: it merges. */
	map_anon(1, 5, 5, "rw-", 0);
	cr_assert_str_eq(layout(1, 10), "AAAAAAAAAA");
}

/*
 * ...nor be absorbed by one.
 *
 * child: 0123456789
 *        FFFFFuuuuu  mprotect F r-- then rw-  ->  AAAAABBBBB
 */
Test(selftests, forked_source_vma)
{
	map_anon(1, 0, 5, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	map_anon(2, 5, 5, "r--", 0);
	ev_mprotect(2, AT(0), 5, "r--");
	cr_assert_str_eq(layout(2, 10), "AAAAABBBBB");
	ev_mprotect(2, AT(0), 10, "rw-");
	cr_assert_str_eq(layout(2, 10), "AAAAABBBBB");
}

/*
 * mremap()ing a fork child's faulted VMA back next to an unfaulted VMA
 * whose pgoff lines up must not merge either (vma_is_fork_child() of
 * copied_from, the January 2026 fix).  In the parent the same moves merge.
 *
 * 0123456789ab        0123456789ab        0123456789ab
 * FF..........  ->    ..UU......FF  ->    FFUU........  (child: AABB)
 *                                                       (parent: AAAA)
 */
static void move_away_map_and_back(long pid)
{
	unsigned int f = MREMAP_MAYMOVE | MREMAP_FIXED;

	remap(pid, AT(0), 2, 2, f, AT(10));
	map_anon(pid, 2, 2, "rw-", 0);
	remap(pid, AT(10), 2, 2, f, AT(0));
}

Test(selftests, forked_remap_does_not_merge)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	move_away_map_and_back(2);
	cr_assert_str_eq(layout(2, 12), "AABB........");
	move_away_map_and_back(1);
	cr_assert_str_eq(layout(1, 12), "AAAA........");
	cr_assert_not_null(vma_at(1, AT(3))->anon_vma);
}

/*
 * Faulted VMAs mremap()ed back into place merge again (their pgoff was
 * kept), in either order.
 *
 * 012345678         012345678          012345678
 * AAABBBCCC   ->    ...BBB... + A,C  -> AAAAAAAAA
 */
Test(selftests, mremap_faulted_back_into_place)
{
	unsigned int f = MREMAP_MAYMOVE | MREMAP_FIXED;

	map_anon(1, 0, 9, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(4), true, 0);
	ev_fault(1, AT(8), true, 0);
	remap(1, AT(0), 3, 3, f, AT(20));
	remap(1, AT(6), 3, 3, f, AT(30));
	cr_assert_str_eq(layout(1, 9), "...AAA...");
	remap(1, AT(30), 3, 3, f, AT(6));
	remap(1, AT(20), 3, 3, f, AT(0));
	cr_assert_str_eq(layout(1, 9), "AAAAAAAAA");
	cr_assert_eq(nr_vmas(1), 1);
}
