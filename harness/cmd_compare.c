// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab compare [--scheme S]... [--every N] [--json FILE] [--csv DIR]
 *                 [--objsize NAME=SIZE]... [--objsize-from-slabinfo[=F]]
 *                 [--walk-repeat N] [--walk-checkpoints] [--total-only]
 *                 [--detail] [--sensitivity] [TRACE...]
 *
 * Replays every trace once per scheme and prints the memory tables of
 * each trace and, for the whole set, memory, object counts, rmap walk
 * cost, lock acquisitions and per-operation costs (harness/MEASURE.md).
 * --sensitivity prints instead how the headline figures move over each
 * scheme's R- and C-graded choices (reports/sensitivity.h).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "harness/cmds.h"
#include "harness/corpus.h"
#include "harness/measure_out.h"
#include "harness/registry.h"
#include "harness/sensitivity.h"
#include "reports/build_commit.h"
#include "reports/build_flags.h"
#include "reports/compare.h"
#include "reports/table.h"
#include "traces/expected.h"
#include "traces/outfile.h"

static const char *const compare_synopsis[] = {
	"[--scheme S]... [--every N] [--json FILE] [--csv DIR]",
	" [--objsize NAME=SIZE]... [--objsize-from-slabinfo[=FILE]]",
	" [--walk-repeat N] [--walk-checkpoints] [--total-only]",
	" [--detail] [--sensitivity] [--baseline DIR] [TRACE...]",
	NULL,
};

static const struct cmd_opt compare_opts[] = {
	{ "-s, --scheme S", "a scheme to compare (repeat; default: the "
	  "compare set\nof schemes/table, above); the first is the "
	  "baseline of the\nchange columns" },
	{ "--every N", "sample live objects every N events (default: 100 "
	  "samples)" },
	{ "--json FILE", "everything as JSON (harness/MEASURE.md), '-' for "
	  "stdout" },
	{ "--csv DIR", "everything as CSV files in DIR" },
	{ "--objsize NAME=SIZE", "slab object size of class NAME in bytes" },
	{ "--objsize-from-slabinfo[=FILE]", "object sizes from "
	  "/proc/slabinfo (or FILE)" },
	{ "--walk-repeat N", "timed walks per folio, median kept (default "
	  "3)" },
	{ "--walk-checkpoints", "also walk every folio at the trace's "
	  "checkpoints" },
	{ "--total-only", "print only the tables for all traces together" },
	{ "--detail", "print every table for every trace" },
	{ "--sensitivity", "the headline figures under every R- and "
	  "C-graded choice\nof each scheme ('rmaplab schemes'), instead "
	  "of the tables" },
	{ "--baseline DIR", "then set this run beside an earlier report's\n"
	  "(DIR/report.json), compare-kernels style" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const compare_examples[] = {
	"rmaplab compare --scheme classic --scheme lazy traces/corpus/*.rmt",
	"rmaplab compare --baseline reports/out",
	NULL,
};

static const char *compare_subst(const char *key)
{
	return !strcmp(key, "SCHEMES") ?
	       scheme_defaults_text(SCHEME_SET_COMPARE) : "";
}

const struct cmd_doc compare_doc = {
	.name = "compare",
	.summary = "memory, walk and lock tables of the schemes",
	.synopsis = compare_synopsis,
	.description =
	"Replays every TRACE ('-': standard input) once per scheme (by\n"
	"default, from schemes/table: @SCHEMES@) and prints\n"
	"the memory tables of each trace and, for the whole set, memory,\n"
	"object counts, rmap walk cost, lock acquisitions and per-operation\n"
	"costs (harness/MEASURE.md).  No TRACE: the bundled corpus\n"
	"(traces/corpus, else the kernel vectors).  --baseline sets this\n"
	"run beside a report's (another kernel, build or machine) as\n"
	"'rmaplab report --compare' sets two reports; this run has one\n"
	"replay per scheme, so its timings are not tested for significance.",
	.opts = compare_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = compare_examples,
	.subst = compare_subst,
};

struct compare_args {
	const char *schemes[32];
	size_t nr_schemes;
	const char *json, *csv, *slabinfo;
	struct objsizes user;
	struct measure_opts opts;
	bool total_only, detail, sensitivity;
	const char *baseline;		/* a report's directory */
};

static int parse_args(int argc, char **argv, struct compare_args *a)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "every", required_argument, NULL, 'e' },
		{ "json", required_argument, NULL, 'j' },
		{ "csv", required_argument, NULL, 'c' },
		{ "objsize", required_argument, NULL, 'o' },
		{ "objsize-from-slabinfo", optional_argument, NULL, 'S' },
		{ "walk-repeat", required_argument, NULL, 'r' },
		{ "walk-checkpoints", no_argument, NULL, 'W' },
		{ "total-only", no_argument, NULL, 'T' },
		{ "detail", no_argument, NULL, 'D' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "sensitivity", no_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct errbuf err;
	char *end;
	long v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (a->nr_schemes == 32) {
				fprintf(stderr, "rmaplab compare: too many "
					"schemes\n");
				return 2;
			}
			a->schemes[a->nr_schemes++] = optarg;
			break;
		case 'e':
		case 'r':
			v = strtol(optarg, &end, 0);
			if (*end || end == optarg || v < 1 ||
			    (c == 'r' && v > 15)) {
				fprintf(stderr, "rmaplab compare: bad number "
					"'%s' for --%s\n", optarg,
					c == 'e' ? "every" : "walk-repeat");
				return 2;
			}
			if (c == 'e')
				a->opts.every = v;
			else
				a->opts.walk_repeat = v;
			break;
		case 'j':
			a->json = optarg;
			break;
		case 'c':
			a->csv = optarg;
			break;
		case 'o':
			if (objsizes_parse(&a->user, optarg, &err)) {
				fprintf(stderr, "rmaplab compare: %s\n",
					err.msg);
				return 2;
			}
			break;
		case 'S':
			a->slabinfo = optarg ? optarg : "/proc/slabinfo";
			break;
		case 'W':
			a->opts.walk_checkpoints = true;
			break;
		case 'T':
			a->total_only = true;
			break;
		case 'D':
			a->detail = true;
			break;
		case 'B':
			a->baseline = optarg;
			break;
		case 'Y':
			a->sensitivity = true;
			break;
		case 'h':
			cmd_help(stdout, &compare_doc);
			return 0;
		default:
			return cmd_usage_error(&compare_doc);
		}
	}
	return -1;
}

