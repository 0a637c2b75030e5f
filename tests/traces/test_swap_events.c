// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reclaim, pageout and migrate events and the swap entries of a
 * checkpoint survive text -> text, text -> binary -> text, and the
 * .expected form (swap lines group entries by slot, type and offset).
 */
#include <unistd.h>

#include <criterion/criterion.h>

#include "tests/traces/tutil.h"
#include "traces/expected.h"

static const char text[] =
	"# rmaplab text trace v1 arch=x86_64 page_size=4096 thp=madvise\n"
	"1 mmap 0x100000000 0x2000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"
	"1 reclaim 0x100000000 0x1000\n"
	"1 pageout 0x100001000 0x1000\n"
	"2 migrate 0x100000000 0x2000 -> -ENOMEM\n"
	"0 checkpoint end\n"
	"  proc 1\n"
	"    vma 100000000-100002000 rw-p 00000000\n"
	"    page 0x100000000 swap off=0x7\n"
	"  proc 2\n"
	"    vma 100000000-100002000 rw-p 00000000\n"
	"    page 0x100000000 swap off=0x7\n"
	"    page 0x100001000 anon pfn=0x1234 kflags=0x1000\n"
	"  proc 3\n"
	"    vma 100000000-100002000 rw-p 00000000\n"
	"    page 0x100000000 swap off=0x7 type=2\n"
	"end\n";

static void parse(const char *s, size_t len, struct trace *t)
{
	char err[512] = "";
	FILE *f = fmemopen((void *)s, len, "r");

	cr_assert_not_null(f);
	cr_assert_eq(trace_parse_text(f, "s.trace", t, err, sizeof(err)), 0,
		     "%s", err);
	fclose(f);
}

Test(swap_events, parsed)
{
	struct trace t;

	parse(text, sizeof(text) - 1, &t);
	cr_assert_eq(t.ev[3].type, EV_RECLAIM);
	cr_assert_eq(t.ev[3].len, 0x1000);
	cr_assert_not(t.ev[3].has_result);
	cr_assert_eq(t.ev[4].type, EV_PAGEOUT);
	cr_assert_eq(t.ev[5].type, EV_MIGRATE);
	cr_assert_eq(t.ev[5].result, -12);
	cr_assert(t.cps[0].procs[0].pages[0].swap);
	cr_assert_not(t.cps[0].procs[0].pages[0].anon);
	cr_assert_eq(t.cps[0].procs[0].pages[0].pfn, 7);
	cr_assert_eq(t.cps[0].procs[0].pages[0].swap_type, 0);
	cr_assert_eq(t.cps[0].procs[2].pages[0].swap_type, 2);
	trace_free(&t);
}

Test(swap_events, swap_type_checked)
{
	static const char *const bad[] = {
		"0 checkpoint end\n  proc 1\n    page 0x1000 swap off=1 "
		"type=32\nend\n",
		"0 checkpoint end\n  proc 1\n    page 0x1000 anon pfn=1 "
		"type=1\nend\n",
		"0 checkpoint end\n  proc 1\n    page 0x1000 swap off=1 "
		"kflags=1\nend\n",
	};
	struct trace t;
	char err[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = 0;
		cr_expect_neq(parse_str(bad[i], &t, err, sizeof(err)), 0,
			      "%s", bad[i]);
		cr_expect(strstr(err, ":3:"), "%s", err);
		trace_free(&t);
	}
}

Test(swap_events, reclaim_takes_no_result)
{
	static const char bad[] =
		"1 reclaim 0x100000000 0x1000 -> 0\n";
	struct trace t;
	char err[512] = "";

	cr_assert_neq(parse_str(bad, &t, err, sizeof(err)), 0);
	cr_expect(strstr(err, ":1:"), "%s", err);
	trace_free(&t);
}

Test(swap_events, text_and_binary_round_trips)
{
	struct trace a, b, c;
	char err[512] = "", diff[256] = "";
	size_t len;
	char *s, *bin;

	parse(text, sizeof(text) - 1, &a);
	s = write_text(&a, &len);
	parse(s, len, &b);
	cr_expect_eq(trace_compare(&a, &b, diff, sizeof(diff)), 0, "%s", diff);
	free(s);
	bin = write_binary(&a, &len);
	cr_assert_eq(trace_parse_binary(bin, len, "s.rmt", &c, err,
					sizeof(err)), 0, "%s", err);
	cr_expect_eq(trace_compare(&a, &c, diff, sizeof(diff)), 0, "%s", diff);
	free(bin);
	trace_free(&c);
	/* version 1 keeps the swap type in a swap page's flags too */
	bin = write_binary_v1(&a, &len);
	cr_assert_eq(trace_parse_binary(bin, len, "s.rmt", &c, err,
					sizeof(err)), 0, "%s", err);
	cr_expect_eq(trace_compare(&a, &c, diff, sizeof(diff)), 0, "%s", diff);
	cr_expect_eq(c.cps[0].procs[2].pages[0].swap_type, 2);
	free(bin);
	trace_free(&a);
	trace_free(&b);
	trace_free(&c);
}

Test(swap_events, expected_groups_swap_entries_by_slot)
{
	struct trace a;
	struct trace_checkpoint cp;
	char *buf = NULL, err[512] = "", path[] = "/tmp/rmaplab-swapXXXXXX";
	size_t len = 0;
	FILE *f;
	int fd;

	parse(text, sizeof(text) - 1, &a);
	f = open_memstream(&buf, &len);
	cr_assert_eq(checkpoint_write_expected(f, &a.cps[0]), 0);
	fclose(f);
	/* 3's entry has the offset of 1's and 2's, on another device */
	cr_expect(strstr(buf, "-- sharing\n2:0x100001000\n"
			 "swap 1:0x100000000 2:0x100000000\n"
			 "swap 3:0x100000000\n-- objects\n"),
		  "%s", buf);
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
	cr_assert_eq(checkpoint_load_expected(path, &cp, err, sizeof(err)), 0,
		     "%s", err);
	unlink(path);
	cr_assert_eq(cp.nr_procs, 3);
	cr_expect(cp.procs[0].pages[0].swap);
	cr_expect(cp.procs[1].pages[0].swap);
	cr_expect_eq(cp.procs[0].pages[0].pfn, cp.procs[1].pages[0].pfn,
		     "one slot");
	checkpoint_free(&cp);
	free(buf);
	trace_free(&a);
}
