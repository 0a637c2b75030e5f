/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Google benchmark from C: the only C++ in rmaplab is bench_shim.cpp,
 * which registers C callbacks as benchmarks and runs them.  Each
 * benchmark is described by a struct bench_def; the shim copies it.
 *
 * A benchmark may time itself (manual_time: iter returns the nanoseconds
 * of the part that matters, so set-up work inside an iteration is left
 * out), and may report counters after its timing loop.
 */
#ifndef RMAPLAB_HARNESS_BENCH_SHIM_H
#define RMAPLAB_HARNESS_BENCH_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A benchmark::State, opaque to C. */
struct bench_run;

struct bench_def {
	const char *name;
	void *ctx;
	/*
	 * Before the timing loop, every time the library runs it; false
	 * skips the benchmark (reported with an error).
	 */
	bool (*setup)(void *ctx, int64_t arg);
	/* One iteration; with manual_time, returns its nanoseconds. */
	double (*iter)(void *ctx, int64_t arg);
	/* After the timing loop: counters, items. */
	void (*done)(void *ctx, int64_t arg, struct bench_run *run);
	const int64_t *args;		/* one benchmark per argument */
	int nr_args;			/* 0: one benchmark, arg 0 */
	bool manual_time;
	int64_t iterations;		/* fixed; 0: the library decides */
};

void bench_register(const struct bench_def *d);

enum bench_counter_kind {
	BENCH_TOTAL,			/* shown as given */
	BENCH_PER_ITER,			/* divided by iterations */
	BENCH_RATE,			/* per second of measured time */
};

void bench_counter(struct bench_run *run, const char *name, double v,
		   enum bench_counter_kind kind);
/* items_per_second = @items / measured time. */
void bench_set_items(struct bench_run *run, int64_t items);
void bench_set_label(struct bench_run *run, const char *label);
int64_t bench_iterations(const struct bench_run *run);

/*
 * Called around every benchmark's timing loop (hardware or software
 * counters, see harness/counters.h); NULL for none.
 */
void bench_set_hooks(void (*before)(void), void (*after)(struct bench_run *));

/* A key/value pair for the "context" of the JSON output. */
void bench_add_context(const char *key, const char *value);

/* Keep @p alive and memory written: benchmark::DoNotOptimize. */
void bench_escape(void *p);

/* benchmark::Initialize + RunSpecifiedBenchmarks; 1 on bad arguments. */
int bench_main(int *argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif /* RMAPLAB_HARNESS_BENCH_SHIM_H */
