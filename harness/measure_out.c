// SPDX-License-Identifier: GPL-2.0-only
/* Tables, JSON and CSV of `rmaplab compare`; see measure_out.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "traces/outfile.h"
#include "harness/measure_out.h"
#include "harness/registry.h"
#include "harness/results.h"
#include "reports/json.h"
#include "reports/results_json.h"
#include "reports/table.h"

#define MAX_NAMES (ACCT_MAX_CLASSES * 4)

/* Sized object classes of every available result, first seen first. */
static int class_union(const struct measure_result *res, size_t n,
		       const char **names)
{
	int nr = 0, i, k;
	size_t s;

	for (s = 0; s < n; s++) {
		if (!res[s].available)
			continue;
		for (i = 0; i < res[s].acct.nr; i++) {
			const char *name = res[s].acct.cls[i].name;

			if (!res[s].acct.cls[i].size)
				continue;
			for (k = 0; k < nr; k++)
				if (!strcmp(names[k], name))
					break;
			if (k == nr && nr < MAX_NAMES)
				names[nr++] = name;
		}
	}
	return nr;
}

static const struct obj_class *find_class(const struct measure_result *r,
					  const char *name)
{
	int i = acct_find(&r->acct, name);

	return i < 0 ? NULL : &r->acct.cls[i];
}

/* Live objects of class @name at the snapshot (see measure.h). */
static long snap_live(const struct measure_result *r, const char *name)
{
	int i = acct_find(&r->acct, name);

	return i < 0 || r->snap_live[i] < 0 ? 0 : r->snap_live[i];
}

static double class_kb(const struct measure_result *r, const char *name,
		       bool peak)
{
	const struct obj_class *c = find_class(r, name);

	if (!c)
		return 0;
	return (double)(peak ? c->peak : snap_live(r, name)) *
		(double)c->size / 1024.0;
}

/* rt_change(), but no change from zero reads "0.0%" like any other. */
static void change(char *buf, size_t len, double base, double val)
{
	if (base == 0 && val == 0)
		snprintf(buf, len, "0.0%%");
	else
		rt_change(buf, len, base, val);
}

void print_memory_table(FILE *f, const char *title,
			const struct measure_result *res, size_t n,
			bool peak)
{
	const char *names[MAX_NAMES];
	int nr = class_union(res, n, names), k;
	double base, v, tot[RT_MAX_COLS] = { 0 };
	char buf[32];
	struct rt_table t;
	size_t s;

	if (n > 24)
		n = 24;
	rt_init(&t, 1 + n + (n ? n - 1 : 0), RT_NUMERIC);
	rt_title(&t, "%s", title);
	rt_head(&t, 0, "Object");
	for (s = 0; s < n; s++)
		rt_head(&t, 1 + s, "%s KB", res[s].scheme);
	for (s = 1; s < n; s++)
		rt_head(&t, n + s, "change %s", res[s].scheme);
	for (k = 0; k <= nr; k++) {
		if (k < nr) {
			rt_row(&t);
			rt_cell(&t, 0, "%s", names[k]);
		} else {
			rt_row_ruled(&t);
			rt_cell(&t, 0, "total");
		}
		for (s = 0; s < n; s++) {
			if (!res[s].available) {
				rt_cell(&t, 1 + s, "n/a");
				continue;
			}
			v = k < nr ? class_kb(&res[s], names[k], peak) :
				tot[s];
			tot[s] += k < nr ? v : 0;
			rt_cell(&t, 1 + s, "%.1f", v);
		}
		base = res[0].available ? (k < nr ?
			class_kb(&res[0], names[k], peak) : tot[0]) : NAN;
		for (s = 1; s < n; s++) {
			v = res[s].available ? (k < nr ?
				class_kb(&res[s], names[k], peak) : tot[s]) :
				NAN;
			change(buf, sizeof(buf), base, v);
			rt_cell(&t, n + s, "%s", buf);
		}
	}
	rt_print(f, &t, RT_WIDTH);
	for (s = 0; s < n; s++)
		if (!res[s].available)
			fprintf(f, "%s: not available (%s)\n", res[s].scheme,
				res[s].why);
	rt_free(&t);
}

/*
 * Start a table of one column per scheme (as many as fit) beside a column
 * of labels; returns how many schemes it shows.
 */
