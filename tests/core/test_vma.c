// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMA layout after mmap, munmap, mprotect and madvise, as mm/vma.c decides
 * it.  Each test draws the address space before and after: one character
 * per page, a letter per VMA, '.' for a hole (tests/core/layout.h).
 */
#include <errno.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "tests/core/layout.h"

static void setup(void)
{
	env_setup("");
}

TestSuite(vma, .init = setup, .fini = env_teardown);

/*
 * 0123456
 * AAA           ->   AAAAAA    (new range merges with prev)
 */
Test(vma, mmap_merges_with_prev)
{
	map_anon(1, 0, 3, "rw-", 0);
	map_anon(1, 3, 3, "rw-", 0);
	cr_assert_str_eq(layout(1, 7), "AAAAAA.");
	cr_assert_eq(nr_vmas(1), 1);
}

/*
 * 0123456
 *    BBB        ->   AAAAAA    (new range merges with next)
 */
Test(vma, mmap_merges_with_next)
{
	map_anon(1, 3, 3, "rw-", 0);
	map_anon(1, 0, 3, "rw-", 0);
	cr_assert_str_eq(layout(1, 7), "AAAAAA.");
	cr_assert_eq(vma_at(1, AT(0))->vm_pgoff, AT(0) >> 12);
}

/*
 * 0123456
 * AA  BB        ->   AAAAAA    (merge both sides: next removed)
 */
Test(vma, mmap_merges_both_sides)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 4, 2, "rw-", 0);
	cr_assert_str_eq(layout(1, 6), "AA..BB");
	map_anon(1, 2, 2, "rw-", 0);
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
	cr_assert_eq(live("vm_area_struct"), 1);
}

/*
 * 0123
 * AA       + r-- at 2  ->   AABB   (protections differ)
 */
Test(vma, mmap_different_prot_does_not_merge)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 2, 2, "r--", 0);
	cr_assert_str_eq(layout(1, 4), "AABB");
}

/*
 * A writable private mapping is charged (VM_ACCOUNT), a MAP_NORESERVE one
 * is not: the flags differ and the two never merge.
 */
Test(vma, mmap_noreserve_does_not_merge)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 2, 2, "rw-", MAP_NORESERVE);
	cr_assert_str_eq(layout(1, 4), "AABB");
	cr_assert(vma_at(1, AT(0))->vm_flags & VM_ACCOUNT);
	cr_assert(!(vma_at(1, AT(2))->vm_flags & VM_ACCOUNT));
}

/*
 * 0123
 * ff  + f at 2, file offset contiguous      ->  AAAA
 * ff  + f at 2, file offset not contiguous  ->  AABB
 */
Test(vma, file_mapping_merges_only_with_contiguous_pgoff)
{
	map_file(1, 0, 2, "rw-", "f0", 10, false);
	map_file(1, 2, 2, "rw-", "f0", 12, false);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	map_file(1, 6, 2, "rw-", "f0", 10, false);
	map_file(1, 8, 2, "rw-", "f0", 20, false);
	cr_assert_str_eq(layout(1, 10), "AAAA..BBCC");
	map_file(1, 12, 2, "rw-", "f1", 14, false);
	cr_assert_str_eq(layout(1, 14), "AAAA..BBCC..DD");
}

/* File and anonymous neighbours never merge. */
Test(vma, file_and_anon_do_not_merge)
{
	map_file(1, 0, 2, "rw-", "f0", 0, false);
	map_anon(1, 2, 2, "rw-", 0);
	cr_assert_str_eq(layout(1, 4), "AABB");
}

/*
 * Each MAP_SHARED|MAP_ANONYMOUS mapping is its own shmem object: two
 * adjacent ones stay apart, and a split piece keeps its offset.
 *
 * 0123     munmap 1      0123
 * AABB  ->              A.BB   (B's offset unchanged; A keeps 0)
 */
