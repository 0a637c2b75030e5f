// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fork: the upgrade of a lazy family to a regular anon_vma (patch 10/13:
 * "ANON_VMA_LAZY VMAs are first upgraded to a regular anon_vma in the
 * parent"; the mapping is "fixed in try_dup_anon_rmap()"), and what is
 * left pointing at a root fork did not copy.
 */
#include <criterion/criterion.h>
#include <sys/mman.h>

#include "env.h"

TestSuite(lazy_fork, .fini = env_teardown);

static bool folio_is_lazy(const struct folio *f)
{
	return folio_lazy_root(f) != NULL;
}

/*
 * Fork after split: every VMA of the root is upgraded in one step to one
 * anon_vma, the child is linked as classic links it, and the folio (one
 * large folio over two pieces) is rewritten when its PTEs are copied.
 *
 * 0123       parent             child
 * A***       fault 0 order=2
 * aA**       mprotect 1 r--: A=[1,2) root, a=[0,1) b=[2,4) pieces
 * aAb*  ->   X X X (one av)     X' X' X' (classic children)
 */
Test(lazy_fork, fork_after_split_upgrades_family)
{
	struct anon_vma *av;
	struct folio *f;

	/* Children linked as mainline links them: counts comparable. */
	env_setup("child=classic");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	ev_mprotect(1, AT(1), 1, "r--");
	cr_assert_eq(nr_vmas(1), 3);
	f = folio_at(1, AT(0));
	cr_assert(folio_is_lazy(f));

	ev_fork(1, 2);
	av = av_at(1, AT(0));
	cr_assert_not_null(av);
	cr_assert_eq(av_at(1, AT(1)), av, "one anon_vma for the family");
	cr_assert_eq(av_at(1, AT(3)), av);
	cr_assert_null(root_at(1, AT(0)));
	cr_assert_eq(f->mapping, (unsigned long)av | FOLIO_MAPPING_ANON);
	cr_assert_eq(env_ls()->st.upgrades, 1);
	cr_assert_eq(env_ls()->st.upgraded_vmas, 3);
	cr_assert_eq(env_ls()->st.folio_rewrites, 1);
	/* 1 upgrade + 1 per child VMA (reuse finds none); 3 + 3 * 2 AVCs */
	cr_assert_eq(live("anon_vma"), 4);
	cr_assert_eq(live("anon_vma_chain"), 9);
	cr_assert_eq(chain_len(2, AT(0)), 2);
	cr_assert_eq(live("lazy_vma_ref"), 0);
	cr_assert_eq(env_ls()->nr_used, 0, "the root is forgotten");

	/* CoW in the child, then both sides are plain classic. */
	ev_fault(2, AT(2), true, 0);
	ev_fault(1, AT(3), true, 0);
	cr_assert_neq(folio_at(2, AT(2)), f);
}

/*
 * A folio mapped only by a VM_DONTCOPY sibling is not copied, so fork
 * never rewrites it: it still names the root, whose family is regular
 * now.  redirect=on walks it through the anon_vma the family became.
 *
 * 0123
 * A*A*   fault 0 and 3: root A
 * A*b*   madvise 0-1 dontfork: A=[0,2) DONTCOPY, b=[2,4)
 * X*X*   fork: both upgraded; folio at 3 rewritten (copied), folio at 0
 *        still names A (A not copied)
 */
static void dontcopy_history(void)
{
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_madvise(1, AT(0), 2, MADV_DONTFORK);
	cr_assert_eq(nr_vmas(1), 2);
	cr_assert_eq(root_at(1, AT(0)), vma_at(1, AT(0)));
	cr_assert_eq(root_at(1, AT(3)), vma_at(1, AT(0)));
}

