// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab report [-o DIR] [--email] [--repeat N] [--scheme S]...
 *                [--walk-repeat N] [--max-depth N] [--no-check]
 *                [--no-depth] [--no-contend] [--no-charts]
 *                [--no-sensitivity] [--quiet]
 *                [TRACE...]
 *
 * Gathers everything a design discussion on linux-mm needs and hands it
 * to reports/: every trace replayed with every scheme (memory, walks,
 * locks, operation costs) N times for the timings, the checker's verdict
 * with a minimal trace for any disagreement, walk cost on generated fork
 * chains of growing depth, and one lock contention run.  Writes
 * DIR/report.txt (also printed), DIR/report.json, one DIR/NAME.csv per
 * table and DIR/charts/.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "traces/outfile.h"
#include "harness/check.h"
#include "harness/cmds.h"
#include "harness/corpus.h"
#include "harness/sim/sim.h"
#include "harness/gen_forktree.h"
#include "harness/measure.h"
#include "harness/minimise.h"
#include "harness/registry.h"
#include "harness/results.h"
#include "harness/sensitivity.h"
#include "reports/build_commit.h"
#include "reports/build_flags.h"
#include "reports/compare.h"
#include "reports/mbox.h"
#include "reports/report.h"
#include "traces/expected.h"

#define MAX_SCHEMES	16
#define MAX_REPEAT	50
#define SERIES_SAMPLES	100
/* Longest trace the minimiser is run on (it replays many candidates). */
#define MINIMISE_MAX_EVENTS 20000
/* Longest cut trace kept in a file: longer ones are a trace's prefix. */
#define CUT_MAX_EVENTS	200
#define MAX_CC		32

struct report_args {
	const char *out;
	const char *schemes[MAX_SCHEMES];
	size_t nr_schemes;
	unsigned int repeat, walk_repeat, max_depth;
	bool email, check, depth, contend, charts, sens, quiet, compare;
	const char *to, *from, *subject;
	const char *cc[MAX_CC];
	size_t nr_cc;
};

static const char *const report_synopsis[] = {
	"[-o DIR] [--email [--to ADDR] [--cc ADDR]...",
	" [--subject TEXT] [--from ADDR]] [--repeat N]",
	" [--scheme S]... [--walk-repeat N] [--max-depth N]",
	" [--no-check] [--no-depth] [--no-contend] [--no-charts]",
	" [--no-sensitivity] [--quiet] [TRACE...]",
	"--compare DIR_A DIR_B",
	NULL,
};

static const struct cmd_opt report_opts[] = {
	{ "-o, --output DIR", "output directory (default reports/out, which "
	  "git ignores)" },
	{ "--email", "also write DIR/report.mbox, the report as a mail "
	  "that\n'git send-email DIR/report.mbox' sends" },
	{ "--to ADDR", "the mail's To: (default linux-mm@kvack.org)" },
	{ "--cc ADDR", "a Cc: of the mail (repeat; default none)" },
	{ "--subject TEXT", "the mail's subject (default: the schemes "
	  "compared)" },
	{ "--from ADDR", "the mail's From: (default $EMAIL, else "
	  "git's user)" },
	{ "--repeat N", "replays of every trace per scheme, for the "
	  "timings\n(default 5)" },
	{ "-s, --scheme S", "a scheme (repeat; the first is the baseline; "
	  "default:\nthe report set of schemes/table, above)" },
	{ "--walk-repeat N", "timed walks per folio, median kept (default "
	  "3)" },
	{ "--max-depth N", "deepest generated fork chain (default 64; 0: "
	  "none)" },
	{ "--no-check", "do not run the checker" },
	{ "--no-depth", "do not measure the generated fork chains" },
	{ "--no-contend", "no lock contention run" },
	{ "--no-charts", "do not run gnuplot" },
	{ "--no-sensitivity", "do not replay each scheme's R and C "
	  "choices" },
	{ "-q, --quiet", "do not print the report on standard output" },
	{ "--compare", "print two earlier runs' report.json side by side\n"
	  "(DIR_A is the baseline) and measure nothing" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const report_examples[] = {
	"rmaplab report",
	"rmaplab report -o /tmp/a --email --cc 'A Person <ap@example.org>'",
	"rmaplab report --compare /tmp/before /tmp/after",
	NULL,
};

static const char *report_subst(const char *key)
{
	return !strcmp(key, "SCHEMES") ?
	       scheme_defaults_text(SCHEME_SET_REPORT) : "";
}

const struct cmd_doc report_doc = {
	.name = "report",
	.summary = "the report for a design discussion: text, JSON, CSV, "
		   "charts",
	.synopsis = report_synopsis,
	.description =
	"Replays every TRACE with every scheme, by default (schemes/table)\n"
	"@SCHEMES@;\n"
	"runs the checker, measures walk cost on generated fork chains, one\n"
	"lock contention run and the headline figures under each scheme's\n"
	"R- and C-graded choices ('rmaplab schemes'), and writes\n"
	"DIR/report.txt (also printed), DIR/report.json (schema in\n"
	"reports/README.md), one CSV file per table and DIR/charts/.  No\n"
	"TRACE: the bundled corpus, every architecture's (traces/corpus/\n"
	"and its arm64/ recordings).\n"
	"\n"
	"With --compare, reads DIR_A/report.json and DIR_B/report.json and\n"
	"prints them side by side, mmtests compare-kernels style: the\n"
	"change against DIR_A, and '*' where Welch's t-test over the\n"
	"replays gives p < 0.05.",
	.opts = report_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.exit_note = "0 when the report was written: disagreements are "
		"reported in it, not in\nthe status.",
	.examples = report_examples,
	.subst = report_subst,
};

static int parse_uint(const char *arg, const char *opt, unsigned int lo,
		      unsigned int hi, unsigned int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 0);
	if (errno || end == arg || *end || n < lo || n > hi) {
		fprintf(stderr, "rmaplab report: --%s: expected a number "
			"from %u to %u, not '%s'\n", opt, lo, hi, arg);
		return -1;
	}
	*v = (unsigned int)n;
	return 0;
}

/* -1: go on; else the exit status. */
static int parse_args(int argc, char **argv, struct report_args *a)
{
	static const struct option opts[] = {
		{ "email", no_argument, NULL, 'E' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "scheme", required_argument, NULL, 's' },
		{ "walk-repeat", required_argument, NULL, 'w' },
		{ "max-depth", required_argument, NULL, 'd' },
		{ "no-check", no_argument, NULL, 'C' },
		{ "no-depth", no_argument, NULL, 'D' },
		{ "no-contend", no_argument, NULL, 'T' },
		{ "no-charts", no_argument, NULL, 'G' },
		{ "no-sensitivity", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "compare", no_argument, NULL, 'K' },
		{ "to", required_argument, NULL, 'A' },
		{ "cc", required_argument, NULL, 'B' },
		{ "subject", required_argument, NULL, 'J' },
		{ "from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	a->out = "reports/out";
	a->repeat = 5;
	a->walk_repeat = 3;
	a->max_depth = 64;
	a->check = a->depth = a->contend = a->charts = a->sens = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:s:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			a->out = optarg;
			break;
		case 'E':
			a->email = true;
			break;
		case 'r':
			if (parse_uint(optarg, "repeat", 1, MAX_REPEAT,
				       &a->repeat))
				return 2;
			break;
		case 'w':
			if (parse_uint(optarg, "walk-repeat", 1, 15,
				       &a->walk_repeat))
				return 2;
			break;
		case 'd':
			if (parse_uint(optarg, "max-depth", 0, 1024,
				       &a->max_depth))
				return 2;
			break;
		case 's':
			if (a->nr_schemes == MAX_SCHEMES) {
				fprintf(stderr, "rmaplab report: at most %d "
					"schemes\n", MAX_SCHEMES);
				return 2;
			}
			a->schemes[a->nr_schemes++] = optarg;
			break;
		case 'C':
			a->check = false;
			break;
		case 'D':
			a->depth = false;
			break;
		case 'T':
			a->contend = false;
			break;
		case 'G':
			a->charts = false;
			break;
		case 'S':
			a->sens = false;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'K':
			a->compare = true;
			break;
		case 'A':
			a->to = optarg;
			break;
		case 'B':
			if (a->nr_cc == MAX_CC) {
				fprintf(stderr, "rmaplab report: at most %d "
					"--cc\n", MAX_CC);
				return 2;
			}
			a->cc[a->nr_cc++] = optarg;
			break;
		case 'J':
			a->subject = optarg;
			break;
		case 'F':
			a->from = optarg;
			break;
		case 'h':
			cmd_help(stdout, &report_doc);
			return 0;
		default:
			return cmd_usage_error(&report_doc);
		}
	}
	return -1;
}

/* ---- trace lists ---------------------------------------------------- */

struct paths {
	char **v;
	size_t nr, cap;
};

static void paths_add(struct paths *p, const char *s)
{
	if (p->nr == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (!p->v)
			abort();
	}
	p->v[p->nr] = strdup(s);
	if (!p->v[p->nr])
		abort();
	p->nr++;
}

static void paths_free(struct paths *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

static int find_corpus(struct paths *p, char *dir, size_t len)
{
	size_t i, nr;
	char **v = corpus_find_all(false, &nr, dir, len);

	if (!v)
		return -1;
	for (i = 0; i < nr; i++)
		paths_add(p, v[i]);
	corpus_free(v, nr);
	return 0;
}

/* ---- setup ---------------------------------------------------------- */

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)len, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* "always [madvise] never" -> "madvise" */
static void bracketed(const char *path, char *out, size_t len)
{
	char line[256], *a, *b;

	read_line(path, line, sizeof(line));
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b) {
		*b = '\0';
		snprintf(out, len, "%s", a + 1);
	} else {
		snprintf(out, len, "unknown");
	}
}

