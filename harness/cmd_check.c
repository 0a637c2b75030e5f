// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab check [--scheme S]... [--paranoid] [--every-event] [--objects]
 *               [--minimise-out FILE] [--minimise-time S] [--no-minimise]
 *               [TRACE...]
 * rmaplab check --random N [--seed S] [--events E] [--scheme S]...
 *
 * Replays every trace with every scheme and verifies the walks against
 * the page tables, every scheme against the oracle and the trace's kernel
 * checkpoints against the model (harness/check.h).  Every disagreement is
 * counted; the first failure and the first design finding are described
 * and minimised (harness/minimise.h).
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
#include "harness/replay.h"
#include "harness/corpus.h"
#include "harness/gen_model.h"
#include "harness/minimise.h"
#include "traces/outfile.h"
#include "harness/registry.h"
#include "traces/expected.h"

#define MAX_SCHEMES	16

/* A finding kept for the minimiser, with a private copy of its trace. */
struct kept {
	bool have;
	struct trace t;
	struct check_finding f;
};

struct check_cmd {
	const char *schemes[MAX_SCHEMES];
	size_t nr_schemes;
	struct check_opts o;
	const char *minimise_out;	/* NULL: stdout only */
	unsigned int minimise_time;
	bool minimise;
	bool expected;			/* append FILE.expected when present */
	struct kept failure, design;
	bool have_error, have_init_error, have_unsupported;
};

static const char *const check_synopsis[] = {
	"[--scheme S]... [--paranoid] [--every-event] [--objects]",
	" [--minimise-out FILE] [--minimise-time S] [--no-minimise]",
	" [--no-expected]",
	" [TRACE...]",
	"--random N [--seed S] [--events E] [--scheme S]...",
	NULL,
};