static size_t scheme_table(struct rt_table *t, const char *title,
			   const char *label, const char *suffix,
			   const struct measure_result *res, size_t n)
{
	size_t s;

	if (n > RT_MAX_COLS - 1)
		n = RT_MAX_COLS - 1;
	rt_init(t, 1 + n, RT_NUMERIC);
	rt_title(t, "%s", title);
	rt_head(t, 0, "%s", label);
	for (s = 0; s < n; s++)
		rt_head(t, 1 + s, "%s%s", res[s].scheme, suffix);
	return n;
}

void print_count_table(FILE *f, const char *title,
		       const struct measure_result *res, size_t n)
{
	const char *names[MAX_NAMES];
	int nr = class_union(res, n, names), k;
	const struct obj_class *c;
	struct rt_table t;
	size_t s;

	n = scheme_table(&t, title, "Object (count)", " snap/peak", res, n);
	for (k = 0; k < nr; k++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", names[k]);
		for (s = 0; s < n; s++) {
			if (!res[s].available) {
				rt_cell(&t, 1 + s, "n/a");
				continue;
			}
			c = find_class(&res[s], names[k]);
			rt_cell(&t, 1 + s, "%ld/%ld",
				snap_live(&res[s], names[k]),
				c ? c->peak : 0);
		}
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
}

void print_kernel_ref(FILE *f, const struct measure_result *res, size_t n)
{
	const struct cp_sample *cp;
	size_t s, i;

	for (s = 0; s < n; s++) {
		if (!res[s].available)
			continue;
		for (i = 0; i < res[s].nr_cps; i++) {
			cp = &res[s].cps[i];
			if (cp->kernel_anon_vma < 0 && cp->kernel_avc < 0)
				continue;
			if (cp->model_anon_vma < 0 && cp->model_avc < 0)
				continue;
			rt_wrapf(f, RT_WIDTH, "", "", "kernel at %s (event "
				 "%lu): anon_vma %ld, anon_vma_chain %ld; %s: "
				 "%ld, %ld (%s)", cp->reason, cp->event,
				 cp->kernel_anon_vma, cp->kernel_avc,
				 res[s].scheme, cp->model_anon_vma,
				 cp->model_avc,
				 cp->kernel_anon_vma == cp->model_anon_vma &&
				 cp->kernel_avc == cp->model_avc ?
				 "same" : "differs");
		}
	}
}

static void per_walk(char *buf, size_t len, unsigned long v,
		     const struct walk_stats *ws)
{
	if (!ws->walks)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.2f", (double)v / (double)ws->walks);
}

static void fmt_ns(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (v < 100000)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.0fk", v / 1000);
}

enum walk_row {
	WR_FOLIOS, WR_FOUND, WR_P50, WR_P99, WR_CAND, WR_MISS, WR_PREC,
	WR_NODES, WR_CTX, WR_LOCKS, WR_RETRY, WR_REPLAY, WR_NR,
};

static const char *const walk_row_names[WR_NR] = {
	[WR_FOLIOS] = "folios walked",
	[WR_FOUND] = "mappings found/present",
	[WR_P50] = "walk ns, median",
	[WR_P99] = "walk ns, p99",
	[WR_CAND] = "VMAs visited/walk",
	[WR_MISS] = "  not mapping it/walk",
	[WR_PREC] = "precision",
	[WR_NODES] = "tree nodes/walk",
	[WR_CTX] = "contexts/walk",
	[WR_LOCKS] = "locks taken/walk",
	[WR_RETRY] = "retries (total)",
	[WR_REPLAY] = "replay ns/event",
};

static void walk_cell(char *buf, size_t len, int row,
		      const struct measure_result *r)
{
	const struct walk_stats *ws = &r->walk;
	double p;

	switch (row) {
	case WR_FOLIOS:
		snprintf(buf, len, "%lu", ws->walks);
		break;
	case WR_FOUND:
		snprintf(buf, len, "%lu/%lu", ws->found, ws->expected);
		break;
	case WR_P50:
		fmt_ns(buf, len, ws->p50_ns);
		break;
	case WR_P99:
		fmt_ns(buf, len, ws->p99_ns);
		break;
	case WR_CAND:
		per_walk(buf, len, ws->candidates, ws);
		break;
	case WR_MISS:
		per_walk(buf, len, ws->misses, ws);
		break;
	case WR_PREC:
		p = walk_precision(ws);
		if (isnan(p))
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.1f%%", 100.0 * p);
		break;
	case WR_NODES:
		per_walk(buf, len, ws->nodes, ws);
		break;
	case WR_CTX:
		per_walk(buf, len, ws->contexts, ws);
		break;
	case WR_LOCKS:
		per_walk(buf, len, ws->locks, ws);
		break;
	case WR_RETRY:
		snprintf(buf, len, "%lu", ws->retries);
		break;
	case WR_REPLAY:
		if (r->events)
			snprintf(buf, len, "%.0f", (double)r->replay_ns /
				 (double)r->events);
		else
			snprintf(buf, len, "-");
		break;
	}
}

void print_walk_table(FILE *f, const char *title,
		      const struct measure_result *res, size_t n)
{
	char buf[48];
	struct rt_table t;
	size_t s;
	int row;

	n = scheme_table(&t, title, "rmap walk, every live folio", "", res,
			 n);
	for (row = 0; row < WR_NR; row++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", walk_row_names[row]);
		for (s = 0; s < n; s++) {
			if (!res[s].available) {
				rt_cell(&t, 1 + s, "n/a");
				continue;
			}
			walk_cell(buf, sizeof(buf), row, &res[s]);
			rt_cell(&t, 1 + s, "%s", buf);
		}
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
}

static int find_lock_index(const struct measure_result *r, const char *name)
{
	int i;

	for (i = 0; i < r->nr_locks; i++)
		if (!strcmp(r->locks[i].name, name))
			return i;
	return -1;
}

static const struct lock_class *find_lock(const struct measure_result *r,
					  const char *name)
{
	int i = find_lock_index(r, name);

	return i < 0 ? NULL : &r->locks[i];
}

void print_lock_table(FILE *f, const char *title,
		      const struct measure_result *res, size_t n)
{
	const char *names[LOCK_MAX_CLASSES * 4];
	const struct lock_class *c;
	int nr = 0, i, k, op;
	struct rt_table t;
	size_t s;

	n = scheme_table(&t, title, "Lock class, operation", " r/w", res, n);
	for (s = 0; s < n; s++) {
		if (!res[s].available)
			continue;
		for (i = 0; i < res[s].nr_locks; i++) {
			for (k = 0; k < nr; k++)
				if (!strcmp(names[k], res[s].locks[i].name))
					break;
			if (k == nr && nr < LOCK_MAX_CLASSES * 4)
				names[nr++] = res[s].locks[i].name;
		}
	}
	for (k = 0; k < nr; k++) {
		for (op = 0; op < OP_NR; op++) {
			bool any = false;

			if (op == OP_WALK)
				continue;
			for (s = 0; s < n; s++) {
				c = res[s].available ?
					find_lock(&res[s], names[k]) : NULL;
				if (c && (c->acquire_read[op] ||
					  c->acquire_write[op]))
					any = true;
			}
			if (!any)
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s %s", names[k], mm_op_names[op]);
			for (s = 0; s < n; s++) {
				if (!res[s].available) {
					rt_cell(&t, 1 + s, "n/a");
					continue;
				}
				c = find_lock(&res[s], names[k]);
				if (!c) {
					rt_cell(&t, 1 + s, "-");
					continue;
				}
				rt_cell(&t, 1 + s, "%lu/%lu",
					c->acquire_read[op],
					c->acquire_write[op]);
			}
		}
	}
	if (!t.nr_rows) {
		rt_row(&t);
		rt_cell(&t, 0, "(no lock taken)");
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
}

/* Work of class @c in mode @m, all operations, and its holds. */
static unsigned long fp_total(const struct lock_footprint *fp, int m,
			      int k, unsigned long *holds)
{
	unsigned long n = 0;
	int op;

	*holds = 0;
	for (op = 0; op < OP_NR; op++) {
		n += fp->work[m][op][k];
		*holds += fp->sections[m][op];
	}
	return n;
}

/*
 * The lock footprint (core/lock.h): what a hold of each class touched,
 * per acquisition, all operations (the snapshot's walks included).
 */
void print_footprint_table(FILE *f, const char *title,
			   const struct measure_result *res, size_t n)
{
	static const int what[] = { LW_NODE, LW_LINK, LW_UNLINK, LW_VMA };
	const char *names[LOCK_MAX_CLASSES * 4];
	unsigned long v, holds;
	int nr = 0, i, k, m, w;
	struct rt_table t;
	size_t s;

	n = scheme_table(&t, title, "Lock class, mode: per hold", "", res, n);
	for (s = 0; s < n; s++)
		for (i = 0; res[s].available && i < res[s].nr_locks; i++) {
			for (k = 0; k < nr; k++)
				if (!strcmp(names[k], res[s].locks[i].name))
					break;
			if (k == nr && nr < LOCK_MAX_CLASSES * 4)
				names[nr++] = res[s].locks[i].name;
		}
	for (k = 0; k < nr; k++) {
		for (m = 1; m >= 0; m--) {
			for (w = 0; w < 4; w++) {
				bool any = false;

				for (s = 0; s < n; s++) {
					i = res[s].available ?
						find_lock_index(&res[s],
								names[k]) : -1;
					if (i >= 0 &&
					    fp_total(&res[s].lock_fp[i], m,
						     what[w], &holds))
						any = true;
				}
				if (!any)
					continue;
				rt_row(&t);
				rt_cell(&t, 0, "%s %s: %s", names[k],
					m ? "W" : "R",
					lock_work_names[what[w]]);
				for (s = 0; s < n; s++) {
					i = res[s].available ?
						find_lock_index(&res[s],
								names[k]) : -1;
					if (i < 0) {
						rt_cell(&t, 1 + s, "-");
						continue;
					}
					v = fp_total(&res[s].lock_fp[i], m,
						     what[w], &holds);
					rt_cell(&t, 1 + s, "%.2f", holds ?
						(double)v / (double)holds :
						0.0);
				}
			}
		}
	}
	if (!t.nr_rows) {
		rt_row(&t);
		rt_cell(&t, 0, "(nothing touched under a lock)");
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
}

/* A class's column name from the scheme table: "avc" for anon_vma_chain. */
static const char *short_name(const char *name)
{
	const struct scheme_objclass *c = scheme_objclass_find(name);

	return c && c->abbrev ? c->abbrev : name;
}

unsigned long measure_op_locks(const struct measure_result *r, int op)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < r->nr_locks; i++)
		if (strcmp(r->locks[i].name, "mmap_lock"))
			n += r->locks[i].acquire_read[op] +
				r->locks[i].acquire_write[op];
	return n;
}

void print_op_table(FILE *f, const struct measure_result *r)
{
	const char *names[MAX_NAMES];
	int nr = class_union(r, 1, names), k, op;
	const struct obj_class *c;
	struct rt_table t;
	char legend[256];
	size_t len = 0;

	if (!r->available) {
		fprintf(f, "%s: not available (%s)\n", r->scheme, r->why);
		return;
	}
	rt_init(&t, 3 + nr + 2, RT_NUMERIC);
	rt_title(&t, "%s: cost per operation, totals (objects alloc/free)",
		 r->scheme);
	rt_head(&t, 0, "op");
	rt_head(&t, 1, "count");
	rt_head(&t, 2, "ns/op");
	for (k = 0; k < nr; k++)
		rt_head(&t, 3 + k, "%s a/f", short_name(names[k]));
	rt_head(&t, 3 + nr, "locks");
	rt_head(&t, 4 + nr, "nodes");
	for (op = 0; op < OP_NR; op++) {
		bool any = r->ops[op].count > 0 || measure_op_locks(r, op);

		for (k = 0; k < nr; k++) {
			c = find_class(r, names[k]);
			if (c && (c->allocs[op] || c->frees[op]))
				any = true;
		}
		if (!any || op == OP_WALK)
			continue;
		rt_row(&t);
		rt_cell(&t, 0, "%s", mm_op_names[op]);
		rt_cell(&t, 1, "%lu", r->ops[op].count);
		if (r->ops[op].count)
			rt_cell(&t, 2, "%.0f", (double)r->ops[op].ns /
				(double)r->ops[op].count);
		else
			rt_cell(&t, 2, "-");
		for (k = 0; k < nr; k++) {
			c = find_class(r, names[k]);
			rt_cell(&t, 3 + k, "%lu/%lu",
				c ? c->allocs[op] : 0,
				c ? c->frees[op] : 0);
		}
		rt_cell(&t, 3 + nr, "%lu", measure_op_locks(r, op));
		rt_cell(&t, 4 + nr, "%lu", r->ops[op].vma_nodes);
	}
	rt_print(f, &t, RT_WIDTH);
	rt_free(&t);
	legend[0] = '\0';
	for (k = 0; k < nr && len < sizeof(legend) - 40; k++) {
		if (!strcmp(short_name(names[k]), names[k]))
			continue;
		len += snprintf(legend + len, sizeof(legend) - len, "%s%s %s",
				len ? ", " : "", short_name(names[k]),
				names[k]);
	}
	rt_wrapf(f, RT_WIDTH, "", "", "a/f: objects allocated/freed%s%s; "
		 "locks: rmap locks taken (not mmap_lock); nodes: VMA tree "
		 "nodes visited; ns/op: one run, with measurement overhead",
		 len ? "; " : "", legend);
}

/* ---- JSON --------------------------------------------------------- */

/*
 * In the results model (harness/results.h), written as report.json's
 * RUN, so that compare's figures have report's names and form; the
 * kernel checkpoints, which only compare keeps, after them.
 */
static void json_checkpoints(struct rj *j, const struct measure_result *m)
{
	struct rpt_walk w;
	size_t i;

	rj_key(j, "checkpoints");
	rj_arr(j);
	for (i = 0; i < m->nr_cps; i++) {
		const struct cp_sample *cp = &m->cps[i];

		rj_obj_flat(j);
		rj_kulong(j, "event", cp->event);
		rj_kstr(j, "reason", cp->reason);
		rj_klong(j, "kernel_anon_vma", cp->kernel_anon_vma);
		rj_klong(j, "kernel_anon_vma_chain", cp->kernel_avc);
		rj_klong(j, "model_anon_vma", cp->model_anon_vma);
		rj_klong(j, "model_anon_vma_chain", cp->model_avc);
		if (cp->walked) {
			results_fill_walk(&w, &cp->walk);
			rpt_json_walk(j, &w, false);
			results_walk_free(&w);
		}
		rj_obj_end(j);
	}
	rj_arr_end(j);
}

void compare_write_json(FILE *f, const struct compare_set *cs)
{
	char ops[RPT_MAX_OPS][16];
	int nr_ops = results_op_names(ops);
	struct rpt_run *total, one;
	struct utsname u;
	struct rj j;
	size_t i, s;

	total = calloc(cs->nr_schemes + 1, sizeof(*total));
	if (!total)
		abort();
	for (s = 0; s < cs->nr_schemes; s++)
		results_run_init(&total[s], cs->schemes[s], 1);
	rj_init(&j, f);
	rj_obj(&j);
	rj_kstr(&j, "format", "rmaplab-compare");
	rj_klong(&j, "version", 2);
	if (!uname(&u)) {
		rj_key(&j, "machine");
		rj_obj(&j);
		rj_kstr(&j, "sysname", u.sysname);
		rj_kstr(&j, "release", u.release);
		rj_kstr(&j, "machine", u.machine);
		rj_obj_end(&j);
	}
	rj_key(&j, "options");
	rj_obj(&j);
	rj_key(&j, "schemes");
	rj_arr(&j);
	for (s = 0; s < cs->nr_schemes; s++)
		rj_str(&j, cs->schemes[s]);
	rj_arr_end(&j);
	rj_kulong(&j, "every", cs->opts ? cs->opts->every : 0);
	rj_kulong(&j, "walk_repeat", cs->opts && cs->opts->walk_repeat ?
		 cs->opts->walk_repeat : 3);
	rj_kstr(&j, "objsize_source", cs->objsize_source ?
		cs->objsize_source : "arch table");
	rj_obj_end(&j);
	rj_key(&j, "ops");
	rj_arr_flat(&j);
	for (i = 0; i < (size_t)nr_ops; i++)
		rj_str(&j, ops[i]);
	rj_arr_end(&j);

	rj_key(&j, "traces");
	rj_arr(&j);
	for (i = 0; i < cs->nr_traces; i++) {
		const struct compare_trace *ct = &cs->traces[i];

		rj_obj(&j);
		rj_kstr(&j, "path", ct->path);
		rj_kstr(&j, "arch", ct->arch);
		rj_kulong(&j, "page_size", ct->page_size);
		rj_kulong(&j, "events", ct->nr_ev);
		rj_key(&j, "runs");
		rj_arr(&j);
		for (s = 0; s < cs->nr_schemes; s++) {
			const struct measure_result *m = &ct->res[s];

			results_run_init(&one, cs->schemes[s], 1);
			results_fill_run(&one, m, &ct->hdr);
			if (m->available)
				results_fill_timing(&one, m, 0);
			/* each trace in its own arch's object sizes */
			rpt_run_add(&total[s], &one);
			rj_obj(&j);
			rpt_json_run_members(&j, ops, nr_ops, &one, false);
			if (m->available)
				json_checkpoints(&j, m);
			rj_obj_end(&j);
			rpt_run_free(&one);
		}
		rj_arr_end(&j);
		rj_obj_end(&j);
	}
	rj_arr_end(&j);

	rj_key(&j, "total");
	rj_obj(&j);
	rj_kulong(&j, "traces", cs->nr_traces);
	for (s = 0; s < cs->nr_schemes; s++) {
		/* walk times over every folio of every trace */
		total[s].snap_end = true;
		total[s].snap_folios = cs->total[s].snap_folios;
		if (cs->total[s].available)
			results_fill_timing(&total[s], &cs->total[s], 0);
	}
	rpt_json_runs(&j, "runs", ops, nr_ops, total, cs->nr_schemes, false);
	rj_obj_end(&j);
	rj_obj_end(&j);
	rj_finish(&j);
	for (s = 0; s < cs->nr_schemes; s++)
		rpt_run_free(&total[s]);
	free(total);
}

/* ---- CSV ---------------------------------------------------------- */

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void csv_str(FILE *f, const char *s)
{
	const char *p;

	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* Each CSV file appears whole (harness/outfile.h) or not at all. */
static FILE *csv_open(const char *dir, const char *name, const char *head,
		      struct outfile *o, struct errbuf *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (outfile_open(o, path, err->msg, sizeof(err->msg)))
		return NULL;
	fprintf(o->f, "%s\n", head);
	return o->f;
}

/* "trace,scheme," for a result; the total has trace "TOTAL". */
static void csv_key(FILE *f, const char *trace, const char *scheme)
{
	csv_str(f, trace);
	fputc(',', f);
	csv_str(f, scheme);
	fputc(',', f);
}

static void csv_results(FILE *mem, FILE *walk, FILE *locks, FILE *ops,
			const char *trace, const struct measure_result *r)
{
	const struct walk_stats *ws = &r->walk;
	int k, op;

	if (!r->available)
		return;
	for (k = 0; k < r->acct.nr; k++) {
		const struct obj_class *c = &r->acct.cls[k];

		csv_key(mem, trace, r->scheme);
		fprintf(mem, "%s,%zu,%ld,%ld,%ld,%.1f,%.1f,%.1f\n", c->name,
			c->size, c->live, c->peak, r->snap_live[k],
			c->live * (double)c->size / 1024,
			c->peak * (double)c->size / 1024,
			r->snap_live[k] * (double)c->size / 1024);
		for (op = 0; op < OP_NR; op++) {
			if (!c->allocs[op] && !c->frees[op])
				continue;
			csv_key(ops, trace, r->scheme);
			fprintf(ops, "%s,%s,%lu,%lu\n", mm_op_names[op],
				c->name, c->allocs[op], c->frees[op]);
		}
	}
	for (op = 0; op < OP_NR; op++) {
		if (!r->ops[op].count)
			continue;
		csv_key(ops, trace, r->scheme);
		fprintf(ops, "%s,events,%lu,0\n", mm_op_names[op],
			r->ops[op].count);
		csv_key(ops, trace, r->scheme);
		fprintf(ops, "%s,ns,%llu,0\n", mm_op_names[op],
			(unsigned long long)r->ops[op].ns);
		csv_key(ops, trace, r->scheme);
		fprintf(ops, "%s,vma_nodes,%lu,0\n", mm_op_names[op],
			r->ops[op].vma_nodes);
	}
	for (k = 0; k < r->nr_locks; k++) {
		const struct lock_class *c = &r->locks[k];

		for (op = 0; op < OP_NR; op++) {
			if (!c->acquire_read[op] && !c->acquire_write[op] &&
			    !c->contended[op])
				continue;
			csv_key(locks, trace, r->scheme);
			csv_str(locks, c->name);
			fprintf(locks, ",%s,%lu,%lu,%lu,%llu\n",
				mm_op_names[op], c->acquire_read[op],
				c->acquire_write[op], c->contended[op],
				(unsigned long long)c->wait_ns[op]);
		}
	}
	csv_key(walk, trace, r->scheme);
	fprintf(walk, "%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%.1f,%.1f,"
		"%.1f,%.1f\n", r->snap_event, ws->walks, ws->found,
		ws->expected,
		ws->candidates, ws->misses, ws->nodes, ws->contexts,
		ws->locks, ws->retries, ws->p50_ns, ws->p99_ns, ws->mean_ns,
		ws->max_ns);
}

int compare_write_csv(const char *dir, const struct compare_set *cs,
		      struct errbuf *err)
{
	FILE *mem, *walk, *locks, *ops, *series, *cps;
	struct outfile of[6] = { 0 };
	size_t i, s, k;
	int c, ret = 0;

	if (mkdir(dir, 0777) && errno != EEXIST)
		return errbuf_set(err, "%s: %s", dir, strerror(errno));
	mem = csv_open(dir, "memory.csv", "trace,scheme,object,size,live,"
		       "peak,snapshot,live_kb,peak_kb,snapshot_kb", &of[0],
		       err);
	walk = csv_open(dir, "walk.csv", "trace,scheme,snapshot_event,"
			"folios,found,present,"
			"candidates,misses,nodes,contexts,locks,retries,"
			"p50_ns,p99_ns,mean_ns,max_ns", &of[1], err);
	locks = csv_open(dir, "locks.csv", "trace,scheme,class,op,read,"
			 "write,contended,wait_ns", &of[2], err);
	ops = csv_open(dir, "ops.csv", "trace,scheme,op,what,allocs,frees",
		       &of[3], err);
	series = csv_open(dir, "series.csv", "trace,scheme,event,object,"
			  "live,kb", &of[4], err);
	cps = csv_open(dir, "checkpoints.csv", "trace,scheme,event,reason,"
		       "kernel_anon_vma,kernel_anon_vma_chain,model_anon_vma,"
		       "model_anon_vma_chain", &of[5], err);
	if (!mem || !walk || !locks || !ops || !series || !cps) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < cs->nr_traces; i++) {
		const struct compare_trace *ct = &cs->traces[i];

		for (s = 0; s < cs->nr_schemes; s++) {
			const struct measure_result *r = &ct->res[s];

			csv_results(mem, walk, locks, ops, ct->path, r);
			if (!r->available)
				continue;
			for (k = 0; k < r->series.nr; k++) {
				for (c = 0; c < r->acct.nr; c++) {
					long live = r->series.live[
						k * ACCT_MAX_CLASSES + c];

					csv_key(series, ct->path, r->scheme);
					double kb = live * (double)
						r->acct.cls[c].size / 1024;

					fprintf(series, "%lu,%s,%ld,%.1f\n",
						r->series.event[k],
						r->acct.cls[c].name, live, kb);
				}
			}
			for (k = 0; k < r->nr_cps; k++) {
				const struct cp_sample *cp = &r->cps[k];

				csv_key(cps, ct->path, r->scheme);
				fprintf(cps, "%lu,%s,%ld,%ld,%ld,%ld\n",
					cp->event, cp->reason,
					cp->kernel_anon_vma, cp->kernel_avc,
					cp->model_anon_vma, cp->model_avc);
			}
		}
	}
	for (s = 0; s < cs->nr_schemes; s++)
		csv_results(mem, walk, locks, ops, "TOTAL", &cs->total[s]);
out:
	for (k = 0; k < 6; k++) {
		if (!of[k].f)
			continue;
		if (ret)
			outfile_abort(&of[k]);
		else if (outfile_commit(&of[k], false, err->msg,
					sizeof(err->msg)))
			ret = -1;
	}
	return ret;
}
