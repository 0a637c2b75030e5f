// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C++ side of the benchmark shim: wraps C callbacks in Google
 * benchmark's registration and state API.  Nothing else in rmaplab is
 * C++; keep it that way.
 */
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_shim.h"

static void (*hook_before)(void);
static void (*hook_after)(struct bench_run *);

static benchmark::State &state_of(struct bench_run *run)
{
	return *reinterpret_cast<benchmark::State *>(run);
}

extern "C" void bench_register(const struct bench_def *d)
{
	struct bench_def def = *d;
	benchmark::internal::Benchmark *b;

	b = benchmark::RegisterBenchmark(def.name,
		[def](benchmark::State &st) {
			int64_t arg = def.nr_args ? st.range(0) : 0;
			struct bench_run *run =
				reinterpret_cast<struct bench_run *>(&st);

			if (def.setup && !def.setup(def.ctx, arg)) {
				st.SkipWithError("not available");
				return;
			}
			if (hook_before)
				hook_before();
			for (auto _ : st) {
				double ns = def.iter(def.ctx, arg);

				if (def.manual_time)
					st.SetIterationTime(ns * 1e-9);
			}
			if (hook_after)
				hook_after(run);
			if (def.done)
				def.done(def.ctx, arg, run);
		});
	for (int i = 0; i < def.nr_args; i++)
		b->Arg(def.args[i]);
	if (def.manual_time)
		b->UseManualTime();
	if (def.iterations)
		b->Iterations(def.iterations);
	b->Unit(benchmark::kNanosecond);
}

extern "C" void bench_counter(struct bench_run *run, const char *name,
			      double v, enum bench_counter_kind kind)
{
	benchmark::Counter::Flags f = benchmark::Counter::kDefaults;

	if (kind == BENCH_PER_ITER)
		f = benchmark::Counter::kAvgIterations;
	else if (kind == BENCH_RATE)
		f = benchmark::Counter::kIsRate;
	state_of(run).counters[name] = benchmark::Counter(v, f);
}

extern "C" void bench_set_items(struct bench_run *run, int64_t items)
{
	state_of(run).SetItemsProcessed(items);
}

extern "C" void bench_set_label(struct bench_run *run, const char *label)
{
	state_of(run).SetLabel(label);
}

extern "C" int64_t bench_iterations(const struct bench_run *run)
{
	return reinterpret_cast<const benchmark::State *>(run)->iterations();
}

extern "C" void bench_set_hooks(void (*before)(void),
				void (*after)(struct bench_run *))
{
	hook_before = before;
	hook_after = after;
}

extern "C" void bench_add_context(const char *key, const char *value)
{
	benchmark::AddCustomContext(key, value);
}

extern "C" void bench_escape(void *p)
{
	benchmark::DoNotOptimize(p);
	benchmark::ClobberMemory();
}

extern "C" int bench_main(int *argc, char **argv)
{
	benchmark::Initialize(argc, argv);
	if (benchmark::ReportUnrecognizedArguments(*argc, argv))
		return 1;
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}
