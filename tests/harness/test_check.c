// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checker (harness/check.h) on the kernel vectors and on traces made
 * to disagree: every kind of disagreement must be found, attributed to the
 * right scheme and described in words.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/check.h"
#include "hutil.h"

#define FIRST_VECTOR	1001
#define NR_VECTORS	30

static const char *const all_schemes[] = {
	"classic", "lazy", "cowctx", "oracle",
};
#define NR_ALL	(sizeof(all_schemes) / sizeof(all_schemes[0]))

static void load_vector(struct trace *t, int n)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "tests/data/kernel-vectors/random-%d.trace",
		 n);
	load_with_expected(t, rel);
}

static struct trace_checkpoint *last_cp(struct trace *t)
{
	cr_assert(t->nr_ev && t->ev[t->nr_ev - 1].type == EV_CHECKPOINT);
	return &t->cps[t->ev[t->nr_ev - 1].cp];
}

/* Every vector, every scheme, walks after every event: all agree. */
Test(check, vectors_agree_everywhere)
{
	const struct check_opts o = { .every_event = true, .paranoid = true };
	int n;

	for (n = FIRST_VECTOR; n < FIRST_VECTOR + NR_VECTORS; n++) {
		struct check_result res;
		struct trace t;
		size_t i;

		load_vector(&t, n);
		cr_assert_eq(check_trace(&t, all_schemes, NR_ALL, &o, &res), 0,
			     "%s", res.error);
		for (i = 0; i < res.nr; i++) {
			cr_expect(!res.s[i].init_failed, "%s: %s",
				  res.s[i].name, res.s[i].init_err);
			cr_expect_eq(res.s[i].first.kind, CHECK_OK,
				     "%s: %s", res.s[i].name,
				     res.s[i].first.what);
			cr_expect_eq(res.s[i].checkpoints, 1);
			cr_expect_eq(res.s[i].events, t.nr_ev - 1);
			cr_expect_gt(res.s[i].folios, 0);
		}
		/* classic reports the kernel's object counts */
		cr_expect(strstr(res.objects, "objects: classic anon_vma "),
			  "%s", res.objects);
		cr_expect(strstr(res.objects, "anon_vma_chain"), "%s",
			  res.objects);
		check_result_free(&res);
		trace_free(&t);
	}
}

/* The kernel says two pages share a frame; no scheme's world does. */
Test(check, kernel_sharing_disagreement)
{
	struct trace_checkpoint *cp;
	struct check_result res;
	struct trace t;
	size_t i;

	load_vector(&t, 1001);
	cp = last_cp(&t);
	cr_assert(cp->nr_procs && cp->procs[0].nr_pages >= 2);
	cp->procs[0].pages[1].pfn = cp->procs[0].pages[0].pfn;
	cr_assert_eq(check_trace(&t, all_schemes, NR_ALL, NULL, &res), 0);
	for (i = 0; i < res.nr; i++) {
		cr_expect_eq(res.s[i].first.kind, CHECK_KERNEL_SHARING,
			     "%s: %s", res.s[i].name,
			     check_kind_name(res.s[i].first.kind));
		cr_expect(strstr(res.s[i].first.what, "the kernel has it "
				 "in a page mapped by {"), "%s",
			  res.s[i].first.what);
	}
	cr_expect(check_failed(&res));
	check_result_free(&res);
	trace_free(&t);
}

/* A VMA the kernel ended elsewhere: classic's layout (and the oracle's). */
Test(check, kernel_maps_disagreement)
{
	struct trace_checkpoint *cp;
	struct check_result res;
	struct trace t;

	load_vector(&t, 1002);
	cp = last_cp(&t);
	cr_assert(cp->nr_procs && cp->procs[0].nr_vmas);
	cp->procs[0].vmas[0].end += 0x1000;
	cr_assert_eq(check_trace(&t, all_schemes, NR_ALL, NULL, &res), 0);
	cr_expect_eq(check_scheme(&res, "classic")->first.kind,
		     CHECK_KERNEL_MAPS);
	cr_expect_eq(check_scheme(&res, "oracle")->first.kind,
		     CHECK_KERNEL_MAPS);
	/* the others' layouts are their own business: sharing still agrees */
	cr_expect_eq(check_scheme(&res, "cowctx")->first.kind, CHECK_OK);
	cr_expect(strstr(res.first.what, "VMAs of process"), "%s",
		  res.first.what);
	check_result_free(&res);
	trace_free(&t);
}

/* Object counts: reported always, a failure only with --objects. */
Test(check, objects_fail_only_when_asked)
{
	struct check_opts o = { 0 };
	struct check_result res;
	struct trace t;
	const char *classic = "classic";

	load_vector(&t, 1002);
	last_cp(&t)->anon_vma_chain += 1;
	cr_assert_eq(check_trace(&t, &classic, 1, &o, &res), 0);
	cr_expect(!check_failed(&res));
	cr_expect(res.objects_differ);
	cr_expect(strstr(res.objects, "objects: classic anon_vma "), "%s",
		  res.objects);
	check_result_free(&res);

	o.objects = true;
	cr_assert_eq(check_trace(&t, &classic, 1, &o, &res), 0);
	cr_expect_eq(res.s[0].first.kind, CHECK_OBJECTS);
	check_result_free(&res);
	trace_free(&t);
}