Test(vma, shared_anon_never_merges_and_keeps_offset)
{
	map_anon(1, 0, 2, "rw-", 0);
	sys_munmap(T(1), AT(0), 2 * PG);
	cr_assert_eq(sys_mmap(T(1), AT(0), 4 * PG, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		     (long)AT(0));
	cr_assert_eq(sys_mmap(T(1), AT(4), 2 * PG, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		     (long)AT(4));
	cr_assert_str_eq(layout(1, 6), "AAAABB");
	sys_munmap(T(1), AT(1), PG);
	cr_assert_str_eq(layout(1, 6), "A.BBCC");
	cr_assert_eq(vma_at(1, AT(2))->vm_pgoff, 2);
	cr_assert_eq(vma_at(1, AT(0))->vm_pgoff, 0);
}

/*
 * 012345
 * AAAAAA   MAP_FIXED r-- over 2-3   ->   AABBCC
 */
Test(vma, mmap_fixed_replaces_middle)
{
	map_anon(1, 0, 6, "rw-", 0);
	ev_fault(1, AT(3), true, 0);
	map_anon(1, 2, 2, "r--", 0);
	cr_assert_str_eq(layout(1, 6), "AABBCC");
	cr_assert_null(folio_or_null(1, AT(3)));
	cr_assert_eq(vma_at(1, AT(4))->vm_pgoff, AT(4) >> 12);
}

Test(vma, mmap_fixed_noreplace_refuses_overlap)
{
	map_anon(1, 0, 2, "rw-", 0);
	cr_assert_eq(map_anon(1, 1, 2, "rw-", MAP_FIXED_NOREPLACE), -EEXIST);
	cr_assert_str_eq(layout(1, 3), "AA.");
}

Test(vma, mmap_rejects_bad_arguments)
{
	cr_assert_eq(sys_mmap(T(1), AT(0), 0, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		     -EINVAL);
	cr_assert_eq(sys_mmap(T(1), AT(0) + 1, PG, PROT_READ,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0),
		     -EINVAL);
	cr_assert_eq(sys_mmap(T(1), AT(0), PG, PROT_READ,
			      MAP_ANONYMOUS | MAP_FIXED, NULL, 0), -EINVAL);
	cr_assert_eq(nr_vmas(1), 0);
}

/*
 * 012345          012345
 * ffffff   ->     ff..ff   (the tail's file offset moves on by 4)
 */
Test(vma, munmap_punches_hole_and_shifts_tail_pgoff)
{
	map_file(1, 0, 6, "rw-", "f0", 100, false);
	cr_assert_eq(sys_munmap(T(1), AT(2), 2 * PG), 0);
	cr_assert_str_eq(layout(1, 6), "AA..BB");
	cr_assert_eq(vma_at(1, AT(4))->vm_pgoff, 104);
}

/*
 * 0123456789
 * AA.BB.CC     munmap 1-7   ->   A......C
 */
Test(vma, munmap_across_vmas_and_holes)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 2, "r--", 0);
	map_anon(1, 6, 2, "rw-", 0);
	cr_assert_eq(sys_munmap(T(1), AT(1), 6 * PG), 0);
	cr_assert_str_eq(layout(1, 9), "A......B.");
	cr_assert_eq(sys_munmap(T(1), AT(3), PG), 0);	/* nothing there */
	cr_assert_eq(sys_munmap(T(1), AT(3) + 5, PG), -EINVAL);
	cr_assert_eq(sys_munmap(T(1), AT(3), 0), -EINVAL);
}

/*
 * 012345           012345
 * AAAAAA  r-- 2-3  AABBCC  rw- 2-3  AAAAAA   (unfaulted: merges back)
 */
Test(vma, mprotect_splits_and_merges_back)
{
	map_anon(1, 0, 6, "rw-", 0);
	cr_assert_eq(sys_mprotect(T(1), AT(2), 2 * PG, PROT_READ), 0);
	cr_assert_str_eq(layout(1, 6), "AABBCC");
	cr_assert_eq(sys_mprotect(T(1), AT(2), 2 * PG,
				  PROT_READ | PROT_WRITE), 0);
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
}

/*
 * An unfaulted anonymous VMA made read-only is uncharged (loses
 * VM_ACCOUNT) and so merges with a read-only mapping; a faulted one keeps
 * the charge and does not.
 *
 * 0123          0123
 * AABB   ->     AAAA     (A rw- unfaulted -> r--, B mapped r--)
 */
Test(vma, mprotect_readonly_unfaulted_drops_account)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 2, 2, "r--", 0);
	sys_mprotect(T(1), AT(0), 2 * PG, PROT_READ);
	cr_assert_str_eq(layout(1, 4), "AAAA");

	map_anon(1, 6, 2, "rw-", 0);
	ev_fault(1, AT(6), true, 0);
	map_anon(1, 8, 2, "r--", 0);
	sys_mprotect(T(1), AT(6), 2 * PG, PROT_READ);
	cr_assert_str_eq(layout(1, 10), "AAAA..BBCC");
}

/*
 * A faulted VMA made like its unfaulted neighbour merges into it, which
 * takes its anon_vma (dup_anon_vma()); before 6.16 the unfaulted target's
 * empty anon_vma_chain failed the list_is_singular() test and the two
 * stayed apart (kernel-run of Debian's 6.12.118 amd64 in a VM: munlockall
 * leaves a faulted VMA beside an emptied MREMAP_DONTUNMAP source).
 *
 * 0123      B faulted, r-- -> rw-    0123
 * AABB                          ->   AAAA   (6.18)
 * AABB                          ->   AABB   (6.12)
 */
