// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report's tables as CSV files, one per table, for spreadsheets and
 * plotting tools: a header line, then one record per line (RFC 4180
 * quoting where a field needs it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/stats.h"
#include "traces/outfile.h"

#define ALL "ALL"

static void field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\n\r")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

/* Each file appears whole or not at all (traces/outfile.h). */
static FILE *open_csv(struct outfile *o, const char *dir, const char *name,
		      const char *head, char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (outfile_open(o, path, err, errlen))
		return NULL;
	fprintf(o->f, "%s\n", head);
	return o->f;
}

static int close_csv(struct outfile *o, char *err, size_t errlen)
{
	return outfile_commit(o, false, err, errlen);
}

static void memory_rows(FILE *f, const struct report_data *d,
			const char *trace, const struct rpt_run *runs)
{
	size_t s;
	int k;

	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &runs[s];

		for (k = 0; r->available && k < r->nr_objs; k++) {
			const struct rpt_obj *o = &r->objs[k];

			field(f, trace, false);
			field(f, r->scheme, false);
			field(f, o->name, false);
			fprintf(f, "%lu,%ld,%ld,%ld,%g,%g,%g\n", o->size,
				o->end, o->peak, o->snap,
				rpt_obj_kb(o, RPT_END),
				rpt_obj_kb(o, RPT_PEAK),
				rpt_obj_kb(o, RPT_SNAP));
		}
	}
}

static void memtab_rows(FILE *f, const struct report_data *d,
			const char *trace, const struct rpt_run *runs)
{
	struct rpt_memtab mt;
	size_t s, i;

	for (s = 1; s < d->nr_schemes; s++) {
		if (!runs[0].available || !runs[s].available)
			continue;
		rpt_memtab_build(runs, 0, (int)s, RPT_SNAP, &mt);
		for (i = 0; i < mt.nr; i++) {
			field(f, trace, false);
			field(f, d->schemes[0], false);
			field(f, d->schemes[s], false);
			field(f, mt.rows[i].object, false);
			fprintf(f, "%s,%s,", mt.rows[i].base_txt,
				mt.rows[i].txt);
			field(f, mt.rows[i].change, true);
		}
	}
}

/* Wide: one row per sample, one column per class of any scheme. */
static int series_classes(const struct report_data *d,
			  const char *names[RPT_MAX_CLASSES * 4])
{
	size_t i, s;
	int n = 0, k, c;

	for (i = 0; i < d->nr_traces; i++) {
		for (s = 0; s < d->nr_schemes; s++) {
			const struct rpt_run *r = &d->traces[i].runs[s];

			for (k = 0; r->available && k < r->nr_objs; k++) {
				for (c = 0; c < n; c++)
					if (!strcmp(names[c], r->objs[k].name))
						break;
				if (c == n && n < RPT_MAX_CLASSES * 4)
					names[n++] = r->objs[k].name;
			}
		}
	}
	return n;
}

static void series_rows(FILE *f, const struct report_data *d,
			const struct rpt_trace *t, const char *const *names,
			int n)
{
	const struct rpt_obj *o;
	size_t s, i;
	int c;

	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &t->runs[s];

		for (i = 0; r->available && i < r->series.nr; i++) {
			field(f, t->name, false);
			field(f, r->scheme, false);
			fprintf(f, "%lu", r->series.event[i]);
			for (c = 0; c < n; c++) {
				o = rpt_obj_find(r, names[c]);
				if (o)
					fprintf(f, ",%ld", r->series.live[
						i * RPT_MAX_CLASSES +
						(o - r->objs)]);
				else
					fputc(',', f);
			}
			fputc('\n', f);
		}
	}
}

static void lock_rows(FILE *f, const struct report_data *d,
		      const char *trace, const struct rpt_run *runs)
{
	size_t s;
	int k, op;

	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &runs[s];

		for (k = 0; r->available && k < r->nr_locks; k++) {
			const struct rpt_lock *l = &r->locks[k];

			for (op = 0; op < d->nr_ops; op++) {
				if (!l->rd[op] && !l->wr[op] &&
				    !l->contended[op])
					continue;
				field(f, trace, false);
				field(f, r->scheme, false);
				field(f, l->name, false);
				field(f, d->op_names[op], false);
				fprintf(f, "%lu,%lu,%lu,%lu,%.0f\n",
					r->op_count[op], l->rd[op], l->wr[op],
					l->contended[op], l->wait_ns[op]);
			}
		}
	}
}

