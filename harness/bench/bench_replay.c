// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replay throughput per scheme, in events per second (items_per_second):
 *
 *   replay/forktree/S   a generated server-like fork-tree trace of at
 *                       least 1M events (harness/gen_forktree.h), the
 *                       scheme's walk never called (no oracle, no checks)
 *   replay/corpus/S     every bundled trace once per iteration
 *
 * Only replay_all() is timed, in thread CPU time: opening and freeing the
 * world is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/bench/bench_common.h"
#include "harness/gen_forktree.h"
#include "harness/corpus.h"
#include "harness/measure.h"
#include "harness/replay.h"

struct replay_bench {
	const char *scheme;
	struct trace *traces;
	size_t nr;
	unsigned long events, divergences;
	uint64_t wall_ns;
	bool failed;
};

static struct trace forktree, *corpus;
static size_t nr_corpus;
static unsigned long nr_events = 1000000;

/*
 * The replay is timed in thread CPU time: this machine is shared, and a
 * replay is long enough for the clock's cost not to matter.  Wall time
 * is reported beside it (wall_ns).
 */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void load_forktree(void)
{
	struct forktree_params p;

	if (forktree.nr_ev)
		return;
	forktree_defaults(&p);
	forktree_trace(&forktree, &p, nr_events);
	fprintf(stderr, "forktree trace: %zu events\n", forktree.nr_ev);
}

static void load_corpus(void)
{
	char **paths, err[512];
	size_t n, i;

	if (corpus)
		return;
	paths = corpus_find(false, &n, NULL, 0);
	corpus = calloc(n + 1, sizeof(*corpus));
	if (!corpus)
		abort();
	for (i = 0; i < n; i++) {
		trace_init(&corpus[nr_corpus]);
		if (trace_load(paths[i], &corpus[nr_corpus], err,
			       sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			trace_free(&corpus[nr_corpus]);
		} else {
			nr_corpus++;
		}
		free(paths[i]);
	}
	free(paths);
}

static bool setup(void *ctx, int64_t arg)
{
	struct replay_bench *b = ctx;

	if (!b->traces) {
		if (b->nr) {
			load_forktree();
			b->traces = &forktree;
		} else {
			load_corpus();
			b->traces = corpus;
			b->nr = nr_corpus;
		}
	}
	b->events = b->divergences = 0;
	b->wall_ns = 0;
	return b->nr > 0 && !b->failed;
}

static double iter(void *ctx, int64_t arg)
{
	struct replay_bench *b = ctx;
	struct errbuf err;
	struct replay r;
	uint64_t ns = 0, t0, w0;
	size_t i;

	for (i = 0; i < b->nr; i++) {
		if (replay_open(&r, &b->traces[i], b->scheme, &err)) {
			if (!b->failed)
				fprintf(stderr, "%s\n", err.msg);
			b->failed = true;
			return 0;
		}
		r.quiet = true;
		w0 = bench_now_ns();
		t0 = thread_cpu_ns();
		if (replay_all(&r, &err) < 0)
			fprintf(stderr, "%s\n", err.msg);
		ns += thread_cpu_ns() - t0;
		b->wall_ns += bench_now_ns() - w0;
		b->events += r.next;
		b->divergences += r.divergences;
		replay_close(&r);
	}
	return (double)ns;
}

static void done(void *ctx, int64_t arg, struct bench_run *run)
{
	struct replay_bench *b = ctx;

	bench_set_items(run, (int64_t)b->events);
	bench_counter(run, "divergences", (double)b->divergences,
		      BENCH_PER_ITER);
	bench_counter(run, "wall_ns", (double)b->wall_ns, BENCH_PER_ITER);
}

static void add(const char *scheme, bool generated)
{
	struct replay_bench *b = calloc(1, sizeof(*b));
	struct bench_def d = { 0 };

	if (!b)
		abort();
	b->scheme = scheme;
	b->nr = generated ? 1 : 0;
	d.name = bench_name("replay/%s/%s", generated ? "forktree" : "corpus",
			    scheme);
	d.ctx = b;
	d.setup = setup;
	d.iter = iter;
	d.done = done;
	d.manual_time = true;
	bench_register(&d);
}

int main(int argc, char **argv)
{
	const char *env = getenv("RMAPLAB_REPLAY_EVENTS");
	int s;

	if (env && atol(env) > 0)
		nr_events = (unsigned long)atol(env);
	for (s = 0; s < nr_bench_schemes; s++)
		add(bench_schemes[s], true);
	add(ORACLE_SPEC, true);
	for (s = 0; s < nr_bench_schemes; s++)
		add(bench_schemes[s], false);
	return bench_run_all(&argc, argv);
}
