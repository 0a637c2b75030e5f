// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMA flags that everyday programs set: MAP_STACK, mlock and friends,
 * MAP_POPULATE and MADV_POPULATE_*, the flag advices, mseal, protection
 * keys, userfaultfd registration and MAP_DROPPABLE.  Each test draws the
 * address space before and after (tests/core/layout.h): a letter per VMA,
 * '.' for a hole.
 */
#include <errno.h>
#include <linux/mman.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/pgtable.h"
#include "tests/core/layout.h"
#include "traces/linux_abi.h"

static void setup(void)
{
	env_setup("");
}

TestSuite(vmflags, .init = setup, .fini = env_teardown);

static unsigned long flags_at(long pid, int page)
{
	return vma_at(pid, AT(page))->vm_flags;
}

/* Pages [first, first + n) that map an anon folio, as "xx.x". */
static const char *present(long pid, int first, int n)
{
	static char buf[64];
	int i;

	for (i = 0; i < n; i++)
		buf[i] = folio_or_null(pid, AT(first + i)) ? 'x' : '.';
	buf[n] = '\0';
	return buf;
}

/*
 * 0123456
 * AAA            + MAP_STACK at 3   ->  AAABBB   (VM_NOHUGEPAGE since 6.7)
 * AAABBB         + MAP_STACK at 6   ->  AAABBBBBB
 */
Test(vmflags, thread_stack_does_not_merge_with_anon_neighbour)
{
	map_anon(1, 0, 3, "rw-", 0);
	cr_assert_eq(map_anon(1, 3, 3, "rw-", MAP_STACK), (long)AT(3));
	cr_assert_str_eq(layout(1, 7), "AAABBB.");
	cr_assert(flags_at(1, 3) & VM_NOHUGEPAGE);
	map_anon(1, 6, 3, "rw-", MAP_STACK | MAP_GROWSDOWN);
	cr_assert_str_eq(layout(1, 9), "AAABBBCCC");
	map_anon(1, 6, 3, "rw-", MAP_STACK);
	cr_assert_str_eq(layout(1, 9), "AAABBBBBB");
	env_after("stacks");
}

/*
 * 012345
 * AAAAAA   mlock 2-3    ->  AABBCC   B locked, its pages faulted in
 * AABBCC   munlock 2-3  ->  AAAAAA   (the folios stay)
 */
Test(vmflags, mlock_splits_populates_and_munlock_merges)
{
	map_anon(1, 0, 6, "rw-", 0);
	cr_assert_eq(sys_mlock(T(1), AT(2), 2 * PG, 0), 0);
	cr_assert_str_eq(layout(1, 6), "AABBCC");
	cr_assert(flags_at(1, 2) & VM_LOCKED);
	cr_assert_str_eq(present(1, 0, 6), "..xx..");
	env_after("mlock");
	cr_assert_eq(sys_munlock(T(1), AT(2), 2 * PG), 0);
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
	cr_assert_str_eq(present(1, 0, 6), "..xx..");
	env_after("munlock");
}

/* mlock rounds the start down and the length up to whole pages. */
Test(vmflags, mlock_rounds_to_pages)
{
	map_anon(1, 0, 6, "rw-", 0);
	cr_assert_eq(sys_mlock(T(1), AT(2) + 100, PG, 0), 0);
	cr_assert_str_eq(layout(1, 6), "AABBCC");
	cr_assert_str_eq(present(1, 0, 6), "..xx..");
}

/* mlock2(MLOCK_ONFAULT) splits the same way but faults nothing in. */
Test(vmflags, mlock_onfault_populates_nothing)
{
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(sys_mlock(T(1), AT(1), 2 * PG, MLOCK_ONFAULT), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
	cr_assert_eq(flags_at(1, 1) & VM_LOCKED_MASK, VM_LOCKED_MASK);
	cr_assert_str_eq(present(1, 0, 4), "....");
	cr_assert_eq(sys_mlock(T(1), AT(0), PG, 2), -EINVAL);
}

/*
 * 01234
 * AA.BB    mlock 0-4  ->  -ENOMEM at the hole; AA is locked already
 */
Test(vmflags, mlock_stops_at_a_hole)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 2, "rw-", 0);
	cr_assert_eq(sys_mlock(T(1), AT(0), 5 * PG, 0), -ENOMEM);
	cr_assert_str_eq(layout(1, 5), "AA.BB");
	cr_assert(flags_at(1, 0) & VM_LOCKED);
	cr_assert(!(flags_at(1, 3) & VM_LOCKED));
	/* apply_vma_lock_flags() failed: nothing was populated */
	cr_assert_str_eq(present(1, 0, 5), ".....");
}