/*
 * This run as the side of a comparison (reports/report_read.h): the
 * totals over every trace, one replay per scheme.
 */
static void run_side(struct rr_report *r, const struct compare_set *cs)
{
	struct utsname u;
	size_t s, i;

	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "this run (rmaplab compare)");
	snprintf(r->commit, sizeof(r->commit), "%s", RMAPLAB_COMMIT);
	snprintf(r->compiler, sizeof(r->compiler), "%s", RMAPLAB_COMPILER_ID);
	if (!uname(&u))
		snprintf(r->kernel, sizeof(r->kernel), "%s", u.release);
	r->repeats = 1;
	r->nr_traces = cs->nr_traces;
	for (i = 0; i < cs->nr_traces; i++)
		r->events += cs->traces[i].nr_ev;
	r->s = calloc(cs->nr_schemes, sizeof(*r->s));
	if (!r->s)
		abort();
	r->nr = cs->nr_schemes;
	for (s = 0; s < cs->nr_schemes; s++) {
		const struct measure_result *m = &cs->total[s];
		struct rr_scheme *rs = &r->s[s];
		const double one[RR_NR_METRICS] = {
			m->walk.p50_ns, m->walk.p99_ns, m->walk.mean_ns,
			m->replay_ns ? 1e9 * m->events / m->replay_ns : 0,
		};
		int k;

		snprintf(rs->name, sizeof(rs->name), "%s", cs->schemes[s]);
		if (!m->available)
			continue;
		for (k = 0; k < RR_NR_METRICS; k++) {
			rs->t[k].v = malloc(sizeof(double));
			if (!rs->t[k].v)
				abort();
			rs->t[k].v[0] = one[k];
			rs->t[k].n = 1;
		}
		rs->have_run = true;
		rs->obj = calloc(m->acct.nr + 1, sizeof(*rs->obj));
		if (!rs->obj)
			abort();
		for (i = 0; i < (size_t)m->acct.nr; i++) {
			const struct obj_class *c = &m->acct.cls[i];
			struct rr_object *o;

			/* as the report: unsized classes are not slab memory */
			if (!c->size)
				continue;
			o = &rs->obj[rs->nr_obj++];
			snprintf(o->name, sizeof(o->name), "%s", c->name);
			o->snapshot_kb = m->snap_live[i] * (double)c->size /
					 1024;
			o->peak_kb = c->peak * (double)c->size / 1024;
			if (strcmp(c->name, "vm_area_struct"))
				rs->rmap_kb += o->snapshot_kb;
		}
		/* rounded as report.json writes them, to compare alike */
		rs->vmas_per_walk = m->walk.walks ? round(100.0 *
				    m->walk.candidates / m->walk.walks) / 100 :
				    NAN;
		rs->precision_pct = round(1000.0 *
					  walk_precision(&m->walk)) / 10;
	}
}

