// SPDX-License-Identifier: GPL-2.0-only
/*
 * What `rmaplab check` and `rmaplab run` conclude: the same judgement for
 * every scheme whatever the order of --scheme, design findings apart from
 * failures, features the model lacks said (exit 3) and never passed off
 * as agreement or disagreement, folio sizes compared with kpageflags, and
 * no file written unless asked.  cmd_check() and cmd_run() are linked in.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness/cmds.h"
#include "hutil.h"

static char dir[] = "/tmp/rmaplab-verdicts-XXXXXX";

static void setup(void)
{
	cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(verdicts, .init = setup, .fini = teardown);

/* Write @text to DIR/@name; returns the path (static buffer per call). */
static const char *put(const char *name, const char *text)
{
	static char path[4][PATH_MAX];
	static int n;
	char *p = path[n++ % 4];
	FILE *f;

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	f = fopen(p, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	return p;
}

#define HDR "# rmaplab text trace v1   arch=x86_64 page_size=4096 thp=madvise\n"
/* Process 1 maps four anonymous pages at 0x100000000. */
#define MAP4 HDR \
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n"
/* A kernel checkpoint of that VMA; page lines and "end" follow. */
#define CP_MAP4 \
	"1 checkpoint periodic\n" \
	"  proc 1\n" \
	"    vma 100000000-100004000 rw-p 00000000\n"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * "FILE SCHEME: ... ok|FAIL" lines (the per-scheme verdicts), sorted, one
 * string; and whether any of @never failed.
 */
static char *verdicts(const char *out, const char *const *never, bool *bad)
{
	char *copy = strdup(out), *save = NULL, *line, **v = NULL, *res;
	size_t n = 0, len = 1, i;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);

		if (!strstr(line, " mismatches ") ||
		    (strcmp(line + l - 3, " ok") &&
		     strcmp(line + l - 5, " FAIL")))
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = line;
		len += l + 1;
		for (i = 0; never[i]; i++) {
			char word[80];

			snprintf(word, sizeof(word), " %s: ", never[i]);
			if (strstr(line, word) && !strcmp(line + l - 5,
							  " FAIL"))
				*bad = true;
		}
	}
	qsort(v, n, sizeof(*v), cmp_str);
	res = calloc(1, len);
	for (i = 0; i < n; i++) {
		strcat(res, v[i]);
		strcat(res, "\n");
	}
	free(v);
	free(copy);
	return res;
}

/*
 * The whole corpus with a failing variant listed first and last: the
 * per-scheme verdicts are the same, and lazy and cowctx never fail.
 */
Test(verdicts, order_independent_on_the_corpus, .timeout = 300)
{
	const char *fwd[] = { "--no-minimise", "--scheme", "cowctx:poc",
			      "--scheme", "lazy", "--scheme", "cowctx", NULL };
	const char *rev[] = { "--no-minimise", "--scheme", "cowctx",
			      "--scheme", "lazy", "--scheme", "cowctx:poc",
			      NULL };
	const char *const never[] = { "lazy", "cowctx", NULL };
	char *a, *b, *va, *vb;
	bool bad = false;

	setenv("RMAPLAB_SRCDIR", srcdir(), 0);
	cr_expect_eq(run_cmd(cmd_check, "check", &a, fwd), 1, "%s", a);
	cr_expect_eq(run_cmd(cmd_check, "check", &b, rev), 1, "%s", b);
	va = verdicts(a, never, &bad);
	vb = verdicts(b, never, &bad);
	cr_expect(!bad, "lazy or cowctx failed:\n%s", va);
	cr_expect(strstr(va, " cowctx:poc: ") && strstr(va, " FAIL\n"),
		  "%s", va);
	cr_expect_gt(strlen(va), 100);
	cr_expect_str_eq(va, vb);
	free(va);
	free(vb);
	free(a);
	free(b);
}

/* lazy's brk in a fork child: a design finding, minimised, not a FAIL. */
static const char lazy_brk[] = HDR
	"1 brk 0x56251ac74000 -> 0x56251ac74000\n"
	"1 brk 0x56251ac97000 -> 0x56251ac97000\n"
	"1 fault 0x56251ac76000 w\n"
	"1 fork 2\n"
	"2 brk 0x56251aca2000 -> 0x56251aca2000\n";

Test(verdicts, design_finding_is_not_a_failure)
{
	const char *args[] = { "--scheme", "lazy", "--scheme", "classic",
			       NULL, NULL };
	char *out;

	args[4] = put("brk.trace", lazy_brk);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 0, "%s", out);
	cr_expect(strstr(out, "brk.trace lazy: 5 events, 0 checkpoints, "),
		  "%s", out);
	cr_expect(strstr(out, " 0 mismatches ok\n"), "%s", out);
	cr_expect(strstr(out, "brk.trace lazy: design: 1 differences from "
			 "mainline the scheme makes by design (layout 1); "
			 "first: layout "), "%s", out);
	cr_expect(!strstr(out, "classic: design"), "%s", out);
	cr_expect(strstr(out, "first design finding: lazy layout: "), "%s",
		  out);
	cr_expect(strstr(out, "# reproduces: lazy design finding layout: "),
		  "%s", out);
	cr_expect(strstr(out, "\n2 brk 0x56251aca2000"), "%s", out);
	free(out);
}

/*
 * An advice and a system call the model lacks: exit 3, said, results not
 * compared (the model's MADV_COLLAPSE does nothing; the kernel's -EAGAIN
 * is not a divergence).
 */
