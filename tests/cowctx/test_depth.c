// SPDX-License-Identifier: GPL-2.0-only
/*
 * A generated fork chain at depths 1, 4, 16 and 64: what one walk costs
 * (contexts and tree nodes visited, candidates) and what it misses, for
 * the fixed walk, the PoC's and the full-subtree one.  Prints one line
 * per depth and variant to stderr.
 *
 * P1:  0-7   AAAAAAAA  faulted          64-71 MMMMMMMM  faulted, moved +48
 * for k = 1..d: Pk forks Pk+1; Pk+1 writes page k%4 and 64 + k%4 (copies
 * in its own context); Pk writes page 4 after the fork, leaving P1's
 * folio there to its child alone, level after level: the §3.5 shape, so
 * at the end that folio (context of P1) is mapped by the leaf only.
 * Pages 5-7 and 68-71 are never written again: P1's folios there are
 * mapped by all d + 1 processes.
 *
 * stop=poc loses exactly three mappings at every depth: the leaf's of
 * P1's page 4 (the §3.5 shape), and two exclusive folios in the moved
 * VMA: P1's page 65 (P2 copied it, P2's descendants inherit the copy)
 * and the leaf's own copy of page 64 + d%4.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "env.h"

TestSuite(cowctx_depth, .fini = env_teardown);

struct depth_stats {
	size_t folios, walks, mappings, found;
	unsigned long contexts, nodes, candidates, misses;
	unsigned long max_contexts, max_nodes;
};

static void build_chain(int depth)
{
	long k;
	int i;

	ev_mmap(1, AT(0), 8, "rw-");
	ev_mmap(1, AT(16), 8, "rw-");
	for (i = 0; i < 8; i++) {
		ev_fault(1, AT(i), true, 0);
		ev_fault(1, AT(16 + i), true, 0);
	}
	ev_move(1, AT(16), 8, 8, AT(64));
	for (k = 1; k <= depth; k++) {
		ev_fork(k, k + 1);
		ev_fault(k + 1, AT(k % 4), true, 0);
		ev_fault(k + 1, AT(64 + k % 4), true, 0);
		ev_fault(k, AT(4), true, 0);
	}
}

static void measure(struct depth_stats *s)
{
	struct rmap_hits oracle = { 0 };
	struct folio *folio;

	memset(s, 0, sizeof(*s));
	oracle_scan(W, &oracle);
	s->mappings = oracle.nr;
	rmap_hits_free(&oracle);
	list_for_each_entry(folio, &W->folios, lru) {
		struct walk_res r;

		walk(folio, &r);
		s->folios++;
		s->walks++;
		s->found += r.hits.nr;
		s->contexts += r.rwc.contexts;
		s->nodes += r.rwc.nodes;
		s->candidates += r.rwc.candidates;
		s->misses += r.rwc.misses;
		if (r.rwc.contexts > s->max_contexts)
			s->max_contexts = r.rwc.contexts;
		if (r.rwc.nodes > s->max_nodes)
			s->max_nodes = r.rwc.nodes;
		walk_res_free(&r);
	}
}

ParameterizedTestParameters(cowctx_depth, chain)
{
	static int depth[] = { 1, 4, 16, 64 };

	return cr_make_param_array(int, depth, 4);
}

ParameterizedTest(int *d, cowctx_depth, chain)
{
	static const char *variants[] = { "", "poc", "stop=never" };
	unsigned int v;

	for (v = 0; v < 3; v++) {
		struct depth_stats s;
		struct walk_res r;

		env_setup(variants[v]);
		env_strict = false;	/* poc misses; checked below */
		build_chain(*d);
		measure(&s);
		fprintf(stderr, "cowctx depth %2d %-12s folios %4zu  "
			"contexts/walk %6.2f (max %3lu)  nodes/walk %7.2f "
			"(max %4lu)  candidates/walk %5.2f  "
			"empty candidates %4lu  found %4zu of %4zu mappings\n",
			*d,
			*variants[v] ? variants[v] : "fixed", s.folios,
			(double)s.contexts / s.walks, s.max_contexts,
			(double)s.nodes / s.walks, s.max_nodes,
			(double)s.candidates / s.walks, s.misses, s.found,
			s.mappings);

		/* P1's never-written folio: everyone maps it, all visited */
		walk(folio_at(1, AT(71)), &r);
		cr_expect_eq(r.hits.nr, (size_t)*d + 1);
		cr_expect_eq(r.rwc.contexts, (unsigned long)*d + 1);
		walk_res_free(&r);

		if (v == 1) {
			long leaf = *d + 1;
			unsigned long own = AT(64 + *d % 4);

			cr_expect_eq(s.found + 3, s.mappings);
			cr_expect(!walk_finds(folio_at(leaf, AT(4)), leaf,
					      AT(4)));
			cr_expect(!walk_finds(folio_at(1, AT(65)), 1, AT(65)));
			cr_expect(!walk_finds(folio_at(leaf, own), leaf, own));
		} else {
			cr_expect_eq(s.found, s.mappings);
			cr_expect_eq(env_sound(), 0, "%s", env_err);
		}
		env_teardown();
	}
}
