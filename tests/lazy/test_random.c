// SPDX-License-Identifier: GPL-2.0-only
/*
 * Random histories in a small window (fixed seeds, a few hundred events
 * each): after every event the checker must pass and every folio's walk
 * must find every mapping the oracle sees, for each variant that is meant
 * to be sound.  On failure the seed and the event are printed; replaying
 * the seed reproduces it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <linux/mman.h>

#include <criterion/criterion.h>

#include "env.h"
#include "traces/linux_abi.h"


#define WINDOW		64		/* pages */
#define EVENTS		500
#define MAX_PROCS	6

static unsigned long rnd_state;

static unsigned long rnd(unsigned long n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (rnd_state >> 33) % n;
}

static long procs[MAX_PROCS];
static int nr_procs;
static long next_pid;

static const char *const prots[] = { "rw-", "r--", "rwx", "rw-" };
static const int advices[] = {
	MADV_DONTNEED, MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK,
	MADV_KEEPONFORK, MADV_HUGEPAGE,
};

static unsigned int prot_bits(const char *p)
{
	return (p[0] == 'r' ? PROT_READ : 0) |
		(p[1] == 'w' ? PROT_WRITE : 0) |
		(p[2] == 'x' ? PROT_EXEC : 0);
}

/* One random event; returns a description for failure messages. */
static void one_event(char *desc, size_t len)
{
	long pid = procs[rnd(nr_procs)];
	struct task *t = task_find(W, pid);
	unsigned long a = rnd(WINDOW), n = 1 + rnd(8);
	int op = rnd(100);

	if (n > WINDOW - a)
		n = WINDOW - a;
	if (op < 10) {
		snprintf(desc, len, "%ld mmap %lx %lu", pid, AT(a), n);
		if (rnd(4))
			sys_mmap(t, AT(a), n * PG, prot_bits(prots[rnd(4)]),
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				 NULL, 0);
		else
			sys_mmap(t, AT(a), n * PG, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_FIXED, world_file(W, "f"),
				 a + 3);
	} else if (op < 50) {
		unsigned int order = rnd(6) ? 0 : 2;

		snprintf(desc, len, "%ld fault %lx w order=%u", pid, AT(a),
			 order);
		handle_mm_fault(t, AT(a), true, order);
	} else if (op < 58) {
		snprintf(desc, len, "%ld munmap %lx %lu", pid, AT(a), n);
		sys_munmap(t, AT(a), n * PG);
	} else if (op < 70) {
		const char *p = prots[rnd(4)];

		snprintf(desc, len, "%ld mprotect %lx %lu %s", pid, AT(a), n,
			 p);
		sys_mprotect(t, AT(a), n * PG, prot_bits(p));
	} else if (op < 78) {
		int adv = advices[rnd(6)];

		snprintf(desc, len, "%ld madvise %lx %lu %d", pid, AT(a), n,
			 adv);
		sys_madvise(t, AT(a), n * PG, adv);
	} else if (op < 88) {
		unsigned long to = rnd(WINDOW), m = n;
		unsigned int flags = MREMAP_MAYMOVE | MREMAP_FIXED;

		if (rnd(3) == 0)
			flags |= MREMAP_DONTUNMAP;
		else if (rnd(2))
			m = 1 + rnd(8);
		if (m > WINDOW - to)
			m = WINDOW - to;
		if (!(flags & MREMAP_DONTUNMAP) && rnd(4) == 0) {
			snprintf(desc, len, "%ld mremap %lx %lu %lu 0", pid,
				 AT(a), n, m);
			sys_mremap(t, AT(a), n * PG, m * PG, 0, 0, 0);
			return;
		}
		snprintf(desc, len, "%ld mremap %lx %lu %lu %x %lx", pid,
			 AT(a), n, (flags & MREMAP_DONTUNMAP) ? n : m, flags,
			 AT(to));
		sys_mremap(t, AT(a), n * PG,
			   ((flags & MREMAP_DONTUNMAP) ? n : m) * PG, flags,
			   AT(to), AT(to));
	} else if (op < 95 && nr_procs < MAX_PROCS) {
		struct task *c;

		snprintf(desc, len, "%ld fork %ld", pid, next_pid);
		if (!task_fork(t, next_pid, &c))
			procs[nr_procs++] = next_pid;
		next_pid++;
	} else if (nr_procs > 1) {
		int i;

		snprintf(desc, len, "%ld exit", pid);
		task_exit(t);
		for (i = 0; i < nr_procs; i++)
			if (procs[i] == pid)
				procs[i] = procs[--nr_procs];
	} else {
		snprintf(desc, len, "%ld nothing", pid);
	}
}

static void start(const char *params, unsigned long seed)
{
	env_setup(params);
	rnd_state = seed;
	procs[0] = 1;
	nr_procs = 1;
	next_pid = 2;
	/* A dense start: anonymous memory with a private file piece. */
	sys_mmap(T(1), AT(0), WINDOW * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
	sys_mmap(T(1), AT(40), 8 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_FIXED, world_file(W, "f"), 40);
}

static void run(const char *params, unsigned long seed)
{
	char desc[128];
	int i;

	start(params, seed);
	for (i = 0; i < EVENTS; i++) {
		one_event(desc, sizeof(desc));
		if (env_check())
			cr_assert_fail("lazy:%s seed %lu event %d (%s): %s",
				       params, seed, i, desc, env_err);
		if (env_misses())
			cr_assert_fail("lazy:%s seed %lu event %d (%s): %s",
				       params, seed, i, desc, env_err);
	}
	env_teardown();
}

static void run_seeds(const char *params)
{
	unsigned long seed;

	for (seed = 1; seed <= 16; seed++)
		run(params, seed);
}

TestSuite(lazy_random, .fini = env_teardown);

Test(lazy_random, defaults)
{
	run_seeds("");
}

Test(lazy_random, small_vmas_only)
{
	run_seeds("max_pages=3");
}

Test(lazy_random, child_parent)
{
	run_seeds("child=parent,file=classic");
}

Test(lazy_random, adopt)
{
	run_seeds("prepare=adopt,max_pages=20");
}

Test(lazy_random, classic_cleanup_no_reuse)
{
	run_seeds("cleanup=on,reuse=off");
}

Test(lazy_random, cow_own)
{
	run_seeds("cow=own");
}

Test(lazy_random, classic_children)
{
	run_seeds("child=classic");
}