Test(lazy_fork, dontcopy_sibling_folio_redirects)
{
	struct folio *f0, *f3;

	env_setup("");
	dontcopy_history();
	f0 = folio_at(1, AT(0));
	f3 = folio_at(1, AT(3));
	ev_fork(1, 2);
	cr_assert_null(root_at(1, AT(0)), "DONTCOPY sibling upgraded too");
	cr_assert_eq(av_at(1, AT(0)), av_at(1, AT(3)));
	cr_assert(!folio_is_lazy(f3));
	cr_assert(folio_is_lazy(f0), "never copied, never rewritten");
	cr_assert_eq(env_misses(), 0, "%s", env_err);
	cr_assert_gt(env_ls()->st.redirects, 0);

	/*
	 * The zombie-free root lives on for the folio only (besides the
	 * child's VMA, which rides on the parent's anon_vma).
	 */
	cr_assert(lazy_is_tree_parent(vma_at(2, AT(2))));
	cr_assert_eq(env_ls()->nr_used, 2);
	ev_munmap(1, AT(0), 2);
	cr_assert_eq(env_ls()->nr_used, 1);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
}

/*
 * The stale folio alone keeps the old root: madvise dofork merges A into
 * b (same anon_vma now), A leaves the tree and stays as a zombie that
 * only the folio refers to.
 *
 * 0123
 * X*X*   after fork: A=[0,2) DONTCOPY, b=[2,4), one anon_vma
 * b*b*   madvise 0-1 dofork: merged into b; A is a zombie for the folio
 */
Test(lazy_fork, stale_folio_keeps_merged_root)
{
	struct folio *f0;

	env_setup("");
	dontcopy_history();
	f0 = folio_at(1, AT(0));
	ev_fork(1, 2);
	ev_madvise(1, AT(0), 2, MADV_DOFORK);
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_eq(live("lazy_zombie_vma"), 1);
	cr_assert_eq(live("lazy_vma_ref"), 0);
	cr_assert(folio_is_lazy(f0));
	cr_assert_eq(env_misses(), 0, "%s", env_err);
	ev_madvise(1, AT(0), 1, MADV_DONTNEED);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
}

/*
 * Known finding, redirect=off: without a way from the root to the anon_vma
 * its family became, the folio fork did not copy is lost to the walk.
 * Minimal history:
 *
 *   1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000
 *   1 fault 0x100000000 w
 *   1 fault 0x100003000 w
 *   1 madvise 0x100000000 0x2000 dontfork
 *   1 fork 2
 *
 * The walk of the folio at 1:0x100000000 finds nothing.
 */
Test(lazy_fork, finding_no_redirect_loses_dontcopy_folio)
{
	env_setup("redirect=off");
	dontcopy_history();
	env_strict = false;
	ev_fork(1, 2);
	cr_assert_eq(env_check(), -1);
	cr_assert(strstr(env_err, "does not reach"), "%s", env_err);
	cr_assert_eq(env_misses(), 1);
	cr_assert(strstr(env_err, "pid 1 addr 100000000"), "%s", env_err);
}

/*
 * Known finding, upgrade=vma: upgrading only the VMA being forked leaves
 * a split sibling lazy while the shared folio is rewritten to the
 * upgraded VMA's anon_vma, which the sibling is not linked to.  Minimal
 * history:
 *
 *   1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000
 *   1 fault 0x100000000 w order=2
 *   1 madvise 0x100002000 0x2000 dontfork
 *   1 fork 2
 *
 * 0123
 * A***   one folio of 4 pages
 * a*A*   madvise 2-3 dontfork: A=[2,4) DONTCOPY, a=[0,2)
 * X*A*   fork upgrades a alone; the folio names X's anon_vma; A's two
 *        pages are missed
 */
Test(lazy_fork, finding_single_vma_upgrade_misses_sibling)
{
	env_setup("upgrade=vma");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	ev_madvise(1, AT(2), 2, MADV_DONTFORK);
	env_strict = false;
	ev_fork(1, 2);
	cr_assert_not_null(root_at(1, AT(2)), "the sibling stayed lazy");
	cr_assert_null(root_at(1, AT(0)));
	cr_assert_eq(env_check(), -1);
	cr_assert(strstr(env_err, "regular folio in a lazy VMA"), "%s",
		  env_err);
	cr_assert_eq(env_misses(), 2);
	cr_assert(strstr(env_err, "pid 1 addr 100002000"), "%s", env_err);
}