static void cpu_model(char *out, size_t len)
{
	static const char *const keys[] = {
		"model name", "Hardware", "CPU part", "cpu model",
	};
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512], *colon;
	size_t k;

	snprintf(out, len, "unknown CPU");
	if (!f)
		return;
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		rewind(f);
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, keys[k], strlen(keys[k])))
				continue;
			colon = strchr(line, ':');
			if (!colon)
				continue;
			colon++;
			while (*colon == ' ' || *colon == '\t')
				colon++;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(out, len, "%s", colon);
			fclose(f);
			return;
		}
	}
	fclose(f);
}

static unsigned long mem_total_kb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long kb = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Does this machine give user space a hardware cycle counter? */
static void counters(char *out, size_t len)
{
	struct perf_event_attr pe;
	long fd;

	memset(&pe, 0, sizeof(pe));
	pe.type = PERF_TYPE_HARDWARE;
	pe.size = sizeof(pe);
	pe.config = PERF_COUNT_HW_CPU_CYCLES;
	pe.disabled = 1;
	pe.exclude_kernel = 1;
	pe.exclude_hv = 1;
	fd = syscall(SYS_perf_event_open, &pe, 0, -1, -1, 0);
	if (fd >= 0) {
		close((int)fd);
		snprintf(out, len, "hardware counters available but not used "
			 "here; times are software (clock_gettime "
			 "CLOCK_MONOTONIC), all other numbers are counts");
	} else {
		snprintf(out, len, "software only: no hardware counters "
			 "(perf_event_open of cpu-cycles: %s); times from "
			 "clock_gettime(CLOCK_MONOTONIC), all other numbers "
			 "are counts", strerror(errno));
	}
}

static void compiler(char *out, size_t len)
{
#if defined(__clang__)
	snprintf(out, len, "clang %s", __clang_version__);
#elif defined(__GNUC__)
	snprintf(out, len, "gcc %s", __VERSION__);
#else
	snprintf(out, len, "%s", RMAPLAB_COMPILER_ID);
#endif
}

static void gather_setup(struct rpt_setup *s, const struct report_args *a,
			 int argc, char **argv)
{
	struct utsname u;
	size_t len = 0;
	int i;

	cpu_model(s->cpu, sizeof(s->cpu));
	s->cores = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN);
	s->mem_kb = mem_total_kb();
	if (!uname(&u)) {
		snprintf(s->kernel, sizeof(s->kernel), "%s", u.release);
		snprintf(s->arch, sizeof(s->arch), "%s", u.machine);
	}
	s->page_size = (unsigned long)sysconf(_SC_PAGESIZE);
	bracketed("/sys/kernel/mm/transparent_hugepage/enabled", s->thp,
		  sizeof(s->thp));
	bracketed("/sys/kernel/mm/transparent_hugepage/defrag",
		  s->thp_defrag, sizeof(s->thp_defrag));
	compiler(s->compiler, sizeof(s->compiler));
	snprintf(s->cflags, sizeof(s->cflags), "%s", RMAPLAB_BUILD_FLAGS);
	snprintf(s->commit, sizeof(s->commit), "%s", RMAPLAB_COMMIT);
	counters(s->counters, sizeof(s->counters));
	s->repeats = a->repeat;
	s->walk_repeat = a->walk_repeat;
	len = snprintf(s->command, sizeof(s->command), "rmaplab");
	for (i = 0; i < argc; i++) {
		/* Leave room to say how many arguments did not fit. */
		if (len + strlen(argv[i]) + 1 >= sizeof(s->command) - 24) {
			snprintf(s->command + len, sizeof(s->command) - len,
				 " ... (%d more)", argc - i);
			break;
		}
		len += snprintf(s->command + len, sizeof(s->command) - len,
				" %s", argv[i]);
	}
}