static const struct cmd_opt check_opts[] = {
	{ "-s, --scheme S", "a scheme to check (repeat; default: above)" },
	{ "--kernel-version X.Y[.Z]", "model that release's behaviour where "
	  "it differs\nfrom 6.18 (default: the trace's kernel)" },
	{ "--paranoid", "run each scheme's invariant checker after every "
	  "event" },
	{ "--every-event", "compare walks with the oracle after every "
	  "event" },
	{ "--objects", "object counts that differ from a checkpoint's are "
	  "failures" },
	{ "--minimise-out FILE", "also write the minimal trace to FILE\n"
	  "('-': only standard output, the default)" },
	{ "--minimise-time S", "seconds the minimiser may take (default 60);\n"
	  "it says when it stopped early" },
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

static const char *check_subst(const char *key)
{
	return !strcmp(key, "SCHEMES") ?
	       scheme_defaults_text(SCHEME_SET_CHECK) : "";
}

const struct cmd_doc check_doc = {
	.name = "check",
	.summary = "verify every scheme's rmap walks",
	.synopsis = check_synopsis,
	.description =
	"Replays every TRACE ('-': standard input) with every scheme (by\n"
	"default, from schemes/table: @SCHEMES@) and\n"
	"verifies each scheme's walks against the page tables, its world\n"
	"against an oracle world of its own (so no verdict depends on which\n"
	"other schemes run) and the model against the trace's kernel\n"
	"checkpoints: VMA layout, sharing, folio sizes, syscall results.\n"
	"Every check runs for every scheme.  Every disagreement is counted\n"
	"per trace, scheme and kind, and the first three described.  A\n"
	"difference a scheme makes from mainline by design\n"
	"(SCHEME_LAYOUT_BY_DESIGN: lazy's merges) is a design finding, not\n"
	"a failure.\n"
	"\n"
	"The first failure and the first design finding are cut down to a\n"
	"minimal text trace, printed on standard output.  A disagreement\n"
	"with the kernel's recorded state is minimised on the running\n"
	"kernel (kernel-run) when the trace names it and we are root; else\n"
	"it is cut to the events of its range and processes, and said to be\n"
	"unconfirmed on a kernel.\n"
	"\n"
	"No TRACE: the bundled corpus (traces/corpus/, its arm64/\n"
	"recordings included, and tests/data/kernel-vectors/, found in\n"
	"$RMAPLAB_SRCDIR or the current directory).  A trace without\n"
	"checkpoints (an imported one) is checked against the oracle only,\n"
	"after each fork and exec and before each exit; check says so, with\n"
	"what its recorder could not know.  At each checkpoint of a\n"
	"recording (rmaplab record), the reclaim and swap-ins the kernel did\n"
	"on its own since the last one are replayed first, through each\n"
	"scheme's walk, and said so.",
	.opts = check_opts,
	.exits = EXIT_OK_BIT | EXIT_DISAGREE_BIT | EXIT_BADINPUT_BIT |
		 EXIT_UNSUPPORTED_BIT,
	.exit_note = "1: a failure, a disagreement not made by design.\n"
		"2 also when a scheme could not be initialised.\n"
		"3: no failure, but a trace uses a feature the model does not\n"
		"implement, said as \"unsupported: FILE: event N: FEATURE\";\n"
		"differences from the kernel after it are not judged.",
	.subst = check_subst,
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

static void keep(struct kept *k, const struct trace *t,
		 const struct check_finding *f)
{
	size_t i;

	if (k->have)
		return;
	k->have = true;
	k->f = *f;
	/* A private copy: the caller frees its trace. */
	trace_init(&k->t);
	k->t.hdr = t->hdr;
	snprintf(k->t.path, sizeof(k->t.path), "%s", t->path);
	for (i = 0; i < t->nr_files; i++)
		trace_file_id(&k->t, t->files[i]);
	for (i = 0; i < t->nr_ev; i++) {
		const struct trace_event *ev = &t->ev[i];

		if (ev->type == EV_CHECKPOINT) {
			const struct trace_checkpoint *cp = &t->cps[ev->cp];
			struct trace_checkpoint *n;
			size_t p, j;

			n = trace_new_checkpoint(&k->t, ev->pid,
						 cp->reason);
			n->anon_vma = cp->anon_vma;
			n->anon_vma_chain = cp->anon_vma_chain;
			n->has_pfns = cp->has_pfns;
			k->t.ev[k->t.nr_ev - 1].line = ev->line;
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
		*trace_append(&k->t) = *ev;
	}
}

/* Check one loaded trace; prints its summary. */
static void check_one(struct check_cmd *cc, const char *name,
		      const struct trace *t, bool summary_always)
{
	struct check_opts o = cc->o;
	struct check_result res;
	size_t i;

	/*
	 * Without the kernel's state (an imported or hand-written trace)
	 * only the oracle and the other schemes can be compared with, at
	 * the points the recorder would have taken checkpoints at; say so.
	 */
	if (!t->nr_cps && summary_always) {
		o.at_task_events = true;
		printf("%s: no kernel checkpoints (recorder %s):\n  walks "
		       "checked against the page tables and the oracle "
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
	if (summary_always || check_failed(&res) || check_init_failed(&res) ||
	    res.unsupported)
		check_print_summary(stdout, name, &res);
	if (check_init_failed(&res))
		cc->have_init_error = true;
	cc->have_unsupported |= res.unsupported != 0;
	if (check_failed(&res)) {
		printf("%s: FAIL: %s %s: %s\n", name, res.first.scheme,
		       check_kind_name(res.first.kind), res.first.what);
		keep(&cc->failure, t, &res.first);
	}
	for (i = 0; i < res.nr && !cc->design.have; i++)
		if (res.s[i].first_design.kind != CHECK_OK)
			keep(&cc->design, t, &res.s[i].first_design);
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
	for (i = 0; i < n && !cc->failure.have; i++) {
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
	       walks, cc->failure.have ? "FAIL" : "ok");
}

/* ---- the command ---------------------------------------------------- */

/* Describe and minimise a kept finding (@what: "disagreement"). */
static void report_kept(struct check_cmd *cc, struct kept *k,
			const char *what)
{
	struct minimise_stats st;
	char err[PATH_MAX + 100];
	struct outfile o;
	struct trace min;

	printf("first %s: %s %s: %s\n", what, k->f.scheme,
	       check_kind_name(k->f.kind), k->f.what);
	if (!cc->minimise)
		return;
	if (minimise_trace_within(&k->t, &k->f, &min, &st, cc->minimise_time))
		printf("the %s does not show with %s alone; the whole trace "
		       "is kept\n", what, k->f.scheme);
	/* Printed below; a file only on request, never in the cwd unasked. */
	if (cc->minimise_out && strcmp(cc->minimise_out, "-") &&
	    (outfile_open(&o, cc->minimise_out, err, sizeof(err)) ||
	     outfile_commit(&o, minimise_write(o.f, &min, &k->f, &st), err,
			    sizeof(err)))) {
		fprintf(stderr, "rmaplab check: %s\n", err);
		cc->have_error = true;
	}
	printf("%s trace (%zu of %zu events)%s%s%s:\n",
	       st.range_cut ? "cut" : st.cut_only ? "prefix" : "minimal",
	       st.to, st.from,
	       st.stopped_early ? ", minimising stopped at its limit" : "",
	       cc->minimise_out && strcmp(cc->minimise_out, "-") &&
	       !cc->have_error ? ", written to " : "",
	       cc->minimise_out && strcmp(cc->minimise_out, "-") &&
	       !cc->have_error ? cc->minimise_out : "");
	minimise_write(stdout, &min, &k->f, &st);
	trace_free(&min);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "kernel-version", required_argument, NULL, 'K' },
		{ "paranoid", no_argument, NULL, 'p' },
		{ "every-event", no_argument, NULL, 'e' },
		{ "objects", no_argument, NULL, 'o' },
		{ "minimise-out", required_argument, NULL, 'm' },
		{ "minimise-time", required_argument, NULL, 'T' },
		{ "no-minimise", no_argument, NULL, 'n' },
		{ "no-expected", no_argument, NULL, 'x' },
		{ "random", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 'S' },
		{ "events", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_cmd cc = {
		.minimise_time = MINIMISE_DEFAULT_SECONDS,
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
		case 'K':
			if (replay_set_kernel_version(optarg)) {
				fprintf(stderr, "rmaplab: check: "
					"--kernel-version '%s': want X.Y or X.Y.Z\n",
					optarg);
				return 2;
			}
			break;
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
		case 'T':
			errno = 0;
			end = NULL;
			nr_random = strtoul(optarg, &end, 0);
			if (errno || !end || *end || optarg[0] == '-' ||
			    !nr_random || nr_random > 86400) {
				fprintf(stderr, "rmaplab check: "
					"--minimise-time: expected 1..86400 "
					"seconds, not '%s'\n", optarg);
				return 2;
			}
			cc.minimise_time = nr_random;
			nr_random = 0;
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
		cc.nr_schemes = scheme_defaults(SCHEME_SET_CHECK, cc.schemes,
						MAX_SCHEMES);

	if (random) {
		if (optind != argc)
			return cmd_usage_error(&check_doc);
		check_random(&cc, nr_random, seed, events);
	} else if (optind == argc) {
		/* The recorded corpus, every arch, and the kernel vectors. */
		corpus_list = corpus_find_all(true, &nr_corpus, NULL, 0);
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

	if (cc.design.have) {
		report_kept(&cc, &cc.design, "design finding");
		trace_free(&cc.design.t);
	}
	if (cc.failure.have) {
		report_kept(&cc, &cc.failure, "disagreement");
		trace_free(&cc.failure.t);
	}
	if (cc.have_error || cc.have_init_error)
		return 2;
	if (cc.failure.have)
		return 1;
	return cc.have_unsupported ? 3 : 0;
}
