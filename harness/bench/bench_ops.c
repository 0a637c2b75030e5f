// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost of single mm operations per scheme, timed around the operation
 * alone (manual time): the set-up each iteration needs (unmapping what
 * the previous one mapped, exiting the forked child) is left out.
 *
 *   fork/S/N      fork of a process with N written VMAs (4 pages each)
 *   exit/S/N      exit of that child
 *   fault_first/S first write fault in a fresh VMA (anon_vma_prepare)
 *   fault_next/S  write fault in a VMA that already has its anon_vma
 *   cow/S         write fault on a page shared with the parent (copy)
 *   munmap/S      munmap of a 4-page VMA, 4 pages written
 *   mprotect/S    split a written VMA with mprotect and merge it back
 *   mremap/S      move a 16-page written VMA (MAYMOVE|FIXED)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/bench/bench_common.h"
#include "harness/registry.h"

#define BASE		0x100000000UL
#define OTHER		0x200000000UL
#define PG		4096UL
#define RW		(PROT_READ | PROT_WRITE)
#define ANON		(MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)

enum op_kind {
	K_FORK, K_EXIT, K_FAULT_FIRST, K_FAULT_NEXT, K_COW, K_MUNMAP,
	K_MPROTECT, K_MREMAP, K_NR,
};

static const char *const kind_names[K_NR] = {
	"fork", "exit", "fault_first", "fault_next", "cow", "munmap",
	"mprotect", "mremap",
};

struct op_bench {
	const char *scheme;
	enum op_kind kind;
	struct world *w;
	int64_t arg;
	unsigned long i;
	bool failed;
};

static struct op_bench *current;

/*
 * The task labelled @pid.  The parent is the first task of the world's
 * array (creation order) and is taken directly: task_find() scans from
 * the newest task, dead ones included, and every iteration adds one.
 */
static struct task *T(struct op_bench *b, long pid)
{
	if (pid == 1)
		return &b->w->tasks[0];
	return task_find(b->w, pid);
}

static void write_range(struct op_bench *b, long pid, unsigned long addr,
			unsigned long pages)
{
	unsigned long i;

	for (i = 0; i < pages; i++)
		handle_mm_fault(T(b, pid), addr + i * PG, true, 0);
}

static void build(struct op_bench *b)
{
	struct scheme_spec spec;
	struct errbuf err;
	struct task *child;
	int64_t i;

	if (scheme_lookup(b->scheme, &spec, &err) ||
	    !(b->w = world_new(spec.scheme, spec.params, 12, &err))) {
		fprintf(stderr, "%s\n", err.msg);
		b->failed = true;
		return;
	}
	task_spawn(b->w, 1);
	b->i = 0;
	switch (b->kind) {
	case K_FORK:
	case K_EXIT:
		/* Gaps between the VMAs keep them from merging. */
		for (i = 0; i < b->arg; i++) {
			sys_mmap(T(b, 1), BASE + i * 8 * PG, 4 * PG, RW, ANON,
				 NULL, 0);
			write_range(b, 1, BASE + i * 8 * PG, 4);
		}
		break;
	case K_FAULT_NEXT:
		sys_mmap(T(b, 1), BASE, 65536 * PG, RW, ANON, NULL, 0);
		write_range(b, 1, BASE, 1);
		b->i = 1;
		break;
	case K_COW:
		sys_mmap(T(b, 1), BASE, 4096 * PG, RW, ANON, NULL, 0);
		write_range(b, 1, BASE, 4096);
		task_fork(T(b, 1), 2, &child);
		break;
	case K_MPROTECT:
		sys_mmap(T(b, 1), BASE, 16 * PG, RW, ANON, NULL, 0);
		write_range(b, 1, BASE, 16);
		break;
	case K_MREMAP:
		sys_mmap(T(b, 1), BASE, 16 * PG, RW, ANON, NULL, 0);
		write_range(b, 1, BASE, 16);
		break;
	default:
		break;
	}
}

static bool setup(void *ctx, int64_t arg)
{
	struct op_bench *b = ctx;

	if (current == b && b->arg == arg)
		return !b->failed;
	if (current && current->w) {
		world_free(current->w);
		current->w = NULL;
	}
	current = b;
	b->arg = arg;
	b->failed = false;
	build(b);
	return !b->failed;
}

