// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulation's output: the lock footprint (80 columns), lock_stat's
 * table (its column names and units: times in microseconds with two
 * decimals, one row per class and mode, "-W" write and "-R" read, as
 * /proc/lock_stat prints them), the cost table, and JSON.
 */
#include <string.h>

#include "harness/sim/sim_internal.h"
#include "reports/json.h"
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

static void json_stat(struct rj *j, const struct sim_lockstat *st)
{
	int op;

	rj_obj_flat(j);
	rj_kulong(j, "con-bounces", st->con_bounces);
	rj_kulong(j, "contentions", st->contentions);
	rj_kulong(j, "waittime-min", st->wait_min);
	rj_kulong(j, "waittime-max", st->wait_max);
	rj_kulong(j, "waittime-total", st->wait_total);
	rj_kulong(j, "acq-bounces", st->acq_bounces);
	rj_kulong(j, "acquisitions", st->acquisitions);
	rj_kulong(j, "holdtime-min", st->hold_min);
	rj_kulong(j, "holdtime-max", st->hold_max);
	rj_kulong(j, "holdtime-total", st->hold_total);
	rj_key(j, "contentions_by_op");
	rj_obj_flat(j);
	for (op = 0; op < OP_NR; op++)
		if (st->contentions_op[op])
			rj_kulong(j, mm_op_names[op], st->contentions_op[op]);
	rj_obj_end(j);
	rj_obj_end(j);
}

void sim_json_result(struct rj *j, const struct sim_result *r)
{
	int c;

	rj_obj_flat(j);
	rj_kulong(j, "cpus", r->cpus);
	rj_kulong(j, "max_busy", r->max_busy);
	rj_kulong(j, "walkers", r->walkers);
	rj_kdouble(j, "hold_scale", r->hold_scale);
	rj_kulong(j, "virtual_ns", r->makespan_ns);
	rj_kulong(j, "events", r->events);
	rj_kdouble(j, "ops_per_sec", r->ops_per_sec);
	rj_kulong(j, "walks", r->walks);
	rj_kulong(j, "walks_blocking", r->walks_blocking);
	rj_kulong(j, "walks_gave_up", r->walks_gave_up);
	rj_kulong(j, "rcu_deferred_frees", r->rcu_deferred_frees);
	rj_kbool(j, "stalled", r->stalled);
	rj_key(j, "classes");
	rj_arr_flat(j);
	for (c = 0; c < r->nr_classes; c++) {
		const struct sim_class_stat *cs = &r->cls[c];

		if (!cs->st[0].acquisitions && !cs->st[1].acquisitions)
			continue;
		rj_obj_flat(j);
		rj_kstr(j, "class", cs->name);
		rj_kstr(j, "kind", lock_kind_names[cs->kind]);
		rj_key(j, "read");
		json_stat(j, &cs->st[0]);
		rj_key(j, "write");
		json_stat(j, &cs->st[1]);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}

void sim_json_footprint(struct rj *j, const struct sim_footprint *fp)
{
	int c, m, k, op;

	rj_obj_flat(j);
	rj_kulong(j, "units", fp->units);
	rj_kulong(j, "events", fp->events);
	rj_kulong(j, "walks_sampled", fp->walks_sampled);
	rj_key(j, "classes");
	rj_arr_flat(j);
	for (c = 0; c < fp->nr_classes; c++) {
		const struct sim_fp_class *fc = &fp->cls[c];

		rj_obj_flat(j);
		rj_kstr(j, "class", fc->name);
		rj_kstr(j, "kind", lock_kind_names[fc->kind]);
		for (m = 0; m < 2; m++) {
			rj_key(j, m ? "write" : "read");
			rj_obj_flat(j);
			rj_key(j, "acquisitions");
			rj_obj_flat(j);
			for (op = 0; op < OP_NR; op++)
				if (fc->acq[m][op])
					rj_kulong(j, mm_op_names[op],
						  fc->acq[m][op]);
			rj_obj_end(j);
			for (k = 0; k < LW_NR; k++)
				rj_kulong(j, lock_work_names[k],
					  fc->work[m][k]);
			rj_key(j, "freed_by_class");
			rj_obj_flat(j);
			for (k = 0; k < fp->nr_acct; k++)
				if (fc->freed[m][k])
					rj_kulong(j, fp->acct_names[k],
						  fc->freed[m][k]);
			rj_obj_end(j);
			rj_kulong(j, "event_acquisitions",
				  fc->acq_events[m]);
			rj_kulong(j, "on_shared_instances",
				  fc->acq_shared[m]);
			rj_kulong(j, "on_all_subtree_instances",
				  fc->acq_all_units[m]);
			rj_obj_end(j);
		}
		rj_kulong(j, "instances", fc->instances);
		rj_kulong(j, "procs_p50", fc->procs_p50);
		rj_kulong(j, "procs_p90", fc->procs_p90);
		rj_kulong(j, "procs_max", fc->procs_max);
		rj_kulong(j, "subtrees_max", fc->units_max);
		rj_kulong(j, "vmas_max", fc->vmas_max);
		rj_kulong(j, "links_max", fc->links_max);
		rj_obj_end(j);
	}
	rj_arr_end(j);
	rj_obj_end(j);
}