static void op_rows(FILE *f, FILE *g, const struct report_data *d,
		    const char *trace, const struct rpt_run *runs)
{
	size_t s;
	int k, op;

	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &runs[s];

		for (op = 0; r->available && op < d->nr_ops; op++) {
			if (r->op_count[op] || r->op_nodes[op]) {
				field(f, trace, false);
				field(f, r->scheme, false);
				field(f, d->op_names[op], false);
				fprintf(f, "%lu,%.0f,%lu\n", r->op_count[op],
					r->op_ns[op], r->op_nodes[op]);
			}
			for (k = 0; k < r->nr_objs; k++) {
				const struct rpt_obj *o = &r->objs[k];

				if (!o->allocs[op] && !o->frees[op])
					continue;
				field(g, trace, false);
				field(g, r->scheme, false);
				field(g, d->op_names[op], false);
				field(g, o->name, false);
				fprintf(g, "%lu,%lu\n", o->allocs[op],
					o->frees[op]);
			}
		}
	}
}

static void walk_rows(FILE *f, FILE *g, const struct report_data *d,
		      const char *trace, const struct rpt_run *runs)
{
	unsigned int i;
	size_t s;

	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &runs[s];
		const struct rpt_walk *w = &r->walk;

		if (!r->available)
			continue;
		field(f, trace, false);
		field(f, r->scheme, false);
		fprintf(f, "%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu\n", w->walks,
			w->found, w->expected, w->candidates, w->misses,
			w->nodes, w->contexts, w->locks, w->retries);
		for (i = 0; i < w->nr_rep; i++) {
			field(g, trace, false);
			field(g, r->scheme, false);
			fprintf(g, "%u,%.1f,%.1f,%.1f,%.0f\n", i, w->p50_ns[i],
				w->p99_ns[i], w->mean_ns[i], r->replay_ns ?
				r->replay_ns[i] : NAN);
		}
	}
}

