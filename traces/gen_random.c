// SPDX-License-Identifier: GPL-2.0-only
/*
 * The random history generator.  It keeps a rough picture of each
 * process's mappings, only to aim most events at memory that exists (so
 * that they split, merge, move and fault real VMAs) and some at holes (so
 * that the kernel's partial failures show up).  The picture is allowed to
 * be wrong: kernel-run records what the kernel really did.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "traces/gen_random.h"
#include "traces/trace.h"
#include "traces/linux_abi.h"


/*
 * Sizes follow the page size of the kernel the history is for (4 KiB,
 * 16 KiB, 64 KiB): the test range and the THP area grow with it, so that
 * a history has as many pages to play with and a THP area still holds
 * two PMDs ((page size / 8) pages each).
 */
#define PG		(g->pg)
#define TEST_END	(GEN_TEST_START + \
			 (GEN_TEST_END - GEN_TEST_START) / 4096 * g->pg)
#define THP_AREA	(2 * (g->pg / 8) * g->pg)
#define THP_END		(GEN_THP_START + 4 * THP_AREA)
#define MAX_PROCS	16
#define MAX_LIVE	8
#define MAX_VMAS	64
#define NR_FILES	3
#define MAX_FILE_OFF	1536	/* pages; the files are 1 GiB */

enum gen_kind { G_ANON, G_SHANON, G_FILE, G_SHFILE };

struct gen_vma {
	uint64_t start, end;
	uint64_t pgoff;			/* file kinds: pages */
	uint32_t prot;
	uint8_t kind, file;
	bool dontfork;
};

struct gen_proc {
	int64_t label;
	uint64_t pg;			/* page size, for pgoff arithmetic */
	bool alive;
	struct gen_vma v[MAX_VMAS];
	size_t nr;
};

struct gen {
	uint64_t rng;
	uint64_t pg;			/* page size in bytes */
	struct trace *t;
	struct gen_proc p[MAX_PROCS];
	size_t nr_procs;
	unsigned int left;
};

/* splitmix64: small, fast, and the same on every machine. */
static uint64_t next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct gen *g, uint64_t n)
{
	return n ? next(g) % n : 0;
}

static bool chance(struct gen *g, unsigned int percent)
{
	return rnd(g, 100) < percent;
}

/* Index into @w (weights summing to anything) drawn by weight. */
static size_t pick(struct gen *g, const unsigned int *w, size_t n)
{
	unsigned int sum = 0, r;
	size_t i;

	for (i = 0; i < n; i++)
		sum += w[i];
	r = rnd(g, sum);
	for (i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

static struct trace_event *emit(struct gen *g, struct gen_proc *p, int type)
{
	struct trace_event *ev = trace_append(g->t);

	ev->type = type;
	ev->pid = p->label;
	g->left--;
	return ev;
}

/* ---- the rough picture of a process's mappings ---------------------- */

static bool is_file(const struct gen_vma *v)
{
	return v->kind == G_FILE || v->kind == G_SHFILE;
}

static void split_at(struct gen_proc *p, uint64_t addr)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		struct gen_vma *v = &p->v[i];

		if (v->start < addr && addr < v->end && p->nr < MAX_VMAS) {
			p->v[p->nr] = *v;
			p->v[p->nr].start = addr;
			p->v[p->nr].pgoff += (addr - v->start) / p->pg;
			v->end = addr;
			p->nr++;
			return;
		}
	}
}

/* After this every VMA lies inside [s, e) or outside it. */
static void carve(struct gen_proc *p, uint64_t s, uint64_t e)
{
	split_at(p, s);
	split_at(p, e);
}

static void unmap(struct gen_proc *p, uint64_t s, uint64_t e)
{
	size_t i;

	carve(p, s, e);
	for (i = 0; i < p->nr;) {
		if (p->v[i].start >= s && p->v[i].end <= e)
			p->v[i] = p->v[--p->nr];
		else
			i++;
	}
}

static void map(struct gen_proc *p, const struct gen_vma *v)
{
	unmap(p, v->start, v->end);
	if (p->nr < MAX_VMAS)
		p->v[p->nr++] = *v;
}