/*
 * Population reads a read-only mapping (zero page, no anon folio) and
 * write-faults a writable private one, breaking CoW after fork.
 */
Test(vmflags, mlock_populate_breaks_cow_only_where_writable)
{
	map_anon(1, 0, 2, "r--", 0);
	map_anon(1, 2, 2, "rw-", 0);
	ev_fault(1, AT(2), true, 0);
	ev_fork(1, 2);
	cr_assert_str_eq(sharers(2, AT(2)), "1:0x100002000 2:0x100002000");
	cr_assert_eq(sys_mlock(T(2), AT(0), 4 * PG, 0), 0);
	cr_assert_str_eq(present(2, 0, 4), "..xx");
	cr_assert_null(vma_at(2, AT(0))->anon_vma);
	cr_assert_str_eq(sharers(2, AT(2)), "2:0x100002000");
	cr_assert_str_eq(sharers(1, AT(2)), "1:0x100002000");
	env_after("mlock after fork");
	/* PROT_NONE is never faulted in: mlock says -ENOMEM */
	map_anon(2, 5, 1, "---", 0);
	cr_assert_eq(sys_mlock(T(2), AT(5), PG, 0), -ENOMEM);
	cr_assert(flags_at(2, 5) & VM_LOCKED);
}

/* The child of a locked process holds no lock. */
Test(vmflags, fork_drops_vm_locked)
{
	map_anon(1, 0, 2, "rw-", MAP_LOCKED);
	cr_assert_str_eq(present(1, 0, 2), "xx");
	ev_fork(1, 2);
	cr_assert(flags_at(1, 0) & VM_LOCKED);
	cr_assert(!(flags_at(2, 0) & VM_LOCKED));
}

/*
 * MAP_POPULATE write-faults a private writable mapping, reads anything
 * else; MAP_LOCKED populates too and keeps VM_LOCKED.
 * 0123456
 * AABBCC.   (populate rw-, populate r--, locked rw-)
 */
Test(vmflags, map_populate_and_map_locked)
{
	map_anon(1, 0, 2, "rw-", MAP_POPULATE);
	map_anon(1, 2, 2, "r--", MAP_POPULATE);
	map_anon(1, 4, 2, "rw-", MAP_LOCKED);
	cr_assert_str_eq(layout(1, 7), "AABBCC.");
	cr_assert_str_eq(present(1, 0, 6), "xx..xx");
	cr_assert(!(flags_at(1, 0) & VM_LOCKED));
	cr_assert(flags_at(1, 4) & VM_LOCKED);
	/* MAP_POPULATE | MAP_NONBLOCK populates nothing */
	map_anon(1, 8, 2, "rw-", MAP_POPULATE | MAP_NONBLOCK);
	cr_assert_str_eq(present(1, 8, 2), "..");
	env_after("populate");
}

/*
 * mlockall(MCL_CURRENT | MCL_FUTURE) locks and populates what exists and
 * what comes; munlockall clears it all and the VMAs merge back.
 * 012345
 * AA.BB.   mlockall; mmap 5   ->  AA.BBC (C locked, populated)
 *          munlockall          ->  AA.BBB
 */
