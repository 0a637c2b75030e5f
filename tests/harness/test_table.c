// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheme table (schemes/table): everything derives from it.  This test
 * binary links the table with its test-only line, so schemes/testonly --
 * one directory plus that line, nothing else -- must be registered, in
 * every default set the line names, pass `check`, and appear in `compare`
 * and `report` run with their defaults.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/cmds.h"
#include "harness/registry.h"
#include "hutil.h"

#define TESTONLY	"testonly"

static bool in_set(unsigned int set, const char *spec)
{
	const char *v[32];
	size_t n = scheme_defaults(set, v, 32), i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], spec))
			return true;
	return false;
}

/* Every line registers, with its flags; the oracle derives from the table. */
Test(table, every_line_registers)
{
	const struct scheme_entry *e;
	struct scheme_spec spec;
	struct errbuf err;
	size_t n = 0, mainline = 0;

	for (e = scheme_list; e->spec; e++, n++) {
		cr_expect_eq(scheme_lookup(e->spec, &spec, &err), 0, "%s: %s",
			     e->spec, err.msg);
		cr_expect_eq(spec.scheme, e->scheme, "%s", e->spec);
		cr_expect(e->scheme->caps, "%s claims nothing", e->spec);
		/* a scheme's own claims do not contradict each other */
		cr_expect(!((e->scheme->caps & SCHEME_MAINLINE_LAYOUT) &&
			    (e->scheme->caps & SCHEME_LAYOUT_BY_DESIGN)),
			  "%s", e->spec);
		mainline += !!(e->scheme->caps & SCHEME_MAINLINE_LAYOUT);
	}
	cr_expect_geq(n, 6);
	cr_expect_gt(mainline, 0, "no scheme for the oracle to build on");
	cr_expect_eq(scheme_lookup(ORACLE_SPEC, &spec, &err), 0);
	cr_expect(spec.scheme->caps & SCHEME_MAINLINE_LAYOUT);
	cr_expect(scheme_lookup("nosuch", &spec, &err));
	cr_expect(strstr(err.msg, TESTONLY), "%s", err.msg);
	cr_expect(in_set(SCHEME_SET_CHECK, TESTONLY));
	cr_expect(in_set(SCHEME_SET_COMPARE, TESTONLY));
	cr_expect(in_set(SCHEME_SET_REPORT, TESTONLY));
	cr_expect(!in_set(SCHEME_SET_BENCH, TESTONLY));
}

/* Object classes come from the schemes' own declarations. */
Test(table, object_classes)
{
	const struct scheme_objclass *c = scheme_objclass_find("anon_vma");

	cr_assert(c);
	cr_expect_str_eq(c->abbrev, "av");
	cr_expect_eq(c->size[SLAB_X86_64], 104);
	c = scheme_objclass_find("vm_area_struct");
	cr_assert(c);
	cr_expect_eq(c->size[SLAB_AARCH64], 176);
	cr_expect_null(scheme_objclass_find("nosuch"));
}

/* The kernel vector @name's path; two may be live at once. */
static const char *vector(const char *name)
{
	static char path[2][PATH_MAX];
	static int n;
	char *p = path[n++ % 2];

	snprintf(p, PATH_MAX, "%s/tests/data/kernel-vectors/%s", srcdir(),
		 name);
	return p;
}

/* check with its defaults: testonly among them, ok, kernel checks too. */
Test(table, check_picks_it_up)
{
	const char *args[] = { NULL, NULL, NULL };
	char *out;

	args[0] = vector("random-1004.trace");
	args[1] = vector("random-1010.trace");
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 0, "%s", out);
	cr_expect(strstr(out, "random-1004.trace testonly: ") &&
		  strstr(out, "random-1010.trace testonly: "), "%s", out);
	cr_expect(!strstr(out, "FAIL"), "%s", out);
	free(out);
}

Test(table, compare_picks_it_up)
{
	const char *args[] = { "--total-only", NULL, NULL };
	char *out;

	args[1] = vector("random-1004.trace");
	cr_expect_eq(run_cmd(cmd_compare, "compare", &out, args), 0, "%s",
		     out);
	cr_expect(strstr(out, TESTONLY), "%s", out);
	free(out);
}

Test(table, report_picks_it_up, .timeout = 300)
{
	char dir[] = "/tmp/rmaplab-table-XXXXXX", path[PATH_MAX], cmd[4200];
	const char *args[] = { "-q", "-o", dir, "--repeat", "1", "--no-depth",
			       "--no-contend", "--no-charts", NULL, NULL };
	char *out, *text;
	size_t len;

	cr_assert(mkdtemp(dir));
	args[8] = vector("random-1004.trace");
	cr_expect_eq(run_cmd(cmd_report, "report", &out, args), 0, "%s", out);
	snprintf(path, sizeof(path), "%s/report.txt", dir);
	text = slurp(path, &len);
	cr_expect(strstr(text, TESTONLY), "report.txt:\n%s", text);
	free(text);
	free(out);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
