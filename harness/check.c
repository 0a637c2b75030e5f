// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cross-scheme checker; see check.h.
 *
 * Every scheme replays the trace in its own world, all worlds one event
 * apart at most, so that "the same moment" is the same event index for
 * all of them.  Mapping sets are compared across worlds by what a user
 * can see, PID:ADDR, never by pointers: a page is named by the smallest
 * PID:ADDR that maps it (its "leader"), which is the same in every world
 * that maps it the same way.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/oracle.h"
#include "core/pgtable.h"
#include "harness/check.h"
#include "harness/output.h"
#include "harness/replay.h"

static const char *const kind_names[CHECK_NR] = {
	[CHECK_OK] = "ok",
	[CHECK_MISS] = "miss",
	[CHECK_EXTRA] = "extra",
	[CHECK_MAPCOUNT] = "mapcount",
	[CHECK_PAE] = "pae",
	[CHECK_FOLIO] = "folio",
	[CHECK_INVARIANT] = "invariant",
	[CHECK_CROSS] = "cross",
	[CHECK_DIVERGENCE] = "divergence",
	[CHECK_KERNEL_MAPS] = "kernel-maps",
	[CHECK_KERNEL_SHARING] = "kernel-sharing",
	[CHECK_OBJECTS] = "objects",
	[CHECK_RMAP_USER] = "rmap-user",
	[CHECK_SWAP] = "swap",
	[CHECK_FOLIO_ORDER] = "folio-order",
	[CHECK_LAYOUT] = "layout",
};

const char *check_kind_name(enum check_kind kind)
{
	return kind < CHECK_NR ? kind_names[kind] : "?";
}

bool check_kind_is_kernel(enum check_kind kind)
{
	return kind == CHECK_DIVERGENCE || kind == CHECK_KERNEL_MAPS ||
	       kind == CHECK_KERNEL_SHARING || kind == CHECK_OBJECTS ||
	       kind == CHECK_FOLIO_ORDER;
}

/* One mapping of a page, and the page's leader (see the top comment). */
struct share {
	long pid;
	unsigned long addr;
	long lpid;
	unsigned long laddr;
};

struct shares {
	struct share *v;
	size_t nr, cap;
};

static void shares_push(struct shares *s, long pid, unsigned long addr)
{
	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (!s->v)
			abort();
	}
	s->v[s->nr].pid = pid;
	s->v[s->nr].addr = addr;
	s->v[s->nr].lpid = pid;
	s->v[s->nr].laddr = addr;
	s->nr++;
}

static int share_cmp(const void *pa, const void *pb)
{
	const struct share *a = pa, *b = pb;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return 0;
}

/* Give entries [from, to) of @s, one page's mappings, their leader. */
static void shares_lead(struct shares *s, size_t from, size_t to)
{
	size_t i, min = from;

	for (i = from + 1; i < to; i++)
		if (share_cmp(&s->v[i], &s->v[min]) < 0)
			min = i;
	for (i = from; i < to; i++) {
		s->v[i].lpid = s->v[min].pid;
		s->v[i].laddr = s->v[min].addr;
	}
}

/* Per scheme: its replay and the scratch of a verification point. */
struct sch {
	struct replay r;
	bool live;
	bool reference;			/* the oracle world, not reported */
	unsigned int caps;		/* the scheme's SCHEME_* */
	struct check_scheme_result *res;
	struct rmap_hits walk, oracle;

	/* the live folios by pfn, and where each one's pages start */
	struct folio **fv;
	size_t *base;
	size_t nr_fv, cap_fv, nr_pages;
	/* sort scratch */
	size_t *cnt, *key;
	size_t cap_cnt, cap_key;
	struct rmap_hits tmp;
};

struct checker {
	const struct trace *t;
	const struct check_opts *o;
	struct check_result *res;
	struct sch *s;
	size_t nr;
	struct sch *ref;		/* the oracle world, or NULL */
	struct check_scheme_result ref_res;
	size_t idx;			/* last event applied */
	bool applied;			/* any event applied yet */
	bool stop;
};

/* snprintf() for messages that may be cut short. */
static void msgf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void msgf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* "FILE:LINE (`1 fault 0x100000000 w`)" for the last event applied. */
static void where(const struct checker *c, char *buf, size_t len)
{
	const struct trace_event *ev;
	char *text = NULL, loc[300];
	size_t n = 0;
	FILE *f;

	if (!c->applied || c->idx >= c->t->nr_ev) {
		snprintf(buf, len, "%s: start of trace", c->t->path);
		return;
	}
	ev = &c->t->ev[c->idx];
	trace_where(c->t, ev, loc, sizeof(loc));
	if (ev->type == EV_CHECKPOINT) {
		msgf(buf, len, "%s (checkpoint %s)", loc,
		     ev->cp < c->t->nr_cps ? c->t->cps[ev->cp].reason : "?");
		return;
	}
	f = open_memstream(&text, &n);
	if (!f)
		abort();
	trace_write_event_text(f, c->t, ev);
	fclose(f);
	if (n && text[n - 1] == '\n')
		text[n - 1] = '\0';
	msgf(buf, len, "%s (`%s`)", loc, text);
	free(text);
}

/*
 * How a finding of @kind counts for @s.  The model's own consistency is
 * always judged.  A difference from the kernel after the trace used a
 * feature the model lacks is not.  A scheme that may change the layout by
 * design has its layout and results differing from the kernel's reported
 * as design findings, and so has whatever follows one (its sharing, its
 * mapping sets against the oracle's).
 */
static enum check_class judge(const struct checker *c, const struct sch *s,
			      enum check_kind kind)
{
	bool kernel = check_kind_is_kernel(kind);

	if (kernel && c->res->unsupported &&
	    c->res->first_unsupported <= c->idx)
		return CHECK_UNJUDGED;
	if (!(s->caps & SCHEME_LAYOUT_BY_DESIGN) ||
	    (!kernel && kind != CHECK_CROSS && kind != CHECK_LAYOUT))
		return CHECK_FAILURE;
	if (kind == CHECK_DIVERGENCE || kind == CHECK_KERNEL_MAPS ||
	    kind == CHECK_LAYOUT)
		return CHECK_DESIGN;
	return s->res->first_design.kind != CHECK_OK ? CHECK_DESIGN :
	       CHECK_FAILURE;
}

/*
 * Count a finding of @kind against @s; true when its description is
 * wanted (one of the first few, or someone asked for every finding).
 */
static bool count(struct checker *c, struct sch *s, enum check_kind kind,
		  enum check_class *cls)
{
	struct check_scheme_result *r = s->res;

	*cls = judge(c, s, kind);
	switch (*cls) {
	case CHECK_FAILURE:
		r->mismatches++;
		r->failures[kind]++;
		return c->o->want || r->nr_shown < CHECK_SHOWN ||
		       c->res->first.kind == CHECK_OK;
	case CHECK_DESIGN:
		r->design[kind]++;
		return c->o->want || r->first_design.kind == CHECK_OK;
	default:
		r->unjudged++;
		return c->o->want != NULL;
	}
}

/* Keep the description of a counted finding. */
static void record(struct checker *c, struct sch *s, enum check_kind kind,
		   enum check_class cls, const char *other, long pid,
		   unsigned long start, unsigned long end, const char *msg)
{
	struct check_scheme_result *r = s->res;
	struct check_finding f;
	char at[300];

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.cls = cls;
	snprintf(f.scheme, sizeof(f.scheme), "%s", r->name);
	snprintf(f.other, sizeof(f.other), "%s", other ? other : "");
	f.event = c->idx;
	f.pid = pid;
	f.start = start;
	f.end = end;
	where(c, at, sizeof(at));
	msgf(f.what, sizeof(f.what), "%s: %s", at, msg);
	if (cls == CHECK_FAILURE) {
		if (r->nr_shown < CHECK_SHOWN)
			r->shown[r->nr_shown++] = f;
		if (r->first.kind == CHECK_OK)
			r->first = f;
		if (c->res->first.kind == CHECK_OK)
			c->res->first = f;
	} else if (cls == CHECK_DESIGN && r->first_design.kind == CHECK_OK) {
		r->first_design = f;
	}
	if (c->o->want && c->o->want(&f, c->o->want_arg)) {
		c->res->matched = true;
		c->stop = true;
	}
}