static struct gen_vma *find(struct gen_proc *p, uint64_t addr)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->v[i].start <= addr && addr < p->v[i].end)
			return &p->v[i];
	return NULL;
}

static bool is_free(struct gen_proc *p, uint64_t s, uint64_t e)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->v[i].start < e && s < p->v[i].end)
			return false;
	return true;
}

static struct gen_vma *any_vma(struct gen *g, struct gen_proc *p)
{
	return p->nr ? &p->v[rnd(g, p->nr)] : NULL;
}

static uint64_t test_addr(struct gen *g, uint64_t pages)
{
	uint64_t span = (TEST_END - GEN_TEST_START) / PG;

	return GEN_TEST_START + rnd(g, span - pages + 1) * PG;
}

/*
 * A range for munmap, mprotect, madvise: mostly part of one mapping
 * (which splits it), sometimes running past its end or anywhere.
 */
static void some_range(struct gen *g, struct gen_proc *p, uint64_t *s,
		       uint64_t *len)
{
	struct gen_vma *v = any_vma(g, p);
	uint64_t pages, off;

	if (!v || chance(g, 20)) {
		pages = 1 + rnd(g, 8);
		*s = test_addr(g, pages);
		*len = pages * PG;
		return;
	}
	pages = (v->end - v->start) / PG;
	if (pages > 64) {
		/* A THP area: stay near a PMD boundary now and then. */
		off = chance(g, 50) ? rnd(g, pages / 64) * 64 : rnd(g, pages);
	} else {
		off = chance(g, 40) ? 0 : rnd(g, pages);
	}
	*s = v->start + off * PG;
	if (chance(g, 15))
		*len = (pages - off + 1 + rnd(g, 3)) * PG;
	else
		*len = (1 + rnd(g, pages - off < 6 ? pages - off : 6)) * PG;
}

/* ---- events --------------------------------------------------------- */

static void gen_mmap(struct gen *g, struct gen_proc *p)
{
	static const unsigned int kw[] = { 60, 12, 15, 13 };
	struct gen_vma v = { 0 }, *n = any_vma(g, p);
	uint64_t pages = 1 + rnd(g, 15);
	struct trace_event *ev;
	char name[8];

	v.kind = pick(g, kw, 4);
	v.prot = chance(g, 75) ? PROT_READ | PROT_WRITE : PROT_READ;
	v.file = rnd(g, NR_FILES);
	v.pgoff = rnd(g, MAX_FILE_OFF);
	v.start = test_addr(g, pages);
	/* Next to a neighbour, often its twin, to exercise merging. */
	if (n && n->end < TEST_END && chance(g, 40)) {
		bool after = chance(g, 50) || n->start - GEN_TEST_START <
					       pages * PG;

		if (chance(g, 60)) {
			v.kind = n->kind;
			v.prot = n->prot;
			v.file = n->file;
		}
		v.start = after ? n->end : n->start - pages * PG;
		if (after && v.start + pages * PG > TEST_END)
			v.start = TEST_END - pages * PG;
		if (is_file(n) && v.file == n->file)
			v.pgoff = after ? n->pgoff + (n->end - n->start) / PG :
				  (n->pgoff >= pages ? n->pgoff - pages : 0);
	}
	v.end = v.start + pages * PG;
	ev = emit(g, p, EV_MMAP);
	ev->addr = v.start;
	ev->len = v.end - v.start;
	ev->prot = v.prot;
	ev->flags = MAP_FIXED | (v.kind == G_ANON || v.kind == G_FILE ?
				 MAP_PRIVATE : MAP_SHARED);
	/* Thread stacks, locked and prefaulted memory. */
	if (chance(g, 10))
		ev->flags |= MAP_STACK;
	if (chance(g, 7))
		ev->flags |= MAP_LOCKED;
	if (chance(g, 7))
		ev->flags |= MAP_POPULATE;
	if (v.kind == G_ANON && !(ev->flags & MAP_LOCKED) && chance(g, 4))
		ev->flags = (ev->flags & ~MAP_PRIVATE) | MAP_DROPPABLE;
	if (v.kind == G_ANON || v.kind == G_SHANON) {
		ev->flags |= MAP_ANONYMOUS;
		v.pgoff = 0;
	} else {
		snprintf(name, sizeof(name), "f%u", v.file);
		ev->file = trace_file_id(g->t, name);
		ev->pgoff = v.pgoff;
	}
	map(p, &v);
}

