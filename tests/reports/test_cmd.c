// SPDX-License-Identifier: GPL-2.0-only
/*
 * `rmaplab report` end to end, in process (cmd_report.c is linked in), on
 * three small kernel vectors: the files it writes, their form (80
 * columns, well-formed JSON and SVG, non-empty PNG), that the memory
 * tables' numbers are in report.json, the email header, and bad input.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/cmds.h"
#include "harness/measure.h"
#include "traces/trace.h"
#include "checkers.h"

static const char *const vectors[] = {
	"random-1001.trace", "random-1002.trace", "random-1005.trace",
};

static char *vector(const char *name)
{
	const char *src = getenv("RMAPLAB_SRCDIR");
	char *p;

	cr_assert(src, "RMAPLAB_SRCDIR is not set");
	cr_assert(asprintf(&p, "%s/tests/data/kernel-vectors/%s", src,
			   name) > 0);
	return p;
}

static char *tmpdir(void)
{
	char *d = strdup("/tmp/rmaplab-report-XXXXXX");

	cr_assert(d && mkdtemp(d), "mkdtemp");
	return d;
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove the test's directory and free its name. */
static void done(char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* rmaplab report -q -o DIR --repeat 2 --max-depth 4 EXTRA... VECTORS */
static int report(const char *dir, const char *const *extra, int nr_extra,
		  bool traces)
{
	char *argv[64];
	int argc = 0, i, rc;

	argv[argc++] = "report";
	argv[argc++] = "-q";
	argv[argc++] = "-o";
	argv[argc++] = (char *)dir;
	argv[argc++] = "--repeat";
	argv[argc++] = "2";
	argv[argc++] = "--max-depth";
	argv[argc++] = "4";
	for (i = 0; i < nr_extra; i++)
		argv[argc++] = (char *)extra[i];
	for (i = 0; traces && i < 3; i++)
		argv[argc++] = vector(vectors[i]);
	argv[argc] = NULL;
	rc = cmd_report(argc, argv);
	fflush(stdout);
	for (i = 0; traces && i < 3; i++)
		free(argv[argc - 3 + i]);
	return rc;
}

static char *file_in(const char *dir, const char *name, size_t *len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return read_all(path, len);
}

static bool gnuplot_installed(void)
{
	const char *path = getenv("PATH");
	char *copy, *tok, *save, file[4096];
	bool found = false;

	if (!path)
		return false;
	copy = strdup(path);
	for (tok = strtok_r(copy, ":", &save); tok && !found;
	     tok = strtok_r(NULL, ":", &save)) {
		snprintf(file, sizeof(file), "%s/gnuplot", tok);
		found = !access(file, X_OK);
	}
	free(copy);
	return found;
}

static void assert_80_columns(const char *text, const char *what)
{
	bool non_ascii;
	size_t max = longest_line(text, &non_ascii);

	cr_assert(max <= 80, "%s: a line of %zu columns", what, max);
	cr_assert(!non_ascii, "%s: a byte that is not ASCII", what);
}

/* The cover letter's side-by-side table, its header row. */
#define COVER_LETTER	"| seed: boot | seed: 24 apps |"

/* The first @n lines of @txt, as a new string. */
static char *head_lines(const char *txt, int n)
{
	const char *p = txt;

	while (n-- > 0 && (p = strchr(p, '\n')))
		p++;
	return strndup(txt, p ? (size_t)(p - txt) : strlen(txt));
}

/*
 * The summary in the first 15 lines: what was compared, on how many
 * traces and events, the verdicts, and the numbers with their readings
 * (and their ranges when the sensitivity replays ran).
 */
static void assert_lead(const char *txt, unsigned int traces, bool ranges)
{
	static const char *const items[] = {
		"Compared: classic (baseline), lazy, cowctx",
		"default readings", "On:       ", " events (",
		"Verdict:  ", "Checks:   ", "Memory:   ", "rmap metadata KB",
		"vs classic", "Walks:    ", "VMAs visited per", "precision",
		"Locks:    ", "lock", "acquisitions per fork",
	};
	char *head = head_lines(txt, 15), want[64];
	size_t i;

	for (i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		cr_expect(strstr(head, items[i]), "no \"%s\" in the first 15 "
			  "lines:\n%s", items[i], head);
	snprintf(want, sizeof(want), "%u trace%s, ", traces,
		 traces == 1 ? "" : "s");
	cr_expect(strstr(head, want), "no \"%s\" in:\n%s", want, head);
	if (ranges)
		cr_expect(strstr(head, " over R/C]"), "no range in:\n%s",
			  head);
	free(head);
}

Test(report, files_and_form)
{
	static const char *const csv[] = {
		"memory.csv", "memory_tables.csv", "series.csv", "walk.csv",
		"walk_repeats.csv", "locks.csv", "ops.csv", "ops_objects.csv",
		"depth.csv", "check.csv", "contention.csv",
	};
	static const char *const sections[] = {
		"\nSetup\n", "\nCorrectness\n", "\nMemory\n",
		"\nMemory per workload\n", "\nrmap walk cost\n",
		"\nWalk cost versus fork depth\n", "\nLock statistics\n",
		"\nVariants\n", "\nSummary\n",
		"\nLock footprint, counted in one replay of ",
		"\nContention, simulated (harness/sim/): ",
		"\nThroughput, events per virtual ms\n",
	};
	const char *extra[] = { "--no-charts" };
	char *dir = tmpdir(), *txt, *json, err[256];
	size_t i;

	cr_assert_eq(report(dir, extra, 1, true), 0);
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt, "no report.txt");
	assert_80_columns(txt, "report.txt");
	assert_lead(txt, 3, true);
	/* Three random histories: none forks like a zygote. */
	cr_expect(!strstr(txt, COVER_LETTER), "cover-letter table without a "
		  "zygote-style trace");
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		cr_expect(strstr(txt, sections[i]), "no section %s",
			  sections[i] + 1);
	/* The cover letter's form, with the baseline and the scheme. */
	cr_expect(strstr(txt, "| classic (active KB) | lazy (active KB) | "
			 "Change\n"), "no memory table in the letter's form");
	cr_expect(strstr(txt, "| classic (active KB) | cowctx (active KB) "
			 "| Change\n"), "no cowctx memory table");
	/* random-1005: the PoC's early stop misses a mapping. */
	cr_expect(strstr(txt, "cowctx:poc against the oracle: miss"),
		  "the PoC's miss is not reported");
	cr_expect(strstr(txt, "Minimal trace ("), "no minimal trace");
	json = file_in(dir, "report.json", NULL);
	cr_assert(json, "no report.json");
	cr_assert(json_valid(json, NULL, err, sizeof(err)), "report.json: %s",
		  err);
	for (i = 0; i < sizeof(csv) / sizeof(csv[0]); i++) {
		size_t len = 0;
		char *c = file_in(dir, csv[i], &len);

		cr_assert(c && len > 0 && strchr(c, '\n'), "%s missing",
			  csv[i]);
		free(c);
	}
	free(txt);
	free(json);
	done(dir);
}

/* Is @line a row (or header) of a table whose header says active KB? */
static bool letter_row(const char *line)
{
	return strstr(line, " | ") && !strstr(line, "-+-");
}

Test(report, memory_numbers_in_json)
{
	const char *extra[] = { "--no-charts", "--no-check", "--no-contend" };
	char *dir = tmpdir(), *txt, *json, *line, *save, *cell, *csave;
	struct numbers nums = { 0 };
	bool in_table = false;
	unsigned long checked = 0;
	char err[256];

	cr_assert_eq(report(dir, extra, 3, true), 0);
	txt = file_in(dir, "report.txt", NULL);
	json = file_in(dir, "report.json", NULL);
	cr_assert(txt && json);
	cr_assert(json_valid(json, &nums, err, sizeof(err)), "%s", err);
	for (line = strtok_r(txt, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "Object ", 7)) {
			in_table = strstr(line, "(active KB)") != NULL;
			continue;
		}
		if (!in_table || !letter_row(line)) {
			in_table = false;
			continue;
		}
		/* Every cell after the object name: a number, or a word. */
		cell = strtok_r(line, "|", &csave);
		while ((cell = strtok_r(NULL, "|", &csave))) {
			char *end, *p = cell;
			size_t n;
			double v;

			while (*p == ' ')
				p++;
			n = strlen(p);
			while (n && p[n - 1] == ' ')
				p[--n] = '\0';
			if (n && p[n - 1] == '%')
				p[--n] = '\0';
			if (!n || !strcmp(p, "new") || !strcmp(p, "-"))
				continue;
			v = strtod(p, &end);
			cr_assert(!*end, "not a number in a memory table: "
				  "'%s'", p);
			cr_expect(numbers_has(&nums, v), "%s of report.txt "
				  "is not in report.json", p);
			checked++;
		}
	}
	/* 3 traces and the total, 2 tables each, the seed's 2: many. */
	cr_expect(checked > 100, "only %lu numbers found", checked);
	numbers_free(&nums);
	free(txt);
	free(json);
	done(dir);
}

