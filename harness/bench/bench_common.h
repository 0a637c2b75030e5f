/* SPDX-License-Identifier: GPL-2.0-only */
/* What every rmaplab benchmark program shares. */
#ifndef RMAPLAB_HARNESS_BENCH_COMMON_H
#define RMAPLAB_HARNESS_BENCH_COMMON_H

#include <stdint.h>

#include "core/world.h"
#include "harness/bench/bench_shim.h"

/* The schemes every benchmark runs, in report order. */
#define BENCH_MAX_SCHEMES	16
extern const char *bench_schemes[BENCH_MAX_SCHEMES];
extern int nr_bench_schemes;

/*
 * Counters (harness/counters.h) around every benchmark, reported per
 * iteration; the label says which were measured.  Then bench_main().
 */
int bench_run_all(int *argc, char **argv);

/* A name that lives as long as the program ("walk/classic/d4f4"). */
const char *bench_name(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

uint64_t bench_now_ns(void);

/* Every live folio of @w in an array (caller frees). */
struct folio **bench_folios(struct world *w, unsigned long *nr);

#endif /* RMAPLAB_HARNESS_BENCH_COMMON_H */