static void found_at(struct checker *c, struct sch *s, enum check_kind kind,
		     const char *other, long pid, unsigned long start,
		     unsigned long end, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

/* A finding about process @pid's range [@start, @end). */
static void found_at(struct checker *c, struct sch *s, enum check_kind kind,
		     const char *other, long pid, unsigned long start,
		     unsigned long end, const char *fmt, ...)
{
	enum check_class cls;
	char msg[700];
	va_list ap;

	if (s->reference || !count(c, s, kind, &cls))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	record(c, s, kind, cls, other, pid, start, end, msg);
}

#define found(c, s, kind, other, ...) \
	found_at(c, s, kind, other, -1, 0, 0, __VA_ARGS__)

/* ---- walks against the page tables ---------------------------------- */

/* The hits of page @idx of the folio at @pfn in sorted @h: [*from, *to). */
static void page_hits(const struct rmap_hits *h, unsigned long pfn,
		      unsigned int idx, size_t *from, size_t *to)
{
	size_t lo = 0, hi = h->nr;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct rmap_hit *x = &h->v[mid];

		if (x->folio->pfn < pfn ||
		    (x->folio->pfn == pfn && x->idx < idx))
			lo = mid + 1;
		else
			hi = mid;
	}
	*from = lo;
	while (lo < h->nr && h->v[lo].folio->pfn == pfn &&
	       h->v[lo].idx == idx)
		lo++;
	*to = lo;
}

/* "1:0x100000000 2:0x100000000" for the hits of one page of a folio. */
static void page_mappings(const struct rmap_hits *h, unsigned long pfn,
			  unsigned int idx, char *buf, size_t len)
{
	size_t from, to, n = 0, i;

	page_hits(h, pfn, idx, &from, &to);
	buf[0] = '\0';
	for (i = from; i < to && n + 1 < len; i++)
		n += snprintf(buf + n, len - n, "%s%ld:0x%lx", n ? " " : "",
			      mm_pid(h->v[i].mm), h->v[i].addr);
	if (!buf[0])
		snprintf(buf, len, "nothing");
}

static void report_hit(struct checker *c, struct sch *s, enum check_kind kind,
		       const struct rmap_hit *hit)
{
	char pt[200], wk[200], msg[700];
	enum check_class cls;

	/* Counted always; described only when someone will read it. */
	if (!count(c, s, kind, &cls))
		return;
	page_mappings(&s->oracle, hit->folio->pfn, hit->idx, pt, sizeof(pt));
	page_mappings(&s->walk, hit->folio->pfn, hit->idx, wk, sizeof(wk));
	msgf(msg, sizeof(msg),
	     "%s %s mapping %ld:0x%lx of folio pfn 0x%lx page %u "
	     "(order %u); the page tables map the page at %s, the walk "
	     "found %s", s->res->name,
	     kind == CHECK_MISS ? "missed" : "reported the extra",
	     mm_pid(hit->mm), hit->addr, hit->folio->pfn, hit->idx,
	     hit->folio->order, pt, wk);
	record(c, s, kind, cls, NULL, mm_pid(hit->mm), hit->addr,
	       hit->addr + page_size(hit->mm), msg);
}

static void compare_hits(struct checker *c, struct sch *s)
{
	const struct rmap_hits *w = &s->walk, *o = &s->oracle;
	size_t i = 0, j = 0;
	int d;

	while (i < w->nr || j < o->nr) {
		if (i == w->nr)
			d = 1;
		else if (j == o->nr)
			d = -1;
		else
			d = rmap_hit_cmp(&w->v[i], &o->v[j]);
		if (!d) {
			i++;
			j++;
		} else if (d < 0) {
			report_hit(c, s, CHECK_EXTRA, &w->v[i++]);
		} else {
			report_hit(c, s, CHECK_MISS, &o->v[j++]);
		}
	}
}

