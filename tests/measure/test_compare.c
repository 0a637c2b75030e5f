// SPDX-License-Identifier: GPL-2.0-only
/* `rmaplab compare` end to end: tables, JSON, CSV, errors. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "harness/cmds.h"
#include "json_check.h"
#include "reports/json.h"

/*
 * 0123
 * AAAA         parent: pages 0 and 1 written, fork
 * AAAA         child: page 1 written (CoW), exits; parent maps a file
 */
static const char text[] = TRACE_HEADER
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"1 fault 0x100001000 w\n"
	"1 fork 2\n"
	"2 fault 0x100001000 w\n"
	"1 mmap 0x100010000 0x2000 rw- private,fixed file=f1 off=0 "
	"-> 0x100010000\n"
	"1 fault 0x100010000 w\n"
	"2 exit\n"
	"end 8\n";

static int run(int argc, char **argv)
{
	int ret = cmd_compare(argc, argv);

	fflush(stdout);
	fflush(stderr);
	return ret;
}

static void assert_narrow(const char *out)
{
	const char *line = out, *nl;

	for (; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line);
		cr_assert_leq(nl - line, 80, "line over 80 columns: %.*s",
			      (int)(nl - line), line);
		if (!*nl)
			break;
	}
}

Test(compare, tables_json_csv, .init = cr_redirect_stdout)
{
	char json[] = "/tmp/rmaplab-measure-json-XXXXXX";
	char dir[] = "/tmp/rmaplab-measure-csv-XXXXXX";
	const char *trace = write_temp(text, ".trace");
	char csv[300], *out, *js, *argv[16];
	size_t len, where;
	int fd, argc = 0;
	FILE *f;

	fd = mkstemp(json);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert(mkdtemp(dir));
	argv[argc++] = "compare";
	argv[argc++] = "--scheme";
	argv[argc++] = "classic";
	argv[argc++] = "--scheme";
	argv[argc++] = "cowctx";
	argv[argc++] = "--every";
	argv[argc++] = "2";
	argv[argc++] = "--json";
	argv[argc++] = json;
	argv[argc++] = "--csv";
	argv[argc++] = dir;
	argv[argc++] = (char *)trace;
	argv[argc] = NULL;
	cr_assert_eq(run(argc, argv), 0);

	f = cr_get_redirected_stdout();
	out = slurp_stream(f, NULL);
	assert_narrow(out);
	cr_assert(strstr(out, "Object"), "%s", out);
	cr_assert(strstr(out, "classic KB"));
	cr_assert(strstr(out, "change cowctx"));
	cr_assert(strstr(out, "anon_vma_chain"));
	cr_assert(strstr(out, "-100.0%"), "cowctx has no anon_vma: %s", out);
	cr_assert(strstr(out, "rmap walk"));
	cr_assert(strstr(out, "anon_vma->rwsem fork"));
	free(out);

	js = slurp(json, &len);
	cr_assert_gt(len, 100);
	cr_assert(json_valid(js, len, &where), "invalid JSON at byte %zu: "
		  "%.40s", where, js + where);
	cr_assert(strstr(js, "\"format\": \"rmaplab-compare\""));
	cr_assert(strstr(js, "\"name\": \"anon_vma_chain\""));
	/* report.json's RUN: the same names for the same figures */
	cr_assert(strstr(js, "\"runs\""));
	cr_assert(strstr(js, "\"snapshot_kb\""));
	cr_assert(strstr(js, "\"precision_pct\""));
	cr_assert(strstr(js, "\"live\""));
	free(js);

	snprintf(csv, sizeof(csv), "%s/memory.csv", dir);
	js = slurp(csv, NULL);
	cr_assert(!strncmp(js, "trace,scheme,object,size,live,peak,", 35));
	cr_assert(strstr(js, ",classic,anon_vma,104,"), "%s", js);
	cr_assert(strstr(js, "TOTAL,cowctx,cow_context,"), "%s", js);
	free(js);
	remove(csv);
	snprintf(csv, sizeof(csv), "%s/series.csv", dir);
	js = slurp(csv, NULL);
	cr_assert(strstr(js, ",classic,8,anon_vma,"), "%s", js);
	free(js);
	for (fd = 0; fd < 6; fd++) {
		static const char *const names[] = { "memory.csv",
			"series.csv", "walk.csv", "locks.csv", "ops.csv",
			"checkpoints.csv" };

		snprintf(csv, sizeof(csv), "%s/%s", dir, names[fd]);
		remove(csv);
	}
	rmdir(dir);
	remove(json);
	remove(trace);
}

Test(compare, bad_trace_exits_2, .init = cr_redirect_stderr)
{
	const char *trace = write_temp(TRACE_HEADER "1 mmapp 0x1000\n",
				       ".trace");
	char *argv[] = { "compare", (char *)trace, NULL };
	char *err;

	cr_assert_eq(run(2, argv), 2);
	err = slurp_stream(cr_get_redirected_stderr(), NULL);
	cr_assert(strstr(err, trace), "%s", err);
	cr_assert(!strchr(strchr(err, '\n') + 1, '\n'), "one line: %s", err);
	free(err);
	remove(trace);
}