Test(vmflags, mlockall_current_and_future)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 2, "rw-", 0);
	cr_assert_eq(sys_mlockall(T(1), MCL_CURRENT | MCL_FUTURE), 0);
	cr_assert_str_eq(present(1, 0, 5), "xx.xx");
	map_anon(1, 5, 1, "rw-", 0);
	cr_assert(flags_at(1, 5) & VM_LOCKED);
	cr_assert_str_eq(present(1, 5, 1), "x");
	cr_assert_str_eq(layout(1, 6), "AA.BBB");
	cr_assert_eq(sys_munlockall(T(1)), 0);
	cr_assert(!(flags_at(1, 0) & VM_LOCKED));
	map_anon(1, 7, 1, "rw-", 0);
	cr_assert(!(flags_at(1, 7) & VM_LOCKED));
	cr_assert_eq(sys_mlockall(T(1), MCL_ONFAULT), -EINVAL);
	env_after("mlockall");
}

/*
 * MADV_POPULATE_WRITE needs write permission (-EINVAL), a hole ends it
 * with -ENOMEM after the pages before it were faulted in.
 * 0123
 * AA.B
 */
Test(vmflags, madvise_populate)
{
	map_anon(1, 0, 2, "rw-", 0);
	map_anon(1, 3, 1, "r--", 0);
	cr_assert_eq(sys_madvise(T(1), AT(3), PG, MADV_POPULATE_WRITE),
		     -EINVAL);
	cr_assert_eq(sys_madvise(T(1), AT(3), PG, MADV_POPULATE_READ), 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 4 * PG, MADV_POPULATE_WRITE),
		     -ENOMEM);
	cr_assert_str_eq(present(1, 0, 4), "xx..");
	cr_assert_str_eq(layout(1, 4), "AA.B");
	env_after("populate");
}

/*
 * Flag advices split and merge like mprotect does.
 * 012345
 * AAAAAA   random 1-2     ->  ABBCCC
 *          normal 1-2     ->  AAAAAA
 *          dontdump 4     ->  AAAABC
 *          mergeable 0-5  ->  AAAABC   (B keeps VM_DONTDUMP)
 */
Test(vmflags, madvise_flag_advices)
{
	map_anon(1, 0, 6, "rw-", 0);
	cr_assert_eq(sys_madvise(T(1), AT(1), 2 * PG, MADV_RANDOM), 0);
	cr_assert_str_eq(layout(1, 6), "ABBCCC");
	cr_assert(flags_at(1, 1) & VM_RAND_READ);
	cr_assert_eq(sys_madvise(T(1), AT(2), PG, MADV_SEQUENTIAL), 0);
	cr_assert_str_eq(layout(1, 6), "ABCDDD");
	cr_assert_eq(sys_madvise(T(1), AT(1), 2 * PG, MADV_NORMAL), 0);
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
	cr_assert_eq(sys_madvise(T(1), AT(4), PG, MADV_DONTDUMP), 0);
	cr_assert_str_eq(layout(1, 6), "AAAABC");
	cr_assert_eq(sys_madvise(T(1), AT(0), 6 * PG, MADV_MERGEABLE), 0);
	cr_assert_str_eq(layout(1, 6), "AAAABC");
	cr_assert(flags_at(1, 0) & VM_MERGEABLE);
	cr_assert_eq(sys_madvise(T(1), AT(4), PG, MADV_DODUMP), 0);
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
	/* KSM leaves shared mappings alone, without an error */
	map_file(1, 8, 2, "rw-", "f0", 0, true);
	cr_assert_eq(sys_madvise(T(1), AT(8), 2 * PG, MADV_MERGEABLE), 0);
	cr_assert(!(flags_at(1, 8) & VM_MERGEABLE));
	env_after("flag advices");
}

/* What the model cannot do is said, never passed off as done. */
Test(vmflags, advices_the_model_lacks_are_unsupported)
{
	map_anon(1, 0, 2, "rw-", 0);
	ev_fault(1, AT(0), true, 0);
	/* MADV_PAGEOUT is modelled (tests/core/test_swap.c), COLD ages */
	cr_assert_eq(sys_madvise(T(1), AT(0), 2 * PG, MADV_PAGEOUT), 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 2 * PG, MADV_COLD), 0);
	cr_assert_eq(W->nr_unsupported, 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 2 * PG, MADV_COLLAPSE), 0);
	cr_assert_eq(W->nr_unsupported, 1);
	cr_assert_str_eq(W->unsupported, "madvise MADV_COLLAPSE");
}

