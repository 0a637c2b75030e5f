// SPDX-License-Identifier: GPL-2.0-only
/*
 * The contention simulation end to end: the footprint of a hand-written
 * trace, counted by hand; determinism; contention on a fork storm.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness/results.h"
#include "harness/sim/sim.h"
#include "reports/json.h"
#include "../measure/env.h"

static const struct sim_fp_class *fp_class(const struct sim_footprint *fp,
					   const char *name)
{
	int c;

	for (c = 0; c < fp->nr_classes; c++)
		if (!strcmp(fp->cls[c].name, name))
			return &fp->cls[c];
	cr_assert_fail("no lock class %s", name);
	return NULL;
}

static int acct_index(const struct sim_footprint *fp, const char *name)
{
	int k;

	for (k = 0; k < fp->nr_acct; k++)
		if (!strcmp(fp->acct_names[k], name))
			return k;
	cr_assert_fail("no object class %s", name);
	return -1;
}

/*
 * 0123
 * AAAA       1 maps and writes one page: anon_vma A, one AVC
 * AAAA       1 forks 2: 2 gets anon_vma B (root A) and AVCs to A and B
 * AAAA       2 exits: its two AVCs unlinked under A's lock, B freed
 */
static const char fork_exit[] = TRACE_HEADER
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"
	"2 exit\n";

Test(sim, footprint_by_hand)
{
	const struct sim_fp_class *rw, *mm;
	const struct sim_footprint *fp;
	struct sim_recording *rec;
	struct errbuf err;
	unsigned long found, present;
	struct trace t;

	load_text(&t, fork_exit);
	rec = sim_record(&t, "classic", &err);
	cr_assert(rec, "%s", err.msg);
	fp = sim_footprint(rec);
	cr_assert_eq(fp->units, 2, "1, and the subtree of 2");
	rw = fp_class(fp, "anon_vma->rwsem");
	cr_assert_eq(rw->kind, LOCK_KIND_RWSEM);
	/* anon_vma_prepare(), anon_vma_fork(), unlink_anon_vmas() */
	cr_assert_eq(rw->acq[1][OP_FAULT], 1);
	cr_assert_geq(rw->acq[1][OP_FORK], 1);
	cr_assert_eq(rw->acq[1][OP_EXIT], 1);
	/* AVCs: 1 linked at the fault, 2 at the fork; the exit unlinks 2 */
	cr_assert_eq(rw->work[1][LW_LINK], 3);
	cr_assert_eq(rw->work[1][LW_UNLINK], 2);
	/*
	 * unlink_anon_vmas() frees the AVC to A under the lock; B, empty
	 * now, and its AVC are freed after the unlock.
	 */
	cr_assert_eq(rw->freed[1][acct_index(fp, "anon_vma_chain")], 1);
	cr_assert_eq(rw->freed[1][acct_index(fp, "anon_vma")], 0);
	/* one root: its instance is shared by both subtrees */
	cr_assert_eq(rw->instances, 1);
	cr_assert_eq(rw->units_max, 2);
	cr_assert_eq(rw->acq_shared[1], rw->acq_events[1]);
	cr_assert_eq(rw->acq_all_units[1], rw->acq_events[1]);
	mm = fp_class(fp, "mmap_lock");
	cr_assert_eq(mm->acq[1][OP_MMAP], 1);
	cr_assert_eq(mm->acq[1][OP_FORK], 2, "parent and child mm");
	cr_assert_eq(mm->acq[1][OP_EXIT], 1);
	cr_assert_eq(mm->acq[0][OP_FAULT], 0, "faults take the VMA lock");
	cr_assert_eq(fp_class(fp, "vma_lock")->acq[0][OP_FAULT], 1);
	sim_recording_check(rec, &found, &present);
	cr_assert_eq(found, present);
	cr_assert_eq(present, 1);
	sim_recording_free(rec);
	trace_free(&t);
}

/*
 * The same footprint in the results model, as report.json's contention
 * section and `contend --json` write it: per acquisition of the root's
 * write lock, the three links and two unlinks counted above; the one
 * instance taken by both subtrees on every write.
 */
