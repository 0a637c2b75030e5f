// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace decoding speed: bench_decode [-r REPS] TRACE
 *
 * Prints, for REPS runs each (default 9), the median events per second
 * and the spread (min..max) of
 *   decode  the block cursor, every event decoded, nothing kept;
 *   load    trace_load(), the whole trace in memory (random access);
 *   replay  `rmaplab run --scheme classic` in-process: decode + replay.
 * Times are this thread's CPU time, so other load on the machine does
 * not count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/replay.h"
#include "traces/trace.h"

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void print(const char *what, double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	printf("%-7s %8.2f M events/s  (median of %d; min %.2f, max %.2f)\n",
	       what, v[n / 2] / 1e6, n, v[0] / 1e6, v[n - 1] / 1e6);
}

static void die(const char *msg)
{
	fprintf(stderr, "bench_decode: %s\n", msg);
	exit(2);
}

int main(int argc, char **argv)
{
	int reps = 9, c, i;
	double *dec, *load, *rep;
	struct trace_reader *r;
	struct errbuf err;
	struct replay rp;
	struct trace t;
	uint64_t t0, n;
	int ret;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c != 'r' || (reps = atoi(optarg)) < 1)
			die("usage: bench_decode [-r REPS] TRACE");
	}
	if (optind != argc - 1)
		die("usage: bench_decode [-r REPS] TRACE");
	dec = calloc(reps, sizeof(*dec));
	load = calloc(reps, sizeof(*load));
	rep = calloc(reps, sizeof(*rep));
	for (i = 0; i < reps; i++) {
		t0 = cpu_ns();
		if (trace_reader_open(argv[optind], 0, &r, err.msg,
				      sizeof(err.msg)))
			die(err.msg);
		n = 0;
		while ((ret = trace_reader_next(r, err.msg,
						sizeof(err.msg))) > 0)
			n += trace_reader_window(r)->nr_ev;
		if (ret < 0)
			die(err.msg);
		trace_reader_close(r);
		dec[i] = n / ((cpu_ns() - t0) / 1e9);

		t0 = cpu_ns();
		if (trace_load(argv[optind], &t, err.msg, sizeof(err.msg)))
			die(err.msg);
		load[i] = t.nr_ev / ((cpu_ns() - t0) / 1e9);
		trace_free(&t);

		t0 = cpu_ns();
		if (trace_reader_open(argv[optind], 0, &r, err.msg,
				      sizeof(err.msg)) ||
		    replay_open_stream(&rp, r, "classic", &err))
			die(err.msg);
		rp.quiet = true;
		if (replay_all(&rp, &err) < 0)
			die(err.msg);
		n = rp.next;
		replay_close(&rp);
		trace_reader_close(r);
		rep[i] = n / ((cpu_ns() - t0) / 1e9);
	}
	printf("%s: %lu events\n", argv[optind], (unsigned long)n);
	print("decode", dec, reps);
	print("load", load, reps);
	print("replay", rep, reps);
	return 0;
}
