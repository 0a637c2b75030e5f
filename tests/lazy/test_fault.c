// SPDX-License-Identifier: GPL-2.0-only
/*
 * First faults, parameters and merging of lazy VMAs.
 */
#include <criterion/criterion.h>
#include <sys/mman.h>

#include "env.h"

static void setup(void)
{
	env_setup("");
}

TestSuite(lazy_fault, .init = setup, .fini = env_teardown);
/* Tests that build their own world with parameters. */
TestSuite(lazy_param, .fini = env_teardown);

/*
 * 0123
 * AAAA    ->   A*AA   (A: root of itself, nothing allocated)
 */
Test(lazy_fault, first_fault_allocates_nothing)
{
	struct vm_area_struct *a;
	struct folio *f;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(1), true, 0);

	a = vma_at(1, AT(0));
	cr_assert_eq(root_at(1, AT(0)), a, "the faulting VMA is its own root");
	cr_assert_eq(a->anon_vma, lazy_tag(a));
	cr_assert_eq(live("anon_vma"), 0);
	cr_assert_eq(live("anon_vma_chain"), 0);
	cr_assert_eq(live("lazy_vma_ref"), 0);
	cr_assert_eq(rwsem_w(OP_FAULT), 0, "no anon_vma lock on first fault");

	f = folio_at(1, AT(1));
	cr_assert_eq(f->mapping, (unsigned long)a | FOLIO_MAPPING_KSM_BIT);
	cr_assert_eq(f->index, AT(1) >> 12, "index as linear_page_index");
	cr_assert_eq(env_ls()->st.lazy_faults, 1);
}

/*
 * A read fault maps the zero page: the VMA stays unfaulted.
 *
 * 0123
 * AAAA   ->   AAAA   (read fault 0: no root, no folio)
 */
Test(lazy_fault, read_fault_prepares_nothing)
{
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), false, 0);
	cr_assert_null(vma_at(1, AT(0))->anon_vma);
	cr_assert_eq(env_ls()->st.lazy_faults, 0);
}

/*
 * max_pages=2: only small VMAs start lazy.
 *
 * 0123 5678
 * AAAA BB      ->   A*AA B*    (A: anon_vma, B: lazy)
 */
Test(lazy_param, max_pages_sends_large_vmas_classic)
{
	env_setup("max_pages=2");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_mmap(1, AT(5), 2, "rw-");
	ev_fault(1, AT(1), true, 0);
	ev_fault(1, AT(5), true, 0);

	cr_assert_null(root_at(1, AT(0)));
	cr_assert_not_null(av_at(1, AT(0)));
	cr_assert_eq(folio_at(1, AT(1))->mapping & 3, FOLIO_MAPPING_ANON);
	cr_assert_not_null(root_at(1, AT(5)));
	cr_assert_eq(live("anon_vma"), 1);
	cr_assert_eq(live("anon_vma_chain"), 1);
}

Test(lazy_param, parameters)
{
	struct errbuf err = { "" };
	struct world *w;

	w = world_new(&lazy_scheme, "walk=sideways", 12, &err);
	cr_assert_null(w);
	cr_assert(strstr(err.msg, "walk=sideways"), "%s", err.msg);
	w = world_new(&lazy_scheme, "frobnicate", 12, &err);
	cr_assert_null(w);
	cr_assert(strstr(err.msg, "unknown parameter"), "%s", err.msg);

	env_setup("vma_size=200,reuse=off,max_pages=0x200");
	cr_assert_eq(objsize("vm_area_struct"), 200);
	cr_assert_eq(objsize("lazy_zombie_vma"), 200);
	cr_assert_eq(env_ls()->p.max_pages, 0x200);
	cr_assert(!env_ls()->cs.p.reuse, "classic parameters pass through");
}

Test(lazy_fault, default_vma_size_is_padding)
{
	cr_assert_eq(objsize("vm_area_struct"), 192);
	cr_assert_eq(objsize("lazy_vma_ref"), 0);
}

/*
 * An unfaulted neighbour merges into a lazy VMA and joins its family; the
 * root keeps its mapping base while it grows downwards.
 *
 * 0123
 * AABB   (A rwx, B rw-)
 * AAB*   fault 2: B is a root
 * BBB*   mprotect 0-1 rw-: A (unfaulted) merges into B
 * B*B*   fault 0: same root, same base
 */
