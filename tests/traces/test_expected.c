// SPDX-License-Identifier: GPL-2.0-only
/* The kernel-vectors .expected form: read, write back byte for byte. */
#include "tests/traces/tutil.h"

#include <criterion/criterion.h>

#include "tests/common/slurp.h"
#include "traces/expected.h"

static int read_str(const char *text, struct trace_checkpoint *cp,
		    char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = checkpoint_read_expected(f, "t.expected", cp, err, errlen);

	fclose(f);
	return ret;
}

Test(expected, all_vectors_write_back_exactly)
{
	char path[512], err[512];
	int n;

	for (n = FIRST_VECTOR; n < FIRST_VECTOR + NR_VECTORS; n++) {
		struct trace_checkpoint cp;
		char *want, *got = NULL;
		size_t wlen, glen = 0;
		FILE *m;

		vector_path(path, sizeof(path), n, "expected");
		cr_assert_eq(checkpoint_load_expected(path, &cp, err,
						      sizeof(err)), 0,
			     "%s", err);
		cr_expect_str_eq(cp.reason, "end");
		cr_expect_geq(cp.anon_vma, 0);
		cr_expect_geq(cp.anon_vma_chain, 0);
		m = open_memstream(&got, &glen);
		cr_assert_eq(checkpoint_write_expected(m, &cp), 0);
		fclose(m);
		want = slurp(path, &wlen);
		cr_expect_eq(glen, wlen, "%s", path);
		cr_expect_str_eq(got, want, "%s", path);
		free(want);
		free(got);
		checkpoint_free(&cp);
	}
}

/*
 * Pages sharing a line share a synthesized pfn; pages land in their
 * process in address order.
 */
