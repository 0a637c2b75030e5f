// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writers print exactly what the readers accept: text -> text and
 * text -> binary -> text are lossless on every kernel vector, and the
 * writer reproduces the vectors' own lines.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>

#include "tests/traces/tutil.h"
#include "traces/expected.h"

static void load_ok(const char *path, struct trace *t)
{
	char err[512] = "";

	cr_assert_eq(trace_load(path, t, err, sizeof(err)), 0, "%s", err);
}

static void reparse_text(const struct trace *a, struct trace *b)
{
	char err[512] = "";
	size_t len;
	char *buf = write_text(a, &len);
	FILE *f = fmemopen(buf, len, "r");

	cr_assert_not_null(f);
	cr_assert_eq(trace_parse_text(f, "rt.trace", b, err, sizeof(err)), 0,
		     "%s", err);
	fclose(f);
	free(buf);
}

static void expect_same(const struct trace *a, const struct trace *b,
			const char *what)
{
	char diff[256] = "";

	cr_expect_eq(trace_compare(a, b, diff, sizeof(diff)), 0, "%s: %s",
		     what, diff);
}

Test(roundtrip, text_text_all_vectors)
{
	char path[512];
	int n;

	for (n = FIRST_VECTOR; n < FIRST_VECTOR + NR_VECTORS; n++) {
		struct trace a, b;

		vector_path(path, sizeof(path), n, "trace");
		load_ok(path, &a);
		cr_expect_gt(a.nr_ev, 0);
		reparse_text(&a, &b);
		expect_same(&a, &b, path);
		trace_free(&a);
		trace_free(&b);
	}
}

/* Without its comments, a vector is exactly what the writer prints. */
Test(roundtrip, writer_reproduces_vector_lines)
{
	char path[512];
	int n;

	for (n = FIRST_VECTOR; n < FIRST_VECTOR + NR_VECTORS; n++) {
		char *line = NULL, *out, *p;
		size_t cap = 0, len;
		struct trace a;
		FILE *f;

		vector_path(path, sizeof(path), n, "trace");
		load_ok(path, &a);
		out = write_text(&a, &len);
		f = fopen(path, "r");
		cr_assert_not_null(f);
		/* Skip the header line the writer prints. */
		p = strchr(out, '\n') + 1;
		while (getline(&line, &cap, f) >= 0) {
			size_t l = strlen(line);

			if (line[0] == '#')
				continue;
			cr_assert_eq(strncmp(p, line, l), 0,
				     "%s: wrote '%.*s' for '%s'", path,
				     (int)(strchr(p, '\n') - p), p, line);
			p += l;
		}
		cr_expect_eq(*p, 0, "%s: extra output", path);
		fclose(f);
		free(line);
		free(out);
		trace_free(&a);
	}
}

Test(roundtrip, text_binary_text_all_vectors)
{
	char path[512], epath[512], err[512];
	int n;

	for (n = FIRST_VECTOR; n < FIRST_VECTOR + NR_VECTORS; n++) {
		struct trace a, b, c;
		size_t len;
		char *bin;

		vector_path(path, sizeof(path), n, "trace");
		vector_path(epath, sizeof(epath), n, "expected");
		load_ok(path, &a);
		/* With the kernel's end state, so checkpoints travel too. */
		cr_assert_eq(trace_append_expected(&a, epath, err,
						   sizeof(err)), 0, "%s", err);
		bin = write_binary(&a, &len);
		cr_assert(trace_is_binary(bin, len));
		cr_assert_eq(trace_parse_binary(bin, len, "rt.rmt", &b, err,
						sizeof(err)), 0, "%s", err);
		expect_same(&a, &b, path);
		reparse_text(&b, &c);
		expect_same(&a, &c, path);
		free(bin);
		trace_free(&a);
		trace_free(&b);
		trace_free(&c);
	}
}

/*
 * Every field the binary form carries has a text spelling, here as the
 * writer prints it.
 */
