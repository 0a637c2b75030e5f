// SPDX-License-Identifier: GPL-2.0-only
/*
 * mremap as mm/mremap.c does it, drawn as in tests/core/test_vma.c.
 */
#include <errno.h>
#include <linux/mman.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "tests/core/layout.h"
#include "traces/linux_abi.h"


static void setup(void)
{
	env_setup("");
}

TestSuite(mremap, .init = setup, .fini = env_teardown);

/*
 * 012345           012345
 * AAAA     ->      AA....   (shrink in place)
 */
Test(mremap, shrink_in_place)
{
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(remap(1, AT(0), 4, 2, 0, 0), (long)AT(0));
	cr_assert_str_eq(layout(1, 6), "AA....");
}

/*
 * 012345           012345
 * AA..     ->      AAAA..   (grow in place: the space after is free)
 * AAAAB.   ->      -ENOMEM without MREMAP_MAYMOVE
 */
Test(mremap, grow_in_place_or_enomem)
{
	map_anon(1, 0, 2, "rw-", 0);
	cr_assert_eq(remap(1, AT(0), 2, 4, 0, 0), (long)AT(0));
	cr_assert_str_eq(layout(1, 6), "AAAA..");
	map_anon(1, 4, 1, "r--", 0);
	cr_assert_eq(remap(1, AT(0), 4, 5, 0, 0), -ENOMEM);
	/* Growing from the middle of a VMA is a move, hence -ENOMEM... */
	cr_assert_eq(remap(1, AT(0), 2, 3, 0, 0), -ENOMEM);
	/* ...and a range past the VMA's end is -EFAULT. */
	cr_assert_eq(remap(1, AT(2), 3, 4, 0, 0), -EFAULT);
}

/*
 * Growing in place merges with a compatible next VMA.
 *
 * 0123456          0123456
 * AA..BBB  ->      AAAAAAA
 */
Test(mremap, grow_in_place_merges_next)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 4, 3, "rw-", 0);
	cr_assert_eq(remap(1, AT(0), 2, 4, 0, 0), (long)AT(0));
	cr_assert_str_eq(layout(1, 7), "AAAAAAA");
}

/*
 * A faulted VMA keeps its vm_pgoff when it moves (its folios' index must
 * stay valid), so moving it back merges it in place again; an unfaulted
 * one takes the pgoff of its new address.
 *
 * 0123456789        0123456789        0123456789
 * AAAAAA     ->     AA..AA..BB  ->    AAAAAA....
 */
Test(mremap, faulted_vma_keeps_pgoff_and_merges_back)
{
	map_anon(1, 0, 6, "rw-", 0);
	ev_fault(1, AT(2), true, 0);
	cr_assert_eq(remap(1, AT(2), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(8)), (long)AT(8));
	cr_assert_str_eq(layout(1, 10), "AA..BB..CC");
	cr_assert_eq(vma_at(1, AT(8))->vm_pgoff, AT(2) >> 12);
	cr_assert_not_null(folio_or_null(1, AT(8)));
	cr_assert_eq(remap(1, AT(8), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(2)), (long)AT(2));
	cr_assert_str_eq(layout(1, 10), "AAAAAA....");
}

Test(mremap, unfaulted_vma_takes_new_pgoff)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 6, 2, "rw-", 0);
	cr_assert_eq(remap(1, AT(0), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(4)), (long)AT(4));
	cr_assert_eq(vma_at(1, AT(4))->vm_pgoff, AT(4) >> 12);
	/* ...which makes it merge with its new neighbour. */
	cr_assert_str_eq(layout(1, 8), "....AAAA");
}

/*
 * MREMAP_DONTUNMAP: the old VMA stays, empty and unfaulted again.
 *
 * 01234567        01234567
 * AA.....    ->   AA....BB   (A keeps its range, loses its anon_vma)
 */