/*
 * 0123456
 * AAAAAA.   mseal 2-3   ->  AABBCC.  (B sealed)
 * then munmap 0-5, mprotect 1-2, mremap 2, mmap over 3: -EPERM, no change
 */
Test(vmflags, mseal_refuses_changes)
{
	map_anon(1, 0, 6, "r--", 0);
	cr_assert_eq(sys_mseal(T(1), AT(2), 2 * PG, 0), 0);
	cr_assert_str_eq(layout(1, 7), "AABBCC.");
	cr_assert(vma_is_sealed(vma_at(1, AT(2))));
	cr_assert_eq(sys_munmap(T(1), AT(0), 6 * PG), -EPERM);
	cr_assert_eq(sys_munmap(T(1), AT(3), 2 * PG), -EPERM);
	cr_assert_str_eq(layout(1, 7), "AABBCC.");
	cr_assert_eq(sys_mprotect(T(1), AT(2), PG, PROT_READ), -EPERM);
	cr_assert_eq(sys_mremap(T(1), AT(2), PG, 2 * PG, MREMAP_MAYMOVE, 0,
				AT(20)), -EPERM);
	cr_assert_eq(map_anon(1, 3, 1, "rw-", 0), -EPERM);
	/* read-only private anon: discarding advices refused */
	cr_assert_eq(sys_madvise(T(1), AT(2), PG, MADV_DONTNEED), -EPERM);
	cr_assert_eq(sys_madvise(T(1), AT(2), PG, MADV_HUGEPAGE), 0);
	cr_assert_str_eq(layout(1, 7), "AABCDD.");
	/* an unmap in front of the seal splits, then fails */
	cr_assert_eq(sys_munmap(T(1), AT(1), 2 * PG), -EPERM);
	cr_assert_str_eq(layout(1, 7), "ABCDEE.");
	cr_assert_eq(sys_mseal(T(1), AT(5), 2 * PG, 0), -ENOMEM);
	cr_assert(!vma_is_sealed(vma_at(1, AT(5))));
	env_after("mseal");
}

/*
 * 01234
 * AAAA.   seal 0-1, seal 2-3  ->  AAAA  (sealed neighbours merge)
 */
Test(vmflags, sealed_vmas_merge)
{
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(sys_mseal(T(1), AT(0), 2 * PG, 0), 0);
	cr_assert_str_eq(layout(1, 5), "AABB.");
	cr_assert_eq(sys_mseal(T(1), AT(2), 2 * PG, 0), 0);
	cr_assert_str_eq(layout(1, 5), "AAAA.");
	/* writable sealed anon may still drop its pages */
	ev_fault(1, AT(0), true, 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), PG, MADV_DONTNEED), 0);
	cr_assert_null(folio_or_null(1, AT(0)));
}

/*
 * Before 6.13 the guard advices are unknown: -EINVAL, nothing zapped
 * (kernel-run of Debian's 6.12.118 amd64 in a VM returns -EINVAL).
 * 0123
 * Ax..   guard 0-1   ->  Ax..   -EINVAL
 */
Test(vmflags, guard_regions_before_6_13)
{
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	map_anon(1, 0, 4, "rw-", 0);
	ev_fault(1, AT(1), true, 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 2 * PG, MADV_GUARD_INSTALL),
		     -EINVAL);
	cr_assert_eq(sys_madvise(T(1), AT(0), 2 * PG, MADV_GUARD_REMOVE),
		     -EINVAL);
	cr_assert_str_eq(present(1, 0, 4), ".x..");
	cr_assert_eq(handle_mm_fault(T(1), AT(0), true, 0), 0);
}

/*
 * Guard regions change no VMA: the range is zapped, faults there raise
 * SIGSEGV, MADV_DONTNEED keeps the markers, fork copies them, mremap
 * moves them, MADV_GUARD_REMOVE and munmap drop them.
 * 0123
 * AAAA   guard 1-2   ->  AAAA
 */