Test(sim, footprint_in_the_results_model)
{
	struct rpt_footprint rows[2 * RPT_MAX_LOCKS], *rw = NULL;
	struct sim_recording *rec;
	struct errbuf err;
	struct trace t;
	char *json = NULL;
	size_t len = 0;
	struct rj j;
	FILE *f;
	int nr, k;

	load_text(&t, fork_exit);
	rec = sim_record(&t, "classic", &err);
	cr_assert(rec, "%s", err.msg);
	nr = results_fill_sim_footprint(rows, 2 * RPT_MAX_LOCKS,
					sim_footprint(rec));
	for (k = 0; k < nr; k++)
		if (!strcmp(rows[k].name, "anon_vma->rwsem") && rows[k].write)
			rw = &rows[k];
	cr_assert(rw, "no write row of anon_vma->rwsem");
	cr_assert_str_eq(rw->kind, "rwsem");
	cr_assert_geq(rw->acq, 3);
	cr_assert_float_eq(rw->linked * rw->acq, 3, 1e-9);
	cr_assert_float_eq(rw->unlinked * rw->acq, 2, 1e-9);
	cr_assert_eq(rw->instances, 1);
	cr_assert_eq(rw->subtrees_max, 2);
	cr_assert_float_eq(rw->shared_pct, 100, 1e-9);
	f = open_memstream(&json, &len);
	cr_assert(f);
	rj_init(&j, f);
	sim_json_footprint(&j, sim_footprint(rec));
	rj_finish(&j);
	fclose(f);
	cr_assert(strstr(json, "\"class\": \"anon_vma->rwsem\", \"kind\": "
			 "\"rwsem\", \"mode\": \"write\""), "%s", json);
	cr_assert(strstr(json, "\"write_on_shared_pct\": 100"), "%s", json);
	free(json);
	sim_recording_free(rec);
	trace_free(&t);
}

/*
 * cowctx walks under rcu_read_lock(), a lock the scheme only counts: the
 * footprint holds it for the whole walk, so the walk's VMAs and contexts
 * are the RCU section's.
 */
Test(sim, counted_lock_holds_for_the_walk)
{
	const struct sim_fp_class *rcu;
	struct sim_recording *rec;
	struct errbuf err;
	struct trace t;

	load_text(&t, fork_exit);
	rec = sim_record(&t, "cowctx", &err);
	cr_assert(rec, "%s", err.msg);
	rcu = fp_class(sim_footprint(rec), "cow_context.rcu_read");
	cr_assert_eq(rcu->kind, LOCK_KIND_RCU);
	cr_assert_gt(rcu->acq[0][OP_WALK], 0);
	/* before the exit, a walk of the page finds 1 and 2 */
	cr_assert_gt(rcu->work[0][LW_VMA], rcu->acq[0][OP_WALK]);
	cr_assert_geq(rcu->work[0][LW_CTX], rcu->acq[0][OP_WALK]);
	sim_recording_free(rec);
	trace_free(&t);
}

/* Print everything a run produces into a string. */
static char *run_text(const struct sim_recording *rec, unsigned int cpus)
{
	struct sim_opts o;
	struct sim_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert(f);
	sim_opts_default(&o);
	o.walkers = 2;
	sim_run(rec, cpus, &o, &r);
	sim_print_lockstat(f, &r);
	fclose(f);
	return buf;
}

Test(sim, deterministic)
{
	struct sim_recording *a, *b;
	struct errbuf err;
	struct trace t;
	unsigned int cpus[] = { 1, 4, 64 };
	char *x, *y;
	int i;

	sim_storm_trace(&t, STORM_SERVER, 64, 7);
	a = sim_record(&t, "classic", &err);
	b = sim_record(&t, "classic", &err);
	cr_assert(a && b, "%s", err.msg);
	for (i = 0; i < 3; i++) {
		x = run_text(a, cpus[i]);
		y = run_text(b, cpus[i]);
		cr_assert_str_eq(x, y, "two recordings, %u CPUs", cpus[i]);
		free(y);
		y = run_text(a, cpus[i]);
		cr_assert_str_eq(x, y, "two runs, %u CPUs", cpus[i]);
		cr_assert(strstr(x, "contentions") &&
			  strstr(x, "waittime-total") &&
			  strstr(x, "acquisitions") &&
			  strstr(x, "holdtime-total"), "%s", x);
		free(x);
		free(y);
	}
	sim_recording_free(a);
	sim_recording_free(b);
	trace_free(&t);
}

static const struct sim_lockstat *root_stat(const struct sim_result *r,
					    bool write)
{
	int c;

	for (c = 0; c < r->nr_classes; c++)
		if (!strcmp(r->cls[c].name, "anon_vma->rwsem"))
			return &r->cls[c].st[write];
	cr_assert_fail("no anon_vma->rwsem");
	return NULL;
}

static unsigned long root_contentions(const struct sim_result *r)
{
	int c;

	for (c = 0; c < r->nr_classes; c++)
		if (!strcmp(r->cls[c].name, "anon_vma->rwsem"))
			return r->cls[c].st[1].contentions +
				r->cls[c].st[0].contentions;
	return 0;
}