/* The kernel's end state next to a kernel vector: X.trace -> X.expected. */
static int load_end_ref(const char *path, struct trace_checkpoint *cp,
			bool *have)
{
	size_t n = strlen(path);
	char *exp, err[512];
	FILE *f;

	*have = false;
	if (n < 6 || strcmp(path + n - 6, ".trace"))
		return 0;
	exp = malloc(n + 4);
	if (!exp)
		abort();
	memcpy(exp, path, n - 6);
	strcpy(exp + n - 6, ".expected");
	f = fopen(exp, "r");
	if (!f) {
		free(exp);
		return 0;
	}
	fclose(f);
	if (checkpoint_load_expected(exp, cp, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		free(exp);
		return -1;
	}
	free(exp);
	*have = true;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/*
 * Where the sizes are from: each trace's source once (the recording
 * kernel's slabinfo, or the arch table), then the overrides, which win.
 */
static void sizes_source(char *buf, size_t len, const struct compare_set *cs,
			 const struct compare_args *a)
{
	char one[512];
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < cs->nr_traces && used < len; i++) {
		objsize_source_trace(one, sizeof(one), &cs->traces[i].hdr);
		if (!strstr(buf, one))
			used += snprintf(buf + used, len - used, "%s%s",
					 used ? "; " : "", one);
	}
	if (used < len)
		snprintf(buf + used, len - used, "%s%s%s",
			 a->slabinfo ? ", then " : "",
			 a->slabinfo ? a->slabinfo : "",
			 a->user.nr ? ", then --objsize" : "");
}

/*
 * The totals price a class at one size: say so when the traces' kernels
 * (or arches) gave it different ones.
 */
static void print_mixed_sizes(FILE *f, const struct compare_set *cs)
{
	const struct measure_result *r, *q;
	size_t i, j, s;
	int k, l;

	for (s = 0; s < cs->nr_schemes; s++)
		for (i = 0; i < cs->nr_traces; i++) {
			r = &cs->traces[i].res[s];
			for (k = 0; r->available && k < r->acct.nr; k++)
				for (j = 0; j < i; j++) {
					q = &cs->traces[j].res[s];
					for (l = 0; q->available &&
					     l < q->acct.nr; l++)
						if (!strcmp(q->acct.cls[l].name,
							    r->acct.cls[k].name) &&
						    q->acct.cls[l].size !=
						    r->acct.cls[k].size)
							goto mixed;
				}
		}
	return;
mixed:
	rt_wrapf(f, 80, "", "  ", "note: %s is %zu bytes in %s and %zu in "
		 "%s: the totals below price each class at the last trace's "
		 "size; compare each kernel's traces apart",
		 r->acct.cls[k].name, q->acct.cls[l].size,
		 base_name(cs->traces[j].path), r->acct.cls[k].size,
		 base_name(cs->traces[i].path));
}

/* The proposals' own objects: no kernel has a cache to measure. */
static void print_model_sizes(FILE *f, const struct compare_set *cs)
{
	const struct measure_result *r;
	const char *seen[64];
	size_t s, i, n = 0, len = 0;
	char buf[1024];
	int k;

	for (s = 0; s < cs->nr_schemes; s++) {
		r = cs->nr_traces ? &cs->traces[0].res[s] : NULL;
		for (k = 0; r && r->available && k < r->acct.nr; k++) {
			const struct obj_class *c = &r->acct.cls[k];

			for (i = 0; i < n; i++)
				if (!strcmp(seen[i], c->name))
					break;
			if (i < n || !c->size || n == 64 ||
			    len >= sizeof(buf) ||
			    objsize_kernel_class(c->name))
				continue;
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s %s %zu", n ? "," : "", c->name,
					c->size);
			seen[n++] = c->name;
		}
	}
	if (n)
		rt_wrapf(f, 80, "", "  ", "the model's own object sizes (no "
			 "kernel cache; --objsize overrides):%s", buf);
}