Test(vmflags, guard_regions)
{
	map_anon(1, 0, 4, "rw-", 0);
	ev_fault(1, AT(1), true, 0);
	cr_assert_eq(sys_madvise(T(1), AT(1), 2 * PG, MADV_GUARD_INSTALL), 0);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	cr_assert_null(folio_or_null(1, AT(1)));
	cr_assert_eq(handle_mm_fault(T(1), AT(1), true, 0), -EFAULT);
	cr_assert_eq(handle_mm_fault(T(1), AT(2), false, 0), -EFAULT);
	cr_assert_eq(handle_mm_fault(T(1), AT(3), true, 0), 0);
	cr_assert_eq(sys_madvise(T(1), AT(0), 4 * PG, MADV_DONTNEED), 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(1), false, 0), -EFAULT);
	/* population stops at the marker */
	cr_assert_eq(sys_madvise(T(1), AT(0), 4 * PG, MADV_POPULATE_WRITE),
		     -EFAULT);
	cr_assert_str_eq(present(1, 0, 4), "x...");
	ev_fork(1, 2);
	cr_assert_eq(handle_mm_fault(T(2), AT(2), false, 0), -EFAULT);
	cr_assert_eq(ev_move(2, AT(0), 4, 4, AT(8)), (long)AT(8));
	cr_assert_eq(handle_mm_fault(T(2), AT(9), false, 0), -EFAULT);
	cr_assert_eq(handle_mm_fault(T(2), AT(8), false, 0), 0);
	cr_assert_eq(sys_madvise(T(1), AT(1), PG, MADV_GUARD_REMOVE), 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(1), true, 0), 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(2), true, 0), -EFAULT);
	ev_munmap(1, 0, 4);
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(handle_mm_fault(T(1), AT(2), true, 0), 0);
	/* locked VMAs refuse new guards */
	map_anon(1, 6, 1, "rw-", MAP_LOCKED);
	cr_assert_eq(sys_madvise(T(1), AT(6), PG, MADV_GUARD_INSTALL),
		     -EINVAL);
	env_after("guards");
}

/*
 * Before 6.13 there are no guard regions: the advice is -EINVAL and the
 * page stays mapped (Debian's 6.12 kernel, run in a VM, says so).
 * 0123
 * AAAA   guard 1     ->  AAAA  -EINVAL, 1 still present
 */
Test(vmflags, no_guard_regions_before_6_13)
{
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	map_anon(1, 0, 4, "rw-", 0);
	ev_fault(1, AT(1), true, 0);
	cr_assert_eq(sys_madvise(T(1), AT(1), PG, MADV_GUARD_INSTALL),
		     -EINVAL);
	cr_assert_eq(sys_madvise(T(1), AT(1), PG, MADV_GUARD_REMOVE),
		     -EINVAL);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	cr_assert_not_null(folio_or_null(1, AT(1)));
}

/*
 * Protection keys live in vm_flags: a different key stops a merge.
 * 0123
 * AAAA   pkey 1 on 1-2    ->  ABBC
 *        mprotect 1-2 r-- ->  ABBC   (keeps key 1)
 *        pkey 0 on 1-2    ->  AAAA
 */
Test(vmflags, pkey_bits_split_and_merge)
{
	map_anon(1, 0, 4, "r--", 0);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG, PROT_READ, 1), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
	cr_assert_eq(sys_mprotect(T(1), AT(1), 2 * PG, PROT_READ), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG, PROT_READ, 0), 0);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), PG, PROT_READ, 16),
		     -EINVAL);
}

/*
 * A machine without protection keys (arm64 without FEAT_S1POE, as under
 * qemu's -cpu max; kernel-run of Debian's 6.12.118 arm64 says -EINVAL)
 * has key 0 alone: any other key is refused before the VMAs are looked
 * at, and nothing splits.
 * 0123
 * AAAA   pkey 1 on 1-2    ->  AAAA   -EINVAL
 *        pkey 0 on 1-2 rw- ->  ABBC
 */
Test(vmflags, pkey_without_hardware_keys)
{
	W->max_pkey = 1;
	map_anon(1, 0, 4, "r--", 0);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG, PROT_READ, 1),
		     -EINVAL);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	/* Even over a hole: the key is checked first. */
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(8), PG, PROT_READ, 1),
		     -EINVAL);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG,
				       PROT_READ | PROT_WRITE, 0), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
}

