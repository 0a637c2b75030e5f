// SPDX-License-Identifier: GPL-2.0-only
/*
 * Merge policy.  merge=classic must give the VMA layouts classic
 * anon_vma gives; merge=poc is the PoC with CONFIG_COW_CONTEXT_ANON_RMAP=y
 * (faulted merges only with faulted); merge=offset is the end state (any
 * two VMAs of one mm at one offset).  Every layout is walked and checked
 * after each event.
 */
#include <criterion/criterion.h>

#include "env.h"

TestSuite(cowctx_merge, .fini = env_teardown);

/*
 * 0123
 * AAAA      faulted
 * AbAA      mprotect page 1 read-only: three VMAs
 * AAAA      back to rw-: one VMA again, under every policy
 */
Test(cowctx_merge, mprotect_split_remerge)
{
	static const char *policies[] = { "merge=classic", "merge=poc",
					  "merge=offset" };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		env_setup(policies[i]);
		ev_mmap(1, AT(0), 4, "rw-");
		ev_fault(1, AT(0), true, 0);
		ev_mprotect(1, AT(1), 1, "r--");
		cr_expect_eq(nr_vmas(1), 3, "%s", policies[i]);
		ev_mprotect(1, AT(1), 1, "rw-");
		cr_expect_eq(nr_vmas(1), 1, "%s", policies[i]);
		env_teardown();
	}
}

/*
 * P1: AAbb   faulted, then b made read-only: two VMAs, one anon_vma
 * fork P2; both make b rw- again:
 * P1: AAAA   one VMA (same anon_vma)
 * P2: AAAA   classic: two VMAs, each child VMA has its own anon_vma;
 *            offset: one VMA
 */
static int child_vmas_after_remerge(const char *params)
{
	int n;

	env_setup(params);
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_mprotect(1, AT(2), 2, "r--");
	ev_fork(1, 2);
	ev_mprotect(1, AT(2), 2, "rw-");
	ev_mprotect(2, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 1, "%s", params);
	n = nr_vmas(2);
	env_teardown();
	return n;
}

Test(cowctx_merge, fork_children_stay_apart)
{
	cr_expect_eq(child_vmas_after_remerge("merge=classic"), 2);
	cr_expect_eq(child_vmas_after_remerge("merge=poc"), 1);
	cr_expect_eq(child_vmas_after_remerge("merge=offset"), 1);
}

/*
 * 0123
 * AA        faulted
 *   BB      new unfaulted mapping next to it:
 *           classic: case 2, A is not a fork child: AAAA
 *           poc: every faulted VMA counts as a fork child: AA BB
 *           offset: AAAA
 */
Test(cowctx_merge, new_range_next_to_faulted)
{
	env_setup("merge=classic");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
	env_teardown();

	env_setup("merge=poc");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 2);
	env_teardown();

	env_setup("merge=offset");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
}

/*
 * First-fault adoption (find_mergeable_anon_vma): B, faulted next to
 * faulted A after an mprotect split, takes A's identity, so the two merge
 * when the protections agree again; two separately faulted mappings
 * do not share one.
 *
 * 0123
 * AABB      mmap rw-, mprotect BB r--; fault A, then fault B (read-only
 *           VMA: a read fault maps the zero page, so make it rw- first)
 */
Test(cowctx_merge, prepare_adopts_neighbour)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_mprotect(1, AT(2), 2, "r-x");
	ev_fault(1, AT(0), true, 0);
	ev_mprotect(1, AT(2), 2, "rwx");
	ev_fault(1, AT(2), true, 0);
	cr_expect_eq(vma_cv(vma_at(1, AT(2)))->ident,
		     vma_cv(vma_at(1, AT(0)))->ident);
	ev_mprotect(1, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
}
