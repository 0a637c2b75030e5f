// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-run on this very kernel: hand-built histories with known
 * outcomes, generated histories that must come out well formed and the
 * same every time, and a few of the bundled kernel vectors.  Skipped
 * unless running as root with tracefs mounted.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/common/need_kernel.h"
#include "traces/expected.h"
#include "traces/gen_random.h"
#include "traces/kernel_run.h"
#include "traces/trace.h"

/* kernel-run, and the generator's ranges free in this process. */
static void need_histories(void)
{
	need_kernel();
	need_free_range(GEN_TEST_START, GEN_TEST_END);
	need_free_range(GEN_THP_START, GEN_THP_END);
}

static void parse(const char *text, struct trace *t)
{
	char err[256];
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	cr_assert_not_null(f);
	cr_assert_eq(trace_parse_text(f, "t.trace", t, err, sizeof(err)), 0,
		     "%s", err);
	fclose(f);
}

static void run(const struct trace *t, struct krun_result *res)
{
	struct krun_opts o = { 0 };
	char err[512];

	cr_assert_eq(kernel_run(t, &o, res, err, sizeof(err)), 0, "%s", err);
}

/* The .expected text of a result's end state, malloc'd. */
static char *expected_text(const struct krun_result *res)
{
	const struct trace_checkpoint *cp = krun_final(res);
	char *buf = NULL;
	size_t n = 0;
	FILE *m;

	cr_assert_not_null(cp);
	m = open_memstream(&buf, &n);
	cr_assert_not_null(m);
	cr_assert_eq(checkpoint_write_expected(m, cp), 0);
	fclose(m);
	return buf;
}

static char *result_text(const struct krun_result *res)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);

	cr_assert_not_null(m);
	cr_assert_eq(krun_write_text(m, res), 0);
	fclose(m);
	return buf;
}

/*
 * Process 1 writes page 0 and forks; the child writes page 1, then makes
 * page 3 read-only with an mprotect that runs into a hole (-ENOMEM after
 * the change).  A read of unmapped memory is skipped, not executed.
 *
 * 0123             0123
 * AAAA (1)   ->    AAAA (1)    page 0: one frame for 1 and 2
 *                  AAAB (2)    page 1: the child's own frame
 */
Test(kernel_run, fork_cow_and_skip)
{
	static const char text[] =
		"1 mmap 0x100000000 0x4000 rw- private,anon,fixed\n"
		"1 fault 0x100000000 w\n"
		"1 fork 2\n"
		"2 fault 0x100001000 w\n"
		"1 fault 0x100300000 r\n"
		"2 mprotect 0x100003000 0x2000 r--\n";
	static const char want[] =
		"== 1\n"
		"100000000-100004000 rw-p 00000000\n"
		"== 2\n"
		"100000000-100003000 rw-p 00000000\n"
		"100003000-100004000 r--p 00000000\n"
		"-- sharing\n"
		"1:0x100000000 2:0x100000000\n"
		"2:0x100001000\n"
		"-- objects\n"
		"anon_vma 2\n"
		"anon_vma_chain 5\n";
	struct krun_result res;
	struct trace t;
	char *got;

	need_histories();
	parse(text, &t);
	run(&t, &res);
	got = expected_text(&res);
	cr_assert_str_eq(got, want);
	free(got);
	/* mmap, fault, fork, fault, mprotect, checkpoint; one skip. */
	cr_assert_eq(res.out.nr_ev, 6);
	cr_assert_eq(res.nr_skips, 1);
	cr_assert_eq(res.skips[0].before, 4);
	cr_assert_str_eq(res.skips[0].why, "err segv");
	/* The failed mprotect stays, with the kernel's error. */
	cr_assert_eq(res.out.ev[4].type, EV_MPROTECT);
	cr_assert(res.out.ev[4].has_result);
	cr_assert_eq(res.out.ev[4].result, -12);
	cr_assert_eq(res.out.ev[0].result, 0x100000000LL);
	krun_result_free(&res);
	trace_free(&t);
}

/*
 * Process 1 writes 700 one-page VMAs, a page apart (700 anon_vmas), then
 * forks a child that exits at once, 80 times, with no checkpoint until
 * the end: about 4200 anon_vma slab events a fork, 20 MiB of ring buffer
 * in all, more than the instances hold (4 MiB a CPU).  kernel-run reads
 * them as it goes, so the end state's counts are whole.
 */