/*
 * 0123
 * AAAA   register 1-2 missing  ->  ABBC;  unregister  ->  AAAA
 * A fork without UFFD_FEATURE_EVENT_FORK drops the registration.
 */
Test(vmflags, userfaultfd_registration)
{
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(sys_uffd_register(T(1), AT(1), 2 * PG,
				       UFFD_MODE_MISSING), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
	ev_fork(1, 2);
	cr_assert(!(flags_at(2, 1) & VM_UFFD_FLAGS));
	/*
	 * A missing-page fault waits for the monitor: not modelled, but a
	 * write prepared the anon_vma before asking.
	 */
	cr_assert_eq(handle_mm_fault(T(1), AT(1), true, 0), 0);
	cr_assert_eq(W->nr_unsupported, 1);
	cr_assert_not_null(vma_at(1, AT(1))->anon_vma);
	cr_assert_null(folio_or_null(1, AT(1)));
	cr_assert_eq(sys_uffd_unregister(T(1), AT(0), 4 * PG), 0);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	/* regular files cannot be registered; minor faults need shmem */
	map_file(1, 6, 2, "rw-", "f0", 0, false);
	cr_assert_eq(sys_uffd_register(T(1), AT(6), PG, UFFD_MODE_WP),
		     -EINVAL);
	cr_assert_eq(sys_uffd_register(T(1), AT(0), PG, UFFD_MODE_MINOR),
		     -EINVAL);
}

/*
 * MAP_DROPPABLE: wiped on fork, never dumped, never merged with a plain
 * private neighbour, never locked.
 * 0123
 * AABB
 */
Test(vmflags, map_droppable)
{
	map_anon(1, 0, 2, "rw-", 0);
	cr_assert_eq(sys_mmap(T(1), AT(2), 2 * PG, PROT_READ | PROT_WRITE,
			      MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, NULL,
			      0), (long)AT(2));
	cr_assert_str_eq(layout(1, 4), "AABB");
	cr_assert(flags_at(1, 2) & VM_WIPEONFORK);
	cr_assert_eq(sys_madvise(T(1), AT(2), PG, MADV_KEEPONFORK), -EINVAL);
	cr_assert_eq(sys_mlock(T(1), AT(2), PG, 0), 0);
	cr_assert(!(flags_at(1, 2) & VM_LOCKED));
	cr_assert_eq(sys_mmap(T(1), AT(6), PG, PROT_READ, MAP_DROPPABLE |
			      MAP_ANONYMOUS | MAP_FIXED | MAP_LOCKED, NULL, 0),
		     -EINVAL);
}

/*
 * userfaultfd on a droppable VMA: refused on 6.18; 6.12 tested the wrong
 * flags and registers it (kernel-run of Debian's 6.12.118 arm64 in a VM).
 * 0123          0123
 * AAAA  wp 0-1  AAAA   -EINVAL (6.18)
 * AAAA  wp 0-1  AABB   (6.12: registered, split)
 */
Test(vmflags, uffd_on_droppable)
{
	cr_assert_eq(sys_mmap(T(1), AT(0), 4 * PG, PROT_READ | PROT_WRITE,
			      MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, NULL,
			      0), (long)AT(0));
	cr_assert_eq(sys_uffd_register(T(1), AT(0), 2 * PG, UFFD_MODE_WP),
		     -EINVAL);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	cr_assert_eq(sys_uffd_register(T(1), AT(0), 2 * PG, UFFD_MODE_WP), 0);
	cr_assert_str_eq(layout(1, 4), "AABB");
	cr_assert(flags_at(1, 0) & VM_UFFD_WP);
}

/*
 * Splitting a THP maps its zero-filled pages to the shared zero page,
 * but not in a locked VMA.
 * page 0 .. 255 256 257 .. 511
 *      A        B   C            mlock 256 splits the VMA and the PMD;
 *                                MADV_FREE 0-1 splits the folio
 */
Test(vmflags, thp_split_keeps_zero_pages_of_locked_vmas)
{
	map_anon(1, 0, 512, "rw-", 0);
	ev_madvise(1, AT(0), 512, MADV_HUGEPAGE);
	ev_fault(1, AT(0), true, 9);
	cr_assert_eq(folio_at(1, AT(0))->order, 9);
	cr_assert_eq(sys_mlock(T(1), AT(256), PG, 0), 0);
	cr_assert_eq(nr_vmas(1), 3);
	ev_madvise(1, AT(0), 2, MADV_FREE);
	cr_assert_not_null(folio_or_null(1, AT(0)));
	cr_assert_null(folio_or_null(1, AT(1)));
	cr_assert_not_null(folio_or_null(1, AT(256)));
	cr_assert_null(folio_or_null(1, AT(300)));
	cr_assert_eq(folio_at(1, AT(256))->order, 0);
}

/*
 * Before 6.12 a split left every page of the THP mapped, zero-filled or
 * not (kernel-run of Debian's 6.1.0-57 arm64: a never-written page of a
 * THP split by MADV_FREE is still an anon page).
 * page 0 .. 255 256 257 .. 511
 *      A        .   B            munmap 256 splits the VMA and the PMD;
 *                                MADV_FREE 0-1 splits the folio: the
 *                                zero-filled pages 2-255 and 257-511
 *                                stay mapped on 6.1
 */
Test(vmflags, thp_split_keeps_zero_pages_before_6_12)
{
	W->kernel_version = KERNEL_VERSION(6, 1, 192);
	map_anon(1, 0, 512, "rw-", 0);
	ev_madvise(1, AT(0), 512, MADV_HUGEPAGE);
	ev_fault(1, AT(0), true, 9);
	cr_assert_eq(folio_at(1, AT(0))->order, 9);
	cr_assert_eq(sys_munmap(T(1), AT(256), PG), 0);
	ev_madvise(1, AT(0), 2, MADV_FREE);
	cr_assert_eq(folio_at(1, AT(300))->order, 0);
	cr_assert_not_null(folio_or_null(1, AT(0)));
	cr_assert_not_null(folio_or_null(1, AT(2)));
	cr_assert_not_null(folio_or_null(1, AT(511)));
}

/*
 * Linux 6.1 (kernel-run of Debian's 6.1.0-57 amd64 and arm64 in a VM)
 * has no mseal() (6.10: -ENOSYS) and no MAP_DROPPABLE (6.11: do_mmap()
 * refuses the map type, -EINVAL); nothing changes.
 * 0123          0123
 * AAAA  mseal   AAAA   -ENOSYS
 * AAAA  drop 2  AAAA   -EINVAL
 */
Test(vmflags, mseal_and_droppable_before_6_11)
{
	W->kernel_version = KERNEL_VERSION(6, 1, 0);
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(sys_mseal(T(1), AT(1), 2 * PG, 0), -ENOSYS);
	cr_assert_eq(sys_mseal(T(1), AT(8), PG, 0), -ENOSYS);
	cr_assert(!(flags_at(1, 1) & VM_SEALED));
	cr_assert_eq(sys_mmap(T(1), AT(2), PG, PROT_READ | PROT_WRITE,
			      MAP_DROPPABLE | MAP_ANONYMOUS | MAP_FIXED, NULL,
			      0), -EINVAL);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	/* The releases that brought them take them. */
	W->kernel_version = KERNEL_VERSION(6, 10, 0);
	cr_assert_eq(sys_mseal(T(1), AT(1), 2 * PG, 0), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
	cr_assert_eq(sys_mmap(T(1), AT(6), PG, PROT_READ, MAP_DROPPABLE |
			      MAP_ANONYMOUS | MAP_FIXED, NULL, 0), -EINVAL);
	W->kernel_version = KERNEL_VERSION(6, 11, 0);
	cr_assert_eq(sys_mmap(T(1), AT(6), PG, PROT_READ, MAP_DROPPABLE |
			      MAP_ANONYMOUS | MAP_FIXED, NULL, 0), (long)AT(6));
}

/*
 * arm64 before 6.12 has no ARCH_HAS_PKEYS, so no pkey_mprotect()
 * (-ENOSYS, even for key 0), and before 6.10 no userfaultfd write
 * protection (-EINVAL); missing-page registration works.  x86_64 6.1
 * has both (kernel-run of Debian's 6.1.0-57 arm64 and amd64).
 * 0123                0123
 * AAAA  pkey 0 1-2    AAAA   -ENOSYS (arm64 6.1)
 * AAAA  wp 1-2        AAAA   -EINVAL (arm64 6.1)
 * AAAA  missing 1-2   ABBC
 */
Test(vmflags, arm64_pkeys_and_uffd_wp_before_6_12)
{
	W->kernel_version = KERNEL_VERSION(6, 1, 0);
	W->arch = ARCH_ARM64;
	W->max_pkey = 1;
	map_anon(1, 0, 4, "rw-", 0);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG, PROT_READ, 0),
		     -ENOSYS);
	cr_assert_eq(sys_uffd_register(T(1), AT(1), 2 * PG, UFFD_MODE_WP),
		     -EINVAL);
	cr_assert_str_eq(layout(1, 4), "AAAA");
	cr_assert_eq(sys_uffd_register(T(1), AT(1), 2 * PG,
				       UFFD_MODE_MISSING), 0);
	cr_assert_str_eq(layout(1, 4), "ABBC");
	/* 6.10 brought write protection, 6.12 the pkey syscalls. */
	W->kernel_version = KERNEL_VERSION(6, 10, 0);
	cr_assert_eq(sys_uffd_register(T(1), AT(1), 2 * PG, UFFD_MODE_WP), 0);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG, PROT_READ, 0),
		     -ENOSYS);
	W->kernel_version = KERNEL_VERSION(6, 12, 0);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(1), 2 * PG, PROT_READ, 0), 0);
	/* x86_64 6.1 has both */
	W->arch = ARCH_X86_64;
	W->kernel_version = KERNEL_VERSION(6, 1, 0);
	cr_assert_eq(sys_pkey_mprotect(T(1), AT(3), PG, PROT_READ, 0), 0);
}

