// SPDX-License-Identifier: GPL-2.0-only
/*
 * The model-driven random history generator; see gen_model.h.  Each event
 * is chosen from the state the oracle world is in after the events before
 * it, so that most of them touch memory that exists: VMAs meet, split,
 * merge, move and move back while they hold folios shared across a
 * process tree.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/gen_model.h"
#include "harness/replay.h"
#include "traces/linux_abi.h"


#define PG		0x1000UL
#define PMD		0x200000UL
#define MAX_LABELS	32
#define MAX_ALIVE	8
#define MAX_VMAS	128

struct label {
	long pid;
	bool alive;
	unsigned long brk;		/* the break the kernel would report */
	unsigned long moved_from;	/* last mremap source, to move back */
	unsigned long moved_len;
};

struct gen {
	uint64_t rng;
	struct trace *t;
	struct replay r;
	struct label lab[MAX_LABELS];
	size_t nr_labels;
	unsigned int left;
	bool broken;
};

/* splitmix64, as traces/gen_random.c: the same on every machine. */
static uint64_t next(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rnd(struct gen *g, unsigned long n)
{
	return n ? next(g) % n : 0;
}

static bool chance(struct gen *g, unsigned int percent)
{
	return rnd(g, 100) < percent;
}

static struct trace_event *emit(struct gen *g, long pid, int type)
{
	struct trace_event *ev = trace_append(g->t);

	ev->type = type;
	ev->pid = pid;
	return ev;
}

/* Apply the event just emitted to the oracle world. */
static void apply(struct gen *g)
{
	struct errbuf err;

	if (g->left)
		g->left--;
	if (replay_step(&g->r, &err) < 0) {
		/* Cannot happen for events made here; stop, keep it valid. */
		g->t->nr_ev--;
		g->broken = true;
	}
}

static struct task *task_of(struct gen *g, const struct label *l)
{
	return task_find(g->r.w, l->pid);
}

static size_t nr_alive(const struct gen *g)
{
	size_t i, n = 0;

	for (i = 0; i < g->nr_labels; i++)
		n += g->lab[i].alive;
	return n;
}

static struct label *any_alive(struct gen *g)
{
	size_t i, k = rnd(g, nr_alive(g));

	for (i = 0; i < g->nr_labels; i++)
		if (g->lab[i].alive && !k--)
			return &g->lab[i];
	return NULL;
}

/* The VMAs of @l's mm, in address order; returns how many. */
static size_t vmas_of(struct gen *g, struct label *l,
		      struct vm_area_struct **v)
{
	struct task *t = task_of(g, l);
	struct vm_area_struct *vma;
	size_t n = 0;

	if (!t || !t->mm)
		return 0;
	for_each_vma(t->mm, vma)
		if (n < MAX_VMAS)
			v[n++] = vma;
	return n;
}

static struct vm_area_struct *any_vma(struct gen *g, struct label *l)
{
	struct vm_area_struct *v[MAX_VMAS];
	size_t n = vmas_of(g, l, v);

	return n ? v[rnd(g, n)] : NULL;
}

static unsigned long test_addr(struct gen *g, unsigned long pages)
{
	return GEN_MODEL_START + rnd(g, GEN_MODEL_PAGES - pages + 1) * PG;
}

static uint32_t any_prot(struct gen *g)
{
	static const uint32_t prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE,
		PROT_READ | PROT_WRITE | PROT_EXEC,
	};

	return prots[rnd(g, sizeof(prots) / sizeof(prots[0]))];
}

/*
 * A range for munmap, mprotect, madvise: part of a VMA (which splits
 * it), a whole one, or one running over into its neighbours.
 */
static void some_range(struct gen *g, struct label *l, unsigned long *s,
		       unsigned long *len)
{
	struct vm_area_struct *v = any_vma(g, l);
	unsigned long pages, off;

	if (!v || chance(g, 10)) {
		pages = 1 + rnd(g, 8);
		*s = test_addr(g, pages);
		*len = pages * PG;
		return;
	}
	pages = (v->vm_end - v->vm_start) / PG;
	switch (rnd(g, 4)) {
	case 0:		/* the whole VMA */
		*s = v->vm_start;
		*len = pages * PG;
		return;
	case 1:		/* over the end into the next */
		off = rnd(g, pages);
		*s = v->vm_start + off * PG;
		*len = (pages - off + 1 + rnd(g, 4)) * PG;
		return;
	default:	/* inside */
		if (pages > 64 && chance(g, 50))
			off = rnd(g, pages / 512 + 1) * 512;
		else
			off = rnd(g, pages);
		if (off >= pages)
			off = 0;
		*s = v->vm_start + off * PG;
		*len = (1 + rnd(g, pages - off < 8 ? pages - off : 8)) * PG;
		return;
	}
}

