// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the kernel mapped at an address: /proc/PID/pagemap gives presence,
 * the PFN and whether the page is a file/shmem page or mapped once;
 * /proc/kpageflags (root only) says anon, zero page and compound/THP.
 * Faults are classified from this state after the fact, never guessed
 * from the instruction (see README.md).
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/fs.h>
#include <linux/kernel-page-flags.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "traces/kpageflags.h"
#include "traces/recorder/rec.h"

#ifndef PAGEMAP_SCAN
/* Linux 6.7 uapi; the build host's headers may predate it. */
#define PAGE_IS_FILE	(1 << 2)
#define PAGE_IS_PRESENT	(1 << 3)
#define PAGE_IS_SWAPPED	(1 << 4)
#define PAGE_IS_PFNZERO	(1 << 5)
#define PAGE_IS_HUGE	(1 << 6)
struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};
struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};
#define PAGEMAP_SCAN	_IOWR('f', 16, struct pm_scan_arg)
#endif

#define KPF(bit)	(1ULL << (bit))
/*
 * A PMD maps page_size / 8 pages: 512 of 4 KiB, 2048 of 16 KiB, 8192 of
 * 64 KiB (order 13, the largest rec_pmd_order() gives).
 */
#define MAX_BLOCK	(1UL << REC_MAX_PMD_ORDER)

struct pfn_ref {
	uint64_t pfn;
	size_t i;
};