static double iter(void *ctx, int64_t arg)
{
	struct op_bench *b = ctx;
	unsigned long addr;
	struct task *child;
	uint64_t t0, t1;
	long pid;

	switch (b->kind) {
	case K_FORK:
		t0 = bench_now_ns();
		task_fork(T(b, 1), 2, &child);
		t1 = bench_now_ns();
		task_exit(T(b, 2));
		return (double)(t1 - t0);
	case K_EXIT:
		task_fork(T(b, 1), 2, &child);
		t0 = bench_now_ns();
		task_exit(T(b, 2));
		return (double)(bench_now_ns() - t0);
	case K_FAULT_FIRST:
		if (b->i == 8192) {
			sys_munmap(T(b, 1), BASE, 2 * 8192 * PG);
			b->i = 0;
		}
		addr = BASE + 2 * b->i++ * PG;
		sys_mmap(T(b, 1), addr, PG, RW, ANON, NULL, 0);
		t0 = bench_now_ns();
		handle_mm_fault(T(b, 1), addr, true, 0);
		return (double)(bench_now_ns() - t0);
	case K_FAULT_NEXT:
		if (b->i == 65536) {
			sys_madvise(T(b, 1), BASE + PG, 65535 * PG,
				    MADV_DONTNEED);
			b->i = 1;
		}
		addr = BASE + b->i++ * PG;
		t0 = bench_now_ns();
		handle_mm_fault(T(b, 1), addr, true, 0);
		return (double)(bench_now_ns() - t0);
	case K_COW:
		/* Children take turns: labels 2, 3, ... */
		pid = 2 + (long)(b->i / 4096);
		if (b->i && b->i % 4096 == 0) {
			task_exit(T(b, pid - 1));
			task_fork(T(b, 1), pid, &child);
		}
		addr = BASE + (b->i++ % 4096) * PG;
		t0 = bench_now_ns();
		handle_mm_fault(T(b, pid), addr, true, 0);
		return (double)(bench_now_ns() - t0);
	case K_MUNMAP:
		sys_mmap(T(b, 1), BASE, 4 * PG, RW, ANON, NULL, 0);
		write_range(b, 1, BASE, 4);
		t0 = bench_now_ns();
		sys_munmap(T(b, 1), BASE, 4 * PG);
		return (double)(bench_now_ns() - t0);
	case K_MPROTECT:
		t0 = bench_now_ns();
		sys_mprotect(T(b, 1), BASE + 4 * PG, 4 * PG, PROT_READ);
		sys_mprotect(T(b, 1), BASE + 4 * PG, 4 * PG, RW);
		return (double)(bench_now_ns() - t0);
	case K_MREMAP:
		addr = b->i++ & 1 ? OTHER : BASE;
		t0 = bench_now_ns();
		sys_mremap(T(b, 1), addr, 16 * PG, 16 * PG,
			   MREMAP_MAYMOVE | MREMAP_FIXED,
			   addr == BASE ? OTHER : BASE,
			   addr == BASE ? OTHER : BASE);
		return (double)(bench_now_ns() - t0);
	default:
		return 0;
	}
}

int main(int argc, char **argv)
{
	static const int64_t vmas[] = { 1, 16, 256 };
	struct bench_def d;
	struct op_bench *b;
	int s, k;

	for (k = 0; k < K_NR; k++) {
		for (s = 0; s < nr_bench_schemes; s++) {
			b = calloc(1, sizeof(*b));
			if (!b)
				abort();
			b->scheme = bench_schemes[s];
			b->kind = k;
			memset(&d, 0, sizeof(d));
			d.name = bench_name("%s/%s", kind_names[k],
					    bench_schemes[s]);
			d.ctx = b;
			d.setup = setup;
			d.iter = iter;
			d.manual_time = true;
			if (k == K_FORK || k == K_EXIT) {
				d.args = vmas;
				d.nr_args = 3;
			}
			bench_register(&d);
		}
	}
	return bench_run_all(&argc, argv);
}
