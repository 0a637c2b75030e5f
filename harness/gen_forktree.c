// SPDX-License-Identifier: GPL-2.0-only
/* Synthetic fork trees; see gen_forktree.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/gen_forktree.h"
#include "harness/registry.h"

/*
 * Where the generated events go: straight into a world, or appended to
 * a trace.  Processes are named by label; world tasks are looked up by
 * label for every call because forking may move the task array.
 */
struct sink {
	struct world *w;
	struct trace *t;
	long next_pid;
	uint64_t rng;
	unsigned long procs;
};

/* xorshift64*: small, fast and the same everywhere. */
static uint64_t rnd(struct sink *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545F4914F6CDD1DULL;
}

static struct trace_event *ev(struct sink *s, long pid, int type)
{
	struct trace_event *e = trace_append(s->t);

	e->type = type;
	e->pid = pid;
	return e;
}

static void do_mmap(struct sink *s, long pid, unsigned long addr,
		    unsigned long len)
{
	struct trace_event *e;

	if (s->w) {
		sys_mmap(task_find(s->w, pid), addr, len,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);
		return;
	}
	e = ev(s, pid, EV_MMAP);
	e->addr = addr;
	e->len = len;
	e->prot = PROT_READ | PROT_WRITE;
	e->flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED;
	e->has_result = 1;
	e->result = (int64_t)addr;
}

static void do_fault(struct sink *s, long pid, unsigned long addr)
{
	struct trace_event *e;

	if (s->w) {
		handle_mm_fault(task_find(s->w, pid), addr, true, 0);
		return;
	}
	e = ev(s, pid, EV_FAULT);
	e->addr = addr;
	e->write = 1;
}

static void do_mprotect(struct sink *s, long pid, unsigned long addr,
			unsigned long len, unsigned int prot)
{
	struct trace_event *e;

	if (s->w) {
		sys_mprotect(task_find(s->w, pid), addr, len, prot);
		return;
	}
	e = ev(s, pid, EV_MPROTECT);
	e->addr = addr;
	e->len = len;
	e->prot = prot;
	e->has_result = 1;
}

static void do_mremap(struct sink *s, long pid, unsigned long addr,
		      unsigned long len, unsigned long to)
{
	struct trace_event *e;

	if (s->w) {
		sys_mremap(task_find(s->w, pid), addr, len, len,
			   MREMAP_MAYMOVE | MREMAP_FIXED, to, to);
		return;
	}
	e = ev(s, pid, EV_MREMAP);
	e->addr = addr;
	e->len = len;
	e->new_len = len;
	e->flags = MREMAP_MAYMOVE | MREMAP_FIXED;
	e->new_addr = to;
	e->has_result = 1;
	e->result = (int64_t)to;
}

static void do_munmap(struct sink *s, long pid, unsigned long addr,
		      unsigned long len)
{
	struct trace_event *e;

	if (s->w) {
		sys_munmap(task_find(s->w, pid), addr, len);
		return;
	}
	e = ev(s, pid, EV_MUNMAP);
	e->addr = addr;
	e->len = len;
	e->has_result = 1;
}

static long do_fork(struct sink *s, long pid)
{
	long child = s->next_pid++;
	struct trace_event *e;
	struct task *c;

	s->procs++;
	if (s->w) {
		task_fork(task_find(s->w, pid), child, &c);
		return child;
	}
	e = ev(s, pid, EV_FORK);
	e->child = child;
	return child;
}

static void do_exit(struct sink *s, long pid)
{
	if (s->w) {
		task_exit(task_find(s->w, pid));
		return;
	}
	ev(s, pid, EV_EXIT);
}

/*
 * A process's own short-lived area: map, write half, split it with an
 * mprotect and merge it back, move it, unmap it (trace mode only).
 */
static void scratch(struct sink *s, long pid)
{
	unsigned long psz = 4096, len = FORKTREE_SCRATCH_PAGES * psz, i;

	do_mmap(s, pid, FORKTREE_SCRATCH, len);
	for (i = 0; i < FORKTREE_SCRATCH_PAGES; i += 2)
		do_fault(s, pid, FORKTREE_SCRATCH + i * psz);
	do_mprotect(s, pid, FORKTREE_SCRATCH + 2 * psz, 2 * psz, PROT_READ);
	do_mprotect(s, pid, FORKTREE_SCRATCH + 2 * psz, 2 * psz,
		    PROT_READ | PROT_WRITE);
	if (rnd(s) % 4 == 0) {
		do_mremap(s, pid, FORKTREE_SCRATCH, len, FORKTREE_MOVED);
		do_munmap(s, pid, FORKTREE_MOVED, len);
	} else {
		do_munmap(s, pid, FORKTREE_SCRATCH, len);
	}
}

