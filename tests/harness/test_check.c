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
#include "harness/registry.h"
#include "hutil.h"

#define FIRST_VECTOR	1001
#define NR_VECTORS	30

/* Every scheme of the table (the test build's: testonly too), the oracle. */
static const char *all_schemes[32];
static size_t NR_ALL;

static void table_schemes(void)
{
	const struct scheme_entry *e;

	NR_ALL = 0;
	for (e = scheme_list; e->spec; e++)
		if (!strchr(e->spec, ':'))
			all_schemes[NR_ALL++] = e->spec;
	all_schemes[NR_ALL++] = ORACLE_SPEC;
	cr_assert_geq(NR_ALL, 5, "classic, lazy, cowctx, testonly, oracle");
}

TestSuite(check, .init = table_schemes);

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
		/* who keeps the kernel's objects has them compared */
		for (i = 0; i < res.nr; i++) {
			const struct check_scheme_result *r = &res.s[i];

			if (!(r->caps & SCHEME_KERNEL_OBJECTS)) {
				cr_expect(!r->objects[0], "%s", r->objects);
				continue;
			}
			cr_expect(strstr(r->objects, "anon_vma_chain"), "%s",
				  r->objects);
			cr_expect(!r->objects_differ, "%s", r->objects);
		}
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

/*
 * A VMA the kernel ended elsewhere: every scheme's layout is compared; a
 * model error for who claims mainline's layout, a design finding for who
 * may change it by design -- never skipped, never mixed.
 */
Test(check, kernel_maps_disagreement)
{
	struct trace_checkpoint *cp;
	struct check_result res;
	struct trace t;
	size_t i;

	load_vector(&t, 1002);
	cp = last_cp(&t);
	cr_assert(cp->nr_procs && cp->procs[0].nr_vmas);
	cp->procs[0].vmas[0].end += 0x1000;
	cr_assert_eq(check_trace(&t, all_schemes, NR_ALL, NULL, &res), 0);
	for (i = 0; i < res.nr; i++) {
		const struct check_scheme_result *r = &res.s[i];
		const struct check_finding *f = &r->first;

		if (r->caps & SCHEME_LAYOUT_BY_DESIGN) {
			cr_expect_eq(r->first.kind, CHECK_OK, "%s: %s",
				     r->name, r->first.what);
			cr_expect_eq(r->design[CHECK_KERNEL_MAPS], 1, "%s",
				     r->name);
			f = &r->first_design;
			cr_expect_eq(f->cls, CHECK_DESIGN);
		} else {
			cr_expect_eq(r->failures[CHECK_KERNEL_MAPS], 1, "%s",
				     r->name);
			cr_expect_eq(f->cls, CHECK_FAILURE);
		}
		cr_expect_eq(f->kind, CHECK_KERNEL_MAPS, "%s", r->name);
		cr_expect_eq(f->event, t.nr_ev - 1);
		cr_expect_eq(f->pid, cp->procs[0].pid);
		cr_expect_eq(f->start, cp->procs[0].vmas[0].start);
		cr_expect(strstr(f->what, "VMAs of process"), "%s", f->what);
	}
	cr_expect_eq(check_scheme(&res, "classic")->first.kind,
		     CHECK_KERNEL_MAPS);
	cr_expect_eq(check_scheme(&res, "lazy")->first.kind, CHECK_OK);
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
	cr_expect(res.s[0].objects_differ);
	cr_expect(strstr(res.s[0].objects, "objects: classic anon_vma "),
		  "%s", res.s[0].objects);
	check_result_free(&res);

	o.objects = true;
	cr_assert_eq(check_trace(&t, &classic, 1, &o, &res), 0);
	cr_expect_eq(res.s[0].first.kind, CHECK_OBJECTS);
	check_result_free(&res);
	trace_free(&t);
}

/*
 * A result the kernel "returned" that the model does not: a failure for
 * classic, a design finding for cowctx, at the same event.
 */
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
	cr_expect_eq(res.s[0].failures[CHECK_DIVERGENCE], 1);
	cr_expect_eq(res.s[1].first.kind, CHECK_OK);
	cr_expect_geq(res.s[1].divergences, 1);
	cr_expect_eq(res.s[1].design[CHECK_DIVERGENCE], 1);
	cr_expect_eq(res.s[1].first_design.event, i);
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

/*
 * A world that differs from the oracle's is named, PID:ADDR by PID:ADDR,
 * whether it runs alone, first or last.
 */
Test(check, cross_scheme_difference)
{
	const char *const schemes[][2] = {
		{ "classic:bug=skip_fork_avc", NULL },
		{ "classic", "classic:bug=skip_fork_avc" },
		{ "classic:bug=skip_fork_avc", "classic" },
	};
	struct check_finding f;
	struct check_opts o = { .want = want_cross, .want_arg = &f };
	struct check_result res;
	struct trace t;
	size_t i, n;

	parse_text(&t, "fork.trace", fork_trace);
	for (i = 0; i < 3; i++) {
		n = schemes[i][1] ? 2 : 1;
		memset(&f, 0, sizeof(f));
		cr_assert_eq(check_trace(&t, schemes[i], n, &o, &res), 0);
		cr_assert(res.matched);
		cr_expect_str_eq(f.scheme, "classic:bug=skip_fork_avc");
		cr_expect_str_eq(f.other, "oracle");
		cr_expect(strstr(f.what, "classic:bug=skip_fork_avc "
				 "disagrees with the oracle on "
				 "2:0x100000000: the oracle has it in a page "
				 "mapped by {1:0x100000000 2:0x100000000}, "
				 "classic:bug=skip_fork_avc has it unmapped"),
			  "%s", f.what);
		if (n == 2)
			cr_expect_eq(check_scheme(&res, "classic")->first.kind,
				     CHECK_OK);
		check_result_free(&res);
	}
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