static const char cold[] = MAP4
	"1 fault 0x100000000 w\n"
	"1 madvise 0x100000000 0x4000 collapse -> -EAGAIN\n"
	"1 syscall process_madvise -> 0\n"
	"1 fault 0x100001000 w\n";

Test(verdicts, unsupported_is_status_3)
{
	const char *args[] = { NULL, NULL };
	char *out, want[PATH_MAX + 64];

	args[0] = put("cold.trace", cold);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 3, "%s", out);
	snprintf(want, sizeof(want), "unsupported: %s: event 3: madvise "
		 "MADV_COLLAPSE\n", args[0]);
	cr_expect(strstr(out, want), "%s", out);
	snprintf(want, sizeof(want), "unsupported: %s: event 4: syscall "
		 "process_madvise\n", args[0]);
	cr_expect(strstr(out, want), "%s", out);
	cr_expect(!strstr(out, "FAIL"), "%s", out);
	cr_expect(strstr(out, " 0 mismatches ok\n"), "%s", out);
	free(out);
	/* run: the same, on stderr; 3 and no divergence */
	cr_expect_eq(run_cmd(cmd_run, "run", &out, args), 3);
	free(out);
}

/* A real failure beside an unsupported feature is still a failure. */
Test(verdicts, failure_wins_over_unsupported)
{
	const char *args[] = { "--no-minimise", "--scheme", "cowctx:poc",
			       "--every-event", NULL, NULL, NULL };
	char path[PATH_MAX], *out;

	snprintf(path, sizeof(path), "%s/tests/adversarial/parent-cow.trace",
		 srcdir());
	args[4] = path;
	args[5] = put("cold.trace", cold);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 1, "%s", out);
	cr_expect(strstr(out, "unsupported: "), "%s", out);
	free(out);
}

/*
 * The kernel's kpageflags say pages 0-1 are one compound folio (head,
 * tail: khugepaged collapsed them); the model faulted two small folios.
 */
static const char collapsed[] = MAP4
	"1 fault 0x100000000 w\n"
	"1 fault 0x100001000 w\n"
	CP_MAP4
	"    page 0x100000000 anon pfn=0x200 kflags=0x409800\n"
	"    page 0x100001000 anon pfn=0x201 kflags=0x411800\n"
	"end\n";

Test(verdicts, kernel_larger_folio_is_unsupported)
{
	const char *args[] = { "--scheme", "classic", NULL, NULL };
	char *out;

	args[2] = put("thp.trace", collapsed);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 3, "%s", out);
	cr_expect(strstr(out, ": event 4: THP collapse: a kernel folio "
			 "larger than the model's\n"), "%s", out);
	free(out);
}

/* The model made a 2-page folio where the kernel has small ones. */
static const char small[] = MAP4
	"1 fault 0x100000000 w order=1\n"
	CP_MAP4
	"    page 0x100000000 anon pfn=0x200 kflags=0x1800\n"
	"    page 0x100001000 anon pfn=0x201 kflags=0x1800\n"
	"end\n";

Test(verdicts, model_larger_folio_is_a_failure)
{
	const char *args[] = { "--no-minimise", "--scheme", "classic", NULL,
			       NULL };
	char *out;

	args[3] = put("order.trace", small);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 1, "%s", out);
	cr_expect(strstr(out, "order.trace classic: failures: folio-order "
			 "2\n"), "%s", out);
	cr_expect(strstr(out, "classic maps 1:0x100001000 with a folio of 2 "
			 "pages, the kernel with a small folio"), "%s", out);
	free(out);
}

/* A minimal trace goes to stdout; a file only with --minimise-out. */
Test(verdicts, no_file_unless_asked)
{
	const char *args[] = { "--scheme", "cowctx:poc", "--every-event",
			       "--minimise-time", "5", NULL, NULL };
	char cwd[PATH_MAX], path[PATH_MAX], *out;

	snprintf(path, sizeof(path), "%s/tests/adversarial/parent-cow.trace",
		 srcdir());
	args[5] = path;
	cr_assert(getcwd(cwd, sizeof(cwd)));
	cr_assert_eq(chdir(dir), 0);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 1, "%s", out);
	cr_expect(strstr(out, "# reproduces: cowctx:poc miss: "), "%s", out);
	cr_expect_neq(access("rmaplab-minimal.trace", F_OK), 0);
	cr_assert_eq(chdir(cwd), 0);
	free(out);
}

/* ksmd merged two identical pages into one frame: not a model error. */
static const char ksm[] = MAP4
	"1 fault 0x100000000 w\n"
	"1 fault 0x100001000 w\n"
	CP_MAP4
	"    page 0x100000000 anon pfn=0x200 kflags=0x201800\n"
	"    page 0x100001000 anon pfn=0x200 kflags=0x201800\n"
	"end\n";

Test(verdicts, ksm_is_unsupported)
{
	const char *args[] = { "--scheme", "classic", NULL, NULL };
	char *out;

	args[2] = put("ksm.trace", ksm);
	cr_expect_eq(run_cmd(cmd_check, "check", &out, args), 3, "%s", out);
	cr_expect(strstr(out, ": event 4: KSM: pages merged by ksmd\n"), "%s",
		  out);
	cr_expect(strstr(out, "ksm.trace classic: not judged: 1 differences "
			 "from the kernel"), "%s", out);
	free(out);
}