Test(expected, sharing_lines_become_pfns)
{
	static const char text[] =
		"== 1\n"
		"1001a8000-1001b2000 rw-p 00000000\n"
		"== 2\n"
		"== 3\n"
		"1005a7000-1005aa000 rw-p 00000000\n"
		"-- sharing\n"
		"1:0x1001aa000 3:0x1005a9000\n"
		"1:0x1001a8000\n"
		"-- objects\n"
		"anon_vma 2\n"
		"anon_vma_chain 3\n";
	struct trace_checkpoint cp;
	char err[512] = "";
	const struct cp_proc *p1, *p3;

	cr_assert_eq(read_str(text, &cp, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(cp.nr_procs, 3);
	p1 = &cp.procs[0];
	p3 = &cp.procs[2];
	cr_expect_eq(cp.procs[1].pid, 2);
	cr_expect_eq(cp.procs[1].nr_vmas, 0);
	cr_expect_eq(cp.procs[1].nr_pages, 0);
	cr_assert_eq(p1->nr_vmas, 1);
	cr_expect_eq(p1->vmas[0].start, 0x1001a8000ull);
	cr_expect_eq(p1->vmas[0].end, 0x1001b2000ull);
	cr_expect_str_eq(p1->vmas[0].perms, "rw-p");
	cr_assert_eq(p1->nr_pages, 2);
	cr_expect_eq(p1->pages[0].addr, 0x1001a8000ull);
	cr_expect_eq(p1->pages[1].addr, 0x1001aa000ull);
	cr_expect(p1->pages[0].anon);
	cr_expect_neq(p1->pages[0].pfn, p1->pages[1].pfn);
	cr_assert_eq(p3->nr_pages, 1);
	cr_expect_eq(p3->pages[0].pfn, p1->pages[1].pfn);
	cr_expect_eq(cp.anon_vma, 2);
	cr_expect_eq(cp.anon_vma_chain, 3);
	checkpoint_free(&cp);
}

/* Written sharing lines: entries and lines sorted as byte strings. */
Test(expected, write_groups_by_pfn)
{
	struct trace t;
	struct trace_checkpoint *cp;
	struct cp_proc *p;
	struct cp_page *pg;
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	trace_init(&t);
	cp = trace_new_checkpoint(&t, 0, "end");
	cp->anon_vma = 4;
	p = checkpoint_add_proc(cp, 10);
	pg = cp_proc_add_page(p);
	pg->addr = 0x2000;
	pg->pfn = 7;
	pg->anon = true;
	p = checkpoint_add_proc(cp, 2);
	pg = cp_proc_add_page(p);
	pg->addr = 0x3000;
	pg->pfn = 7;
	pg->anon = true;
	pg = cp_proc_add_page(p);
	pg->addr = 0x4000;
	pg->pfn = 9;
	pg->anon = false;	/* shmem: not listed */
	pg = cp_proc_add_page(p);
	pg->addr = 0x5000;
	pg->pfn = 8;
	pg->anon = true;
	m = open_memstream(&out, &len);
	checkpoint_write_expected(m, cp);
	fclose(m);
	cr_expect_str_eq(out,
			 "== 10\n"
			 "== 2\n"
			 "-- sharing\n"
			 "10:0x2000 2:0x3000\n"
			 "2:0x5000\n"
			 "-- objects\n"
			 "anon_vma 4\n");
	free(out);
	trace_free(&t);
}

Test(expected, errors_name_the_line)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "1001a8000-1001b2000 rw-p 00000000\n",
		  "t.expected:1: expected '== PID', got "
		  "'1001a8000-1001b2000 rw-p 00000000'" },
		{ "== 1\n1001a8000-1001b2000 rw-p\n",
		  "t.expected:2: expected 'start-end perms offset', got "
		  "'1001a8000-1001b2000 rw-p'" },
		{ "== 1\n2000-1000 rw-p 00000000\n",
		  "t.expected:2: bad vma range '2000-1000'" },
		{ "== 1\n1000-2000 rw-x 00000000\n",
		  "t.expected:2: bad vma perms 'rw-x'" },
		{ "== 1\n== 1\n", "t.expected:2: process 1 listed twice" },
		{ "== 1\n-- sharing\n2:0x1000\n",
		  "t.expected:3: sharing names process 2 which has no "
		  "'== 2' section" },
		{ "== 1\n-- sharing\n1:4096\n",
		  "t.expected:3: bad PID:ADDR '1:4096'" },
		{ "== 1\n-- sharing\n1-0x1000\n",
		  "t.expected:3: expected PID:ADDR, got '1-0x1000'" },
		{ "== 1\n-- sharing\n1:0x1000\n1:0x1000\n",
		  "t.expected:4: page 1:0x1000 listed twice" },
		{ "== 1\n-- objects\nanon_vma x\n",
		  "t.expected:3: expected 'NAME COUNT', got 'anon_vma x'" },
		{ "== 1\n-- objects\nvm_area_struct 3\n",
		  "t.expected:3: unknown or repeated object 'vm_area_struct'" },
		{ "== 1\n-- objects\n== 2\n",
		  "t.expected:3: '== PID' after '-- objects'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace_checkpoint cp;
		char err[512] = "";

		cr_expect_eq(read_str(cases[i].text, &cp, err, sizeof(err)),
			     -1, "case %zu accepted", i);
		cr_expect_str_eq(err, cases[i].err, "case %zu", i);
		cr_expect_eq(cp.nr_procs, 0);
	}
}

Test(expected, append_to_trace)
{
	char path[512], err[512] = "";
	struct trace t;
	size_t n;

	vector_path(path, sizeof(path), 1001, "trace");
	cr_assert_eq(trace_load(path, &t, err, sizeof(err)), 0, "%s", err);
	n = t.nr_ev;
	vector_path(path, sizeof(path), 1001, "expected");
	cr_assert_eq(trace_append_expected(&t, path, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(t.nr_ev, n + 1);
	cr_expect_eq(t.ev[n].type, EV_CHECKPOINT);
	cr_assert_eq(t.nr_cps, 1);
	cr_expect_eq(t.ev[n].cp, 0);
	cr_expect_str_eq(t.cps[0].reason, "end");
	cr_expect_eq(t.cps[0].nr_procs, 5);
	cr_expect_eq(t.cps[0].anon_vma, 16);
	cr_expect_eq(t.cps[0].anon_vma_chain, 49);
	trace_free(&t);
}
