// SPDX-License-Identifier: GPL-2.0-only
/*
 * mremap(): copy_vma() keeps a faulted VMA's vm_pgoff and clones its
 * chain (VMA_OP_REMAP), the old VMA is unlinked; moving back merges only
 * where is_mergeable_anon_vma() allows -- including the Jan-2026 rule that
 * a fork child moved next to an unfaulted VMA does not merge into it
 * (vmg->copied_from) -- and MREMAP_DONTUNMAP leaves the old VMA unfaulted.
 */
#include <criterion/criterion.h>

#include "env.h"

#define MREMAP_MAYMOVE		1
#define MREMAP_FIXED		2
#define MREMAP_DONTUNMAP	4

#define FAR	0x200000000UL

TestSuite(classic_mremap, .fini = env_teardown);

static void fault_all(long pid, unsigned long addr, unsigned long pages)
{
	unsigned long i;

	for (i = 0; i < pages; i++)
		ev_fault(pid, addr + i * PG, true, 0);
}

/*
 * P1: 01234567
 *     AAAAAAAA           faulted
 *     AAAA....  FAR: BBBB   mremap 4-7 to FAR: B keeps pgoff 0x100004
 * fork P2: both pieces, each with its own anon_vma (av1's is in use)
 * P1: move B back: AAAAAAAA (same anon_vma, pgoffs contiguous: merge)
 * P2: move B back: AAAABBBB (different anon_vmas: no merge)
 */
Test(classic_mremap, move_fork_merge_back)
{
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 8, "rw-");
	fault_all(1, AT(0), 8);
	f = folio_at(1, AT(5));
	ev_mremap(1, AT(4), 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED, FAR);
	cr_expect_eq(nr_vmas(1), 2);
	cr_expect_eq(vma_at(1, FAR)->vm_pgoff, AT(4) >> 12);
	cr_expect_eq(av_of(1, FAR), av_of(1, AT(0)));
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 2);
	cr_expect(walk_finds(f, 1, FAR + PG));

	ev_fork(1, 2);
	cr_expect_eq(live("anon_vma"), 3);
	cr_expect_eq(live("anon_vma_chain"), 6);
	cr_expect_neq(av_of(2, AT(0)), av_of(2, FAR));

	ev_mremap(1, FAR, 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED, AT(4));
	cr_expect_eq(nr_vmas(1), 1);
	cr_expect_eq(live("anon_vma_chain"), 5);
	cr_expect(walk_finds(f, 1, AT(5)));
	cr_expect(walk_finds(f, 2, FAR + PG));

	ev_mremap(2, FAR, 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED, AT(4));
	cr_expect_eq(nr_vmas(2), 2);
	cr_expect_eq(live("anon_vma"), 3);
	cr_expect_eq(live("anon_vma_chain"), 5);
	cr_expect(walk_finds(f, 2, AT(5)));
}

/*
 * The target below the destination is unfaulted, the moved VMA faulted:
 * case 1 of is_mergeable_anon_vma().  Allowed for a VMA with a singular
 * chain; refused for a fork child since the Jan-2026 fix (copied_from),
 * which would otherwise hand the target the child's anon_vma without
 * its ancestors and let a walk miss, or free, what it maps.
 *
 *     01234567        FAR
 *     UUUU....        BBBB    U: fresh unfaulted, B: faulted, pgoff 0x100004
 * ->  UUUUBBBB (P1, merged) / UUUU BBBB (P2, fork child, refused)
 */
static void unfaulted_target(long pid)
{
	ev_munmap(pid, AT(0), 4);
	ev_mmap(pid, AT(0), 4, "rw-");
	cr_assert_null(av_of(pid, AT(0)));
	ev_mremap(pid, FAR, 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED, AT(4));
}

Test(classic_mremap, copied_from_fork_child)
{
	env_setup("");
	ev_mmap(1, AT(0), 8, "rw-");
	fault_all(1, AT(0), 8);
	ev_mremap(1, AT(4), 4, 4, MREMAP_MAYMOVE | MREMAP_FIXED, FAR);
	ev_fork(1, 2);

	unfaulted_target(2);
	cr_expect_eq(nr_vmas(2), 2);
	cr_expect_null(av_of(2, AT(0)));
	cr_expect_eq(chain_len(2, AT(4)), 2);

	unfaulted_target(1);
	cr_expect_eq(nr_vmas(1), 1);
	cr_expect_eq(av_of(1, AT(0)), av_of(1, AT(4)));
	cr_expect_eq(chain_len(1, AT(0)), 1);
}

/*
 * 0123          FAR
 * AAAA   ->     AAAA (kept, unlinked)   BBBB (pages and anon_vma)
 * fault A again: a new root, since B is far away
 */
Test(classic_mremap, dontunmap)
{
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	fault_all(1, AT(0), 4);
	f = folio_at(1, AT(1));
	ev_mremap(1, AT(0), 4, 4,
		  MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP, FAR);
	cr_expect_eq(nr_vmas(1), 2);
	cr_expect_null(av_of(1, AT(0)));
	cr_expect_eq(live("anon_vma"), 1);
	cr_expect_eq(live("anon_vma_chain"), 1);
	cr_expect(walk_finds(f, 1, FAR + PG));

	ev_fault(1, AT(1), true, 0);
	cr_expect_eq(live("anon_vma"), 2);
	cr_expect_eq(live("anon_vma_chain"), 2);
	cr_expect_neq(av_of(1, AT(0)), av_of(1, FAR));
}

/*
 * 0123....
 * AAAA      -> AAAAAAAA   grow in place: the AVC is re-keyed
 */
Test(classic_mremap, grow_in_place)
{
	struct anon_vma_chain *avc;
	struct vm_area_struct *vma;

	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	fault_all(1, AT(0), 2);
	ev_mremap(1, AT(0), 4, 8, 0, 0);
	vma = vma_at(1, AT(0));
	cr_expect_eq(vma->vm_end, AT(8));
	avc = list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain,
			       same_vma);
	cr_expect_eq(avc->rb.last, (AT(8) >> 12) - 1);
	ev_fault(1, AT(7), true, 0);
	cr_expect_eq(live("anon_vma"), 1);
}
