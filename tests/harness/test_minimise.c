// SPDX-License-Identifier: GPL-2.0-only
/*
 * The minimiser (harness/minimise.h): it keeps the disagreement, keeps
 * the history valid (a dropped fork takes its subtree), makes results
 * self-consistent, and leaves kernel-checkpoint disagreements whole.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <criterion/criterion.h>

#include "harness/minimise.h"
#include "harness/replay.h"
#include "hutil.h"
#include "tests/common/need_kernel.h"
#include "traces/kernel_run.h"

#define BUG	"classic:bug=skip_fork_avc"

/*
 * The broken anon_vma_fork() hidden in noise: process 1 and a subtree
 * 3 -> 4 -> 5 that only adds VMAs, folios and exits.
 *
 *	0123456789abcdef
 *	AAAA BB   CCC      1: A faulted, B unfaulted, C a file mapping
 *	P1 forks 3 (noise, forks 4, which forks 5), then 2: the child whose
 *	mapping of A's folio the broken scheme does not link
 */
static const char noisy[] =
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed\n"
	"1 mmap 0x100005000 0x2000 rw- private,anon,fixed\n"
	"1 mmap 0x10000a000 0x3000 rw- private,fixed file=f0 off=3\n"
	"1 fault 0x10000a000 w\n"
	"1 fork 3\n"
	"3 fault 0x100005000 w\n"
	"3 fork 4\n"
	"4 mprotect 0x100000000 0x1000 r--\n"
	"4 fork 5\n"
	"5 fault 0x10000b000 r\n"
	"4 exit\n"
	"5 munmap 0x100005000 0x1000\n"
	"1 mprotect 0x100005000 0x1000 r--\n"
	"1 fault 0x100002000 w\n"
	"3 mremap 0x100005000 0x2000 0x2000 maymove,fixed 0x100020000\n"
	"1 fault 0x100006000 r\n"
	"1 fork 2\n"
	"2 fault 0x100003000 r\n"
	"5 exit\n"
	"1 munmap 0x10000c000 0x1000\n";

static void round_trip(const struct trace *min, const struct check_finding *f,
		       const struct minimise_stats *st, struct trace *back)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_eq(minimise_write(m, min, f, st), 0);
	fclose(m);
	cr_expect(strstr(buf, "# reproduces: "), "%s", buf);
	parse_text(back, "minimal.trace", buf);
	free(buf);
}

Test(minimise, broken_fork_to_three_events)
{
	const struct check_opts o = { .every_event = true };
	struct minimise_stats st;
	struct check_result res;
	struct trace t, min, back;
	size_t i;

	parse_text(&t, "noisy.trace", noisy);
	res = check1(&t, BUG, &o);
	cr_assert_eq(res.s[0].first.kind, CHECK_MISS);
	cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st), 0);
	cr_expect(st.reproduced);
	cr_expect_eq(st.from, t.nr_ev);
	/* mmap, fault, fork: nothing less shows a missed child mapping */
	cr_expect_eq(min.nr_ev, 3, "%zu events", min.nr_ev);
	cr_expect_eq(st.to, min.nr_ev);
	for (i = 0; i < min.nr_ev; i++)
		cr_expect_eq(min.ev[i].pid, 1);

	/* what is written parses back and still fails the same way */
	round_trip(&min, &res.s[0].first, &st, &back);
	cr_expect_eq(trace_compare(&min, &back, res.error,
				   sizeof(res.error)), 0, "%s", res.error);
	check_result_free(&res);
	res = check1(&back, BUG, &o);
	cr_expect_eq(res.s[0].first.kind, CHECK_MISS);
	check_result_free(&res);
	res = check1(&back, "classic", &o);
	cr_expect_eq(res.s[0].first.kind, CHECK_OK);
	check_result_free(&res);
	trace_free(&back);
	trace_free(&min);
	trace_free(&t);
}

/*
 * The failure lives in a grandchild: the fork chain that creates it must
 * survive, the noise around it must not.
 */
