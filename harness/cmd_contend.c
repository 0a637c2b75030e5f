// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab contend [--simulate] [--scheme S]... [--cpus LIST] [--walkers N]
 *                 [--walk-rate R] [--blocking-pct P] [--hold-scale X]
 *                 [--storm KIND[:SIZE]] [--seed N] [--json FILE]
 *                 [--no-footprint] [TRACE...]
 * rmaplab contend --mode wallclock|wallclock-schedule [--workers N]
 *                 [--walkers N] [--no-pin] [--forktree EVENTS] ...
 *
 * Lock contention: by default the deterministic virtual-time simulation
 * (harness/sim/sim.h); the wall-clock driver (harness/contention.h) only
 * as a labelled diagnostic.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/contention.h"
#include "harness/gen_forktree.h"
#include "harness/corpus.h"
#include "harness/measure.h"
#include "harness/registry.h"
#include "harness/sim/sim.h"
#include "traces/outfile.h"
#include "reports/json.h"
#include "reports/table.h"

#define MAX_CPU_COUNTS	32
#define MAX_SCHEMES	32

static const char *const contend_synopsis[] = {
	"[--simulate] [--scheme S]... [--cpus LIST]",
	" [--walkers N] [--walk-rate R] [--blocking-pct P]",
	" [--hold-scale X] [--storm KIND[:N]] [--seed N]",
	" [--json FILE] [--no-footprint] [TRACE...]",
	"--mode wallclock|wallclock-schedule [--workers N]",
	" [--walkers N] [--no-pin] [--seed N] [--json FILE]",
	" [--forktree EVENTS] [TRACE...]",
	NULL,
};