static void *grow(void *p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return p;
	*cap = want > 2 * *cap ? want : 2 * *cap;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

static int folio_pfn_cmp(const void *pa, const void *pb)
{
	const struct folio *a = *(const struct folio *const *)pa;
	const struct folio *b = *(const struct folio *const *)pb;

	return a->pfn < b->pfn ? -1 : a->pfn > b->pfn;
}

/* s->fv: the world's folios by pfn; s->base: first sort key of each. */
static void index_folios(struct sch *s)
{
	struct world *w = s->r.w;
	struct folio *folio;
	size_t i, n = 0;

	s->fv = grow(s->fv, &s->cap_fv, w->nr_folios + 1, sizeof(*s->fv));
	list_for_each_entry(folio, &w->folios, lru) {
		if (n == w->nr_folios)
			break;
		s->fv[n++] = folio;
	}
	qsort(s->fv, n, sizeof(*s->fv), folio_pfn_cmp);
	s->nr_fv = n;
	s->base = realloc(s->base, (n + 1) * sizeof(*s->base));
	if (!s->base)
		abort();
	s->nr_pages = 0;
	for (i = 0; i < n; i++) {
		s->base[i] = s->nr_pages;
		s->nr_pages += folio_nr_pages(s->fv[i]);
	}
	s->base[n] = s->nr_pages;
}

/* Index of @folio in s->fv, or -1 when it is not a live folio. */
static long folio_slot(const struct sch *s, const struct folio *folio)
{
	size_t lo = 0, hi = s->nr_fv;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->fv[mid]->pfn < folio->pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->nr_fv && s->fv[lo] == folio ? (long)lo : -1;
}

static bool hit_after(const struct rmap_hit *a, const struct rmap_hit *b)
{
	if (a->mm->id != b->mm->id)
		return a->mm->id > b->mm->id;
	return a->addr > b->addr;
}

static int hit_mm_addr_cmp(const void *pa, const void *pb)
{
	const struct rmap_hit *a = pa, *b = pb;

	return hit_after(a, b) - hit_after(b, a);
}

/* Insertion sort for the usual handful, qsort for a widely shared page. */
static void sort_bucket(struct rmap_hit *v, size_t n)
{
	size_t i, j;

	if (n > 16) {
		qsort(v, n, sizeof(*v), hit_mm_addr_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		struct rmap_hit x = v[i];

		for (j = i; j > 0 && hit_after(&v[j - 1], &x); j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/*
 * Sort @h by (pfn, page, mm, addr) and drop duplicates, as
 * rmap_hits_sort() does, but by counting: the key (folio, page) takes
 * few values and each holds a handful of mappings, and verification
 * points come after every event.  A hit on a folio that is not live is
 * reported and dropped.
 */
static void sort_hits(struct checker *c, struct sch *s, struct rmap_hits *h,
		      const char *who)
{
	size_t i, j, k, n = h->nr, K = s->nr_pages;
	struct rmap_hit *v;

	s->cnt = grow(s->cnt, &s->cap_cnt, K + 2, sizeof(*s->cnt));
	s->key = grow(s->key, &s->cap_key, n + 1, sizeof(*s->key));
	memset(s->cnt, 0, (K + 2) * sizeof(*s->cnt));
	for (i = 0; i < n; i++) {
		long slot = folio_slot(s, h->v[i].folio);

		if (slot < 0) {
			found(c, s, CHECK_FOLIO, NULL, "%s %ld:0x%lx maps a "
			      "folio that is not on the folio list", who,
			      mm_pid(h->v[i].mm), h->v[i].addr);
			s->key[i] = K;
			continue;
		}
		s->key[i] = s->base[slot] + h->v[i].idx;
		s->cnt[s->key[i] + 1]++;
	}
	for (k = 1; k <= K; k++)
		s->cnt[k] += s->cnt[k - 1];
	if (s->tmp.cap < n + 1) {
		s->tmp.cap = n + 1;
		s->tmp.v = realloc(s->tmp.v, s->tmp.cap * sizeof(*s->tmp.v));
		if (!s->tmp.v)
			abort();
	}
	v = s->tmp.v;
	for (i = 0, k = 0; i < n; i++)
		if (s->key[i] < K) {
			v[s->cnt[s->key[i]]++] = h->v[i];
			k++;
		}
	n = k;
	/* each (folio, page) bucket sorted, then unique */
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].folio == v[i].folio &&
			    v[j].idx == v[i].idx; j++)
			;
		sort_bucket(v + i, j - i);
	}
	for (i = 0, k = 0; i < n; i++)
		if (!k || v[k - 1].folio != v[i].folio ||
		    v[k - 1].idx != v[i].idx || v[k - 1].mm != v[i].mm ||
		    v[k - 1].addr != v[i].addr)
			v[k++] = v[i];
	if (k)
		memcpy(h->v, v, k * sizeof(*v));
	h->nr = k;
}

/*
 * §5 items 4 and 5 from the page tables' side: every page's mapcount
 * (PTE mappings, plus the folio's PMD mappings) equals the PTEs that map
 * it, an exclusive page is mapped at most once, and every listed folio
 * holds one reference per mapping.  @s->oracle is sorted.
 */
static void check_folios(struct checker *c, struct sch *s)
{
	const struct rmap_hits *o = &s->oracle;
	struct folio *folio;
	size_t i, k = 0;
	unsigned long p;

	for (i = 0; i < s->nr_fv; i++) {
		long total;

		folio = s->fv[i];
		total = folio->entire_mapcount;
		for (p = 0; p < folio_nr_pages(folio); p++) {
			long want = folio->pages[p].mapcount +
				    folio->entire_mapcount;
			long n = 0;
			char pt[200];

			total += folio->pages[p].mapcount;
			while (k < o->nr && o->v[k].folio == folio &&
			       o->v[k].idx == p) {
				n++;
				k++;
			}
			if (n == want && !(folio->pages[p].anon_exclusive &&
					   n > 1))
				continue;
			page_mappings(o, folio->pfn, p, pt, sizeof(pt));
			if (n != want)
				found(c, s, CHECK_MAPCOUNT, NULL, "folio pfn "
				      "0x%lx page %lu has mapcount %d "
				      "(+%d PMD) but %ld PTEs map it: %s",
				      folio->pfn, p,
				      folio->pages[p].mapcount,
				      folio->entire_mapcount, n, pt);
			else
				found(c, s, CHECK_PAE, NULL, "folio pfn 0x%lx "
				      "page %lu is PageAnonExclusive but "
				      "mapped %ld times: %s", folio->pfn, p, n,
				      pt);
		}
		/* The swap cache keeps a folio nothing maps. */
		if (folio->refcount != total ||
		    (folio->refcount <= 0 && !folio->swap))
			found(c, s, CHECK_FOLIO, NULL, "folio pfn 0x%lx holds "
			      "%d references for %ld mappings", folio->pfn,
			      folio->refcount, total);
	}
}

/* ---- mapping sets in the world-independent form --------------------- */

static bool pid_in(const long *pids, size_t n, long pid)
{
	size_t i;

	if (!pids)
		return true;
	for (i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* @h sorted by page; only processes in @pids (all when NULL). */
static void shares_from_hits(struct shares *out, const struct rmap_hits *h,
			     const long *pids, size_t npids)
{
	size_t i, j, from;

	out->nr = 0;
	for (i = 0; i < h->nr; i = j) {
		from = out->nr;
		for (j = i; j < h->nr && h->v[j].folio == h->v[i].folio &&
			    h->v[j].idx == h->v[i].idx; j++) {
			long pid = mm_pid(h->v[j].mm);

			if (pid_in(pids, npids, pid))
				shares_push(out, pid, h->v[j].addr);
		}
		if (out->nr > from)
			shares_lead(out, from, out->nr);
	}
	if (out->nr)
		qsort(out->v, out->nr, sizeof(*out->v), share_cmp);
}

struct cp_ent {
	uint64_t pfn;
	long pid;
	unsigned long addr;
};

static int cp_ent_cmp(const void *pa, const void *pb)
{
	const struct cp_ent *a = pa, *b = pb;

	if (a->pfn != b->pfn)
		return a->pfn < b->pfn ? -1 : 1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->addr < b->addr ? -1 : a->addr > b->addr;
}

static void shares_from_ents(struct shares *out, struct cp_ent *e, size_t n);

/*
 * The kernel's sets: anon pages that share a PFN share a page; with
 * @swap, swap entries that share a type and offset share a slot.
 */
static void shares_from_cp(struct shares *out,
			   const struct trace_checkpoint *cp, bool swap)
{
	struct cp_ent *e;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < cp->nr_procs; i++)
		cap += cp->procs[i].nr_pages;
	e = calloc(cap + 1, sizeof(*e));
	if (!e)
		abort();
	for (i = 0; i < cp->nr_procs; i++)
		for (j = 0; j < cp->procs[i].nr_pages; j++) {
			const struct cp_page *pg = &cp->procs[i].pages[j];

			if (swap ? !pg->swap : !pg->anon)
				continue;
			e[n].pfn = swap ? cp_swap_slot(pg) : pg->pfn;
			e[n].pid = cp->procs[i].pid;
			e[n].addr = pg->addr;
			n++;
		}
	shares_from_ents(out, e, n);
	free(e);
}

/* The model's swap entries of the processes in @pids, by slot. */
static void shares_from_swap(struct shares *out, struct world *w,
			     const long *pids, size_t npids)
{
	struct cp_ent *e = NULL;
	size_t n = 0, cap = 0;
	struct mm_struct *mm;
	unsigned long addr;
	struct pte *pte;

	list_for_each_entry(mm, &w->mms, mmlist) {
		if (!pid_in(pids, npids, mm_pid(mm)))
			continue;
		for_each_pte_entry(mm, pte, addr, 0, ~0UL) {
			if (is_swap_pte(pte)) {
				if (n == cap) {
					cap = cap ? 2 * cap : 64;
					e = realloc(e, cap * sizeof(*e));
					if (!e)
						abort();
				}
				e[n].pfn = swp_offset(pte);
				e[n].pid = mm_pid(mm);
				e[n].addr = addr;
				n++;
			}
			if (addr + page_size(mm) < addr)
				break;
		}
	}
	shares_from_ents(out, e, n);
	free(e);
}

static void shares_from_ents(struct shares *out, struct cp_ent *e, size_t n)
{
	size_t i, k, from;

	if (n)
		qsort(e, n, sizeof(*e), cp_ent_cmp);
	out->nr = 0;
	for (i = 0; i < n; i = k) {
		from = out->nr;
		for (k = i; k < n && e[k].pfn == e[i].pfn; k++)
			shares_push(out, e[k].pid, e[k].addr);
		shares_lead(out, from, out->nr);
	}
	if (out->nr)
		qsort(out->v, out->nr, sizeof(*out->v), share_cmp);
}

/*
 * "in a page mapped by {1:0x1000 2:0x1000}" (@x's page in @s), "unmapped";
 * with @slot, "in a swap slot named by {...}", "not swapped".
 */
static void share_group(const struct shares *s, const struct share *x,
			bool slot, char *buf, size_t len)
{
	const struct share key = { .pid = x->pid, .addr = x->addr };
	const struct share *me;
	size_t i, n;

	me = bsearch(&key, s->v, s->nr, sizeof(*s->v), share_cmp);
	if (!me) {
		snprintf(buf, len, slot ? "not swapped" : "unmapped");
		return;
	}
	n = snprintf(buf, len, slot ? "in a swap slot named by {" :
		     "in a page mapped by {");
	for (i = 0; i < s->nr && n + 1 < len; i++)
		if (s->v[i].lpid == me->lpid && s->v[i].laddr == me->laddr)
			n += snprintf(buf + n, len - n, "%s%ld:0x%lx",
				      buf[n - 1] == '{' ? "" : " ",
				      s->v[i].pid, s->v[i].addr);
	if (n + 1 < len)
		snprintf(buf + n, len - n, "}");
}

/*
 * First difference of two mapping sets: the PID:ADDR it concerns, or
 * false when they are equal.
 */
static bool shares_diff(const struct shares *a, const struct shares *b,
			struct share *at)
{
	size_t i = 0, j = 0;
	int d;

	while (i < a->nr || j < b->nr) {
		if (i == a->nr)
			d = 1;
		else if (j == b->nr)
			d = -1;
		else
			d = share_cmp(&a->v[i], &b->v[j]);
		if (d < 0) {
			*at = a->v[i];
			return true;
		}
		if (d > 0) {
			*at = b->v[j];
			return true;
		}
		if (a->v[i].lpid != b->v[j].lpid ||
		    a->v[i].laddr != b->v[j].laddr) {
			*at = a->v[i];
			return true;
		}
		i++;
		j++;
	}
	return false;
}

/*
 * Folios are allocated in the same order in every world that did the
 * same thing, so equal worlds have equal sorted hits, pfn for pfn: the
 * cheap test before the world-independent comparison.
 */
static bool same_hits(const struct rmap_hits *a, const struct rmap_hits *b)
{
	size_t i;

	if (a->nr != b->nr)
		return false;
	for (i = 0; i < a->nr; i++)
		if (a->v[i].folio->pfn != b->v[i].folio->pfn ||
		    a->v[i].idx != b->v[i].idx ||
		    a->v[i].addr != b->v[i].addr ||
		    mm_pid(a->v[i].mm) != mm_pid(b->v[i].mm))
			return false;
	return true;
}

/*
 * Where @pid:@addr is in world @w as @h (sorted) sees it: the leader of
 * its page's mappings, and those mappings as text; false when @h does not
 * hold the mapping.
 */
static bool leader_in(struct world *w, const struct rmap_hits *h, long pid,
		      unsigned long addr, struct share *lead, char *buf,
		      size_t len)
{
	struct task *t = task_find(w, pid);
	struct pte *pte = t ? pte_lookup(t->mm, addr) : NULL;
	char maps[260];
	size_t from, to, i;
	bool me = false;

	snprintf(buf, len, "unmapped");
	if (!pte || !pte->folio)
		return false;
	page_hits(h, pte->folio->pfn, pte->idx, &from, &to);
	lead->pid = LONG_MAX;
	for (i = from; i < to; i++) {
		struct share x = { .pid = mm_pid(h->v[i].mm),
				   .addr = h->v[i].addr };

		me |= x.pid == pid && x.addr == addr;
		if (share_cmp(&x, lead) < 0)
			*lead = x;
	}
	if (me) {
		page_mappings(h, pte->folio->pfn, pte->idx, maps,
			      sizeof(maps));
		snprintf(buf, len, "in a page mapped by {%s}", maps);
	}
	return me;
}

/* Does @pid:@addr have the same page-mates in @s's walks as the oracle? */
static bool cross_entry(struct checker *c, struct sch *s, long pid,
			unsigned long addr, char *ga, char *gb, size_t len)
{
	struct share la, lb;
	bool a = leader_in(c->ref->r.w, &c->ref->oracle, pid, addr, &la, ga,
			   len);
	bool b = leader_in(s->r.w, &s->walk, pid, addr, &lb, gb, len);

	return a == b && (!a || !share_cmp(&la, &lb));
}

/*
 * Every scheme's verified walks against the oracle world's page tables:
 * a disagreement names the scheme, whichever others run beside it.  Both
 * lists are sorted by page; pages whose lists differ are compared the
 * world-independent way, by who shares a page with whom, so that worlds
 * that allocated their folios differently are not told apart for that.
 */
static void check_cross(struct checker *c)
{
	const struct rmap_hits *o = &c->ref->oracle;
	char ga[300], gb[300], msg[700];
	size_t i;

	for (i = 0; i < c->nr; i++) {
		struct sch *s = &c->s[i];
		const struct rmap_hits *w = &s->walk;
		size_t a = 0, b = 0, a2, b2, k;
		enum check_class cls;
		const struct rmap_hit *x = NULL;

		if (!s->live || same_hits(o, w))
			continue;
		while ((a < o->nr || b < w->nr) && !x) {
			const struct rmap_hit *p;
			bool same;

			/* the next page of either list, and both its groups */
			p = b == w->nr || (a < o->nr &&
					   rmap_hit_cmp(&o->v[a], &w->v[b]) < 0)
			    ? &o->v[a] : &w->v[b];
			for (a2 = a; a2 < o->nr && o->v[a2].folio->pfn ==
				     p->folio->pfn && o->v[a2].idx == p->idx;
			     a2++)
				;
			for (b2 = b; b2 < w->nr && w->v[b2].folio->pfn ==
				     p->folio->pfn && w->v[b2].idx == p->idx;
			     b2++)
				;
			same = a2 - a == b2 - b;
			for (k = 0; same && k < a2 - a; k++)
				same = o->v[a + k].addr == w->v[b + k].addr &&
				       mm_pid(o->v[a + k].mm) ==
				       mm_pid(w->v[b + k].mm);
			for (k = a; !same && k < a2 && !x; k++)
				if (!cross_entry(c, s, mm_pid(o->v[k].mm),
						 o->v[k].addr, ga, gb,
						 sizeof(ga)))
					x = &o->v[k];
			for (k = b; !same && k < b2 && !x; k++)
				if (!cross_entry(c, s, mm_pid(w->v[k].mm),
						 w->v[k].addr, ga, gb,
						 sizeof(ga)))
					x = &w->v[k];
			a = a2;
			b = b2;
		}
		if (!x || !count(c, s, CHECK_CROSS, &cls))
			continue;
		msgf(msg, sizeof(msg), "%s disagrees with the oracle on "
		     "%ld:0x%lx: the oracle has it %s, %s has it %s",
		     s->res->name, mm_pid(x->mm), x->addr, ga, s->res->name,
		     gb);
		record(c, s, CHECK_CROSS, cls, ORACLE_SPEC, mm_pid(x->mm),
		       x->addr, x->addr + c->t->hdr.page_size, msg);
	}
}

/* ---- kernel checkpoints --------------------------------------------- */

/*
 * Mappings the kernel makes without an mm syscall (exec's vDSO, the
 * vsyscall page): a recorder may or may not have written an event for
 * them, so the model is compared with them only where it has them.
 */
static bool special_vma(const struct cp_vma *v)
{
	static const char *const names[] = {
		"[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]", "[uprobes]",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(v->name, names[i]))
			return true;
	return false;
}

struct model_vma {
	long pid;
	unsigned long start, end;
	char line[80];			/* "start-end perms offset" */
};

/* classic's layout as `run --maps` prints it, first four fields. */
static struct model_vma *model_maps(struct world *w, size_t *nr)
{
	struct model_vma *v = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *buf = NULL, *line, *save = NULL;
	long pid = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	print_maps(f, w, false);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char range[40], perms[8], off[24];

		if (sscanf(line, "== %ld", &pid) == 1)
			continue;
		if (sscanf(line, "%39s %7s %23s", range, perms, off) != 3)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		v[n].pid = pid;
		if (sscanf(range, "%lx-%lx", &v[n].start, &v[n].end) != 2)
			v[n].start = v[n].end = 0;
		snprintf(v[n].line, sizeof(v[n].line), "%s %s %s", range,
			 perms, off);
		n++;
	}
	free(buf);
	*nr = n;
	return v;
}

/* The range two first-differing VMA lines cover together. */
static void differ_range(const struct model_vma *m, const struct cp_vma *k,
			 unsigned long *start, unsigned long *end)
{
	*start = ~0UL;
	*end = 0;
	if (m && m->end) {
		*start = m->start;
		*end = m->end;
	}
	if (k) {
		if (k->start < *start)
			*start = k->start;
		if (k->end > *end)
			*end = k->end;
	}
	if (*start >= *end) {
		*start = 0;
		*end = ~0UL;
	}
}

static void check_kernel_maps(struct checker *c, struct sch *s,
			      const struct trace_checkpoint *cp)
{
	unsigned long start, end;
	struct model_vma *mv;
	size_t nm, i, j, k;

	mv = model_maps(s->r.w, &nm);
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];
		bool alive = task_find(s->r.w, p->pid) != NULL;

		k = 0;
		for (j = 0; j <= p->nr_vmas; j++) {
			char kl[80] = "";

			if (j < p->nr_vmas) {
				const struct cp_vma *v = &p->vmas[j];

				snprintf(kl, sizeof(kl), "%08llx-%08llx %s "
					 "%08llx",
					 (unsigned long long)v->start,
					 (unsigned long long)v->end, v->perms,
					 (unsigned long long)v->offset);
			}
			while (k < nm && mv[k].pid != p->pid)
				k++;
			if (!alive && j < p->nr_vmas) {
				found_at(c, s, CHECK_KERNEL_MAPS, NULL, p->pid,
				      0, ~0UL, "the "
				      "kernel has process %ld (%s), %s has no "
				      "live process %ld", (long)p->pid, kl,
				      s->res->name, (long)p->pid);
				break;
			}
			if (k == nm && !kl[0])
				break;
			if (k < nm && kl[0] && !strcmp(mv[k].line, kl)) {
				k++;
				continue;
			}
			if (j < p->nr_vmas && special_vma(&p->vmas[j]))
				continue;
			differ_range(k < nm ? &mv[k] : NULL,
				     j < p->nr_vmas ? &p->vmas[j] : NULL,
				     &start, &end);
			found_at(c, s, CHECK_KERNEL_MAPS, NULL, p->pid, start,
			      end, "VMAs of process "
			      "%ld differ from the kernel's: %s has %s%s%s, "
			      "the kernel %s%s%s", (long)p->pid, s->res->name,
			      k < nm ? "'" : "",
			      k < nm ? mv[k].line : "nothing",
			      k < nm ? "'" : "", kl[0] ? "'" : "",
			      kl[0] ? kl : "nothing", kl[0] ? "'" : "");
			break;
		}
	}
	free(mv);
}