static void assert_png(const char *dir, const char *name)
{
	static const unsigned char magic[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
	};
	size_t len = 0;
	char *png = file_in(dir, name, &len);

	cr_assert(png, "%s missing", name);
	cr_assert(len > 1000, "%s: only %zu bytes", name, len);
	cr_assert(!memcmp(png, magic, 8), "%s is not a PNG", name);
	free(png);
}

static void assert_svg(const char *dir, const char *name)
{
	char *svg = file_in(dir, name, NULL), err[256];

	cr_assert(svg, "%s missing", name);
	cr_assert(svg_valid(svg, err, sizeof(err)), "%s: %s", name, err);
	free(svg);
}

Test(report, charts)
{
	static const char *const charts[] = {
		"memory-series", "walk-latency", "fork-depth-ns",
		"fork-depth-vmas", "lock-acquisitions",
	};
	const char *extra[] = { "--no-check" };
	char *dir = tmpdir(), *txt, name[128];
	size_t i;

	cr_assert_eq(report(dir, extra, 1, true), 0);
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt);
	if (!gnuplot_installed()) {
		/* Without gnuplot the report must say it skipped them. */
		cr_assert(strstr(txt, "Charts skipped"), "no charts and no "
			  "word about it");
		free(txt);
		done(dir);
		return;
	}
	cr_assert(strstr(txt, "Charts (gnuplot, PNG and SVG)"),
		  "charts not listed");
	for (i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		snprintf(name, sizeof(name), "charts/%s.png", charts[i]);
		assert_png(dir, name);
		snprintf(name, sizeof(name), "charts/%s.svg", charts[i]);
		assert_svg(dir, name);
	}
	free(txt);
	done(dir);
}

