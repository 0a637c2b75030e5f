// SPDX-License-Identifier: GPL-2.0-only
/*
 * Charts with gnuplot: for each chart a data file and a script that
 * draws it twice, as PNG (pngcairo, or png where gnuplot lacks cairo)
 * and as SVG.  The scripts and data stay beside the pictures, so anyone
 * can redraw them.  Without gnuplot the report is complete but for the
 * pictures, and says so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reports/report.h"
#include "reports/stats.h"

struct chart_ctx {
	char dir[4096];			/* the charts directory */
	struct report_data *d;
	char *err;
	size_t errlen;
};

static FILE *open_in(struct chart_ctx *c, const char *name)
{
	char path[4200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(c->err, c->errlen, "%s: %s", path, strerror(errno));
	return f;
}

static int close_in(struct chart_ctx *c, FILE *f, const char *name)
{
	if (ferror(f) | fclose(f)) {
		snprintf(c->err, c->errlen, "%s/%s: write error", c->dir,
			 name);
		return -1;
	}
	return 0;
}

/* A name inside a single-quoted gnuplot string. */
static void gp_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++)
		fputc(*s == '\'' ? '"' : *s, f);
	fputc('\'', f);
}

/* The script's head: terminal choice and common style. */
static void gp_head(FILE *f, const char *title, const char *xlabel,
		    const char *ylabel)
{
	fputs("# SPDX-License-Identifier: GPL-2.0-only\n"
	      "# Written by rmaplab report; run: gnuplot THIS.gp\n", f);
	fputs("set encoding utf8\nunset key\nset key top left noenhanced\n"
	      "set grid\nset border 3\nset tics nomirror\n", f);
	fprintf(f, "set title ");
	gp_quoted(f, title);
	fprintf(f, " noenhanced\nset xlabel ");
	gp_quoted(f, xlabel);
	fprintf(f, " noenhanced\nset ylabel ");
	gp_quoted(f, ylabel);
	fputs(" noenhanced\n", f);
}

/* Draw the plot command @plot into NAME.png and NAME.svg. */
static void gp_outputs(FILE *f, const char *name, const char *plot)
{
	fputs("if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
	      "\tset terminal pngcairo size 900,540 noenhanced font ',10'\n"
	      "} else {\n"
	      "\tset terminal png size 900,540 noenhanced\n}\n", f);
	fprintf(f, "set output '%s.png'\n%s\n", name, plot);
	fputs("set terminal svg size 900,540 noenhanced font 'sans,10'\n",
	      f);
	fprintf(f, "set output '%s.svg'\n%s\nset output\n", name, plot);
}

static bool any_have(const bool *have, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 64; i++)
		if (have[i])
			return true;
	return false;
}

/* "plot 'F' index 0 ... title 'S0', '' index 1 ... title 'S1', ..." */
static char *plot_indexed(const char *data, const struct report_data *d,
			  const bool *have, const char *using,
			  const char *style)
{
	char *s = NULL, *t;
	size_t i, n = 0;

	if (asprintf(&s, "plot") < 0)
		abort();
	for (i = 0; i < d->nr_schemes; i++) {
		if (!have[i])
			continue;
		/* Variants dashed, so that a variant on top of its scheme
		 * still shows both. */
		if (asprintf(&t, "%s%s '%s' index %zu using %s with %s%s "
			     "title '%s'", s, n ? "," : "", data, n, using,
			     style, rpt_is_variant(d->schemes[i]) ?
			     " dt 2" : "", d->schemes[i]) < 0)
			abort();
		free(s);
		s = t;
		n++;
	}
	return s;
}

static int write_script(struct chart_ctx *c, const char *name,
			const char *title, const char *xl, const char *yl,
			const char *extra, const char *plot)
{
	char file[128];
	FILE *f;

	snprintf(file, sizeof(file), "%s.gp", name);
	f = open_in(c, file);
	if (!f)
		return -1;
	gp_head(f, title, xl, yl);
	if (extra)
		fputs(extra, f);
	gp_outputs(f, name, plot);
	return close_in(c, f, file);
}

static double rmap_kb_row(const struct rpt_run *r, size_t i)
{
	double kb = 0;
	int k;

	for (k = 0; k < r->nr_objs; k++)
		if (strcmp(r->objs[k].name, "vm_area_struct"))
			kb += (double)r->series.live[i * RPT_MAX_CLASSES + k] *
				(double)r->objs[k].size / 1024.0;
	return kb;
}

/* The zygote trace, else the longest. */
static int series_trace(const struct report_data *d)
{
	size_t i, best = 0;
	int z = rpt_zygote(d);

	if (z >= 0)
		return z;
	if (!d->nr_traces)
		return -1;
	for (i = 1; i < d->nr_traces; i++)
		if (d->traces[i].events > d->traces[best].events)
			best = i;
	return (int)best;
}