static int cmp_pfn(const void *a, const void *b)
{
	const struct pfn_ref *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

#define KPF_SPAN	2048	/* entries read in one go at most: 16 KiB */
#define KPF_GAP		64

/*
 * /proc/kpageflags of the @n PFNs in @pfn (0: none) into @flags.  Anon
 * pages allocated together are often physically close, so the PFNs are
 * sorted and each cluster of close ones is read with one pread.
 */
/*
 * Within one checkpoint a PFN's flags are read once: a fork checkpoint
 * names most pages twice (parent and child map the same folios).  An
 * open-addressing table keyed by PFN, emptied by rec_kcache_reset().
 */
struct kcache_ent {
	uint64_t pfn;		/* 0: empty */
	uint64_t flags;
};

static size_t kcache_slot(const struct recorder *r, uint64_t pfn)
{
	return (size_t)(pfn * 0x9e3779b97f4a7c15ULL >> 20) &
	       (r->kcache_size - 1);
}

static bool kcache_get(const struct recorder *r, uint64_t pfn,
		       uint64_t *flags)
{
	const struct kcache_ent *c = r->kcache;
	size_t i;

	if (!r->kcache_size)
		return false;
	for (i = kcache_slot(r, pfn); c[i].pfn; i = (i + 1) &
	     (r->kcache_size - 1)) {
		if (c[i].pfn == pfn) {
			*flags = c[i].flags;
			return true;
		}
	}
	return false;
}

static void kcache_put(struct recorder *r, uint64_t pfn, uint64_t flags)
{
	struct kcache_ent *c;
	size_t i;

	if (!r->kcache_on)
		return;
	if ((r->kcache_used + 1) * 2 > r->kcache_size) {
		struct kcache_ent *old = r->kcache;
		size_t n = r->kcache_size, size = n ? n * 2 : 65536;

		r->kcache = calloc(size, sizeof(*c));
		if (!r->kcache) {
			r->kcache = old;
			return;
		}
		r->kcache_size = size;
		r->kcache_used = 0;
		for (i = 0; i < n; i++)
			if (old[i].pfn)
				kcache_put(r, old[i].pfn, old[i].flags);
		free(old);
	}
	c = r->kcache;
	for (i = kcache_slot(r, pfn); c[i].pfn && c[i].pfn != pfn;
	     i = (i + 1) & (r->kcache_size - 1))
		;
	if (!c[i].pfn)
		r->kcache_used++;
	c[i].pfn = pfn;
	c[i].flags = flags;
}

/* Start (@on) or end a checkpoint's flag cache. */
void rec_kcache_reset(struct recorder *r, bool on)
{
	if (r->kcache_used)
		memset(r->kcache, 0,
		       r->kcache_size * sizeof(struct kcache_ent));
	r->kcache_used = 0;
	r->kcache_on = on;
	kpageflags_refresh();
	if (!on) {
		free(r->kcache);
		r->kcache = NULL;
		r->kcache_size = 0;
	}
}

static void kpageflags_batch(struct recorder *r, const uint64_t *pfn,
			     size_t n, uint64_t *flags)
{
	struct pfn_ref ref[256];
	static uint64_t buf[KPF_SPAN];
	size_t nr = 0, i, j, k, got;
	ssize_t len;

	for (i = 0; i < n; i++) {
		flags[i] = 0;
		if (pfn[i] && !(r->kcache_on && kcache_get(r, pfn[i],
							   &flags[i]))) {
			ref[nr].pfn = pfn[i];
			ref[nr].i = i;
			nr++;
		}
	}
	qsort(ref, nr, sizeof(*ref), cmp_pfn);
	for (i = 0; i < nr; i = j) {
		/* chain PFNs less than KPF_GAP apart, up to KPF_SPAN */
		for (j = i + 1; j < nr && ref[j].pfn - ref[j - 1].pfn <
		     KPF_GAP && ref[j].pfn - ref[i].pfn < KPF_SPAN; j++)
			;
		len = pread(r->kpageflags_fd, buf, (ref[j - 1].pfn -
			    ref[i].pfn + 1) * sizeof(*buf),
			    ref[i].pfn * sizeof(*buf));
		got = len > 0 ? (size_t)len / sizeof(*buf) : 0;
		for (k = i; k < j; k++) {
			if (ref[k].pfn - ref[i].pfn >= got)
				continue;
			flags[ref[k].i] =
				kpageflags_fix(buf[ref[k].pfn - ref[i].pfn]);
			kcache_put(r, ref[k].pfn, flags[ref[k].i]);
		}
	}
}

/*
 * Order of the folio holding @pfn.  Folios are naturally aligned in PFN
 * space, so the head and every tail of a folio up to PMD order lie in
 * the aligned PMD-sized block of pages around @pfn: one read of its
 * flags suffices.
 */
static unsigned int folio_order(struct recorder *r, uint64_t pfn,
				uint64_t flags)
{
	static uint64_t buf[MAX_BLOCK];
	uint64_t block = 1ULL << r->pmd_order;
	uint64_t base = pfn & ~(block - 1);
	size_t i, j, n, size;
	unsigned int order = 0;
	ssize_t got;

	if (!(flags & (KPF(KPF_COMPOUND_HEAD) | KPF(KPF_COMPOUND_TAIL))))
		return 0;
	got = pread(r->kpageflags_fd, buf, block * sizeof(*buf),
		    base * sizeof(*buf));
	if (got <= 0)
		return 0;
	n = (size_t)got / sizeof(*buf);
	i = pfn - base;
	if (i >= n)
		return 0;
	while (i > 0 && (buf[i] & KPF(KPF_COMPOUND_TAIL)))
		i--;
	if (!(buf[i] & KPF(KPF_COMPOUND_HEAD)))
		return r->pmd_order;	/* head below the block */
	for (j = i + 1, size = 1; j < n && (buf[j] & KPF(KPF_COMPOUND_TAIL));
	     j++)
		size++;
	while ((2UL << order) <= size)
		order++;
	return order;
}

#define CAT_FILE	(1 << 0)
#define CAT_ZERO	(1 << 1)
#define CAT_HUGE	(1 << 2)
#define CAT_KNOWN	(1 << 3)

/*
 * Without root: PAGEMAP_SCAN (Linux 6.7) still tells the zero page
 * (PAGE_IS_PFNZERO) and PMD-mapped THPs (PAGE_IS_HUGE) apart.  Fills
 * @cat for the @nr pages from @addr; false if the ioctl is missing.
 */
static bool scan_categories(struct recorder *r, int fd, uint64_t addr,
			    size_t nr, uint8_t *cat)
{
	uint64_t base = addr, end = addr + nr * r->page_size, va;
	struct page_region reg[32];
	struct pm_scan_arg a;
	long n, i;

	memset(cat, 0, nr);
	while (addr < end) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.start = addr;
		a.end = end;
		a.vec = (uintptr_t)reg;
		a.vec_len = sizeof(reg) / sizeof(reg[0]);
		a.category_mask = PAGE_IS_PRESENT;
		a.return_mask = PAGE_IS_FILE | PAGE_IS_PFNZERO | PAGE_IS_HUGE;
		n = ioctl(fd, PAGEMAP_SCAN, &a);
		if (n < 0)
			return false;
		for (i = 0; i < n; i++) {
			uint8_t c = CAT_KNOWN;

			if (reg[i].categories & PAGE_IS_FILE)
				c |= CAT_FILE;
			if (reg[i].categories & PAGE_IS_PFNZERO)
				c |= CAT_ZERO;
			if (reg[i].categories & PAGE_IS_HUGE)
				c |= CAT_HUGE;
			for (va = reg[i].start; va < reg[i].end;
			     va += r->page_size)
				cat[(va - base) / r->page_size] = c;
		}
		if (a.walk_end <= addr)
			break;
		addr = a.walk_end;
	}
	return true;
}

