// SPDX-License-Identifier: GPL-2.0-only
/* What the scheme tests share; see env_common.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/oracle.h"
#include "core/pgtable.h"
#include "tests/common/env_common.h"

struct world *W;
char env_err[512];
bool env_strict = true;

void env_world(const struct rmap_scheme *scheme, const char *params)
{
	struct errbuf err = { "" };

	env_strict = true;
	env_teardown();
	W = world_new(scheme, params, 12, &err);
	cr_assert(W, "world_new(%s:%s): %s", scheme->name, params, err.msg);
	cr_assert(task_spawn(W, 1));
}

void env_teardown(void)
{
	if (W)
		world_free(W);
	W = NULL;
}

struct task *T(long pid)
{
	struct task *t = task_find(W, pid);

	cr_assert(t && t->alive, "no live task %ld", pid);
	return t;
}

int env_check(void)
{
	struct errbuf err = { "" };

	env_err[0] = '\0';
	if (W->scheme->check(W, &err)) {
		snprintf(env_err, sizeof(env_err), "%s", err.msg);
		return -1;
	}
	return 0;
}

static bool same_hit(const struct rmap_hit *a, const struct rmap_hit *b)
{
	return a->folio == b->folio && a->idx == b->idx && a->mm == b->mm &&
		a->addr == b->addr;
}

/*
 * Completeness against the core's brute-force oracle: for every folio
 * some PTE maps, the scheme's verified walk (the core checks each
 * candidate against the page table) must find every (page, mm, address)
 * the oracle finds, and nothing else.  Returns the misses; *@extra counts
 * the hits the oracle does not see.  env_err describes the first miss, or
 * without one the first extra hit.
 */
static unsigned long compare_walks(unsigned long *extra)
{
	struct rmap_hits all = { 0 };
	unsigned long missed = 0;
	char extra_msg[sizeof(env_err)] = "";
	size_t i = 0, nr;

	*extra = 0;
	env_err[0] = '\0';
	oracle_scan(W, &all);
	nr = rmap_hits_sort(&all);
	while (i < nr) {
		struct folio *f = all.v[i].folio;
		struct rmap_walk_control rwc = { 0 };
		struct rmap_hits got = { 0 };
		size_t j = i, k, n, found = 0;

		while (j < nr && all.v[j].folio == f)
			j++;
		rmap_walk_verified(W, f, &got, &rwc);
		n = rmap_hits_sort(&got);
		for (; i < j; i++) {
			for (k = 0; k < n; k++)
				if (same_hit(&got.v[k], &all.v[i]))
					break;
			if (k < n) {
				found++;
				continue;
			}
			if (!missed++)
				snprintf(env_err, sizeof(env_err),
					 "walk of pfn %lx misses page %u at pid %ld addr %lx",
					 f->pfn, all.v[i].idx,
					 mm_pid(all.v[i].mm), all.v[i].addr);
		}
		if (n > found && !*extra)
			snprintf(extra_msg, sizeof(extra_msg),
				 "walk of pfn %lx reports %zu mappings the oracle does not see",
				 f->pfn, n - found);
		*extra += n - found;
		rmap_hits_free(&got);
	}
	rmap_hits_free(&all);
	if (!missed && *extra)
		snprintf(env_err, sizeof(env_err), "%s", extra_msg);
	return missed;
}

unsigned long env_misses(void)
{
	unsigned long extra;

	return compare_walks(&extra);
}

int env_sound(void)
{
	unsigned long extra;

	if (env_check())
		return -1;
	if (compare_walks(&extra) || extra)
		return -1;
	return 0;
}

void env_after(const char *what)
{
	if (env_strict && env_sound())
		cr_assert_fail("after %s: %s", what, env_err);
}

unsigned int env_prot(const char *p)
{
	return (p[0] == 'r' ? PROT_READ : 0) |
		(p[1] == 'w' ? PROT_WRITE : 0) |
		(p[2] == 'x' ? PROT_EXEC : 0);
}

void ev_mmap(long pid, unsigned long addr, unsigned long pages,
	     const char *prot)
{
	long r = sys_mmap(T(pid), addr, pages * PG, env_prot(prot),
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);

	cr_assert_eq(r, (long)addr, "mmap %lx: %ld", addr, r);
	env_after("mmap");
}

void ev_mmap_file(long pid, unsigned long addr, unsigned long pages,
		  const char *prot, const char *name, unsigned long pgoff)
{
	long r = sys_mmap(T(pid), addr, pages * PG, env_prot(prot),
			  MAP_PRIVATE | MAP_FIXED, world_file(W, name),
			  pgoff);

	cr_assert_eq(r, (long)addr, "mmap file %lx: %ld", addr, r);
	env_after("mmap file");
}