/*
 * The same history upgrading the whole family finds every page.
 *
 * 0123        parent   child
 * a*A*   ->   X*X*     X*      (A, DONTCOPY, upgraded with a)
 */
Test(lazy_fork, family_upgrade_finds_sibling)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	ev_madvise(1, AT(2), 2, MADV_DONTFORK);
	ev_fork(1, 2);
	cr_assert_null(root_at(1, AT(2)));
	cr_assert_eq(av_at(1, AT(2)), av_at(1, AT(0)));
	cr_assert_eq(nr_vmas(2), 1);
}

/*
 * child=parent (ANON_VMA_TREE_PARENT, patch 10: "Child VMAs ... do not
 * allocate anon_vma"): the child shares the parent's anon_vma and chain.
 *
 * 0123      parent   child
 * A*A*  ->  X*X*     X*X*   (one anon_vma, one AVC each)
 */
Test(lazy_fork, child_rides_on_parent)
{
	env_setup("child=parent");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_fork(1, 2);
	cr_assert_eq(live("anon_vma"), 1);
	cr_assert_eq(live("anon_vma_chain"), 2);
	cr_assert_eq(av_at(2, AT(0)), av_at(1, AT(0)));
	ev_fault(2, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_fork(2, 3);
	ev_exit(1);
	ev_fault(3, AT(0), true, 0);
}

/*
 * VM_WIPEONFORK: dup_mmap() does not call anon_vma_fork(); the child's
 * copy carries the parent's rmap_priv, which must not be taken for its
 * own.  The parent stays lazy (nothing is shared).
 *
 * 0123      parent   child
 * A*AA  ->  A*AA     BBBB (unfaulted) -> B*BB after a fault
 */
Test(lazy_fork, wipeonfork_child_starts_fresh)
{
	struct vm_area_struct *a;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(1), true, 0);
	a = root_at(1, AT(0));
	ev_madvise(1, AT(0), 4, MADV_WIPEONFORK);
	ev_fork(1, 2);
	cr_assert_eq(root_at(1, AT(0)), a, "no upgrade: nothing shared");
	cr_assert_null(vma_at(2, AT(0))->anon_vma);
	cr_assert_eq(live("anon_vma"), 0);
	ev_munmap(1, AT(0), 4);
	ev_fault(2, AT(1), true, 0);
	cr_assert_eq(root_at(2, AT(0)), vma_at(2, AT(0)));
}

/*
 * Exit of the root's owner while a split sibling still maps the folio:
 * first as a zombie within one mm, then after fork across two.
 *
 * 0123
 * A***   fault 0 order=2
 * a*A*   mprotect 2-3 r--: A=[2,4) root, a=[0,2)
 * a*     munmap 2-3: A is a zombie held by a and the folio
 *        fork: a upgraded, folio rewritten, A freed
 *        exit 1: the child's mapping is still found (classic)
 */
Test(lazy_fork, root_owner_exit_with_sibling)
{
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	f = folio_at(1, AT(0));
	ev_mprotect(1, AT(2), 2, "r--");
	ev_munmap(1, AT(2), 2);
	cr_assert_eq(live("lazy_zombie_vma"), 1);

	ev_fork(1, 2);
	cr_assert_eq(live("lazy_zombie_vma"), 0, "last reference rewritten");
	cr_assert(!folio_is_lazy(f));
	ev_exit(1);
	cr_assert_eq(folio_at(2, AT(0)), f);
	cr_assert_eq(env_misses(), 0, "%s", env_err);
	ev_exit(2);
	cr_assert_eq(live("anon_vma"), 0);
	cr_assert_eq(live("anon_vma_chain"), 0);
	cr_assert_eq(live("vm_area_struct"), 0);
}
