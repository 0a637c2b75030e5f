// SPDX-License-Identifier: GPL-2.0-only
/*
 * Random histories over a small address space: mmap (anonymous and
 * private file), munmap, mprotect, mremap (in place and moving), faults
 * (small and order-2 folios), MADV_DONTNEED, fork, exec and exit, with
 * the scheme's checker and the oracle comparison after every event, for
 * every variant that must stay complete.  Calls the kernel would refuse
 * just fail; what matters is that the rmap stays right.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE	1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED	2
#endif

#define SPAN	64			/* pages of the playground */
#define STEPS	300
#define SEEDS	8

TestSuite(cowctx_random, .fini = env_teardown);

static const char *const variants[] = {
	"", "merge=poc", "merge=offset", "file_pgoff=file", "stop=never",
	"merge=offset,file_pgoff=file",
};
#define NR_VARIANTS	(sizeof(variants) / sizeof(variants[0]))

static unsigned long rng;

static unsigned long rnd(unsigned long n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (rng >> 33) % n;
}

static struct task *pick_task(void)
{
	struct task *alive[64];
	size_t i, n = 0;

	for (i = 0; i < W->nr_tasks && n < 64; i++)
		if (W->tasks[i].alive)
			alive[n++] = &W->tasks[i];
	return n ? alive[rnd(n)] : NULL;
}

static int nr_alive(void)
{
	size_t i;
	int n = 0;

	for (i = 0; i < W->nr_tasks; i++)
		n += W->tasks[i].alive;
	return n;
}

/* An address inside one of @t's VMAs, else anywhere. */
static unsigned long mapped_addr(struct task *t)
{
	struct vm_area_struct *vma = vma_first(t->mm);
	int n = 0, k;

	for (; vma; vma = vma_next(t->mm, vma))
		n++;
	if (!n)
		return AT(rnd(SPAN));
	k = rnd(n);
	for (vma = vma_first(t->mm); k--; vma = vma_next(t->mm, vma))
		;
	return vma->vm_start + rnd(vma_pages(vma)) * PG;
}

static const char *step(long *next_pid)
{
	struct task *t = pick_task();
	unsigned long a = rnd(SPAN), len = 1 + rnd(8);
	unsigned int rw = PROT_READ | PROT_WRITE;
	struct task *child;

	switch (rnd(24)) {
	case 0:
	case 1:
		if (rnd(3)) {
			sys_mmap(t, AT(a), len * PG, rnd(4) ? rw : PROT_READ,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
				 NULL, 0);
			return "mmap anon";
		}
		sys_mmap(t, AT(a), len * PG, rw, MAP_PRIVATE | MAP_FIXED,
			 world_file(W, "f0"), rnd(16));
		return "mmap file";
	case 2:
		sys_munmap(t, AT(a), len * PG);
		return "munmap";
	case 3:
	case 4:
		sys_mprotect(t, AT(a), len * PG, rnd(2) ? rw : PROT_READ);
		return "mprotect";
	case 5:
	case 6:
		sys_mremap(t, mapped_addr(t), len * PG, len * PG,
			   MREMAP_MAYMOVE | MREMAP_FIXED, AT(rnd(2 * SPAN)), 0);
		return "mremap move";
	case 7:
		sys_mremap(t, mapped_addr(t), len * PG, (1 + rnd(8)) * PG, 0,
			   0, 0);
		return "mremap in place";
	case 8:
		sys_madvise(t, AT(a), len * PG, MADV_DONTNEED);
		return "madvise dontneed";
	case 9:
	case 10:
		if (nr_alive() < 8 && !task_fork(t, (*next_pid)++, &child))
			return "fork";
		return "fork refused";
	case 11:
		if (nr_alive() > 2) {
			if (rnd(4)) {
				task_exit(t);
				return "exit";
			}
			task_exec(t);
			return "exec";
		}
		return "exit refused";
	case 12:
	case 13:
		handle_mm_fault(t, mapped_addr(t) & ~(4 * PG - 1), true, 2);
		return "fault order 2";
	default:
		handle_mm_fault(t, mapped_addr(t), rnd(5) != 0, 0);
		return "fault";
	}
}

ParameterizedTestParameters(cowctx_random, histories)
{
	static int v[NR_VARIANTS];
	unsigned int i;

	for (i = 0; i < NR_VARIANTS; i++)
		v[i] = i;
	return cr_make_param_array(int, v, NR_VARIANTS);
}

ParameterizedTest(int *v, cowctx_random, histories)
{
	unsigned long seed;
	int i;

	for (seed = 1; seed <= SEEDS; seed++) {
		long next_pid = 2;

		long peak_folios = 0, peak_remaps = 0;

		env_setup(variants[*v]);
		rng = seed;
		sys_mmap(T(1), AT(0), SPAN * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		for (i = 0; i < STEPS; i++) {
			const char *what = step(&next_pid);

			if (env_sound())
				cr_assert_fail("cowctx:%s seed %lu step %d "
					       "(%s): %s", variants[*v], seed,
					       i, what, env_err);
			if ((long)W->nr_folios > peak_folios)
				peak_folios = W->nr_folios;
			if (live("cow_remap") > peak_remaps)
				peak_remaps = live("cow_remap");
		}
		/* the histories must exercise what they are for */
		cr_expect_gt(peak_folios, 8, "seed %lu", seed);
		if (getenv("COWCTX_RANDOM_VERBOSE"))
			fprintf(stderr, "cowctx:%s seed %lu: peak folios %ld, "
				"peak remap entries %ld, processes %ld\n",
				variants[*v], seed, peak_folios, peak_remaps,
				next_pid - 1);
		env_teardown();
	}
}

/*
 * The same histories under stop=poc: count the mappings its walks lose
 * (summed over every step's walk of every folio).  Informational, but
 * the PoC must lose some: its shortcut is not a corner case.
 */
Test(cowctx_random, poc_loses_mappings)
{
	unsigned long seed, lost = 0, total = 0;
	int i;

	for (seed = 1; seed <= SEEDS; seed++) {
		long next_pid = 2;

		env_setup("poc");
		env_strict = false;
		rng = seed;
		sys_mmap(T(1), AT(0), SPAN * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		for (i = 0; i < STEPS; i++) {
			struct rmap_hits oracle = { 0 }, found = { 0 };
			struct folio *folio;

			step(&next_pid);
			oracle_scan(W, &oracle);
			list_for_each_entry(folio, &W->folios, lru) {
				struct rmap_walk_control rwc = { 0 };

				rmap_walk_verified(W, folio, &found, &rwc);
			}
			total += oracle.nr;
			lost += oracle.nr - found.nr;
			rmap_hits_free(&oracle);
			rmap_hits_free(&found);
		}
		env_teardown();
	}
	fprintf(stderr, "cowctx:poc random histories: %lu of %lu mappings "
		"lost (%.1f%%)\n", lost, total, 100.0 * lost / total);
	cr_expect_gt(lost, 0);
}