static void classify(struct recorder *r, uint64_t pm, uint8_t cat,
		     uint64_t kflags, struct page_state *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->pm = pm;
	ps->present = pm & PM_PRESENT;
	if (!ps->present) {
		/* pte_to_pagemap_entry(): type and offset for root only */
		ps->swapped = (pm & PM_SWAP) &&
			      !(pm & (PM_FILE | PM_GUARD_REGION));
		if (ps->swapped && r->has_pfns) {
			ps->swap_type = pm & ((1U << PM_SWP_TYPE_BITS) - 1);
			ps->pfn = (pm & PM_PFN_MASK) >> PM_SWP_TYPE_BITS;
		}
		return;
	}
	if (!r->has_pfns) {
		if (pm & PM_FILE)
			return;
		if (cat & CAT_KNOWN) {
			ps->zero = cat & CAT_ZERO;
			ps->anon = !ps->zero;
			ps->order = cat & CAT_HUGE ? r->pmd_order : 0;
			return;
		}
		/*
		 * Only the pagemap bits: a private page mapped once is
		 * taken for an anon folio; the zero page and a page shared
		 * after fork look alike (not exclusive).
		 */
		ps->anon = pm & PM_EXCLUSIVE;
		ps->zero = !ps->anon;
		return;
	}
	ps->pfn = pm & PM_PFN_MASK;
	ps->kflags = kflags;
	ps->zero = ps->kflags & KPF(KPF_ZERO_PAGE);
	ps->anon = !ps->zero && (ps->kflags & KPF(KPF_ANON));
	if (ps->anon || ps->zero)
		ps->order = folio_order(r, ps->pfn, ps->kflags);
	/*
	 * shrink_folio_list() dirties a folio in add_to_swap() and writes
	 * it back only once try_to_unmap() left it unmapped: a mapped,
	 * clean swap-cache folio came from do_swap_page().
	 */
	ps->swapin = ps->anon && (ps->kflags & KPF(KPF_SWAPCACHE)) &&
		     !(ps->kflags & KPF(KPF_DIRTY));
}

/*
 * Fill @ps for the @nr pages from @addr of the mm behind @pagemap_fd;
 * if @need is given, only the entries it marks are complete (kpageflags
 * is read for those alone).  Returns how many entries were read (0 if
 * the mm is gone).
 */
int rec_page_states(struct recorder *r, int pagemap_fd, uint64_t addr,
		    size_t nr, struct page_state *ps, const uint8_t *need)
{
	uint64_t pm[256], pfn[256], kflags[256];
	uint8_t cat[256];
	size_t done = 0, i, want, got;
	ssize_t n;

	if (pagemap_fd < 0)
		return 0;
	while (done < nr) {
		want = nr - done;
		if (want > 256)
			want = 256;
		n = pread(pagemap_fd, pm, want * sizeof(*pm),
			  (addr / r->page_size + done) * sizeof(*pm));
		if (n <= 0)
			break;
		got = (size_t)n / sizeof(*pm);
		memset(cat, 0, got);
		memset(kflags, 0, got * sizeof(*kflags));
		if (r->has_pfns) {
			/* a file or shmem page is not anon: no flags needed */
			for (i = 0; i < got; i++)
				pfn[i] = (pm[i] & (PM_PRESENT | PM_FILE)) ==
					 PM_PRESENT && (!need || need[done + i])
					 ? pm[i] & PM_PFN_MASK : 0;
			kpageflags_batch(r, pfn, got, kflags);
		} else if (!scan_categories(r, pagemap_fd,
			   addr + done * r->page_size, got, cat)) {
			memset(cat, 0, got);
		}
		for (i = 0; i < got; i++)
			classify(r, pm[i], cat[i], kflags[i], &ps[done + i]);
		done += got;
		if (got < want)
			break;
	}
	return (int)done;
}

