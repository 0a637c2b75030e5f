// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory, walk and per-operation counts on histories small enough to
 * count by hand.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "env.h"
#include "harness/registry.h"
#include "reports/stats.h"

/*
 * 0123
 * AAAA         one private anonymous VMA; page 0 written
 */
static const char one_fault[] = TRACE_HEADER
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n";

Test(memory, classic_one_fault)
{
	struct measure_result r;
	int av;

	measure_text(one_fault, "classic", &r);
	cr_assert(r.available);
	cr_assert_eq(r.events, 2);
	cr_assert_eq(live_of(&r, "vm_area_struct"), 1);
	cr_assert_eq(live_of(&r, "anon_vma"), 1);
	cr_assert_eq(live_of(&r, "anon_vma_chain"), 1);
	/* x86_64 slab sizes from the arch table. */
	av = acct_find(&r.acct, "anon_vma");
	cr_assert_eq(r.acct.cls[av].size, 104);
	cr_assert_eq(r.acct.cls[acct_find(&r.acct, "anon_vma_chain")].size,
		     64);
	cr_assert_eq(r.acct.cls[acct_find(&r.acct, "vm_area_struct")].size,
		     192);
	/* The first write fault allocated them: __anon_vma_prepare(). */
	cr_assert_eq(r.acct.cls[av].allocs[OP_FAULT], 1);
	cr_assert_eq(r.acct.cls[av].allocs[OP_MMAP], 0);
	cr_assert_eq(r.ops[OP_MMAP].count, 1);
	cr_assert_eq(r.ops[OP_FAULT].count, 1);
	/* One folio, found where it is mapped, by one candidate. */
	cr_assert_eq(r.walk.walks, 1);
	cr_assert_eq(r.walk.found, 1);
	cr_assert_eq(r.walk.expected, 1);
	cr_assert_eq(r.walk.candidates, 1);
	cr_assert_eq(r.walk.misses, 0);
	cr_assert_eq(r.walk.locks, 1);
	cr_assert(!isnan(r.walk.p50_ns));
	measure_result_free(&r);
}

Test(memory, cowctx_one_fault)
{
	struct measure_result r;

	measure_text(one_fault, "cowctx", &r);
	cr_assert(r.available);
	cr_assert_eq(live_of(&r, "vm_area_struct"), 1);
	cr_assert_eq(live_of(&r, "anon_vma"), -1);
	cr_assert_eq(live_of(&r, "cow_context"), 1);
	cr_assert_eq(r.walk.found, 1);
	cr_assert_eq(r.walk.expected, 1);
	measure_result_free(&r);
}

/*
 * 0123
 * AAAA         parent (1): page 0 written, then fork
 * AAAA         child (2): page 0 written again: CoW copy
 */
static const char fork_cow[] = TRACE_HEADER
	"1 mmap 0x100000000 0x4000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"
	"2 fault 0x100000000 w\n";

Test(memory, classic_fork_cow)
{
	struct measure_result r;
	int av, avc;

	measure_text(fork_cow, "classic", &r);
	av = acct_find(&r.acct, "anon_vma");
	avc = acct_find(&r.acct, "anon_vma_chain");
	/*
	 * anon_vma_fork(): the child's VMA links to the parent's anon_vma
	 * and to a new one of its own.
	 */
	cr_assert_eq(r.acct.cls[av].live, 2);
	cr_assert_eq(r.acct.cls[avc].live, 3);
	cr_assert_eq(r.acct.cls[av].allocs[OP_FORK], 1);
	cr_assert_eq(r.acct.cls[avc].allocs[OP_FORK], 2);
	cr_assert_eq(live_of(&r, "vm_area_struct"), 2);
	/*
	 * Two folios.  The old one (root anon_vma) has both VMAs as
	 * candidates but only the parent maps it; the child's copy lives
	 * in the child's anon_vma: 3 candidates, 1 miss.
	 */
	cr_assert_eq(r.walk.walks, 2);
	cr_assert_eq(r.walk.found, 2);
	cr_assert_eq(r.walk.expected, 2);
	cr_assert_eq(r.walk.candidates, 3);
	cr_assert_eq(r.walk.misses, 1);
	cr_assert_float_eq(walk_precision(&r.walk), 2.0 / 3.0, 1e-9);
	measure_result_free(&r);
}