Test(compare, unknown_scheme_exits_2, .init = cr_redirect_stderr)
{
	char *argv[] = { "compare", "--scheme", "nosuch", "x.trace", NULL };

	cr_assert_eq(run(4, argv), 2);
}

Test(compare, bad_objsize_exits_2, .init = cr_redirect_stderr)
{
	char *argv[] = { "compare", "--objsize", "anon_vma", "x.trace",
			 NULL };

	cr_assert_eq(run(4, argv), 2);
}

Test(json, writer_output_is_valid)
{
	char *buf = NULL;
	size_t len = 0, where;
	struct rj j;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	rj_init(&j, f);
	rj_obj(&j);
	rj_kstr(&j, "quote\"and\\back", "tab\there\nnewline\x01");
	rj_kdouble(&j, "nan", 0.0 / 0.0);
	rj_kdouble(&j, "half", 0.5);
	rj_klong(&j, "neg", -3);
	rj_key(&j, "empty");
	rj_arr_flat(&j);
	rj_arr_end(&j);
	rj_key(&j, "nested");
	rj_arr_flat(&j);
	rj_obj(&j);
	rj_kbool(&j, "t", true);
	rj_obj_end(&j);
	rj_arr(&j);
	rj_null(&j);
	rj_ulong(&j, 18446744073709551615ULL);
	rj_arr_end(&j);
	rj_arr_end(&j);
	rj_obj_end(&j);
	rj_finish(&j);
	fclose(f);
	cr_assert(json_valid(buf, len, &where), "at %zu: %s", where, buf);
	cr_assert(strstr(buf, "\"nan\": null"));
	free(buf);
}

Test(json, checker_rejects_bad_documents)
{
	static const char *const bad[] = {
		"{", "{\"a\" 1}", "[1,]", "{\"a\":1,}", "nan", "[01]",
		"\"tab\there\"", "[1] [2]", "{'a':1}", "[1.]",
	};
	static const char good[] =
		"{\"a\": [1, -2.5e3, true, null, \"\\u00e9\"]}";
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!json_valid(bad[i], strlen(bad[i]), NULL), "%s",
			  bad[i]);
	cr_assert(json_valid(good, strlen(good), NULL));
}

/*
 * --baseline: this run beside an earlier report's.  The report.json here
 * has classic with 8 KB of anon_vma, so this run's (two, 208 bytes)
 * shows as a change, and cowctx, which only this run has,
 * shows '-' on the baseline's side.
 */
Test(compare, baseline_side_by_side, .init = cr_redirect_stdout)
{
	char dir[] = "/tmp/rmaplab-measure-base-XXXXXX", path[300];
	const char *trace = write_temp(text, ".trace");
	char *argv[] = { "compare", "--scheme", "classic", "--scheme",
			 "cowctx", "--baseline", dir, (char *)trace, NULL };
	char *out;
	FILE *f;

	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report.json", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fputs("{ \"format\": \"rmaplab-report\", \"version\": 1,\n"
	      "  \"setup\": { \"commit\": \"abc\", \"repeats\": 3 },\n"
	      "  \"schemes\": [ { \"name\": \"classic\" } ],\n"
	      "  \"traces\": [ { \"events\": 8 } ],\n"
	      "  \"total\": { \"runs\": [ { \"scheme\": \"classic\",\n"
	      "    \"available\": true, \"rmap_kb\": 8,\n"
	      "    \"objects\": [ { \"name\": \"anon_vma\", "
	      "\"snapshot_kb\": 8 } ] } ] } }\n", f);
	fclose(f);
	cr_assert_eq(run(8, argv), 0);
	out = slurp_stream(cr_get_redirected_stdout(), NULL);
	cr_expect(strstr(out, "B: this run (rmaplab compare)"), "%s", out);
	/* two anon_vmas of 104 bytes: 0.2 KB */
	cr_expect(strstr(out, "  anon_vma                              8.0 "
			 "(   0.00%)          0.2 ( -97.46%)"), "%s", out);
	cr_expect(!strstr(out, "mm_struct"), "%s", out);
	cr_expect(strstr(out, "\ncowctx\n"), "%s", out);
	assert_narrow(out);
	free(out);
	unlink(path);
	rmdir(dir);
	argv[6] = "/nonexistent-dir";
	cr_expect_eq(run(8, argv), 2, "a missing baseline is bad input");
}

/*
 * compare --json writes its runs as report.json does, so that one run's
 * JSON is the baseline of the next: the same trace gives no change, and
 * the anon_vma KB read back are the ones this run printed.
 */