Test(report, without_gnuplot)
{
	const char *extra[] = { "--no-check", "--no-depth" };
	char *dir = tmpdir(), *txt, path[4096];

	setenv("RMAPLAB_GNUPLOT", "/nonexistent/gnuplot", 1);
	cr_assert_eq(report(dir, extra, 2, true), 0);
	unsetenv("RMAPLAB_GNUPLOT");
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt);
	cr_expect(strstr(txt, "Charts skipped"), "the report does not say "
		  "the charts were skipped");
	snprintf(path, sizeof(path), "%s/charts/memory-series.png", dir);
	cr_expect(access(path, F_OK), "a PNG without gnuplot");
	/* The scripts stay, to be run where gnuplot is. */
	snprintf(path, sizeof(path), "%s/charts/memory-series.gp", dir);
	cr_expect(!access(path, F_OK), "no gnuplot script");
	free(txt);
	done(dir);
}

Test(report, email)
{
	const char *extra[] = { "--email", "--no-charts", "--no-check",
				"--no-depth", "--scheme", "classic",
				"--scheme", "cowctx", "--from",
				"A Tester <at@example.org>" };
	const char *cc[] = { "--email", "--no-charts", "--no-check",
			     "--no-depth", "--to", "x@example.org", "--cc",
			     "A <a@example.org>", "--cc", "b@example.org",
			     "--subject", "[RFC] a subject" };
	char *dir = tmpdir(), *txt, *mbox;

	cr_assert_eq(report(dir, extra, 10, true), 0);
	txt = file_in(dir, "report.txt", NULL);
	mbox = file_in(dir, "report.mbox", NULL);
	cr_assert(txt && mbox);
	assert_80_columns(txt, "the email");
	cr_expect(!strstr(txt, "Subject:"), "headers in report.txt");
	cr_expect(!strncmp(mbox, "From rmaplab ", 13), "not an mbox");
	/* the subject names the schemes compared, no Cc unless asked */
	cr_expect(strstr(mbox, "\nSubject: [DISCUSSION] anon rmap: classic "
			 "vs cowctx\n"), "%.400s", mbox);
	cr_expect(strstr(mbox, "\nFrom: A Tester <at@example.org>\n"));
	cr_expect(strstr(mbox, "\nTo: linux-mm@kvack.org\n"), "no To:");
	cr_expect(!strstr(mbox, "\nCc:"), "a Cc: nobody asked for");
	cr_expect(strstr(mbox, "\n\nrmaplab: anon rmap designs"),
		  "the body does not follow the headers");
	free(txt);
	free(mbox);
	done(dir);

	dir = tmpdir();
	cr_assert_eq(report(dir, cc, 12, true), 0);
	mbox = file_in(dir, "report.mbox", NULL);
	cr_assert(mbox);
	cr_expect(strstr(mbox, "\nSubject: [RFC] a subject\n"));
	cr_expect(strstr(mbox, "\nTo: x@example.org\n"));
	cr_expect(strstr(mbox, "\nCc: A <a@example.org>, b@example.org\n"),
		  "%.400s", mbox);
	free(mbox);
	done(dir);
}

