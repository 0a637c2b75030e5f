// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reclaim the kernel did on its own between two checkpoints of a
 * recording (replay_sync_swap()): the checker reclaims, through each
 * scheme's walk, the folios the model maps where the checkpoint has swap
 * entries, and faults in what the kernel swapped in since, before it
 * compares; a trace from elsewhere (kernel-run) gets no such help.
 */
#include "hutil.h"

#define CP_VMA "    vma 100000000-100002000 rw-p 00000000\n"

/*
 * 0x100000000 shared after fork, reclaimed by the kernel (one slot for
 * both); then the child reads it back: a clean swap-cache folio.
 *
 *   checkpoint 1:  1: S a      2: S a      (S: slot 5, a: pfn 0x20)
 *   checkpoint 2:  1: S a      2: b a      (b: pfn 0x30, swap cache)
 */
static const char recorded[] =
	"# rmaplab text trace v1 arch=x86_64 page_size=4096 thp=madvise "
	"recorder=rmaplab-record/1,faults,pfns\n"
	"1 mmap 0x100000000 0x2000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"1 fault 0x100001000 w\n"
	"1 fork 2\n"
	"1 checkpoint periodic\n"
	"  proc 1\n" CP_VMA
	"    page 0x100000000 swap off=0x5\n"
	"    page 0x100001000 anon pfn=0x20 kflags=0x1828\n"
	"  proc 2\n" CP_VMA
	"    page 0x100000000 swap off=0x5\n"
	"    page 0x100001000 anon pfn=0x20 kflags=0x1828\n"
	"end\n"
	"2 checkpoint periodic\n"
	"  proc 1\n" CP_VMA
	"    page 0x100000000 swap off=0x5\n"
	"    page 0x100001000 anon pfn=0x20 kflags=0x1828\n"
	"  proc 2\n" CP_VMA
	"    page 0x100000000 anon pfn=0x30 kflags=0x3828\n"
	"    page 0x100001000 anon pfn=0x20 kflags=0x1828\n"
	"end\n";

Test(kernel_reclaim, replayed_from_the_checkpoints)
{
	static const struct {
		const char *scheme;
		enum check_kind kind;
	} v[] = {
		{ "classic", CHECK_OK },
		{ "oracle", CHECK_OK },
		{ "lazy", CHECK_OK },
		{ "cowctx", CHECK_OK },
		/* the replayed swap-in is walked back: poc's known miss */
		{ "cowctx:poc", CHECK_RMAP_USER },
	};
	struct check_result res;
	struct trace t;
	size_t i;

	parse_text(&t, "rec.trace", recorded);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		res = check1(&t, v[i].scheme, NULL);
		cr_expect_eq(res.s[0].first.kind, v[i].kind, "%s: %s",
			     v[i].scheme, res.s[0].first.what);
		if (v[i].kind == CHECK_RMAP_USER)
			cr_expect(strstr(res.s[0].first.what, "just swapped "
					 "in, finds 0 of its 1 mappings "
					 "(mapped at 2:0x100000000)"), "%s",
				  res.s[0].first.what);
		cr_expect_eq(res.s[0].kreclaims, 1, "%s", v[i].scheme);
		cr_expect_eq(res.s[0].kswapins, 1, "%s", v[i].scheme);
		cr_expect_eq(res.s[0].kreclaim_points, 2, "%s", v[i].scheme);
		cr_expect_eq(res.s[0].kreclaim_cp, 1, "%s", v[i].scheme);
		cr_expect_eq(res.s[0].kreclaim_event, 4, "%s", v[i].scheme);
		check_result_free(&res);
	}
	trace_free(&t);
}

/* Said in the summary, per scheme. */
Test(kernel_reclaim, said_in_the_summary)
{
	struct check_result res;
	struct trace t;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	parse_text(&t, "rec.trace", recorded);
	res = check1(&t, "classic", NULL);
	f = open_memstream(&buf, &len);
	check_print_summary(f, "rec.trace", &res);
	fclose(f);
	cr_expect(strstr(buf, "rec.trace classic: replayed 1 "
			 "kernel-initiated reclaims and 1 swap-ins from 2 "
			 "checkpoints (the first: checkpoint 1, event 5)\n"),
		  "%s", buf);
	free(buf);
	check_result_free(&res);
	trace_free(&t);
}

/* Not a recording: the swapped pages are a disagreement, as they are. */
Test(kernel_reclaim, not_for_kernel_run)
{
	struct check_result res;
	struct trace t;
	char *text = strdup(recorded);

	memcpy(strstr(text, "rmaplab-record/1"), "rmaplab-kernel-r", 16);
	parse_text(&t, "krun.trace", text);
	res = check1(&t, "classic", NULL);
	cr_expect_eq(res.s[0].first.kind, CHECK_KERNEL_SHARING, "%s",
		     res.s[0].first.what);
	cr_expect_eq(res.s[0].kreclaims, 0);
	check_result_free(&res);
	trace_free(&t);
	free(text);
}
