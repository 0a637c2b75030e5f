// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PoC's early stop (stop=poc) against the fixed walk.
 *
 * The PoC ends the whole walk after offset 0 of a context if the folio
 * is not maybe-mapped-shared.  Two histories defeat it; the fixed walk
 * (stop=found) and stop=never find every mapping.  Brute force: the
 * page tables themselves (maps()).
 */
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env.h"

TestSuite(cowctx_poc, .fini = env_teardown);

/*
 * research/schemes.md §3.5, as a text trace:
 *
 *   1 mmap 0x100000000 0x1000 rw- private,anon,fixed -> 0x100000000
 *   1 fault 0x100000000 w
 *   1 fork 2
 *   1 fault 0x100000000 w
 *
 * F, faulted by P1, lives in ctx1.  After the fork both map it; P1's
 * write copies, so F is mapped by P2 alone, still in ctx1: mapcount 1,
 * "exclusive".  The PoC walks ctx1 at offset 0, finds only P1's VMA
 * (which now maps the copy), sees an exclusive folio and stops before
 * ctx2.
 */
/* Process 1 maps and writes one page; its folio, walks not asserted. */
static struct folio *one_written_page(const char *params)
{
	env_setup(params);
	env_strict = false;
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	return folio_at(1, AT(0));
}

static struct folio *parent_cow_history(const char *params)
{
	struct folio *f = one_written_page(params);

	ev_fork(1, 2);
	ev_fault(1, AT(0), true, 0);

	/* brute force: the old folio is P2's alone, still in ctx1 */
	cr_assert(maps(2, AT(0), f));
	cr_assert(!maps(1, AT(0), f));
	cr_assert_eq(folio_ctx(f), ctx_of(1));
	cr_assert(!cowctx_folio_maybe_mapped_shared(f));
	return f;
}

Test(cowctx_poc, parent_cow_poc_misses_child)
{
	struct folio *f = parent_cow_history("poc");
	struct walk_res r;

	walk(f, &r);
	cr_expect_eq(r.hits.nr, 0, "poc found %zu mappings", r.hits.nr);
	cr_expect_eq(r.rwc.contexts, 1, "stopped in ctx1");
	cr_expect_eq(r.rwc.candidates, 1, "P1's VMA, a miss");
	cr_expect_eq(r.rwc.misses, 1);
	walk_res_free(&r);
	/* the checker sees the gap (invariant 20) */
	cr_expect_neq(env_sound(), 0);
	cr_expect(strstr(env_err, "missed pid 2 addr 0x100000000"), "%s",
		  env_err);
}

/* Indices, not strings: Criterion may run each test in a new image. */
static const char *const fixed_params[] = { "", "stop=found", "stop=never",
					    "poc=off" };

ParameterizedTestParameters(cowctx_poc, parent_cow_fixed_finds_child)
{
	static int idx[] = { 0, 1, 2, 3 };

	return cr_make_param_array(int, idx, 4);
}

ParameterizedTest(int *i, cowctx_poc, parent_cow_fixed_finds_child)
{
	struct folio *f = parent_cow_history(fixed_params[*i]);
	struct walk_res r;

	walk(f, &r);
	cr_expect_eq(r.hits.nr, 1);
	cr_expect(r.hits.nr == 1 && mm_pid(r.hits.v[0].mm) == 2 &&
		  r.hits.v[0].addr == AT(0));
	cr_expect_eq(r.rwc.contexts, 2);
	walk_res_free(&r);
	cr_expect_eq(env_sound(), 0, "%s", env_err);
}

/*
 * An exclusive folio in a VMA that moved:
 *
 *   1 mmap 0x100000000 0x1000 rw- private,anon,fixed -> 0x100000000
 *   1 fault 0x100000000 w
 *   1 mremap 0x100000000 0x1000 0x1000 maymove,fixed 0x100010000
 *     -> 0x100010000
 *
 * Offset 0 of ctx1 is the old address, where nothing is mapped; the
 * folio is exclusive, so the PoC stops before the remap offset 16.
 */
Test(cowctx_poc, moved_exclusive_poc_misses)
{
	struct walk_res r;
	struct folio *f;

	env_setup("poc");
	env_strict = false;
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	f = folio_at(1, AT(0));
	ev_move(1, AT(0), 1, 1, AT(16));
	cr_assert(maps(1, AT(16), f));
	walk(f, &r);
	cr_expect_eq(r.hits.nr, 0);
	cr_expect_eq(r.rwc.candidates, 0);
	walk_res_free(&r);
	cr_expect_neq(env_sound(), 0);
}