/*
 * Call @fn for the runs of present pages in [start, end), found with the
 * PAGEMAP_SCAN ioctl so that huge sparse reservations cost nothing.  On a
 * kernel without it, @fn gets the whole range and checks each page.
 * Returns -1 if the mm is gone.
 */
static int scan_runs(struct recorder *r, int pagemap_fd, uint64_t start,
		     uint64_t end, uint64_t categories, rec_run_fn fn,
		     void *arg)
{
	struct page_region reg[64];
	struct pm_scan_arg a;
	long n, i;

	if (pagemap_fd < 0)
		return -1;
	while (start < end) {
		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.start = start;
		a.end = end;
		a.vec = (uintptr_t)reg;
		a.vec_len = sizeof(reg) / sizeof(reg[0]);
		a.category_anyof_mask = categories;
		a.return_mask = categories;
		n = ioctl(pagemap_fd, PAGEMAP_SCAN, &a);
		if (n < 0) {
			if (errno == ENOTTY || errno == EINVAL) {
				fn(r, arg, start, end);
				return 0;
			}
			return -1;
		}
		for (i = 0; i < n; i++)
			fn(r, arg, reg[i].start, reg[i].end);
		if (a.walk_end <= start)
			break;
		start = a.walk_end;
	}
	return 0;
}

int rec_present_runs(struct recorder *r, int pagemap_fd, uint64_t start,
		     uint64_t end, rec_run_fn fn, void *arg)
{
	return scan_runs(r, pagemap_fd, start, end, PAGE_IS_PRESENT, fn, arg);
}

struct pages_ctx {
	int fd;
	rec_page_fn fn;
	void *arg;
};

static void pages_run(struct recorder *r, void *arg, uint64_t start,
		      uint64_t end)
{
	struct pages_ctx *c = arg;
	struct page_state ps[256];
	uint64_t addr;
	int n, i;

	for (addr = start; addr < end; addr += (uint64_t)n * r->page_size) {
		size_t want = (end - addr) / r->page_size;

		if (want > 256)
			want = 256;
		n = rec_page_states(r, c->fd, addr, want, ps, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++)
			c->fn(r, c->arg, addr + (uint64_t)i * r->page_size,
			      &ps[i]);
	}
}

/*
 * Call @fn with the state of every present page in [start, end) of the
 * mm behind @pagemap_fd (on a kernel without PAGEMAP_SCAN, of every page).
 * Returns -1 if the mm is gone.
 */
int rec_present_pages(struct recorder *r, int pagemap_fd, uint64_t start,
		      uint64_t end, rec_page_fn fn, void *arg)
{
	struct pages_ctx c = { .fd = pagemap_fd, .fn = fn, .arg = arg };

	return rec_present_runs(r, pagemap_fd, start, end, pages_run, &c);
}

int rec_mapped_pages(struct recorder *r, int pagemap_fd, uint64_t start,
		     uint64_t end, rec_page_fn fn, void *arg)
{
	struct pages_ctx c = { .fd = pagemap_fd, .fn = fn, .arg = arg };

	return scan_runs(r, pagemap_fd, start, end, PAGE_IS_PRESENT |
			 PAGE_IS_SWAPPED, pages_run, &c);
}

/*
 * Emit faults for what is present in [start, end) of @task's mm and was
 * not there, or not that page, before the call (@task->before): pages the
 * kernel populated without a user fault (exec's stack and bss,
 * MAP_POPULATE, MAP_LOCKED, mlock, MADV_POPULATE_*), CoW copies the
 * populate made of pages shared after fork included.  One write fault per
 * anon folio, one read fault per zero-page mapping.
 */
