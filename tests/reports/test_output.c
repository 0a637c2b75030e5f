// SPDX-License-Identifier: GPL-2.0-only
/*
 * reports/ on its own, with data made up here: the tables (the report's
 * and compare's RT_NUMERIC), the change column, the statistics, the JSON
 * writer, and a whole text report from a synthetic report_data (long
 * names included) within 80 columns.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports/json.h"
#include "reports/report.h"
#include "reports/results_json.h"
#include "reports/stats.h"
#include "reports/table.h"
#include "checkers.h"

static char *capture(void (*fn)(FILE *f, void *arg), void *arg)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(f);
	fn(f, arg);
	fclose(f);
	return text;
}

static void print_table(FILE *f, void *arg)
{
	rt_print(f, arg, 80);
}

Test(table, letter_form)
{
	struct rt_table t;
	char *s;

	rt_init(&t, 4, RT_LETTER);
	rt_head(&t, 0, "Object");
	rt_head(&t, 1, "Before (active KB)");
	rt_head(&t, 2, "After (active KB)");
	rt_head(&t, 3, "Change");
	rt_row(&t);
	rt_cell(&t, 0, "anon_vma_chain");
	rt_cell(&t, 1, "18865.8");
	rt_cell(&t, 2, "8112.06");
	rt_cell(&t, 3, "-57.0%%");
	s = capture(print_table, &t);
	/* Exactly the cover letter's lines (its first column is wider). */
	cr_assert_str_eq(s,
		"Object         | Before (active KB) | After (active KB) | "
		"Change\n"
		"anon_vma_chain | 18865.8            | 8112.06           | "
		"-57.0%\n");
	free(s);
	rt_free(&t);
}

Test(table, wide_tables_are_split)
{
	struct rt_table t;
	bool non_ascii;
	char *s;
	int c;

	rt_init(&t, 9, RT_RULED);
	rt_head(&t, 0, "Lock class, operation");
	for (c = 1; c < 9; c++)
		rt_head(&t, c, "scheme-number-%d", c);
	rt_row(&t);
	rt_cell(&t, 0, "anon_vma->rwsem fork");
	for (c = 1; c < 9; c++)
		rt_cell(&t, c, "%d.00", c);
	s = capture(print_table, &t);
	cr_assert_leq(longest_line(s, &non_ascii), 80);
	/* Every column is still there, the first one repeated. */
	for (c = 1; c < 9; c++) {
		char h[32];

		snprintf(h, sizeof(h), "scheme-number-%d", c);
		cr_assert(strstr(s, h), "column %d lost", c);
	}
	cr_assert(strstr(strstr(s, "anon_vma->rwsem fork") + 1,
			  "anon_vma->rwsem fork"), "first column not repeated");
	free(s);
	rt_free(&t);
}

/* RT_NUMERIC: the seed's form, `rmaplab compare`'s tables. */
Test(table, numeric_form)
{
	struct rt_table t;
	char *s;

	rt_init(&t, 3, RT_NUMERIC);
	rt_head(&t, 0, "Object");
	rt_head(&t, 1, "classic KB");
	rt_head(&t, 2, "change lazy");
	rt_row(&t);
	rt_cell(&t, 0, "anon_vma_chain");
	rt_cell(&t, 1, "%.1f", 18865.8);
	rt_cell(&t, 2, "-57.0%%");
	s = capture(print_table, &t);
	cr_assert_str_eq(s,
		"Object         | classic KB | change lazy\n"
		"---------------+------------+------------\n"
		"anon_vma_chain |    18865.8 |      -57.0%\n");
	free(s);
	rt_free(&t);
}

Test(table, numeric_wide_table_is_split_with_its_title)
{
	struct rt_table t;
	bool non_ascii;
	char *s;
	int c;

	rt_init(&t, 13, RT_NUMERIC);
	rt_title(&t, "a title");
	rt_head(&t, 0, "Object");
	for (c = 1; c < 13; c++)
		rt_head(&t, c, "scheme-%d KB", c);
	rt_row(&t);
	rt_cell(&t, 0, "anon_vma_chain");
	for (c = 1; c < 13; c++)
		rt_cell(&t, c, "%d", c * 1000);
	rt_row_ruled(&t);
	rt_cell(&t, 0, "total");
	s = capture(print_table, &t);
	cr_assert_leq(longest_line(s, &non_ascii), 80, "%s", s);
	/* Every column still shows, and the label repeats per part. */
	for (c = 1; c < 13; c++) {
		char want[32];

		snprintf(want, sizeof(want), "scheme-%d KB", c);
		cr_assert(strstr(s, want), "missing %s", want);
	}
	cr_assert(strstr(s, "a title (cont.)"));
	free(s);
	rt_free(&t);
}

