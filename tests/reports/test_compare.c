// SPDX-License-Identifier: GPL-2.0-only
/*
 * report --compare's reader and table: two report.json files written
 * here, read back with jansson, printed side by side.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "reports/compare.h"
#include "reports/report_read.h"

/*
 * A report.json of the schema reports/README.md gives, trimmed to what
 * the comparison reads: scheme "a" with @p50 as its replays' p50 walk
 * times, scheme "b" only when @with_b, and classic's anon_vma KB.
 */
static char *write_report(const char *p50, bool with_b, double kb,
			  long mismatches)
{
	char *dir = strdup("/tmp/rmaplab-cmp-XXXXXX"), path[512];
	FILE *f;

	cr_assert(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report.json", dir);
	f = fopen(path, "w");
	cr_assert(f);
	fprintf(f,
		"{ \"format\": \"rmaplab-report\", \"version\": 1,\n"
		"  \"setup\": { \"commit\": \"abc\", \"kernel\": \"6.18.44\","
		" \"cpu\": \"x\", \"compiler\": \"gcc 12\", \"repeats\": 5 },\n"
		"  \"schemes\": [ { \"name\": \"a\" }%s ],\n"
		"  \"traces\": [ { \"name\": \"t\", \"events\": 100 } ],\n"
		"  \"walk_timing\": [ { \"scheme\": \"a\",\n"
		"    \"p50_ns\": { \"values\": [ %s ] },\n"
		"    \"p99_ns\": { \"values\": [ 7, 7, 7, 7, 7 ] },\n"
		"    \"mean_ns\": { \"values\": [ 5 ] },\n"
		"    \"replay_events_per_s\": { \"values\": [ 1e6, 1.1e6 ] } }"
		" ],\n"
		"  \"total\": { \"runs\": [ { \"scheme\": \"a\", "
		"\"available\": true, \"rmap_kb\": %g,\n"
		"    \"objects\": [ { \"name\": \"anon_vma\", \"snapshot_kb\": "
		"%g, \"peak_kb\": 9 } ],\n"
		"    \"walk\": { \"vmas_per_walk\": 2.5, \"precision_pct\": 80 }"
		" } ] },\n"
		"  \"check\": { \"ran\": true, \"schemes\": [ { \"scheme\": "
		"\"a\", \"oracle_mismatches\": %ld, \"kernel_mismatches\": 0 }"
		" ] } }\n",
		with_b ? ", { \"name\": \"b\" }" : "", p50, kb, kb, mismatches);
	cr_assert_eq(fclose(f), 0);
	return dir;
}

static void rm_report(char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/report.json", dir);
	unlink(path);
	rmdir(dir);
	free(dir);
}

static char *compare(const char *da, const char *db)
{
	struct rr_report a, b;
	char err[600], *out = NULL;
	size_t len = 0;
	FILE *f;

	cr_assert_eq(rr_load(da, &a, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rr_load(db, &b, err, sizeof(err)), 0, "%s", err);
	f = open_memstream(&out, &len);
	report_compare_runs(f, &a, &b);
	fclose(f);
	rr_free(&a);
	rr_free(&b);
	return out;
}

/* The line of @out that starts with @start. */
static const char *line(const char *out, const char *start)
{
	const char *p = out;

	while (p && strncmp(p, start, strlen(start))) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	cr_assert(p, "no line '%s' in:\n%s", start, out);
	return p;
}

Test(compare, significant_change_is_starred)
{
	char *a = write_report("100, 101, 99, 100, 102", false, 10, 0);
	char *b = write_report("150, 151, 149, 152, 150", true, 5, 3);
	char *out = compare(a, b);
	const char *l;

	/* p50: A's mean 100.4, B's 150.4: +49.8%, far beyond the noise */
	l = line(out, "Amean     a ");
	cr_expect(strstr(l, "100.40 (   0.00%)"), "%s", out);
	cr_expect(!strncmp(strstr(l, "150.40 ") + 7, "* +49.80%*", 10),
		  "%s", out);
	/* p99: constant on both sides, equal: nothing to test */
	l = strstr(out, "each replay's p99");
	cr_assert(l);
	l = line(l, "Amean     a ");
	cr_expect(!strchr(strtok(strdup(l), "\n"), '*'), "%s", out);
	/* the deterministic memory row: 10 -> 5 KB, one decimal */
	l = line(out, "  anon_vma ");
	cr_expect(strstr(l, "10.0 (   0.00%)") && strstr(l, "5.0 ( -50.00%)"),
		  "%s", out);
	/* a scheme only B has is there, with '-' for A */
	cr_expect(strstr(out, "\nb\n"), "%s", out);
	/* correctness: 0 in A, 3 in B */
	l = line(out, "  with the oracle");
	cr_expect(strstr(l, " 0 ") && strstr(l, " 3"), "%s", out);
	free(out);
	rm_report(a);
	rm_report(b);
}

Test(compare, same_run_has_no_change_and_no_star)
{
	char *a = write_report("100, 101, 99, 100, 102", false, 10, 0);
	char *out = compare(a, a);

	cr_expect(!strstr(out, "%*"), "%s", out);
	cr_expect(!strstr(out, "different traces"), "%s", out);
	free(out);
	rm_report(a);
}

Test(compare, not_a_report_is_an_error)
{
	char *a = write_report("1, 2", false, 1, 0), path[512], err[600];
	struct rr_report r;
	FILE *f;

	snprintf(path, sizeof(path), "%s/report.json", a);
	f = fopen(path, "w");
	fputs("{ \"format\": \"something-else\" }", f);
	fclose(f);
	cr_expect_eq(rr_load(a, &r, err, sizeof(err)), -1);
	cr_expect(strstr(err, "not an rmaplab report.json"), "%s", err);
	f = fopen(path, "w");
	fputs("{ \"format\": ", f);
	fclose(f);
	cr_expect_eq(rr_load(a, &r, err, sizeof(err)), -1);
	cr_expect(strstr(err, "report.json:1:"), "%s", err);
	rm_report(a);
}
