// SPDX-License-Identifier: GPL-2.0-only
/*
 * MAP_PRIVATE file mappings: CoW pages are anon folios whose index is the
 * file page.  Lorenzo Stoakes: the address-from-offset idea is
 * "completely broken for MAP_PRIVATE file-backed mappings"; wangtao: "For
 * COW anonymous pages originating from file VMAs, the page/folio address
 * is also computed using the same method" (vma_mapping_base() then is
 * vm_start - file offset, not 0).  file=classic gives them an anon_vma.
 */
#include <criterion/criterion.h>
#include <sys/mman.h>

#include "env.h"

TestSuite(lazy_file, .fini = env_teardown);

/*
 * file f, pages 0x10-0x13 at 0:
 * 0123
 * FFFF   read fault 0: page cache, nothing anon
 * FF*F   write fault 2: CoW anon folio, index 0x12, lazy root F
 */
Test(lazy_file, private_file_cow_is_lazy)
{
	struct vm_area_struct *v;
	struct folio *f;

	env_setup("");
	ev_mmap_file(1, AT(0), 4, "rw-", "f", 0x10);
	ev_fault(1, AT(0), false, 0);
	cr_assert_null(vma_at(1, AT(0))->anon_vma);
	ev_fault(1, AT(2), true, 0);
	v = vma_at(1, AT(0));
	f = folio_at(1, AT(2));
	cr_assert_eq(root_at(1, AT(0)), v);
	cr_assert_eq(f->index, 0x12);
	cr_assert_eq(vma_mapping_base(v), AT(0) - 0x10 * PG);
	cr_assert_eq(live("anon_vma"), 0);
}

/*
 * CoW, split, unmap of the root, fork: the file offset base goes through
 * all of it.
 *
 * 01234567
 * F*FFF*FF   write faults 1 and 5
 * f*FFf*ff   mprotect 2-3 r--: F=[2,4), f=[0,2) and [4,8)
 * f*  f*ff   munmap 2-3: F is a zombie
 *            fork: upgraded, both folios rewritten
 */
Test(lazy_file, file_cow_split_unmap_fork)
{
	env_setup("");
	ev_mmap_file(1, AT(0), 8, "rw-", "f", 0x100);
	ev_fault(1, AT(1), true, 0);
	ev_fault(1, AT(5), true, 0);
	ev_mprotect(1, AT(2), 2, "r--");
	cr_assert_eq(nr_vmas(1), 3);
	ev_munmap(1, AT(2), 2);
	cr_assert_eq(live("lazy_zombie_vma"), 1);
	ev_fork(1, 2);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
	cr_assert_eq(folio_at(2, AT(5)), folio_at(1, AT(5)));
	ev_fault(2, AT(5), true, 0);
	ev_exit(1);
}

/*
 * file=classic: a private file mapping gets an anon_vma on CoW; anonymous
 * memory stays lazy.
 *
 * 0123 89
 * FF*F A*   (F: anon_vma, A: lazy root)
 */
Test(lazy_file, file_classic)
{
	env_setup("file=classic");
	ev_mmap_file(1, AT(0), 4, "rw-", "f", 0);
	ev_fault(1, AT(2), true, 0);
	cr_assert_null(root_at(1, AT(0)));
	cr_assert_not_null(av_at(1, AT(0)));
	cr_assert_eq(live("anon_vma"), 1);
	ev_mmap(1, AT(8), 2, "rw-");
	ev_fault(1, AT(8), true, 0);
	cr_assert_not_null(root_at(1, AT(8)), "anonymous VMAs stay lazy");
}