Test(mremap, dontunmap_keeps_old_vma_empty)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(remap(1, AT(0), 2, 2,
			       MREMAP_MAYMOVE | MREMAP_FIXED |
			       MREMAP_DONTUNMAP, AT(6)), (long)AT(6));
	cr_assert_str_eq(layout(1, 8), "AA....BB");
	cr_assert_null(vma_at(1, AT(0))->anon_vma);
	cr_assert_null(folio_or_null(1, AT(0)));
	cr_assert_not_null(folio_or_null(1, AT(6)));
	/* DONTUNMAP may not resize. */
	cr_assert_eq(remap(1, AT(6), 2, 3, MREMAP_MAYMOVE |
			       MREMAP_DONTUNMAP, 0), -EINVAL);
}

/*
 * A moved VMA keeps its pgoff; emptied by MREMAP_DONTUNMAP it keeps it too
 * on 6.18, so a fresh anon mapping after it does not line up and stays
 * apart.  6.12.112 and later 6.12.y give the emptied VMA a fresh VMA's
 * pgoff (vm_start >> PAGE_SHIFT), so the mapping after it merges
 * (kernel-run of Debian's 6.12.118 amd64 in a VM: one VMA); so does
 * 6.1.191 and later 6.1.y (Debian 6.1.192's changelog lists the fix
 * under 6.1.191, with the locked split below).
 *
 * 0123456789        0123456789        0123456789
 * ..AA......  ->    AA....BB..  ->    AABB..CC..   (6.18, 6.1.190)
 * ..AA......  ->    AA....BB..  ->    AAAA..BB..   (6.12.118, 6.1.192)
 */
Test(mremap, dontunmap_source_pgoff)
{
	const unsigned int kver[] = {
		KERNEL_VERSION(6, 18, 0), KERNEL_VERSION(6, 12, 118),
		KERNEL_VERSION(6, 1, 190), KERNEL_VERSION(6, 1, 192),
	};
	int i;

	for (i = 0; i < 4; i++) {
		unsigned long b = i * 12;

		W->kernel_version = kver[i];
		map_anon(1, b + 2, 2, "rw-", 0);
		ev_fault(1, AT(b + 2), true, 0);
		cr_assert_eq(remap(1, AT(b + 2), 2, 2, MREMAP_MAYMOVE |
				       MREMAP_FIXED, AT(b)), (long)AT(b));
		cr_assert_eq(remap(1, AT(b), 2, 2, MREMAP_MAYMOVE |
				       MREMAP_FIXED | MREMAP_DONTUNMAP,
				       AT(b + 6)), (long)AT(b + 6));
		map_anon(1, b + 2, 2, "rw-", 0);
	}
	cr_assert_eq(vma_at(1, AT(12))->vm_pgoff, AT(12) / PG);
	cr_assert_str_eq(layout(1, 46), "AABB..CC....DDDD..EE...."
			 "FFGG..HH....IIII..JJ..");
}

/*
 * MREMAP_DONTUNMAP of part of a locked VMA: 6.18 unlocks the whole source
 * VMA and leaves it whole; 6.12.114 and later 6.12.y split it around the
 * range first, so that only the moved part loses VM_LOCKED (kernel-run of
 * Debian's 6.12.118 amd64 in a VM: three VMAs).
 *
 * 0123456789        0123456789
 * LLLLLL....  ->    AAAAAA..BB   (6.18: A unlocked)
 * LLLLLL....  ->    AABBCC..DD   (6.12.118: A, C locked; B unlocked)
 */
Test(mremap, dontunmap_of_locked_part)
{
	map_anon(1, 0, 6, "rw-", MAP_LOCKED);
	cr_assert_eq(remap(1, AT(2), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED |
			       MREMAP_DONTUNMAP, AT(8)), (long)AT(8));
	cr_assert_str_eq(layout(1, 10), "AAAAAA..BB");
	cr_assert(!(vma_at(1, AT(0))->vm_flags & VM_LOCKED));
}

