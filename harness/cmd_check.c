// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab check [--scheme S]... [--paranoid] [--every-event] [--objects]
 *               [--minimise-out FILE] [--no-minimise] [TRACE...]
 * rmaplab check --random N [--seed S] [--events E] [--scheme S]...
 *
 * Replays every trace with every scheme and verifies the walks against
 * the oracle, the schemes against each other and the trace's kernel
 * checkpoints against the model (harness/check.h).  The first
 * disagreement is described and minimised (harness/minimise.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/check.h"
#include "harness/cmds.h"
#include "harness/corpus.h"
#include "harness/gen_model.h"
#include "harness/minimise.h"
#include "harness/registry.h"
#include "traces/expected.h"

#define MAX_SCHEMES	16

struct check_cmd {
	const char *schemes[MAX_SCHEMES];
	size_t nr_schemes;
	struct check_opts o;
	const char *minimise_out;
	bool minimise;
	bool expected;			/* append FILE.expected when present */
	/* the first failure, kept for the minimiser */
	struct trace failed;
	struct check_finding first;
	bool have_failure, have_error, have_init_error;
};

static const char *const check_synopsis[] = {
	"[--scheme S]... [--paranoid] [--every-event] [--objects]",
	" [--minimise-out FILE] [--no-minimise] [--no-expected]",
	" [TRACE...]",
	"--random N [--seed S] [--events E] [--scheme S]...",
	NULL,
};

static const struct cmd_opt check_opts[] = {
	{ "-s, --scheme S", "a scheme to check (repeat; default: classic, "
	  "lazy, cowctx)" },
	{ "--paranoid", "run each scheme's invariant checker after every "
	  "event" },
	{ "--every-event", "compare walks with the oracle after every "
	  "event" },
	{ "--objects", "object counts that differ from a checkpoint's are "
	  "failures" },
	{ "--minimise-out FILE", "also write the minimal trace to FILE\n"
	  "('-': only standard output, the default)" },
	{ "--no-minimise", "describe the first disagreement, do not "
	  "minimise it" },
	{ "--no-expected", "do not append TRACE's .expected (kernel end "
	  "state)" },
	{ "--random N", "check N random model-only histories (implies\n"
	  "--every-event --paranoid)" },
	{ "--seed S", "first seed of --random (default 1)" },
	{ "--events E", "events per --random history" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const check_examples[] = {
	"rmaplab check",
	"rmaplab check --scheme cowctx:poc traces/corpus/zygote.rmt",
	NULL,
};

const struct cmd_doc check_doc = {
	.name = "check",
	.summary = "verify every scheme's rmap walks",
	.synopsis = check_synopsis,
	.description =
	"Replays every TRACE ('-': standard input) with every scheme and\n"
	"verifies the walks against the brute-force oracle, the schemes\n"
	"against each other and the model against the trace's kernel\n"
	"checkpoints.  The first disagreement is described and cut down to\n"
	"a minimal text trace that reproduces it, printed on standard\n"
	"output.  No TRACE: the bundled corpus (traces/corpus/ and\n"
	"tests/data/kernel-vectors/, found in $RMAPLAB_SRCDIR or the current\n"
	"directory).  A trace without checkpoints (an imported one) is\n"
	"checked against the oracle and the other schemes only, after each\n"
	"fork and exec and before each exit; check says so, with what its\n"
	"recorder could not know.",
	.opts = check_opts,
	.exits = EXIT_OK_BIT | EXIT_DISAGREE_BIT | EXIT_BADINPUT_BIT |
		 EXIT_UNSUPPORTED_BIT,
	.exit_note = "2 also when a scheme could not be initialised.",
	.examples = check_examples,
};

/* "X.trace" -> "X.expected", if that file exists. */
static bool expected_path(const char *trace, char *buf, size_t len)
{
	const char *dot = strrchr(trace, '.');
	size_t base = dot && !strchr(dot, '/') ? (size_t)(dot - trace) :
		      strlen(trace);
	struct stat st;

	if (base + sizeof(".expected") > len)
		return false;
	memcpy(buf, trace, base);
	strcpy(buf + base, ".expected");
	return strcmp(buf, trace) && !stat(buf, &st) && S_ISREG(st.st_mode);
}

static void keep_failure(struct check_cmd *cc, const struct trace *t,
			 const struct check_finding *f)
{
	size_t i;

	if (cc->have_failure)
		return;
	cc->have_failure = true;
	cc->first = *f;
	/* A private copy: the caller frees its trace. */
	trace_init(&cc->failed);
	cc->failed.hdr = t->hdr;
	snprintf(cc->failed.path, sizeof(cc->failed.path), "%s", t->path);
	for (i = 0; i < t->nr_files; i++)
		trace_file_id(&cc->failed, t->files[i]);
	for (i = 0; i < t->nr_ev; i++) {
		const struct trace_event *ev = &t->ev[i];

		if (ev->type == EV_CHECKPOINT) {
			const struct trace_checkpoint *cp = &t->cps[ev->cp];
			struct trace_checkpoint *n;
			size_t p, j;

			n = trace_new_checkpoint(&cc->failed, ev->pid,
						 cp->reason);
			n->anon_vma = cp->anon_vma;
			n->anon_vma_chain = cp->anon_vma_chain;
			n->has_pfns = cp->has_pfns;
			cc->failed.ev[cc->failed.nr_ev - 1].line = ev->line;
			for (p = 0; p < cp->nr_procs; p++) {
				struct cp_proc *np = checkpoint_add_proc(
					n, cp->procs[p].pid);

				for (j = 0; j < cp->procs[p].nr_vmas; j++)
					*cp_proc_add_vma(np) =
						cp->procs[p].vmas[j];
				for (j = 0; j < cp->procs[p].nr_pages; j++)
					*cp_proc_add_page(np) =
						cp->procs[p].pages[j];
			}
			continue;
		}
		*trace_append(&cc->failed) = *ev;
	}
}

/* Check one loaded trace; prints its summary. */
static void check_one(struct check_cmd *cc, const char *name,
		      const struct trace *t, bool summary_always)
{
	struct check_opts o = cc->o;
	struct check_result res;

	/*
	 * Without the kernel's state (an imported or hand-written trace)
	 * only the oracle and the other schemes can be compared with, at
	 * the points the recorder would have taken checkpoints at; say so.
	 */
	if (!t->nr_cps && summary_always) {
		o.at_task_events = true;
		printf("%s: no kernel checkpoints (recorder %s):\n  walks "
		       "checked against the oracle and between the schemes "
		       "only, %s%s\n", name,
		       t->hdr.recorder[0] ? t->hdr.recorder : "text",
		       o.every_event ? "after every event" : "after each fork "
		       "and exec and before each exit",
		       strstr(t->hdr.recorder, "order0") ? ";\n  folio orders "
		       "unknown, taken as 0" : "");
	}
	if (check_trace(t, cc->schemes, cc->nr_schemes, &o, &res)) {
		fprintf(stderr, "%s\n", res.error);
		cc->have_error = true;
		check_result_free(&res);
		return;
	}
	if (summary_always || check_failed(&res) || check_init_failed(&res))
		check_print_summary(stdout, name, &res);
	if (check_init_failed(&res))
		cc->have_init_error = true;
	if (check_failed(&res)) {
		printf("%s: FAIL: %s %s: %s\n", name, res.first.scheme,
		       check_kind_name(res.first.kind), res.first.what);
		keep_failure(cc, t, &res.first);
	}
	check_result_free(&res);
}

static void check_file(struct check_cmd *cc, const char *path)
{
	char exp[4096], err[512];
	struct trace t;

	trace_init(&t);
	if (trace_load(path, &t, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		cc->have_error = true;
		return;
	}
	if (cc->expected && expected_path(path, exp, sizeof(exp)) &&
	    trace_append_expected(&t, exp, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		cc->have_error = true;
		trace_free(&t);
		return;
	}
	check_one(cc, path, &t, true);
	trace_free(&t);
}

/* ---- random histories ----------------------------------------------- */

static void check_random(struct check_cmd *cc, unsigned long n,
			 uint64_t seed, unsigned int events)
{
	unsigned long i, folios = 0, walks = 0, nev = 0;
	struct check_result res;
	struct trace t;
	size_t s;

	cc->o.every_event = true;
	cc->o.paranoid = true;
	for (i = 0; i < n && !cc->have_failure; i++) {
		gen_model(&t, seed + i, events);
		if (check_trace(&t, cc->schemes, cc->nr_schemes, &cc->o,
				&res)) {
			fprintf(stderr, "%s: %s\n", t.path, res.error);
			cc->have_error = true;
			check_result_free(&res);
			trace_free(&t);
			break;
		}
		for (s = 0; s < res.nr; s++) {
			folios += res.s[s].folios;
			walks += res.s[s].walks;
		}
		nev += t.nr_ev;
		if (check_failed(&res) || (!i && check_init_failed(&res)))
			check_one(cc, t.path, &t, false);
		if (check_init_failed(&res))
			cc->have_init_error = true;
		check_result_free(&res);
		trace_free(&t);
		if (i && !(i % 100000))
			fprintf(stderr, "rmaplab check: %lu histories\n", i);
	}
	printf("random: %lu histories from seed %" PRIu64 ", %lu events, "
	       "%lu folios checked, %lu walks: %s\n", i, seed, nev, folios,
	       walks, cc->have_failure ? "FAIL" : "ok");
}

/* ---- the command ---------------------------------------------------- */

static void report_failure(struct check_cmd *cc)
{
	struct minimise_stats st;
	struct trace min;
	FILE *f;

	printf("first disagreement: %s %s: %s\n", cc->first.scheme,
	       check_kind_name(cc->first.kind), cc->first.what);
	if (!cc->minimise)
		return;
	if (minimise_trace(&cc->failed, &cc->first, &min, &st))
		printf("the disagreement does not show with %s alone; the "
		       "whole trace is written\n", cc->first.scheme);
	/* Printed below; a file only on request, never in the cwd unasked. */
	if (cc->minimise_out && strcmp(cc->minimise_out, "-")) {
		f = fopen(cc->minimise_out, "w");
		if (!f || minimise_write(f, &min, &cc->first, &st)) {
			fprintf(stderr, "rmaplab check: cannot write %s: %s\n",
				cc->minimise_out, strerror(errno));
			cc->have_error = true;
		}
		if (f)
			fclose(f);
		printf("%s trace (%zu of %zu events), written to %s:\n",
		       st.cut_only ? "cut" : "minimal", st.to, st.from,
		       cc->minimise_out);
	} else {
		printf("%s trace (%zu of %zu events):\n",
		       st.cut_only ? "cut" : "minimal", st.to, st.from);
	}
	minimise_write(stdout, &min, &cc->first, &st);
	trace_free(&min);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "paranoid", no_argument, NULL, 'p' },
		{ "every-event", no_argument, NULL, 'e' },
		{ "objects", no_argument, NULL, 'o' },
		{ "minimise-out", required_argument, NULL, 'm' },
		{ "no-minimise", no_argument, NULL, 'n' },
		{ "no-expected", no_argument, NULL, 'x' },
		{ "random", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "events", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_cmd cc = {
		.minimise = true,
		.expected = true,
	};
	unsigned long nr_random = 0, events = 0;
	uint64_t seed = 1;
	bool random = false;
	struct scheme_spec spec;
	struct errbuf err;
	char **corpus_list = NULL;
	size_t nr_corpus = 0;
	char *end;
	size_t i;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (cc.nr_schemes == MAX_SCHEMES) {
				fprintf(stderr, "rmaplab check: at most %d "
					"schemes\n", MAX_SCHEMES);
				return 2;
			}
			if (scheme_lookup(optarg, &spec, &err)) {
				fprintf(stderr, "rmaplab check: %s\n",
					err.msg);
				return 2;
			}
			cc.schemes[cc.nr_schemes++] = optarg;
			break;
		case 'p':
			cc.o.paranoid = true;
			break;
		case 'e':
			cc.o.every_event = true;
			break;
		case 'o':
			cc.o.objects = true;
			break;
		case 'm':
			cc.minimise_out = optarg;
			break;
		case 'n':
			cc.minimise = false;
			break;
		case 'x':
			cc.expected = false;
			break;
		case 'r':
		case 'S':
		case 'E':
			errno = 0;
			end = NULL;
			if (c == 'S')
				seed = strtoull(optarg, &end, 0);
			else if (c == 'r')
				nr_random = strtoul(optarg, &end, 0);
			else
				events = strtoul(optarg, &end, 0);
			if (errno || !end || *end || optarg[0] == '-' ||
			    (c == 'E' && events > 1000000)) {
				fprintf(stderr, "rmaplab check: bad number "
					"'%s'\n", optarg);
				return 2;
			}
			random |= c == 'r';
			break;
		case 'h':
			cmd_help(stdout, &check_doc);
			return 0;
		default:
			return cmd_usage_error(&check_doc);
		}
	}
	if (!cc.nr_schemes)
		for (i = 0; i < nr_default_schemes; i++)
			cc.schemes[cc.nr_schemes++] = default_schemes[i];

	if (random) {
		if (optind != argc)
			return cmd_usage_error(&check_doc);
		check_random(&cc, nr_random, seed, events);
	} else if (optind == argc) {
		/* The recorded corpus and every kernel vector. */
		corpus_list = corpus_find(true, &nr_corpus, NULL, 0);
		if (!corpus_list) {
			fprintf(stderr, "rmaplab check: no bundled corpus "
				"found (set RMAPLAB_SRCDIR to the source "
				"tree)\n");
			return 2;
		}
		for (i = 0; i < nr_corpus; i++)
			check_file(&cc, corpus_list[i]);
		corpus_free(corpus_list, nr_corpus);
	} else {
		for (i = optind; i < (size_t)argc; i++)
			check_file(&cc, argv[i]);
	}

	if (cc.have_failure) {
		report_failure(&cc);
		trace_free(&cc.failed);
		return 1;
	}
	if (cc.have_error || cc.have_init_error)
		return 2;
	return 0;
}
