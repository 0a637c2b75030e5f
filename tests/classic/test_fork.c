// SPDX-License-Identifier: GPL-2.0-only
/*
 * anon_vma_fork(): chains of forks, exits in the middle, the reuse
 * heuristic (and its visiting order, 6.18 versus the 2026 clean-up), and
 * copy-on-write in parent and child.  Process n is "Pn"; avn is the
 * anon_vma Pn's VMA got at its fork (av1: P1's root).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env.h"

TestSuite(classic_fork, .fini = env_teardown);

/*
 * P1 ... Pd+1, each forked from the previous, all alive:
 *
 * P1: A*AA  av1            the VMA of Pk links av1..avk,
 * P2: AAAA  av1 av2        so AVCs = 1 + 2 + ... + (d+1)
 * ...                      and every fork makes a new anon_vma.
 */
ParameterizedTestParameters(classic_fork, chain_all_alive)
{
	static int depth[] = { 1, 2, 3, 4, 5 };

	return cr_make_param_array(int, depth, 5);
}

ParameterizedTest(int *d, classic_fork, chain_all_alive)
{
	long k;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	for (k = 1; k <= *d; k++)
		ev_fork(k, k + 1);
	cr_expect_eq(live("anon_vma"), *d + 1);
	cr_expect_eq(live("anon_vma_chain"), (*d + 1) * (*d + 2) / 2);
	cr_expect_eq(chain_len(*d + 1, AT(0)), *d + 1);
	/* 6.18: clone's root lock + the new anon_vma's lock, per fork */
	cr_expect_eq(locks_w(OP_FORK), 2UL * *d);
	/* the first page is still P1's folio, shared by everyone */
	for (k = 1; k <= *d + 1; k++)
		cr_expect(walk_finds(folio_at(1, AT(0)), k, AT(0)));
}

/*
 * A daemon-style chain: Pk forks Pk+1, then Pk exits, ten times.
 *
 * reuse=on:  the hierarchy stops growing at three anon_vmas: the root
 *            (never reused: it counts itself as a child) and two that
 *            the survivors take turns reusing (num_active_vmas == 0,
 *            one child).
 * reuse=off: one more anon_vma and one more AVC per generation.
 */
static void daemon_chain(const char *params, bool reuse)
{
	long k;

	env_setup(params);
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	for (k = 1; k <= 10; k++) {
		ev_fork(k, k + 1);
		ev_exit(k);
		if (reuse && k >= 2) {
			cr_expect_eq(live("anon_vma"), 3, "gen %ld", k);
			cr_expect_eq(live("anon_vma_chain"), 3, "gen %ld", k);
		} else {
			cr_expect_eq(live("anon_vma"), k + 1, "gen %ld", k);
			cr_expect_eq(live("anon_vma_chain"), k + 1,
				     "gen %ld", k);
		}
	}
	cr_expect(walk_finds(folio_at(11, AT(0)), 11, AT(0)));
}

Test(classic_fork, daemon_chain_reuse)
{
	daemon_chain("", true);
}

Test(classic_fork, daemon_chain_reuse_cleanup)
{
	daemon_chain("cleanup=on", true);
}

Test(classic_fork, daemon_chain_no_reuse)
{
	daemon_chain("reuse=off", false);
}

/*
 * P1 -> P2 -> P3 -> P4 (all alive), then P2 exits in the middle:
 * av2 keeps its tree (P3 and P4 link it) but no VMA uses it.  P4 forks
 * P5: 6.18 visits oldest first: av1 is the root, av2 is idle with one
 * child (av3): P5 reuses av2 and no anon_vma is allocated.
 */
Test(classic_fork, exit_in_middle_then_reuse)
{
	struct anon_vma *av2;
	long k;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	for (k = 1; k <= 3; k++)
		ev_fork(k, k + 1);
	av2 = av_of(2, AT(0));
	ev_exit(2);
	cr_expect_eq(live("anon_vma"), 4);
	cr_expect_eq(live("anon_vma_chain"), 1 + 3 + 4);
	cr_expect_eq(av2->num_active_vmas, 0);
	cr_expect_eq(av2->num_children, 1);

	ev_fork(4, 5);
	cr_expect_eq(av_of(5, AT(0)), av2);
	cr_expect_eq(av2->num_active_vmas, 1);
	cr_expect_eq(live("anon_vma"), 4);
	cr_expect_eq(live("anon_vma_chain"), 1 + 3 + 4 + 4);
	/* reuse: only the clone's lock */
	cr_expect_eq(locks_w(OP_FORK), 2UL * 3 + 1);

	/* P3 and P4 exit: av3 and av4 stay while P5 links them */
	ev_exit(3);
	ev_exit(4);
	cr_expect_eq(live("anon_vma"), 4);
	cr_expect_eq(live("anon_vma_chain"), 1 + 4);
	ev_exit(5);
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 1);
	ev_exit(1);
	cr_expect_eq(live("anon_vma"), 0);
	cr_expect_eq(live("anon_vma_chain"), 0);
}