Test(report, no_email_header_by_default)
{
	const char *extra[] = { "--no-charts", "--no-check", "--no-depth" };
	char *dir = tmpdir(), *txt;

	cr_assert_eq(report(dir, extra, 3, true), 0);
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt);
	cr_expect(!strstr(txt, "Subject:") && !strstr(txt, "\nCc:"),
		  "a mail header without --email");
	cr_expect(!file_in(dir, "report.mbox", NULL), "a mail without "
		  "--email");
	free(txt);
	done(dir);
}

/* stderr of one call, captured in a file. */
static int report_stderr(const char *dir, const char *const *extra,
			 int nr, bool traces, char **errtext)
{
	char path[4096];
	int fd, saved, rc;

	snprintf(path, sizeof(path), "%s/stderr", dir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	close(fd);
	rc = report(dir, extra, nr, traces);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*errtext = read_all(path, NULL);
	return rc;
}

Test(report, bad_input)
{
	const char *missing[] = { "--no-charts", "/nonexistent/x.trace" };
	const char *scheme[] = { "--scheme", "nosuch" };
	const char *repeat[] = { "--repeat", "0" };
	char *dir = tmpdir(), *err;

	cr_assert_eq(report_stderr(dir, missing, 2, false, &err), 2);
	cr_assert(err);
	cr_expect(strstr(err, "/nonexistent/x.trace"), "the file is not "
		  "named: %s", err);
	cr_expect(strchr(err, '\n') == err + strlen(err) - 1, "not one "
		  "line: %s", err);
	free(err);
	cr_expect_eq(report_stderr(dir, scheme, 2, true, &err), 2);
	free(err);
	cr_expect_eq(report_stderr(dir, repeat, 2, true, &err), 2);
	free(err);
	done(dir);
}

/* A deliberately broken classic: the report must say so and show how. */
Test(report, broken_scheme)
{
	const char *extra[] = { "--no-charts", "--no-depth", "--scheme",
				"classic", "--scheme",
				"classic:bug=skip_fork_avc" };
	char *dir = tmpdir(), *txt;

	cr_assert_eq(report(dir, extra, 6, true), 0);
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt);
	assert_80_columns(txt, "report.txt");
	cr_expect(strstr(txt, "classic:bug=skip_fork_avc against the "
			 "oracle:"), "the broken variant passed");
	cr_expect(strstr(txt, "- Walks against the page tables: classic "
			 "found every mapping"), "classic itself failed");
	free(txt);
	done(dir);
}

