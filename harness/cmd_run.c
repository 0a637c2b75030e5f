// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab run [--scheme S] [--maps] [--sharing] [--stats] [--pgoff]
 *             [--check] [--salvage] TRACE
 *
 * The trace is streamed: one block of it in memory beside the model.
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
		"[--stats] [--pgoff] [--check] [--salvage] TRACE\n"
		"  --scheme S  classic (default), lazy, cowctx, oracle; "
		"variants after ':'\n"
		"  --maps      VMAs of every live process, /proc/PID/maps "
		"format\n"
		"  --sharing   for every present anon page, who maps it "
		"(scheme's walk)\n"
		"  --stats     stat NAME LIVE PEAK BYTES per object type\n"
		"  --pgoff     with --maps, show anonymous VMAs' vm_pgoff\n"
		"  --check     run the scheme's invariant checker after "
		"every event\n"
		"  --salvage   replay the complete prefix of a trace cut "
		"short, and say so\n");
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
		{ "salvage", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scheme = "classic";
	bool maps = false, sharing = false, stats = false, pgoff = false;
	bool check = false;
	unsigned int flags = 0;
	struct trace_reader *src;
	const char *why;
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
		case 'V':
			flags |= TRACE_SALVAGE;
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
	if (trace_reader_open(argv[optind], flags, &src, err.msg,
			      sizeof(err.msg))) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	if (replay_open_stream(&r, src, scheme, &err)) {
		fprintf(stderr, "rmaplab run: %s\n", err.msg);
		trace_reader_close(src);
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
		trace_reader_close(src);
		return 2;
	}
	why = trace_reader_incomplete(src);
	if (why)
		fprintf(stderr, "%s; --salvage: replayed the %zu complete "
			"events\n", why, r.next);
	if (maps)
		print_maps(stdout, r.w, pgoff);
	if (sharing) {
		if (maps)
			printf("-- sharing\n");
		print_sharing(stdout, r.w, NULL);
	}
	if (stats)
		print_stats(stdout, r.w);
	ret = (ret == -2 || r.divergences) ? 1 : 0;
	replay_close(&r);
	trace_reader_close(src);
	return ret;
}