/*
 * Before 6.7 MAP_STACK set no flag: a thread stack merges with its
 * private anon neighbour (kernel-run of Debian's 6.1.0-57 amd64: a
 * mapping next to a MAP_STACK one expands into it).
 * 012345
 * AAA     + MAP_STACK at 3   ->  AAAAAA  (6.1)
 */
Test(vmflags, map_stack_merges_before_6_7)
{
	W->kernel_version = KERNEL_VERSION(6, 1, 0);
	map_anon(1, 0, 3, "rw-", 0);
	cr_assert_eq(map_anon(1, 3, 3, "rw-", MAP_STACK), (long)AT(3));
	cr_assert_str_eq(layout(1, 6), "AAAAAA");
	cr_assert(!(flags_at(1, 3) & VM_NOHUGEPAGE));
}

/*
 * MADV_POPULATE_WRITE over a hole: 6.18 stops at the hole; before 6.9 the
 * advice went through madvise_walk_vmas(), which skips holes, populates
 * every VMA of the range and says -ENOMEM at the end (kernel-run of
 * Debian's 6.1.192 arm64: the VMA after the hole is populated).
 * 0123456          0123456
 * .AA.BB.  ->      .AA.BB.   -ENOMEM; pages: .......  (6.18)
 * .AA.BB.  ->      .AA.BB.   -ENOMEM; pages: .xx.xx.  (6.1)
 */
Test(vmflags, populate_skips_holes_before_6_9)
{
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long b = i * 8;

		if (i)
			W->kernel_version = KERNEL_VERSION(6, 1, 192);
		map_anon(1, b + 1, 2, "rw-", 0);
		map_anon(1, b + 4, 2, "rw-", 0);
		cr_assert_eq(sys_madvise(T(1), AT(b), 7 * PG,
					 MADV_POPULATE_WRITE), -ENOMEM);
	}
	cr_assert_str_eq(present(1, 0, 7), ".......");
	cr_assert_str_eq(present(1, 8, 7), ".xx.xx.");
}