Test(table, numeric_overlong_cells_are_cut)
{
	char longname[200];
	struct rt_table t;
	bool non_ascii;
	char *s;

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	rt_init(&t, 2, RT_NUMERIC);
	rt_head(&t, 0, "name");
	rt_head(&t, 1, "value");
	rt_row(&t);
	rt_cell(&t, 0, "%s", longname);
	rt_cell(&t, 1, "%s", longname);
	s = capture(print_table, &t);
	cr_assert_leq(longest_line(s, &non_ascii), 80, "%s", s);
	cr_assert(strchr(s, '~'));
	free(s);
	rt_free(&t);
}

struct wrap_arg {
	const char *text;
};

static void wrap(FILE *f, void *arg)
{
	rt_wrap(f, 80, "- ", "  ", ((struct wrap_arg *)arg)->text);
}

Test(table, wrap_cuts_long_words)
{
	struct wrap_arg a = {
		"short words then ./a/path/that/is/much/longer/than/one/"
		"line/of/eighty/columns/in/an/email/to/linux-mm/so/it/must/"
		"be/cut.trace and more",
	};
	bool non_ascii;
	char *s = capture(wrap, &a);

	cr_assert_leq(longest_line(s, &non_ascii), 80);
	cr_assert(!strncmp(s, "- short words", 13));
	cr_assert(strstr(s, "and more\n"));
	free(s);
}

static void wrap_40(FILE *f, void *arg)
{
	int i;

	for (i = 0; i < 3; i++)
		rt_wrap(f, 40, "", "", arg);
}

Test(table, wrap_within_width)
{
	bool non_ascii;
	char *s = capture(wrap_40, "the quick brown fox jumps over the lazy "
			  "dog and keeps running far away");

	cr_assert_leq(longest_line(s, &non_ascii), 40, "%s", s);
	cr_assert(strstr(s, "quick brown"));
	free(s);
}

Test(table, change)
{
	static const struct {
		double base, val;
		const char *want;
	} cases[] = {
		{ 20426.4, 613.75, "-97.0%" },
		{ 18865.8, 8112.06, "-57.0%" },
		{ 100, 0, "-100.0%" },
		{ 10, 13, "+30.0%" },
		{ 117035, 118176, "+1.0%" },
		{ 5, 5, "0.0%" },
		{ 0, 3, "new" },
		{ 0, 0, "-" },
	};
	char b[16];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rt_change(b, sizeof(b), cases[i].base, cases[i].val);
		cr_assert_str_eq(b, cases[i].want, "%g -> %g", cases[i].base,
				 cases[i].val);
	}
}

Test(stats, means_and_welch)
{
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 2, 3, 4, 5, 6 };
	const double c[] = { 100, 101, 99, 100, 100 };
	const double r[] = { 1, 2, 4 };

	cr_assert_float_eq(rs_amean(a, 5), 3, 1e-12);
	cr_assert_float_eq(rs_hmean(r, 3), 3 / 1.75, 1e-12);
	cr_assert_float_eq(rs_stddev(a, 5), sqrt(2.5), 1e-12);
	cr_assert_float_eq(rs_median(b, 5), 4, 1e-12);
	/* t = -1 with 8 degrees of freedom: two-sided p = 0.3466. */
	cr_assert_float_eq(rs_welch_p(a, 5, b, 5), 0.34659, 1e-4);
	cr_assert_lt(rs_welch_p(a, 5, c, 5), 0.001);
	cr_assert(isnan(rs_welch_p(a, 1, b, 5)));
	cr_assert_float_eq(rs_welch_p(c, 5, c, 5), 1, 1e-12);
}