int report_write_csv(const char *dir, const struct report_data *d,
		     char *err, size_t errlen)
{
	const char *names[RPT_MAX_CLASSES * 4];
	FILE *f = NULL, *g = NULL;
	struct outfile of_f = { 0 }, of_g = { 0 };
	char head[2048];
	size_t i, s, len;
	int ret = 0, k, nr_names;

#define OPEN(fp, name, head)						\
	do {								\
		fp = open_csv(&of_##fp, dir, name, head, err, errlen);	\
		if (!fp)						\
			goto fail;					\
	} while (0)
#define CLOSE(fp, name)							\
	do {								\
		if (close_csv(&of_##fp, err, errlen))			\
			ret = -1;					\
		fp = NULL;						\
	} while (0)

	OPEN(f, "memory.csv", "trace,scheme,object,size,end,peak,snapshot,"
	     "end_kb,peak_kb,snapshot_kb");
	for (i = 0; i < d->nr_traces; i++)
		memory_rows(f, d, d->traces[i].name, d->traces[i].runs);
	memory_rows(f, d, ALL, d->total);
	CLOSE(f, "memory.csv");

	OPEN(f, "memory_tables.csv", "trace,baseline,scheme,object,"
	     "baseline_kb,kb,change");
	for (i = 0; i < d->nr_traces; i++)
		memtab_rows(f, d, d->traces[i].name, d->traces[i].runs);
	memtab_rows(f, d, ALL, d->total);
	CLOSE(f, "memory_tables.csv");

	nr_names = series_classes(d, names);
	len = snprintf(head, sizeof(head), "trace,scheme,event");
	for (k = 0; k < nr_names && len < sizeof(head); k++)
		len += snprintf(head + len, sizeof(head) - len, ",%s",
				names[k]);
	OPEN(f, "series.csv", head);
	for (i = 0; i < d->nr_traces; i++)
		series_rows(f, d, &d->traces[i], names, nr_names);
	CLOSE(f, "series.csv");

	OPEN(f, "walk.csv", "trace,scheme,walks,found,expected,candidates,"
	     "misses,nodes,contexts,locks,retries");
	OPEN(g, "walk_repeats.csv", "trace,scheme,repeat,p50_ns,p99_ns,"
	     "mean_ns,replay_ns");
	for (i = 0; i < d->nr_traces; i++)
		walk_rows(f, g, d, d->traces[i].name, d->traces[i].runs);
	walk_rows(f, g, d, ALL, d->total);
	CLOSE(f, "walk.csv");
	CLOSE(g, "walk_repeats.csv");

	OPEN(f, "locks.csv", "trace,scheme,lock,op,ops,read,write,contended,"
	     "wait_ns");
	for (i = 0; i < d->nr_traces; i++)
		lock_rows(f, d, d->traces[i].name, d->traces[i].runs);
	lock_rows(f, d, ALL, d->total);
	CLOSE(f, "locks.csv");

	OPEN(f, "ops.csv", "trace,scheme,op,count,ns,vma_nodes");
	OPEN(g, "ops_objects.csv", "trace,scheme,op,object,allocs,frees");
	for (i = 0; i < d->nr_traces; i++)
		op_rows(f, g, d, d->traces[i].name, d->traces[i].runs);
	op_rows(f, g, d, ALL, d->total);
	CLOSE(f, "ops.csv");
	CLOSE(g, "ops_objects.csv");

	OPEN(f, "depth.csv", "depth,scheme,walks,candidates,misses,"
	     "mean_ns_median,rmap_end_kb");
	for (i = 0; i < d->depth.nr; i++) {
		const struct rpt_depth_point *p = &d->depth.pts[i];

		for (s = 0; s < d->nr_schemes; s++) {
			const struct rpt_run *r = &p->runs[s];

			if (!r->available)
				continue;
			fprintf(f, "%u,", p->depth);
			field(f, r->scheme, false);
			fprintf(f, "%lu,%lu,%lu,%.1f,%g\n", r->walk.walks,
				r->walk.candidates, r->walk.misses,
				rs_median(r->walk.mean_ns, r->walk.nr_rep),
				rpt_rmap_kb(r, RPT_END));
		}
	}
	CLOSE(f, "depth.csv");

	OPEN(f, "contention.csv", "trace,scheme,cpus,class,mode,con_bounces,"
	     "contentions,wait_min_ns,wait_max_ns,wait_total_ns,acq_bounces,"
	     "acquisitions,hold_min_ns,hold_max_ns,hold_total_ns,ops_per_sec");
	for (s = 0; d->contend.runs && s < d->nr_schemes; s++) {
		const struct rpt_contend_run *r = &d->contend.runs[s];
		size_t p;

		for (p = 0; r->available && p < r->nr_pts; p++) {
			const struct rpt_sim_point *pt = &r->pts[p];

			for (k = 0; k < pt->nr; k++) {
				const struct rpt_lockstat *l = &pt->ls[k];

				field(f, d->contend.trace, false);
				field(f, r->scheme, false);
				fprintf(f, "%u,", pt->cpus);
				field(f, l->name, false);
				fprintf(f, "%s,%lu,%lu,%.0f,%.0f,%.0f,%lu,%lu,"
					"%.0f,%.0f,%.0f,%.0f\n",
					l->write ? "write" : "read",
					l->con_bounces, l->contentions,
					l->wait_min, l->wait_max, l->wait_total,
					l->acq_bounces, l->acquisitions,
					l->hold_min, l->hold_max, l->hold_total,
					pt->ops_per_sec);
			}
		}
	}
	CLOSE(f, "contention.csv");

	OPEN(f, "check.csv", "scheme,traces,events,checkpoints,folios,walks,"
	     "oracle_mismatches,oracle_failed_traces,kernel_mismatches,"
	     "kernel_failed_traces,first_oracle,first_kernel");
	for (s = 0; s < d->check.nr; s++) {
		const struct rpt_check_scheme *c = &d->check.s[s];

		field(f, c->scheme, false);
		fprintf(f, "%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,%lu,", c->traces,
			c->events, c->checkpoints, c->folios, c->walks,
			c->n[RPT_ORACLE], c->failed[RPT_ORACLE],
			c->n[RPT_KERNEL], c->failed[RPT_KERNEL]);
		field(f, c->first[RPT_ORACLE].what, false);
		field(f, c->first[RPT_KERNEL].what, true);
	}
	CLOSE(f, "check.csv");
#undef OPEN
#undef CLOSE
	return ret;
fail:
	outfile_abort(&of_f);
	outfile_abort(&of_g);
	return -1;
}
