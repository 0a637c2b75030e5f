// SPDX-License-Identifier: GPL-2.0-only
/*
 * mremap of lazy VMAs: a move changes the mapping base, so the family is
 * upgraded first and move_ptes() rewrites the moved folios (wangtao,
 * 2606.0/05023: "We first upgrade the VMA, and then fix folio->mapping in
 * move_ptes()"); a resize in place keeps the base and stays lazy.
 */
#include <errno.h>
#include <string.h>

#include <criterion/criterion.h>
#include <linux/mman.h>
#include <sys/mman.h>

#include "env.h"
#include "traces/linux_abi.h"


#define MOVE	(MREMAP_MAYMOVE | MREMAP_FIXED)

static void setup(void)
{
	env_setup("");
}

TestSuite(lazy_mremap, .init = setup, .fini = env_teardown);

/*
 * 0123              FAR
 * A*A*         ->   X*X*   (one anon_vma; both folios rewritten)
 */
Test(lazy_mremap, move_upgrades_and_rewrites)
{
	struct folio *f0, *f3;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	f0 = folio_at(1, AT(0));
	f3 = folio_at(1, AT(3));
	ev_mremap(1, AT(0), 4, 4, MOVE, FAR);
	cr_assert_null(vma_at(1, AT(0)));
	cr_assert_eq(folio_at(1, FAR), f0);
	cr_assert_eq(folio_at(1, FAR + 3 * PG), f3);
	cr_assert_null(root_at(1, FAR));
	cr_assert_eq(f0->mapping, (unsigned long)av_at(1, FAR) |
		     FOLIO_MAPPING_ANON);
	cr_assert_eq(f3->mapping, f0->mapping);
	cr_assert_eq(live("anon_vma"), 1);
	cr_assert_eq(live("anon_vma_chain"), 1);
	cr_assert_eq(env_ls()->st.folio_rewrites, 2);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
	cr_assert_eq(env_ls()->nr_used, 0);
}

/*
 * Part of a large folio moves: the part left behind is in the upgraded
 * family too, so the classic walk finds both halves.
 *
 * 0123              FAR
 * A***         ->   X*       X*   (one folio, two VMAs, one anon_vma)
 */
Test(lazy_mremap, partial_move_of_large_folio)
{
	struct folio *f;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	f = folio_at(1, AT(0));
	ev_mremap(1, AT(2), 2, 2, MOVE, FAR);
	cr_assert_eq(folio_at(1, FAR), f);
	cr_assert_eq(folio_at(1, AT(1)), f);
	cr_assert_eq(av_at(1, AT(0)), av_at(1, FAR));
	cr_assert_eq(f->mapping & 3, FOLIO_MAPPING_ANON);
}

/*
 * A sibling's folio that does not move keeps naming the root; the walk
 * goes through the family's anon_vma.
 *
 * 0123              FAR
 * A*A*
 * a*A*   mprotect 2-3 r--: A=[2,4), a=[0,2)
 *   A*   ->   X*   (a moved; A upgraded with it; folio at 3 still lazy)
 */
Test(lazy_mremap, move_of_sibling_leaves_stale_folio)
{
	struct folio *f3;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_mprotect(1, AT(2), 2, "r--");
	f3 = folio_at(1, AT(3));
	ev_mremap(1, AT(0), 2, 2, MOVE, FAR);
	cr_assert_null(root_at(1, AT(2)));
	cr_assert_not_null(folio_lazy_root(f3));
	cr_assert_eq(env_misses(), 0, "%s", env_err);
}

/*
 * Moving an unfaulted part of a faulted lazy VMA: copy_vma() clones the
 * whole VMA, so the whole family is upgraded, but move_ptes() rewrites
 * only what moves.  The folio left behind still names the root.
 *
 * 01             FAR
 * A*     ->   X*   X   (the folio at 0 is stale, found by redirect)
 */
static void partial_move(void)
{
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mremap(1, AT(1), 1, 1, MOVE, FAR);
}

Test(lazy_mremap, partial_move_leaves_stale_folio)
{
	partial_move();
	cr_assert_null(root_at(1, AT(0)));
	cr_assert_not_null(folio_lazy_root(folio_at(1, AT(0))));
	cr_assert_gt(env_ls()->st.redirects, 0);
}

/*
 * Known finding, redirect=off: rewriting folio->mapping only in
 * move_ptes() loses every folio of the moved VMA that did not move.
 * Minimal history (the harness minimiser found the same from a kernel
 * vector, on a private file mapping):
 *
 *   1 mmap 0x100000000 0x2000 rw- private,anon,fixed -> 0x100000000
 *   1 fault 0x100000000 w
 *   1 mremap 0x100001000 0x1000 0x1000 maymove,fixed 0x200000000 -> 0x200000000
 *
 * The walk of the folio at 1:0x100000000 finds nothing.
 */
Test(lazy_mremap, finding_no_redirect_loses_unmoved_folio)
{
	env_setup("redirect=off");
	env_strict = false;
	partial_move();
	cr_assert_eq(env_check(), -1);
	cr_assert_eq(env_misses(), 1);
	cr_assert(strstr(env_err, "pid 1 addr 100000000"), "%s", env_err);
}