static void json_doc(FILE *f, void *arg)
{
	struct rj j;

	rj_init(&j, f);
	rj_obj(&j);
	rj_kstr(&j, "quote\"and\\back", "line\nbreak\ttab\x01");
	rj_kdouble(&j, "nan", NAN);
	rj_kdouble(&j, "half", 0.5);
	rj_knumber_text(&j, "plus", "+1.0");
	rj_knumber_text(&j, "word", "new");
	rj_key(&j, "flat");
	rj_arr_flat(&j);
	rj_ulong(&j, 1);
	rj_obj_flat(&j);
	rj_kbool(&j, "b", true);
	rj_obj_end(&j);
	rj_arr_end(&j);
	rj_key(&j, "empty");
	rj_arr(&j);
	rj_arr_end(&j);
	rj_obj_end(&j);
	rj_finish(&j);
}

Test(json, writer_output_is_valid)
{
	struct numbers n = { 0 };
	char *s = capture(json_doc, NULL), err[128];

	cr_assert(json_valid(s, &n, err, sizeof(err)), "%s: %s", err, s);
	cr_assert(strstr(s, "\"nan\": null"));
	cr_assert(strstr(s, "\"plus\": 1.0"));
	cr_assert(strstr(s, "\"word\": null"));
	cr_assert(strstr(s, "[1, {\"b\": true}]"), "%s", s);
	cr_assert(numbers_has(&n, 0.5));
	numbers_free(&n);
	free(s);
}

Test(json, validator_rejects)
{
	char err[128];

	cr_assert(!json_valid("{\"a\": 1,}", NULL, err, sizeof(err)));
	cr_assert(!json_valid("[1 2]", NULL, err, sizeof(err)));
	cr_assert(!json_valid("{\"a\": nan}", NULL, err, sizeof(err)));
	cr_assert(!json_valid("\"tab\there\"", NULL, err, sizeof(err)));
	cr_assert(!json_valid("01", NULL, err, sizeof(err)));
	cr_assert(json_valid(" {\"a\": [1.5e-3, -0, true]} ", NULL, err,
			     sizeof(err)));
}

Test(svg, checker)
{
	char err[128];

	cr_assert(svg_valid("<?xml version=\"1.0\"?>\n<svg a='>'><g><path "
			    "d=\"M 0 0\"/></g><!-- <x> --></svg>\n", err,
			    sizeof(err)), "%s", err);
	cr_assert(!svg_valid("<svg><g></svg>", err, sizeof(err)));
	cr_assert(!svg_valid("<svg><g></g>", err, sizeof(err)));
	cr_assert(!svg_valid("<html></html>", err, sizeof(err)));
}

/* ---- a whole report from made-up data ------------------------------- */

static void fill_run(struct rpt_run *r, const char *scheme, long av,
		     long avc, long own)
{
	struct rpt_obj *o;
	static double p50[2] = { 100, 110 }, p99[2] = { 900, 950 };
	static double mean[2] = { 200, 210 }, rep[2] = { 1e6, 1.1e6 };

	memset(r, 0, sizeof(*r));
	snprintf(r->scheme, sizeof(r->scheme), "%s", scheme);
	r->available = true;
	r->events = 1000;
	r->snap_end = true;
	r->snap_event = 1000;
	o = rpt_obj_get(r, "vm_area_struct", 192);
	o->end = o->snap = o->peak = 1000;
	if (av >= 0) {
		o = rpt_obj_get(r, "anon_vma", 104);
		o->end = o->snap = o->peak = av;
		o->allocs[1] = av;
		o = rpt_obj_get(r, "anon_vma_chain", 64);
		o->end = o->snap = o->peak = avc;
	}
	if (own >= 0) {
		o = rpt_obj_get(r, "a_scheme_object_with_a_long_name", 96);
		o->end = o->snap = o->peak = own;
	}
	r->op_count[1] = 10;
	r->nr_locks = 1;
	snprintf(r->locks[0].name, sizeof(r->locks[0].name), "%s",
		 "a_lock_class_with_a_rather_long_name.rwsem");
	r->locks[0].wr[1] = 25;
	r->walk.walks = 50;
	r->walk.found = r->walk.expected = 120;
	r->walk.candidates = 140;
	r->walk.misses = 20;
	r->walk.nr_rep = 2;
	/* Borrowed arrays: the test does not free the runs. */
	r->walk.p50_ns = p50;
	r->walk.p99_ns = p99;
	r->walk.mean_ns = mean;
	r->replay_ns = rep;
}