Test(lazy_fault, unfaulted_side_adopts_root)
{
	struct vm_area_struct *b;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_mprotect(1, AT(0), 2, "rwx");
	ev_fault(1, AT(2), true, 0);
	b = root_at(1, AT(2));
	cr_assert_not_null(b);
	cr_assert_eq(nr_vmas(1), 2);

	ev_mprotect(1, AT(0), 2, "rw-");
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_eq(vma_at(1, AT(0)), b, "B grew down over A");
	cr_assert_eq(vma_mapping_base(b), 0);

	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(folio_at(1, AT(0))->mapping,
		     (unsigned long)b | FOLIO_MAPPING_KSM_BIT);
	cr_assert_eq(live("anon_vma"), 0);
}

/*
 * Two first faults make two roots; unlike classic, the second fault does
 * not adopt its neighbour's identity (no find_mergeable_anon_vma), so the
 * pieces never merge again: the VMA-count cost of the series.
 *
 * 0123
 * AABB   (A rw-, B rwx)
 * A*B*   two roots
 * A*B*   mprotect 2-3 rw-: distinct roots, no merge (classic: AAAA)
 */
Test(lazy_fault, distinct_roots_do_not_merge)
{
	ev_mmap(1, AT(0), 4, "rw-");
	ev_mprotect(1, AT(2), 2, "rwx");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(2), true, 0);
	cr_assert_neq(root_at(1, AT(0)), root_at(1, AT(2)));

	ev_mprotect(1, AT(2), 2, "rw-");
	cr_assert_eq(nr_vmas(1), 2, "lazy roots never merge");
}

/*
 * prepare=adopt: the second first fault joins its compatible neighbour's
 * root (the lazy find_mergeable_anon_vma()), so the pieces merge again as
 * they do in classic, still without an anon_vma.
 *
 * 0123
 * AABB   (A rw-, B rwx)
 * A*a*   fault 2 joins A's family
 * A*A*   mprotect 2-3 rw-: one VMA
 */
Test(lazy_param, adopt_lets_neighbours_merge)
{
	env_setup("prepare=adopt");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_mprotect(1, AT(2), 2, "rwx");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(2), true, 0);
	cr_assert_eq(root_at(1, AT(2)), root_at(1, AT(0)));
	cr_assert_eq(env_ls()->st.adoptions, 1);
	ev_mprotect(1, AT(2), 2, "rw-");
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_eq(live("anon_vma"), 0);
}

/*
 * Same root merges back after a split; the merge keeps the first piece,
 * so the root VMA, which mprotect kept for the middle, leaves the tree but
 * stays referenced: a zombie (Lorenzo Stoakes: "If you happen to merge
 * right a lot of times you keep around dead VMAs just for this purpose").
 *
 * 0123
 * A*AA   fault 1: A is the root
 * a*Aa   mprotect 2 r--: A keeps [2,3), pieces a hold references on it
 * a*aa   mprotect 2 rw-: one VMA again (the first piece); A is a zombie
 *        munmap 0-3: the zombie goes with its last reference
 */
Test(lazy_fault, same_root_merges_back)
{
	struct vm_area_struct *a;

	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(1), true, 0);
	a = root_at(1, AT(1));
	ev_mprotect(1, AT(2), 1, "r--");
	cr_assert_eq(nr_vmas(1), 3);
	cr_assert_eq(vma_at(1, AT(2)), a);
	cr_assert_eq(live("lazy_vma_ref"), 2);
	cr_assert_eq(root_at(1, AT(3)), a);
	cr_assert_eq(root_at(1, AT(0)), a);

	ev_mprotect(1, AT(2), 1, "rw-");
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_neq(vma_at(1, AT(0)), a);
	cr_assert_eq(root_at(1, AT(0)), a, "the survivor still names A");
	cr_assert_eq(live("lazy_vma_ref"), 1);
	cr_assert_eq(live("lazy_zombie_vma"), 1);
	cr_assert_eq(live("vm_area_struct"), 1, "zombies are not counted twice");

	ev_munmap(1, AT(0), 4);
	cr_assert_eq(live("lazy_zombie_vma"), 0);
	cr_assert_eq(live("vm_area_struct"), 0);
}