static void check_kernel_sharing(struct checker *c, struct sch *s,
				 const struct trace_checkpoint *cp)
{
	struct shares kern = { 0 }, mine = { 0 };
	struct share at;
	long *pids;
	char gk[300], gm[300];
	size_t i;

	if (!cp->has_pfns)
		return;
	pids = calloc(cp->nr_procs + 1, sizeof(*pids));
	if (!pids)
		abort();
	for (i = 0; i < cp->nr_procs; i++)
		pids[i] = cp->procs[i].pid;
	shares_from_cp(&kern, cp, false);
	shares_from_hits(&mine, &s->walk, pids, cp->nr_procs);
	if (shares_diff(&kern, &mine, &at)) {
		share_group(&kern, &at, false, gk, sizeof(gk));
		share_group(&mine, &at, false, gm, sizeof(gm));
		found_at(c, s, CHECK_KERNEL_SHARING, NULL, at.pid, at.addr,
		      at.addr + c->t->hdr.page_size, "%s and the kernel "
		      "disagree on %ld:0x%lx: the kernel has it %s, %s has "
		      "it %s", s->res->name, at.pid, at.addr, gk,
		      s->res->name, gm);
	}
	/* Swap entries: which share a slot. */
	shares_from_cp(&kern, cp, true);
	shares_from_swap(&mine, s->r.w, pids, cp->nr_procs);
	if (shares_diff(&kern, &mine, &at)) {
		share_group(&kern, &at, true, gk, sizeof(gk));
		share_group(&mine, &at, true, gm, sizeof(gm));
		found(c, s, CHECK_KERNEL_SHARING, NULL, "%s and the kernel "
		      "disagree on the swap entry at %ld:0x%lx: the kernel "
		      "has it %s, %s has it %s", s->res->name, at.pid,
		      at.addr, gk, s->res->name, gm);
	}
	free(kern.v);
	free(mine.v);
	free(pids);
}