Test(compare, json_is_a_baseline, .init = cr_redirect_stdout)
{
	char json[] = "/tmp/rmaplab-measure-json-XXXXXX";
	const char *trace = write_temp(text, ".trace");
	char *argv[] = { "compare", "--scheme", "classic", "--scheme",
			 "cowctx", "--json", json, (char *)trace, NULL };
	const char *same = "\n  anon_vma                              0.2 "
			   "(   0.00%)          0.2 (   0.00%)\n";
	char *out, *line;
	int fd;

	fd = mkstemp(json);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(run(8, argv), 0);
	argv[5] = "--baseline";
	cr_assert_eq(run(8, argv), 0);
	out = slurp_stream(cr_get_redirected_stdout(), NULL);
	cr_expect(strstr(out, "B: this run (rmaplab compare)"), "%s", out);
	line = strstr(out, "\n  anon_vma    ");
	cr_assert(line, "%s", out);
	/* two anon_vmas of 104 bytes on both sides: 0.2 KB, no change */
	cr_expect(!strncmp(line, same, strlen(same)), "%.90s", line);
	free(out);
	remove(json);
	remove(trace);
}

/* The "NAME | KB |" row of the first table in @out: its first KB. */
static double first_kb(const char *out, const char *name)
{
	char head[64];
	const char *row;

	snprintf(head, sizeof(head), "\n%s ", name);
	row = strstr(out, head);
	cr_assert(row, "no %s row in:\n%s", name, out);
	row = strchr(row, '|');
	cr_assert(row);
	return strtod(row + 1, NULL);
}

static char *compare_out(const char *trace, const char *opt)
{
	char *argv[] = { "compare", "--scheme", "classic", (char *)opt,
			 (char *)trace, NULL };
	int argc = 5;

	if (!opt) {
		argv[3] = (char *)trace;
		argc = 4;
	}
	argv[argc] = NULL;
	cr_assert_eq(run(argc, argv), 0);
	return slurp_stream(cr_get_redirected_stdout(), NULL);
}

/*
 * 0   1   2   ...  19    (64 KiB apart)
 * A   B   C   ...  T     twenty one-page anon VMAs, each written:
 *                        no neighbour to share an anon_vma with
 * recorded on a kernel whose anon_vma is 200 bytes.
 */
static const char *sized_trace(long *live)
{
	static char text[4096];
	struct measure_result m;
	size_t len, i;

	len = snprintf(text, sizeof(text), "# rmaplab text trace v1   "
		       "arch=x86_64 page_size=4096 kernel=6.99.0-test "
		       "slab=anon_vma:200\n");
	for (i = 0; i < 20; i++)
		len += snprintf(text + len, sizeof(text) - len,
				"1 mmap 0x%llx 0x1000 rw- private,anon,fixed "
				"-> 0x%llx\n1 fault 0x%llx w\n",
				0x100000000ULL + i * 0x10000,
				0x100000000ULL + i * 0x10000,
				0x100000000ULL + i * 0x10000);
	measure_text(text, "classic", &m);
	*live = live_of(&m, "anon_vma");
	cr_assert_eq(*live, 20, "classic made %ld anon_vmas", *live);
	cr_assert_eq(m.acct.cls[acct_find(&m.acct, "anon_vma")].size, 200);
	measure_result_free(&m);
	return write_temp(text, ".trace");
}

/*
 * A trace whose header carries the recording kernel's sizes is priced in
 * them, not in the arch table's (104 bytes on x86_64).
 */
Test(compare, trace_slab_sizes_over_table, .init = cr_redirect_stdout)
{
	const char *trace;
	double want;
	long live;
	char *out;

	trace = sized_trace(&live);
	out = compare_out(trace, NULL);
	want = live * 200 / 1024.0;
	cr_expect(fabs(first_kb(out, "anon_vma") - want) < 0.05,
		  "want %.1f KB (20 x 200 B):\n%s", want, out);
	/* the kernel's other classes: the table's x86_64 sizes */
	cr_expect(strstr(out, "anon_vma 200"), "%s", out);
	cr_expect(strstr(out, "vm_area_struct 192"), "%s", out);
	cr_expect(strstr(out, "the recording kernel's /proc/slabinfo "
			 "(6.99.0-test)"), "%s", out);
	cr_expect(strstr(out, "; the rest:"), "%s", out);
	cr_expect(strstr(out, "project's x86_64 6.18 machine"), "%s", out);
	assert_narrow(out);
	free(out);
	remove(trace);
}

/* --objsize still wins over the trace's own sizes. */
Test(compare, objsize_over_trace_slab_sizes, .init = cr_redirect_stdout)
{
	const char *trace;
	double want;
	long live;
	char *out;

	trace = sized_trace(&live);
	out = compare_out(trace, "--objsize=anon_vma=300");
	want = live * 300 / 1024.0;
	cr_expect(fabs(first_kb(out, "anon_vma") - want) < 0.05,
		  "want %.1f KB (--objsize 300):\n%s", want, out);
	cr_expect(strstr(out, "then --objsize"), "%s", out);
	free(out);
	remove(trace);
}