static int chart_memory(struct chart_ctx *c, int *made)
{
	const struct report_data *d = c->d;
	int ti = series_trace(d);
	const struct rpt_trace *t;
	bool have[64] = { false };
	char title[300], *plot;
	size_t s, i;
	FILE *f;
	int ret;

	if (ti < 0)
		return 0;
	t = &d->traces[ti];
	f = open_in(c, "memory-series.dat");
	if (!f)
		return -1;
	for (s = 0; s < d->nr_schemes && s < 64; s++) {
		const struct rpt_run *r = &t->runs[s];

		if (!r->available || !r->series.nr)
			continue;
		have[s] = true;
		fprintf(f, "# %s: event, KB of every class but "
			"vm_area_struct\n", d->schemes[s]);
		for (i = 0; i < r->series.nr; i++)
			fprintf(f, "%lu %.3f\n", r->series.event[i],
				rmap_kb_row(r, i));
		fputs("\n\n", f);
	}
	if (close_in(c, f, "memory-series.dat"))
		return -1;
	if (!any_have(have, d->nr_schemes))
		return 0;
	snprintf(title, sizeof(title), "rmap metadata over %s", t->name);
	plot = plot_indexed("memory-series.dat", d, have, "1:2",
			    "steps lw 2");
	ret = write_script(c, "memory-series", title, "events replayed",
			   "KB (all classes but vm_area_struct)", NULL,
			   plot);
	free(plot);
	(*made)++;
	return ret;
}

static int chart_latency(struct chart_ctx *c, int *made)
{
	const struct report_data *d = c->d;
	bool have[64] = { false };
	size_t s, i, step;
	char *plot;
	FILE *f;
	int ret;

	f = open_in(c, "walk-latency.dat");
	if (!f)
		return -1;
	for (s = 0; s < d->nr_schemes && s < 64; s++) {
		const struct rpt_walk *w = &d->total[s].walk;

		if (!d->total[s].available || !w->nr_ns)
			continue;
		have[s] = true;
		fprintf(f, "# %s: walk ns, fraction of folios at or below\n",
			d->schemes[s]);
		/* At most about 400 points of the sorted distribution. */
		step = w->nr_ns / 400 + 1;
		for (i = 0; i < w->nr_ns; i += step)
			fprintf(f, "%.1f %.5f\n", w->ns[i] > 1 ? w->ns[i] : 1,
				(double)(i + 1) / (double)w->nr_ns);
		fprintf(f, "%.1f 1\n\n\n", w->ns[w->nr_ns - 1] > 1 ?
			w->ns[w->nr_ns - 1] : 1);
	}
	if (close_in(c, f, "walk-latency.dat"))
		return -1;
	if (!any_have(have, d->nr_schemes))
		return 0;
	plot = plot_indexed("walk-latency.dat", d, have, "1:2",
			    "steps lw 2");
	ret = write_script(c, "walk-latency", "rmap walk latency per folio "
			   "(all traces, first replay)", "ns (log scale)",
			   "fraction of folios",
			   "set logscale x\nset yrange [0:1]\n"
			   "set key bottom right\n", plot);
	free(plot);
	(*made)++;
	return ret;
}

static int chart_depth(struct chart_ctx *c, int *made)
{
	const struct report_data *d = c->d;
	bool have[64] = { false };
	char *plot;
	size_t s, i;
	FILE *f;
	int ret;

	if (!d->depth.nr)
		return 0;
	f = open_in(c, "fork-depth.dat");
	if (!f)
		return -1;
	for (s = 0; s < d->nr_schemes && s < 64; s++) {
		fprintf(f, "# %s: depth, mean walk ns (median of the "
			"replays), VMAs visited per walk\n", d->schemes[s]);
		for (i = 0; i < d->depth.nr; i++) {
			const struct rpt_run *r = &d->depth.pts[i].runs[s];

			if (!r->available || !r->walk.walks)
				continue;
			have[s] = true;
			fprintf(f, "%u %.1f %.3f\n", d->depth.pts[i].depth,
				rs_median(r->walk.mean_ns, r->walk.nr_rep),
				(double)r->walk.candidates /
				(double)r->walk.walks);
		}
		fputs("\n\n", f);
	}
	if (close_in(c, f, "fork-depth.dat"))
		return -1;
	if (!any_have(have, d->nr_schemes))
		return 0;
	/* Every scheme wrote a block, so index = scheme number. */
	for (s = 0; s < d->nr_schemes && s < 64; s++)
		have[s] = true;
	plot = plot_indexed("fork-depth.dat", d, have, "1:2",
			    "linespoints lw 2");
	ret = write_script(c, "fork-depth-ns", "rmap walk time versus fork "
			   "depth (mean over the folios)",
			   "fork depth (log scale)", "ns per walk",
			   "set logscale x 2\n", plot);
	free(plot);
	if (ret)
		return ret;
	plot = plot_indexed("fork-depth.dat", d, have, "1:3",
			    "linespoints lw 2");
	ret = write_script(c, "fork-depth-vmas", "VMAs visited per rmap "
			   "walk versus fork depth", "fork depth (log scale)",
			   "VMAs visited per walk", "set logscale x 2\n",
			   plot);
	free(plot);
	*made += 2;
	return ret;
}

