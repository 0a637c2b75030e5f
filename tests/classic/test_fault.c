// SPDX-License-Identifier: GPL-2.0-only
/*
 * First faults: __anon_vma_prepare() alone, beside a neighbour whose
 * anon_vma it may adopt (find_mergeable_anon_vma), and beside one it may
 * not; plus the scheme's parameter parsing.
 */
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "env.h"

TestSuite(classic_fault, .fini = env_teardown);

/*
 * 0123
 * AAAA       ->  A*AA  (read fault: zero page, no anon_vma;
 *                       write fault: one root anon_vma, one AVC)
 */
Test(classic_fault, first_fault_alone)
{
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(1), false, 0);
	cr_expect_eq(live("anon_vma"), 0);
	cr_expect_null(av_of(1, AT(0)));

	ev_fault(1, AT(1), true, 0);
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 1);
	f = folio_at(1, AT(1));
	cr_expect_eq(f->mapping, (unsigned long)av_of(1, AT(0)) | 1);
	cr_expect_eq(f->index, AT(1) >> 12);
	cr_expect(walk_finds(f, 1, AT(1)));
	/* one write lock of the new root (the page_table_lock aside) */
	cr_expect_eq(locks_w(OP_FAULT), 1);

	/* a second fault in the same VMA needs nothing */
	ev_fault(1, AT(2), true, 0);
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 1);
	cr_expect_eq(locks_w(OP_FAULT), 1);
}

/*
 * 0123 4567
 * AAAA BBBB   A rw- faulted, B rwx: flags differ only in VM_EXEC, so they
 *             do not merge but B's first fault adopts A's anon_vma.
 * AAAA B*BB  -> mprotect B rw- ->  AAAAAAAA (case 3 merge, same anon_vma)
 */
Test(classic_fault, first_fault_adopts_neighbour)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(4), 4, "rwx");
	cr_assert_eq(nr_vmas(1), 2);

	ev_fault(1, AT(5), true, 0);
	cr_expect_eq(av_of(1, AT(5)), av_of(1, AT(0)));
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 2);

	ev_mprotect(1, AT(4), 4, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 1);
	cr_expect(walk_finds(folio_at(1, AT(5)), 1, AT(5)));
}

/*
 * The next neighbour is tried before the previous one.
 *
 * 0123 4567 89ab
 * AAAA BBBB CCCC   A, C rw- faulted (two roots), B rwx
 *      B*          -> adopts C's anon_vma, not A's
 */
Test(classic_fault, next_neighbour_first)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(8), 4, "rw-");
	ev_fault(1, AT(8), true, 0);
	cr_assert_neq(av_of(1, AT(0)), av_of(1, AT(8)));
	ev_mmap(1, AT(4), 4, "rwx");
	ev_fault(1, AT(4), true, 0);
	cr_expect_eq(av_of(1, AT(4)), av_of(1, AT(8)));
	cr_expect_eq(live("anon_vma"), 2);
}

/*
 * No adoption across a gap, from a file mapping, or from a fork child.
 *
 * 0123 4567
 * AAAA .BBB   gap: B gets its own anon_vma
 */
Test(classic_fault, no_adoption_across_gap)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(5), 3, "rwx");
	ev_fault(1, AT(5), true, 0);
	cr_expect_neq(av_of(1, AT(5)), av_of(1, AT(0)));
	cr_expect_eq(live("anon_vma"), 2);
}

/*
 * parent:  AAAA          child 2:  AAAA BBBB
 *          ^faulted                ^fork child (chain {root, own})
 *                                       B rwx first fault: A is a fork
 *                                       child, so B gets a new root.
 */
Test(classic_fault, no_adoption_from_fork_child)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	cr_assert_eq(chain_len(2, AT(0)), 2);
	ev_mmap(2, AT(4), 4, "rwx");
	ev_fault(2, AT(4), true, 0);
	cr_expect_neq(av_of(2, AT(4)), av_of(2, AT(0)));
	cr_expect_eq(chain_len(2, AT(4)), 1);
	/* roots: parent's, the new one; plus the child's fork anon_vma */
	cr_expect_eq(live("anon_vma"), 3);
}

Test(classic_fault, params)
{
	struct errbuf err = { "" };
	struct world *w;

	w = world_new(&classic_scheme, "reuse=off,cleanup=on", 12, &err);
	cr_assert(w, "%s", err.msg);
	cr_expect_eq(((struct classic_state *)w->scheme_priv)->p.reuse, false);
	cr_expect_eq(((struct classic_state *)w->scheme_priv)->p.cleanup,
		     true);
	world_free(w);

	w = world_new(&classic_scheme, "frobnicate=1", 12, &err);
	cr_expect_null(w);
	cr_expect(strstr(err.msg, "frobnicate"), "%s", err.msg);

	w = world_new(&classic_scheme, "reuse=maybe", 12, &err);
	cr_expect_null(w);
	cr_expect(strstr(err.msg, "reuse"), "%s", err.msg);
}