static void cow(struct sink *s, const struct forktree_params *p, long pid)
{
	unsigned long i, n = p->pages * p->cow_pct / 100;

	for (i = 0; i < n; i++)
		do_fault(s, pid, FORKTREE_BASE + (rnd(s) % p->pages) * 4096);
}

/*
 * Depth first: the process writes its share, forks its children (each
 * runs its whole subtree before the next is forked), then in a world
 * maybe exits, in a trace always exits once its children have.
 */
static void subtree(struct sink *s, const struct forktree_params *p,
		    long pid, unsigned int level, unsigned long cap)
{
	unsigned int i;
	long child;

	cow(s, p, pid);
	if (s->t)
		scratch(s, pid);
	for (i = 0; level < p->depth && i < p->fanout; i++) {
		if (s->procs >= cap)
			break;
		child = do_fork(s, pid);
		subtree(s, p, child, level + 1, cap);
	}
	if (s->t) {
		do_exit(s, pid);
		return;
	}
	if (level && level < p->depth && rnd(s) % 100 < p->exit_pct)
		do_exit(s, pid);
}

void forktree_defaults(struct forktree_params *p)
{
	memset(p, 0, sizeof(*p));
	p->depth = 3;
	p->fanout = 4;
	p->pages = 256;
	p->cow_pct = 10;
	p->max_procs = 4096;
	p->seed = 1;
}

static void sink_init(struct sink *s, const struct forktree_params *p)
{
	memset(s, 0, sizeof(*s));
	s->rng = p->seed * 0x9E3779B97F4A7C15ULL + 1;
	s->next_pid = 2;
}

static void root_setup(struct sink *s, const struct forktree_params *p)
{
	unsigned long i;

	do_mmap(s, 1, FORKTREE_BASE, p->pages * 4096);
	for (i = 0; i < p->pages; i++)
		do_fault(s, 1, FORKTREE_BASE + i * 4096);
}

struct world *forktree_world(const char *scheme,
			     const struct forktree_params *p,
			     struct errbuf *err)
{
	struct scheme_spec spec;
	struct sink s;
	unsigned int i;

	if (scheme_lookup(scheme, &spec, err))
		return NULL;
	sink_init(&s, p);
	s.w = world_new(spec.scheme, spec.params, 12, err);
	if (!s.w)
		return NULL;
	if (!task_spawn(s.w, 1)) {
		world_free(s.w);
		errbuf_set(err, "forktree: cannot spawn the root");
		return NULL;
	}
	root_setup(&s, p);
	s.procs = 1;
	for (i = 0; i < p->fanout && s.procs < (p->max_procs ?
						 p->max_procs : 4096); i++)
		subtree(&s, p, do_fork(&s, 1), 1, p->max_procs ?
			p->max_procs : 4096);
	return s.w;
}

void forktree_trace(struct trace *t, const struct forktree_params *p,
		    unsigned long nr_events)
{
	unsigned long cap = p->max_procs ? p->max_procs : 4096, i;
	struct sink s;

	trace_init(t);
	snprintf(t->hdr.recorder, sizeof(t->hdr.recorder), "forktree");
	snprintf(t->hdr.thp, sizeof(t->hdr.thp), "madvise");
	snprintf(t->path, sizeof(t->path), "forktree-d%u-f%u-p%lu-s%llu",
		 p->depth, p->fanout, p->pages, (unsigned long long)p->seed);
	sink_init(&s, p);
	s.t = t;
	root_setup(&s, p);
	while (t->nr_ev < nr_events) {
		/* One connection: a worker tree that exits entirely. */
		s.procs = 1;
		subtree(&s, p, do_fork(&s, 1), 1, cap);
		/* The server touches its own memory between connections. */
		for (i = 0; i < 4; i++)
			do_fault(&s, 1, FORKTREE_BASE +
				 (rnd(&s) % p->pages) * 4096);
	}
}
