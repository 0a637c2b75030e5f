// SPDX-License-Identifier: GPL-2.0-only
/*
 * Split of a lazy VMA, above all under one large folio (Lorenzo Stoakes:
 * "split a VMA against a single large folio ... a SINGLE leaf anonymous
 * folio that is mapped in two places"), and root VMAs outliving their
 * unmapping.
 */
#include <criterion/criterion.h>
#include <sys/mman.h>

#include "core/pgtable.h"
#include "env.h"

#define THP_PAGES	512UL

TestSuite(lazy_split, .fini = env_teardown);

/* Every page of @f, mapped at AT(first + i) in pid 1, found by the walk. */
static int walk_pieces(struct folio *f)
{
	struct vm_area_struct *v[8];

	return walk_candidates(f, v, 8);
}

/*
 * A PMD-mapped THP, then mprotect of its middle: the PMD is split into
 * PTEs, the folio stays whole and is mapped by three VMAs of one root.
 *
 * 0        256 257      511
 * A*******************    fault order=9: one folio, PMD mapped
 * a*********A*b*******    mprotect 256 r--: three VMAs, root A
 *                          (A kept [256,257), pieces a and b reference it)
 */
static void split_thp_verify(bool verify_split)
{
	ev_mmap_thp(1, AT(0));
	env_strict = verify_split;
	ev_mprotect(1, AT(256), 1, "r--");
	cr_assert(!pte_lookup(T(1)->mm, AT(0))->pmd, "PMD split");
}

static void split_thp(void)
{
	split_thp_verify(true);
}

Test(lazy_split, split_under_large_folio)
{
	struct folio *f;

	env_setup("");
	split_thp();
	f = folio_at(1, AT(0));
	cr_assert_eq(nr_vmas(1), 3);
	cr_assert_eq(folio_at(1, AT(300)), f, "one folio over all pieces");
	cr_assert_eq(root_at(1, AT(0)), root_at(1, AT(300)));
	cr_assert_eq(root_at(1, AT(256)), root_at(1, AT(0)));
	cr_assert_eq(walk_pieces(f), 3, "the range lookup offers each piece");
	cr_assert_eq(env_misses(), 0, "%s", env_err);
	cr_assert_eq(live("anon_vma"), 0);
	cr_assert_eq(live("lazy_vma_ref"), 2);
}

/*
 * Known finding, walk=point (the series' "ANON_VMA_LAZY has only one VMA",
 * wangtao 2026-06-03, and "once folio_address is obtained, the VMA can be
 * found through mm_mt", 2606.0/05958): one lookup at the folio's address
 * finds only the first piece.  Minimal history:
 *
 *   1 mmap 0x100000000 0x200000 rw- private,anon,fixed -> 0x100000000
 *   1 madvise 0x100000000 0x200000 hugepage
 *   1 fault 0x100000000 w order=9
 *   1 mprotect 0x100100000 0x1000 r--
 *
 * The walk misses the 256 pages at 0x100100000-0x1001fffff.
 */
Test(lazy_split, finding_point_walk_misses_split_pieces)
{
	struct folio *f;

	env_setup("walk=point");
	split_thp_verify(false);
	f = folio_at(1, AT(0));
	cr_assert_eq(env_check(), 0, "the state is sound: %s", env_err);
	cr_assert_eq(walk_pieces(f), 1, "only the VMA at folio_address()");
	cr_assert_eq(env_misses(), THP_PAGES - 256);
	cr_assert(strstr(env_err, "addr 100100000"), "%s", env_err);
}

/*
 * Split first, then one piece of the middle is unmapped: its root keeps
 * the folio findable in the remaining pieces.
 *
 * 0        256 257      511
 * a*********A*b*******
 * a*********  b*******    munmap 256: A is a zombie, a and b name it
 *                          munmap all: the zombie goes with its last ref
 */
Test(lazy_split, unmapped_root_is_a_zombie)
{
	struct vm_area_struct *a;

	env_setup("");
	split_thp();
	a = root_at(1, AT(256));
	cr_assert_eq(vma_at(1, AT(256)), a);
	ev_munmap(1, AT(256), 1);
	cr_assert_eq(live("lazy_zombie_vma"), 1);
	cr_assert_eq(live("vm_area_struct"), 2);
	cr_assert(a->detached);
	cr_assert_eq(root_at(1, AT(0)), a);
	cr_assert_eq(root_at(1, AT(300)), a);
	cr_assert_eq(env_misses(), 0, "%s", env_err);

	ev_munmap(1, AT(0), 256);
	cr_assert_eq(live("lazy_zombie_vma"), 1, "b still refers to A");
	ev_munmap(1, AT(257), THP_PAGES - 257);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
	cr_assert_eq(live("vm_area_struct"), 0);
	cr_assert_eq(live("lazy_vma_ref"), 0);
}

/*
 * The root VMA is the part mprotect modifies, as the kernel keeps the VMA
 * for the modified range; unmapping it leaves the other piece holding it.
 *
 * 0123
 * A*A*   fault 0 and 3: A is the root
 * a*A*   mprotect 2-3 r--: A is [2,4), a is [0,2)
 * a*     munmap 2-3: A is a zombie, held by a (and a's folio)
 *        munmap 0-1: gone
 */
Test(lazy_split, zombie_held_by_piece)
{
	struct vm_area_struct *a;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	a = root_at(1, AT(0));
	ev_mprotect(1, AT(2), 2, "r--");
	cr_assert_eq(vma_at(1, AT(2)), a);
	cr_assert_neq(vma_at(1, AT(0)), a);

	/* Unmapping A frees its folio at 3; the piece at 0-1 holds A. */
	ev_munmap(1, AT(2), 2);
	cr_assert_eq(live("lazy_zombie_vma"), 1);
	cr_assert_eq(env_ls()->st.zombies, 1);
	ev_munmap(1, AT(0), 2);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
	cr_assert_eq(live("vm_area_struct"), 0);
}

/*
 * exit_mmap() takes zombies and families down with the mm.
 *
 * 0        256 257      511
 * a*********  b*******    (A a zombie)   ->   (nothing, nothing kept)
 */
Test(lazy_split, exit_frees_everything)
{
	env_setup("");
	split_thp();
	ev_munmap(1, AT(256), 1);
	cr_assert_eq(live("lazy_zombie_vma"), 1);
	ev_exit(1);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
	cr_assert_eq(live("vm_area_struct"), 0);
	cr_assert_eq(live("lazy_vma_ref"), 0);
	cr_assert_eq(env_ls()->nr_used, 0, "no lazy state left behind");
}
