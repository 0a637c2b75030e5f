// SPDX-License-Identifier: GPL-2.0-only
/* What every rmaplab benchmark program shares; see bench_common.h. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/bench/bench_common.h"
#include "harness/counters.h"
#include "harness/registry.h"

/* The table's bench set (schemes/table), before any benchmark is set up. */
const char *bench_schemes[BENCH_MAX_SCHEMES];
int nr_bench_schemes;

__attribute__((constructor)) static void bench_schemes_init(void)
{
	nr_bench_schemes = scheme_defaults(SCHEME_SET_BENCH, bench_schemes,
					   BENCH_MAX_SCHEMES);
}

static struct counter_set counters;

static void before(void)
{
	counters_start(&counters);
}

static void after(struct bench_run *run)
{
	int i;

	counters_stop(&counters);
	for (i = 0; i < counters.nr; i++)
		bench_counter(run, counters.c[i].name,
			      (double)counters.c[i].value, BENCH_PER_ITER);
}

int bench_run_all(int *argc, char **argv)
{
	counters_open(&counters);
	fprintf(stderr, "counters: %s\n", counters.note);
	bench_add_context("rmaplab_counters", counters.note);
	bench_set_hooks(counters.nr ? before : NULL,
			counters.nr ? after : NULL);
	return bench_main(argc, argv);
}

const char *bench_name(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;		/* lives until exit, as registration needs */
}

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct folio **bench_folios(struct world *w, unsigned long *nr)
{
	struct folio **v, *folio;
	unsigned long n = 0;

	v = malloc((w->nr_folios + 1) * sizeof(*v));
	if (!v)
		abort();
	list_for_each_entry(folio, &w->folios, lru) {
		if (n == w->nr_folios)
			break;
		v[n++] = folio;
	}
	*nr = n;
	return v;
}