static void make_data(struct report_data *d)
{
	static char schemes[4][RPT_NAME] = {
		"classic", "lazy", "cowctx",
		"cowctx:stop=never,merge=offset,file_pgoff=file",
	};
	static struct rpt_trace tr;
	static struct rpt_run runs[4], total[4];
	static struct rpt_check_scheme cs[4];
	int s;

	memset(d, 0, sizeof(*d));
	d->nr_schemes = 4;
	d->schemes = schemes;
	d->nr_ops = 2;
	snprintf(d->op_names[0], 16, "none");
	snprintf(d->op_names[1], 16, "fork");
	snprintf(d->setup.cpu, sizeof(d->setup.cpu), "A CPU whose model "
		 "name goes on and on and on and on and on, 3.00GHz");
	snprintf(d->setup.counters, sizeof(d->setup.counters),
		 "software only");
	d->setup.repeats = 2;
	d->setup.walk_repeat = 3;
	fill_run(&runs[0], schemes[0], 200, 500, -1);
	fill_run(&runs[1], schemes[1], 20, 250, -1);
	fill_run(&runs[2], schemes[2], -1, 0, 30);
	fill_run(&runs[3], schemes[3], -1, 0, 31);
	for (s = 0; s < 4; s++)
		total[s] = runs[s];
	snprintf(tr.name, sizeof(tr.name), "a-zygote-trace-with-a-name-"
		 "that-is-long-enough-to-wrap-somewhere.rmt");
	tr.events = 1000;
	tr.zygote = true;
	tr.snap_end = true;
	tr.runs = runs;
	d->nr_traces = 1;
	d->traces = &tr;
	d->total = total;
	d->check.ran = true;
	d->check.nr = 4;
	d->check.s = cs;
	for (s = 0; s < 4; s++) {
		memcpy(cs[s].scheme, schemes[s], sizeof(cs[s].scheme));
		cs[s].traces = 1;
	}
	cs[3].n[RPT_ORACLE] = 3;
	cs[3].failed[RPT_ORACLE] = 1;
	cs[3].nr_kinds = 1;
	snprintf(cs[3].kinds[0].name, sizeof(cs[3].kinds[0].name), "miss");
	cs[3].kinds[0].n = 3;
	snprintf(cs[3].first[RPT_ORACLE].kind, 24, "miss");
	snprintf(cs[3].first[RPT_ORACLE].what, 1024, "%s",
		 "./a/long/path/to/the/trace.rmt: event 12 (checkpoint "
		 "fork): missed mapping 17897:0x7f4cdd1f7000 of folio pfn "
		 "0x10004b page 0 (order 0)");
	snprintf(cs[3].first[RPT_ORACLE].trace, 256, "./a/long/path/to/the/"
		 "trace.rmt");
	cs[3].first[RPT_ORACLE].minimal = strdup(
		"# rmaplab text trace v1   arch=x86_64 page_size=4096 "
		"kernel=6.18.44 thp=madvise recorder=rmaplab-record/1 "
		"clock=monotonic\n# a comment\n"
		"1 mmap 0x55e8938fa000 0x4000 rw- private,anon,fixed "
		"t=2644407177914 -> 0x55e8938fa000\n"
		"1 fork 2 t=2644427912447\n");
	cs[3].first[RPT_ORACLE].minimal_from = 6013;
	cs[3].first[RPT_ORACLE].minimal_to = 2;
	d->email = true;
}

static void text(FILE *f, void *arg)
{
	report_write_text(f, arg);
}

static void json(FILE *f, void *arg)
{
	cr_assert_eq(report_write_json(f, arg), 0);
}