static long live_objects(struct world *w, const char *cls)
{
	int id = acct_find(&w->acct, cls);

	return id < 0 ? -1 : w->acct.cls[id].live;
}

/*
 * The live anon_vma and anon_vma_chain of a scheme that keeps the
 * kernel's objects, against the kernel's.  The line is kept for the
 * summary (the first that differs, else the last); a failure only with
 * --objects.
 */
static void check_objects(struct checker *c, struct sch *s,
			  const struct trace_checkpoint *cp)
{
	struct check_scheme_result *r = s->res;
	long av = live_objects(s->r.w, "anon_vma");
	long avc = live_objects(s->r.w, "anon_vma_chain");
	bool differ = false;
	char line[256];
	size_t n;

	if ((cp->anon_vma < 0 && cp->anon_vma_chain < 0) ||
	    !(s->caps & SCHEME_KERNEL_OBJECTS))
		return;
	n = snprintf(line, sizeof(line), "objects: %s", r->name);
	if (cp->anon_vma >= 0) {
		n += snprintf(line + n, sizeof(line) - n,
			      " anon_vma %ld kernel %lld", av,
			      (long long)cp->anon_vma);
		differ |= av != cp->anon_vma;
	}
	if (cp->anon_vma_chain >= 0)
		snprintf(line + n, sizeof(line) - n,
			 "%s anon_vma_chain %ld kernel %lld",
			 cp->anon_vma >= 0 ? "," : "", avc,
			 (long long)cp->anon_vma_chain);
	differ |= cp->anon_vma_chain >= 0 && avc != cp->anon_vma_chain;
	if (r->objects_differ)
		return;
	snprintf(r->objects, sizeof(r->objects), "%s", line);
	r->objects_differ = differ;
	if (differ && c->o->objects)
		found(c, s, CHECK_OBJECTS, NULL, "%s", line);
}

/* ---- folio sizes at kernel checkpoints ------------------------------ */

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h). */
#define KPF_MMAP		11
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_KSM			21
#define KPF_LARGE		((1ULL << KPF_COMPOUND_HEAD) | \
				 (1ULL << KPF_COMPOUND_TAIL))

/* A present page of the kernel, by pfn, and its folio as far as seen. */
struct kpage {
	uint64_t pfn, kflags;
	long pid;
	unsigned long addr;
	unsigned long seen;		/* pages of its folio seen (>= 1) */
};

static int kpage_pfn_cmp(const void *pa, const void *pb)
{
	const struct kpage *a = pa, *b = pb;

	return a->pfn < b->pfn ? -1 : a->pfn > b->pfn;
}

/*
 * The pages the kernel recorded with their kpageflags (KPF_MMAP set: a
 * checkpoint written from /proc/kpageflags, not a bare .expected), with
 * how many pages of each one's compound folio the checkpoint shows: a
 * head and the tails at the pfns right after it.
 */