Test(minimise, keeps_the_fork_chain)
{
	static const char text[] =
		"1 mmap 0x100000000 0x2000 rw- private,anon,fixed\n"
		"1 mmap 0x100008000 0x2000 rw- private,anon,fixed\n"
		"1 fault 0x100008000 w\n"
		"1 fork 2\n"
		"2 fault 0x100009000 w\n"
		"2 mmap 0x100004000 0x1000 rw- private,anon,fixed\n"
		"2 fault 0x100004000 w\n"
		"2 fork 3\n"
		"3 fault 0x100004000 r\n"
		"1 fault 0x100000000 w\n"
		"3 exit\n";
	const struct check_opts o = { .every_event = true };
	struct minimise_stats st;
	struct check_result res;
	struct trace t, min;
	size_t i;
	bool fork2 = false, fork3 = false;

	parse_text(&t, "chain.trace", text);
	res = check1(&t, BUG, &o);
	cr_assert_eq(res.s[0].first.kind, CHECK_MISS);
	cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st), 0);
	for (i = 0; i < min.nr_ev; i++) {
		fork2 |= min.ev[i].type == EV_FORK && min.ev[i].child == 2;
		fork3 |= min.ev[i].type == EV_FORK && min.ev[i].child == 3;
		/* no event of a process whose fork was dropped */
		if (min.ev[i].pid == 2)
			cr_expect(fork2);
		if (min.ev[i].pid == 3)
			cr_expect(fork3);
	}
	cr_expect_leq(min.nr_ev, 4, "%zu events", min.nr_ev);
	check_result_free(&res);
	res = check1(&min, BUG, &o);
	cr_expect(!res.trace_error, "%s", res.error);
	cr_expect_eq(res.s[0].first.kind, CHECK_MISS);
	check_result_free(&res);
	trace_free(&min);
	trace_free(&t);
}

/*
 * A kernel vector with recorded results: the minimal trace keeps only
 * results the model agrees with, so that it replays without divergence.
 */
Test(minimise, results_made_consistent)
{
	const struct check_opts o = { .every_event = true,
				      .no_results = true };
	struct minimise_stats st;
	struct check_result res;
	struct replay r;
	struct errbuf err;
	struct trace t, min;
	int n, done = 0;

	for (n = 1001; n <= 1030 && done < 3; n++) {
		char rel[128];

		snprintf(rel, sizeof(rel),
			 "tests/data/kernel-vectors/random-%d.trace", n);
		load_with_expected(&t, rel);
		res = check1(&t, BUG, &o);
		if (res.s[0].first.kind != CHECK_MISS) {
			check_result_free(&res);
			trace_free(&t);
			continue;
		}
		done++;
		cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st),
			     0);
		cr_expect_leq(min.nr_ev, 10, "%s: %zu events", rel,
			      min.nr_ev);
		cr_expect(st.results_fixed, "%s", rel);
		cr_assert_eq(replay_open(&r, &min, "oracle", &err), 0);
		r.quiet = true;
		cr_expect_eq(replay_all(&r, &err), 0, "%s", err.msg);
		cr_expect_eq(r.divergences, 0, "%s: %s", rel,
			     r.first_divergence);
		replay_close(&r);
		check_result_free(&res);
		trace_free(&min);
		trace_free(&t);
	}
	cr_expect_eq(done, 3, "vectors where the broken fork shows: %d",
		     done);
}

/*
 * The kernel's state is ground truth for the whole history: not
 * minimised, but cut to the events of the process (and its ancestors)
 * that touch the page that disagrees, keeping the checkpoint, and said
 * to be unconfirmed on a kernel.
 */