static char *corpus(const char *name)
{
	const char *src = getenv("RMAPLAB_SRCDIR");
	char *p;

	cr_assert(src, "RMAPLAB_SRCDIR is not set");
	cr_assert(asprintf(&p, "%s/traces/corpus/%s", src, name) > 0);
	return p;
}

/*
 * One program's report, threads that fork (the example): the
 * summary leads, the verdict says random-1005's PoC miss, and there is
 * no cover-letter table for a history that is not zygote-shaped.
 */
Test(report, lead_without_zygote, .timeout = 120)
{
	char *dir = tmpdir(), *txt, *head, *tr = corpus("threadfork.rmt");
	const char *extra[] = { "--no-charts", "--no-depth", "--no-contend",
				"--no-sensitivity", "--no-check", tr };

	cr_assert_eq(report(dir, extra, 6, false), 0);
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt);
	assert_lead(txt, 1, false);
	head = head_lines(txt, 15);
	cr_expect(strstr(head, "threadfork.rmt"), "trace not named:\n%s",
		  head);
	cr_expect(strstr(head, "not checked (--no-check was given)"),
		  "a check said to run that did not:\n%s", head);
	cr_expect(!strstr(txt, COVER_LETTER), "cover-letter table for "
		  "threadfork.rmt");
	cr_expect(!strstr(txt, "Headline: a zygote-style trace"),
		  "headline section for threadfork.rmt");
	free(head);
	free(txt);
	free(tr);
	done(dir);
}

/* The oracle's verdict in the summary: the PoC misses on random-1005. */
Test(report, lead_verdict)
{
	char *dir = tmpdir(), *txt, *head, *bad;
	char *tr = vector("random-1005.trace");
	const char *extra[] = { "--no-charts", "--no-depth", "--no-contend",
				"--no-sensitivity", tr };

	cr_assert_eq(report(dir, extra, 5, false), 0);
	txt = file_in(dir, "report.txt", NULL);
	cr_assert(txt);
	assert_lead(txt, 1, false);
	head = head_lines(txt, 15);
	cr_expect(strstr(head, "walks found every mapping: classic, lazy, "
			 "cowctx"), "verdict:\n%s", head);
	bad = strstr(head, "disagreed with the oracle: ");
	cr_expect(bad && strstr(bad, "cowctx:poc ") &&
		  !strstr(bad, "with the oracle: none"),
		  "the PoC's miss is not in the summary:\n%s", head);
	cr_expect(strstr(head, "Checks:   oracle, kernel state.\n"), "checks:\n%s",
		  head);
	cr_expect(!strstr(txt, COVER_LETTER));
	free(head);
	free(txt);
	free(tr);
	done(dir);
}

/* With the zygote trace among the inputs, the cover letter's table. */
Test(report, cover_letter_with_zygote, .timeout = 120)
{
	char *dir = tmpdir(), *txt, *json, *tr = corpus("zygote.rmt");
	char *v = vector("random-1001.trace");
	const char *extra[] = { "--no-charts", "--no-depth", "--no-contend",
				"--no-sensitivity", "--no-check", v, tr };

	cr_assert_eq(report(dir, extra, 7, false), 0);
	txt = file_in(dir, "report.txt", NULL);
	json = file_in(dir, "report.json", NULL);
	cr_assert(txt && json);
	assert_lead(txt, 2, false);
	cr_expect(strstr(txt, "Headline: a zygote-style trace"),
		  "no headline section");
	cr_expect(strstr(txt, COVER_LETTER), "no cover-letter table");
	cr_expect(strstr(json, "\"zygote_trace\": \"zygote.rmt\""),
		  "zygote.rmt not found zygote-shaped by its forks");
	free(txt);
	free(json);
	free(tr);
	free(v);
	done(dir);
}

/* @txt with every run of blanks and newlines as one space. */
static char *flatten(const char *txt)
{
	char *out = malloc(strlen(txt) + 1), *o = out;

	cr_assert(out);
	for (; *txt; txt++) {
		if (*txt == ' ' || *txt == '\n') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = *txt;
	}
	*o = '\0';
	return out;
}

/*
 * "KB" of vm_area_struct at the snapshot of @path replayed with classic,
 * as the report prints it, computed here from a replay of our own; its
 * slab object size must be @size (the trace's arch, from the table).
 */