static void scheme_desc(const char *name, char *out, size_t len)
{
	struct scheme_spec spec;
	const struct scheme_param *p;
	struct errbuf err;
	char params[192], *tok, *save;
	size_t n;

	out[0] = '\0';
	if (scheme_lookup(name, &spec, &err))
		return;
	if (!spec.params[0]) {
		snprintf(out, len, "%s", spec.scheme->summary ?
			 spec.scheme->summary : "");
		return;
	}
	n = snprintf(out, len, "%s with", spec.scheme->name);
	snprintf(params, sizeof(params), "%s", spec.params);
	for (tok = strtok_r(params, ",", &save); tok && n < len;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t k = strcspn(tok, "=");

		for (p = spec.scheme->params; p && p->name; p++)
			if (strlen(p->name) == k && !strncmp(p->name, tok, k))
				break;
		n += snprintf(out + n, len - n, " %s%s%s%s", tok,
			      p && p->name ? " (" : "",
			      p && p->name ? p->help : "",
			      p && p->name ? ")" : "");
	}
}

/* ---- measurement -> report data ------------------------------------- */

static double *dalloc(size_t n)
{
	double *v = calloc(n ? n : 1, sizeof(double));

	if (!v)
		abort();
	return v;
}

/*
 * The moment of a trace's memory tables is the snapshot the walks ran
 * on (measure.h): the end, or the event after which the most folios were
 * live, the same for every scheme.
 */
static void snapshot(struct rpt_trace *t, size_t nr_schemes)
{
	size_t s;

	t->snap_end = true;
	t->snap_event = t->events;
	for (s = 0; s < nr_schemes; s++) {
		if (!t->runs[s].available)
			continue;
		t->snap_end = t->runs[s].snap_end;
		t->snap_event = t->runs[s].snap_event;
		return;
	}
}

/* Per scheme and repeat: every trace's walks, for corpus percentiles. */
struct walk_acc {
	struct walk_stats *ws;		/* [scheme * repeat + rep] */
	unsigned int repeat;
};

/*
 * Measure @t with every scheme @a->repeat times into @runs; the walk
 * times also go to @acc when given.  0, or -1 (message printed).
 */
static int measure_all(const struct trace *t, const struct report_args *a,
		       const struct trace_checkpoint *end_ref,
		       struct rpt_run *runs, struct walk_acc *acc)
{
	struct measure_opts o;
	struct measure_result m;
	struct errbuf err;
	unsigned int rep;
	size_t s;
	int ret;