/* Per operation: rmap lock acquisitions per operation (counted). */
static int chart_locks(struct chart_ctx *c, int *made)
{
	const struct report_data *d = c->d;
	const char *name = "lock-acquisitions";
	char dat[64], *plot = NULL, *t;
	bool any = false;
	size_t s;
	int op, k, ret;
	FILE *f;

	snprintf(dat, sizeof(dat), "%s.dat", name);
	f = open_in(c, dat);
	if (!f)
		return -1;
	fputs("op", f);
	for (s = 0; s < d->nr_schemes; s++)
		fprintf(f, " %s", d->schemes[s]);
	fputc('\n', f);
	for (op = 0; op < d->nr_ops; op++) {
		bool row = false;
		char line[1024];
		size_t len;

		len = snprintf(line, sizeof(line), "%s", d->op_names[op]);
		for (s = 0; s < d->nr_schemes; s++) {
			double v = 0, n;

			const struct rpt_run *r = &d->total[s];

			for (k = 0; r->available && k < r->nr_locks; k++) {
				const struct rpt_lock *l = &r->locks[k];

				if (!strcmp(l->name, "mmap_lock"))
					continue;
				v += (double)(l->rd[op] + l->wr[op]);
			}
			n = (double)r->op_count[op];
			v = n > 0 ? v / n : 0;
			row |= v > 0;
			if (len < sizeof(line))
				len += snprintf(line + len, sizeof(line) - len,
						" %.4f", v);
		}
		if (row) {
			fprintf(f, "%s\n", line);
			any = true;
		}
	}
	if (close_in(c, f, dat))
		return -1;
	if (!any)
		return 0;
	if (asprintf(&plot, "plot for [i=2:%zu] '%s' using i:xtic(1) "
		     "title columnheader(i)", d->nr_schemes + 1, dat) < 0)
		abort();
	if (asprintf(&t, "set style data histograms\nset style histogram "
		     "clustered gap 1\nset style fill solid 0.8 border -1\n"
		     "set key top left autotitle columnheader noenhanced\n"
		     "set yrange [0:*]\nset xtics rotate by -30\n") < 0)
		abort();
	ret = write_script(c, name, "rmap lock acquisitions per operation "
			   "(every class but mmap_lock; counted, not timed)",
			   "operation", "acquisitions per operation", t, plot);
	free(t);
	free(plot);
	(*made)++;
	return ret;
}

/*
 * The simulation's scaling curves: events per virtual second, and
 * contentions of every lock class, against virtual CPUs.
 */
static int chart_sim(struct chart_ctx *c, int *made)
{
	const struct report_data *d = c->d;
	const struct rpt_contend *rc = &d->contend;
	bool have[64] = { false };
	char *plot;
	size_t s, p;
	FILE *f;
	int i, ret;

	if (!rc->ran || !rc->runs)
		return 0;
	f = open_in(c, "lock-scaling.dat");
	if (!f)
		return -1;
	for (s = 0; s < d->nr_schemes && s < 64; s++) {
		const struct rpt_contend_run *r = &rc->runs[s];

		fprintf(f, "# %s: virtual CPUs, events per virtual second, "
			"contentions (all classes), waittime-total ns\n",
			d->schemes[s]);
		for (p = 0; r->available && p < r->nr_pts; p++) {
			const struct rpt_sim_point *pt = &r->pts[p];
			unsigned long n = 0;
			double w = 0;

			for (i = 0; i < pt->nr; i++) {
				n += pt->ls[i].contentions;
				w += pt->ls[i].wait_total;
			}
			have[s] = true;
			fprintf(f, "%u %.1f %lu %.0f\n", pt->cpus,
				pt->ops_per_sec, n, w);
		}
		fputs("\n\n", f);
	}
	if (close_in(c, f, "lock-scaling.dat"))
		return -1;
	if (!any_have(have, d->nr_schemes))
		return 0;
	for (s = 0; s < d->nr_schemes && s < 64; s++)
		have[s] = true;
	plot = plot_indexed("lock-scaling.dat", d, have, "1:2",
			    "linespoints lw 2");
	ret = write_script(c, "lock-scaling", "simulated throughput versus "
			   "virtual CPUs (virtual time)", "virtual CPUs (log "
			   "scale)", "events per virtual second",
			   "set logscale x 2\n", plot);
	free(plot);
	if (ret)
		return ret;
	plot = plot_indexed("lock-scaling.dat", d, have, "1:3",
			    "linespoints lw 2");
	ret = write_script(c, "lock-contentions", "simulated lock "
			   "contentions versus virtual CPUs (every class)",
			   "virtual CPUs (log scale)", "contentions",
			   "set logscale x 2\n", plot);
	free(plot);
	*made += 2;
	return ret;
}

