// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab run: replay one trace through one scheme (run_doc below).
 * The trace is streamed: one block of it in memory beside the model.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/output.h"
#include "harness/replay.h"

static const char *const run_synopsis[] = {
	"[--scheme S] [--maps [--pgoff]] [--sharing] [--stats]",
	" [--check] [--salvage] TRACE",
	NULL,
};

static const struct cmd_opt run_opts[] = {
	{ "-s, --scheme S", "a scheme of schemes/table or the oracle "
	  "(default: the\ntable's run set, above); variants after ':'" },
	{ "--kernel-version X.Y[.Z]", "model that release's behaviour where "
	  "it differs\nfrom 6.18 (default: the trace's kernel)" },
	{ "--maps", "at the end, \"== PID\" and the VMAs of every live "
	  "process\nin /proc/PID/maps form, in pid order" },
	{ "--sharing", "at the end, for every present anon page, every "
	  "mapping\nthe scheme's walk found: \"PID:ADDR PID:ADDR ...\"" },
	{ "--stats", "at the end, \"stat NAME LIVE PEAK BYTES ALLOCS "
	  "FREES\"\nper object type the scheme accounts" },
	{ "--pgoff", "with --maps, show anonymous VMAs' vm_pgoff too" },
	{ "--check", "run the scheme's invariant checker after every "
	  "event" },
	{ "--salvage", "replay the complete prefix of a trace cut short (no "
	  "end\nline or end block, a damaged block) and say so" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const run_examples[] = {
	"rmaplab run --scheme lazy --maps --sharing traces/corpus/zygote.rmt",
	"rmaplab dump t.rmt | rmaplab run --stats -",
	NULL,
};

static const char *run_subst(const char *key)
{
	const char *s = "";

	if (!strcmp(key, "SCHEME"))
		scheme_defaults(SCHEME_SET_RUN, &s, 1);
	return s;
}

const struct cmd_doc run_doc = {
	.name = "run",
	.summary = "replay a trace through one scheme",
	.synopsis = run_synopsis,
	.description =
	"Replays TRACE ('-': standard input) through one scheme.  Without an\n"
	"output flag it prints one line: the trace, the scheme, the events\n"
	"replayed, the processes, VMAs and anon folios at the end and the\n"
	"results that differed from the kernel's.  Each such divergence is\n"
	"also described on standard error, and so is each feature the model\n"
	"does not implement (\"unsupported: FILE: event N: FEATURE\"), whose\n"
	"result is not compared.  Default scheme: @SCHEME@.",
	.opts = run_opts,
	.exits = EXIT_OK_BIT | EXIT_DISAGREE_BIT | EXIT_BADINPUT_BIT |
		 EXIT_UNSUPPORTED_BIT,
	.exit_note = "1: a result the model computed differs from the one "
		"the kernel returned,\nor --check found a broken invariant.\n"
		"3: the trace uses a feature the model does not implement and "
		"no\ninvariant broke (a divergence after it may be its effect).",
	.examples = run_examples,
	.subst = run_subst,
};

/* What `run` prints when asked for nothing else. */
static void print_summary(FILE *f, const struct replay *r)
{
	unsigned long live = 0, vmas = 0;
	size_t i;

	for (i = 0; i < r->w->nr_tasks; i++)
		live += r->w->tasks[i].alive;
	if (r->w->cls_vma >= 0)
		vmas = r->w->acct.cls[r->w->cls_vma].live;
	fprintf(f, "%s: %s: %zu events, %lu of %zu processes live, %lu "
		"VMAs, %lu anon folios, %lu divergences from the kernel\n",
		r->t->path, r->spec.name, r->next, live, r->w->nr_tasks,
		vmas, r->w->nr_folios, r->divergences);
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "kernel-version", required_argument, NULL, 'K' },
		{ "maps", no_argument, NULL, 'm' },
		{ "sharing", no_argument, NULL, 'S' },
		{ "stats", no_argument, NULL, 't' },
		{ "pgoff", no_argument, NULL, 'p' },
		{ "check", no_argument, NULL, 'c' },
		{ "salvage", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *scheme = NULL;
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
		case 'K':
			if (replay_set_kernel_version(optarg)) {
				fprintf(stderr, "rmaplab: run: "
					"--kernel-version '%s': want X.Y or X.Y.Z\n",
					optarg);
				return 2;
			}
			break;
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
			cmd_help(stdout, &run_doc);
			return 0;
		default:
			return cmd_usage_error(&run_doc);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(&run_doc);
	if (trace_reader_open(argv[optind], flags, &src, err.msg,
			      sizeof(err.msg))) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	if (!scheme)
		scheme_defaults(SCHEME_SET_RUN, &scheme, 1);
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
	if (!maps && !sharing && !stats)
		print_summary(stdout, &r);
	/* A divergence after a feature the model lacks may be its effect. */
	ret = ret == -2 ? 1 : r.unsupported ? 3 : r.divergences ? 1 : 0;
	replay_close(&r);
	trace_reader_close(src);
	return ret;
}