/* mmap + MADV_HUGEPAGE + a write fault: where THPs come from. */
static void gen_thp(struct gen *g, struct gen_proc *p)
{
	struct gen_vma v = {
		.kind = G_ANON,
		.prot = PROT_READ | PROT_WRITE,
	};
	struct trace_event *ev;

	v.start = GEN_THP_START +
		  rnd(g, (THP_END - GEN_THP_START) / THP_AREA) * THP_AREA;
	v.end = v.start + THP_AREA;
	ev = emit(g, p, EV_MMAP);
	ev->addr = v.start;
	ev->len = THP_AREA;
	ev->prot = v.prot;
	ev->flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	map(p, &v);
	ev = emit(g, p, EV_MADVISE);
	ev->addr = v.start;
	ev->len = THP_AREA;
	ev->advice = MADV_HUGEPAGE;
	ev = emit(g, p, EV_FAULT);
	ev->addr = v.start + rnd(g, THP_AREA / 0x40000) * 0x40000 +
		   (chance(g, 30) ? PG : 0);
	ev->write = 1;
}

static void gen_munmap(struct gen *g, struct gen_proc *p)
{
	struct trace_event *ev = emit(g, p, EV_MUNMAP);

	some_range(g, p, &ev->addr, &ev->len);
	unmap(p, ev->addr, ev->addr + ev->len);
}

static void gen_mprotect(struct gen *g, struct gen_proc *p)
{
	static const uint32_t prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	static const unsigned int w[] = { 35, 35, 15, 15 };
	struct trace_event *ev = emit(g, p, EV_MPROTECT);
	size_t i;

	some_range(g, p, &ev->addr, &ev->len);
	ev->prot = prots[pick(g, w, 4)];
	carve(p, ev->addr, ev->addr + ev->len);
	for (i = 0; i < p->nr; i++)
		if (p->v[i].start >= ev->addr &&
		    p->v[i].end <= ev->addr + ev->len)
			p->v[i].prot = ev->prot;
}

static void gen_madvise(struct gen *g, struct gen_proc *p)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_FREE, MADV_DONTFORK, MADV_DOFORK,
		MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_HUGEPAGE,
		MADV_NOHUGEPAGE, MADV_GUARD_INSTALL, MADV_GUARD_REMOVE,
		MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_RANDOM,
		MADV_SEQUENTIAL, MADV_NORMAL, MADV_DONTDUMP, MADV_DODUMP,
		MADV_MERGEABLE, MADV_UNMERGEABLE, MADV_DONTNEED_LOCKED,
		MADV_COLD, MADV_WILLNEED,
	};
	static const unsigned int w[] = {
		20, 12, 12, 8, 10, 6, 20, 6, 10, 5, 8, 10, 4, 3, 3, 4, 3,
		3, 2, 4, 2, 2,
	};
	struct trace_event *ev = emit(g, p, EV_MADVISE);
	size_t i;

	some_range(g, p, &ev->addr, &ev->len);
	ev->advice = advice[pick(g, w, sizeof(w) / sizeof(w[0]))];
	if (ev->advice != MADV_DONTFORK && ev->advice != MADV_DOFORK)
		return;
	carve(p, ev->addr, ev->addr + ev->len);
	for (i = 0; i < p->nr; i++)
		if (p->v[i].start >= ev->addr &&
		    p->v[i].end <= ev->addr + ev->len)
			p->v[i].dontfork = ev->advice == MADV_DONTFORK;
}

