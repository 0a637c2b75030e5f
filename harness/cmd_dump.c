// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab dump [--salvage] TRACE		any trace as text on stdout
 * rmaplab undump [--salvage] -o OUT TRACE	any trace as binary (v2)
 * rmaplab convert [--salvage] IN -o OUT	the same: v1 or text to v2
 *
 * All three stream: one block of the input in memory at a time.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "traces/outfile.h"
#include "traces/trace.h"

static const char *const dump_synopsis[] = { "[--salvage] TRACE", NULL };
static const char *const undump_synopsis[] = {
	"[--salvage] -o OUT.rmt TRACE", NULL,
};
static const char *const convert_synopsis[] = {
	"[--salvage] IN -o OUT.rmt", NULL,
};

#define SALVAGE_OPT { "--salvage", "a trace cut short (no end line or " \
	"end block,\na damaged block): use its complete prefix and say so,\n" \
	"instead of refusing it" }

static const struct cmd_opt dump_opts[] = {
	SALVAGE_OPT,
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const struct cmd_opt undump_opts[] = {
	{ "-o, --output FILE", "the binary trace to write ('-': standard "
	  "output);\nwritten beside it under a temporary name,\nrenamed "
	  "when whole" },
	SALVAGE_OPT,
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const dump_examples[] = {
	"rmaplab dump traces/corpus/zygote.rmt | less",
	"rmaplab dump --salvage cut.rmt > cut.trace", NULL,
};
static const char *const undump_examples[] = {
	"rmaplab undump -o case.rmt case.trace", NULL,
};
static const char *const convert_examples[] = {
	"rmaplab convert old-v1.rmt -o new.rmt",
	"rmaplab convert t.rmt -o t.rmt      # in place: renamed when whole",
	NULL,
};

const struct cmd_doc dump_doc = {
	.name = "dump",
	.summary = "print any trace as text",
	.synopsis = dump_synopsis,
	.description =
	"Prints TRACE, binary or text ('-': standard input), in the text\n"
	"form of traces/FORMAT.md, which replays exactly like the binary one,\n"
	"one block at a time.  The last line, 'end N', is printed only when\n"
	"TRACE was whole.",
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
	"the binary format of traces/FORMAT.md (version 2, zstd level 3).",
	.opts = undump_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = undump_examples,
};

const struct cmd_doc convert_doc = {
	.name = "convert",
	.summary = "rewrite any trace (text, binary v1) as binary v2",
	.synopsis = convert_synopsis,
	.description =
	"Reads IN and writes it as binary version 2, compressed for keeping\n"
	"(zstd level 19): the bundled corpus is stored so.  OUT may be IN.",
	.opts = undump_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = convert_examples,
};

static int open_in(const char *path, unsigned int flags,
		   struct trace_reader **r)
{
	char err[600];

	if (trace_reader_open(path, flags, r, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

/* The reader's verdict at the end: 0, or 2 after one line. */
static int finish(struct trace_reader *r, int ret, const char *err,
		  const char *what)
{
	const char *why = trace_reader_incomplete(r);

	if (ret < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (why)
		fprintf(stderr, "%s; --salvage: %s the %zu complete events\n",
			why, what, trace_reader_base(r) +
			trace_reader_window(r)->nr_ev);
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "salvage", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int flags = 0;
	struct trace_reader *r;
	const struct trace *w;
	size_t i, nr = 0;
	char err[600];
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			cmd_help(stdout, &dump_doc);
			return 0;
		}
		if (c != 'S')
			return cmd_usage_error(&dump_doc);
		flags |= TRACE_SALVAGE;
	}
	if (optind != argc - 1)
		return cmd_usage_error(&dump_doc);
	if (open_in(argv[optind], flags, &r))
		return 2;
	w = trace_reader_window(r);
	trace_write_text_header(stdout, w);
	while ((ret = trace_reader_next(r, err, sizeof(err))) > 0) {
		for (i = 0; i < w->nr_ev; i++)
			if (trace_write_event_text(stdout, w, &w->ev[i]))
				break;
		nr += w->nr_ev;
	}
	ret = finish(r, ret, err, "dumped");
	trace_reader_close(r);
	/* without its end line, a cut dump cannot pass for a whole one */
	if (!ret)
		trace_write_text_end(stdout, nr);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "rmaplab: dump: write error: %s\n",
			strerror(errno));
		ret = 2;
	}
	return ret;
}

static int rewrite(const char *in, const char *out, unsigned int flags,
		   int level)
{
	struct trace_writer *tw;
	struct trace_reader *r;
	const struct trace *w;
	struct outfile o;
	char err[600];
	size_t i;
	int ret;

	if (open_in(in, flags, &r))
		return 2;
	if (!strcmp(out, "-"))
		out = "/dev/stdout";	/* written directly, as a pipe */
	if (outfile_open(&o, out, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		trace_reader_close(r);
		return 2;
	}
	w = trace_reader_window(r);
	tw = trace_writer_open(o.f, &w->hdr);
	trace_writer_set_level(tw, level);
	while ((ret = trace_reader_next(r, err, sizeof(err))) > 0)
		for (i = 0; i < w->nr_ev; i++)
			if (trace_writer_put(tw, w, &w->ev[i]))
				break;
	ret = finish(r, ret, err, "wrote");
	if (ret) {
		trace_writer_close(tw, w);
		outfile_abort(&o);
	} else if (outfile_commit(&o, trace_writer_close(tw, w), err,
				  sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		ret = 2;
	}
	trace_reader_close(r);
	return ret;
}

/* "[--salvage] -o OUT IN" in any order. */
static int rewrite_cmd(int argc, char **argv, int level,
		       const struct cmd_doc *d)
{
	static const struct option opts[] = {
		{ "salvage", no_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	unsigned int flags = 0;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'h') {
			cmd_help(stdout, d);
			return 0;
		}
		if (c == 'S')
			flags |= TRACE_SALVAGE;
		else if (c == 'o' && !out && *optarg)
			out = optarg;
		else
			return cmd_usage_error(d);
	}
	if (!out || optind != argc - 1)
		return cmd_usage_error(d);
	return rewrite(argv[optind], out, flags, level);
}

int cmd_undump(int argc, char **argv)
{
	return rewrite_cmd(argc, argv, 3, &undump_doc);
}

int cmd_convert(int argc, char **argv)
{
	return rewrite_cmd(argc, argv, TRACE_KEEP_LEVEL, &convert_doc);
}