Test(kernel_run, many_forks_between_checkpoints, .timeout = 120)
{
	enum { VMAS = 700, FORKS = 80 };
	const struct trace_checkpoint *cp;
	struct krun_result res;
	struct trace t;
	char *text = NULL;
	size_t n = 0;
	FILE *m;
	int i;

	need_histories();
	m = open_memstream(&text, &n);
	cr_assert_not_null(m);
	for (i = 0; i < VMAS; i++) {
		unsigned long long a = GEN_TEST_START + 2ULL * i * 4096;

		fprintf(m, "1 mmap 0x%llx 0x1000 rw- private,anon,fixed\n"
			"1 fault 0x%llx w\n", a, a);
	}
	for (i = 0; i < FORKS; i++)
		fprintf(m, "1 fork %d\n%d exit\n", i + 2, i + 2);
	fclose(m);
	parse(text, &t);
	free(text);
	run(&t, &res);
	cp = krun_final(&res);
	cr_assert_not_null(cp);
	cr_assert_eq(cp->anon_vma, VMAS);
	cr_assert_eq(cp->anon_vma_chain, VMAS);
	krun_result_free(&res);
	trace_free(&t);
}

/*
 * A 4 MiB MADV_HUGEPAGE area: the write fault gets a PMD-sized folio,
 * order 9, and every one of its 512 pages is an anon page of process 1.
 */
Test(kernel_run, thp_order)
{
	static const char text[] =
		"1 mmap 0x400000000 0x400000 rw- private,anon,fixed\n"
		"1 madvise 0x400000000 0x400000 hugepage\n"
		"1 fault 0x400001000 w\n";
	const struct trace_checkpoint *cp;
	struct krun_result res;
	struct trace t;
	size_t i, anon = 0;

	need_histories();
	parse(text, &t);
	run(&t, &res);
	cr_assert_eq(res.out.ev[2].type, EV_FAULT);
	cr_assert_eq(res.out.ev[2].order, 9, "order %u",
		     res.out.ev[2].order);
	cp = krun_final(&res);
	cr_assert_eq(cp->nr_procs, 1);
	for (i = 0; i < cp->procs[0].nr_pages; i++)
		anon += cp->procs[0].pages[i].anon;
	cr_assert_eq(anon, 512);
	krun_result_free(&res);
	trace_free(&t);
}

/* Generated histories: well formed, text round trip, same every time. */
Test(kernel_run, generated_reproducible)
{
	static const uint64_t seeds[] = { 7, 4242, 90001 };
	size_t s, i;

	need_histories();
	for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
		struct krun_result a, b;
		char *ea, *eb, *text, what[256];
		struct trace t, back;

		gen_random(&t, seeds[s], 50);
		cr_assert_eq(t.nr_ev, 50);
		run(&t, &a);
		run(&t, &b);
		ea = expected_text(&a);
		eb = expected_text(&b);
		cr_assert_str_eq(ea, eb, "seed %llu not reproducible",
				 (unsigned long long)seeds[s]);
		cr_assert(krun_final(&a)->anon_vma >= 0);
		cr_assert(krun_final(&a)->anon_vma_chain >= 0);
		/* Every input event is either executed or skipped. */
		cr_assert_eq(a.out.nr_ev - 1 + a.nr_skips, t.nr_ev);
		for (i = 0; i < a.out.nr_ev; i++) {
			const struct trace_event *ev = &a.out.ev[i];

			if (ev->type == EV_MMAP || ev->type == EV_MREMAP)
				cr_assert(ev->has_result);
			if (ev->type == EV_FAULT)
				cr_assert(ev->order == 0 || ev->order == 9);
		}
		/* The text form reads back to the same events. */
		text = result_text(&a);
		parse(text, &back);
		cr_assert_eq(trace_compare(&a.out, &back, what, sizeof(what)),
			     0, "seed %llu: %s", (unsigned long long)seeds[s],
			     what);
		free(text);
		free(ea);
		free(eb);
		trace_free(&back);
		krun_result_free(&a);
		krun_result_free(&b);
		trace_free(&t);
	}
}

/* This process's tracefs instances (kernel-run's object counters). */
static size_t nr_instances(void)
{
	char pat[128];
	size_t n;
	glob_t g;

	snprintf(pat, sizeof(pat), "/sys/kernel/tracing/instances/rmaplab-%d-*",
		 (int)getpid());
	if (glob(pat, 0, NULL, &g))
		return 0;
	n = g.gl_pathc;
	globfree(&g);
	return n;
}

/*
 * A batch keeps its two tracefs instances between runs: a run in it
 * counts what the same run alone counts (the last run's objects and
 * teardown forgotten), and the batch's end removes them.
 */
