// SPDX-License-Identifier: GPL-2.0-only
/*
 * The user address-space limit (TASK_SIZE) and ranges far larger than
 * what is mapped: the kernel's answer, at the cost of what is mapped.
 */
#include <errno.h>
#include <linux/mman.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/pgtable.h"
#include "tests/core/layout.h"

#define TOP47	(1UL << 47)

static void setup(void)
{
	env_setup("");
}

TestSuite(limits, .init = setup, .fini = env_teardown);

static long map_at(unsigned long addr, unsigned long len)
{
	return sys_mmap(T(1), addr, len, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
}

/*
 * 4-level x86_64: TASK_SIZE is 2^47 less a guard page.
 *   0x7fffffffe000 ... 0x7ffffffff000 | 0x800000000000
 *             A                        -ENOMEM
 */
Test(limits, task_size_of_4_level_paging)
{
	cr_assert_eq(W->task_size, TOP47 - PG);
	cr_assert_eq(map_at(TOP47, PG), -ENOMEM);
	cr_assert_eq(map_at(TOP47 - PG, PG), -ENOMEM);
	cr_assert_eq(map_at(TOP47 - 2 * PG, 2 * PG), -ENOMEM);
	cr_assert_eq(map_at(TOP47 - 2 * PG, PG), (long)(TOP47 - 2 * PG));
	cr_assert_eq(nr_vmas(1), 1);
	/* alignment is checked after the limit */
	cr_assert_eq(map_at(TOP47 + 1, PG), -ENOMEM);
	cr_assert_eq(map_at(AT(0) + 1, PG), -EINVAL);
	cr_assert_eq(sys_munmap(T(1), TOP47, PG), -EINVAL);
	cr_assert_eq(sys_munmap(T(1), 0, 1UL << 55), -EINVAL);
}

/* brk stops below TASK_SIZE; the break stays where it was. */
Test(limits, brk_never_reaches_the_kernel_half)
{
	struct mm_struct *mm = T(1)->mm;

	mm->start_brk = mm->brk = AT(0);
	mm->brk_known = true;
	cr_assert_eq(sys_brk(T(1), AT(2)), (long)AT(2));
	cr_assert_str_eq(layout(1, 3), "AA.");
	cr_assert_eq(sys_brk(T(1), 1UL << 63), (long)AT(2));
	cr_assert_eq(sys_brk(T(1), ~0UL - 10), (long)AT(2));
	cr_assert_eq(nr_vmas(1), 1);
	cr_assert_eq(vma_at(1, AT(0))->vm_end, AT(2));
}

/*
 * mremap to a length beyond TASK_SIZE, or a target past it: -EINVAL
 * (check_mremap_params()); growing in place up to it: -ENOMEM.  Nothing
 * changes.
 */
Test(limits, mremap_to_a_huge_length)
{
	map_at(AT(0), 2 * PG);
	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(sys_mremap(T(1), AT(0), 2 * PG, 1UL << 62, 0, 0, 0),
		     -EINVAL);
	cr_assert_eq(sys_mremap(T(1), AT(0), 2 * PG, 1UL << 62,
				MREMAP_MAYMOVE, 0, AT(100)), -EINVAL);
	cr_assert_eq(sys_mremap(T(1), AT(0), 2 * PG, TOP47 - PG, 0, 0, 0),
		     -ENOMEM);
	cr_assert_eq(sys_mremap(T(1), AT(0), 2 * PG, 4 * PG,
				MREMAP_MAYMOVE | MREMAP_FIXED, TOP47, 0),
		     -EINVAL);
	cr_assert_eq(sys_mremap(T(1), AT(0), 2 * PG, -PG, 0, 0, 0), -EINVAL);
	cr_assert_str_eq(layout(1, 3), "AA.");
	cr_assert_not_null(folio_or_null(1, AT(0)));
	cr_assert_eq(live("folio"), 1);
}

/*
 * On a 5-level machine a MAP_FIXED of 2^54 bytes, a move and the munmap
 * cost what is mapped, not 2^33 PMD steps; the faulted pages go along.
 */
Test(limits, huge_ranges_cost_what_is_mapped)
{
	unsigned long len = 1UL << 54, addr = 1UL << 54, to = 1UL << 55;

	W->task_size = (1UL << 56) - PG;
	cr_assert_eq(map_at(addr, len), (long)addr);
	ev_fault(1, addr + (1UL << 40), true, 0);
	ev_fault(1, addr + len - PG, true, 0);
	cr_assert_eq(sys_madvise(T(1), addr, len, MADV_FREE), 0);
	cr_assert_eq(sys_mprotect(T(1), addr, len, PROT_READ), 0);
	cr_assert_eq(ev_move(1, addr, len >> 12, len >> 12, to), (long)to);
	cr_assert_not_null(folio_or_null(1, to + (1UL << 40)));
	cr_assert_eq(sys_munmap(T(1), to, len), 0);
	cr_assert_eq(nr_vmas(1), 0);
	cr_assert_eq(live("folio"), 0);
	env_after("huge ranges");
}

/*
 * The page-table scan ends at the last slot of the top table, even where
 * that table has fewer than 512 useful slots (6 levels for 64 bits).
 */
Test(limits, page_table_scan_ends_at_the_top)
{
	struct mm_struct *mm = T(1)->mm;
	unsigned long high = 1UL << 60, addr = 0;
	struct pte *pte;

	pte_alloc(mm, high);
	cr_assert_null(pte_next_present(mm, &addr, ~0UL));
	pte = pte_alloc(mm, high);
	pte->guard = 1;
	addr = 0;
	cr_assert_eq(pte_next_entry(mm, &addr, ~0UL), pte);
	cr_assert_eq(addr, high);
	addr = high + PG;
	cr_assert_null(pte_next_entry(mm, &addr, ~0UL));
	addr = 0;
	cr_assert(pte_table_next(mm, &addr, ~0UL));
	cr_assert_eq(addr, high);
	addr = high + (2UL << 20);
	cr_assert(!pte_table_next(mm, &addr, ~0UL));
	pte->guard = 0;
}