Test(report_text, synthetic_within_80_columns)
{
	struct report_data d;
	bool non_ascii;
	char *s, err[128];

	make_data(&d);
	s = capture(text, &d);
	cr_assert_leq(longest_line(s, &non_ascii), 80, "%s", s);
	cr_assert(!non_ascii);
	/* The headline table beside the seed's numbers. */
	cr_assert(strstr(s, "Object         | seed: boot | seed: 24 apps | "
			 "zygote: lazy | zygote: cowctx\n"), "%s", s);
	/* From the printed KB, 20.3 and 2.0, as a reader would. */
	cr_assert(strstr(s, "anon_vma       | -97.0%     | -92.0%        | "
			 "-90.1%       | -100.0%\n"), "%s", s);
	/* The minimal trace without the recorder's timestamps. */
	cr_assert(strstr(s, "\n# rmaplab text trace v1   arch=x86_64 "
			 "page_size=4096 thp=madvise\n1 mmap 0x55e8938fa000 "
			 "0x4000 rw- private,anon,fixed -> 0x55e8938fa000\n"
			 "1 fork 2\n"), "%s", s);
	free(s);
	s = capture(json, &d);
	cr_assert(json_valid(s, NULL, err, sizeof(err)), "%s", err);
	free(s);
	free(d.check.s[3].first[RPT_ORACLE].minimal);
}

Test(report_text, memtab_rows)
{
	struct report_data d;
	struct rpt_memtab mt;

	make_data(&d);
	rpt_memtab_build(d.total, 0, 1, RPT_SNAP, &mt);
	/* vm_area_struct, anon_vma_chain, anon_vma, total. */
	cr_assert_eq(mt.nr, 4);
	cr_assert_str_eq(mt.rows[0].object, "vm_area_struct");
	cr_assert_str_eq(mt.rows[1].object, "anon_vma_chain");
	cr_assert_str_eq(mt.rows[2].object, "anon_vma");
	cr_assert_str_eq(mt.rows[3].object, "total");
	/* 200 anon_vmas of 104 bytes: 20.3125 KB, one decimal. */
	cr_assert_str_eq(mt.rows[2].base_txt, "20.3");
	/* 20 of them: 2.03125 KB; the change of the printed figures. */
	cr_assert_str_eq(mt.rows[2].txt, "2.0");
	cr_assert_str_eq(mt.rows[2].change, "-90.1%");
	cr_assert_str_eq(mt.rows[1].change, "-50.0%");
	free(d.check.s[3].first[RPT_ORACLE].minimal);
}

static void run_json(FILE *f, void *arg)
{
	static const char ops[2][16] = { "none", "fork" };
	struct rj j;

	rj_init(&j, f);
	rj_obj(&j);
	rpt_json_run_members(&j, ops, 2, arg, false);
	rj_obj_end(&j);
	rj_finish(&j);
}

/*
 * A sum over traces of two arches: 1000 VMAs of 192 bytes (x86_64) and
 * 1000 of 176 (arm64) are 187.5 + 171.875 KB, not 2000 of either size;
 * the sum says it has no one size (0, "null" in report.json), and a
 * third trace adds in its own size too.
 */