/*
 * Where the kernel's classes' sizes are from and what they are, then
 * the proposals' own.
 */
static void print_sizes(FILE *f, const struct compare_set *cs)
{
	const struct measure_result *r = NULL;
	size_t i, s, len = 0;
	char buf[512] = "";
	int k;

	/* the sizes of the tables below: the totals' */
	for (s = 0; s < cs->nr_schemes && !r; s++)
		if (cs->total[s].available)
			r = &cs->total[s];
	for (i = 0; i < cs->nr_traces && !r; i++)
		for (s = 0; s < cs->nr_schemes && !r; s++)
			if (cs->traces[i].res[s].available)
				r = &cs->traces[i].res[s];
	for (k = 0; r && k < r->acct.nr && len < sizeof(buf); k++)
		if (r->acct.cls[k].size &&
		    objsize_kernel_class(r->acct.cls[k].name))
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s %s %zu", len ? "," : "",
					r->acct.cls[k].name,
					r->acct.cls[k].size);
	rt_wrapf(f, 80, "", "  ", "object sizes (%s):%s", cs->objsize_source,
		 buf);
	print_model_sizes(f, cs);
}

/* How many traces' kernel counts each scheme's model reproduces. */
static void print_kernel_summary(FILE *f, const struct compare_set *cs)
{
	size_t i, s, k;

	for (s = 0; s < cs->nr_schemes; s++) {
		unsigned long seen = 0, match = 0;

		for (i = 0; i < cs->nr_traces; i++) {
			const struct measure_result *r = &cs->traces[i].res[s];

			for (k = 0; r->available && k < r->nr_cps; k++) {
				const struct cp_sample *cp = &r->cps[k];

				if (cp->kernel_anon_vma < 0 ||
				    cp->model_anon_vma < 0)
					continue;
				seen++;
				match += cp->kernel_anon_vma ==
					cp->model_anon_vma &&
					cp->kernel_avc == cp->model_avc;
			}
		}
		if (seen)
			rt_wrapf(f, RT_WIDTH, "", "", "%s: anon_vma and "
				 "anon_vma_chain counts equal the kernel's "
				 "(checkpoints, .expected files) at %lu of "
				 "%lu", cs->schemes[s], match, seen);
	}
}

static void print_full(FILE *f, const char *what,
		       const struct measure_result *res, size_t n)
{
	char title[320];
	size_t s;

	snprintf(title, sizeof(title), "%s: objects at the snapshot and peak",
		 what);
	print_count_table(f, title, res, n);
	fputc('\n', f);
	snprintf(title, sizeof(title), "%s: rmap walk of the snapshot", what);
	print_walk_table(f, title, res, n);
	fputc('\n', f);
	snprintf(title, sizeof(title), "%s: locks taken per operation, "
		 "read/write", what);
	print_lock_table(f, title, res, n);
	fputc('\n', f);
	snprintf(title, sizeof(title), "%s: lock footprint per hold", what);
	print_footprint_table(f, title, res, n);
	for (s = 0; s < n; s++) {
		fputc('\n', f);
		print_op_table(f, &res[s]);
	}
}