/* A result the kernel "returned" that the model does not: classic only. */
Test(check, divergence_fails_classic_only)
{
	const char *const schemes[] = { "classic", "cowctx" };
	struct check_result res;
	struct trace t;
	size_t i;

	load_vector(&t, 1003);
	for (i = 0; i < t.nr_ev; i++)
		if (t.ev[i].type == EV_MMAP && t.ev[i].has_result &&
		    t.ev[i].result > 0)
			break;
	cr_assert(i < t.nr_ev);
	t.ev[i].result = -ENOMEM;
	cr_assert_eq(check_trace(&t, schemes, 2, NULL, &res), 0);
	cr_expect_eq(res.s[0].first.kind, CHECK_DIVERGENCE);
	cr_expect_eq(res.s[0].first.event, i);
	cr_expect(strstr(res.s[0].first.what, "-ENOMEM in the trace"),
		  "%s", res.s[0].first.what);
	cr_expect_eq(res.s[1].first.kind, CHECK_OK);
	cr_expect_geq(res.s[1].divergences, 1);
	check_result_free(&res);
	trace_free(&t);
}

static const char fork_trace[] =
	"1 mmap 0x100000000 0x1000 rw- private,anon,fixed\n"
	"1 fault 0x100000000 w\n"
	"1 fork 2\n";

/* The deliberately broken anon_vma_fork() loses the child's mapping. */
Test(check, broken_fork_misses_child)
{
	const struct check_opts o = { .every_event = true };
	struct check_result res;
	struct trace t;

	parse_text(&t, "fork.trace", fork_trace);
	res = check1(&t, "classic:bug=skip_fork_avc", &o);
	cr_assert_eq(res.s[0].first.kind, CHECK_MISS, "%s",
		     check_kind_name(res.s[0].first.kind));
	cr_expect_eq(res.s[0].first.event, 2);
	cr_expect(strstr(res.s[0].first.what, "fork.trace:3 (`1 fork 2`): "
			 "classic:bug=skip_fork_avc missed mapping "
			 "2:0x100000000 of folio pfn"), "%s",
		  res.s[0].first.what);
	check_result_free(&res);

	res = check1(&t, "classic", &o);
	cr_expect_eq(res.s[0].first.kind, CHECK_OK);
	check_result_free(&res);
	trace_free(&t);
}

static bool want_cross(const struct check_finding *f, void *arg)
{
	*(struct check_finding *)arg = *f;
	return f->kind == CHECK_CROSS;
}

/* Two schemes whose walks differ are told apart, PID:ADDR by PID:ADDR. */
Test(check, cross_scheme_difference)
{
	const char *const schemes[] = { "classic",
					"classic:bug=skip_fork_avc" };
	struct check_finding f;
	struct check_opts o = { .want = want_cross, .want_arg = &f };
	struct check_result res;
	struct trace t;

	parse_text(&t, "fork.trace", fork_trace);
	cr_assert_eq(check_trace(&t, schemes, 2, &o, &res), 0);
	cr_assert(res.matched);
	cr_expect_str_eq(f.scheme, "classic:bug=skip_fork_avc");
	cr_expect_str_eq(f.other, "classic");
	cr_expect(strstr(f.what, "disagree on 2:0x100000000: classic has it "
			 "in a page mapped by {1:0x100000000 2:0x100000000}, "
			 "classic:bug=skip_fork_avc has it unmapped"), "%s",
		  f.what);
	check_result_free(&res);
	trace_free(&t);
}

Test(check, summary_lines)
{
	const char *const schemes[] = { "classic", "classic:nosuch=1" };
	const char *want = "fork.trace classic: 3 events, 0 checkpoints, "
		"1 folios checked, 1 walks, 0 mismatches ok\n"
		"fork.trace classic:nosuch=1: error: scheme failed to "
		"initialise: ";
	struct check_result res;
	struct trace t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	parse_text(&t, "fork.trace", fork_trace);
	cr_assert_eq(check_trace(&t, schemes, 2, NULL, &res), 0);
	cr_expect(check_init_failed(&res));
	cr_expect(!check_failed(&res));
	f = open_memstream(&buf, &len);
	check_print_summary(f, "fork.trace", &res);
	fclose(f);
	cr_expect(!strncmp(buf, want, strlen(want)), "%s", buf);
	free(buf);
	check_result_free(&res);
	trace_free(&t);
}

Test(check, bad_input)
{
	const char *bad = "nosuch";
	struct trace_event *ev;
	struct check_result res;
	struct trace t;

	parse_text(&t, "fork.trace", fork_trace);
	cr_expect_eq(check_trace(&t, &bad, 1, NULL, &res), -1);
	cr_expect(strstr(res.error, "unknown scheme"), "%s", res.error);
	check_result_free(&res);
	trace_free(&t);

	/* The reader refuses this; built by hand, replay must too. */
	parse_text(&t, "exited.trace", "1 mmap 0x100000000 0x1000 rw- "
		   "private,anon,fixed\n1 fork 2\n2 exit\n");
	ev = trace_append(&t);
	ev->type = EV_FAULT;
	ev->pid = 2;
	ev->addr = 0x100000000;
	bad = "classic";
	cr_expect_eq(check_trace(&t, &bad, 1, NULL, &res), -1);
	cr_expect(res.trace_error);
	cr_expect(strstr(res.error, "exited.trace: event ") &&
		  strstr(res.error, ": process 2 has exited"), "%s",
		  res.error);
	cr_expect(check_failed(&res));
	check_result_free(&res);
	trace_free(&t);
}