static void gen_mremap(struct gen *g, struct gen_proc *p)
{
	static const unsigned int w[] = { 22, 22, 40, 16 };
	struct gen_vma *v = any_vma(g, p), moved;
	uint64_t pages, s, len, new_len, dst;
	struct trace_event *ev;
	size_t how;

	if (!v) {
		gen_mmap(g, p);
		return;
	}
	pages = (v->end - v->start) / PG;
	s = v->start;
	len = pages;
	/* Part of the mapping now and then: mremap splits it first. */
	if (pages > 1 && chance(g, 30)) {
		uint64_t off = rnd(g, pages);

		s += off * PG;
		len = 1 + rnd(g, pages - off);
	}
	if (len > 16)
		len = 1 + rnd(g, 16);
	how = pick(g, w, 4);
	ev = emit(g, p, EV_MREMAP);
	ev->addr = s;
	ev->len = len * PG;
	switch (how) {
	case 0:		/* shrink in place */
		new_len = len > 1 ? 1 + rnd(g, len - 1) : 1;
		ev->new_len = new_len * PG;
		unmap(p, s + ev->new_len, s + ev->len);
		return;
	case 1:		/* grow in place */
		new_len = len + 1 + rnd(g, 4);
		ev->new_len = new_len * PG;
		v = find(p, s);
		if (v && v->end == s + ev->len &&
		    is_free(p, s + ev->len, s + ev->new_len))
			v->end = s + ev->new_len;
		return;
	default:	/* move, or copy the mapping with dontunmap */
		new_len = len + rnd(g, 3);
		new_len = how == 3 ? len : new_len > 1 ? new_len - 1 : 1;
		dst = test_addr(g, new_len);
		ev->new_len = new_len * PG;
		ev->new_addr = dst;
		ev->flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		if (how == 3)
			ev->flags |= MREMAP_DONTUNMAP;
		v = find(p, s);
		if (!v)
			return;
		moved = *v;
		moved.pgoff += (s - v->start) / PG;
		moved.start = dst;
		moved.end = dst + ev->new_len;
		if (how != 3)
			unmap(p, s, s + ev->len);
		map(p, &moved);
		return;
	}
}

static void gen_fault(struct gen *g, struct gen_proc *p)
{
	struct trace_event *ev = emit(g, p, EV_FAULT);
	struct gen_vma *v = any_vma(g, p);
	uint64_t pages;

	ev->write = chance(g, 60);
	if (!v || chance(g, 8)) {
		ev->addr = test_addr(g, 1);
		return;
	}
	pages = (v->end - v->start) / PG;
	if (pages > 64 && chance(g, 70))
		ev->addr = v->start + rnd(g, pages / 64) * 64 * PG;
	else
		ev->addr = v->start + rnd(g, pages) * PG;
}

/* mlock, mlock2(MLOCK_ONFAULT), munlock; now and then mlockall. */
static void gen_mlock(struct gen *g, struct gen_proc *p)
{
	static const unsigned int w[] = { 45, 15, 30, 4, 4, 2 };
	static const uint32_t mcl[] = {
		MCL_CURRENT, MCL_CURRENT | MCL_ONFAULT, MCL_FUTURE,
		MCL_CURRENT | MCL_FUTURE,
	};
	struct trace_event *ev;

	switch (pick(g, w, sizeof(w) / sizeof(w[0]))) {
	case 0:
	case 1:
		ev = emit(g, p, EV_MLOCK);
		some_range(g, p, &ev->addr, &ev->len);
		if (ev->len > PG && chance(g, 20))
			ev->addr += 1 + rnd(g, PG - 1);	/* rounded down */
		ev->flags = chance(g, 25) ? MLOCK_ONFAULT : 0;
		return;
	case 2:
		ev = emit(g, p, EV_MUNLOCK);
		some_range(g, p, &ev->addr, &ev->len);
		return;
	case 3:
	case 4:
		ev = emit(g, p, EV_MLOCKALL);
		ev->flags = mcl[rnd(g, 4)];
		return;
	default:
		emit(g, p, EV_MUNLOCKALL);
		return;
	}
}

static void gen_mseal(struct gen *g, struct gen_proc *p)
{
	struct trace_event *ev = emit(g, p, EV_MSEAL);

	some_range(g, p, &ev->addr, &ev->len);
}

