// SPDX-License-Identifier: GPL-2.0-only
/* rmaplab dump / undump, run in-process. */
#include "tests/traces/tutil.h"

#include <dirent.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include "harness/cmds.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

#define TEXT \
	"# rmaplab text trace v2   arch=x86_64 page_size=4096\n" \
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n" \
	"1 fault 0x100000000 w\n" \
	"1 fork 2\n" \
	"2 mremap 0x100000000 0x4000 0x4000 maymove,fixed 0x200000000 " \
	"-> 0x200000000\n" \
	"1 munmap 0x100002000 0x1000\n" \
	"2 exit\n" \
	"end 6\n"

Test(cmd_dump, undump_then_dump, .init = cr_redirect_stdout)
{
	char txt[] = "/tmp/rmaplab-dump-XXXXXX", rmt[64];
	char *undump[] = { "undump", "-o", rmt, txt, NULL };
	char *dump[] = { "dump", rmt, NULL };
	struct trace t;
	char err[512] = "";
	int fd = mkstemp(txt);

	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(rmt, sizeof(rmt), "%s.rmt", txt);
	write_file(txt, TEXT "# trailing comment\n");
	cr_assert_eq(cmd_undump(4, undump), 0);
	cr_assert_eq(trace_load(rmt, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(t.nr_ev, 6);
	trace_free(&t);
	cr_expect_eq(cmd_dump(2, dump), 0);
	fflush(stdout);
	cr_expect_stdout_eq_str(TEXT);
	unlink(txt);
	unlink(rmt);
}

Test(cmd_dump, bad_input_exits_2_with_one_line, .init = cr_redirect_stderr)
{
	char txt[] = "/tmp/rmaplab-dump-XXXXXX", want[128];
	char *dump[] = { "dump", txt, NULL };
	char *undump[] = { "undump", "-o", "/tmp/never-written.rmt", txt,
			   NULL };
	int fd = mkstemp(txt);

	cr_assert_geq(fd, 0);
	close(fd);
	write_file(txt, "1 exit\n1 mmapp 0x1000\n");
	cr_expect_eq(cmd_dump(2, dump), 2);
	cr_expect_eq(cmd_undump(4, undump), 2);
	cr_expect_eq(access("/tmp/never-written.rmt", F_OK), -1);
	fflush(stderr);
	snprintf(want, sizeof(want), "%s:2: unknown event 'mmapp'\n"
		 "%s:2: unknown event 'mmapp'\n", txt, txt);
	cr_expect_stderr_eq_str(want);
	unlink(txt);
}

Test(cmd_dump, usage_errors, .init = cr_redirect_stderr)
{
	char *dump[] = { "dump", NULL };
	char *undump[] = { "undump", "x.trace", NULL };

	cr_expect_eq(cmd_dump(1, dump), 2);
	cr_expect_eq(cmd_undump(2, undump), 2);
}

static int count_partials(const char *dir, const char *base)
{
	char prefix[128];
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	snprintf(prefix, sizeof(prefix), "%s.partial-", base);
	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

static char *read_all(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

/* A failed command leaves the previous file as it was, and no debris. */
Test(cmd_dump, outputs_whole_or_untouched, .init = cr_redirect_stderr)
{
	char dir[] = "/tmp/rmaplab-atomic-XXXXXX", in[128], out[128];
	char cut[128];
	char *convert[] = { "convert", in, "-o", out, NULL };
	char *convert_cut[] = { "convert", cut, "-o", out, NULL };
	struct trace t;
	char err[512];

	cr_assert_not_null(mkdtemp(dir));
	snprintf(in, sizeof(in), "%s/in.trace", dir);
	snprintf(cut, sizeof(cut), "%s/cut.trace", dir);
	snprintf(out, sizeof(out), "%s/out.rmt", dir);
	write_file(out, "previous contents\n");

	/* refused input: out untouched */
	write_file(in, TEXT);
	write_file(cut, "# rmaplab text trace v2\n1 exit\n");	/* no end */
	cr_expect_eq(cmd_convert(4, convert_cut), 2);
	cr_expect_str_eq(read_all(out), "previous contents\n");
	cr_expect_eq(count_partials(dir, "out.rmt"), 0);

	/* a good one replaces it whole */
	cr_expect_eq(cmd_convert(4, convert), 0);
	cr_assert_eq(trace_load(out, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(t.nr_ev, 6);
	cr_expect(!t.incomplete);
	trace_free(&t);
	cr_expect_eq(count_partials(dir, "out.rmt"), 0);

	/* an output that cannot be written names errno's text */
	snprintf(out, sizeof(out), "%s/no/such/dir.rmt", dir);
	cr_expect_eq(cmd_convert(4, convert), 2);
	fflush(stderr);
	snprintf(out, sizeof(out), "%s/out.rmt", dir);
	unlink(in);
	unlink(cut);
	unlink(out);
	rmdir(dir);
}

Test(cmd_dump, salvage_says_so, .init = cr_redirect_stderr)
{
	char txt[] = "/tmp/rmaplab-salvage-XXXXXX", want[256];
	char *dump[] = { "dump", "--salvage", txt, NULL };
	int fd = mkstemp(txt);

	cr_assert_geq(fd, 0);
	close(fd);
	write_file(txt, "# rmaplab text trace v2\n1 exit\n");
	cr_redirect_stdout();
	cr_expect_eq(cmd_dump(3, dump), 0);
	fflush(stdout);
	fflush(stderr);
	snprintf(want, sizeof(want), "%s: incomplete: no 'end' line after 1 "
		 "events; --salvage: dumped the 1 complete events\n", txt);
	cr_expect_stderr_eq_str(want);
	unlink(txt);
}