/* ---- events --------------------------------------------------------- */

static void gen_mmap(struct gen *g, struct label *l)
{
	struct vm_area_struct *n = any_vma(g, l);
	unsigned long pages = 1 + rnd(g, 8), start = test_addr(g, pages);
	unsigned int kind = rnd(g, 100);
	struct trace_event *ev;

	/* Next to a neighbour, with its protection, to merge. */
	if (n && n->vm_start < GEN_MODEL_THP && chance(g, 50)) {
		if (chance(g, 50) &&
		    n->vm_end + pages * PG <= GEN_MODEL_START +
					       GEN_MODEL_PAGES * PG)
			start = n->vm_end;
		else if (n->vm_start >= GEN_MODEL_START + pages * PG)
			start = n->vm_start - pages * PG;
	}
	ev = emit(g, l->pid, EV_MMAP);
	ev->addr = start;
	ev->len = pages * PG;
	ev->prot = chance(g, 70) ? PROT_READ | PROT_WRITE : any_prot(g);
	ev->flags = (chance(g, 90) ? MAP_FIXED : MAP_FIXED_NOREPLACE);
	if (kind < 62) {
		ev->flags |= MAP_PRIVATE | MAP_ANONYMOUS;
	} else if (kind < 87) {
		ev->flags |= MAP_PRIVATE;
		ev->file = rnd(g, g->t->nr_files);
		/* file offsets that line up with a neighbour now and then */
		ev->pgoff = chance(g, 50) ? (start - GEN_MODEL_START) / PG :
			    rnd(g, 64);
	} else if (kind < 94) {
		ev->flags |= MAP_SHARED | MAP_ANONYMOUS;
	} else {
		ev->flags |= MAP_SHARED;
		ev->file = rnd(g, g->t->nr_files);
		ev->pgoff = rnd(g, 64);
	}
	apply(g);
}

/* An anonymous MADV_HUGEPAGE area and a PMD-sized write fault in it. */
static void gen_thp(struct gen *g, struct label *l)
{
	unsigned long start = GEN_MODEL_THP +
			      rnd(g, GEN_MODEL_THP_LEN / PMD - 1) * PMD;
	unsigned long len = (1 + rnd(g, 2)) * PMD;
	struct trace_event *ev;

	if (start + len > GEN_MODEL_THP + GEN_MODEL_THP_LEN)
		len = PMD;
	ev = emit(g, l->pid, EV_MMAP);
	ev->addr = start;
	ev->len = len;
	ev->prot = PROT_READ | PROT_WRITE;
	ev->flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	apply(g);
	ev = emit(g, l->pid, EV_MADVISE);
	ev->addr = start;
	ev->len = len;
	ev->advice = MADV_HUGEPAGE;
	apply(g);
	ev = emit(g, l->pid, EV_FAULT);
	ev->addr = start + rnd(g, len / PMD) * PMD + rnd(g, 512) * PG;
	ev->write = 1;
	ev->order = 9;
	apply(g);
}

static void gen_fault(struct gen *g, struct label *l)
{
	struct vm_area_struct *v = any_vma(g, l);
	unsigned long pages, addr;
	struct trace_event *ev;
	bool write;

	if (!v || !(v->vm_flags & VM_ACCESS_FLAGS))
		return;
	write = (v->vm_flags & VM_WRITE) && chance(g, 70);
	pages = (v->vm_end - v->vm_start) / PG;
	addr = v->vm_start + rnd(g, pages) * PG;
	/* Past the end of a grown shared anon map the kernel sends SIGBUS. */
	if (v->vm_file && v->vm_file->nr_pages &&
	    linear_page_index(v, addr) >= v->vm_file->nr_pages)
		return;
	ev = emit(g, l->pid, EV_FAULT);
	ev->addr = addr;
	ev->write = write;
	/*
	 * The order the kernel would have allocated: a PMD where
	 * MADV_HUGEPAGE allows it, sometimes a small large folio elsewhere
	 * (the model falls back to order 0 where it does not fit).
	 */
	if (write && v->vm_file == NULL && !(v->vm_flags & VM_SHARED)) {
		if ((v->vm_flags & VM_HUGEPAGE) && chance(g, 60))
			ev->order = 9;
		else if (chance(g, 12))
			ev->order = chance(g, 50) ? 2 : 4;
	}
	apply(g);
}