Test(memory, every_scheme_finds_every_mapping)
{
	static const char *const schemes[] = { "classic", "cowctx",
					       "oracle", "lazy" };
	struct measure_result r;
	size_t i;

	for (i = 0; i < 4; i++) {
		struct measure_opts o = { .walk_repeat = 1 };
		struct errbuf err;
		struct trace t;
		int ret;

		load_text(&t, fork_cow);
		ret = measure_trace(&t, schemes[i], &o, &r, &err);
		trace_free(&t);
		cr_assert_geq(ret, 0, "%s", err.msg);
		if (ret == 1) {	/* a scheme still being written */
			cr_assert(!r.available);
			cr_assert(r.why[0]);
			measure_result_free(&r);
			continue;
		}
		cr_assert_eq(r.walk.found, r.walk.expected, "%s", schemes[i]);
		cr_assert_eq(r.walk.expected, 2, "%s", schemes[i]);
		measure_result_free(&r);
	}
}

/*
 * 0123
 * AAAA         pages 0 and 1 written     (anon_vma 1)
 * ----         munmap: everything freed  (anon_vma 0, peak 1)
 */
Test(memory, peak_and_series)
{
	static const char text[] = TRACE_HEADER
		"1 mmap 0x100000000 0x4000 rw- private,anon,fixed "
		"-> 0x100000000\n"
		"1 fault 0x100000000 w\n"
		"1 fault 0x100001000 w\n"
		"1 munmap 0x100000000 0x4000\n";
	struct measure_opts o = { .walk_repeat = 1, .every = 1 };
	struct measure_result r;
	struct errbuf err;
	struct trace t;
	int av;

	load_text(&t, text);
	cr_assert_eq(measure_trace(&t, "classic", &o, &r, &err), 0);
	trace_free(&t);
	av = acct_find(&r.acct, "anon_vma");
	cr_assert_eq(r.acct.cls[av].live, 0);
	cr_assert_eq(r.acct.cls[av].peak, 1);
	cr_assert_eq(r.acct.cls[av].frees[OP_MUNMAP], 1);
	/* Samples at 0 and after each of the 4 events. */
	cr_assert_eq(r.series.nr, 5);
	cr_assert_eq(r.series.event[2], 2);
	cr_assert_eq(r.series.live[2 * ACCT_MAX_CLASSES + av], 1);
	cr_assert_eq(r.series.live[4 * ACCT_MAX_CLASSES + av], 0);
	/* It ends empty: the walks ran where the 2 folios were live. */
	cr_assert(!r.snap_at_end);
	cr_assert_eq(r.snap_event, 3);
	cr_assert_eq(r.snap_folios, 2);
	cr_assert_eq(r.snap_live[av], 1);
	cr_assert_eq(r.walk.walks, 2);
	cr_assert_eq(r.walk.found, 2);
	measure_result_free(&r);
}

/*
 * The same trace, its snapshot known from the first replay: taken during
 * the second one, with the same figures and walks, and the walks' locks
 * and OP_WALK left out of the events' costs.  A wrong hint is ignored.
 */