static struct kpage *kernel_pages(const struct trace_checkpoint *cp,
				  size_t *nr)
{
	struct kpage *k;
	size_t n = 0, cap = 0, i, j, from;

	for (i = 0; i < cp->nr_procs; i++)
		cap += cp->procs[i].nr_pages;
	k = calloc(cap + 1, sizeof(*k));
	if (!k)
		abort();
	for (i = 0; i < cp->nr_procs; i++)
		for (j = 0; j < cp->procs[i].nr_pages; j++) {
			const struct cp_page *pg = &cp->procs[i].pages[j];

			if (!pg->anon || !pg->pfn ||
			    !(pg->kflags & (1ULL << KPF_MMAP)) ||
			    (pg->kflags & (1ULL << KPF_HUGE)))
				continue;
			k[n].pfn = pg->pfn;
			k[n].kflags = pg->kflags;
			k[n].pid = cp->procs[i].pid;
			k[n].addr = pg->addr;
			k[n].seen = 1;
			n++;
		}
	qsort(k, n, sizeof(*k), kpage_pfn_cmp);
	for (i = 0; i < n; i = j) {
		unsigned long pages = 1;

		j = i + 1;
		if (!(k[i].kflags & (1ULL << KPF_COMPOUND_HEAD))) {
			while (j < n && k[j].pfn == k[i].pfn)
				j++;
			continue;
		}
		from = i;
		for (; j < n; j++) {
			if (k[j].pfn == k[j - 1].pfn)
				continue;
			if (k[j].pfn != k[j - 1].pfn + 1 ||
			    !(k[j].kflags & (1ULL << KPF_COMPOUND_TAIL)))
				break;
			pages++;
		}
		for (; from < j; from++)
			k[from].seen = pages;
	}
	*nr = n;
	return k;
}

/*
 * The folio size of every present anon page the kernel recorded (@k, @nk)
 * against the model's, found through @s's page tables.  The kernel small
 * and the model large is a disagreement; the kernel with a larger folio
 * than the model's is memory khugepaged or MADV_COLLAPSE collapsed, which
 * the model cannot do: unsupported.
 */
static void check_folio_order(struct checker *c, struct sch *s,
			      const struct kpage *k, size_t nk,
			      bool *collapsed)
{
	struct task *t = NULL;
	size_t i;

	for (i = 0; i < nk; i++) {
		bool klarge = k[i].kflags & KPF_LARGE;
		struct pte *pte;
		unsigned long nr;

		if (!t || t->pid != k[i].pid)
			t = task_find(s->r.w, k[i].pid);
		pte = t ? pte_lookup(t->mm, k[i].addr) : NULL;
		if (!pte || !pte->folio)
			continue;	/* the sharing check says so */
		nr = folio_nr_pages(pte->folio);
		if (klarge && (nr == 1 || k[i].seen > nr)) {
			*collapsed = true;
			continue;
		}
		if (!klarge && nr > 1)
			found_at(c, s, CHECK_FOLIO_ORDER, NULL, k[i].pid,
				 k[i].addr, k[i].addr + c->t->hdr.page_size,
				 "%s maps %ld:0x%lx with a folio of %lu pages, "
				 "the kernel with a small folio (pfn 0x%llx)",
				 s->res->name, k[i].pid, k[i].addr, nr,
				 (unsigned long long)k[i].pfn);
	}
}

/* ---- verification points -------------------------------------------- */

static void run_scheme_check(struct checker *c, struct sch *s)
{
	struct errbuf err;

	if (!s->r.w->scheme->check)
		return;
	err.msg[0] = '\0';
	if (s->r.w->scheme->check(s->r.w, &err))
		found(c, s, CHECK_INVARIANT, NULL, "%s invariant: %s",
		      s->res->name, err.msg);
}

/*
 * The rmap's users (reclaim, swap-in, migration) of the event just
 * applied: a walk that missed a mapping is a failure of its own; the
 * world counts them and keeps the first.
 */
static void check_swap(struct checker *c, struct sch *s);

static void note_rmap_users(struct checker *c, struct sch *s,
			    const struct trace_event *ev)
{
	struct world *w = s->r.w;
	int u;

	/* After every reclaim and migration: the swap and entry audit. */
	if (ev->type == EV_RECLAIM || ev->type == EV_PAGEOUT ||
	    ev->type == EV_MIGRATE ||
	    (ev->type == EV_MADVISE && ev->advice == MADV_PAGEOUT))
		check_swap(c, s);
	for (u = 0; u < RMAP_USE_NR && u < 4; u++) {
		s->res->use_walks[u] = w->use[u].walks;
		s->res->use_mappings[u] = w->use[u].mappings;
		s->res->use_misses[u] = w->use[u].misses;
	}
	if (!w->nr_use_failures)
		return;
	found(c, s, CHECK_RMAP_USER, NULL, "%s", w->use_failure);
	w->nr_use_failures = 0;
}

static void check_swap(struct checker *c, struct sch *s)
{
	char buf[300];

	if (swap_check(s->r.w, buf, sizeof(buf)))
		found(c, s, CHECK_SWAP, NULL, "%s: %s", s->res->name, buf);
}

static void verify_scheme(struct checker *c, struct sch *s)
{
	struct world *w = s->r.w;
	struct folio *folio;

	s->walk.nr = 0;
	s->oracle.nr = 0;
	index_folios(s);
	list_for_each_entry(folio, &w->folios, lru) {
		struct rmap_walk_control rwc;

		memset(&rwc, 0, sizeof(rwc));
		rmap_walk_verified(w, folio, &s->walk, &rwc);
		s->res->folios++;
		s->res->walks += 1 + rwc.retries;
	}
	oracle_scan(w, &s->oracle);
	sort_hits(c, s, &s->walk, "the walk says");
	sort_hits(c, s, &s->oracle, "the page table of");
	compare_hits(c, s);
	check_folios(c, s);
	check_swap(c, s);
	run_scheme_check(c, s);
}

/* Does the checkpoint hold a page KSM merged? */
static bool cp_has_ksm(const struct trace_checkpoint *cp)
{
	size_t i, j;

	for (i = 0; i < cp->nr_procs; i++)
		for (j = 0; j < cp->procs[i].nr_pages; j++)
			if (cp->procs[i].pages[j].kflags & (1ULL << KPF_KSM))
				return true;
	return false;
}

/* The world whose replay speaks for the trace (unsupported features). */
static struct sch *primary(struct checker *c)
{
	size_t i;

	if (c->ref)
		return c->ref;
	for (i = 0; i < c->nr; i++)
		if (c->s[i].live)
			return &c->s[i];
	return NULL;
}

/* The trace's features the model lacks, as the primary replay met them. */
static void sync_unsupported(struct checker *c)
{
	struct sch *p = primary(c);
	struct check_result *res = c->res;

	if (!p || p->r.unsupported == res->unsupported)
		return;
	res->unsupported = p->r.unsupported;
	res->nr_unsup = p->r.nr_unsup;
	memcpy(res->unsup, p->r.unsup, sizeof(res->unsup));
	res->first_unsupported = res->unsup[0].event;
}

/* After a fork, thread or exec event, or before an exit. */
static bool task_event_point(const struct trace *t, size_t i)
{
	unsigned int type = t->ev[i].type;

	return type == EV_FORK || type == EV_THREAD || type == EV_EXEC ||
	       (i + 1 < t->nr_ev && t->ev[i + 1].type == EV_EXIT);
}

/*
 * Before a recording's checkpoint is compared: what the kernel reclaimed
 * and swapped in on its own since the last one, replayed in every world
 * from that world's own state (a scheme whose reclaim walk misses a
 * mapping misses it here too, and that is found).
 */
static void sync_swap(struct checker *c, const struct trace_checkpoint *cp,
		      size_t nr_cp)
{
	struct replay_swap_sync sync;
	struct check_scheme_result *res;
	size_t i;

	for (i = 0; i <= c->nr; i++) {
		struct sch *s = &c->s[i];

		if (!s->live || (i == c->nr && s != c->ref))
			continue;
		replay_sync_swap(&s->r, cp, c->idx, &sync);
		if (s->reference || (!sync.reclaims && !sync.swapins))
			continue;
		res = s->res;
		if (!res->kreclaim_points++) {
			res->kreclaim_event = c->idx;
			res->kreclaim_cp = nr_cp + 1;
		}
		res->kreclaims += sync.reclaims;
		res->kswapins += sync.swapins;
		if (sync.reclaims)
			check_swap(c, s);
		note_rmap_users(c, s, &c->t->ev[c->idx]);
	}
	sync_unsupported(c);
}