static void gen_munmap(struct gen *g, struct label *l)
{
	struct trace_event *ev = emit(g, l->pid, EV_MUNMAP);

	some_range(g, l, &ev->addr, &ev->len);
	apply(g);
}

static void gen_mprotect(struct gen *g, struct label *l)
{
	struct trace_event *ev = emit(g, l->pid, EV_MPROTECT);

	some_range(g, l, &ev->addr, &ev->len);
	ev->prot = any_prot(g);
	apply(g);
}

static void gen_madvise(struct gen *g, struct label *l)
{
	static const int advice[] = {
		MADV_DONTNEED, MADV_DONTNEED, MADV_FREE, MADV_DONTFORK,
		MADV_DOFORK, MADV_WIPEONFORK, MADV_KEEPONFORK, MADV_HUGEPAGE,
		MADV_HUGEPAGE, MADV_NOHUGEPAGE,
	};
	struct trace_event *ev = emit(g, l->pid, EV_MADVISE);

	some_range(g, l, &ev->addr, &ev->len);
	ev->advice = advice[rnd(g, sizeof(advice) / sizeof(advice[0]))];
	apply(g);
}

static void gen_mremap(struct gen *g, struct label *l)
{
	struct vm_area_struct *v = any_vma(g, l);
	unsigned long pages, s, len, dst;
	struct trace_event *ev;

	if (!v)
		return;
	pages = (v->vm_end - v->vm_start) / PG;
	s = v->vm_start;
	len = pages;
	if (pages > 1 && chance(g, 30)) {
		unsigned long off = rnd(g, pages);

		s += off * PG;
		len = 1 + rnd(g, pages - off);
	}
	if (len > 16)
		len = 1 + rnd(g, 16);
	ev = emit(g, l->pid, EV_MREMAP);
	ev->addr = s;
	ev->len = len * PG;
	switch (rnd(g, 6)) {
	case 0:		/* shrink in place */
		ev->new_len = (len > 1 ? 1 + rnd(g, len - 1) : 1) * PG;
		break;
	case 1:		/* grow in place */
		ev->new_len = (len + 1 + rnd(g, 3)) * PG;
		break;
	case 2:		/* back to where the last move came from */
		if (l->moved_len) {
			ev->new_len = ev->len;
			ev->new_addr = l->moved_from;
			ev->flags = MREMAP_MAYMOVE | MREMAP_FIXED;
			l->moved_len = 0;
			break;
		}
		/* fall through */
	case 3:
	case 4:		/* move */
		ev->new_len = (len + rnd(g, 3) > 1 ? len + rnd(g, 3) - 1 : 1) *
			      PG;
		dst = test_addr(g, ev->new_len / PG);
		ev->new_addr = dst;
		ev->flags = MREMAP_MAYMOVE | MREMAP_FIXED;
		l->moved_from = s;
		l->moved_len = ev->len;
		break;
	default:	/* copy the page tables, leave the VMA */
		ev->new_len = ev->len;
		ev->new_addr = test_addr(g, len);
		ev->flags = MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP;
		l->moved_from = s;
		l->moved_len = ev->len;
		break;
	}
	apply(g);
}

static void gen_brk(struct gen *g, struct label *l)
{
	struct task *t = task_of(g, l);
	struct trace_event *ev;
	long delta;

	if (!t || !t->mm)
		return;
	if (!t->mm->brk_known) {
		/* What brk(0) returns tells the model where the break is. */
		ev = emit(g, l->pid, EV_BRK);
		ev->addr = 0;
		ev->has_result = 1;
		ev->result = l->brk;
		apply(g);
		return;
	}
	delta = (long)rnd(g, 9) - 3;
	ev = emit(g, l->pid, EV_BRK);
	ev->addr = t->mm->brk + delta * (long)PG;
	apply(g);
	if (t->mm)
		l->brk = t->mm->brk;
}