/* "memory at end", or where the snapshot was taken when not the end. */
static void snap_title(char *buf, size_t len, const char *what,
		       const struct measure_result *res, size_t n)
{
	size_t s;

	for (s = 0; s < n; s++)
		if (res[s].available && !res[s].snap_at_end) {
			snprintf(buf, len, "%s: memory at the folio peak, "
				 "event %lu (the trace ends empty)", what,
				 res[s].snap_event);
			return;
		}
	snprintf(buf, len, "%s: memory at end", what);
}

static void print_trace(FILE *f, const struct compare_trace *ct, size_t n,
			bool detail)
{
	char title[400], what[300];

	snprintf(what, sizeof(what), "%s (%lu events)", base_name(ct->path),
		 ct->nr_ev);
	snap_title(title, sizeof(title), what, ct->res, n);
	print_memory_table(f, title, ct->res, n, false);
	print_kernel_ref(f, ct->res, n);
	fputc('\n', f);
	snprintf(title, sizeof(title), "%s: memory at peak (each object's "
		 "own maximum)", base_name(ct->path));
	print_memory_table(f, title, ct->res, n, true);
	fputc('\n', f);
	if (detail) {
		print_full(f, base_name(ct->path), ct->res, n);
		fputc('\n', f);
	}
}

/* compare --sensitivity: every trace in memory, then the section. */
static int print_sensitivity(FILE *out, char **paths, size_t nr,
			     const struct compare_args *a)
{
	struct trace *traces = calloc(nr, sizeof(*traces));
	struct sensitivity sv;
	struct errbuf err;
	size_t i, loaded = 0;
	int ret = 0;

	if (!traces)
		abort();
	for (i = 0; i < nr && !ret; i++, loaded++) {
		trace_init(&traces[i]);
		if (trace_load(paths[i], &traces[i], err.msg,
			       sizeof(err.msg))) {
			fprintf(stderr, "%s\n", err.msg);
			ret = 2;
		}
	}
	if (!ret && sensitivity_measure(traces, nr, a->schemes,
					a->nr_schemes, &a->user, &sv, &err)) {
		fprintf(stderr, "rmaplab compare: %s\n", err.msg);
		ret = 2;
	}
	if (!ret) {
		fprintf(out, "Sensitivity\n-----------\n\n");
		sensitivity_print(out, &sv, RT_WIDTH);
		sensitivity_free(&sv);
	}
	for (i = 0; i < loaded; i++)
		trace_free(&traces[i]);
	free(traces);
	return ret;
}