static void verify_point(struct checker *c, const struct trace_checkpoint *cp)
{
	bool collapsed = false;
	struct kpage *k;
	size_t i, nk = 0;

	c->res->points++;
	for (i = 0; i < c->nr; i++)
		if (c->s[i].live)
			verify_scheme(c, &c->s[i]);
	if (c->ref) {
		struct sch *ref = c->ref;

		ref->oracle.nr = 0;
		index_folios(ref);
		oracle_scan(ref->r.w, &ref->oracle);
		sort_hits(c, ref, &ref->oracle, "the page table of");
		check_cross(c);
	}
	if (!cp)
		return;
	c->res->kernel_points++;
	/* ksmd's merges are not in the model: judge nothing from here on */
	if (cp_has_ksm(cp) && primary(c)) {
		replay_note_unsupported(&primary(c)->r, c->idx,
					"KSM: pages merged by ksmd");
		sync_unsupported(c);
	}
	for (i = 0; i < c->nr; i++) {
		struct sch *s = &c->s[i];

		if (!s->live)
			continue;
		check_kernel_maps(c, s, cp);
		check_kernel_sharing(c, s, cp);
		check_objects(c, s, cp);
	}
	/* Last: a collapse makes what follows unjudged, not this point. */
	k = cp->has_pfns ? kernel_pages(cp, &nk) : NULL;
	for (i = 0; k && i < c->nr; i++)
		if (c->s[i].live)
			check_folio_order(c, &c->s[i], k, nk, &collapsed);
	free(k);
	if (collapsed && primary(c)) {
		replay_note_unsupported(&primary(c)->r, c->idx,
					"THP collapse: a kernel folio larger "
					"than the model's");
		sync_unsupported(c);
	}
}

/* ---- layout against the oracle's, where an event changed it -------- */

/* The range event @ev may have changed, one page wider on each side. */
static bool event_range(const struct trace_event *ev, struct task *t,
			unsigned long psz, unsigned long *lo,
			unsigned long *hi, unsigned long *lo2,
			unsigned long *hi2)
{
	*lo2 = *hi2 = 0;
	switch (ev->type) {
	case EV_MMAP:
		*lo = ev->has_result && ev->result >= 0 ? ev->result :
		      ev->addr;
		*hi = *lo + ev->len;
		break;
	case EV_MUNMAP:
	case EV_MPROTECT:
	case EV_MADVISE:
		*lo = ev->addr;
		*hi = ev->addr + ev->len;
		break;
	case EV_MREMAP:
		*lo = ev->addr;
		*hi = ev->addr + ev->len;
		if (ev->has_result && ev->result >= 0) {
			*lo2 = ev->result;
			*hi2 = ev->result + ev->new_len;
		}
		break;
	case EV_BRK:
		*lo = t->mm->start_brk;
		*hi = (ev->addr > t->mm->brk ? ev->addr : t->mm->brk) + 1;
		break;
	default:
		return false;
	}
	*lo = *lo >= psz ? *lo - psz : 0;
	*hi += psz;
	if (*hi2) {
		*lo2 = *lo2 >= psz ? *lo2 - psz : 0;
		*hi2 += psz;
	}
	return *lo < *hi;
}

/* First VMA of [lo, hi) in @a and @b that differs; false when none. */
static bool vmas_differ(struct mm_struct *a, struct mm_struct *b,
			unsigned long lo, unsigned long hi,
			struct vm_area_struct **va, struct vm_area_struct **vb)
{
	*va = vma_first_overlap(a, lo, hi);
	*vb = vma_first_overlap(b, lo, hi);
	while (*va && *vb) {
		if ((*va)->vm_start != (*vb)->vm_start ||
		    (*va)->vm_end != (*vb)->vm_end ||
		    (*va)->vm_flags != (*vb)->vm_flags ||
		    (*va)->vm_pgoff != (*vb)->vm_pgoff)
			return true;
		*va = vma_next_overlap(a, *va, lo, hi);
		*vb = vma_next_overlap(b, *vb, lo, hi);
	}
	return *va || *vb;
}

static void vma_text(const struct vm_area_struct *v, char *buf, size_t len)
{
	if (!v)
		snprintf(buf, len, "nothing");
	else
		snprintf(buf, len, "%lx-%lx flags 0x%lx", v->vm_start,
			 v->vm_end, v->vm_flags);
}

/*
 * After each event that can change a layout, the VMAs around what it
 * touched against the oracle's: how a scheme that merges by its own rules
 * shows it without a kernel checkpoint, before anything depends on it.
 */
static void check_layout(struct checker *c, struct sch *s,
			 const struct trace_event *ev)
{
	struct task *ts = task_find(s->r.w, ev->pid);
	struct task *to = task_find(c->ref->r.w, ev->pid);
	unsigned long psz = c->t->hdr.page_size, lo, hi, lo2, hi2;
	struct vm_area_struct *va, *vb;
	char ta[64], tb[64];

	if (!ts || !to || !event_range(ev, to, psz, &lo, &hi, &lo2, &hi2))
		return;
	if (!vmas_differ(to->mm, ts->mm, lo, hi, &va, &vb) &&
	    (!hi2 || !vmas_differ(to->mm, ts->mm, lo2, hi2, &va, &vb)))
		return;
	vma_text(va, ta, sizeof(ta));
	vma_text(vb, tb, sizeof(tb));
	found_at(c, s, CHECK_LAYOUT, ORACLE_SPEC, ev->pid,
		 va ? va->vm_start : vb->vm_start,
		 va ? va->vm_end : vb->vm_end, "VMAs of process %lld differ "
		 "from mainline's (the oracle's): the oracle has %s, %s has %s",
		 (long long)ev->pid, ta, s->res->name, tb);
}

/* Replay divergences, judged as the scheme's capabilities say. */
static void note_divergences(struct checker *c, struct sch *s,
			     unsigned long before)
{
	unsigned long n = s->r.divergences - before;

	if (!n)
		return;
	if (!s->res->divergences)
		snprintf(s->res->first_divergence,
			 sizeof(s->res->first_divergence), "%s",
			 s->r.first_divergence);
	s->res->divergences += n;
	if (c->o->no_results)
		return;
	found(c, s, CHECK_DIVERGENCE, NULL, "%s", s->r.last_divergence);
}

/* One world, quiet, for @spec: the scheme's own or the oracle's. */
static void open_one(struct checker *c, struct sch *s, const char *spec,
		     const struct rmap_scheme *scheme)
{
	struct errbuf err;

	if (replay_open(&s->r, c->t, spec, &err)) {
		s->r.w = NULL;
		s->res->init_failed = true;
		snprintf(s->res->init_err, sizeof(s->res->init_err), "%s",
			 err.msg);
		return;
	}
	s->r.quiet = true;
	s->r.describe = CHECK_SHOWN + 1;
	s->live = true;
	s->caps = scheme->caps;
	s->res->caps = scheme->caps;
}

