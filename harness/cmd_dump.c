// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab dump TRACE		any trace (text or binary) as text on stdout
 * rmaplab undump -o OUT TRACE	any trace as binary, written to OUT
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "traces/trace.h"

static const char *const dump_synopsis[] = { "TRACE", NULL };
static const char *const undump_synopsis[] = { "-o OUT.rmt TRACE", NULL };

static const struct cmd_opt dump_opts[] = {
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const struct cmd_opt undump_opts[] = {
	{ "-o, --output FILE", "the binary trace to write ('-': standard "
	  "output)" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const dump_examples[] = {
	"rmaplab dump traces/corpus/zygote.rmt | less", NULL,
};
static const char *const undump_examples[] = {
	"rmaplab undump -o case.rmt case.trace", NULL,
};

const struct cmd_doc dump_doc = {
	.name = "dump",
	.summary = "print any trace as text",
	.synopsis = dump_synopsis,
	.description =
	"Prints TRACE, binary or text ('-': standard input), in the text\n"
	"form of traces/FORMAT.md, which replays exactly like the binary one.",
	.opts = dump_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = dump_examples,
};

const struct cmd_doc undump_doc = {
	.name = "undump",
	.summary = "write any trace in the binary format",
	.synopsis = undump_synopsis,
	.description =
	"Reads TRACE, text or binary ('-': standard input), and writes it in\n"
	"the binary format of traces/FORMAT.md.",
	.opts = undump_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = undump_examples,
};

static int load(const char *path, struct trace *t)
{
	char err[512];

	if (trace_load(path, t, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/* -1: go on; else the exit status.  *out gets -o's argument. */
static int parse(int argc, char **argv, const struct cmd_doc *d,
		 const char **out)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, out ? "o:h" : "h", opts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			if (!out)	/* dump writes to standard output */
				return cmd_usage_error(d);
			*out = optarg;
			break;
		case 'h':
			cmd_help(stdout, d);
			return 0;
		default:
			return cmd_usage_error(d);
		}
	}
	if (optind != argc - 1 || (out && !*out))
		return cmd_usage_error(d);
	return -1;
}

int cmd_dump(int argc, char **argv)
{
	struct trace t;
	int ret;

	ret = parse(argc, argv, &dump_doc, NULL);
	if (ret >= 0)
		return ret;
	if (load(argv[optind], &t))
		return 2;
	ret = 0;
	if (trace_write_text(stdout, &t) || fflush(stdout)) {
		fprintf(stderr, "rmaplab: dump: write error: %s\n",
			strerror(errno));
		ret = 2;
	}
	trace_free(&t);
	return ret;
}

int cmd_undump(int argc, char **argv)
{
	const char *out = NULL;
	struct trace t;
	FILE *f;
	int ret;

	ret = parse(argc, argv, &undump_doc, &out);
	if (ret >= 0)
		return ret;
	if (load(argv[optind], &t))
		return 2;
	ret = 0;
	f = strcmp(out, "-") ? fopen(out, "wb") : stdout;
	if (!f) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		trace_free(&t);
		return 2;
	}
	if (trace_write_binary(f, &t)) {
		fprintf(stderr, "%s: write error\n", out);
		ret = 2;
	}
	if ((f == stdout ? fflush(f) : fclose(f)) && !ret) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		ret = 2;
	}
	trace_free(&t);
	return ret;
}