Test(memory, snapshot_known_in_advance)
{
	static const char text[] = TRACE_HEADER
		"1 mmap 0x100000000 0x4000 rw- private,anon,fixed "
		"-> 0x100000000\n"
		"1 fault 0x100000000 w\n"
		"1 fork 2\n"
		"2 fault 0x100001000 w\n"
		"2 exit\n"
		"1 munmap 0x100000000 0x4000\n";
	static const unsigned long hints[] = { 4, 2 };
	struct measure_opts o = { .walk_repeat = 1 };
	struct measure_result first, r;
	struct errbuf err;
	struct trace t;
	unsigned int i;
	int c, l;

	load_text(&t, text);
	cr_assert_eq(measure_trace(&t, "classic", &o, &first, &err), 0);
	cr_assert(!first.snap_at_end);
	cr_assert_eq(first.snap_event, 4);
	cr_assert_eq(first.snap_folios, 2);
	for (i = 0; i < 2; i++) {
		o.snap_event = hints[i];
		cr_assert_eq(measure_trace(&t, "classic", &o, &r, &err), 0);
		cr_assert_eq(r.snap_event, first.snap_event);
		cr_assert_eq(r.snap_folios, first.snap_folios);
		for (c = 0; c < r.acct.nr; c++) {
			cr_assert_eq(r.snap_live[c], first.snap_live[c]);
			cr_assert_eq(r.acct.cls[c].live,
				     first.acct.cls[c].live);
			cr_assert_eq(r.acct.cls[c].allocs[OP_WALK], 0);
		}
		cr_assert_eq(r.acct.ops[OP_WALK], 0);
		for (l = 0; l < r.nr_locks; l++)
			cr_assert_eq(r.locks[l].acquire_read[OP_WALK] +
				     r.locks[l].acquire_write[OP_WALK], 0,
				     "%s", r.locks[l].name);
		cr_assert_eq(r.walk.walks, 2);
		cr_assert_eq(r.walk.walks, first.walk.walks);
		cr_assert_eq(r.walk.found, first.walk.found);
		cr_assert_eq(r.walk.candidates, first.walk.candidates);
		cr_assert_eq(r.walk.locks, first.walk.locks);
		measure_result_free(&r);
	}
	trace_free(&t);
	measure_result_free(&first);
}

Test(memory, objsize_overrides)
{
	struct measure_opts o = { .walk_repeat = 1 };
	struct objsizes sizes = { 0 };
	struct measure_result r;
	struct errbuf err;
	struct trace t;

	cr_assert_eq(objsizes_parse(&sizes, "anon_vma=96", &err), 0);
	cr_assert_eq(objsizes_parse(&sizes, "anon_vma", &err), -1);
	cr_assert_eq(objsizes_parse(&sizes, "anon_vma=x", &err), -1);
	o.sizes = &sizes;
	load_text(&t, one_fault);
	cr_assert_eq(measure_trace(&t, "classic", &o, &r, &err), 0);
	trace_free(&t);
	cr_assert_eq(r.acct.cls[acct_find(&r.acct, "anon_vma")].size, 96);
	cr_assert_eq(r.acct.cls[acct_find(&r.acct, "anon_vma_chain")].size,
		     64);
	measure_result_free(&r);
	objsizes_free(&sizes);
	cr_assert_eq(objsize_arch("aarch64", "vm_area_struct"), 176);
	cr_assert_eq(objsize_arch("mips", "vm_area_struct"), 0);
}

/*
 * The recorder looks for exactly the classes the scheme table prices at
 * a kernel slab size: a class added to a table is recorded too.
 */
Test(memory, recorder_caches_are_the_tables_kernel_classes)
{
	static const char *const all[] = { "vm_area_struct", "anon_vma",
		"anon_vma_chain", "lazy_zombie_vma", "lazy_vma_ref",
		"cow_context", "cow_remap", "cow_folio_ref", "folio",
		"mm_struct" };
	const struct scheme_entry *e;
	const struct scheme_objclass *c;
	size_t i, n = 0, kernel = 0;

	for (i = 0; trace_slab_caches[i]; i++) {
		cr_expect(objsize_kernel_class(trace_slab_caches[i]),
			  "%s: recorded, but the table has no kernel size",
			  trace_slab_caches[i]);
		n++;
	}
	/* every scheme's classes with a kernel size */
	for (e = scheme_list; e->spec; e++)
		for (c = e->scheme->objclasses; c && c->name; c++) {
			bool rec = false;

			for (i = 0; i < n; i++)
				rec |= !strcmp(trace_slab_caches[i], c->name);
			cr_expect_eq(objsize_kernel_class(c->name), rec,
				     "%s (%s): kernel class %d, recorded %d",
				     c->name, e->spec,
				     objsize_kernel_class(c->name), rec);
		}
	/* the core's (vm_area_struct) and the unsized ones */
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		size_t k;
		bool rec = false;

		for (k = 0; k < n; k++)
			rec |= !strcmp(trace_slab_caches[k], all[i]);
		cr_expect_eq(objsize_kernel_class(all[i]), rec, "%s: kernel "
			     "class %d, recorded %d", all[i],
			     objsize_kernel_class(all[i]), rec);
		kernel += rec;
	}
	cr_expect_eq(kernel, 3);
	cr_expect(objsize_kernel_class("vm_area_struct"));
	cr_expect(!objsize_kernel_class("cow_context"));
}