/* The split of the stable kernels, on kernel @version. */
static void dontunmap_of_locked_part_splits(unsigned int version)
{
	W->kernel_version = version;
	map_anon(1, 0, 6, "rw-", MAP_LOCKED);
	cr_assert_eq(remap(1, AT(2), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED |
			       MREMAP_DONTUNMAP, AT(8)), (long)AT(8));
	cr_assert_str_eq(layout(1, 10), "AABBCC..DD");
	cr_assert(vma_at(1, AT(0))->vm_flags & VM_LOCKED);
	cr_assert(!(vma_at(1, AT(2))->vm_flags & VM_LOCKED));
	cr_assert(vma_at(1, AT(4))->vm_flags & VM_LOCKED);
	cr_assert_null(folio_or_null(1, AT(2)));
	cr_assert_not_null(folio_or_null(1, AT(8)));
}

Test(mremap, dontunmap_of_locked_part_6_12_stable)
{
	dontunmap_of_locked_part_splits(KERNEL_VERSION(6, 12, 118));
}

/* 6.1.191 and later 6.1.y split the same way. */
Test(mremap, dontunmap_of_locked_part_6_1_stable)
{
	dontunmap_of_locked_part_splits(KERNEL_VERSION(6, 1, 192));
}

/*
 * MREMAP_DONTUNMAP of an unfaulted VMA to right after itself: the copy
 * takes a fresh pgoff and merges with its own source on 6.18 (this
 * machine's 6.18.44 does); 6.12.114 and later 6.12.y refuse the
 * self-merge.
 *
 * 01234567        01234567
 * AAAA....  ->    AAAAAAAA   (6.18)
 * AAAA....  ->    AAAABBBB   (6.12.118)
 */
Test(mremap, dontunmap_self_merge)
{
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long b = i * 16;

		if (i)
			W->kernel_version = KERNEL_VERSION(6, 12, 118);
		map_anon(1, b, 4, "rw-", 0);
		cr_assert_eq(remap(1, AT(b), 4, 4, MREMAP_MAYMOVE |
				       MREMAP_FIXED | MREMAP_DONTUNMAP,
				       AT(b + 4)), (long)AT(b + 4));
	}
	cr_assert_str_eq(layout(1, 24), "AAAAAAAA........BBBBCCCC");
}

/*
 * 6.1.191 and later 6.1.y took the self-merge fix as "try no merge at
 * all when the copy touches its source": a copy between its source and
 * a mergeable neighbour merges with neither, where 6.12.118 merges it
 * with the neighbour (Debian's 6.1.0-57 is 6.1.192, whose release it
 * records as "6.1.192+6.1.0-57-amd64").
 *
 * 0123456789        0123456789
 * AAAA....BB  ->    AAAABBBBBB   (6.12.118)
 * AAAA....BB  ->    AAAABBBBCC   (6.1.192)
 */
Test(mremap, dontunmap_next_to_source_6_1_stable)
{
	int i;

	cr_assert_eq(kernel_version_parse("6.1.192+6.1.0-57-amd64"),
		     KERNEL_VERSION(6, 1, 192));
	for (i = 0; i < 2; i++) {
		unsigned long b = i * 12;

		W->kernel_version = i ? KERNEL_VERSION(6, 1, 192) :
					KERNEL_VERSION(6, 12, 118);
		map_anon(1, b, 4, "rw-", 0);
		map_anon(1, b + 8, 2, "rw-", 0);
		cr_assert_eq(remap(1, AT(b), 4, 4, MREMAP_MAYMOVE |
				       MREMAP_FIXED | MREMAP_DONTUNMAP,
				       AT(b + 4)), (long)AT(b + 4));
	}
	cr_assert_str_eq(layout(1, 22), "AAAABBBBBB..CCCCDDDDEE");
}

/*
 * Before 6.17 a move that grows a locked VMA faults the new part in
 * after the move, as do_mremap() did for every locked growth.
 *
 * 0123456789        0123456789
 * LL........  ->    ......LLL.   (all three pages present)
 */
Test(mremap, locked_grow_by_move_populates_before_6_17)
{
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	map_anon(1, 0, 2, "rw-", MAP_LOCKED);
	cr_assert_eq(remap(1, AT(0), 2, 3, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(6)), (long)AT(6));
	cr_assert_str_eq(layout(1, 10), "......AAA.");
	cr_assert_not_null(folio_or_null(1, AT(8)));
}

