// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab run [--scheme S] [--maps] [--sharing] [--stats] [--pgoff]
 *             [--check] TRACE
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/output.h"
#include "harness/replay.h"

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: rmaplab run [--scheme S] [--maps] [--sharing] "
		"[--stats] [--pgoff] [--check] TRACE\n"
		"  --scheme S  a scheme (default %s); variants after ':'\n"
		"  --maps      VMAs of every live process, /proc/PID/maps "
		"format\n"
		"  --sharing   for every present anon page, who maps it "
		"(scheme's walk)\n"
		"  --stats     stat NAME LIVE PEAK BYTES per object type\n"
		"  --pgoff     with --maps, show anonymous VMAs' vm_pgoff\n"
		"  --check     run the scheme's invariant checker after "
		"every event\n"
		"Exit status: 0 the model computed every result the kernel "
		"returned; 1 a result\n"
		"differs (or an invariant broke); 2 bad input; 3 the trace "
		"uses a feature the\n"
		"model does not implement (`unsupported:` lines), and no "
		"invariant broke.\n",
		scheme_defaults_text(SCHEME_SET_RUN));
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "maps", no_argument, NULL, 'm' },
		{ "sharing", no_argument, NULL, 'S' },
		{ "stats", no_argument, NULL, 't' },
		{ "pgoff", no_argument, NULL, 'p' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scheme = NULL;
	bool maps = false, sharing = false, stats = false, pgoff = false;
	bool check = false;
	struct trace trace;
	struct replay r;
	struct errbuf err;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			scheme = optarg;
			break;
		case 'm':
			maps = true;
			break;
		case 'S':
			sharing = true;
			break;
		case 't':
			stats = true;
			break;
		case 'p':
			pgoff = true;
			break;
		case 'c':
			check = true;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		run_usage(stderr);
		return 2;
	}
	trace_init(&trace);
	if (trace_load(argv[optind], &trace, err.msg, sizeof(err.msg))) {
		fprintf(stderr, "%s\n", err.msg);
		trace_free(&trace);
		return 2;
	}
	if (!scheme)
		scheme_defaults(SCHEME_SET_RUN, &scheme, 1);
	if (replay_open(&r, &trace, scheme, &err)) {
		fprintf(stderr, "rmaplab run: %s\n", err.msg);
		trace_free(&trace);
		return 2;
	}
	while ((ret = replay_step(&r, &err)) > 0) {
		if (check && r.w->scheme->check(r.w, &err)) {
			r.next--;
			fprintf(stderr, "%s: %s invariant: %s\n",
				replay_where(&r), r.spec.name, err.msg);
			ret = -2;
			break;
		}
	}
	if (ret == -1) {
		fprintf(stderr, "%s\n", err.msg);
		replay_close(&r);
		trace_free(&trace);
		return 2;
	}
	if (maps)
		print_maps(stdout, r.w, pgoff);
	if (sharing) {
		if (maps)
			printf("-- sharing\n");
		print_sharing(stdout, r.w, NULL);
	}
	if (stats)
		print_stats(stdout, r.w);
	/* A divergence after a feature the model lacks may be its effect. */
	ret = ret == -2 ? 1 : r.unsupported ? 3 : r.divergences ? 1 : 0;
	replay_close(&r);
	trace_free(&trace);
	return ret;
}