/*
 * Where 6.18 and the 2026 clean-up pick differently.  P1 -> ... -> P5,
 * then P2 and P3 exit: av2 and av3 are both idle with one child.  P5
 * forks P6.  6.18 visits P5's chain oldest first and takes av2.  After
 * the clean-up anon_vma_clone() visits in the source chain's order, and
 * every clone reverses a chain, so P5's chain is av5 av3 av1 av2 av4:
 * av3 comes first.
 */
static void two_idle(const char *params, int want)
{
	struct anon_vma *av[4];
	long k;

	env_setup(params);
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	for (k = 1; k <= 4; k++)
		ev_fork(k, k + 1);
	av[2] = av_of(2, AT(0));
	av[3] = av_of(3, AT(0));
	ev_exit(2);
	ev_exit(3);
	ev_fork(5, 6);
	cr_expect_eq(av_of(6, AT(0)), av[want], "expected av%d", want);
	cr_expect_eq(live("anon_vma"), 5);
}

Test(classic_fork, reuse_order_618)
{
	two_idle("", 2);
}

Test(classic_fork, reuse_order_cleanup)
{
	two_idle("cleanup=on", 3);
}

/* The clean-up's fork allocates a candidate first: peak is one higher. */
Test(classic_fork, cleanup_candidate_peak)
{
	int id;

	env_setup("cleanup=on");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ev_fork(2, 3);
	ev_exit(2);
	id = acct_find(&W->acct, "anon_vma");
	cr_assert_eq(W->acct.cls[id].peak, 3);
	ev_fork(3, 4);			/* reuses av2 */
	cr_expect_eq(live("anon_vma"), 3);
	cr_expect_eq(W->acct.cls[id].peak, 4);
}

/*
 * WIPEONFORK and DONTFORK VMAs give the child nothing to link.
 *
 * P1: A*AA B*BB     P2: AAAA (wiped, unfaulted)  (B not copied)
 */
Test(classic_fork, wipeonfork_dontfork)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_mmap(1, AT(8), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(8), true, 0);
	ev_madvise(1, AT(0), 4, 18 /* MADV_WIPEONFORK */);
	ev_madvise(1, AT(8), 4, 10 /* MADV_DONTFORK */);
	ev_fork(1, 2);
	cr_expect_null(av_of(2, AT(0)));
	cr_expect_null(vma_at(2, AT(8)));
	cr_expect_eq(live("anon_vma"), 2);
	cr_expect_eq(live("anon_vma_chain"), 2);
}

/*
 * CoW after fork, parent first.
 *
 * P1: F0         fork     P1: F0  P2: F0
 * P1 writes: copy         P1: F1  P2: F0   (F0 still points at av1)
 * P2 writes: sole owner   P1: F1  P2: F0   (F0 moved to av2)
 */
Test(classic_fork, cow_parent_then_child)
{
	struct folio *f0, *f1;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	f0 = folio_at(1, AT(0));
	ev_fork(1, 2);
	cr_expect_eq(folio_at(2, AT(0)), f0);

	ev_fault(1, AT(0), true, 0);
	f1 = folio_at(1, AT(0));
	cr_assert_neq(f1, f0);
	cr_expect_eq(f1->mapping, (unsigned long)av_of(1, AT(0)) | 1);
	cr_expect_eq(f0->mapping, (unsigned long)av_of(1, AT(0)) | 1);
	cr_expect(walk_finds(f0, 2, AT(0)));

	ev_fault(2, AT(0), true, 0);
	cr_expect_eq(folio_at(2, AT(0)), f0);
	cr_expect_eq(f0->mapping, (unsigned long)av_of(2, AT(0)) | 1);
	cr_expect(walk_finds(f0, 2, AT(0)));
	cr_expect_not(walk_finds(f0, 1, AT(0)));
}

/*
 * CoW after fork, child first.
 *
 * P2 writes: copy          P1: F0  P2: F2   (F2 in av2)
 * P1 writes: sole owner    P1: F0           (moved to av1: unchanged)
 */
Test(classic_fork, cow_child_then_parent)
{
	struct folio *f0, *f2;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	f0 = folio_at(1, AT(0));
	ev_fork(1, 2);
	ev_fault(2, AT(0), true, 0);
	f2 = folio_at(2, AT(0));
	cr_assert_neq(f2, f0);
	cr_expect_eq(f2->mapping, (unsigned long)av_of(2, AT(0)) | 1);
	cr_expect(walk_finds(f2, 2, AT(0)));
	cr_expect_not(walk_finds(f2, 1, AT(0)));

	ev_fault(1, AT(0), true, 0);
	cr_expect_eq(folio_at(1, AT(0)), f0);
	cr_expect_eq(f0->mapping, (unsigned long)av_of(1, AT(0)) | 1);
	/* av1's tree still links P2's VMA: a candidate that maps nothing */
	cr_expect(walk_finds(f0, 2, AT(0)));
}