/*
 * Keys the machine the history runs on has: x86_64's PKU gives 16; arm64
 * has none without FEAT_S1POE (qemu's -cpu max among them), key 0 alone.
 */
#if defined(__x86_64__)
#define GEN_MAX_PKEY	16
#else
#define GEN_MAX_PKEY	1
#endif

/*
 * pkey_mprotect() with no key, the default key or an allocated one; where
 * the machine has no keys to allocate, mostly no key or key 0, sometimes
 * key 1 (-EINVAL).
 */
static void gen_pkey(struct gen *g, struct gen_proc *p)
{
	static const uint32_t prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE,
	};
	struct trace_event *ev = emit(g, p, EV_PKEY_MPROTECT);

	some_range(g, p, &ev->addr, &ev->len);
	ev->prot = prots[rnd(g, 3)];
	ev->advice = (int32_t)rnd(g, 4) - 1;
	if (ev->advice > GEN_MAX_PKEY)
		ev->advice = 0;
}

/*
 * userfaultfd write-protect registration: the VM_UFFD_WP flag splits and
 * merges, and faults there need no monitor.
 */
static void gen_uffd(struct gen *g, struct gen_proc *p)
{
	struct trace_event *ev = emit(g, p, chance(g, 60) ?
				      EV_UFFD_REGISTER : EV_UFFD_UNREGISTER);

	some_range(g, p, &ev->addr, &ev->len);
	if (ev->type == EV_UFFD_REGISTER)
		ev->flags = UFFD_MODE_WP;
}

static size_t nr_live(const struct gen *g)
{
	size_t i, n = 0;

	for (i = 0; i < g->nr_procs; i++)
		n += g->p[i].alive;
	return n;
}

static void gen_fork(struct gen *g, struct gen_proc *p)
{
	struct gen_proc *c;
	struct trace_event *ev;
	size_t i;

	if (g->nr_procs == MAX_PROCS || nr_live(g) >= MAX_LIVE) {
		gen_fault(g, p);
		return;
	}
	c = &g->p[g->nr_procs++];
	memset(c, 0, sizeof(*c));
	c->label = g->nr_procs;
	c->pg = g->pg;
	c->alive = true;
	/* What dup_mmap copies: everything but VM_DONTCOPY. */
	for (i = 0; i < p->nr; i++)
		if (!p->v[i].dontfork)
			c->v[c->nr++] = p->v[i];
	ev = emit(g, p, EV_FORK);
	ev->child = c->label;
}

static void gen_exit(struct gen *g, struct gen_proc *p)
{
	if (nr_live(g) < 2) {
		gen_fork(g, p);
		return;
	}
	emit(g, p, EV_EXIT);
	p->alive = false;
}

/* ---- swap (GEN_SWAP) ----------------------------------------------- */

/*
 * Reclaim or page out part of a mapping the process has written, then
 * often fork, and let child and parent fault the swapped pages back in
 * (child first, then parent; reads or writes).
 */
static void gen_swap(struct gen *g, struct gen_proc *p)
{
	struct gen_vma *v = any_vma(g, p);
	struct trace_event *ev;
	uint64_t pages, off, len, i, n;
	struct gen_proc *c = NULL;

	if (!v || is_file(v) || v->kind == G_SHANON ||
	    !(v->prot & PROT_WRITE)) {
		gen_fault(g, p);
		return;
	}
	pages = (v->end - v->start) / PG;
	off = rnd(g, pages);
	len = 1 + rnd(g, pages - off < 4 ? pages - off : 4);
	for (i = 0; i < len && g->left > 4; i++) {
		if (!chance(g, 70))
			continue;
		ev = emit(g, p, EV_FAULT);
		ev->write = 1;
		ev->addr = v->start + (off + i) * PG;
	}
	ev = emit(g, p, chance(g, 50) ? EV_RECLAIM : EV_PAGEOUT);
	ev->addr = v->start + off * PG;
	ev->len = len * PG;
	if (g->left > 4 && chance(g, 50)) {
		size_t before = g->nr_procs;

		gen_fork(g, p);
		if (g->nr_procs > before)
			c = &g->p[g->nr_procs - 1];
		/* gen_fork() may have moved nothing: p stays valid. */
	}
	n = rnd(g, 3);
	for (i = 0; i < n && g->left; i++) {
		struct gen_proc *who = c && !(i & 1) ? c : p;

		ev = emit(g, who, EV_FAULT);
		ev->write = chance(g, 50);
		ev->addr = v->start + (off + rnd(g, len)) * PG;
	}
}