struct present_ctx {
	struct rec_task *task;
	const struct rec_before *before;
	uint64_t time;
	uint64_t head_pfn, head_va, nr_folio;
};

static const struct rec_before_page *before_find(const struct rec_before *b,
						 uint64_t addr)
{
	size_t lo = 0, hi = b ? b->n : 0, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (b->pg[mid].addr == addr)
			return &b->pg[mid];
		if (b->pg[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The page is as it was before the call: no fault to emit. */
static bool unchanged(const struct present_ctx *c, uint64_t va,
		      const struct page_state *ps)
{
	const struct rec_before_page *b = before_find(c->before, va);

	return b && b->anon == ps->anon && b->pfn == ps->pfn;
}

static void emit_page(struct recorder *r, void *arg, uint64_t va,
		      const struct page_state *ps)
{
	struct present_ctx *c = arg;
	struct trace_event *ev;

	if (!ps->anon && !ps->zero)
		return;
	/* a later page of a large folio mapped in one go */
	if (c->nr_folio && va - c->head_va < c->nr_folio * r->page_size &&
	    ps->pfn - c->head_pfn == (va - c->head_va) / r->page_size)
		return;
	c->nr_folio = 0;
	if (unchanged(c, va, ps))
		return;
	ev = rec_emit(r, EV_FAULT, c->task->label, c->time);
	ev->addr = va;
	ev->write = ps->anon;
	ev->order = ps->order;
	if (ps->anon)
		rec_seen_folio(r, c->task->mm, va, ps->order);
	if (ps->order) {
		c->nr_folio = 1ULL << ps->order;
		c->head_pfn = ps->pfn & ~(c->nr_folio - 1);
		c->head_va = va - (ps->pfn - c->head_pfn) * r->page_size;
	}
	r->nr_faults++;
}

void rec_emit_present(struct recorder *r, struct rec_task *task,
		      uint64_t start, uint64_t end, uint64_t time)
{
	struct present_ctx c = { .task = task, .time = time };

	if (!task->mm || end <= start)
		return;
	rec_present_pages(r, task->mm->pagemap_fd, start, end, emit_page,
			  &c);
}

/* As rec_emit_present(), leaving out the pages as they were before. */
void rec_emit_changed(struct recorder *r, struct rec_task *task,
		      uint64_t start, uint64_t end, uint64_t time)
{
	struct present_ctx c = { .task = task, .time = time,
				 .before = &task->before };

	if (!task->mm || end <= start)
		return;
	rec_present_pages(r, task->mm->pagemap_fd, start, end, emit_page,
			  &c);
}

static void collect_page(struct recorder *r, void *arg, uint64_t va,
			 const struct page_state *ps)
{
	struct rec_before *b = arg;
	void *p;

	if (!ps->anon && !ps->zero)
		return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;

		p = realloc(b->pg, cap * sizeof(*b->pg));
		if (!p)
			return;
		b->pg = p;
		b->cap = cap;
	}
	b->pg[b->n].addr = va;
	b->pg[b->n].pfn = ps->pfn;
	b->pg[b->n].anon = ps->anon;
	b->n++;
}

/*
 * Remember the anon and zero pages of [start, end) before a populating
 * call, in address order (calls for increasing ranges append in order).
 */
int rec_before_collect(struct recorder *r, struct rec_task *task,
		       uint64_t start, uint64_t end)
{
	if (!task->mm || end <= start)
		return 0;
	return rec_present_pages(r, task->mm->pagemap_fd, start, end,
				 collect_page, &task->before);
}

void rec_before_free(struct rec_before *b)
{
	free(b->pg);
	memset(b, 0, sizeof(*b));
}

static void seen_page(struct recorder *r, void *arg, uint64_t va,
		      const struct page_state *ps)
{
	struct rec_mm *mm = arg;

	if (ps->anon || ps->swapped)
		rec_pageset_add(&mm->seen, va);
}

/*
 * The anon pages (and swap entries) now in [start, end) of @mm came there
 * in the trace.
 */
void rec_seen_range(struct recorder *r, struct rec_mm *mm, uint64_t start,
		    uint64_t end)
{
	if (mm && end > start)
		rec_mapped_pages(r, mm->pagemap_fd, start, end, seen_page,
				 mm);
}