void ev_fault(long pid, unsigned long addr, bool write, unsigned int order)
{
	int r = handle_mm_fault(T(pid), addr, write, order);

	cr_assert_eq(r, 0, "fault %ld %lx: %d", pid, addr, r);
	env_after("fault");
}

struct folio *ev_mmap_thp(long pid, unsigned long addr)
{
	struct folio *f;

	ev_mmap(pid, addr, 512, "rw-");
	ev_madvise(pid, addr, 512, MADV_HUGEPAGE);
	ev_fault(pid, addr, true, 9);
	f = folio_at(pid, addr);
	cr_assert_eq(f->order, 9);
	cr_assert(pte_lookup(T(pid)->mm, addr)->pmd, "PMD mapped");
	return f;
}

void ev_fork(long parent, long child)
{
	struct task *c = NULL;

	cr_assert_eq(task_fork(T(parent), child, &c), 0);
	cr_assert(c);
	env_after("fork");
}

void ev_exit(long pid)
{
	task_exit(T(pid));
	env_after("exit");
}

void ev_munmap(long pid, unsigned long addr, unsigned long pages)
{
	cr_assert_eq(sys_munmap(T(pid), addr, pages * PG), 0);
	env_after("munmap");
}

void ev_mprotect(long pid, unsigned long addr, unsigned long pages,
		 const char *prot)
{
	cr_assert_eq(sys_mprotect(T(pid), addr, pages * PG, env_prot(prot)),
		     0);
	env_after("mprotect");
}

void ev_madvise(long pid, unsigned long addr, unsigned long pages,
		int advice)
{
	cr_assert_eq(sys_madvise(T(pid), addr, pages * PG, advice), 0);
	env_after("madvise");
}

long ev_mremap(long pid, unsigned long addr, unsigned long old_pages,
	       unsigned long new_pages, unsigned int flags,
	       unsigned long new_addr)
{
	long r = sys_mremap(T(pid), addr, old_pages * PG, new_pages * PG,
			    flags, new_addr, new_addr);

	cr_assert(r >= 0, "mremap %lx: %ld", addr, r);
	if (flags & MREMAP_FIXED)
		cr_assert_eq(r, (long)new_addr, "mremap %lx -> %lx: %ld",
			     addr, new_addr, r);
	else if (!(flags & MREMAP_MAYMOVE))
		cr_assert_eq(r, (long)addr, "mremap %lx in place: %ld", addr,
			     r);
	env_after("mremap");
	return r;
}

long ev_move(long pid, unsigned long addr, unsigned long old_pages,
	     unsigned long new_pages, unsigned long new_addr)
{
	return ev_mremap(pid, addr, old_pages, new_pages,
			 MREMAP_MAYMOVE | MREMAP_FIXED, new_addr);
}

long live(const char *cls)
{
	int id = acct_find(&W->acct, cls);

	cr_assert(id >= 0, "no class %s", cls);
	return W->acct.cls[id].live;
}

struct vm_area_struct *vma_at(long pid, unsigned long addr)
{
	return vma_lookup(T(pid)->mm, addr);
}

int nr_vmas(long pid)
{
	struct vm_area_struct *vma;
	int n = 0;

	for_each_vma(T(pid)->mm, vma)
		n++;
	return n;
}

struct folio *folio_at(long pid, unsigned long addr)
{
	struct pte *pte = pte_lookup(T(pid)->mm, addr);

	cr_assert(pte && pte->folio, "nothing mapped at %ld:%lx", pid, addr);
	return pte->folio;
}

int chain_len(long pid, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(pid, addr);
	const struct list_head *pos;
	int n = 0;

	cr_assert(vma, "no VMA at %ld:%lx", pid, addr);
	/* The entries are the scheme's (classic's anon_vma_chain). */
	for (pos = vma->anon_vma_chain.next; pos != &vma->anon_vma_chain;
	     pos = pos->next)
		n++;
	return n;
}

struct cands {
	struct vm_area_struct **v;
	int nr, max;
};

static bool record(struct folio *folio, struct vm_area_struct *vma,
		   unsigned long addr, void *arg)
{
	struct cands *c = arg;

	if (c->nr < c->max)
		c->v[c->nr] = vma;
	c->nr++;
	return true;
}

int walk_candidates(struct folio *f, struct vm_area_struct **out, int max)
{
	struct cands c = { out, 0, max };
	struct rmap_walk_control rwc = { .rmap_one = record, .arg = &c };

	W->scheme->rmap_walk(f, &rwc);
	return c.nr;
}