static void free_set(struct compare_set *cs)
{
	size_t i, s;

	for (i = 0; i < cs->nr_traces; i++) {
		for (s = 0; s < cs->nr_schemes; s++)
			measure_result_free(&cs->traces[i].res[s]);
		free(cs->traces[i].res);
	}
	free(cs->traces);
	for (s = 0; s < cs->nr_schemes; s++)
		measure_result_free(&cs->total[s]);
	free(cs->total);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_args a;
	struct compare_set cs;
	struct rr_report base;
	struct scheme_spec spec;
	struct errbuf err;
	char **paths = NULL, what[300], source[1024];
	size_t nr_paths, i, s;
	bool from_corpus = false;
	unsigned long diverged = 0;
	FILE *out = stdout;
	int ret = 0;

	memset(&a, 0, sizeof(a));
	ret = parse_args(argc, argv, &a);
	if (ret >= 0) {
		objsizes_free(&a.user);
		return ret;
	}
	ret = 0;
	if (!a.nr_schemes) {
		a.nr_schemes = scheme_defaults(SCHEME_SET_COMPARE, a.schemes,
					       sizeof(a.schemes) /
					       sizeof(a.schemes[0]));
	}
	for (s = 0; s < a.nr_schemes; s++) {
		if (scheme_lookup(a.schemes[s], &spec, &err)) {
			fprintf(stderr, "rmaplab compare: %s\n", err.msg);
			objsizes_free(&a.user);
			return 2;
		}
	}

	/* the baseline first: a bad one is known before measuring */
	memset(&base, 0, sizeof(base));
	if (a.baseline && rr_load(a.baseline, &base, what, sizeof(what))) {
		fprintf(stderr, "rmaplab compare: %s\n", what);
		objsizes_free(&a.user);
		return 2;
	}
	/* Slabinfo first, so that --objsize can still override it. */
	if (a.slabinfo) {
		struct objsizes both = { 0 };

		if (objsizes_from_slabinfo(&both, a.slabinfo, &err)) {
			fprintf(stderr, "rmaplab compare: %s\n", err.msg);
			objsizes_free(&a.user);
			objsizes_free(&both);
			rr_free(&base);
			return 2;
		}
		for (i = 0; i < a.user.nr; i++)
			objsizes_set(&both, a.user.v[i].name,
				     a.user.v[i].size);
		objsizes_free(&a.user);
		a.user = both;
	}
	a.opts.sizes = &a.user;

	if (optind < argc) {
		nr_paths = argc - optind;
	} else {
		paths = corpus_find(false, &nr_paths, NULL, 0);
		from_corpus = true;
		if (!nr_paths) {
			fprintf(stderr, "rmaplab compare: no TRACE given and "
				"no bundled corpus found (set "
				"RMAPLAB_SRCDIR)\n");
			objsizes_free(&a.user);
			rr_free(&base);
			return 2;
		}
	}

	memset(&cs, 0, sizeof(cs));
	if (a.sensitivity) {
		ret = print_sensitivity(stdout, from_corpus ? paths :
					argv + optind, nr_paths, &a);
		goto done;
	}

	/* JSON on stdout replaces the tables. */
	if (a.json && !strcmp(a.json, "-")) {
		out = fopen("/dev/null", "w");
		if (!out) {
			perror("/dev/null");
			objsizes_free(&a.user);
			rr_free(&base);
			return 2;
		}
	}

	memset(&cs, 0, sizeof(cs));
	cs.schemes = a.schemes;
	cs.nr_schemes = a.nr_schemes;
	cs.opts = &a.opts;
	cs.objsize_source = source;
	cs.traces = calloc(nr_paths, sizeof(*cs.traces));
	cs.total = calloc(a.nr_schemes, sizeof(*cs.total));
	if (!cs.traces || !cs.total)
		abort();
	for (s = 0; s < a.nr_schemes; s++)
		snprintf(cs.total[s].scheme, sizeof(cs.total[s].scheme), "%s",
			 a.schemes[s]);

	for (i = 0; i < nr_paths && !ret; i++) {
		const char *path = from_corpus ? paths[i] : argv[optind + i];
		struct compare_trace *ct = &cs.traces[cs.nr_traces];
		struct trace_checkpoint ref;
		struct trace trace;
		bool have_ref;

		trace_init(&trace);
		if (trace_load(path, &trace, err.msg, sizeof(err.msg))) {
			fprintf(stderr, "%s\n", err.msg);
			trace_free(&trace);
			ret = 2;
			break;
		}
		memset(&ref, 0, sizeof(ref));
		if (load_end_ref(path, &ref, &have_ref)) {
			trace_free(&trace);
			ret = 2;
			break;
		}
		a.opts.end_ref = have_ref ? &ref : NULL;
		snprintf(ct->path, sizeof(ct->path), "%s", path);
		snprintf(ct->arch, sizeof(ct->arch), "%s", trace.hdr.arch);
		ct->page_size = trace.hdr.page_size;
		ct->hdr = trace.hdr;
		ct->nr_ev = trace.nr_ev;
		ct->res = calloc(a.nr_schemes, sizeof(*ct->res));
		if (!ct->res)
			abort();
		cs.nr_traces++;
		for (s = 0; s < a.nr_schemes; s++) {
			if (measure_trace(&trace, a.schemes[s], &a.opts,
					  &ct->res[s], &err) < 0) {
				fprintf(stderr, "%s\n", err.msg);
				ret = 2;
				break;
			}
			/* The snapshot is every scheme's: the next take it. */
			if (ct->res[s].available && !ct->res[s].snap_at_end)
				a.opts.snap_event = ct->res[s].snap_event;
			diverged += ct->res[s].divergences;
			if (ct->res[s].divergences)
				fprintf(stderr, "%s: %s: %lu results differ "
					"from the kernel's\n", path,
					a.schemes[s], ct->res[s].divergences);
			measure_result_add(&cs.total[s], &ct->res[s]);
		}
		if (have_ref)
			checkpoint_free(&ref);
		a.opts.end_ref = NULL;
		a.opts.snap_event = 0;
		trace_free(&trace);
		if (!ret && !a.total_only && nr_paths > 1)
			print_trace(out, ct, a.nr_schemes, a.detail);
	}
	if (ret)
		goto done;
	for (s = 0; s < a.nr_schemes; s++)
		walk_stats_finish(&cs.total[s].walk);
	sizes_source(source, sizeof(source), &cs, &a);

	if (nr_paths > 1) {
		snprintf(what, sizeof(what), "all %zu traces", cs.nr_traces);
		fprintf(out, "== %s (peaks: sum of each trace's peak)\n", what);
	} else {
		snprintf(what, sizeof(what), "%s",
			 base_name(cs.traces[0].path));
	}
	print_sizes(out, &cs);
	print_mixed_sizes(out, &cs);
	fprintf(out, "\n");
	{
		char title[400];

		if (nr_paths == 1)
			snap_title(title, sizeof(title), what,
				   cs.traces[0].res, a.nr_schemes);
		else
			snprintf(title, sizeof(title), "%s: memory at end (or "
				 "folio peak of traces that end empty)", what);
		print_memory_table(out, title, cs.total, a.nr_schemes,
				   false);
		if (nr_paths == 1)
			print_kernel_ref(out, cs.traces[0].res,
					 a.nr_schemes);
		fprintf(out, "\n");
		snprintf(title, sizeof(title), "%s: memory at peak", what);
		print_memory_table(out, title, cs.total, a.nr_schemes,
				   true);
		fprintf(out, "\n");
	}
	print_full(out, what, cs.total, a.nr_schemes);
	if (nr_paths > 1) {
		fprintf(out, "\n");
		print_kernel_summary(out, &cs);
	}
	if (diverged)
		fprintf(out, "note: %lu replayed results differ from the "
			"kernel's (see stderr)\n", diverged);
	if (a.baseline) {
		struct rr_report now;

		run_side(&now, &cs);
		fprintf(out, "\n");
		report_compare_runs(out, &base, &now);
		rr_free(&now);
	}

	if (a.json && !strcmp(a.json, "-")) {
		compare_write_json(stdout, &cs);
	} else if (a.json) {
		struct outfile o;
		char msg[PATH_MAX + 100];

		if (outfile_open(&o, a.json, msg, sizeof(msg))) {
			fprintf(stderr, "rmaplab compare: %s\n", msg);
			ret = 2;
			goto done;
		}
		compare_write_json(o.f, &cs);
		if (outfile_commit(&o, false, msg, sizeof(msg))) {
			fprintf(stderr, "rmaplab compare: %s\n", msg);
			ret = 2;
		}
	}
	if (a.csv && compare_write_csv(a.csv, &cs, &err)) {
		fprintf(stderr, "rmaplab compare: %s\n", err.msg);
		ret = 2;
	}
done:
	free_set(&cs);
	if (paths) {
		for (i = 0; i < nr_paths; i++)
			free(paths[i]);
		free(paths);
	}
	objsizes_free(&a.user);
	rr_free(&base);
	if (out != stdout)
		fclose(out);
	return ret;
}
