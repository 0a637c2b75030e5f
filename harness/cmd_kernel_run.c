// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab kernel-run: execute a text trace on this kernel and write what
 * the kernel did, or generate random histories and do the same for each.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/cmds.h"
#include "traces/expected.h"
#include "traces/gen_random.h"
#include "traces/kernel_run.h"
#include "traces/trace.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: rmaplab kernel-run [-o OUT] [--expected FILE] "
		"[--every-event]\n"
		"                          [--no-objects] TRACE\n"
		"       rmaplab kernel-run --generate SEED[:COUNT] "
		"[--events N] [--no-run] [--swap]\n"
		"                          [--no-objects] -o DIR\n"
		"Runs TRACE on this kernel, one process per PID label, and "
		"writes it with\nthe kernel's results and end state (OUT.rmt: "
		"binary, else text; default\nstdout).  --expected writes the "
		"end state in the kernel-vectors form.\n--generate writes "
		"DIR/random-SEED.trace and .expected for COUNT seeds\n"
		"(default 1) of N events (default %d); --swap adds reclaim "
		"and pageout.\nNeeds root and tracefs (swap events: a swap "
		"file and a memory cgroup).\n", GEN_DEFAULT_EVENTS);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int write_result(const struct krun_result *res, const char *out,
			const char *expected)
{
	const struct trace_checkpoint *cp = krun_final(res);
	FILE *f = stdout;
	int ret;

	if (out) {
		f = fopen(out, "w");
		if (!f) {
			fprintf(stderr, "rmaplab: %s: %s\n", out,
				strerror(errno));
			return 2;
		}
	}
	if (out && ends_with(out, ".rmt"))
		ret = trace_write_binary(f, &res->out);
	else
		ret = krun_write_text(f, res);
	if ((out && fclose(f)) || (!out && fflush(f)) || ret) {
		fprintf(stderr, "rmaplab: %s: write error\n",
			out ? out : "stdout");
		return 2;
	}
	if (!expected)
		return 0;
	f = fopen(expected, "w");
	if (!f) {
		fprintf(stderr, "rmaplab: %s: %s\n", expected,
			strerror(errno));
		return 2;
	}
	ret = cp ? checkpoint_write_expected(f, cp) : -1;
	if (fclose(f) || ret) {
		fprintf(stderr, "rmaplab: %s: write error\n", expected);
		return 2;
	}
	return 0;
}

static int parse_seeds(const char *s, uint64_t *seed, uint64_t *count)
{
	char *end;

	errno = 0;
	*seed = strtoull(s, &end, 0);
	*count = 1;
	if (errno || end == s)
		return -1;
	if (*end == ':') {
		s = end + 1;
		*count = strtoull(s, &end, 0);
		if (errno || end == s || !*count)
			return -1;
	}
	return *end ? -1 : 0;
}

static int generate(const char *spec, unsigned int events, unsigned int flags,
		    bool run, const struct krun_opts *o, const char *dir)
{
	uint64_t seed, count, i;
	char path[4096], exp[4096], err[512];

	if (parse_seeds(spec, &seed, &count)) {
		fprintf(stderr, "rmaplab: kernel-run: --generate '%s': want "
			"SEED or SEED:COUNT\n", spec);
		return 2;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "rmaplab: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	if (run && krun_check_env(!o->no_objects, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	for (i = 0; i < count; i++) {
		struct krun_result res;
		struct trace t;
		int ret;

		gen_random_ex(&t, seed + i, events, flags);
		snprintf(path, sizeof(path), "%s/random-%" PRIu64 ".trace",
			 dir, seed + i);
		snprintf(exp, sizeof(exp), "%s/random-%" PRIu64 ".expected",
			 dir, seed + i);
		if (!run) {
			FILE *f = fopen(path, "w");

			ret = !f || trace_write_text(f, &t);
			if (f && fclose(f))
				ret = 1;
			trace_free(&t);
			if (ret) {
				fprintf(stderr, "rmaplab: %s: write error\n",
					path);
				return 2;
			}
			continue;
		}
		ret = kernel_run(&t, o, &res, err, sizeof(err));
		trace_free(&t);
		if (ret) {
			fprintf(stderr, "rmaplab: %s\n", err);
			return 2;
		}
		ret = write_result(&res, path, exp);
		krun_result_free(&res);
		if (ret)
			return ret;
	}
	return 0;
}

int cmd_kernel_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "expected", required_argument, NULL, 'e' },
		{ "every-event", no_argument, NULL, 'E' },
		{ "no-objects", no_argument, NULL, 'N' },
		{ "generate", required_argument, NULL, 'g' },
		{ "events", required_argument, NULL, 'n' },
		{ "no-run", no_argument, NULL, 'R' },
		{ "swap", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *expected = NULL, *gen = NULL;
	struct krun_opts o = { 0 };
	unsigned int events = 0, flags = 0;
	struct krun_result res;
	bool run = true;
	char err[512];
	struct trace t;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'e':
			expected = optarg;
			break;
		case 'E':
			o.every_event = true;
			break;
		case 'N':
			o.no_objects = true;
			break;
		case 'g':
			gen = optarg;
			break;
		case 'n':
			events = strtoul(optarg, NULL, 0);
			if (!events || events > 1000000) {
				fprintf(stderr, "rmaplab: kernel-run: --events"
					" '%s': want 1..1000000\n", optarg);
				return 2;
			}
			break;
		case 'R':
			run = false;
			break;
		case 'S':
			flags |= GEN_SWAP;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (gen) {
		if (!out || optind != argc || expected) {
			usage(stderr);
			return 2;
		}
		return generate(gen, events, flags, run, &o, out);
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (trace_load(argv[optind], &t, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	ret = kernel_run(&t, &o, &res, err, sizeof(err));
	trace_free(&t);
	if (ret) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	ret = write_result(&res, out, expected);
	krun_result_free(&res);
	return ret;
}
