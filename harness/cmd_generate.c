// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab generate forktree --events N [--seed S] -o OUT
 *
 * Writes the generated benchmark trace (harness/gen_forktree.h) that
 * harness/bench times, so `rmaplab run` can be timed on it end to end.
 * OUT is binary v2, or text when it ends in ".trace".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/gen_forktree.h"
#include "traces/outfile.h"

static const char *const generate_synopsis[] = {
	"forktree [--events N] [--seed S] -o OUT", NULL,
};

static const struct cmd_opt generate_opts[] = {
	{ "--events N", "at least N events (default 1000000)" },
	{ "--seed S", "the generator's seed (default 0)" },
	{ "-o, --output FILE", "the trace to write: binary v2, text when it "
	  "ends in\n.trace; renamed into place when whole" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const generate_examples[] = {
	"rmaplab generate forktree --events 1000000 -o ft.rmt",
	"rmaplab run --scheme classic ft.rmt", NULL,
};

const struct cmd_doc generate_doc = {
	.name = "generate",
	.summary = "write the generated fork-tree benchmark trace",
	.synopsis = generate_synopsis,
	.description =
	"Writes the server-like fork-tree trace of harness/gen_forktree.h,\n"
	"the one harness/bench times, so a replay can be timed end to end\n"
	"(harness/bench/trace_speed.sh).",
	.opts = generate_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = generate_examples,
};

static int number(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || *end || !*s || s[0] == '-' ? -1 : 0;
}

static bool is_text(const char *path)
{
	size_t n = strlen(path);

	return n > 6 && !strcmp(path + n - 6, ".trace");
}

int cmd_generate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "events", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long events = 1000000, seed;
	struct forktree_params p;
	const char *out = NULL;
	struct outfile o;
	struct trace t;
	char err[600];
	int c, werr;

	forktree_defaults(&p);
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cmd_help(stdout, &generate_doc);
			return 0;
		case 'n':
			if (number(optarg, &events) || !events ||
			    events > 1UL << 32)
				goto usage;
			break;
		case 's':
			if (number(optarg, &seed))
				goto usage;
			p.seed = seed;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (!out || optind != argc - 1 || strcmp(argv[optind], "forktree"))
		goto usage;
	if (outfile_open(&o, out, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	forktree_trace(&t, &p, events);
	werr = is_text(out) ? trace_write_text(o.f, &t) :
	       trace_write_binary_level(o.f, &t, TRACE_KEEP_LEVEL);
	trace_free(&t);
	if (outfile_commit(&o, werr, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	return 0;
usage:
	return cmd_usage_error(&generate_doc);
}