static void vma_kb(const char *path, size_t size, char *buf, size_t len)
{
	struct measure_opts o = { .no_walk = true };
	struct measure_result m;
	struct errbuf err;
	struct trace t;
	int i;

	trace_init(&t);
	cr_assert_eq(trace_load(path, &t, err.msg, sizeof(err.msg)), 0,
		     "%s", err.msg);
	cr_assert_eq(measure_trace(&t, "classic", &o, &m, &err), 0, "%s",
		     err.msg);
	i = acct_find(&m.acct, "vm_area_struct");
	cr_assert_geq(i, 0);
	cr_expect_eq(m.acct.cls[i].size, size, "%s: vm_area_struct %zu "
		     "bytes, want %zu", path, m.acct.cls[i].size, size);
	cr_assert_gt(m.snap_live[i], 0);
	snprintf(buf, len, "vm_area_struct | %.1f ",
		 (double)m.snap_live[i] * (double)size / 1024.0);
	measure_result_free(&m);
	trace_free(&t);
}

/*
 * Traces of three architectures and page sizes (a kernel vector, x86_64;
 * arm64 recordings on 4 KiB and 16 KiB kernels): the summary counts
 * each, and "Memory per architecture" has one table for each, in that
 * arch's slab object sizes (vm_area_struct 176 on arm64, 192 on x86_64),
 * whose numbers are the traces' live objects times those sizes.  The
 * sums over all traces add each trace in its own sizes.
 */
Test(report, per_architecture, .timeout = 300)
{
	char *dir = tmpdir(), *txt, *flat, *json, *sec, *p, want[128];
	char *x86 = vector("random-1001.trace");
	char *a4 = corpus("arm64/4k/remap.rmt");
	char *a16 = corpus("arm64/16k/remap.rmt");
	const char *extra[] = { "--no-charts", "--no-depth", "--no-contend",
				"--no-sensitivity", "--no-check", x86, a4,
				a16 };
	static const struct {
		const char *head, *sizes;
		size_t vma;
	} arch[] = {
		{ "x86_64, 4 KiB pages: 1 trace,", "vm_area_struct 192, "
		  "anon_vma 104, anon_vma_chain 64.", 192 },
		{ "aarch64, 4 KiB pages: 1 trace,", "vm_area_struct 176, "
		  "anon_vma 104, anon_vma_chain 64.", 176 },
		{ "aarch64, 16 KiB pages: 1 trace,", "vm_area_struct 176, "
		  "anon_vma 104, anon_vma_chain 64.", 176 },
	};
	const char *paths[] = { x86, a4, a16 };
	char err[256];
	size_t i;

	cr_assert_eq(report(dir, extra, 8, false), 0);
	txt = file_in(dir, "report.txt", NULL);
	json = file_in(dir, "report.json", NULL);
	cr_assert(txt && json);
	assert_80_columns(txt, "report.txt");
	assert_lead(txt, 3, false);
	p = head_lines(txt, 15);
	cr_expect(strstr(p, " events (x86_64 1, aarch64 1, aarch64 16K 1)."),
		  "architectures not counted in the summary:\n%s", p);
	free(p);
	/* both remap.rmt: named by their directories */
	cr_expect(strstr(txt, "arm64/4k/remap.rmt"), "%s", txt);
	cr_expect(strstr(txt, "arm64/16k/remap.rmt"), "%s", txt);
	sec = strstr(txt, "\nMemory per architecture\n");
	cr_assert(sec, "no per-architecture section:\n%s", txt);
	flat = flatten(sec);
	for (i = 0; i < 3; i++) {
		char *at = strstr(flat, arch[i].head), *next;

		cr_assert(at, "no \"%s\" in:\n%s", arch[i].head, sec);
		next = i < 2 ? strstr(at, arch[i + 1].head) : NULL;
		if (next)
			*next = '\0';
		cr_expect(strstr(at, "/proc/slabinfo"), "%s", at);
		cr_expect(strstr(at, arch[i].sizes), "no \"%s\" in \"%s\"",
			  arch[i].sizes, at);
		vma_kb(paths[i], arch[i].vma, want, sizeof(want));
		cr_expect(strstr(at, want), "no \"%s\" in \"%s\"", want, at);
		if (next)
			*next = arch[i + 1].head[0];
	}
	free(flat);
	cr_expect(json_valid(json, NULL, err, sizeof(err)), "%s", err);
	cr_expect(strstr(json, "\"architectures\""), "no architectures");
	cr_expect(strstr(json, "{\"name\": \"vm_area_struct\", \"size\": "
			 "176, \"slab\": true}"), "no arm64 size in JSON");
	/* the sum over three arches: sizes differ, so no one size */
	cr_expect(strstr(json, "\"name\": \"vm_area_struct\", \"size\": "
			 "null"), "the total names one size");
	free(txt);
	free(json);
	free(x86);
	free(a4);
	free(a16);
	done(dir);
}

