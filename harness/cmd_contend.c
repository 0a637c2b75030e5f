// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab contend [--scheme S]... [--mode world|schedule] [--workers N]
 *                 [--walkers N] [--no-pin] [--seed N] [--json FILE]
 *                 [--forktree EVENTS] [TRACE...]
 *
 * Lock contention: the trace's independent process subtrees replayed in
 * parallel while walkers emulate reclaim (harness/contention.h).
 */
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
#include "reports/json.h"
#include "reports/table.h"

static const char *const contend_synopsis[] = {
	"[--scheme S]... [--mode world|schedule] [--workers N]",
	" [--walkers N] [--no-pin] [--seed N] [--json FILE]",
	" [--forktree EVENTS] [TRACE...]",
	NULL,
};

static const struct cmd_opt contend_opts[] = {
	{ "-s, --scheme S", "a scheme (repeat; default classic, lazy, "
	  "cowctx)" },
	{ "--mode world", "one shared world, one event at a time under a "
	  "world\nmutex (default; rmap locks cannot contend)" },
	{ "--mode schedule", "replay the recorded rmap lock schedules "
	  "concurrently" },
	{ "--workers N", "event threads (default: one per PU)" },
	{ "--walkers N", "reclaim-like walker threads (default 1)" },
	{ "--no-pin", "do not bind threads to PUs" },
	{ "--seed N", "seed of the walkers' folio choice (default 1)" },
	{ "--json FILE", "the results as JSON, '-' for stdout" },
	{ "--forktree N", "a generated fork-heavy trace of N events instead "
	  "of TRACEs" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const contend_examples[] = {
	"rmaplab contend --mode schedule traces/corpus/apache-prefork.rmt",
	NULL,
};

const struct cmd_doc contend_doc = {
	.name = "contend",
	.summary = "lock contention between replay and reclaim-like walkers",
	.synopsis = contend_synopsis,
	.description =
	"Replays the trace's independent process subtrees in parallel\n"
	"threads while walker threads emulate reclaim, and prints lock_stat\n"
	"style tables per lock class.  No TRACE and no --forktree: the\n"
	"bundled corpus.",
	.opts = contend_opts,
	.exits = EXIT_OK_BIT | EXIT_DISAGREE_BIT | EXIT_BADINPUT_BIT,
	.exit_note = "1: a walk during the run did not find every mapping "
		"of its folio.",
	.examples = contend_examples,
};

static const char *mode_name(enum contend_mode m)
{
	return m == CONTEND_SCHEDULE ? "schedule" : "world";
}

static void print_result(FILE *f, const char *trace,
			 const struct contend_result *r,
			 const struct contend_opts *o)
{
	unsigned long tot_cont, tot_wait;
	struct rt_table t;
	int k, op;

	fprintf(f, "== %s: %s, mode %s\n", trace, r->scheme,
		mode_name(r->mode));
	rt_wrap(f, RT_WIDTH, "", "", r->topology);
	rt_wrapf(f, RT_WIDTH, "", "", "%lu events in %lu units; wall %.1f "
		 "ms; %lu walks, %lu gave up on a contended lock; afterwards "
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
	for (k = 0; k < r->nr_locks; k++) {
		const struct lock_class *c = &r->locks[k];

		fprintf(f, "%s: max wait %.1f us, write hold %.1f ms\n",
			c->name, c->wait_max_ns / 1e3, c->hold_ns / 1e6);
	}

	/* Which operations the contention came from: Tim Chen's 2011 view. */
	for (k = 0; k < r->nr_locks; k++) {
		const struct lock_class *c = &r->locks[k];

		tot_cont = tot_wait = 0;
		for (op = 0; op < OP_NR; op++) {
			tot_cont += c->contended[op];
			tot_wait += c->wait_ns[op];
		}
		if (!tot_cont)
			continue;
		rt_init(&t, 3, RT_NUMERIC);
		rt_title(&t, "%s: contention by operation", c->name);
		rt_head(&t, 0, "operation");
		rt_head(&t, 1, "contended");
		rt_head(&t, 2, "wait");
		for (op = 0; op < OP_NR; op++) {
			if (!c->contended[op])
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s", mm_op_names[op]);
			rt_cell(&t, 1, "%.1f%%", 100.0 * c->contended[op] /
				tot_cont);
			rt_cell(&t, 2, "%.1f%%", tot_wait ? 100.0 *
				c->wait_ns[op] / tot_wait : 0.0);
		}
		rt_print(f, &t, RT_WIDTH);
		rt_free(&t);
	}
	if (r->mode == CONTEND_WORLD)
		rt_wrapf(f, RT_WIDTH, "", "", "mode world: events and "
			 "walks are serialised by world_mutex, so rmap locks "
			 "are always free when taken; world_mutex shows what "
			 "waits for that serialisation.%s",
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
	rj_kulong(j, "walks_contended", r->walks_contended);
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
	rj_key(j, "classes");
	rj_arr_flat(j);
	for (k = 0; k < r->nr_locks; k++) {
		rj_obj_flat(j);
		rj_kstr(j, "class", r->locks[k].name);
		rj_kulong(j, "wait_max_ns", r->locks[k].wait_max_ns);
		rj_kulong(j, "hold_ns", r->locks[k].hold_ns);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

int cmd_contend(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scheme", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "workers", required_argument, NULL, 'w' },
		{ "walkers", required_argument, NULL, 'k' },
		{ "no-pin", no_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, 'S' },
		{ "json", required_argument, NULL, 'j' },
		{ "forktree", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct contend_opts o = { .walkers = 1, .pin = true, .seed = 1 };
	const char *schemes[32], *json = NULL;
	size_t nr_schemes = 0, nr_paths = 0, i, s;
	unsigned long forktree = 0;
	struct scheme_spec spec;
	struct rj j;
	struct errbuf err;
	char **paths = NULL, *end;
	FILE *jf = NULL, *out = NULL;
	long v;
	int c, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (nr_schemes == 32)
				return 2;
			schemes[nr_schemes++] = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "world")) {
				o.mode = CONTEND_WORLD;
			} else if (!strcmp(optarg, "schedule")) {
				o.mode = CONTEND_SCHEDULE;
			} else {
				fprintf(stderr, "rmaplab contend: unknown mode "
					"'%s' (world, schedule)\n", optarg);
				return 2;
			}
			break;
		case 'w':
		case 'k':
		case 'S':
		case 'f':
			v = strtol(optarg, &end, 0);
			if (*end || end == optarg || v < 0 ||
			    (c == 'w' && (v < 1 || v > 256)) ||
			    (c == 'k' && v > 256)) {
				fprintf(stderr, "rmaplab contend: bad number "
					"'%s'\n", optarg);
				return 2;
			}
			if (c == 'w')
				o.workers = v;
			else if (c == 'k')
				o.walkers = v;
			else if (c == 'S')
				o.seed = v;
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
		for (s = 0; s < nr_default_schemes; s++)
			schemes[nr_schemes++] = default_schemes[s];
	for (s = 0; s < nr_schemes; s++) {
		if (scheme_lookup(schemes[s], &spec, &err)) {
			fprintf(stderr, "rmaplab contend: %s\n", err.msg);
			return 2;
		}
	}
	if (optind < argc) {
		nr_paths = argc - optind;
	} else if (!forktree) {
		paths = corpus_find(false, &nr_paths, NULL, 0);
		if (!nr_paths) {
			fprintf(stderr, "rmaplab contend: no TRACE and no "
				"bundled corpus found\n");
			return 2;
		}
	}
	if (json) {
		/* JSON on stdout replaces the tables */
		jf = strcmp(json, "-") ? fopen(json, "w") : stdout;
		if (jf == stdout)
			out = fopen("/dev/null", "w");
		if (!jf) {
			perror(json);
			ret = 2;
			goto out;
		}
		rj_init(&j, jf);
		rj_obj(&j);
		rj_kstr(&j, "format", "rmaplab-contend");
		rj_klong(&j, "version", 1);
		rj_key(&j, "runs");
		rj_arr(&j);
	}
	for (i = 0; i < (forktree ? 1 : nr_paths) && !ret; i++) {
		struct trace t;
		const char *path = forktree ? NULL : paths ? paths[i] :
			argv[optind + i];

		if (forktree) {
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
		for (s = 0; s < nr_schemes; s++) {
			struct contend_result r;

			if (contend_trace(&t, schemes[s], &o, &r, &err)) {
				fprintf(stderr, "%s: %s\n", t.path, err.msg);
				ret = 2;
				break;
			}
			print_result(out ? out : stdout, t.path, &r, &o);
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
		if (jf == stdout ? fflush(jf) : fclose(jf)) {
			perror(json);
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
