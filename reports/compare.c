// SPDX-License-Identifier: GPL-2.0-only
/* Two runs' report.json side by side; see compare.h. */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "reports/compare.h"
#include "reports/stats.h"

/* "Amean     classic           " then two 24-column cells: 80 columns. */
#define LABEL_W		10
#define SCHEME_W	20
#define SIG_P		0.05

static const struct {
	const char *title;
	bool rate;			/* higher is better; harmonic mean */
} metric[RR_NR_METRICS] = {
	[RR_WALK_P50] = { "rmap walk ns, each replay's p50 (lower is "
			  "better)", false },
	[RR_WALK_P99] = { "rmap walk ns, each replay's p99 (lower is "
			  "better)", false },
	[RR_WALK_MEAN] = { "rmap walk ns, each replay's mean (lower is "
			   "better)", false },
	[RR_REPLAY_RATE] = { "replay rate, events/s (higher is better)",
			     true },
};

static double change_pct(double a, double b)
{
	return a ? 100.0 * (b - a) / a : NAN;
}

/*
 * "       51.80 (  +2.32%)" with @prec decimals, the stars of a significant
 * change instead of the brackets; no change beside a zero baseline.
 */
static void cell(FILE *f, double base, double v, bool sig, int prec,
		 bool last)
{
	double c = change_pct(base, v);

	if (isnan(v))
		fprintf(f, "%13s%*s", "-", last ? 0 : 11, "");
	else if (isnan(c))
		fprintf(f, " %12.*f%*s", prec, v, last ? 0 : 11, "");
	else if (c == 0)
		fprintf(f, " %12.*f (   0.00%%)", prec, v);
	else
		fprintf(f, " %12.*f %c%+7.2f%%%c", prec, v, sig ? '*' : '(',
			c, sig ? '*' : ')');
}

/*
 * Welch's test says something only when both sides were measured more
 * than once and not every value is the same: two constant samples carry
 * no spread to test against.
 */
static bool significant(const struct rr_values *a, const struct rr_values *b)
{
	double p;

	if (a->n < 2 || b->n < 2)
		return false;
	if (rs_stddev(a->v, a->n) == 0 && rs_stddev(b->v, b->n) == 0)
		return false;
	p = rs_welch_p(a->v, a->n, b->v, b->n);
	return !isnan(p) && p < SIG_P;
}

static void timing_rows(FILE *f, const char *name, int m,
			const struct rr_values *a, const struct rr_values *b)
{
	static const char *const row[] = { "Min", "Amean", "Stddev", "Max" };
	bool sig = significant(a, b);
	double va, vb;
	int r;

	for (r = 0; r < 4; r++) {
		const struct rr_values *x[2] = { a, b };
		double v[2];
		int k;

		for (k = 0; k < 2; k++) {
			const struct rr_values *s = x[k];

			if (!s->n)
				v[k] = NAN;
			else if (r == 0)
				v[k] = rs_min(s->v, s->n);
			else if (r == 1)
				v[k] = metric[m].rate ? rs_hmean(s->v, s->n) :
					rs_amean(s->v, s->n);
			else if (r == 2)
				v[k] = rs_stddev(s->v, s->n);
			else
				v[k] = rs_max(s->v, s->n);
		}
		va = v[0];
		vb = v[1];
		fprintf(f, "%-*s%-*.*s", LABEL_W, r == 1 && metric[m].rate ?
			"Hmean" : row[r], SCHEME_W, SCHEME_W - 1, name);
		cell(f, va, va, false, 2, false);
		cell(f, isnan(va) ? vb : va, vb, r == 1 && sig, 2, true);
		fputc('\n', f);
	}
}

/* The schemes of A, then those only B has. */
static void scheme_names(const struct rr_report *a, const struct rr_report *b,
			 const char **v, size_t *n, size_t max)
{
	size_t i;

	*n = 0;
	for (i = 0; i < a->nr && *n < max; i++)
		v[(*n)++] = a->s[i].name;
	for (i = 0; i < b->nr && *n < max; i++)
		if (!rr_scheme(a, b->s[i].name))
			v[(*n)++] = b->s[i].name;
}

static void head(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n%*s%24s%24s\n", title, LABEL_W + SCHEME_W, "",
		"A", "B");
}

/*
 * One deterministic number per side: value and change, no test; rows
 * grouped under their scheme's name.
 */
static void plain_row(FILE *f, const char *label, double a, double b,
		      int prec)
{
	fprintf(f, "  %-*.*s", LABEL_W + SCHEME_W - 2, LABEL_W + SCHEME_W - 3,
		label);
	cell(f, a, a, false, prec, false);
	cell(f, isnan(a) ? b : a, b, false, prec, true);
	fputc('\n', f);
}

static double obj_kb(const struct rr_scheme *s, const char *name)
{
	size_t i;

	if (!s || !s->have_run)
		return NAN;
	for (i = 0; i < s->nr_obj; i++)
		if (!strcmp(s->obj[i].name, name))
			return s->obj[i].snapshot_kb;
	return NAN;
}