/*
 * A zygote storm: classic's apps share one root rwsem, so writers
 * contend more as CPUs are added; every event runs, and a failed
 * trylock is never counted as a contention or an acquisition.
 */
Test(sim, zygote_root_contention_grows)
{
	struct sim_recording *rec;
	struct sim_result r1, r4, r16;
	struct sim_opts o;
	struct errbuf err;
	struct trace t;

	sim_storm_trace(&t, STORM_ZYGOTE, 32, 1);
	rec = sim_record(&t, "classic", &err);
	cr_assert(rec, "%s", err.msg);
	sim_opts_default(&o);
	o.walkers = 0;
	sim_run(rec, 1, &o, &r1);
	sim_run(rec, 4, &o, &r4);
	sim_run(rec, 16, &o, &r16);
	cr_assert_eq(r1.events, t.nr_ev);
	cr_assert_eq(r16.events, t.nr_ev);
	cr_assert_not(r16.stalled);
	cr_assert_eq(root_contentions(&r1), 0, "one CPU, no walker");
	cr_assert_gt(root_contentions(&r4), 0);
	cr_assert_gt(root_contentions(&r16), root_contentions(&r4));
	cr_assert_gt(r16.ops_per_sec, r1.ops_per_sec);

	/* walkers only trylock: failures are not contentions */
	o.walkers = 4;
	o.blocking_pct = 0;
	sim_run(rec, 16, &o, &r1);
	cr_assert_gt(r1.walks_gave_up, 0);
	cr_assert_eq(root_stat(&r1, false)->contentions, 0,
		     "%lu failed trylocks are no contentions",
		     r1.walks_gave_up);
	sim_recording_free(rec);
	trace_free(&t);
}

/* cowctx's walks are RCU readers: they never wait and never give up. */
Test(sim, rcu_walkers_never_wait)
{
	struct sim_recording *rec;
	struct sim_result r;
	struct sim_opts o;
	struct errbuf err;
	struct trace t;
	int c;

	sim_storm_trace(&t, STORM_ZYGOTE, 16, 1);
	rec = sim_record(&t, "cowctx", &err);
	cr_assert(rec, "%s", err.msg);
	sim_opts_default(&o);
	o.walkers = 4;
	sim_run(rec, 8, &o, &r);
	cr_assert_gt(r.walks, 0);
	cr_assert_eq(r.walks_gave_up, 0);
	cr_assert_gt(r.rcu_deferred_frees, 0, "exited contexts");
	for (c = 0; c < r.nr_classes; c++)
		if (r.cls[c].kind == LOCK_KIND_RCU) {
			cr_assert_gt(r.cls[c].st[0].acquisitions, 0);
			cr_assert_eq(r.cls[c].st[0].contentions, 0);
		}
	sim_recording_free(rec);
	trace_free(&t);
}

/*
 * 0123
 * AAAA       1 maps and writes one page, forks 2: the page is in both
 * AAAA       reclaim: folio_referenced() and try_to_unmap() walk it
 *
 * The rmap's users (reclaim, swap-in, migration) walk as the checks do:
 * the VMAs their walks visit are the anon_vma lock's work.
 */
Test(sim, reclaim_walks_count_their_work)
{
	static const char reclaim[] = TRACE_HEADER
		"1 mmap 0x100000000 0x4000 rw- private,anon,fixed "
		"-> 0x100000000\n"
		"1 fault 0x100000000 w\n"
		"1 fork 2\n"
		"1 reclaim 0x100000000 0x1000\n";
	const char *texts[2] = { reclaim, reclaim };
	unsigned long walks[2], vmas[2];
	const struct sim_fp_class *rw;
	struct sim_recording *rec;
	struct errbuf err;
	struct trace t;
	int i;

	/* the same history without its last line */
	texts[0] = strndup(reclaim, strstr(reclaim, "1 reclaim") - reclaim);
	for (i = 0; i < 2; i++) {
		load_text(&t, texts[i]);
		rec = sim_record(&t, "classic", &err);
		cr_assert(rec, "%s", err.msg);
		rw = fp_class(sim_footprint(rec), "anon_vma->rwsem");
		walks[i] = rw->acq[0][OP_WALK];
		vmas[i] = rw->work[0][LW_VMA];
		sim_recording_free(rec);
		trace_free(&t);
	}
	free((char *)texts[0]);
	cr_assert_geq(walks[1] - walks[0], 2, "%lu -> %lu walks", walks[0],
		      walks[1]);
	/* each walk of the page finds the VMAs of 1 and 2 */
	cr_assert_geq(vmas[1] - vmas[0], 2 * (walks[1] - walks[0]),
		      "%lu -> %lu VMAs", vmas[0], vmas[1]);
}