void gen_random_pages(struct trace *t, uint64_t seed, unsigned int nr_events,
		      unsigned int page_size)
{
	gen_random_ex(t, seed, nr_events, page_size, 0);
}

/*
 * @flags GEN_SWAP: histories for swap, with reclaim and pageout events
 * and no THP areas (the model does not swap large folios).
 */
void gen_random_ex(struct trace *t, uint64_t seed, unsigned int nr_events,
		   unsigned int page_size, unsigned int flags)
{
	static void (*const ops[])(struct gen *, struct gen_proc *) = {
		gen_fault, gen_mmap, gen_mprotect, gen_madvise, gen_munmap,
		gen_mremap, gen_fork, gen_exit, gen_thp, gen_mlock,
		gen_mseal, gen_pkey, gen_uffd, gen_swap,
	};
	static const unsigned int w[] = {
		34, 16, 10, 8, 6, 9, 6, 3, 4, 5, 1, 2, 2, 0,
	};
	/* Swap: no THP areas, no mlock (an mlocked folio is not reclaimed). */
	static const unsigned int ws[] = {
		30, 16, 8, 6, 5, 9, 6, 3, 0, 0, 1, 2, 2, 14,
	};
	const unsigned int *wt = flags & GEN_SWAP ? ws : w;
	struct gen *g;
	size_t i, op;

	trace_init(t);
	snprintf(t->path, sizeof(t->path), "random-%" PRIu64, seed);
	/* Big: keep it off the stack. */
	g = calloc(1, sizeof(*g));
	if (!g) {
		fprintf(stderr, "rmaplab: out of memory\n");
		abort();
	}
	g->t = t;
	g->rng = seed;
	g->pg = page_size;
	t->hdr.page_size = page_size;
	g->left = nr_events ? nr_events : GEN_DEFAULT_EVENTS;
	g->p[0].label = 1;
	g->p[0].pg = page_size;
	g->p[0].alive = true;
	g->nr_procs = 1;
	while (g->left) {
		struct gen_proc *p;
		size_t k = rnd(g, nr_live(g));

		for (i = 0; i < g->nr_procs; i++)
			if (g->p[i].alive && !k--)
				break;
		p = &g->p[i];
		op = pick(g, wt, sizeof(w) / sizeof(w[0]));
		/* An empty process mostly maps something first. */
		if (!p->nr && chance(g, 60))
			op = 1;
		if (ops[op] == gen_thp && g->left < 3)
			op = 0;
		ops[op](g, p);
	}
	/*
	 * Reclaim discards a clean MADV_FREE folio instead of swapping it,
	 * which the model does not do: swap histories page out instead.
	 */
	for (i = 0; (flags & GEN_SWAP) && i < t->nr_ev; i++) {
		if (t->ev[i].type == EV_MADVISE &&
		    t->ev[i].advice == MADV_FREE)
			t->ev[i].advice = MADV_PAGEOUT;
		/*
		 * kernel-run's squeeze reclaims around the range and reads
		 * the rest back; a dropped MAP_DROPPABLE page cannot be.
		 */
		if (t->ev[i].type == EV_MMAP &&
		    (t->ev[i].flags & MAP_DROPPABLE) == MAP_DROPPABLE &&
		    !(t->ev[i].flags & MAP_SHARED))
			t->ev[i].flags = (t->ev[i].flags & ~MAP_DROPPABLE) |
					 MAP_PRIVATE;
	}
	free(g);
}

void gen_random(struct trace *t, uint64_t seed, unsigned int nr_events)
{
	gen_random_pages(t, seed, nr_events, 4096);
}