static const char every_field[] =
	"# rmaplab text trace v2   arch=aarch64 page_size=16384 "
	"kernel=6.18.44 thp=always recorder=rmaplab-0.1 "
	"clock=monotonic\n"
	"1 mmap 0x1000 0x4000 rwx shared_validate,0x40000000 "
	"file=dev:8:1:1234 off=7 t=5 -> -EEXIST\n"
	"1 mmap 0x1000 0x4000 0x1000001 private,anon,stack,hugetlb "
	"-> 0x1000\n"
	"1 mmap 0x0 0x1000 r-- private,anon off=3 -> 0x2000\n"
	"1 munmap 0x1000 0x1000 -> 0\n"
	"1 mprotect 0x1000 0x1000 --- -> -4000\n"
	"1 madvise 0x1000 0x1000 123 -> -EINVAL\n"
	"1 madvise 0x1000 0x1000 -7\n"
	"1 madvise 0x1000 0x1000 collapse\n"
	"1 mremap 0x1000 0x1000 0x2000 maymove 0x5000 -> 0x5000\n"
	"1 mremap 0x1000 0x1000 0x2000 fixed,0x80 0x0\n"
	"1 brk 0x0 -> 0xffffffffffff0000\n"
	"1 fault 0x1000 w order=20 t=18446744073709551615\n"
	"1 mlock 0x1000 0x2000 onfault,0x4 -> -EINVAL\n"
	"1 munlock 0x1000 0x2000 -> 0\n"
	"1 mlockall current,future,onfault,0x8 -> -EINVAL\n"
	"1 munlockall -> 0\n"
	"1 mseal 0x1000 0x2000 -> -EPERM\n"
	"1 pkey_mprotect 0x1000 0x1000 r-x -1 -> 0\n"
	"1 uffd_register 0x1000 0x1000 missing,wp,minor -> 0\n"
	"1 uffd_unregister 0x1000 0x1000\n"
	"1 syscall process_madvise -> -ENOSYS\n"
	"1 fork 2 flags=0x1200011 -> 0x2\n"
	"2 thread 3\n"
	"3 exec -> -ENOENT\n"
	"-9223372036854775808 exit\n"
	"2 checkpoint periodic anon_vma=0 pfns=no\n"
	"  proc 2\n"
	"    vma 00001000-00002000 ---s 0000f000 anon_inode:[x]\n"
	"    page 0x1000 file pfn=0x0 kflags=0xffffffffffffffff "
	"count=4294967295\n"
	"  proc 3\n"
	"end\n";

Test(roundtrip, every_field_survives)
{
	struct trace a, b, c;
	char err[512] = "";
	char *bin, *out, *want;
	size_t len;

	cr_assert_eq(parse_str(every_field, &a, err, sizeof(err)), 0, "%s",
		     err);
	out = write_text(&a, NULL);
	/* Canonical input comes back unchanged, with the event count. */
	cr_assert_gt(asprintf(&want, "%send 26\n", every_field), 0);
	cr_expect_str_eq(out, want);
	free(want);
	reparse_text(&a, &b);
	expect_same(&a, &b, "text");
	bin = write_binary(&a, &len);
	trace_free(&b);
	cr_assert_eq(trace_parse_binary(bin, len, "x.rmt", &b, err,
					sizeof(err)), 0, "%s", err);
	expect_same(&a, &b, "binary");
	reparse_text(&b, &c);
	expect_same(&a, &c, "binary then text");
	free(bin);
	free(out);
	trace_free(&a);
	trace_free(&b);
	trace_free(&c);
}

/* What the reader accepts in other spellings, the writer prints its own. */
Test(roundtrip, writer_canonicalises)
{
	struct trace a;
	char err[512] = "";
	char *out;

	cr_assert_eq(parse_str("# rmaplab text trace v1   arch=aarch64 "
			       "page_size=16384\n"
			       "1 mmap 0 0x1000 r-- private,anon off=3 "
			       "-> 0x2000\n"
			       "1 fork 2 flags=0x1200011 -> 2\n",
			       &a, err, sizeof(err)), 0, "%s", err);
	out = write_text(&a, NULL);
	cr_expect_str_eq(out,
		"# rmaplab text trace v2   arch=aarch64 page_size=16384\n"
		"1 mmap 0x0 0x1000 r-- private,anon off=3 -> 0x2000\n"
		"1 fork 2 flags=0x1200011 -> 0x2\n"
		"end 2\n");
	free(out);
	trace_free(&a);
}

Test(roundtrip, compare_sees_differences)
{
	struct trace a, b;
	char err[512], diff[256] = "";

	cr_assert_eq(parse_str("1 fault 0x1000 w\n", &a, err, sizeof(err)), 0);
	cr_assert_eq(parse_str("1 fault 0x1000 r\n", &b, err, sizeof(err)), 0);
	cr_expect_eq(trace_compare(&a, &b, diff, sizeof(diff)), 1);
	cr_expect_str_eq(diff, "event 1 differs");
	trace_free(&a);
	trace_free(&b);
}

Test(roundtrip, where_names_line_or_event)
{
	struct trace a, b;
	char err[512], buf[128];
	char *bin;
	size_t len;

	cr_assert_eq(parse_str("\n1 fault 0x1000 w\n1 exit\n", &a, err,
			       sizeof(err)), 0);
	trace_where(&a, &a.ev[1], buf, sizeof(buf));
	cr_expect_str_eq(buf, "t.trace:3");
	bin = write_binary(&a, &len);
	cr_assert_eq(trace_parse_binary(bin, len, "w.rmt", &b, err,
					sizeof(err)), 0, "%s", err);
	trace_where(&b, &b.ev[1], buf, sizeof(buf));
	cr_expect_str_eq(buf, "w.rmt: event 2");
	free(bin);
	trace_free(&a);
	trace_free(&b);
}