/*
 * Known finding (user visible): separately faulted neighbours keep two
 * roots and never merge, so an mremap over what mainline has merged into
 * one VMA fails.  Minimal history (the harness's cross-scheme check found
 * it in a generated trace):
 *
 *   1 mmap 0x100000000 0x3000 rw- private,anon,fixed -> 0x100000000
 *   1 mprotect 0x100000000 0x2000 rwx
 *   1 fault 0x100002000 w
 *   1 fault 0x100001000 w
 *   1 mprotect 0x100000000 0x3000 rw-
 *   1 mremap 0x100000000 0x3000 0x4000 maymove,fixed 0x200000000 -> -EFAULT
 *
 * 012        classic    lazy
 * AAB        AAA        A*B*  (two roots)
 * mremap 0-2:  moves      -EFAULT (the range spans two VMAs)
 *
 * prepare=adopt (the lazy find_mergeable_anon_vma()) gives mainline's
 * result.
 */
static long unmerged_history(const char *params)
{
	env_setup(params);
	ev_mmap(1, AT(0), 3, "rw-");
	ev_mprotect(1, AT(0), 2, "rwx");
	ev_fault(1, AT(2), true, 0);
	ev_fault(1, AT(1), true, 0);
	ev_mprotect(1, AT(0), 3, "rw-");
	return sys_mremap(T(1), AT(0), 3 * PG, 4 * PG, MOVE, FAR, FAR);
}

Test(lazy_mremap, finding_unmerged_roots_change_mremap_result)
{
	cr_assert_eq(unmerged_history(""), -EFAULT);
	cr_assert_eq(nr_vmas(1), 2);
	cr_assert_eq(env_check(), 0, "%s", env_err);
	cr_assert_eq(unmerged_history("prepare=adopt"), (long)FAR);
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_eq(env_check(), 0, "%s", env_err);
	cr_assert_eq(env_misses(), 0, "%s", env_err);
}

/*
 * Growing in place keeps the base: still lazy, nothing allocated.
 *
 * 01234567
 * A*         ->   A*AA
 */
Test(lazy_mremap, grow_in_place_stays_lazy)
{
	struct vm_area_struct *a;

	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(1), true, 0);
	a = root_at(1, AT(0));
	ev_mremap(1, AT(0), 2, 4, 0, 0);
	cr_assert_eq(vma_at(1, AT(3)), a);
	cr_assert_eq(root_at(1, AT(3)), a);
	cr_assert_eq(live("anon_vma"), 0);
	ev_fault(1, AT(3), true, 0);
}

/*
 * MREMAP_DONTUNMAP: the old VMA stays, empty and unlinked.  A fault there
 * starts a new lazy family under the same VMA when nothing names it any
 * more...
 *
 * 0123              FAR
 * A*A*         ->   ....  X*X*   -> A*..  X*X*
 */
Test(lazy_mremap, dontunmap_then_fault_again)
{
	struct vm_area_struct *a;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	a = vma_at(1, AT(0));
	ev_mremap(1, AT(0), 4, 4, MOVE | MREMAP_DONTUNMAP, FAR);
	cr_assert_eq(vma_at(1, AT(0)), a);
	cr_assert_null(a->anon_vma);
	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(root_at(1, AT(0)), a);
}

/*
 * ...but not while a sibling's folio still names it: then it gets a
 * regular anon_vma (a second family under one name would be ambiguous).
 *
 * 01234567
 * A*..A*..   fault 0 and 4: root A
 * a*..A*..   mprotect 4-7 rwx: the kernel keeps A for [4,8), a is [0,4)
 * a*..AAAA   mremap 4-7 dontunmap to FAR: the family is upgraded, A is
 *            empty, the folio at 0 (never moved) still names A
 * a*..AA*A   fault 5: A gets an anon_vma
 */
Test(lazy_mremap, dontunmap_of_referenced_root_goes_classic)
{
	struct vm_area_struct *a;

	ev_mmap(1, AT(0), 8, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(4), true, 0);
	ev_mprotect(1, AT(4), 4, "rwx");
	a = vma_at(1, AT(4));
	cr_assert_eq(root_at(1, AT(4)), a);
	cr_assert_eq(root_at(1, AT(0)), a);
	ev_mremap(1, AT(4), 4, 4, MOVE | MREMAP_DONTUNMAP, FAR);
	cr_assert_not_null(folio_lazy_root(folio_at(1, AT(0))),
			   "the piece at 0 was upgraded, not copied");
	cr_assert_eq(vma_at(1, AT(4)), a);
	cr_assert_null(a->anon_vma);
	ev_fault(1, AT(5), true, 0);
	cr_assert_eq(vma_at(1, AT(5)), a);
	cr_assert_null(root_at(1, AT(5)));
	cr_assert_not_null(av_at(1, AT(5)));
}

/*
 * A private file mapping moved next to an unfaulted mapping of the next
 * file pages merges into it at the destination (copy_vma()): the
 * unfaulted target adopts the identity, which means upgrading first.
 *
 * file f:   pages 0-1 at 0, pages 2-3 at FAR+2
 * 01        FAR: ..BB
 * A*   ->   FAR: X*XX  (one VMA, one anon_vma)
 */
Test(lazy_mremap, file_move_merges_into_unfaulted)
{
	struct folio *f;

	ev_mmap_file(1, AT(0), 2, "rw-", "f", 0);
	ev_mmap_file(1, FAR + 2 * PG, 2, "rw-", "f", 2);
	ev_fault(1, AT(1), true, 0);
	f = folio_at(1, AT(1));
	cr_assert_not_null(folio_lazy_root(f));
	ev_mremap(1, AT(0), 2, 2, MOVE, FAR);
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_eq(vma_at(1, FAR)->vm_end, FAR + 4 * PG);
	cr_assert_eq(folio_at(1, FAR + PG), f);
	cr_assert_eq(f->mapping, (unsigned long)av_at(1, FAR) |
		     FOLIO_MAPPING_ANON);
}