	memset(&o, 0, sizeof(o));
	o.walk_repeat = a->walk_repeat;
	o.every = t->nr_ev / SERIES_SAMPLES ? t->nr_ev / SERIES_SAMPLES : 1;
	o.end_ref = end_ref;
	for (s = 0; s < a->nr_schemes; s++)
		results_run_init(&runs[s], a->schemes[s], a->repeat);
	/*
	 * One untimed replay first, so that no scheme pays for cold caches;
	 * it also finds the snapshot, which the others then take in their
	 * one replay.
	 */
	if (measure_trace(t, a->schemes[0], &o, &m, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		measure_result_free(&m);
		return -1;
	}
	if (m.available && !m.snap_at_end)
		o.snap_event = m.snap_event;
	measure_result_free(&m);
	/* Repeats outermost: each scheme's replays spread over the run. */
	for (rep = 0; rep < a->repeat; rep++) {
		for (s = 0; s < a->nr_schemes; s++) {
			if (rep && !runs[s].available)
				continue;
			ret = measure_trace(t, a->schemes[s], &o, &m, &err);
			if (ret < 0) {
				fprintf(stderr, "%s\n", err.msg);
				measure_result_free(&m);
				return -1;
			}
			if (!rep)
				results_fill_run(&runs[s], &m, &t->hdr);
			if (m.available) {
				results_fill_timing(&runs[s], &m, rep);
				if (acc)
					walk_stats_add(&acc->ws[s * acc->repeat
								+ rep],
						       &m.walk);
			}
			measure_result_free(&m);
		}
	}
	return 0;
}

/* The kernel's end state next to a kernel vector: X.trace -> X.expected. */
static int end_ref_path(const char *path, char *buf, size_t len)
{
	struct stat st;
	size_t n = strlen(path);

	if (!has_suffix(path, ".trace") || n - 6 + sizeof(".expected") > len)
		return -1;
	memcpy(buf, path, n - 6);
	strcpy(buf + n - 6, ".expected");
	return !stat(buf, &st) && S_ISREG(st.st_mode) ? 0 : -1;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * A trace's name: its file name, or, when two traces have the same file
 * name, its path below the directory all traces are in
 * ("arm64/4k/zygote.rmt" beside "zygote.rmt" for the corpus).
 */
static const char *trace_name(const struct paths *p, size_t i)
{
	size_t j, common = strlen(p->v[i]);
	bool clash = false;

	for (j = 0; j < p->nr; j++) {
		size_t n = 0;

		if (j != i && !strcmp(base_name(p->v[j]), base_name(p->v[i])))
			clash = true;
		while (n < common && p->v[i][n] && p->v[i][n] == p->v[j][n])
			n++;
		common = n;
	}
	if (!clash)
		return base_name(p->v[i]);
	/* back to the last '/' of the common prefix */
	while (common && p->v[i][common - 1] != '/')
		common--;
	return p->v[i] + common;
}

/* ---- correctness ---------------------------------------------------- */

struct check_state {
	struct rpt_check *c;
	const struct report_args *a;
	/* per scheme and category: the finding to minimise */
	struct check_finding (*target)[RPT_CATEGORIES];
	/* the trace being checked */
	const struct trace *t;
	const char *path;
	bool seen[MAX_SCHEMES][RPT_CATEGORIES];
	bool failed[MAX_SCHEMES][RPT_CATEGORIES];
	/* per scheme: design findings; traces with unsupported features */
	unsigned long design[MAX_SCHEMES];
	unsigned long unsupported;
};

static enum rpt_category category(enum check_kind kind)
{
	return check_kind_is_kernel(kind) || kind == CHECK_DIVERGENCE ?
		RPT_KERNEL : RPT_ORACLE;
}

static void count_kind(struct rpt_check_scheme *rs, enum check_kind kind)
{
	const char *name = check_kind_name(kind);
	int i;

	for (i = 0; i < rs->nr_kinds; i++)
		if (!strcmp(rs->kinds[i].name, name))
			break;
	if (i == rs->nr_kinds) {
		if (i == RPT_MAX_KINDS)
			return;
		rs->nr_kinds++;
		snprintf(rs->kinds[i].name, sizeof(rs->kinds[i].name), "%s",
			 name);
		rs->kinds[i].kernel = category(kind) == RPT_KERNEL;
	}
	rs->kinds[i].n++;
}

/*
 * Every finding of the checker: counted by kind, and the first of each
 * category in the smallest trace kept for minimising.  Never stops it.
 */
static bool tally(const struct check_finding *f, void *arg)
{
	struct check_state *cs = arg;
	enum rpt_category k = category(f->kind);
	struct rpt_check_scheme *rs;
	struct rpt_finding *fi;
	size_t s;

	/* Design findings and unjudged differences are no mismatches. */
	if (f->cls != CHECK_FAILURE)
		return false;
	for (s = 0; s < cs->c->nr; s++)
		if (!strcmp(cs->c->s[s].scheme, f->scheme))
			break;
	if (s == cs->c->nr)
		return false;
	rs = &cs->c->s[s];
	count_kind(rs, f->kind);
	rs->n[k]++;
	cs->failed[s][k] = true;
	if (cs->seen[s][k])
		return false;
	cs->seen[s][k] = true;
	fi = &rs->first[k];
	if (fi->kind[0] && fi->trace_events <= cs->t->nr_ev)
		return false;
	cs->target[s][k] = *f;
	snprintf(fi->kind, sizeof(fi->kind), "%s", check_kind_name(f->kind));
	snprintf(fi->what, sizeof(fi->what), "%s", f->what);
	snprintf(fi->trace, sizeof(fi->trace), "%s", cs->path);
	fi->trace_events = cs->t->nr_ev;
	return false;
}

static void check_one(struct check_state *cs, const struct trace *t,
		      const char *path)
{
	struct check_result res;
	struct check_opts o;
	size_t k, s;
	int c;

	memset(&o, 0, sizeof(o));
	o.want = tally;
	o.want_arg = cs;
	cs->t = t;
	cs->path = path;
	memset(cs->seen, 0, sizeof(cs->seen));
	memset(cs->failed, 0, sizeof(cs->failed));
	if (check_trace(t, cs->a->schemes, cs->a->nr_schemes, &o, &res)) {
		fprintf(stderr, "%s\n", res.error);
		cs->c->trace_errors++;
		check_result_free(&res);
		return;
	}
	for (k = 0; k < res.nr; k++) {
		const struct check_scheme_result *r = &res.s[k];
		struct rpt_check_scheme *rs = NULL;

		for (s = 0; s < cs->c->nr; s++)
			if (!strcmp(cs->c->s[s].scheme, r->name))
				rs = &cs->c->s[s];
		if (!rs)
			continue;
		if (r->init_failed) {
			rs->init_failed = true;
			snprintf(rs->init_err, sizeof(rs->init_err), "%s",
				 r->init_err);
			continue;
		}
		s = (size_t)(rs - cs->c->s);
		for (c = 0; c < CHECK_NR; c++)
			cs->design[s] += r->design[c];
		rs->traces++;
		rs->events += r->events;
		rs->checkpoints += r->checkpoints;
		rs->folios += r->folios;
		rs->walks += r->walks;
		rs->mismatches += r->mismatches;
		rs->divergences += r->divergences;
		for (c = 0; c < RPT_CATEGORIES; c++)
			rs->failed[c] += cs->failed[s][c];
		for (c = 0; c < RPT_USERS; c++) {
			rs->use_walks[c] += r->use_walks[c];
			rs->use_mappings[c] += r->use_mappings[c];
			rs->use_misses[c] += r->use_misses[c];
		}
	}
	cs->unsupported += res.unsupported != 0;
	check_result_free(&res);
}

static int load_checked(const char *path, struct trace *t)
{
	char exp[PATH_MAX], err[512];

	trace_init(t);
	if (trace_load(path, t, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (!end_ref_path(path, exp, sizeof(exp)) &&
	    trace_append_expected(t, exp, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		trace_free(t);
		return -1;
	}
	return 0;
}

static void minimise_one(const char *scheme, struct rpt_finding *fi,
			 const struct check_finding *target,
			 enum rpt_category k, const char *outdir)
{
	struct minimise_stats st;
	struct trace t, min;
	char path[PATH_MAX], *text = NULL, *p, err[PATH_MAX + 100];
	struct outfile o;
	size_t len = 0;
	FILE *f;

	/* Kernel disagreements are only cut; the oracle's are searched. */
	if (k == RPT_ORACLE && fi->trace_events > MINIMISE_MAX_EVENTS) {
		snprintf(fi->minimal_note, sizeof(fi->minimal_note),
			 "Not minimised: the smallest trace showing it has "
			 "%lu events (rmaplab check --scheme %s on it "
			 "minimises it).", fi->trace_events, scheme);
		return;
	}
	if (load_checked(fi->trace, &t))
		return;
	memset(&st, 0, sizeof(st));
	if (minimise_trace(&t, target, &min, &st)) {
		snprintf(fi->minimal_note, sizeof(fi->minimal_note),
			 "The disagreement does not show with %s alone, so "
			 "there is no minimal trace.", scheme);
		trace_free(&min);
		trace_free(&t);
		return;
	}
	f = open_memstream(&text, &len);
	if (!f || minimise_write(f, &min, target, &st)) {
		if (f)
			fclose(f);
		free(text);
		trace_free(&min);
		trace_free(&t);
		return;
	}
	fclose(f);
	if (st.cut_only && st.to > CUT_MAX_EVENTS) {
		snprintf(fi->minimal_note, sizeof(fi->minimal_note),
			 "The first %zu events of %s show it (a disagreement "
			 "with the kernel's state is not minimised).", st.to,
			 base_name(fi->trace));
		free(text);
		trace_free(&min);
		trace_free(&t);
		return;
	}
	fi->minimal = text;
	fi->minimal_from = st.from;
	fi->minimal_to = st.to;
	fi->minimal_cut_only = st.cut_only;
	snprintf(fi->minimal_file, sizeof(fi->minimal_file),
		 "minimal-%s-%s.trace", scheme,
		 k == RPT_KERNEL ? "kernel" : "oracle");
	for (p = fi->minimal_file; *p; p++)
		if (*p == ':' || *p == '=' || *p == ',' || *p == '/')
			*p = '-';
	snprintf(path, sizeof(path), "%s/%s", outdir, fi->minimal_file);
	if (outfile_open(&o, path, err, sizeof(err)) ||
	    outfile_commit(&o, fputs(text, o.f) < 0, err, sizeof(err)))
		fi->minimal_file[0] = '\0';
	trace_free(&min);
	trace_free(&t);
}

/* Minimal traces of an earlier run must not pass for this one's. */
static void remove_old_minimal(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "minimal-", 8) ||
		    !has_suffix(de->d_name, ".trace"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
}

/*
 * What the table does not say: design findings (not counted as
 * disagreements) and traces whose kernel differences were not all judged.
 */
static void check_note(struct report_data *d, const struct check_state *cs)
{
	size_t s, n = 0, len = sizeof(d->check.note);
	char *note = d->check.note;

	for (s = 0; s < d->check.nr; s++) {
		if (!cs->design[s])
			continue;
		n += snprintf(note + n, n < len ? len - n : 0, "%s%s %lu",
			      n ? ", " : "Design findings (differences from "
			      "mainline a scheme makes by design, not counted "
			      "above): ", d->check.s[s].scheme,
			      cs->design[s]);
	}
	if (n && n < len)
		n += snprintf(note + n, len - n, ". ");
	if (cs->unsupported && n < len)
		snprintf(note + n, len - n, "%lu traces use features the "
			 "model does not implement: differences from the "
			 "kernel after the first one were not judged.",
			 cs->unsupported);
}

static void run_checks(struct report_data *d, const struct report_args *a,
		       const struct paths *traces)
{
	struct check_state *cs;
	struct trace t;
	size_t i, s;
	int k;

	cs = calloc(1, sizeof(*cs));
	if (!cs)
		abort();
	cs->c = &d->check;
	cs->a = a;
	d->check.ran = true;
	d->check.nr = a->nr_schemes;
	d->check.s = calloc(a->nr_schemes, sizeof(*d->check.s));
	cs->target = calloc(a->nr_schemes, sizeof(*cs->target));
	if (!d->check.s || !cs->target)
		abort();
	for (s = 0; s < a->nr_schemes; s++)
		snprintf(d->check.s[s].scheme, sizeof(d->check.s[s].scheme),
			 "%s", a->schemes[s]);
	for (i = 0; i < traces->nr; i++) {
		if (load_checked(traces->v[i], &t)) {
			d->check.trace_errors++;
			continue;
		}
		check_one(cs, &t, traces->v[i]);
		trace_free(&t);
	}
	check_note(d, cs);
	remove_old_minimal(a->out);
	for (s = 0; s < a->nr_schemes; s++)
		for (k = 0; k < RPT_CATEGORIES; k++)
			if (d->check.s[s].first[k].kind[0])
				minimise_one(a->schemes[s],
					     &d->check.s[s].first[k],
					     &cs->target[s][k], k, a->out);
	free(cs->target);
	free(cs);
}

/* classic's (the baseline's) anon_vma_chain count against the kernel's. */
static void kernel_counts(struct report_data *d)
{
	size_t i;

	for (i = 0; i < d->nr_traces; i++) {
		const struct rpt_run *r = &d->traces[i].runs[0];

		if (!r->available || r->kernel_avc < 0 || r->model_avc < 0)
			continue;
		d->check.kernel_avc_seen++;
		d->check.kernel_avc_equal += r->kernel_avc == r->model_avc;
	}
}

/* ---- generated fork chains ------------------------------------------ */

#define CHAIN_BASE	0x100000000UL
#define CHAIN_PAGES	16
#define CHAIN_LEAF	100000

static struct trace_event *emit(struct trace *t, long pid, int type)
{
	struct trace_event *ev = trace_append(t);

	ev->type = type;
	ev->pid = pid;
	return ev;
}

static void emit_fault(struct trace *t, long pid, unsigned int page)
{
	struct trace_event *ev = emit(t, pid, EV_FAULT);

	ev->addr = CHAIN_BASE + (uint64_t)page * 4096;
	ev->write = 1;
}

/*
 * A zygote-like fork chain @depth deep: the root maps CHAIN_PAGES pages
 * and writes them; each process of the chain forks a leaf, which writes
 * one page, and the next process of the chain, which writes another.
 */
static void chain_trace(struct trace *t, unsigned int depth)
{
	struct trace_event *ev;
	unsigned int k, p;

	trace_init(t);
	snprintf(t->path, sizeof(t->path), "fork-chain-%u", depth);
	snprintf(t->hdr.thp, sizeof(t->hdr.thp), "madvise");
	snprintf(t->hdr.recorder, sizeof(t->hdr.recorder), "rmaplab report");
	ev = emit(t, 1, EV_MMAP);
	ev->addr = CHAIN_BASE;
	ev->len = CHAIN_PAGES * 4096;
	ev->prot = PROT_READ | PROT_WRITE;
	ev->flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	for (p = 0; p < CHAIN_PAGES; p++)
		emit_fault(t, 1, p);
	for (k = 1; k <= depth; k++) {
		ev = emit(t, k, EV_FORK);
		ev->child = CHAIN_LEAF + k;
		emit_fault(t, CHAIN_LEAF + k, k % CHAIN_PAGES);
		ev = emit(t, k, EV_FORK);
		ev->child = k + 1;
		emit_fault(t, k + 1, (k + CHAIN_PAGES / 2) % CHAIN_PAGES);
	}
}

/* The chains' memory over time is not reported: only walks at the end. */
static void drop_series(struct rpt_run *r)
{
	free(r->series.event);
	free(r->series.live);
	memset(&r->series, 0, sizeof(r->series));
}

static int measure_depths(struct report_data *d, const struct report_args *a)
{
	unsigned int depth, n = 0;
	struct trace t;
	size_t s;

	snprintf(d->depth.shape, sizeof(d->depth.shape),
		 "Generated fork chains, like a zygote and its apps: the "
		 "root maps %d anonymous pages and writes them all; each "
		 "process of the chain forks a leaf, which writes one page, "
		 "and the next process of the chain, which writes another. "
		 "Every process stays alive; every folio is walked at the "
		 "end.", CHAIN_PAGES);
	for (depth = 1; depth <= a->max_depth; depth *= 2)
		n++;
	d->depth.pts = calloc(n ? n : 1, sizeof(*d->depth.pts));
	if (!d->depth.pts)
		abort();
	for (depth = 1; depth <= a->max_depth; depth *= 2) {
		struct rpt_depth_point *p = &d->depth.pts[d->depth.nr];

		chain_trace(&t, depth);
		p->depth = depth;
		p->events = t.nr_ev;
		p->runs = calloc(a->nr_schemes, sizeof(*p->runs));
		if (!p->runs)
			abort();
		d->depth.nr++;
		if (measure_all(&t, a, NULL, p->runs, NULL)) {
			trace_free(&t);
			return -1;
		}
		for (s = 0; s < a->nr_schemes; s++)
			drop_series(&p->runs[s]);
		trace_free(&t);
	}
	return 0;
}

/* ---- lock contention ------------------------------------------------ */

/*
 * The contention section comes from the simulation (harness/sim/sim.h):
 * the footprint of the zygote-style trace of the corpus when there is
 * one (else of the generated storm), and the scaling curves of a
 * generated zygote fork storm on 1..256 virtual CPUs.
 */
#define CONTEND_STORM_APPS	256

static const unsigned int sim_cpus[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
static const double sim_scales[RPT_SCALES] = { 0.1, 0.3, 1, 3, 10 };

static void measure_contention(struct report_data *d,
			       const struct report_args *a,
			       const struct paths *paths)
{
	struct rpt_contend *rc = &d->contend;
	struct sim_recording *rec;
	struct sim_result res;
	struct sim_opts o, so;
	struct errbuf err;
	struct trace storm, zt;
	size_t len = 0, s, p;
	int z = rpt_zygote(d), k;
	FILE *f;

	sim_opts_default(&o);
	rc->walkers = o.walkers;
	rc->walk_rate = o.walk_rate;
	rc->blocking_pct = o.blocking_pct;
	for (k = 0; k < RPT_SCALES; k++)
		rc->scales[k] = sim_scales[k];
	f = open_memstream(&rc->costs, &len);
	if (!f)
		abort();
	sim_print_costs(f);
	fclose(f);
	sim_storm_trace(&storm, STORM_ZYGOTE, CONTEND_STORM_APPS, 1);
	snprintf(rc->trace, sizeof(rc->trace), "a generated zygote-style "
		 "fork storm (%u apps forked from one parent, each splitting "
		 "and merging inherited VMAs; `contend --storm zygote`)",
		 CONTEND_STORM_APPS);
	rc->events = storm.nr_ev;
	trace_init(&zt);
	if (z >= 0) {
		char e[512];

		if (trace_load(paths->v[z], &zt, e, sizeof(e))) {
			snprintf(rc->note, sizeof(rc->note), "%s", e);
			trace_free(&storm);
			return;
		}
		snprintf(rc->fp_trace, sizeof(rc->fp_trace), "%s",
			 d->traces[z].name);
	} else {
		snprintf(rc->fp_trace, sizeof(rc->fp_trace), "the generated "
			 "storm");
	}
	rc->runs = calloc(a->nr_schemes, sizeof(*rc->runs));
	if (!rc->runs)
		abort();
	for (s = 0; s < a->nr_schemes; s++) {
		struct rpt_contend_run *r = &rc->runs[s];

		snprintf(r->scheme, sizeof(r->scheme), "%s", a->schemes[s]);
		rec = sim_record(&storm, a->schemes[s], &err);
		if (!rec) {
			snprintf(r->why, sizeof(r->why), "%s", err.msg);
			continue;
		}
		rc->units = sim_footprint(rec)->units;
		sim_recording_check(rec, &r->found, &r->present);
		for (p = 0; p < sizeof(sim_cpus) / sizeof(sim_cpus[0]) &&
		     p < RPT_MAX_CPUS; p++) {
			sim_run(rec, sim_cpus[p], &o, &res);
			results_fill_point(&r->pts[r->nr_pts++], &res);
			r->rcu_deferred_frees = res.rcu_deferred_frees;
		}
		for (k = 0; k < RPT_SCALES; k++) {
			so = o;
			so.hold_scale = sim_scales[k];
			sim_run(rec, r->pts[r->nr_pts - 1].cpus, &so, &res);
			r->scale_ops[k] = res.ops_per_sec;
		}
		if (z >= 0) {
			sim_recording_free(rec);
			rec = sim_record(&zt, a->schemes[s], &err);
			if (!rec) {
				snprintf(r->why, sizeof(r->why), "%s",
					 err.msg);
				continue;
			}
		}
		r->fp_units = sim_footprint(rec)->units;
		r->nr_fp = results_fill_sim_footprint(r->fp,
						      2 * RPT_MAX_LOCKS,
						      sim_footprint(rec));
		sim_recording_free(rec);
		r->available = true;
		rc->ran = true;
	}
	trace_free(&zt);
	trace_free(&storm);
}

/* ---- the command ---------------------------------------------------- */

/* "vm_area_struct 192, anon_vma 104, ...": every sized class once. */
static void objsizes_line(struct report_data *d)
{
	const char *seen[RPT_MAX_CLASSES * MAX_SCHEMES];
	size_t s, len = 0, n = 0, i;
	int k;

	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &d->total[s];

		for (k = 0; r->available && k < r->nr_objs; k++) {
			for (i = 0; i < n; i++)
				if (!strcmp(seen[i], r->objs[k].name))
					break;
			if (i < n || len >= sizeof(d->setup.objsizes))
				continue;
			seen[n++] = r->objs[k].name;
			/* 0: the traces' architectures differ */
			len += snprintf(d->setup.objsizes + len,
					sizeof(d->setup.objsizes) - len,
					r->objs[k].size ? "%s%s %lu" :
					"%s%s by architecture", len ? ", " :
					"", r->objs[k].name, r->objs[k].size);
		}
	}
}

/*
 * Children alive together that make a trace zygote-style: the cover
 * letter's run launched 24 apps; a few pre-forked workers are not that.
 */
#define ZYGOTE_FANOUT	16

static int mkdir_p(const char *dir)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", dir);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/*
 * The most forked children of one process alive at once, counting only
 * children that never exec: the shape of Android's zygote, a parent that
 * preloads and then forks apps which keep its anon memory and live side
 * by side.  A property of the history, not of the file's name.
 */
static size_t fork_fanout(const struct trace *t)
{
	struct kid { int64_t pid, parent; bool live; } *k = NULL;
	size_t nr = 0, cap = 0, i, j, live, best = 0;

	for (i = 0; i < t->nr_ev; i++) {
		const struct trace_event *e = &t->ev[i];

		if (e->type == EV_FORK) {
			if (nr == cap) {
				cap = cap ? 2 * cap : 64;
				k = realloc(k, cap * sizeof(*k));
				if (!k)
					abort();
			}
			k[nr++] = (struct kid){ e->child, e->pid, true };
		} else if (e->type == EV_EXIT || e->type == EV_EXEC) {
			for (j = nr; j-- > 0;)
				if (k[j].pid == e->pid && k[j].live) {
					k[j].live = false;
					break;
				}
			continue;
		} else {
			continue;
		}
		for (j = 0, live = 0; j < nr; j++)
			live += k[j].live && k[j].parent == e->pid;
		if (live > best)
			best = live;
	}
	free(k);
	return best;
}

static int measure_traces(struct report_data *d, const struct report_args *a,
			  const struct paths *paths)
{
	struct walk_acc acc = { .repeat = a->repeat };
	struct trace_checkpoint ref;
	char exp[PATH_MAX], err[512];
	unsigned int rep;
	struct trace t;
	size_t i, s;
	int ret = 0;

	acc.ws = calloc(a->nr_schemes * a->repeat, sizeof(*acc.ws));
	d->traces = calloc(paths->nr, sizeof(*d->traces));
	d->total = calloc(a->nr_schemes, sizeof(*d->total));
	if (!acc.ws || !d->traces || !d->total)
		abort();
	for (s = 0; s < a->nr_schemes; s++)
		results_run_init(&d->total[s], a->schemes[s], a->repeat);
	for (i = 0; i < paths->nr && !ret; i++) {
		struct rpt_trace *rt = &d->traces[i];
		bool have_ref = false;

		trace_init(&t);
		if (trace_load(paths->v[i], &t, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			ret = -1;
			break;
		}
		memset(&ref, 0, sizeof(ref));
		if (!end_ref_path(paths->v[i], exp, sizeof(exp))) {
			if (checkpoint_load_expected(exp, &ref, err,
						     sizeof(err))) {
				fprintf(stderr, "%s\n", err);
				trace_free(&t);
				ret = -1;
				break;
			}
			have_ref = true;
		}
		snprintf(rt->name, sizeof(rt->name), "%s",
			 trace_name(paths, i));
		snprintf(rt->path, sizeof(rt->path), "%s", paths->v[i]);
		snprintf(rt->arch, sizeof(rt->arch), "%s", t.hdr.arch);
		rt->page_size = t.hdr.page_size;
		objsize_source_trace(rt->objsize_source,
				     sizeof(rt->objsize_source), &t.hdr);
		if (t.hdr.nr_slab)
			snprintf(rt->slab_kernel, sizeof(rt->slab_kernel),
				 "%s", t.hdr.kernel[0] ? t.hdr.kernel :
				 "release not recorded");
		rt->slab_partial = objsize_partial(&t.hdr);
		snprintf(rt->table_source, sizeof(rt->table_source), "%s",
			 objsize_source(t.hdr.arch));
		rt->events = t.nr_ev;
		snprintf(rt->recorder, sizeof(rt->recorder), "%s",
			 t.hdr.recorder);
		snprintf(rt->kernel, sizeof(rt->kernel), "%s", t.hdr.kernel);
		rt->fanout = fork_fanout(&t);
		rt->zygote = rt->fanout >= ZYGOTE_FANOUT;
		rt->runs = calloc(a->nr_schemes, sizeof(*rt->runs));
		if (!rt->runs)
			abort();
		d->nr_traces++;
		if (measure_all(&t, a, have_ref ? &ref : NULL, rt->runs,
				&acc))
			ret = -1;
		if (have_ref)
			checkpoint_free(&ref);
		trace_free(&t);
		if (ret)
			break;
		snapshot(rt, a->nr_schemes);
		for (s = 0; s < a->nr_schemes; s++) {
			rpt_run_add(&d->total[s], &rt->runs[s]);
			for (rep = 0; rep < a->repeat; rep++)
				d->total[s].replay_ns[rep] +=
					rt->runs[s].replay_ns[rep];
		}
	}
	for (s = 0; s < a->nr_schemes; s++) {
		struct rpt_run *r = &d->total[s];

		for (rep = 0; rep < a->repeat; rep++) {
			struct walk_stats *ws = &acc.ws[s * a->repeat + rep];

			walk_stats_finish(ws);
			r->walk.p50_ns[rep] = ws->p50_ns;
			r->walk.p99_ns[rep] = ws->p99_ns;
			r->walk.mean_ns[rep] = ws->mean_ns;
			r->walk.max_ns[rep] = ws->max_ns;
			if (!rep && ws->nr_ns) {
				r->walk.ns = dalloc(ws->nr_ns);
				memcpy(r->walk.ns, ws->ns,
				       ws->nr_ns * sizeof(double));
				r->walk.nr_ns = ws->nr_ns;
			}
			walk_stats_free(ws);
		}
	}
	free(acc.ws);
	return ret;
}

/* The sender: --from, else $EMAIL, else git's user.name <user.email>. */
static void mail_from(const struct report_args *a, char *buf, size_t len)
{
	char name[128] = "", mail[128] = "";
	const char *env = getenv("EMAIL");
	FILE *p;

	if (a->from || (env && *env)) {
		snprintf(buf, len, "%s", a->from ? a->from : env);
		return;
	}
	p = popen("git config user.name 2>/dev/null", "r");
	if (p) {
		if (!fgets(name, sizeof(name), p))
			name[0] = '\0';
		pclose(p);
	}
	p = popen("git config user.email 2>/dev/null", "r");
	if (p) {
		if (!fgets(mail, sizeof(mail), p))
			mail[0] = '\0';
		pclose(p);
	}
	name[strcspn(name, "\n")] = '\0';
	mail[strcspn(mail, "\n")] = '\0';
	if (*mail)
		snprintf(buf, len, "%s%s<%s>", name, *name ? " " : "", mail);
	else
		snprintf(buf, len, "%s@localhost", getenv("USER") ?: "rmaplab");
}

/* DIR/report.mbox: the report text as a mail for git send-email. */
static int write_mbox(const struct report_data *d,
		      const struct report_args *a, const char *text,
		      size_t len)
{
	struct rpt_mail m = {
		.to = a->to, .cc = a->cc, .nr_cc = a->nr_cc,
		.date = time(NULL),
	};
	char path[PATH_MAX], from[300], subject[512];
	char err[PATH_MAX + 100];
	struct outfile o;

	mail_from(a, from, sizeof(from));
	m.from = from;
	if (a->subject)
		snprintf(subject, sizeof(subject), "%s", a->subject);
	else
		rpt_mail_subject(subject, sizeof(subject), d->schemes,
				 d->nr_schemes);
	snprintf(path, sizeof(path), "%s/report.mbox", a->out);
	if (outfile_open(&o, path, err, sizeof(err)) ||
	    outfile_commit(&o, rpt_write_mbox(o.f, &m, subject, text, len),
			   err, sizeof(err))) {
		fprintf(stderr, "rmaplab report: %s\n", err);
		return -1;
	}
	return 0;
}

static int write_outputs(struct report_data *d, const struct report_args *a)
{
	char path[PATH_MAX], err[PATH_MAX + 100], *text = NULL;
	struct outfile o;
	size_t len = 0;
	FILE *f;

	if (a->charts) {
		if (report_charts(a->out, d, err, sizeof(err))) {
			fprintf(stderr, "rmaplab report: %s\n", err);
			return -1;
		}
	} else {
		snprintf(d->charts.note, sizeof(d->charts.note),
			 "--no-charts was given");
	}
	f = open_memstream(&text, &len);
	if (!f)
		return -1;
	report_write_text(f, d);
	if (fclose(f))
		return -1;
	if (!a->quiet)
		fwrite(text, 1, len, stdout);
	snprintf(path, sizeof(path), "%s/report.txt", a->out);
	if (outfile_open(&o, path, err, sizeof(err)) ||
	    outfile_commit(&o, fwrite(text, 1, len, o.f) != len, err,
			   sizeof(err))) {
		fprintf(stderr, "rmaplab report: %s\n", err);
		free(text);
		return -1;
	}
	if (a->email && write_mbox(d, a, text, len)) {
		free(text);
		return -1;
	}
	free(text);
	snprintf(path, sizeof(path), "%s/report.json", a->out);
	if (outfile_open(&o, path, err, sizeof(err)) ||
	    outfile_commit(&o, report_write_json(o.f, d), err,
			   sizeof(err))) {
		fprintf(stderr, "rmaplab report: %s\n", err);
		return -1;
	}
	if (report_write_csv(a->out, d, err, sizeof(err))) {
		fprintf(stderr, "rmaplab report: %s\n", err);
		return -1;
	}
	return 0;
}

/* report --compare DIR_A DIR_B: two earlier runs side by side. */
static int compare_runs(int nr, char **dirs)
{
	struct rr_report r[2];
	char err[600];
	int i;

	if (nr != 2)
		return cmd_usage_error(&report_doc);
	for (i = 0; i < 2; i++) {
		if (rr_load(dirs[i], &r[i], err, sizeof(err))) {
			fprintf(stderr, "rmaplab report: %s\n", err);
			if (i)
				rr_free(&r[0]);
			return 2;
		}
	}
	report_compare_runs(stdout, &r[0], &r[1]);
	rr_free(&r[0]);
	rr_free(&r[1]);
	return fflush(stdout) ? 2 : 0;
}

/* Sensitivity: every trace in memory, each scheme's R and C choices. */
static void measure_sensitivity(struct report_data *d,
				const struct report_args *a,
				const struct paths *paths)
{
	struct trace *t = calloc(paths->nr ? paths->nr : 1, sizeof(*t));
	struct errbuf err;
	size_t i, loaded = 0;
	bool ok = true;

	if (!t)
		abort();
	for (i = 0; i < paths->nr && ok; i++, loaded++) {
		trace_init(&t[i]);
		ok = !trace_load(paths->v[i], &t[i], err.msg,
				 sizeof(err.msg));
	}
	if (ok && sensitivity_measure(t, paths->nr, a->schemes,
				      a->nr_schemes, NULL, &d->sens, &err))
		ok = false;
	if (ok)
		d->sens_ran = true;
	else
		snprintf(d->sens_note, sizeof(d->sens_note), "%.127s",
			 err.msg);
	for (i = 0; i < loaded; i++)
		trace_free(&t[i]);
	free(t);
}

int cmd_report(int argc, char **argv)
{
	struct report_args a;
	struct report_data d;
	struct paths paths = { 0 };
	struct scheme_spec spec;
	struct errbuf err;
	size_t i, s;
	int ret;

	memset(&a, 0, sizeof(a));
	ret = parse_args(argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (a.compare)
		return compare_runs(argc - optind, argv + optind);
	if (!a.email && (a.to || a.nr_cc || a.subject || a.from)) {
		fprintf(stderr, "rmaplab report: --to, --cc, --subject and "
			"--from need --email\n");
		return 2;
	}
	if (!a.nr_schemes) {
		a.nr_schemes = scheme_defaults(SCHEME_SET_REPORT, a.schemes,
					       MAX_SCHEMES);
	}
	for (s = 0; s < a.nr_schemes; s++) {
		if (scheme_lookup(a.schemes[s], &spec, &err)) {
			fprintf(stderr, "rmaplab report: %s\n", err.msg);
			return 2;
		}
	}

	memset(&d, 0, sizeof(d));
	if (optind < argc) {
		for (i = optind; i < (size_t)argc; i++)
			paths_add(&paths, argv[i]);
	} else {
		if (find_corpus(&paths, d.corpus_dir, sizeof(d.corpus_dir))) {
			fprintf(stderr, "rmaplab report: no TRACE given and no "
				"bundled corpus found (set RMAPLAB_SRCDIR to "
				"the source tree)\n");
			return 2;
		}
		d.from_corpus = true;
	}
	if (mkdir_p(a.out)) {
		fprintf(stderr, "rmaplab report: %s: %s\n", a.out,
			strerror(errno));
		paths_free(&paths);
		return 2;
	}

	d.email = a.email;
	d.nr_schemes = a.nr_schemes;
	d.schemes = calloc(a.nr_schemes, sizeof(*d.schemes));
	d.scheme_desc = calloc(a.nr_schemes, sizeof(*d.scheme_desc));
	if (!d.schemes || !d.scheme_desc)
		abort();
	for (s = 0; s < a.nr_schemes; s++) {
		snprintf(d.schemes[s], sizeof(d.schemes[s]), "%s",
			 a.schemes[s]);
		scheme_desc(a.schemes[s], d.scheme_desc[s],
			    sizeof(d.scheme_desc[s]));
	}
	d.nr_ops = results_op_names(d.op_names);
	gather_setup(&d.setup, &a, argc, argv);

	ret = 0;
	if (measure_traces(&d, &a, &paths))
		ret = 2;
	if (!ret) {
		objsizes_line(&d);
		kernel_counts(&d);
	}
	if (!ret && a.sens)
		measure_sensitivity(&d, &a, &paths);
	else if (!a.sens)
		snprintf(d.sens_note, sizeof(d.sens_note),
			 "--no-sensitivity was given");
	if (!ret && a.check)
		run_checks(&d, &a, &paths);
	else if (!a.check)
		snprintf(d.check.note, sizeof(d.check.note),
			 "--no-check was given");
	if (!ret && a.depth && a.max_depth && measure_depths(&d, &a))
		ret = 2;
	if (!ret && a.contend)
		measure_contention(&d, &a, &paths);
	else if (!a.contend)
		snprintf(d.contend.note, sizeof(d.contend.note),
			 "--no-contend was given");
	if (!ret && write_outputs(&d, &a))
		ret = 2;
	report_data_free(&d);
	paths_free(&paths);
	return ret;
}
