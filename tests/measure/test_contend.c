// SPDX-License-Identifier: GPL-2.0-only
/* The contention driver: units, and short runs of both modes. */
#include <criterion/criterion.h>
#include <string.h>

#include "env.h"
#include "harness/contention.h"
#include "harness/contention_internal.h"
#include "harness/gen_forktree.h"

/*
 * 1 forks 2 and 3, 2 forks 4, 1 starts thread 5.  Units: 1 with its
 * thread, the subtree {2, 4}, and 3.
 */
static const char tree[] = TRACE_HEADER
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"			/* 2 */
	"1 fork 3\n"			/* 3 */
	"2 fault 0x100001000 w\n"	/* 4 */
	"2 fork 4\n"			/* 5 */
	"4 fault 0x100002000 w\n"	/* 6 */
	"3 fault 0x100003000 w\n"	/* 7 */
	"1 thread 5\n"			/* 8 */
	"5 fault 0x100001000 w\n"	/* 9 */
	"4 exit\n";			/* 10 */

Test(contend, units)
{
	struct units u;
	struct trace t;

	load_text(&t, tree);
	contend_build_units(&t, &u);
	cr_assert_eq(u.nr, 3);
	/* 1: mmap, fault, fork, fork, thread, and the thread's fault */
	cr_assert_eq(u.v[0].nr, 6);
	cr_assert_eq(u.v[0].start, SIZE_MAX);
	cr_assert_eq(u.v[0].ev[5], 9);
	/* {2, 4}: created by event 2 */
	cr_assert_eq(u.v[1].start, 2);
	cr_assert_eq(u.v[1].nr, 4);
	cr_assert_eq(u.v[1].ev[3], 10);
	cr_assert_eq(u.v[2].start, 3);
	cr_assert_eq(u.v[2].nr, 1);
	contend_units_free(&u);
	trace_free(&t);
}

static void check_run(enum contend_mode mode, const char *scheme)
{
	struct contend_opts o = { .mode = mode, .workers = 2, .walkers = 1,
				  .seed = 3 };
	struct forktree_params p;
	struct contend_result r;
	struct errbuf err;
	struct trace t;
	unsigned long rmap = 0, op;
	int k;

	forktree_defaults(&p);
	p.pages = 32;
	forktree_trace(&t, &p, 3000);
	if (mode == CONTEND_SCHEDULE && !contend_schedule_supported()) {
		cr_assert_eq(contend_trace(&t, scheme, &o, &r, &err), -1);
		cr_assert(strstr(err.msg, "observer"), "%s", err.msg);
		trace_free(&t);
		return;
	}
	cr_assert_eq(contend_trace(&t, scheme, &o, &r, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(r.events, t.nr_ev);
	cr_assert_gt(r.units, 5);
	cr_assert_eq(r.found, r.present);
	cr_assert_eq(r.present, 32, "the root's pages stay mapped");
	cr_assert(strstr(r.topology, "hwloc"), "%s", r.topology);
	for (k = 0; k < r.nr_locks; k++)
		if (!strcmp(r.locks[k].name, "anon_vma->rwsem"))
			for (op = 0; op < OP_NR; op++)
				rmap += r.locks[k].acquire_write[op];
	if (!strcmp(scheme, "classic"))
		cr_assert_gt(rmap, 0);
	if (mode == CONTEND_WORLD)
		cr_assert_str_eq(r.locks[r.nr_locks - 1].name, "world_mutex");
	trace_free(&t);
}

Test(contend, world_classic)
{
	check_run(CONTEND_WORLD, "classic");
}

Test(contend, world_cowctx)
{
	check_run(CONTEND_WORLD, "cowctx");
}

Test(contend, schedule_classic)
{
	check_run(CONTEND_SCHEDULE, "classic");
}

Test(contend, forktree_generator_is_valid)
{
	struct forktree_params p;
	struct measure_result r;
	struct measure_opts o = { .walk_repeat = 1, .no_walk = true };
	struct errbuf err;
	struct trace t;

	forktree_defaults(&p);
	p.pages = 16;
	forktree_trace(&t, &p, 2000);
	cr_assert_geq(t.nr_ev, 2000);
	cr_assert_eq(measure_trace(&t, "classic", &o, &r, &err), 0, "%s",
		     err.msg);
	/* Every result the generator wrote is what the model returns. */
	cr_assert_eq(r.divergences, 0);
	cr_assert_gt(r.ops[OP_FORK].count, 20);
	measure_result_free(&r);
	trace_free(&t);
}

Test(contend, forktree_world)
{
	struct forktree_params p;
	struct errbuf err;
	struct world *w;

	forktree_defaults(&p);
	p.depth = 2;
	p.fanout = 3;
	p.pages = 10;
	p.cow_pct = 0;
	w = forktree_world("classic", &p, &err);
	cr_assert(w, "%s", err.msg);
	/* 1 + 3 + 9 processes share the root's 10 folios. */
	cr_assert_eq(w->nr_folios, 10);
	cr_assert_eq(w->nr_tasks, 13);
	world_free(w);
}