static const struct cmd_opt contend_opts[] = {
	{ "-s, --scheme S", "a scheme (repeat; default classic, lazy, "
	  "cowctx)" },
	{ "--simulate", "(default) the trace's lock schedule on virtual "
	  "CPUs in\nvirtual time, rwsem / spinlock / RCU semantics,\n"
	  "deterministic; lock_stat's columns per CPU count" },
	{ "--cpus LIST", "virtual CPU counts, 1..256 (default "
	  "1,2,4,8,16,32,64)" },
	{ "--walkers N", "reclaim walkers, each on a CPU of its own "
	  "(default 1)" },
	{ "--walk-rate R", "walks per virtual second per walker (default "
	  "100000)" },
	{ "--blocking-pct P", "% of walks that block (try_to_unmap, "
	  "migration); the\nrest trylock (folio_referenced) (default 10)" },
	{ "--hold-scale X", "multiply the cost of work done under a lock "
	  "(default 1)" },
	{ "--storm KIND[:N]", "a generated fork storm instead of TRACEs: "
	  "zygote, server\nor chain, N processes (default 256)" },
	{ "--no-footprint", "leave out the lock footprint tables" },
	{ "--seed N", "seed of the walkers' choices (default 1)" },
	{ "--json FILE", "the results as JSON, '-' for stdout" },
	{ "--mode wallclock", "DIAGNOSTIC: real threads, one world mutex "
	  "(rmap locks\ncannot contend); machine-dependent, never in a "
	  "report" },
	{ "--mode wallclock-schedule", "DIAGNOSTIC: recorded lock schedules "
	  "on real rwlocks,\nbusy for recorded wall-clock times" },
	{ "--workers N", "wall clock: event threads (default: one per PU)" },
	{ "--no-pin", "wall clock: do not bind threads to PUs" },
	{ "--forktree N", "wall clock: a generated fork-heavy trace of N "
	  "events\ninstead of TRACEs" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const contend_examples[] = {
	"rmaplab contend --cpus 1,2,4,8,16,32,64,128,256",
	"rmaplab contend --storm zygote --scheme classic --no-footprint",
	NULL,
};

const struct cmd_doc contend_doc = {
	.name = "contend",
	.summary = "lock footprint and simulated lock contention",
	.synopsis = contend_synopsis,
	.description =
	"Counts what each lock class touches while held and which processes\n"
	"share each lock instance (the footprint), then runs the trace's\n"
	"lock schedule on 1..256 virtual CPUs in virtual time while reclaim\n"
	"walkers walk folios, and prints lock_stat's columns per CPU count,\n"
	"the throughput per CPU count and how the ranking of the schemes\n"
	"changes when in-lock costs are scaled.  Deterministic: the same\n"
	"input gives the same output.  No TRACE, --storm or --forktree: the\n"
	"bundled corpus.\n"
	"\n"
	"--mode wallclock and wallclock-schedule are a diagnostic with real\n"
	"threads and wall-clock times that depend on the machine.",
	.opts = contend_opts,
	.exits = EXIT_OK_BIT | EXIT_DISAGREE_BIT | EXIT_BADINPUT_BIT,
	.exit_note = "1: a walk after the replay did not find every mapping "
		"of its folio.",
	.examples = contend_examples,
};

/* ---- the wall-clock diagnostic -------------------------------------- */

static const char *mode_name(enum contend_mode m)
{
	return m == CONTEND_SCHEDULE ? "wallclock-schedule" : "wallclock";
}

static void print_result(FILE *f, const char *trace,
			 const struct contend_result *r,
			 const struct contend_opts *o)
{
	struct rt_table t;
	int k, op;

	fprintf(f, "== %s: %s, mode %s (DIAGNOSTIC: wall clock, depends on "
		"this machine and its load)\n", trace, r->scheme,
		mode_name(r->mode));
	rt_wrap(f, RT_WIDTH, "", "", r->topology);
	rt_wrapf(f, RT_WIDTH, "", "", "%lu events in %lu units; wall %.1f "
		 "ms; %lu walks, %lu gave up at a failed trylock; afterwards "
		 "%lu/%lu mappings found%s", r->events, r->units,
		 r->wall_ns / 1e6, r->walks, r->walks_contended, r->found,
		 r->present, r->found == r->present ? "" : " (LOST SOME)");
	rt_init(&t, 5, RT_NUMERIC);
	rt_head(&t, 0, "Lock class, operation");
	rt_head(&t, 1, "acq r/w");
	rt_head(&t, 2, "contended");
	rt_head(&t, 3, "wait us");
	rt_head(&t, 4, "wait/acq ns");
	for (k = 0; k < r->nr_locks; k++) {
		const struct lock_class *c = &r->locks[k];

		for (op = 0; op < OP_NR; op++) {
			unsigned long acq = c->acquire_read[op] +
				c->acquire_write[op];

			if (!acq && !c->contended[op])
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s %s", c->name, mm_op_names[op]);
			rt_cell(&t, 1, "%lu/%lu", c->acquire_read[op],
				c->acquire_write[op]);
			rt_cell(&t, 2, "%lu", c->contended[op]);
			rt_cell(&t, 3, "%.1f", c->wait_ns[op] / 1e3);
			rt_cell(&t, 4, "%.0f", acq ? (double)c->wait_ns[op] /
				(double)acq : 0.0);
		}
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
	for (k = 0; k < r->nr_locks; k++)
		fprintf(f, "%s: max wait %.1f us, write hold %.1f ms\n",
			r->locks[k].name, r->locks[k].wait_max_ns / 1e3,
			r->locks[k].hold_ns / 1e6);
	if (r->mode == CONTEND_WORLD)
		rt_wrapf(f, RT_WIDTH, "", "", "mode wallclock: events and "
			 "walks are serialised by world_mutex, so rmap locks "
			 "are always free when taken.%s",
			 o->walkers ? "" : " No walkers.");
	fputc('\n', f);
}

static void json_result(struct rj *j, const char *trace,
			const struct contend_result *r)
{
	int k, op;

	rj_obj_flat(j);
	rj_kstr(j, "trace", trace);
	rj_kstr(j, "scheme", r->scheme);
	rj_kstr(j, "mode", mode_name(r->mode));
	rj_kstr(j, "topology", r->topology);
	rj_kulong(j, "events", r->events);
	rj_kulong(j, "units", r->units);
	rj_kulong(j, "wall_ns", r->wall_ns);
	rj_kulong(j, "walks", r->walks);
	rj_kulong(j, "walks_gave_up", r->walks_contended);
	rj_kulong(j, "found", r->found);
	rj_kulong(j, "present", r->present);
	rj_kulong(j, "divergences", r->divergences);
	rj_key(j, "locks");
	rj_arr_flat(j);
	for (k = 0; k < r->nr_locks; k++) {
		const struct lock_class *c = &r->locks[k];

		for (op = 0; op < OP_NR; op++) {
			if (!c->acquire_read[op] && !c->acquire_write[op] &&
			    !c->contended[op])
				continue;
			rj_obj_flat(j);
			rj_kstr(j, "class", c->name);
			rj_kstr(j, "op", mm_op_names[op]);
			rj_kulong(j, "read", c->acquire_read[op]);
			rj_kulong(j, "write", c->acquire_write[op]);
			rj_kulong(j, "contended", c->contended[op]);
			rj_kulong(j, "wait_ns", c->wait_ns[op]);
			rj_obj_end(j);
		}
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

/* ---- the simulation ------------------------------------------------- */

struct sim_args {
	struct sim_opts o;
	unsigned int cpus[MAX_CPU_COUNTS];
	int nr_cpus;
	bool footprint;
};

static const double hold_scales[] = { 0.1, 0.3, 1, 3, 10 };
#define NR_SCALES (sizeof(hold_scales) / sizeof(hold_scales[0]))

/* "1,2,4": false on anything else or a count outside 1..256. */
static bool parse_cpus(const char *s, struct sim_args *a)
{
	char *end;
	long v;

	a->nr_cpus = 0;
	while (*s) {
		v = strtol(s, &end, 10);
		if (end == s || v < 1 || v > SIM_MAX_CPUS ||
		    a->nr_cpus == MAX_CPU_COUNTS)
			return false;
		a->cpus[a->nr_cpus++] = (unsigned int)v;
		s = end;
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	return a->nr_cpus > 0;
}

/* Schemes ranked by throughput, best first: "cowctx > lazy > classic". */
static void ranking(char *buf, size_t len, const char **schemes,
		    const double *ops, size_t n)
{
	size_t order[MAX_SCHEMES], i, k, t, used = 0;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && ops[order[k]] > ops[order[k - 1]]; k--) {
			t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	buf[0] = 0;
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s",
				 i ? " > " : "", schemes[order[i]]);
}

static int simulate_trace(FILE *f, const struct trace *t, const char *name,
			  const char **schemes, size_t nr_schemes,
			  const struct sim_args *a, struct rj *j)
{
	double *ops = calloc(nr_schemes * (a->nr_cpus + NR_SCALES),
			     sizeof(*ops));
	struct sim_recording *rec;
	struct sim_result res;
	struct sim_opts o;
	struct errbuf err;
	struct rt_table tab;
	unsigned long found, present;
	char buf[256];
	size_t s, k;
	int c, ret = 0;

	if (!ops)
		abort();
	if (j) {
		rj_obj(j);
		rj_kstr(j, "trace", name);
		rj_key(j, "schemes");
		rj_arr(j);
	}
	for (s = 0; s < nr_schemes; s++) {
		rec = sim_record(t, schemes[s], &err);
		if (!rec) {
			fprintf(stderr, "%s\n", err.msg);
			ret = 2;
			break;
		}
		sim_recording_check(rec, &found, &present);
		fprintf(f, "== %s: %s (simulated)\n", name, schemes[s]);
		if (found != present) {
			fprintf(f, "LOST MAPPINGS: the final walks found %lu "
				"of %lu\n", found, present);
			ret = 1;
		}
		if (a->footprint)
			sim_print_footprint(f, name, schemes[s],
					    sim_footprint(rec));
		if (j) {
			rj_obj(j);
			rj_kstr(j, "scheme", schemes[s]);
			rj_kulong(j, "found", found);
			rj_kulong(j, "present", present);
			rj_key(j, "footprint");
			sim_json_footprint(j, sim_footprint(rec));
			rj_key(j, "runs");
			rj_arr(j);
		}
		for (c = 0; c < a->nr_cpus; c++) {
			sim_run(rec, a->cpus[c], &a->o, &res);
			ops[s * (a->nr_cpus + NR_SCALES) + c] = res.ops_per_sec;
			sim_print_lockstat(f, &res);
			if (j)
				sim_json_result(j, &res);
		}
		/* sensitivity: hold costs scaled, at the largest count */
		for (k = 0; k < NR_SCALES; k++) {
			o = a->o;
			o.hold_scale = a->o.hold_scale * hold_scales[k];
			sim_run(rec, a->cpus[a->nr_cpus - 1], &o, &res);
			ops[s * (a->nr_cpus + NR_SCALES) + a->nr_cpus + k] =
				res.ops_per_sec;
		}
		if (j) {
			rj_arr_end(j);
			rj_obj_end(j);
		}
		sim_recording_free(rec);
		fputc('\n', f);
	}
	if (j) {
		rj_arr_end(j);
		rj_obj_end(j);
	}
	if (ret) {
		free(ops);
		return ret;
	}
	rt_init(&tab, 1 + (int)nr_schemes, RT_NUMERIC);
	rt_title(&tab, "Throughput, events per virtual second: %s", name);
	rt_head(&tab, 0, "CPUs");
	for (s = 0; s < nr_schemes; s++)
		rt_head(&tab, 1 + (int)s, "%s", schemes[s]);
	for (c = 0; c < a->nr_cpus; c++) {
		rt_row(&tab);
		rt_cell(&tab, 0, "%u", a->cpus[c]);
		for (s = 0; s < nr_schemes; s++)
			rt_cell(&tab, 1 + (int)s, "%.0f",
				ops[s * (a->nr_cpus + NR_SCALES) + c]);
	}
	rt_print(f, &tab, RT_WIDTH);
	rt_free(&tab);
	fprintf(f, "Sensitivity (%u CPUs, in-lock costs scaled):",
		a->cpus[a->nr_cpus - 1]);
	for (k = 0; k < NR_SCALES; k++) {
		double v[MAX_SCHEMES];

		for (s = 0; s < nr_schemes; s++)
			v[s] = ops[s * (a->nr_cpus + NR_SCALES) + a->nr_cpus +
				   k];
		ranking(buf, sizeof(buf), schemes, v, nr_schemes);
		fprintf(f, " %gx: %s;", hold_scales[k], buf);
	}
	fputs("\n\n", f);
	free(ops);
	return 0;
}

/* ---- entry ---------------------------------------------------------- */

int cmd_contend(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "simulate", no_argument, NULL, 'M' },
		{ "workers", required_argument, NULL, 'w' },
		{ "walkers", required_argument, NULL, 'k' },
		{ "no-pin", no_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 'S' },
		{ "json", required_argument, NULL, 'j' },
		{ "forktree", required_argument, NULL, 'f' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "walk-rate", required_argument, NULL, 'r' },
		{ "blocking-pct", required_argument, NULL, 'b' },
		{ "hold-scale", required_argument, NULL, 'x' },
		{ "storm", required_argument, NULL, 'y' },
		{ "no-footprint", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct contend_opts o = { .walkers = 1, .pin = true, .seed = 1 };
	struct sim_args sa = { .footprint = true };
	const char *schemes[MAX_SCHEMES], *json = NULL;
	size_t nr_schemes = 0, nr_paths = 0, i, s;
	unsigned long forktree = 0;
	bool wallclock = false;
	int storm = -1;
	unsigned int storm_size = 256;
	struct scheme_spec spec;
	struct rj j;
	struct errbuf err;
	char **paths = NULL, *end, *colon;
	char msg[PATH_MAX + 100];
	struct outfile jo = { 0 };
	FILE *jf = NULL, *out = NULL, *f;
	double d;
	long v;
	int c, ret = 0;

	sim_opts_default(&sa.o);
	parse_cpus("1,2,4,8,16,32,64", &sa);
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (nr_schemes == MAX_SCHEMES)
				return 2;
			schemes[nr_schemes++] = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "wallclock")) {
				o.mode = CONTEND_WORLD;
			} else if (!strcmp(optarg, "wallclock-schedule")) {
				o.mode = CONTEND_SCHEDULE;
			} else {
				fprintf(stderr, "rmaplab contend: unknown mode "
					"'%s' (wallclock, wallclock-schedule; "
					"the default is --simulate)\n", optarg);
				return 2;
			}
			wallclock = true;
			break;
		case 'M':
			break;
		case 'c':
			if (!parse_cpus(optarg, &sa)) {
				fprintf(stderr, "rmaplab contend: bad CPU list "
					"'%s' (counts 1..%d, comma "
					"separated)\n",
					optarg, SIM_MAX_CPUS);
				return 2;
			}
			break;
		case 'r':
		case 'x':
			d = strtod(optarg, &end);
			if (*end || end == optarg || !(d > 0) || d > 1e12) {
				fprintf(stderr, "rmaplab contend: bad number "
					"'%s'\n", optarg);
				return 2;
			}
			if (c == 'r')
				sa.o.walk_rate = d;
			else
				sa.o.hold_scale = d;
			break;
		case 'y':
			colon = strchr(optarg, ':');
			if (colon)
				*colon = 0;
			storm = sim_storm_lookup(optarg);
			if (colon) {
				v = strtol(colon + 1, &end, 0);
				if (*end || v < 1 || v > 100000)
					storm = -1;
				storm_size = (unsigned int)v;
			}
			if (storm < 0) {
				fprintf(stderr, "rmaplab contend: bad storm "
					"'%s' (zygote, server or chain, "
					"optionally :SIZE)\n", optarg);
				return 2;
			}
			break;
		case 'F':
			sa.footprint = false;
			break;
		case 'w':
		case 'k':
		case 'S':
		case 'f':
		case 'b':
			v = strtol(optarg, &end, 0);
			if (*end || end == optarg || v < 0 ||
			    (c == 'w' && (v < 1 || v > 256)) ||
			    (c == 'k' && v > SIM_MAX_WALKERS) ||
			    (c == 'b' && v > 100)) {
				fprintf(stderr, "rmaplab contend: bad number "
					"'%s'\n", optarg);
				return 2;
			}
			if (c == 'w')
				o.workers = v;
			else if (c == 'k')
				o.walkers = sa.o.walkers = v;
			else if (c == 'S')
				o.seed = sa.o.seed = v;
			else if (c == 'b')
				sa.o.blocking_pct = v;
			else
				forktree = v;
			break;
		case 'P':
			o.pin = false;
			break;
		case 'j':
			json = optarg;
			break;
		case 'h':
			cmd_help(stdout, &contend_doc);
			return 0;
		default:
			return cmd_usage_error(&contend_doc);
		}
	}
	if (!nr_schemes)
		nr_schemes = scheme_defaults(SCHEME_SET_CONTEND, schemes,
					     sizeof(schemes) /
					     sizeof(schemes[0]));
	for (s = 0; s < nr_schemes; s++) {
		if (scheme_lookup(schemes[s], &spec, &err)) {
			fprintf(stderr, "rmaplab contend: %s\n", err.msg);
			return 2;
		}
	}
	if (optind < argc) {
		nr_paths = argc - optind;
	} else if (!forktree && storm < 0) {
		paths = corpus_find(false, &nr_paths, NULL, 0);
		if (!nr_paths) {
			fprintf(stderr, "rmaplab contend: no TRACE and no "
				"bundled corpus found\n");
			return 2;
		}
	}
	if (json) {
		/* JSON on stdout replaces the tables */
		if (!strcmp(json, "-")) {
			jf = stdout;
			out = fopen("/dev/null", "w");
		} else if (!outfile_open(&jo, json, msg, sizeof(msg))) {
			jf = jo.f;
		} else {
			fprintf(stderr, "rmaplab contend: %s\n", msg);
			ret = 2;
			goto out;
		}
		rj_init(&j, jf);
		rj_obj(&j);
		rj_kstr(&j, "format", wallclock ? "rmaplab-contend-wallclock" :
			"rmaplab-contend-sim");
		rj_klong(&j, "version", wallclock ? 2 : 3);
		rj_key(&j, "runs");
		rj_arr(&j);
	}
	f = out ? out : stdout;
	if (!wallclock) {
		fprintf(f, "Simulated lock contention: virtual CPUs run the "
			"trace's process subtrees while %u reclaim walker%s "
			"walk%s %.0f folios per virtual second (%u%% "
			"blocking); rwsem, spinlock and RCU semantics as in "
			"6.18 (harness/sim/sim_lock.h); deterministic.\n",
			sa.o.walkers, sa.o.walkers == 1 ? "" : "s",
			sa.o.walkers == 1 ? "s" : "", sa.o.walk_rate,
			sa.o.blocking_pct);
		sim_print_costs(f);
		fputc('\n', f);
	}
	for (i = 0; i < (forktree || storm >= 0 ? 1 : nr_paths) && !ret;
	     i++) {
		struct trace t;
		const char *path = paths ? paths[i] : argv[optind + i];

		if (storm >= 0) {
			sim_storm_trace(&t, storm, storm_size, sa.o.seed);
		} else if (forktree) {
			struct forktree_params p;

			forktree_defaults(&p);
			forktree_trace(&t, &p, forktree);
		} else {
			trace_init(&t);
			if (trace_load(path, &t, err.msg, sizeof(err.msg))) {
				fprintf(stderr, "%s\n", err.msg);
				trace_free(&t);
				ret = 2;
				break;
			}
		}
		if (!wallclock) {
			ret = simulate_trace(f, &t, t.path, schemes,
					     nr_schemes, &sa, jf ? &j : NULL);
			trace_free(&t);
			continue;
		}
		for (s = 0; s < nr_schemes; s++) {
			struct contend_result r;

			if (contend_trace(&t, schemes[s], &o, &r, &err)) {
				fprintf(stderr, "%s: %s\n", t.path, err.msg);
				ret = 2;
				break;
			}
			print_result(f, t.path, &r, &o);
			if (jf)
				json_result(&j, t.path, &r);
			if (r.found != r.present)
				ret = 1;
		}
		trace_free(&t);
	}
	if (jf) {
		rj_arr_end(&j);
		rj_obj_end(&j);
		rj_finish(&j);
		if (jf == stdout ? fflush(jf) :
		    outfile_commit(&jo, false, msg, sizeof(msg))) {
			fprintf(stderr, "rmaplab contend: %s\n",
				jf == stdout ? strerror(errno) : msg);
			ret = 2;
		}
	}
out:
	if (out)
		fclose(out);
	if (paths) {
		for (i = 0; i < nr_paths; i++)
			free(paths[i]);
		free(paths);
	}
	return ret;
}