static void side(FILE *f, const char *which, const struct rr_report *r)
{
	fprintf(f, "%s: %s\n   commit %s, kernel %s, %s\n   %zu traces, %ld "
		"events, replays of each: %ld\n", which, r->path,
		*r->commit ? r->commit : "?", *r->kernel ? r->kernel : "?",
		*r->compiler ? r->compiler : "?", r->nr_traces, r->events,
		r->repeats);
}

void report_compare_runs(FILE *f, const struct rr_report *a,
			 const struct rr_report *b)
{
	const char *names[64], *objs[32];
	size_t nr, nr_objs = 0, i, j, k;
	int m;

	fprintf(f, "rmaplab: two runs side by side (B against A)\n\n");
	side(f, "A", a);
	side(f, "B", b);
	if (a->nr_traces != b->nr_traces || a->events != b->events)
		fprintf(f, "\nThe two runs replayed different traces: their "
			"numbers are not comparable\nrow by row.\n");
	if (*a->cpu && *b->cpu && strcmp(a->cpu, b->cpu))
		fprintf(f, "\nThe runs were on different CPUs (A: %s; B: %s)."
			"\n", a->cpu, b->cpu);
	fprintf(f, "\nChanges are (B - A) / A.  Timings are over each run's "
		"replays; '*...*' marks a\nchange where Welch's t-test gives "
		"p < %.2f (not tested where a side was\nmeasured once or "
		"both are constant).  Counts are deterministic: no test.\n",
		SIG_P);

	scheme_names(a, b, names, &nr, 64);
	for (m = 0; m < RR_NR_METRICS; m++) {
		head(f, metric[m].title);
		for (i = 0; i < nr; i++) {
			const struct rr_scheme *sa = rr_scheme(a, names[i]);
			const struct rr_scheme *sb = rr_scheme(b, names[i]);
			static const struct rr_values none;

			timing_rows(f, names[i], m, sa ? &sa->t[m] : &none,
				    sb ? &sb->t[m] : &none);
		}
	}

	/* every object class either run accounts, in first-seen order */
	for (k = 0; k < 2; k++) {
		const struct rr_report *r = k ? b : a;

		for (i = 0; i < r->nr; i++)
			for (j = 0; j < r->s[i].nr_obj; j++) {
				size_t x;

				for (x = 0; x < nr_objs; x++)
					if (!strcmp(objs[x],
						    r->s[i].obj[j].name))
						break;
				if (x == nr_objs && nr_objs < 32)
					objs[nr_objs++] = r->s[i].obj[j].name;
			}
	}
	head(f, "Memory at the walks' snapshot, KB over all traces (lower is "
	     "better)");
	for (i = 0; i < nr; i++) {
		const struct rr_scheme *sa = rr_scheme(a, names[i]);
		const struct rr_scheme *sb = rr_scheme(b, names[i]);

		fprintf(f, "%s\n", names[i]);
		for (j = 0; j < nr_objs; j++) {
			double va = obj_kb(sa, objs[j]),
			       vb = obj_kb(sb, objs[j]);

			if (!isnan(va) || !isnan(vb))
				plain_row(f, objs[j], va, vb, 1);
		}
		plain_row(f, "rmap, all but VMAs",
			  sa && sa->have_run ? sa->rmap_kb : NAN,
			  sb && sb->have_run ? sb->rmap_kb : NAN, 1);
	}

	head(f, "rmap walk: VMAs visited per walk, precision % (found / "
	     "visited)");
	for (i = 0; i < nr; i++) {
		const struct rr_scheme *sa = rr_scheme(a, names[i]);
		const struct rr_scheme *sb = rr_scheme(b, names[i]);

		fprintf(f, "%s\n", names[i]);
		plain_row(f, "VMAs visited per walk",
			  sa && sa->have_run ? sa->vmas_per_walk : NAN,
			  sb && sb->have_run ? sb->vmas_per_walk : NAN, 2);
		plain_row(f, "precision %",
			  sa && sa->have_run ? sa->precision_pct : NAN,
			  sb && sb->have_run ? sb->precision_pct : NAN, 1);
	}

	head(f, "Correctness: disagreements with the oracle and the kernel");
	for (i = 0; i < nr; i++) {
		const struct rr_scheme *sa = rr_scheme(a, names[i]);
		const struct rr_scheme *sb = rr_scheme(b, names[i]);
		bool ca = sa && sa->have_check, cb = sb && sb->have_check;

		fprintf(f, "%s\n", names[i]);
		plain_row(f, "with the oracle",
			  ca ? sa->oracle_mismatches : NAN,
			  cb ? sb->oracle_mismatches : NAN, 0);
		plain_row(f, "with the kernel's checkpoints",
			  ca ? sa->kernel_mismatches : NAN,
			  cb ? sb->kernel_mismatches : NAN, 0);
	}
	if (!a->check_ran || !b->check_ran)
		fprintf(f, "('-': the checker did not run in %s.)\n",
			!a->check_ran && !b->check_ran ? "either run" :
			!a->check_ran ? "run A" : "run B");
}