Test(vma, faulted_merges_into_unfaulted_from_6_16)
{
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long b = i * 8;

		if (i)
			W->kernel_version = KERNEL_VERSION(6, 12, 0);
		map_anon(1, b + 2, 2, "rw-", 0);
		ev_fault(1, AT(b + 2), true, 0);
		cr_assert_eq(sys_mprotect(T(1), AT(b + 2), 2 * PG,
					  PROT_READ), 0);
		map_anon(1, b, 2, "rw-", 0);
		cr_assert_null(vma_at(1, AT(b))->anon_vma);
		cr_assert_eq(sys_mprotect(T(1), AT(b + 2), 2 * PG,
					  PROT_READ | PROT_WRITE), 0);
	}
	cr_assert_str_eq(layout(1, 12), "AAAA....BBCC");
	cr_assert_not_null(vma_at(1, AT(0))->anon_vma);
	cr_assert_null(vma_at(1, AT(8))->anon_vma);
}

/*
 * 01234567
 * AA.BBB     rw- over 0-5: hole at 2   ->  -ENOMEM, A changed, B not
 */
Test(vma, mprotect_stops_at_hole)
{
	map_anon(1, 0, 2, "r--", 0);
	map_anon(1, 3, 3, "r--", 0);
	cr_assert_eq(sys_mprotect(T(1), AT(0), 6 * PG,
				  PROT_READ | PROT_WRITE), -ENOMEM);
	cr_assert(vma_at(1, AT(0))->vm_flags & VM_WRITE);
	cr_assert(!(vma_at(1, AT(3))->vm_flags & VM_WRITE));
	/* Starting in a hole changes nothing at all. */
	cr_assert_eq(sys_mprotect(T(1), AT(2), 3 * PG, PROT_NONE), -ENOMEM);
	cr_assert(vma_at(1, AT(3))->vm_flags & VM_READ);
}

/*
 * One faulted VMA, its first two pages made read-only, so that both
 * pieces share one anon_vma and one charge:
 *
 * 012345
 * AABBBB  r-- on 2-3 (B rw-)  ->  AAAABB   (merge_left, B shrinks)
 * AAAABB  rw- on 2-3          ->  AABBBB   (merge_right, A shrinks)
 */
Test(vma, mprotect_partial_merges_left_and_right)
{
	map_anon(1, 0, 6, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(4), true, 0);
	sys_mprotect(T(1), AT(0), 2 * PG, PROT_READ);
	cr_assert_str_eq(layout(1, 6), "AABBBB");
	sys_mprotect(T(1), AT(2), 2 * PG, PROT_READ);
	cr_assert_str_eq(layout(1, 6), "AAAABB");
	cr_assert_eq(vma_at(1, AT(4))->vm_pgoff, AT(4) >> 12);
	sys_mprotect(T(1), AT(2), 2 * PG, PROT_READ | PROT_WRITE);
	cr_assert_str_eq(layout(1, 6), "AABBBB");
	cr_assert_eq(vma_at(1, AT(2))->vm_pgoff, AT(2) >> 12);
}

Test(vma, mprotect_rejects_unknown_prot)
{
	map_file(1, 0, 2, "r--", "f0", 0, true);
	/* Files are opened read-write: a shared one may become writable. */
	cr_assert_eq(sys_mprotect(T(1), AT(0), PG, PROT_READ | PROT_WRITE), 0);
	cr_assert_eq(sys_mprotect(T(1), AT(0), PG, 0x10), -EINVAL);
}

/*
 * 012345                     012345
 * AAAAAA  dontfork 2-3  ->   AABBCC  dofork 2-3  ->  AAAAAA
 */
Test(vma, madvise_dontfork_splits_dofork_merges)
{
	map_anon(1, 0, 6, "rw-", 0);
	cr_assert_eq(sys_madvise(T(1), AT(2), 2 * PG, MADV_DONTFORK), 0);
	cr_assert_str_eq(layout(1, 6), "AABBCC");
	cr_assert(vma_at(1, AT(2))->vm_flags & VM_DONTCOPY);
	cr_assert_eq(sys_madvise(T(1), AT(2), 2 * PG, MADV_DOFORK), 0);
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
}

/*
 * 0123456
 * AA.BB     hugepage over 0-5: hole at 2 and 5 -> applied to both, -ENOMEM
 */
Test(vma, madvise_skips_holes_but_reports_enomem)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 2, "rw-", 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 6 * PG, MADV_HUGEPAGE), -ENOMEM);
	cr_assert(vma_at(1, AT(0))->vm_flags & VM_HUGEPAGE);
	cr_assert(vma_at(1, AT(3))->vm_flags & VM_HUGEPAGE);
	cr_assert_eq(sys_madvise(T(1), AT(7), PG, MADV_HUGEPAGE), -ENOMEM);
}

