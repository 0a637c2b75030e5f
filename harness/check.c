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
};

const char *check_kind_name(enum check_kind kind)
{
	return kind < CHECK_NR ? kind_names[kind] : "?";
}

bool check_kind_is_kernel(enum check_kind kind)
{
	return kind == CHECK_DIVERGENCE || kind == CHECK_KERNEL_MAPS ||
	       kind == CHECK_KERNEL_SHARING || kind == CHECK_OBJECTS;
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
	bool classic_like;		/* classic's bookkeeping (and oracle) */
	bool classic;			/* object counts are the kernel's */
	struct check_scheme_result *res;
	struct rmap_hits walk, oracle;
	struct shares shares;

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

static void found(struct checker *c, struct sch *s, enum check_kind kind,
		  const char *other, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * A failure: counted against @s; the first of the scheme and the first of
 * the run keep its description.
 */
static void found(struct checker *c, struct sch *s, enum check_kind kind,
		  const char *other, const char *fmt, ...)
{
	struct check_finding f;
	char at[300], msg[700];
	va_list ap;

	s->res->mismatches++;
	if (s->res->first.kind != CHECK_OK && c->res->first.kind != CHECK_OK &&
	    !c->o->want)
		return;
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	snprintf(f.scheme, sizeof(f.scheme), "%s", s->res->name);
	snprintf(f.other, sizeof(f.other), "%s", other ? other : "");
	f.event = c->idx;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(c, at, sizeof(at));
	msgf(f.what, sizeof(f.what), "%s: %s", at, msg);
	if (s->res->first.kind == CHECK_OK)
		s->res->first = f;
	if (c->res->first.kind == CHECK_OK)
		c->res->first = f;
	if (c->o->want && c->o->want(&f, c->o->want_arg)) {
		c->res->matched = true;
		c->stop = true;
	}
}

/* ---- walks against the page tables ---------------------------------- */

/* "1:0x100000000 2:0x100000000" for the hits of one page of a folio. */
static void page_mappings(const struct rmap_hits *h, unsigned long pfn,
			  unsigned int idx, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < h->nr && n + 1 < len; i++) {
		if (h->v[i].folio->pfn != pfn || h->v[i].idx != idx)
			continue;
		n += snprintf(buf + n, len - n, "%s%ld:0x%lx", n ? " " : "",
			      mm_pid(h->v[i].mm), h->v[i].addr);
	}
	if (!buf[0])
		snprintf(buf, len, "nothing");
}

static void report_hit(struct checker *c, struct sch *s, enum check_kind kind,
		       const struct rmap_hit *hit)
{
	char pt[200], wk[200];

	page_mappings(&s->oracle, hit->folio->pfn, hit->idx, pt, sizeof(pt));
	page_mappings(&s->walk, hit->folio->pfn, hit->idx, wk, sizeof(wk));
	found(c, s, kind, NULL,
	      "%s %s mapping %ld:0x%lx of folio pfn 0x%lx page %u "
	      "(order %u); the page tables map the page at %s, the walk "
	      "found %s", s->res->name,
	      kind == CHECK_MISS ? "missed" : "reported the extra",
	      mm_pid(hit->mm), hit->addr, hit->folio->pfn, hit->idx,
	      hit->folio->order, pt, wk);
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
	/* each (folio, page) bucket: insertion sort, then unique */
	for (i = 1; i < n; i++) {
		struct rmap_hit x = v[i];

		for (j = i; j > 0 && v[j - 1].folio == x.folio &&
			    v[j - 1].idx == x.idx && hit_after(&v[j - 1], &x);
		     j--)
			v[j] = v[j - 1];
		v[j] = x;
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
 * @swap, swap entries that share an offset share a slot.
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
			e[n].pfn = pg->pfn;
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

/* "in a page mapped by {1:0x1000 2:0x1000}" (@x's page in @s), "unmapped". */
static void share_group(const struct shares *s, const struct share *x,
			char *buf, size_t len)
{
	const struct share key = { .pid = x->pid, .addr = x->addr };
	const struct share *me;
	size_t i, n;

	me = bsearch(&key, s->v, s->nr, sizeof(*s->v), share_cmp);
	if (!me) {
		snprintf(buf, len, "unmapped");
		return;
	}
	n = snprintf(buf, len, "in a page mapped by {");
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

static void check_cross(struct checker *c)
{
	struct sch *ref = NULL;
	struct share at;
	char ga[300], gb[300];
	size_t i;

	for (i = 0; i < c->nr; i++) {
		struct sch *s = &c->s[i];

		if (!s->live)
			continue;
		if (!ref) {
			ref = s;
			continue;
		}
		if (same_hits(&ref->walk, &s->walk))
			continue;
		shares_from_hits(&ref->shares, &ref->walk, NULL, 0);
		shares_from_hits(&s->shares, &s->walk, NULL, 0);
		if (!shares_diff(&ref->shares, &s->shares, &at))
			continue;
		share_group(&ref->shares, &at, ga, sizeof(ga));
		share_group(&s->shares, &at, gb, sizeof(gb));
		found(c, s, CHECK_CROSS, ref->res->name, "%s and %s disagree "
		      "on %ld:0x%lx: %s has it %s, %s has it %s",
		      ref->res->name, s->res->name, at.pid, at.addr,
		      ref->res->name, ga, s->res->name, gb);
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
		snprintf(v[n].line, sizeof(v[n].line), "%s %s %s", range,
			 perms, off);
		n++;
	}
	free(buf);
	*nr = n;
	return v;
}

static void check_kernel_maps(struct checker *c, struct sch *s,
			      const struct trace_checkpoint *cp)
{
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
				found(c, s, CHECK_KERNEL_MAPS, NULL, "the "
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
			found(c, s, CHECK_KERNEL_MAPS, NULL, "VMAs of process "
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
		share_group(&kern, &at, gk, sizeof(gk));
		share_group(&mine, &at, gm, sizeof(gm));
		found(c, s, CHECK_KERNEL_SHARING, NULL, "%s and the kernel "
		      "disagree on %ld:0x%lx: the kernel has it %s, %s has "
		      "it %s", s->res->name, at.pid, at.addr, gk,
		      s->res->name, gm);
	}
	/* Swap entries: which share a slot. */
	shares_from_cp(&kern, cp, true);
	shares_from_swap(&mine, s->r.w, pids, cp->nr_procs);
	if (shares_diff(&kern, &mine, &at)) {
		share_group(&kern, &at, gk, sizeof(gk));
		share_group(&mine, &at, gm, sizeof(gm));
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
 * classic's live anon_vma and anon_vma_chain against the kernel's.  The
 * line is kept for the summary; it is a failure only with --objects.
 */
static void check_objects(struct checker *c, struct sch *s,
			  const struct trace_checkpoint *cp)
{
	struct check_result *res = c->res;
	long av = live_objects(s->r.w, "anon_vma");
	long avc = live_objects(s->r.w, "anon_vma_chain");
	bool differ = false;
	char line[256];
	size_t n;

	if (cp->anon_vma < 0 && cp->anon_vma_chain < 0)
		return;
	n = snprintf(line, sizeof(line), "objects: %s", s->res->name);
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
	if (res->objects_differ)
		return;
	snprintf(res->objects, sizeof(res->objects), "%s", line);
	res->objects_differ = differ;
	if (differ && c->o->objects)
		found(c, s, CHECK_OBJECTS, NULL, "%s", line);
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

/* After a fork, thread or exec event, or before an exit. */
static bool task_event_point(const struct trace *t, size_t i)
{
	unsigned int type = t->ev[i].type;

	return type == EV_FORK || type == EV_THREAD || type == EV_EXEC ||
	       (i + 1 < t->nr_ev && t->ev[i + 1].type == EV_EXIT);
}

static void verify_point(struct checker *c, const struct trace_checkpoint *cp)
{
	size_t i, live = 0;

	c->res->points++;
	for (i = 0; i < c->nr; i++) {
		if (!c->s[i].live)
			continue;
		live++;
		verify_scheme(c, &c->s[i]);
	}
	if (live > 1)
		check_cross(c);
	if (!cp)
		return;
	for (i = 0; i < c->nr; i++) {
		struct sch *s = &c->s[i];

		if (!s->live)
			continue;
		if (s->classic_like)
			check_kernel_maps(c, s, cp);
		check_kernel_sharing(c, s, cp);
		if (s->classic)
			check_objects(c, s, cp);
	}
}

/* Replay divergences: failures for classic's bookkeeping only. */
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
	if (!s->classic_like || c->o->no_results)
		return;
	if (before == 0)
		found(c, s, CHECK_DIVERGENCE, NULL, "%s",
		      s->r.first_divergence);
	else
		found(c, s, CHECK_DIVERGENCE, NULL, "%s: the model's result "
		      "differs from the kernel's", s->res->name);
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
		if (replay_open(&s->r, c->t, schemes[i], &err)) {
			s->r.w = NULL;
			s->res->init_failed = true;
			snprintf(s->res->init_err, sizeof(s->res->init_err),
				 "%s", err.msg);
			continue;
		}
		s->r.quiet = true;
		s->live = true;
		s->classic = !strcmp(spec.scheme->name, "classic");
		s->classic_like = s->classic ||
				  !strcmp(spec.scheme->name, "oracle");
		s->res->divergence_fails = s->classic_like &&
					   !c->o->no_results;
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
	struct errbuf err;
	size_t i;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	res->objects_fail = c.o->objects;
	res->s = calloc(nr + 1, sizeof(*res->s));
	c.s = calloc(nr + 1, sizeof(*c.s));
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

		for (i = 0; i < nr; i++) {
			struct sch *s = &c.s[i];
			unsigned long before;

			if (!s->live)
				continue;
			before = s->r.divergences;
			if (replay_step(&s->r, &err) < 0) {
				res->trace_error = true;
				snprintf(res->error, sizeof(res->error), "%s",
					 err.msg);
				ret = -1;
				goto out;
			}
			if (is_cp)
				s->res->checkpoints++;
			else
				s->res->events++;
			c.applied = true;
			note_divergences(&c, s, before);
			note_rmap_users(&c, s, ev);
		}
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
	for (i = 0; i < nr; i++) {
		if (c.s[i].live)
			replay_close(&c.s[i].r);
		rmap_hits_free(&c.s[i].walk);
		rmap_hits_free(&c.s[i].oracle);
		rmap_hits_free(&c.s[i].tmp);
		free(c.s[i].shares.v);
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

void check_print_summary(FILE *f, const char *name,
			 const struct check_result *res)
{
	size_t i;

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
		if (s->divergences && !s->divergence_fails)
			fprintf(f, "%s %s: note: %lu results differ from the "
				"kernel's (not a failure for this scheme); "
				"first: %s\n", name, s->name, s->divergences,
				s->first_divergence);
	}
	if (res->objects[0])
		fprintf(f, "%s %s%s\n", name, res->objects,
			!res->objects_differ ? "" : res->objects_fail ?
			" (differs)" : " (differs; a failure only with "
			"--objects)");
}