Test(report_data, sum_over_arches_keeps_each_size)
{
	struct rpt_run x86, arm, sum;
	struct rpt_obj *o;
	char *s;

	fill_run(&x86, "classic", 200, 500, -1);
	fill_run(&arm, "classic", 200, 500, -1);
	((struct rpt_obj *)rpt_obj_find(&arm, "vm_area_struct"))->size = 176;
	memset(&sum, 0, sizeof(sum));
	rpt_run_add(&sum, &x86);
	o = (struct rpt_obj *)rpt_obj_find(&sum, "vm_area_struct");
	cr_assert(o);
	cr_expect_eq(o->size, 192);
	rpt_run_add(&sum, &arm);
	cr_expect_eq(o->size, 0);
	cr_expect_eq(o->snap, 2000);
	cr_expect_float_eq(rpt_obj_kb(o, RPT_SNAP), 187.5 + 171.875, 1e-9);
	cr_expect_float_eq(rpt_obj_kb(o, RPT_PEAK), 187.5 + 171.875, 1e-9);
	rpt_run_add(&sum, &arm);
	cr_expect_float_eq(rpt_obj_kb(o, RPT_END), 187.5 + 2 * 171.875,
			   1e-9);
	/* anon_vma is 104 bytes on both: one size, counted */
	o = (struct rpt_obj *)rpt_obj_find(&sum, "anon_vma");
	cr_expect_eq(o->size, 104);
	cr_expect_eq(o->snap, 600);
	s = capture(run_json, &sum);
	cr_expect(strstr(s, "\"name\": \"vm_area_struct\", \"size\": "
			 "null"), "%s", s);
	cr_expect(strstr(s, "\"snapshot_kb\": 531.25"), "%s", s);
	free(s);
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static bool have_gnuplot(void)
{
	return !system("gnuplot -e 'exit' >/dev/null 2>&1");
}

/* A contention simulation: the scaling charts are drawn from it. */
Test(charts, lock_scaling_from_simulation)
{
	static struct rpt_contend_run cr[4];
	struct report_data d;
	char dir[] = "/tmp/rmaplab-report-XXXXXX", err[256], path[300];
	char *dat;
	struct stat st;
	size_t s, p;

	make_data(&d);
	memset(cr, 0, sizeof(cr));
	for (s = 0; s < 4; s++) {
		cr[s].available = true;
		cr[s].nr_pts = 3;
		for (p = 0; p < 3; p++) {
			struct rpt_sim_point *pt = &cr[s].pts[p];

			pt->cpus = 1U << (2 * p);
			pt->ops_per_sec = 1e5 * (double)(p + 1);
			pt->nr = 1;
			snprintf(pt->ls[0].name, RPT_NAME, "anon_vma->rwsem");
			pt->ls[0].write = true;
			pt->ls[0].acquisitions = 100;
			pt->ls[0].contentions = 10 * p + s;
		}
	}
	d.contend.ran = true;
	d.contend.runs = cr;
	cr_assert(mkdtemp(dir));
	setenv("RMAPLAB_GNUPLOT", have_gnuplot() ? "gnuplot" : "", 1);
	cr_assert_eq(report_charts(dir, &d, err, sizeof(err)), 0, "%s", err);
	snprintf(path, sizeof(path), "%s/charts/lock-scaling.gp", dir);
	cr_expect(!stat(path, &st) && st.st_size > 0, "no lock-scaling script");
	snprintf(path, sizeof(path), "%s/charts/lock-scaling.dat", dir);
	{
		FILE *df = fopen(path, "r");
		size_t n;

		cr_assert(df, "%s", path);
		dat = calloc(1, 65536);
		cr_assert(dat);
		n = fread(dat, 1, 65535, df);
		dat[n] = 0;
		fclose(df);
	}
	/* scheme 2 at 16 CPUs: 300000 events/s, 22 contentions */
	cr_expect(strstr(dat, "16 300000.0 22 0\n"), "%s", dat);
	free(dat);
	if (have_gnuplot()) {
		snprintf(path, sizeof(path), "%s/charts/lock-contentions.png",
			 dir);
		cr_expect(!stat(path, &st) && st.st_size > 0,
			  "no lock-contentions.png");
		cr_expect(d.charts.ran, "%s", d.charts.note);
		cr_expect(!d.charts.skipped[0], "%s", d.charts.skipped);
	} else {
		cr_expect(!d.charts.ran);
	}
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(d.check.s[3].first[RPT_ORACLE].minimal);
}

/*
 * The same data without the zygote shape: the summary still leads, and
 * the cover letter's tables are gone, the name notwithstanding.
 */
Test(report_text, no_cover_letter_without_zygote)
{
	struct report_data d;
	char *s, *p;
	int lines = 0;

	make_data(&d);
	d.traces[0].zygote = false;
	s = capture(text, &d);
	cr_expect(!strstr(s, "seed: boot"), "%s", s);
	cr_expect(!strstr(s, "Headline:"), "%s", s);
	for (p = s; lines < 15 && (p = strchr(p, '\n')); p++)
		lines++;
	cr_assert(p);
	*p = '\0';
	cr_expect(strstr(s, "Compared: classic (baseline)"), "%s", s);
	/* The long name stays in Setup: the lead is kept to 15 lines. */
	cr_expect(strstr(s, "On:       1 trace, 1000 events (Setup names "
			 "them)."), "%s", s);
	cr_expect(strstr(s, "Verdict:  "), "%s", s);
	cr_expect(strstr(s, "Memory:   rmap metadata KB vs classic"), "%s",
		  s);
	cr_expect(strstr(s, "Walks:    VMAs visited per walk"), "%s", s);
	cr_expect(strstr(s, "Locks:    rmap lock acquisitions per fork"),
		  "%s", s);
	free(s);
	free(d.check.s[3].first[RPT_ORACLE].minimal);
}