/* WIPEONFORK is for private anonymous memory only: stops at the file. */
Test(vma, madvise_wipeonfork_refuses_file)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_file(1, 2, 2, "rw-", "f0", 0, false);
	map_anon(1, 4, 2, "r--", 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 6 * PG, MADV_WIPEONFORK),
		     -EINVAL);
	cr_assert(vma_at(1, AT(0))->vm_flags & VM_WIPEONFORK);
	cr_assert(!(vma_at(1, AT(4))->vm_flags & VM_WIPEONFORK));
	cr_assert_eq(sys_madvise(T(1), AT(0), PG, 12345), -EINVAL);
}

/* MADV_DONTNEED unmaps the pages (the folio goes) but keeps the VMA. */
Test(vma, madvise_dontneed_zaps)
{
	map_anon(1, 0, 4, "rw-", 0);
	ev_fault(1, AT(1), true, 0);
	ev_fault(1, AT(2), true, 0);
	cr_assert_eq(W->nr_folios, 2);
	cr_assert_eq(sys_madvise(T(1), AT(0), 2 * PG, MADV_DONTNEED), 0);
	cr_assert_null(folio_or_null(1, AT(1)));
	cr_assert_not_null(folio_or_null(1, AT(2)));
	cr_assert_eq(W->nr_folios, 1);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	/* MADV_FREE on a file mapping is refused. */
	map_file(1, 6, 1, "rw-", "f0", 0, false);
	cr_assert_eq(sys_madvise(T(1), AT(6), PG, MADV_FREE), -EINVAL);
}

/*
 * brk: the first call tells the model the break; growing extends the
 * heap VMA, shrinking unmaps.
 */
Test(vma, brk_grows_and_shrinks)
{
	struct mm_struct *mm = T(1)->mm;

	mm->start_brk = mm->brk = AT(0);
	mm->brk_known = true;
	cr_assert_eq(sys_brk(T(1), AT(2)), (long)AT(2));
	cr_assert_eq(sys_brk(T(1), AT(4)), (long)AT(4));
	cr_assert_str_eq(layout(1, 5), "AAAA.");
	cr_assert_eq(sys_brk(T(1), AT(1)), (long)AT(1));
	cr_assert_str_eq(layout(1, 5), "A....");
	/* Below the start of the heap: refused, break unchanged. */
	cr_assert_eq(sys_brk(T(1), AT(0) - PG), (long)AT(1));
	/* Into the next mapping: refused. */
	map_anon(1, 3, 1, "r--", 0);
	cr_assert_eq(sys_brk(T(1), AT(4)), (long)AT(1));
}

/* A fault just below a MAP_GROWSDOWN VMA grows it, with anon_vma. */
Test(vma, stack_grows_down_on_fault)
{
	map_anon(1, 8, 2, "rw-", MAP_GROWSDOWN);
	cr_assert(vma_at(1, AT(8))->vm_flags & VM_GROWSDOWN);
	ev_fault(1, AT(6), false, 0);
	cr_assert_str_eq(layout(1, 10), "......AAAA");
	cr_assert_not_null(vma_at(1, AT(6))->anon_vma);
	cr_assert_eq(vma_at(1, AT(6))->vm_pgoff, (AT(8) >> 12) - 2);
	/* Within the guard gap of an accessible VMA: SIGSEGV. */
	map_anon(1, 0, 2, "rw-", 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(3), false, 0), -EFAULT);
}

/*
 * An unfaulted private mapping made read-only drops its charge
 * (VM_ACCOUNT) since 6.7, and then merges with a fresh read-only
 * mapping; 6.1 keeps the charge, so the flags differ and they stay
 * apart (kernel-run of Debian's 6.1.0-57 amd64 in a VM).
 * 0123456     rw- 0-2, mprotect --- 0-2, mmap --- 3-5
 * AAABBB  ->  AAAAAA (6.18)      AAABBB (6.1)
 */
Test(vma, readonly_unfaulted_keeps_charge_before_6_7)
{
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long b = i * 8;

		if (i)
			W->kernel_version = KERNEL_VERSION(6, 1, 0);
		map_anon(1, b, 3, "rw-", 0);
		cr_assert_eq(sys_mprotect(T(1), AT(b), 3 * PG, PROT_NONE), 0);
		cr_assert_eq(!!(vma_at(1, AT(b))->vm_flags & VM_ACCOUNT), i);
		map_anon(1, b + 3, 3, "---", 0);
	}
	cr_assert_str_eq(layout(1, 14), "AAAAAA..BBBCCC");
}