/*
 * A shrinking MREMAP_FIXED move of a sealed VMA: 6.12's do_mremap()
 * refuses the seal before mremap_to() cuts the source's tail, so nothing
 * changes (kernel-run of Debian's 6.12.118 arm64-16k in a VM: the VMA
 * stays whole).
 *
 * 0123456789        0123456789
 * AABBBB....  ->    AABBBB....   -EPERM (A, the source's head, sealed)
 */
Test(mremap, sealed_shrink_move_before_6_17)
{
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	map_anon(1, 0, 6, "r--", 0);
	cr_assert_eq(sys_mseal(T(1), AT(0), 2 * PG, 0), 0);
	cr_assert_eq(remap(1, AT(0), 6, 5, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(12)), -EPERM);
	cr_assert_str_eq(layout(1, 10), "AABBBB....");
	/* A hole at the source is -EFAULT, and nothing is unmapped. */
	map_anon(1, 8, 2, "r--", 0);
	cr_assert_eq(remap(1, AT(7), 1, 1, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(8)), -EFAULT);
	cr_assert_str_eq(layout(1, 10), "AABBBB..CC");
}

/*
 * A pure MREMAP_FIXED move takes every VMA of the range along, with the
 * gaps between them (Linux 6.17 and later).
 *
 * 0123456789abcdef        0123456789abcdef
 * AA.B.....       ->      .........AA.B..
 */
Test(mremap, fixed_move_of_several_vmas_keeps_gaps)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 1, "r--", 0);
	cr_assert_eq(remap(1, AT(0), 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(9)), (long)AT(9));
	cr_assert_str_eq(layout(1, 15), ".........AA.B..");
	/* A range starting in a hole is -EFAULT. */
	cr_assert_eq(remap(1, AT(8), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(0)), -EFAULT);
}

/*
 * The same move on a 6.12 kernel: before 6.17 the range must lie in one
 * VMA, so the move fails and nothing moves (kernel-run of Debian's
 * 6.12.118 in a VM returns -EFAULT here).
 *
 * 0123456789abcdef        0123456789abcdef
 * AA.B.....       ->      AA.B...........   -EFAULT
 * AA.B.....       ->      ...A.....BB....   (one VMA: moves)
 */
Test(mremap, fixed_move_of_several_vmas_before_6_17)
{
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 1, "r--", 0);
	cr_assert_eq(remap(1, AT(0), 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(9)), -EFAULT);
	cr_assert_str_eq(layout(1, 15), "AA.B...........");
	/* One VMA still moves. */
	cr_assert_eq(remap(1, AT(0), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(9)), (long)AT(9));
	cr_assert_str_eq(layout(1, 15), "...A.....BB....");
}

Test(mremap, rejects_bad_arguments)
{
	map_anon(1, 0, 2, "rw-", 0);
	cr_assert_eq(remap(1, AT(0), 2, 0, 0, 0), -EINVAL);
	cr_assert_eq(remap(1, AT(0), 2, 2, MREMAP_FIXED, AT(4)), -EINVAL);
	/* Overlapping source and destination. */
	cr_assert_eq(remap(1, AT(0), 2, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(1)), -EINVAL);
	cr_assert_eq(remap(1, AT(5), 1, 2, 0, 0), -EFAULT);
}

/*
 * A move plus a shrink: the tail is unmapped first, then the rest moves.
 *
 * 0123456789
 * fff        ->   ........ff   (file offset follows the moved piece)
 */
Test(mremap, shrink_and_move_file_mapping)
{
	map_file(1, 0, 3, "r--", "f0", 50, false);
	cr_assert_eq(remap(1, AT(0), 3, 2, MREMAP_MAYMOVE | MREMAP_FIXED,
			       AT(8)), (long)AT(8));
	cr_assert_str_eq(layout(1, 10), "........AA");
	cr_assert_eq(vma_at(1, AT(8))->vm_pgoff, 50);
	cr_assert_eq(vma_at(1, AT(8))->vm_flags & VM_ACCESS_FLAGS, VM_READ);
}