Test(kernel_run, batch_counts_as_alone)
{
	const struct trace_checkpoint *a, *b;
	struct krun_result alone, first, again;
	struct trace t, u;
	char err[512];

	need_histories();
	gen_random(&t, 4242, 50);
	gen_random(&u, 90001, 50);
	run(&t, &alone);
	cr_assert_eq(nr_instances(), 0);
	kernel_run_batch_begin();
	run(&u, &first);
	cr_assert_eq(nr_instances(), 2, "the batch's instances, parked");
	run(&t, &again);
	cr_assert_eq(nr_instances(), 2, "taken back, not made anew");
	cr_assert_eq(kernel_run_batch_end(err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(nr_instances(), 0);
	a = krun_final(&alone);
	b = krun_final(&again);
	cr_assert(krun_final(&first)->anon_vma > 0);
	cr_assert_eq(b->anon_vma, a->anon_vma);
	cr_assert_eq(b->anon_vma_chain, a->anon_vma_chain);
	krun_result_free(&alone);
	krun_result_free(&first);
	krun_result_free(&again);
	trace_free(&t);
	trace_free(&u);
}

/* Bundled kernel vectors: same results, same maps and sharing. */
Test(kernel_run, kernel_vectors)
{
	static const int vectors[] = { 1001, 1002, 1013, 1023, 1030 };
	const char *src = getenv("RMAPLAB_SRCDIR");
	size_t v;

	need_histories();
	for (v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
		struct trace_checkpoint want;
		struct krun_result res;
		char path[4096], err[512], *got, *exp, *cut;
		size_t n = 0;
		struct trace t;
		FILE *m;

		snprintf(path, sizeof(path),
			 "%s/tests/data/kernel-vectors/random-%d.trace",
			 src ? src : ".", vectors[v]);
		cr_assert_eq(trace_load(path, &t, err, sizeof(err)), 0, "%s",
			     err);
		run(&t, &res);
		snprintf(path, sizeof(path),
			 "%s/tests/data/kernel-vectors/random-%d.expected",
			 src ? src : ".", vectors[v]);
		cr_assert_eq(checkpoint_load_expected(path, &want, err,
						      sizeof(err)), 0, "%s",
			     err);
		exp = NULL;
		m = open_memstream(&exp, &n);
		checkpoint_write_expected(m, &want);
		fclose(m);
		got = expected_text(&res);
		/*
		 * Objects are left out: the vectors count anon_vma
		 * allocations without the frees (see KERNEL_RUN.md).
		 */
		cut = strstr(got, "-- objects");
		if (cut)
			*cut = 0;
		cut = strstr(exp, "-- objects");
		if (cut)
			*cut = 0;
		cr_assert_str_eq(got, exp, "random-%d", vectors[v]);
		free(got);
		free(exp);
		checkpoint_free(&want);
		krun_result_free(&res);
		trace_free(&t);
	}
}

/* A label used after its exit is refused, with the line. */
Test(kernel_run, refuses_dead_process)
{
	static const char text[] =
		"1 fork 2\n"
		"2 exit\n"
		"2 fault 0x100000000 r\n";
	struct krun_opts o = { 0 };
	struct krun_result res;
	char err[512];
	struct trace t;

	need_histories();
	parse(text, &t);
	cr_assert_eq(kernel_run(&t, &o, &res, err, sizeof(err)), -1);
	cr_assert(strstr(err, "t.trace:3:"), "%s", err);
	cr_assert(strstr(err, "after its exit"), "%s", err);
	trace_free(&t);
}

/* The generator alone: deterministic per seed, seeds differ. */
Test(gen_random, deterministic)
{
	struct trace a, b, c;
	char what[256];

	gen_random(&a, 12345, 0);
	gen_random(&b, 12345, 0);
	gen_random(&c, 12346, 0);
	cr_assert_eq(a.nr_ev, GEN_DEFAULT_EVENTS);
	cr_assert_eq(trace_compare(&a, &b, what, sizeof(what)), 0, "%s",
		     what);
	cr_assert_neq(trace_compare(&a, &c, what, sizeof(what)), 0);
	trace_free(&a);
	trace_free(&b);
	trace_free(&c);
}

/* Generated events stay in the test ranges and name known processes. */
Test(gen_random, in_range)
{
	uint64_t seed;
	size_t i;

	for (seed = 1; seed <= 50; seed++) {
		struct trace t;

		gen_random(&t, seed, 200);
		for (i = 0; i < t.nr_ev; i++) {
			const struct trace_event *ev = &t.ev[i];
			uint64_t a = ev->addr;

			cr_assert(!ev->has_result);
			if (ev->type == EV_FORK || ev->type == EV_EXIT ||
			    ev->type == EV_MLOCKALL ||
			    ev->type == EV_MUNLOCKALL)
				continue;
			cr_assert((a >= GEN_TEST_START && a < GEN_TEST_END) ||
				  (a >= GEN_THP_START && a < GEN_THP_END),
				  "seed %llu event %zu at 0x%llx",
				  (unsigned long long)seed, i,
				  (unsigned long long)a);
			/* mlock rounds its start down: it may be unaligned */
			if (ev->type != EV_MLOCK)
				cr_assert_eq(a % 4096, 0);
		}
		trace_free(&t);
	}
}