Test(minimise, kernel_disagreement_is_cut_not_minimised)
{
	struct trace_checkpoint *cp;
	struct minimise_stats st;
	struct check_result res;
	struct trace t, min;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	load_with_expected(&t, "tests/data/kernel-vectors/random-1005.trace");
	cp = &t.cps[t.nr_cps - 1];
	cp->procs[0].pages[1].pfn = cp->procs[0].pages[0].pfn;
	res = check1(&t, "cowctx", NULL);
	cr_assert_eq(res.s[0].first.kind, CHECK_KERNEL_SHARING);
	cr_assert_geq(res.s[0].first.pid, 0);
	cr_assert_lt(res.s[0].first.start, res.s[0].first.end);
	cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st), 0);
	cr_expect(st.cut_only);
	cr_expect(st.range_cut);
	cr_expect_lt(min.nr_ev, t.nr_ev / 2, "%zu of %zu events", min.nr_ev,
		     t.nr_ev);
	cr_expect_eq(min.nr_cps, 1);
	cr_expect_eq(min.ev[min.nr_ev - 1].type, EV_CHECKPOINT);
	for (i = 0; i + 1 < min.nr_ev; i++)
		if (min.ev[i].type == EV_FAULT)
			break;
	cr_expect_lt(i + 1, min.nr_ev, "a fault in the range is kept");
	f = open_memstream(&text, &len);
	cr_assert_eq(minimise_write(f, &min, &res.s[0].first, &st), 0);
	fclose(f);
	cr_expect(strstr(text, "not confirmed on a kernel"), "%s", text);
	free(text);
	check_result_free(&res);
	trace_free(&min);
	trace_free(&t);
}

/* A divergence is minimised around the very event that diverged. */
Test(minimise, divergence_keeps_its_event)
{
	struct minimise_stats st;
	struct check_result res;
	struct trace t, min;
	size_t i, k;
	uint64_t addr;

	load_with_expected(&t, "tests/data/kernel-vectors/random-1003.trace");
	for (i = t.nr_ev; i-- > 0;)
		if (t.ev[i].type == EV_MMAP && t.ev[i].has_result &&
		    t.ev[i].result > 0)
			break;
	cr_assert(i < t.nr_ev);
	addr = t.ev[i].addr;
	t.ev[i].result = -ENOMEM;
	res = check1(&t, "classic", NULL);
	cr_assert_eq(res.s[0].first.kind, CHECK_DIVERGENCE);
	cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st), 0);
	cr_expect_leq(min.nr_ev, 3, "%zu events", min.nr_ev);
	for (k = 0; k < min.nr_ev; k++)
		if (min.ev[k].type == EV_MMAP && min.ev[k].addr == addr &&
		    min.ev[k].result == -ENOMEM)
			break;
	cr_expect_lt(k, min.nr_ev, "the diverging mmap is kept");
	check_result_free(&res);
	trace_free(&min);
	trace_free(&t);
}

/*
 * The trace names the running kernel and we are root: a disagreement with
 * the kernel is minimised with kernel-run as the oracle.  classic's
 * reuse=off keeps every anon_vma of a daemon chain that the kernel's
 * reuse heuristic frees (tests/classic/traces/fork-daemon).
 */
Test(minimise, kernel_disagreement_minimised_on_the_kernel, .timeout = 240)
{
	const struct check_opts o = { .objects = true };
	struct minimise_stats st;
	struct check_result res;
	struct trace t, min;
	struct utsname u;

	need_kernel();
	need_free_range(0x100000000ULL, 0x100004000ULL);
	cr_assert_eq(uname(&u), 0);
	load_with_expected(&t, "tests/classic/traces/fork-daemon.trace");
	snprintf(t.hdr.kernel, sizeof(t.hdr.kernel), "%.63s", u.release);
	res = check1(&t, "classic:reuse=off", &o);
	cr_assert_eq(res.s[0].first.kind, CHECK_OBJECTS, "%s",
		     res.s[0].first.what);
	cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st), 0);
	cr_expect(st.on_kernel, "%s", st.why);
	cr_expect(!st.cut_only);
	cr_expect_lt(min.nr_ev, t.nr_ev / 2, "%zu of %zu events", min.nr_ev,
		     t.nr_ev);
	cr_expect_geq(min.nr_ev, 4, "mmap, fault and at least two forks");
	check_result_free(&res);
	trace_free(&min);

	/* another release: cut, and said why */
	snprintf(t.hdr.kernel, sizeof(t.hdr.kernel), "0.0-not-this-one");
	res = check1(&t, "classic:reuse=off", &o);
	cr_assert_eq(minimise_trace(&t, &res.s[0].first, &min, &st), 0);
	cr_expect(!st.on_kernel);
	cr_expect(st.cut_only);
	cr_expect(strstr(st.why, "recorded on 0.0-not-this-one"), "%s",
		  st.why);
	check_result_free(&res);
	trace_free(&min);
	trace_free(&t);
}