/* A trace's recorded size wins over the table, for its class alone. */
Test(memory, trace_slab_size_over_table)
{
	struct trace_header h;
	struct trace t;

	trace_init(&t);
	h = t.hdr;
	strcpy(h.arch, "aarch64");
	cr_assert_eq(objsize_trace(&h, "anon_vma"), 104);
	cr_assert_eq(trace_slab_set(&h, "anon_vma", 200), 0);
	cr_assert_eq(objsize_trace(&h, "anon_vma"), 200);
	cr_assert_eq(objsize_trace(&h, "vm_area_struct"), 176);
	/* an arch the table lacks: the trace's sizes alone */
	strcpy(h.arch, "riscv64");
	cr_assert_eq(objsize_trace(&h, "anon_vma"), 200);
	cr_assert_eq(objsize_trace(&h, "vm_area_struct"), 0);
	trace_free(&t);
}

Test(memory, slabinfo_sizes)
{
	const char *path = write_temp(
		"slabinfo - version: 2.1\n"
		"# name            <active_objs> <num_objs> <objsize> "
		"<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
		"<sharedfactor> : slabdata <active_slabs> <num_slabs> "
		"<sharedavail>\n"
		"vm_area_struct       869   1260    200   21    1 : tunables "
		"   0    0    0 : slabdata     60     60      0\n"
		"anon_vma             380    429    112   39    1 : tunables "
		"   0    0    0 : slabdata     11     11      0\n", "");
	struct objsizes s = { 0 };
	struct errbuf err;

	cr_assert_eq(objsizes_from_slabinfo(&s, path, &err), 0, "%s",
		     err.msg);
	cr_assert_eq(s.nr, 2);
	cr_assert_str_eq(s.v[0].name, "vm_area_struct");
	cr_assert_eq(s.v[0].size, 200);
	cr_assert_eq(s.v[1].size, 112);
	objsizes_free(&s);
	remove(path);

	path = write_temp("not slabinfo\n", "");
	cr_assert_eq(objsizes_from_slabinfo(&s, path, &err), -1);
	cr_assert(strstr(err.msg, "slabinfo"));
	remove(path);
	objsizes_free(&s);
}

Test(memory, totals_add_up)
{
	struct measure_result a, b, sum;

	measure_text(one_fault, "classic", &a);
	measure_text(fork_cow, "classic", &b);
	memset(&sum, 0, sizeof(sum));
	measure_result_add(&sum, &a);
	measure_result_add(&sum, &b);
	walk_stats_finish(&sum.walk);
	cr_assert(sum.available);
	cr_assert_eq(live_of(&sum, "anon_vma"), 3);
	cr_assert_eq(live_of(&sum, "anon_vma_chain"), 4);
	cr_assert_eq(peak_of(&sum, "anon_vma"), 3);
	cr_assert_eq(sum.walk.walks, 3);
	cr_assert_eq(sum.walk.nr_ns, 3);
	cr_assert_eq(sum.events, 6);
	cr_assert_eq(sum.ops[OP_FAULT].count, 3);
	measure_result_free(&a);
	measure_result_free(&b);
	measure_result_free(&sum);
}

Test(memory, unknown_scheme_is_an_error)
{
	struct measure_opts o = { 0 };
	struct measure_result r;
	struct errbuf err;
	struct trace t;

	load_text(&t, one_fault);
	cr_assert_eq(measure_trace(&t, "nosuch", &o, &r, &err), -1);
	cr_assert(strstr(err.msg, "nosuch"));
	trace_free(&t);
	measure_result_free(&r);
}

Test(memory, percentiles)
{
	double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	cr_assert_eq(rs_percentile_sorted(v, 10, 50), 5);
	cr_assert_eq(rs_percentile_sorted(v, 10, 99), 10);
	cr_assert_eq(rs_percentile_sorted(v, 1, 99), 1);
	cr_assert(isnan(rs_percentile_sorted(v, 0, 50)));
}