/* @dir/@name holding a small history recorded on @kernel with @slab. */
static char *sized_trace(const char *dir, const char *name,
			 const char *kernel, const char *slab)
{
	char *path = malloc(4096);
	FILE *f;
	int i;

	cr_assert(path);
	snprintf(path, 4096, "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert(f, "%s", path);
	fprintf(f, "# rmaplab text trace v1   arch=x86_64 page_size=4096 "
		"kernel=%s slab=%s\n", kernel, slab);
	/* four separate VMAs written, then a fork: anon_vmas, chains */
	for (i = 0; i < 4; i++)
		fprintf(f, "1 mmap 0x%x0000 0x1000 rw- private,anon,fixed "
			"-> 0x%x0000\n1 fault 0x%x0000 w\n", 0x1000 + i,
			0x1000 + i, 0x1000 + i);
	fprintf(f, "1 fork 2\n2 fault 0x10000000 w\n");
	fclose(f);
	return path;
}

/*
 * Three x86_64 traces from three kernels: two whose anon_vma is 104
 * bytes, one whose is 200.  The per-architecture section never sums them
 * in one size: one table for the two alike (both kernels named as the
 * source), one for the other.
 */
Test(report, per_architecture_groups_by_recorded_sizes, .timeout = 120)
{
	char *dir = tmpdir(), *out = tmpdir(), *txt, *flat, *sec, *at;
	char *a = sized_trace(dir, "a.trace", "6.99.0-a",
			      "anon_vma:104,anon_vma_chain:64");
	char *b = sized_trace(dir, "b.trace", "6.99.0-b",
			      "anon_vma:200,anon_vma_chain:64");
	char *c = sized_trace(dir, "c.trace", "6.99.0-c",
			      "anon_vma:104,anon_vma_chain:64");
	const char *extra[] = { "--no-charts", "--no-depth", "--no-contend",
				"--no-sensitivity", "--no-check", a, b, c };

	cr_assert_eq(report(out, extra, 8, false), 0);
	txt = file_in(out, "report.txt", NULL);
	cr_assert(txt);
	assert_80_columns(txt, "report.txt");
	sec = strstr(txt, "\nMemory per architecture\n");
	cr_assert(sec, "no per-architecture section:\n%s", txt);
	flat = flatten(sec);
	at = strstr(flat, "x86_64, 4 KiB pages: 2 traces,");
	cr_assert(at, "a and c not one group:\n%s", sec);
	cr_expect(strstr(at, "the recording kernels' /proc/slabinfo "
			 "(6.99.0-a, 6.99.0-c)"), "both kernels not named:\n%s",
		  sec);
	cr_expect(strstr(at, "anon_vma 104"), "%s", sec);
	at = strstr(flat, "x86_64, 4 KiB pages: 1 trace,");
	cr_assert(at, "b not a group of its own:\n%s", sec);
	cr_expect(strstr(at, "/proc/slabinfo (6.99.0-b)"), "%s", sec);
	cr_expect(strstr(at, "anon_vma 200"), "%s", sec);
	cr_expect(!strstr(flat, "anon_vma 200, anon_vma 104") &&
		  !strstr(flat, "anon_vma 104, anon_vma 200"), "%s", sec);
	free(flat);
	free(txt);
	free(a);
	free(b);
	free(c);
	done(dir);
	done(out);
}