Test(cowctx_poc, moved_exclusive_fixed_finds)
{
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	f = folio_at(1, AT(0));
	ev_move(1, AT(0), 1, 1, AT(16));
	cr_expect(walk_finds(f, 1, AT(16)));
}

/* Shared folios never trigger the shortcut: poc finds them all. */
Test(cowctx_poc, shared_folio_poc_complete)
{
	struct walk_res r;

	env_setup("poc");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ev_fork(2, 3);
	walk(folio_at(1, AT(0)), &r);
	cr_expect_eq(r.hits.nr, 3);
	walk_res_free(&r);
}

/*
 * The fixed walk stops as soon as every mapping is found: a folio P2
 * copied lives in ctx2 and the walk visits ctx2 only, although ctx2 has
 * children; a shared folio of P1 makes it visit the whole family.
 */
Test(cowctx_poc, fixed_stops_when_found)
{
	struct walk_res r;

	env_setup("");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(1), true, 0);
	ev_fork(1, 2);
	ev_fault(2, AT(0), true, 0);
	ev_fork(2, 3);
	ev_fault(3, AT(0), true, 0);	/* P3 copies; P2's copy is P2's */
	walk(folio_at(2, AT(0)), &r);
	cr_expect_eq(r.hits.nr, 1);
	cr_expect_eq(r.rwc.contexts, 1);
	walk_res_free(&r);
	walk(folio_at(1, AT(1)), &r);
	cr_expect_eq(r.hits.nr, 3);
	cr_expect_eq(r.rwc.contexts, 3);
	walk_res_free(&r);
}

/*
 * The third miss (research/schemes.md §6): the walk stops in a context
 * that never owned the folio.
 *
 *   1 mmap 0x100000000 0x1000 rw- private,anon,fixed -> 0x100000000
 *   1 fault 0x100000000 w
 *   1 fork 2
 *   1 fork 3
 *   1 exit
 *   3 fault 0x100000000 w
 *
 * F lives in ctx1, whose mm is gone, so walk_context() returns before the
 * exclusivity test.  Traversal goes to the newest child first, ctx3: its
 * offset-0 lookup offers 3's VMA, which maps 3's copy; F is mapped by 2
 * alone (mapcount 1), looks exclusive, and the walk ends there, never
 * reaching ctx2.
 */
static struct folio *orphan_history(const char *params)
{
	struct folio *f = one_written_page(params);

	ev_fork(1, 2);
	ev_fork(1, 3);
	ev_exit(1);
	ev_fault(3, AT(0), true, 0);
	cr_assert(maps(2, AT(0), f));
	cr_assert(!maps(3, AT(0), f));
	cr_assert(!cowctx_folio_maybe_mapped_shared(f));
	return f;
}

Test(cowctx_poc, orphan_folio_poc_stops_in_sibling)
{
	struct folio *f = orphan_history("poc");
	struct walk_res r;

	walk(f, &r);
	cr_expect_eq(r.hits.nr, 0, "poc found %zu mappings", r.hits.nr);
	cr_expect_eq(r.rwc.contexts, 2, "ctx1 (no mm), then ctx3");
	cr_expect_eq(r.rwc.candidates, 1, "3's VMA, a miss");
	walk_res_free(&r);
	cr_expect_neq(env_sound(), 0);
	cr_expect(strstr(env_err, "missed pid 2 addr 0x100000000"), "%s",
		  env_err);
}

Test(cowctx_poc, orphan_folio_fixed_finds)
{
	struct folio *f = orphan_history("");

	cr_expect(walk_finds(f, 2, AT(0)));
	cr_expect_eq(env_sound(), 0, "%s", env_err);
}

/*
 * poc is the PoC as posted: merge=poc (CONFIG_COW_CONTEXT_ANON_RMAP=y,
 * every faulted VMA a fork child) and the per-folio context pointer,
 * accounted; the end-state reading merges like mainline.
 *
 * 0123        cowctx   cowctx:poc
 * A*  BB  ->  A*AA     A* BB
 */
Test(cowctx_poc, poc_preset_refuses_merge_and_counts_folio_pointer)
{
	env_setup("poc");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 2);
	cr_expect_eq(live("cow_folio_ref"), 1);
	ev_fault(1, AT(1), true, 0);
	cr_expect_eq(live("cow_folio_ref"), 2);
	ev_munmap(1, AT(0), 2);
	cr_expect_eq(live("cow_folio_ref"), 0);
	env_teardown();

	env_setup("");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(2), 2, "rw-");
	cr_expect_eq(nr_vmas(1), 1);
	cr_expect_lt(acct_find(&W->acct, "cow_folio_ref"), 0,
		     "no separate pointer");
}
