// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulation's output: the lock footprint (80 columns), lock_stat's
 * table (its column names and units: times in microseconds with two
 * decimals, one row per class and mode, "-W" write and "-R" read, as
 * /proc/lock_stat prints them), the cost table, and JSON.
 */
#include <string.h>

#include "harness/results.h"
#include "harness/sim/sim_internal.h"
#include "reports/json.h"
#include "reports/results_json.h"
#include "reports/table.h"

static double per(unsigned long n, unsigned long d)
{
	return d ? (double)n / (double)d : 0.0;
}

static unsigned long acq_sum(const struct sim_fp_class *c, int m)
{
	unsigned long n = 0;
	int op;

	for (op = 0; op < OP_NR; op++)
		n += c->acq[m][op];
	return n;
}

void sim_print_footprint(FILE *f, const char *trace, const char *scheme,
			 const struct sim_footprint *fp)
{
	struct rt_table t;
	char buf[256];
	int c, m, k;
	size_t len;

	rt_init(&t, 7, RT_NUMERIC);
	(void)trace;
	(void)scheme;
	rt_title(&t, "Lock footprint (per acquisition, while held)");
	rt_head(&t, 0, "class, mode");
	rt_head(&t, 1, "acq");
	rt_head(&t, 2, "nodes");
	rt_head(&t, 3, "linked");
	rt_head(&t, 4, "unlinked");
	rt_head(&t, 5, "ctx");
	rt_head(&t, 6, "VMAs");
	for (c = 0; c < fp->nr_classes; c++) {
		const struct sim_fp_class *fc = &fp->cls[c];

		for (m = 1; m >= 0; m--) {
			unsigned long n = acq_sum(fc, m);

			if (!n)
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s %s", fc->name, m ? "W" : "R");
			rt_cell(&t, 1, "%lu", n);
			rt_cell(&t, 2, "%.1f", per(fc->work[m][LW_NODE], n));
			rt_cell(&t, 3, "%.2f", per(fc->work[m][LW_LINK], n));
			rt_cell(&t, 4, "%.2f", per(fc->work[m][LW_UNLINK], n));
			rt_cell(&t, 5, "%.2f", per(fc->work[m][LW_CTX], n));
			rt_cell(&t, 6, "%.2f", per(fc->work[m][LW_VMA], n));
		}
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
	/* objects freed under a write hold (anon_vmas for classic) */
	for (c = 0; c < fp->nr_classes; c++) {
		const struct sim_fp_class *fc = &fp->cls[c];

		buf[0] = 0;
		len = 0;
		for (k = 0; k < fp->nr_acct && k < ACCT_MAX_CLASSES; k++) {
			if (!fc->freed[1][k] || len >= sizeof(buf))
				continue;
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%s %lu", len ? ", " : "",
					fp->acct_names[k], fc->freed[1][k]);
		}
		if (len)
			rt_wrapf(f, RT_WIDTH, "", "  ",
				 "freed under %s (W): %s", fc->name, buf);
	}

	rt_init(&t, 7, RT_NUMERIC);
	rt_title(&t, "Lock domains (%lu process subtrees)", fp->units);
	rt_head(&t, 0, "class");
	rt_head(&t, 1, "instances");
	rt_head(&t, 2, "procs p50/p90/max");
	rt_head(&t, 3, "VMAs max");
	rt_head(&t, 4, "links max");
	rt_head(&t, 5, "W shared");
	rt_head(&t, 6, "W all");
	for (c = 0; c < fp->nr_classes; c++) {
		const struct sim_fp_class *fc = &fp->cls[c];

		if (!fc->instances)
			continue;
		rt_row(&t);
		rt_cell(&t, 0, "%s", fc->name);
		rt_cell(&t, 1, "%lu", fc->instances);
		rt_cell(&t, 2, "%lu/%lu/%lu", fc->procs_p50, fc->procs_p90,
			fc->procs_max);
		rt_cell(&t, 3, "%lu", fc->vmas_max);
		rt_cell(&t, 4, "%lu", fc->links_max);
		if (fc->acq_events[1]) {
			rt_cell(&t, 5, "%.0f%%", 100.0 * per(fc->acq_shared[1],
						 fc->acq_events[1]));
			rt_cell(&t, 6, "%.0f%%", 100.0 *
				per(fc->acq_all_units[1], fc->acq_events[1]));
		} else {
			rt_cell(&t, 5, "-");
			rt_cell(&t, 6, "-");
		}
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
	rt_wrap(f, RT_WIDTH, "", "", "procs: processes whose events took "
		"the instance; VMAs: distinct VMAs walks found under it "
		"(sampled walks); links: rmap entries linked under it, at "
		"most; W shared / W all: share of the events' write "
		"acquisitions on an instance taken by more than one process "
		"subtree / by every subtree.");
}

static void row(FILE *f, const char *name, const char *mode,
		const struct sim_lockstat *st)
{
	char label[80];

	snprintf(label, sizeof(label), "%s-%s:", name, mode);
	fprintf(f, "%40s %14lu %14lu %14.2f %14.2f %14.2f %14.2f %14lu %14lu "
		"%14.2f %14.2f %14.2f %14.2f\n", label, st->con_bounces,
		st->contentions, st->wait_min / 1e3, st->wait_max / 1e3,
		st->wait_total / 1e3, st->contentions ?
		st->wait_total / 1e3 / (double)st->contentions : 0.0,
		st->acq_bounces, st->acquisitions, st->hold_min / 1e3,
		st->hold_max / 1e3, st->hold_total / 1e3, st->hold_n ?
		st->hold_total / 1e3 / (double)st->hold_n : 0.0);
}

void sim_print_lockstat(FILE *f, const struct sim_result *r)
{
	int c;

	fprintf(f, "cpus %u (at most %u busy), walkers %u, hold scale %g: "
		"%lu events in %.3f ms virtual = %.0f ops/s; %lu walks (%lu "
		"blocking, %lu gave up at a failed trylock); %lu RCU-deferred "
		"frees%s\n", r->cpus, r->max_busy, r->walkers, r->hold_scale,
		r->events, r->makespan_ns / 1e6, r->ops_per_sec, r->walks,
		r->walks_blocking, r->walks_gave_up, r->rcu_deferred_frees,
		r->stalled ? "; STALLED: units blocked for ever" : "");
	fprintf(f, "%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s "
		"%14s %14s\n", "class name", "con-bounces", "contentions",
		"waittime-min", "waittime-max", "waittime-total",
		"waittime-avg", "acq-bounces", "acquisitions", "holdtime-min",
		"holdtime-max", "holdtime-total", "holdtime-avg");
	for (c = 0; c < r->nr_classes; c++) {
		const struct sim_class_stat *cs = &r->cls[c];

		if (cs->st[1].acquisitions || cs->st[1].contentions)
			row(f, cs->name, "W", &cs->st[1]);
		if (cs->st[0].acquisitions || cs->st[0].contentions)
			row(f, cs->name, "R", &cs->st[0]);
	}
	/* which operations contended: Tim Chen's 2011 breakdown */
	for (c = 0; c < r->nr_classes; c++) {
		int m, op;

		for (m = 1; m >= 0; m--) {
			const struct sim_lockstat *st = &r->cls[c].st[m];

			if (!st->contentions)
				continue;
			fprintf(f, "%s-%s contentions by operation:",
				r->cls[c].name, m ? "W" : "R");
			for (op = 0; op < OP_NR; op++)
				if (st->contentions_op[op])
					fprintf(f, " %s %.1f%%",
						mm_op_names[op], 100.0 *
						st->contentions_op[op] /
						st->contentions);
			fputc('\n', f);
		}
	}
}

void sim_print_costs(FILE *f)
{
	int k;

	fprintf(f, "Simulation costs (virtual ns; in-lock work times the hold "
		"scale):\n");
	for (k = 0; k < COST_NR; k++) {
		char first[64];

		if (!sim_costs[k].what)
			continue;
		snprintf(first, sizeof(first), "  %-28s %6llu  ",
			 sim_costs[k].what,
			 (unsigned long long)sim_costs[k].ns);
		rt_wrap(f, RT_WIDTH, first, "                                "
			"       ", sim_costs[k].basis);
	}
}

/*
 * JSON in the results model (harness/results.h), as report.json's
 * contention section writes the same figures.
 */
void sim_json_result(struct rj *j, const struct sim_result *r)
{
	struct rpt_sim_point pt;
	char ops[RPT_MAX_OPS][16];
	int nr_ops = results_op_names(ops);

	memset(&pt, 0, sizeof(pt));
	results_fill_point(&pt, r);
	rpt_json_sim_point(j, ops, nr_ops, &pt);
}

void sim_json_footprint(struct rj *j, const struct sim_footprint *fp)
{
	struct rpt_footprint rows[2 * RPT_MAX_LOCKS];
	int nr = results_fill_sim_footprint(rows, 2 * RPT_MAX_LOCKS, fp), k;

	rj_obj(j);
	rj_kulong(j, "units", fp->units);
	rj_kulong(j, "events", fp->events);
	rj_kulong(j, "walks_sampled", fp->walks_sampled);
	rj_key(j, "rows");
	rj_arr(j);
	for (k = 0; k < nr; k++)
		rpt_json_footprint(j, &rows[k]);
	rj_arr_end(j);
	rj_obj_end(j);
}
