// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fork beyond the first generation (wangtao, 2606.0/07662, quoting Barry
 * Song, 2606.0/07329): a child's inherited VMA is ANON_VMA_TREE_PARENT,
 * riding on the parent's anon_vma with a copy of its chain, and the child
 * is upgraded to a regular anon_vma when it forks in its turn.
 */
#include <criterion/criterion.h>

#include "env.h"

TestSuite(lazy_tree, .fini = env_teardown);

/*
 * Process 1 maps and writes page 0; each process i forks i+1, which
 * writes page 0 too.  Returns nothing; the counts are the caller's.
 */
static void chain(const char *params, long k)
{
	long i;

	env_setup(params);
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	for (i = 1; i < k; i++) {
		ev_fork(i, i + 1);
		ev_fault(i + 1, AT(0), true, 0);
	}
}

/*
 * k processes in a chain: every process but the leaf forked, so has an
 * anon_vma of its own (k - 1); process i holds i AVCs, the leaf a copy
 * of its parent's k - 1: (k - 1)k/2 + (k - 1) anon_vma_chains.  Classic
 * would have k and k(k + 1)/2; riding on the first anon_vma for good
 * (child=parent) 1 and k.
 */
Test(lazy_tree, chain_counts)
{
	static const long ks[] = { 2, 3, 5, 6, 8, 11 };
	size_t n;

	for (n = 0; n < sizeof(ks) / sizeof(ks[0]); n++) {
		long k = ks[n];

		chain("", k);
		cr_expect_eq(live("anon_vma"), k - 1, "k=%ld", k);
		cr_expect_eq(live("anon_vma_chain"),
			     (k - 1) * k / 2 + (k - 1), "k=%ld", k);
		chain("child=parent", k);
		cr_expect_eq(live("anon_vma"), 1, "k=%ld", k);
		cr_expect_eq(live("anon_vma_chain"), k, "k=%ld", k);
		chain("child=classic", k);
		cr_expect_eq(live("anon_vma"), k, "k=%ld", k);
		cr_expect_eq(live("anon_vma_chain"), k * (k + 1) / 2,
			     "k=%ld", k);
	}
}

/*
 * 0123      1       2               3
 * A*     fork 2:  A*  (rides on 1's)
 *        fork 3:  B*  (own, below 1's)  B* (rides on 2's)
 */
Test(lazy_tree, child_upgraded_when_it_forks)
{
	struct anon_vma *av1, *av2;

	chain("", 2);
	av1 = av_at(1, AT(0));
	cr_assert_not_null(av1);
	cr_assert_eq(av_at(2, AT(0)), av1, "a child rides on its parent's");
	cr_assert_eq(chain_len(2, AT(0)), 1);
	cr_assert(lazy_is_tree_parent(vma_at(2, AT(0))));
	ev_fork(2, 3);
	av2 = av_at(2, AT(0));
	cr_assert_neq(av2, av1, "a parent has an anon_vma of its own");
	cr_assert_eq(av2->parent, av1);
	cr_assert_eq(chain_len(2, AT(0)), 2);
	cr_assert_not(lazy_is_tree_parent(vma_at(2, AT(0))));
	cr_assert_eq(av_at(3, AT(0)), av2);
	cr_assert(lazy_is_tree_parent(vma_at(3, AT(0))));
	/* The folio 2 wrote while riding still names 1's anon_vma. */
	cr_assert_eq(classic_folio_anon_vma(folio_at(2, AT(0))), av1);
}

/*
 * A VMA the child maps and faults itself is lazy (ANON_VMA_TREE_VMA)
 * and upgraded, with the inherited one, when the child forks.
 *
 * 0123 4 5678     child 2
 * A*     B*       A rides on 1's, B lazy; fork 3: both regular
 */
Test(lazy_tree, own_vma_is_lazy_until_fork)
{
	chain("", 2);
	ev_mmap(2, AT(5), 4, "rw-");
	ev_fault(2, AT(5), true, 0);
	cr_assert_not_null(root_at(2, AT(5)));
	ev_fork(2, 3);
	cr_assert_null(root_at(2, AT(5)));
	cr_assert_not_null(av_at(2, AT(5)));
	cr_assert_not_null(av_at(3, AT(5)));
	cr_assert_eq(live("anon_vma"), 3);
}

/*
 * A riding VMA split in two keeps riding in both pieces; each is upgraded
 * as fork reaches it, so the grandchild's walks find every piece.
 *
 * 0123      child 2
 * A*A*      mprotect 1: A* a A*  (three riding pieces) -> fork 3
 */
Test(lazy_tree, split_riding_vma_then_fork)
{
	chain("", 2);
	ev_fault(1, AT(2), true, 0);
	ev_mprotect(2, AT(1), 1, "r--");
	cr_assert(lazy_is_tree_parent(vma_at(2, AT(2))));
	ev_fork(2, 3);
	ev_fault(3, AT(2), true, 0);
	ev_exit(2);
	ev_fault(1, AT(2), true, 0);
}

/*
 * cow=own: the riding VMA gets its own anon_vma at its first new folio,
 * as anon_vma_fork() would have given it, so its walks do not visit its
 * siblings.
 */
Test(lazy_tree, cow_own_upgrades_at_first_new_folio)
{
	chain("cow=own", 2);
	cr_assert_neq(av_at(2, AT(0)), av_at(1, AT(0)));
	cr_assert_eq(live("anon_vma"), 2);
	cr_assert_eq(classic_folio_anon_vma(folio_at(2, AT(0))),
		     av_at(2, AT(0)));
}