/* Run gnuplot on @script in @dir; its messages go to gnuplot.log. */
static int run_gnuplot(const char *prog, const char *dir, const char *script)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (chdir(dir))
			_exit(126);
		fd = open("gnuplot.log", O_WRONLY | O_CREAT | O_APPEND, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execlp(prog, prog, script, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static bool nonempty(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !stat(path, &st) && S_ISREG(st.st_mode) && st.st_size > 0;
}

int report_charts(const char *dir, struct report_data *d, char *err,
		  size_t errlen)
{
	static const char *const names[] = {
		"memory-series", "walk-latency", "fork-depth-ns",
		"fork-depth-vmas", "lock-acquisitions", "lock-wait",
		"lock-scaling", "lock-contentions",
	};
	const char *prog = getenv("RMAPLAB_GNUPLOT");
	struct chart_ctx c = { .d = d, .err = err, .errlen = errlen };
	static const char *const exts[] = { "gp", "dat", "png", "svg" };
	char script[128], path[4200];
	int made = 0, rc;
	size_t i, k;

	memset(&d->charts, 0, sizeof(d->charts));
	snprintf(c.dir, sizeof(c.dir), "%s/charts", dir);
	if (mkdir(c.dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", c.dir, strerror(errno));
		return -1;
	}
	/* Nothing of an earlier run may pass for this one's. */
	snprintf(path, sizeof(path), "%s/gnuplot.log", c.dir);
	unlink(path);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (k = 0; k < sizeof(exts) / sizeof(exts[0]); k++) {
			snprintf(path, sizeof(path), "%s/%s.%s", c.dir,
				 names[i], exts[k]);
			unlink(path);
		}
	}
	snprintf(path, sizeof(path), "%s/fork-depth.dat", c.dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock-scaling.dat", c.dir);
	unlink(path);
	if (chart_memory(&c, &made) || chart_latency(&c, &made) ||
	    chart_depth(&c, &made) || chart_locks(&c, &made) ||
	    chart_sim(&c, &made))
		return -1;
	if (!d->contend.ran)
		snprintf(d->charts.skipped, sizeof(d->charts.skipped),
			 "no lock-scaling chart: there was no contention "
			 "simulation");
	if (!prog)
		prog = "gnuplot";
	if (!*prog) {
		snprintf(d->charts.note, sizeof(d->charts.note),
			 "RMAPLAB_GNUPLOT is empty");
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(script, sizeof(script), "%s.gp", names[i]);
		if (!nonempty(c.dir, script))
			continue;
		rc = run_gnuplot(prog, c.dir, script);
		if (rc == 127) {
			snprintf(d->charts.note, sizeof(d->charts.note),
				 "%s not found (Debian: apt-get install "
				 "gnuplot-nox); the scripts and data are in "
				 "charts/", prog);
			d->charts.nr = 0;
			return 0;
		}
		if (rc) {
			snprintf(d->charts.note, sizeof(d->charts.note),
				 "gnuplot failed on charts/%s (exit %d, see "
				 "charts/gnuplot.log)", script, rc);
			d->charts.nr = 0;
			return 0;
		}
		snprintf(script, sizeof(script), "%s.png", names[i]);
		snprintf(path, sizeof(path), "%s.svg", names[i]);
		if (!nonempty(c.dir, script) || !nonempty(c.dir, path)) {
			snprintf(d->charts.note, sizeof(d->charts.note),
				 "gnuplot wrote no charts/%s", script);
			d->charts.nr = 0;
			return 0;
		}
		if (d->charts.nr + 2 <= sizeof(d->charts.files) /
		    sizeof(d->charts.files[0])) {
			snprintf(d->charts.files[d->charts.nr++],
				 sizeof(d->charts.files[0]),
				 "charts/%.40s.png", names[i]);
			snprintf(d->charts.files[d->charts.nr++],
				 sizeof(d->charts.files[0]),
				 "charts/%.40s.svg", names[i]);
		}
	}
	/* An empty log says nothing: do not leave it behind. */
	snprintf(path, sizeof(path), "%s/gnuplot.log", c.dir);
	if (!nonempty(c.dir, "gnuplot.log"))
		unlink(path);
	d->charts.ran = made > 0 && d->charts.nr > 0;
	if (!d->charts.ran && !d->charts.note[0])
		snprintf(d->charts.note, sizeof(d->charts.note),
			 "no data to draw");
	return 0;
}
