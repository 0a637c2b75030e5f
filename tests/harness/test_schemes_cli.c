// SPDX-License-Identifier: GPL-2.0-only
/*
 * `rmaplab schemes`, `rmaplab run --stats` on fork chains and
 * `rmaplab compare --sensitivity`, as commands (their sources are linked
 * in, as test_cli.c does with cmd_check.c).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "core/scheme.h"
#include "harness/cmds.h"
#include "harness/params.h"
#include "harness/registry.h"
#include "hutil.h"

static char out_path[] = "/tmp/rmaplab-schemes-out-XXXXXX";
static char trace_path[] = "/tmp/rmaplab-schemes-trace-XXXXXX";

static void setup(void)
{
	int fd = mkstemp(out_path);

	cr_assert_geq(fd, 0);
	close(fd);
	fd = mkstemp(trace_path);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(out_path);
	unlink(trace_path);
}

TestSuite(schemes_cli, .init = setup, .fini = teardown);

/* Every parameter of every scheme appears with its default and grade. */
Test(schemes_cli, lists_every_parameter_with_grade)
{
	static const char *const none[] = { NULL };
	const struct scheme_param *p;
	struct scheme_spec spec;
	struct errbuf err;
	char *out, line[256];
	const struct scheme_entry *e;

	cr_assert_eq(hutil_run_cmd(cmd_schemes, "schemes", out_path, &out,
				   none), 0);
	for (e = scheme_list; e->spec; e++) {
		if (strchr(e->spec, ':'))
			continue;
		cr_assert_eq(scheme_lookup(e->spec, &spec, &err), 0);
		cr_expect(strstr(out, spec.scheme->name));
		for (p = spec.scheme->params; p->name; p++) {
			cr_expect(p->grade == GRADE_S || p->grade == GRADE_C ||
				  p->grade == GRADE_R, "%s:%s ungraded",
				  spec.scheme->name, p->name);
			cr_expect(p->source && *p->source, "%s:%s no source",
				  spec.scheme->name, p->name);
			snprintf(line, sizeof(line), "  %s=%s [%s] ", p->name,
				 p->def, param_grade_name(p->grade));
			cr_expect(strstr(out, line), "missing '%s'", line);
		}
	}
	free(out);
}

Test(schemes_cli, unknown_scheme_is_status_2)
{
	static const char *const args[] = { "nosuch", NULL };
	char *out;

	cr_expect_eq(hutil_run_cmd(cmd_schemes, "schemes", out_path, &out,
				   args), 2);
	free(out);
}

/* A chain of @k processes, each forking the next and writing. */
static void write_chain(long k)
{
	FILE *f = fopen(trace_path, "w");
	long i;

	cr_assert(f);
	fprintf(f, "# rmaplab text trace v1   arch=x86_64 page_size=4096\n"
		"1 mmap 0x7f0000000000 0x3000 rw- private,anon,fixed -> "
		"0x7f0000000000\n1 fault 0x7f0000001000 w\n");
	for (i = 1; i < k; i++)
		fprintf(f, "%ld fork %ld\n%ld fault 0x7f0000001000 w\n", i,
			i + 1, i + 1);
	fprintf(f, "end %ld\n", 2 * k);	/* the trace is whole */
	fclose(f);
}

static long stat_live(const char *out, const char *cls)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "stat %s ", cls);
	p = strstr(out, key);
	cr_assert(p, "no '%s' in %s", key, out);
	return strtol(p + strlen(key), NULL, 10);
}

/* The Done-means numbers, through the command, on chains of other k. */
Test(schemes_cli, lazy_chain_stats)
{
	static const long ks[] = { 4, 7, 10 };
	const char *args[] = { "--scheme", "lazy", "--stats", trace_path,
			       NULL };
	size_t n;
	char *out;

	for (n = 0; n < sizeof(ks) / sizeof(ks[0]); n++) {
		long k = ks[n];

		write_chain(k);
		args[1] = "lazy";
		cr_assert_eq(hutil_run_cmd(cmd_run, "run", out_path, &out,
					   args), 0);
		cr_expect_eq(stat_live(out, "anon_vma"), k - 1, "k=%ld", k);
		cr_expect_eq(stat_live(out, "anon_vma_chain"),
			     (k - 1) * k / 2 + (k - 1), "k=%ld", k);
		free(out);
		args[1] = "classic";
		cr_assert_eq(hutil_run_cmd(cmd_run, "run", out_path, &out,
					   args), 0);
		cr_expect_eq(stat_live(out, "anon_vma"), k, "k=%ld", k);
		cr_expect_eq(stat_live(out, "anon_vma_chain"),
			     k * (k + 1) / 2, "k=%ld", k);
		free(out);
	}
}

/* cowctx:poc keeps a faulted VMA and a new neighbour apart; cowctx not. */
Test(schemes_cli, poc_maps_refused_merge)
{
	const char *args[] = { "--scheme", "cowctx:poc", "--maps",
			       trace_path, NULL };
	FILE *f = fopen(trace_path, "w");
	char *out;

	cr_assert(f);
	fprintf(f, "1 mmap 0x100000000 0x2000 rw- private,anon,fixed -> "
		"0x100000000\n1 fault 0x100000000 w\n1 mmap 0x100002000 "
		"0x2000 rw- private,anon,fixed -> 0x100002000\nend 3\n");
	fclose(f);
	cr_assert_eq(hutil_run_cmd(cmd_run, "run", out_path, &out, args), 0);
	cr_expect(strstr(out, "100000000-100002000 rw-p"), "%s", out);
	cr_expect(strstr(out, "100002000-100004000 rw-p"), "%s", out);
	free(out);
	args[1] = "cowctx";
	cr_assert_eq(hutil_run_cmd(cmd_run, "run", out_path, &out, args), 0);
	cr_expect(strstr(out, "100000000-100004000 rw-p"), "%s", out);
	free(out);
}

/* The section names the choice that moves a figure most. */
Test(schemes_cli, compare_sensitivity)
{
	const char *args[] = { "--sensitivity", trace_path, NULL };
	char *out;

	write_chain(5);
	cr_assert_eq(hutil_run_cmd(cmd_compare, "compare", out_path, &out,
				   args), 0);
	cr_expect(strstr(out, "Sensitivity\n-----------"), "%s", out);
	cr_expect(strstr(out, "lazy (defaults: lazy) against classic"),
		  "%s", out);
	cr_expect(strstr(out, "cowctx, one choice at a time"), "%s", out);
	cr_expect(strstr(out, "cow=own"), "%s", out);
	free(out);
}
