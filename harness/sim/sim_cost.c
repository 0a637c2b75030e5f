// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulation's cost table: virtual nanoseconds per object touched,
 * per lock operation and per event.  These are order-of-magnitude
 * figures for a current x86-64 server core at about 3 GHz, not
 * measurements of this machine (a 2-CPU VM without a PMU); the basis of
 * each is given beside it, and `contend --simulate --hold-scale` plus
 * the sensitivity line show how far a conclusion depends on them.
 *
 * Work done while a lock is held is multiplied by the hold scale; work
 * outside any lock is not.
 */
#include "harness/sim/sim_internal.h"

#define W(k)	(COST_WORK + (k))
#define OP(k)	(COST_OP + (k))

const struct sim_cost sim_costs[COST_NR] = {
	[W(LW_NODE)] = { "tree node visited", 10,
		"one dependent load that hits L2/L3: 14-50 cycles (Intel "
		"optimization manual, Skylake-SP latencies)" },
	[W(LW_LINK)] = { "rmap entry linked", 60,
		"anon_vma_interval_tree_insert(): rb insert with augment "
		"callbacks and a rotation or two, plus list_add" },
	[W(LW_UNLINK)] = { "rmap entry unlinked", 60,
		"anon_vma_interval_tree_remove(): rb erase with augment "
		"propagation, plus list_del" },
	[W(LW_CTX)] = { "container visited by a walk", 20,
		"load of an anon_vma / context header and its lock word" },
	[W(LW_VMA)] = { "VMA handed to rmap_one()", 250,
		"folio_referenced_one(): page_vma_mapped_walk() down four "
		"page-table levels, PTL, ptep_clear_flush_young()" },
	[W(LW_ALLOC)] = { "object allocated", 25,
		"SLUB fast path: this-CPU freelist cmpxchg, 20-30 ns" },
	[W(LW_FREE)] = { "object freed", 25,
		"SLUB fast path free, same as allocation" },
	[COST_ACQUIRE] = { "uncontended lock or unlock", 20,
		"one atomic read-modify-write on a line this CPU owns" },
	[COST_BOUNCE] = { "cache line from another CPU", 100,
		"cross-core transfer on one socket 50-100 ns, cross-socket "
		"100-300 ns (typical two-socket Xeon); per lock word and "
		"per object touched under a lock last held elsewhere" },
	[COST_WAKEUP] = { "sleeping waiter runs again", 3000,
		"try_to_wake_up() plus a context switch: 2-5 us (lmbench "
		"lat_ctx order of magnitude)" },
	[COST_WALK] = { "walk set-up", 200,
		"folio_lock_anon_vma_read() / rmap_walk_anon() entry, "
		"folio->mapping load and checks" },
	[OP(OP_NONE)] = { "other event", 200, "thread creation bookkeeping" },
	[OP(OP_MMAP)] = { "mmap", 1000,
		"syscall entry, get_unmapped_area(), vm_area_alloc, maple "
		"tree store: about 1 us" },
	[OP(OP_MUNMAP)] = { "munmap", 2000,
		"syscall, unmap_region(): TLB flush and page-table teardown" },
	[OP(OP_MPROTECT)] = { "mprotect", 1000,
		"syscall, mprotect_fixup(), change_protection()" },
	[OP(OP_MADVISE)] = { "madvise", 1000,
		"syscall, zap_page_range_single() or flag change" },
	[OP(OP_MREMAP)] = { "mremap", 2000,
		"syscall, move_page_tables() or vma_expand()" },
	[OP(OP_BRK)] = { "brk", 800, "syscall, do_brk_flags()" },
	[OP(OP_FAULT)] = { "page fault", 1000,
		"exception entry, lock_vma_under_rcu(), a zeroed or copied "
		"4 KiB page (clear_page/copy_page 100-300 ns), PTE set: "
		"about 1 us for a minor anonymous fault" },
	[OP(OP_FORK)] = { "fork", 30000,
		"copy_process() and dup_mmap() of a small process: lmbench "
		"lat_proc fork+exit is 50-150 us; the per-VMA rmap work is "
		"added from the counts" },
	[OP(OP_EXEC)] = { "exec", 100000,
		"execve(): binary loading, new mm (lmbench lat_proc exec "
		"order)" },
	[OP(OP_EXIT)] = { "exit", 20000,
		"do_exit(), exit_mmap(): page-table and mm teardown" },
	[OP(OP_WALK)] = { "walk", 0, "see walk set-up" },
};

uint64_t sim_work_ns(const uint32_t work[LW_NR], double scale)
{
	double ns = 0;
	int k;

	for (k = 0; k < LW_NR; k++)
		ns += (double)work[k] * (double)sim_costs[W(k)].ns;
	return (uint64_t)(ns * scale + 0.5);
}
