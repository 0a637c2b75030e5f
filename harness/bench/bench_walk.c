// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmap walk latency per scheme, on states snapshotted from the end of the
 * bundled traces (the corpus, else the kernel vectors) and of generated
 * fork trees (depth 1..64, fan-out 1..16).  One iteration walks every
 * live folio of the state once with rmap_walk_verified() (a few folios
 * shared by the whole tree cost far more than the rest, so a partial
 * round would make the mean depend on where it stopped); items are walks,
 * so items_per_second gives the mean walk time, and the counters are per
 * walk: VMAs, misses, tree nodes, contexts and locks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/oracle.h"
#include "harness/bench/bench_common.h"
#include "harness/gen_forktree.h"
#include "harness/corpus.h"
#include "harness/measure.h"

struct walk_bench {
	const char *scheme;
	unsigned int depth, fanout;	/* 0: the traces' end states */
	bool failed;
	/* built by setup, kept while this benchmark runs */
	struct world **worlds;
	size_t nr_worlds;
	struct folio **folios;
	unsigned long nr, next;
	struct rmap_hits hits;
	struct rmap_walk_control sum;
};

static struct walk_bench *current;

static void state_free(struct walk_bench *b)
{
	size_t i;

	for (i = 0; i < b->nr_worlds; i++)
		world_free(b->worlds[i]);
	free(b->worlds);
	free(b->folios);
	rmap_hits_free(&b->hits);
	b->worlds = NULL;
	b->folios = NULL;
	b->nr_worlds = b->nr = 0;
}

static void add_world(struct walk_bench *b, struct world *w)
{
	unsigned long n, i;
	struct folio **f = bench_folios(w, &n);

	b->worlds = realloc(b->worlds, (b->nr_worlds + 1) *
			    sizeof(*b->worlds));
	b->folios = realloc(b->folios, (b->nr + n + 1) * sizeof(*b->folios));
	if (!b->worlds || !b->folios)
		abort();
	b->worlds[b->nr_worlds++] = w;
	for (i = 0; i < n; i++)
		b->folios[b->nr++] = f[i];
	free(f);
}

/*
 * Every bundled trace, replayed to its snapshot: the end, or the folio
 * peak when the trace ends empty (as compare does).
 */
static void build_traces(struct walk_bench *b)
{
	unsigned long peak, folios;
	struct errbuf err;
	struct world *w;
	struct trace t;
	size_t n, i;
	char **paths = corpus_find(false, &n, NULL, 0);

	for (i = 0; i < n; i++) {
		trace_init(&t);
		if (trace_load(paths[i], &t, err.msg, sizeof(err.msg))) {
			fprintf(stderr, "%s\n", err.msg);
			trace_free(&t);
			continue;
		}
		w = measure_replay_to(&t, b->scheme, ~0UL, &err);
		if (w && !w->nr_folios) {
			world_free(w);
			peak = measure_folio_peak(&t, &folios, &err);
			w = measure_replay_to(&t, b->scheme, peak, &err);
		}
		if (!w) {
			fprintf(stderr, "%s\n", err.msg);
			b->failed = true;
		} else {
			add_world(b, w);
		}
		trace_free(&t);
	}
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static bool setup(void *ctx, int64_t arg)
{
	struct walk_bench *b = ctx;
	struct forktree_params p;
	struct errbuf err;
	struct world *w;

	memset(&b->sum, 0, sizeof(b->sum));
	if (current == b)
		return b->nr > 0;
	if (current)
		state_free(current);
	current = b;
	if (!b->depth) {
		build_traces(b);
		return b->nr > 0;
	}
	forktree_defaults(&p);
	p.depth = b->depth;
	p.fanout = b->fanout;
	p.max_procs = 1024;
	w = forktree_world(b->scheme, &p, &err);
	if (!w) {
		fprintf(stderr, "%s\n", err.msg);
		b->failed = true;
		return false;
	}
	add_world(b, w);
	return b->nr > 0;
}

static double iter(void *ctx, int64_t arg)
{
	struct walk_bench *b = ctx;
	struct rmap_walk_control rwc;
	struct folio *folio;
	unsigned long i;

	for (i = 0; i < b->nr; i++) {
		folio = b->folios[i];
		memset(&rwc, 0, sizeof(rwc));
		b->hits.nr = 0;
		rmap_walk_verified(folio->world, folio, &b->hits, &rwc);
		b->sum.candidates += rwc.candidates;
		b->sum.misses += rwc.misses;
		b->sum.nodes += rwc.nodes;
		b->sum.contexts += rwc.contexts;
		b->sum.locks += rwc.locks;
	}
	return 0;
}

static void done(void *ctx, int64_t arg, struct bench_run *run)
{
	struct walk_bench *b = ctx;
	double walks = (double)b->nr * (double)bench_iterations(run);

	bench_set_items(run, (int64_t)walks);
	bench_counter(run, "folios", (double)b->nr, BENCH_TOTAL);
	if (!walks)
		return;
	bench_counter(run, "vmas", b->sum.candidates / walks, BENCH_TOTAL);
	bench_counter(run, "misses", b->sum.misses / walks, BENCH_TOTAL);
	bench_counter(run, "nodes", b->sum.nodes / walks, BENCH_TOTAL);
	bench_counter(run, "contexts", b->sum.contexts / walks, BENCH_TOTAL);
	bench_counter(run, "locks", b->sum.locks / walks, BENCH_TOTAL);
}

static void add(const char *scheme, unsigned int depth, unsigned int fanout)
{
	struct walk_bench *b = calloc(1, sizeof(*b));
	struct bench_def d = { 0 };

	if (!b)
		abort();
	b->scheme = scheme;
	b->depth = depth;
	b->fanout = fanout;
	d.ctx = b;
	d.setup = setup;
	d.iter = iter;
	d.done = done;
	if (depth)
		d.name = bench_name("walk/tree/%s/d%u_f%u", scheme, depth,
				    fanout);
	else
		d.name = bench_name("walk/corpus/%s", scheme);
	bench_register(&d);
}

int main(int argc, char **argv)
{
	static const unsigned int depths[] = { 1, 2, 4, 8, 16, 32, 64 };
	static const unsigned int fanouts[] = { 1, 2, 4, 8, 16 };
	unsigned int i, j;
	int s;

	for (s = 0; s < nr_bench_schemes; s++)
		add(bench_schemes[s], 0, 0);
	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++)
		for (j = 0; j < sizeof(fanouts) / sizeof(fanouts[0]); j++)
			for (s = 0; s < nr_bench_schemes; s++)
				add(bench_schemes[s], depths[i], fanouts[j]);
	return bench_run_all(&argc, argv);
}