static int open_schemes(struct checker *c, const char *const *schemes)
{
	struct check_result *res = c->res;
	struct scheme_spec spec;
	struct errbuf err;
	size_t i;

	for (i = 0; i < c->nr; i++) {
		struct sch *s = &c->s[i];

		s->res = &res->s[i];
		snprintf(s->res->name, sizeof(s->res->name), "%s",
			 schemes[i]);
		if (scheme_lookup(schemes[i], &spec, &err)) {
			snprintf(res->error, sizeof(res->error), "%s",
				 err.msg);
			return -1;
		}
		open_one(c, s, schemes[i], spec.scheme);
	}
	if (scheme_lookup(ORACLE_SPEC, &spec, &err))
		return 0;
	c->ref = &c->s[c->nr];
	c->ref->res = &c->ref_res;
	c->ref->reference = true;
	snprintf(c->ref_res.name, sizeof(c->ref_res.name), ORACLE_SPEC);
	open_one(c, c->ref, ORACLE_SPEC, spec.scheme);
	if (!c->ref->live)
		c->ref = NULL;
	return 0;
}

/* Apply event c->idx to world @s; -1 for an impossible trace. */
static int step(struct checker *c, struct sch *s, bool is_cp)
{
	unsigned long before = s->r.divergences;
	struct errbuf err;

	if (replay_step(&s->r, &err) < 0) {
		c->res->trace_error = true;
		snprintf(c->res->error, sizeof(c->res->error), "%s", err.msg);
		return -1;
	}
	if (is_cp)
		s->res->checkpoints++;
	else
		s->res->events++;
	if (s == primary(c))
		sync_unsupported(c);
	if (!s->reference) {
		note_divergences(c, s, before);
		note_rmap_users(c, s, &c->t->ev[c->idx]);
	}
	return 0;
}

int check_trace(const struct trace *t, const char *const *schemes,
		size_t nr, const struct check_opts *o,
		struct check_result *res)
{
	static const struct check_opts defaults;
	struct checker c = { .t = t, .o = o ? o : &defaults, .res = res };
	bool verified = false;
	size_t i;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	res->objects_fail = c.o->objects;
	res->s = calloc(nr + 1, sizeof(*res->s));
	c.s = calloc(nr + 2, sizeof(*c.s));
	if (!res->s || !c.s)
		abort();
	res->nr = c.nr = nr;
	if (open_schemes(&c, schemes)) {
		ret = -1;
		goto out;
	}
	for (c.idx = 0; c.idx < t->nr_ev && !c.stop; c.idx++) {
		const struct trace_event *ev = &t->ev[c.idx];
		bool is_cp = ev->type == EV_CHECKPOINT;

		c.applied = true;
		/* The primary first: its unsupported features judge. */
		if (primary(&c) && step(&c, primary(&c), is_cp)) {
			ret = -1;
			goto out;
		}
		for (i = 0; i < nr; i++) {
			struct sch *s = &c.s[i];

			if (s->live && s != primary(&c) && step(&c, s, is_cp)) {
				ret = -1;
				goto out;
			}
		}
		for (i = 0; c.ref && !is_cp && i < nr; i++)
			if (c.s[i].live)
				check_layout(&c, &c.s[i], ev);
		if (is_cp && ev->cp < t->nr_cps && replay_kernel_reclaims(t))
			sync_swap(&c, &t->cps[ev->cp], ev->cp);
		verified = is_cp || c.o->every_event ||
			   (c.o->at_task_events && task_event_point(t, c.idx));
		if (is_cp && ev->cp >= t->nr_cps)
			is_cp = false;
		if (verified) {
			verify_point(&c, is_cp ? &t->cps[ev->cp] : NULL);
		} else if (c.o->paranoid) {
			for (i = 0; i < nr; i++)
				if (c.s[i].live)
					run_scheme_check(&c, &c.s[i]);
		}
	}
	if (c.idx)
		c.idx--;
	if (!c.stop && !verified)
		verify_point(&c, NULL);
out:
	for (i = 0; i <= nr; i++) {
		if (c.s[i].live)
			replay_close(&c.s[i].r);
		rmap_hits_free(&c.s[i].walk);
		rmap_hits_free(&c.s[i].oracle);
		rmap_hits_free(&c.s[i].tmp);
		free(c.s[i].fv);
		free(c.s[i].base);
		free(c.s[i].cnt);
		free(c.s[i].key);
	}
	free(c.s);
	return ret;
}

void check_result_free(struct check_result *res)
{
	free(res->s);
	res->s = NULL;
	res->nr = 0;
}

bool check_failed(const struct check_result *res)
{
	size_t i;

	if (res->trace_error)
		return true;
	for (i = 0; i < res->nr; i++)
		if (res->s[i].first.kind != CHECK_OK)
			return true;
	return false;
}

bool check_init_failed(const struct check_result *res)
{
	size_t i;

	for (i = 0; i < res->nr; i++)
		if (res->s[i].init_failed)
			return true;
	return false;
}

const struct check_scheme_result *
check_scheme(const struct check_result *res, const char *scheme)
{
	size_t i;

	for (i = 0; i < res->nr; i++)
		if (!strcmp(res->s[i].name, scheme))
			return &res->s[i];
	return NULL;
}

/* "miss 3, kernel-maps 1" for the nonzero counts of @n. */
static void kinds_text(const unsigned long *n, char *buf, size_t len)
{
	size_t k, off = 0;

	buf[0] = '\0';
	for (k = 0; k < CHECK_NR && off + 1 < len; k++)
		if (n[k])
			off += snprintf(buf + off, len - off, "%s%s %lu",
					off ? ", " : "",
					check_kind_name(k), n[k]);
}

void check_print_summary(FILE *f, const char *name,
			 const struct check_result *res)
{
	unsigned long design;
	char kinds[300];
	size_t i, k;

	for (i = 0; i < res->nr; i++) {
		const struct check_scheme_result *s = &res->s[i];

		if (s->init_failed) {
			fprintf(f, "%s %s: error: scheme failed to "
				"initialise: %s\n", name, s->name,
				s->init_err);
			continue;
		}
		fprintf(f, "%s %s: %lu events, %lu checkpoints, %lu folios "
			"checked, %lu walks, %lu mismatches %s\n", name,
			s->name, s->events, s->checkpoints, s->folios,
			s->walks, s->mismatches,
			s->first.kind == CHECK_OK ? "ok" : "FAIL");
		if (s->mismatches) {
			kinds_text(s->failures, kinds, sizeof(kinds));
			fprintf(f, "%s %s: failures: %s\n", name, s->name,
				kinds);
			for (k = 0; k < s->nr_shown; k++)
				fprintf(f, "%s %s: %s %s\n", name, s->name,
					check_kind_name(s->shown[k].kind),
					s->shown[k].what);
		}
		for (design = 0, k = 0; k < CHECK_NR; k++)
			design += s->design[k];
		if (design) {
			kinds_text(s->design, kinds, sizeof(kinds));
			fprintf(f, "%s %s: design: %lu differences from "
				"mainline the scheme makes by design (%s); "
				"first: %s %s\n", name, s->name, design, kinds,
				check_kind_name(s->first_design.kind),
				s->first_design.what);
		}
		if (s->kreclaim_points)
			fprintf(f, "%s %s: replayed %lu kernel-initiated "
				"reclaims and %lu swap-ins from %lu checkpoints "
				"(the first: checkpoint %zu, event %zu)\n", name,
				s->name, s->kreclaims, s->kswapins,
				s->kreclaim_points, s->kreclaim_cp,
				s->kreclaim_event + 1);
		if (s->unjudged)
			fprintf(f, "%s %s: not judged: %lu differences from "
				"the kernel after a feature the model lacks\n",
				name, s->name, s->unjudged);
		if (s->objects[0])
			fprintf(f, "%s %s%s\n", name, s->objects,
				!s->objects_differ ? "" : res->objects_fail ?
				" (differs)" : " (differs; a failure only "
				"with --objects)");
	}
	for (k = 0; k < res->nr_unsup; k++)
		replay_print_unsupported(f, name, &res->unsup[k]);
	if (res->unsupported)
		fprintf(f, "%s: %lu events use features the model does not "
			"implement; differences from the kernel after event "
			"%zu are not judged\n", name, res->unsupported,
			res->first_unsupported + 1);
}