static struct label *new_label(struct gen *g, const struct label *parent)
{
	struct label *c;

	if (g->nr_labels == MAX_LABELS || nr_alive(g) >= MAX_ALIVE)
		return NULL;
	c = &g->lab[g->nr_labels];
	memset(c, 0, sizeof(*c));
	c->pid = ++g->nr_labels;
	c->alive = true;
	c->brk = parent->brk;
	return c;
}

static void gen_fork(struct gen *g, struct label *l)
{
	struct task *t = task_of(g, l);
	struct label *c;
	struct trace_event *ev;

	if (t && t->mm && t->mm->brk_known)
		l->brk = t->mm->brk;
	c = new_label(g, l);
	if (!c)
		return;
	ev = emit(g, l->pid, EV_FORK);
	ev->child = c->pid;
	apply(g);
}

static void gen_thread(struct gen *g, struct label *l)
{
	struct label *c = new_label(g, l);
	struct trace_event *ev;

	if (!c)
		return;
	ev = emit(g, l->pid, EV_THREAD);
	ev->child = c->pid;
	apply(g);
}

static void gen_exit(struct gen *g, struct label *l)
{
	if (nr_alive(g) < 2)
		return;
	emit(g, l->pid, EV_EXIT);
	apply(g);
	l->alive = false;
}

static void gen_exec(struct gen *g, struct label *l)
{
	struct task *t = task_of(g, l);

	/* de_thread() would kill the other threads: keep it simple. */
	if (!t || !t->mm || t->mm->mm_users > 1)
		return;
	emit(g, l->pid, EV_EXEC);
	apply(g);
	l->brk = GEN_MODEL_BRK;
	l->moved_len = 0;
}

void gen_model(struct trace *t, uint64_t seed, unsigned int nr_events)
{
	static void (*const ops[])(struct gen *, struct label *) = {
		gen_fault, gen_mmap, gen_mprotect, gen_madvise, gen_munmap,
		gen_mremap, gen_fork, gen_exit, gen_thp, gen_brk, gen_thread,
		gen_exec,
	};
	static const unsigned int w[] = {
		34, 14, 9, 8, 5, 10, 7, 3, 2, 3, 2, 1,
	};
	unsigned int sum = 0, r, guard;
	struct errbuf err;
	struct gen *g;
	size_t op;

	trace_init(t);
	snprintf(t->path, sizeof(t->path), "gen-model-%" PRIu64, seed);
	snprintf(t->hdr.thp, sizeof(t->hdr.thp), "madvise");
	snprintf(t->hdr.recorder, sizeof(t->hdr.recorder), "gen_model");
	trace_file_id(t, "f0");
	trace_file_id(t, "f1");
	g = calloc(1, sizeof(*g));
	if (!g)
		abort();
	g->t = t;
	g->rng = seed;
	g->left = nr_events ? nr_events : GEN_MODEL_EVENTS;
	if (replay_open(&g->r, t, ORACLE_SPEC, &err)) {
		fprintf(stderr, "rmaplab: gen_model: %s\n", err.msg);
		abort();
	}
	g->r.quiet = true;
	g->lab[0].pid = 1;
	g->lab[0].alive = true;
	g->lab[0].brk = GEN_MODEL_BRK;
	g->nr_labels = 1;
	for (op = 0; op < sizeof(w) / sizeof(w[0]); op++)
		sum += w[op];
	/* An op may find nothing to do; bound the tries. */
	for (guard = 0; g->left && !g->broken && guard < 50 * g->left + 1000;
	     guard++) {
		struct label *l = any_alive(g);
		struct task *task = task_of(g, l);

		r = rnd(g, sum);
		for (op = 0; r >= w[op]; op++)
			r -= w[op];
		/* An empty process mostly maps something first. */
		if (task && task->mm && !vma_first(task->mm) && chance(g, 70))
			op = 1;
		if (ops[op] == gen_thp && g->left < 3)
			op = 0;
		ops[op](g, l);
	}
	replay_close(&g->r);
	free(g);
}
