// SPDX-License-Identifier: GPL-2.0-only
/*
 * The adversarial regression traces (tests/adversarial/), one per hazard
 * of research/schemes.md §5.  Each was run on the real kernel (results
 * and the .expected end state are the kernel's) and states the verdict
 * expected of every scheme in a "# expect:" line; each scheme is checked
 * alone, walks against the page tables after every event, its invariant
 * checker after every event, and against the kernel's end state.  Then
 * the schemes expected to pass are checked together (cross-scheme
 * equality after every event).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "hutil.h"

#define MAX_EXPECT	8

struct expect {
	char scheme[MAX_EXPECT][64];
	char verdict[MAX_EXPECT][32];
	size_t nr;
};

static const char *const traces[] = {
	"split-large-folio", "fork-exit-chain", "mremap-fork-mergeback",
	"parent-cow", "fork-child-adjacent", "mremap-dontunmap",
	"unfaulted-mremap-merge",
};
#define NR_TRACES	(sizeof(traces) / sizeof(traces[0]))

/* "# expect: classic=ok cowctx:poc=miss ..." */
static void read_expect(const char *path, struct expect *e)
{
	char line[512], *tok, *save = NULL;
	FILE *f = fopen(path, "r");

	cr_assert(f, "%s", path);
	memset(e, 0, sizeof(*e));
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "# expect:", 9))
			continue;
		for (tok = strtok_r(line + 9, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			char *eq = strchr(tok, '=');

			cr_assert(eq && e->nr < MAX_EXPECT, "%s: '%s'", path,
				  tok);
			*eq = '\0';
			snprintf(e->scheme[e->nr], 64, "%s", tok);
			snprintf(e->verdict[e->nr], 32, "%s", eq + 1);
			e->nr++;
		}
	}
	fclose(f);
	cr_assert_geq(e->nr, 5, "%s: no '# expect:' line", path);
}

static void run_adversarial(const char *name)
{
	const struct check_opts o = { .every_event = true, .paranoid = true };
	const char *ok[MAX_EXPECT];
	struct check_result res;
	struct expect e;
	struct trace t;
	char rel[256], path[4096];
	size_t i, nok = 0;

	snprintf(rel, sizeof(rel), "tests/adversarial/%s.trace", name);
	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	read_expect(path, &e);
	load_with_expected(&t, rel);
	cr_assert(t.nr_cps == 1, "%s: the kernel's end state is missing",
		  name);
	for (i = 0; i < e.nr; i++) {
		const struct check_scheme_result *s;

		res = check1(&t, e.scheme[i], &o);
		s = &res.s[0];
		cr_assert(!s->init_failed, "%s: %s", e.scheme[i],
			  s->init_err);
		cr_expect_str_eq(check_kind_name(s->first.kind),
				 e.verdict[i], "%s %s: %s", name,
				 e.scheme[i], s->first.what);
		if (!strcmp(e.verdict[i], "miss"))
			cr_expect(strstr(s->first.what, " missed mapping "),
				  "%s", s->first.what);
		if (!strcmp(e.verdict[i], "ok"))
			ok[nok++] = e.scheme[i];
		check_result_free(&res);
	}
	cr_assert_eq(check_trace(&t, ok, nok, &o, &res), 0, "%s", res.error);
	cr_expect(!check_failed(&res), "%s: %s", name, res.first.what);
	check_result_free(&res);
	trace_free(&t);
}

#define ADVERSARIAL(id, name)					\
	Test(adversarial, id) { run_adversarial(name); }

ADVERSARIAL(split_large_folio, "split-large-folio")
ADVERSARIAL(fork_exit_chain, "fork-exit-chain")
ADVERSARIAL(mremap_fork_mergeback, "mremap-fork-mergeback")
ADVERSARIAL(parent_cow, "parent-cow")
ADVERSARIAL(fork_child_adjacent, "fork-child-adjacent")
ADVERSARIAL(mremap_dontunmap, "mremap-dontunmap")
ADVERSARIAL(unfaulted_mremap_merge, "unfaulted-mremap-merge")

/* The parent-CoW hazard is what cowctx:poc is known to get wrong. */
Test(adversarial, poc_misses_parent_cow_child)
{
	const struct check_opts o = { .every_event = true };
	struct check_result res;
	struct trace t;

	load_with_expected(&t, "tests/adversarial/parent-cow.trace");
	res = check1(&t, "cowctx:poc", &o);
	cr_assert_eq(res.s[0].first.kind, CHECK_MISS);
	/* P1's write at line 26 leaves F to P2; the walk stops in ctx1 */
	cr_expect(strstr(res.s[0].first.what, "parent-cow.trace:26 (`1 "
			 "fault 0x100000000 w`): cowctx:poc missed mapping "
			 "2:0x100000000"), "%s", res.s[0].first.what);
	check_result_free(&res);
	trace_free(&t);
}

/* Every trace in the directory has a test above. */
Test(adversarial, all_traces_listed)
{
	char dir[4096];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/tests/adversarial", srcdir());
	d = opendir(dir);
	cr_assert(d, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		bool known = false;

		if (len < 7 || strcmp(de->d_name + len - 6, ".trace"))
			continue;
		n++;
		for (i = 0; i < NR_TRACES; i++)
			known |= strlen(traces[i]) == len - 6 &&
				 !strncmp(de->d_name, traces[i], len - 6);
		cr_expect(known, "%s has no test", de->d_name);
	}
	closedir(d);
	cr_expect_eq(n, NR_TRACES);
}
