// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/oracle.h"
#include "core/pgtable.h"
#include "env.h"

struct world *W;
char env_err[512];
bool env_strict = true;

void env_setup(const char *params)
{
	struct errbuf err = { "" };

	env_strict = true;
	env_teardown();
	W = world_new(&lazy_scheme, params, 12, &err);
	cr_assert(W, "world_new(lazy:%s): %s", params, err.msg);
	cr_assert(task_spawn(W, 1));
}

void env_teardown(void)
{
	if (W)
		world_free(W);
	W = NULL;
}

struct lazy_state *env_ls(void)
{
	return W->scheme_priv;
}

struct task *T(long pid)
{
	struct task *t = task_find(W, pid);

	cr_assert(t && t->alive, "no live task %ld", pid);
	return t;
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

static bool same_hit(const struct rmap_hit *a, const struct rmap_hit *b)
{
	return a->folio == b->folio && a->idx == b->idx && a->mm == b->mm &&
		a->addr == b->addr;
}

unsigned long env_misses(void)
{
	struct rmap_hits all = { 0 };
	unsigned long missed = 0;
	size_t i = 0, nr;

	env_err[0] = '\0';
	oracle_scan(W, &all);
	nr = rmap_hits_sort(&all);
	while (i < nr) {
		struct folio *f = all.v[i].folio;
		struct rmap_walk_control rwc = { 0 };
		struct rmap_hits got = { 0 };
		size_t j = i, k, n;

		while (j < nr && all.v[j].folio == f)
			j++;
		rmap_walk_verified(W, f, &got, &rwc);
		n = rmap_hits_sort(&got);
		for (; i < j; i++) {
			for (k = 0; k < n; k++)
				if (same_hit(&got.v[k], &all.v[i]))
					break;
			if (k < n)
				continue;
			if (!missed++)
				snprintf(env_err, sizeof(env_err),
					 "walk of pfn %lx misses page %u at pid %ld addr %lx",
					 f->pfn, all.v[i].idx,
					 mm_pid(all.v[i].mm), all.v[i].addr);
		}
		rmap_hits_free(&got);
	}
	rmap_hits_free(&all);
	return missed;
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

int env_verify(const char *what)
{
	char msg[sizeof(env_err)];

	if (!env_strict)
		return 0;
	if (env_check()) {
		snprintf(msg, sizeof(msg), "%s", env_err);
		cr_assert_fail("%s: %s", what, msg);
	}
	if (env_misses()) {
		snprintf(msg, sizeof(msg), "%s", env_err);
		cr_assert_fail("%s: %s", what, msg);
	}
	return 0;
}

static unsigned int prot_of(const char *p)
{
	return (p[0] == 'r' ? PROT_READ : 0) |
		(p[1] == 'w' ? PROT_WRITE : 0) |
		(p[2] == 'x' ? PROT_EXEC : 0);
}

void ev_mmap(long pid, unsigned long addr, unsigned long pages,
	     const char *prot)
{
	long r = sys_mmap(T(pid), addr, pages * PG, prot_of(prot),
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);

	cr_assert_eq(r, (long)addr, "mmap %lx: %ld", addr, r);
	env_verify("mmap");
}

void ev_mmap_file(long pid, unsigned long addr, unsigned long pages,
		  const char *prot, const char *name, unsigned long pgoff)
{
	long r = sys_mmap(T(pid), addr, pages * PG, prot_of(prot),
			  MAP_PRIVATE | MAP_FIXED, world_file(W, name),
			  pgoff);

	cr_assert_eq(r, (long)addr, "mmap file %lx: %ld", addr, r);
	env_verify("mmap file");
}

void ev_fault(long pid, unsigned long addr, bool write, unsigned int order)
{
	int r = handle_mm_fault(T(pid), addr, write, order);

	cr_assert_eq(r, 0, "fault %ld %lx: %d", pid, addr, r);
	env_verify("fault");
}

void ev_fork(long parent, long child)
{
	struct task *c = NULL;

	cr_assert_eq(task_fork(T(parent), child, &c), 0);
	cr_assert(c);
	env_verify("fork");
}

void ev_exit(long pid)
{
	task_exit(T(pid));
	env_verify("exit");
}

void ev_munmap(long pid, unsigned long addr, unsigned long pages)
{
	cr_assert_eq(sys_munmap(T(pid), addr, pages * PG), 0);
	env_verify("munmap");
}

void ev_mprotect(long pid, unsigned long addr, unsigned long pages,
		 const char *prot)
{
	cr_assert_eq(sys_mprotect(T(pid), addr, pages * PG, prot_of(prot)),
		     0);
	env_verify("mprotect");
}

void ev_madvise(long pid, unsigned long addr, unsigned long pages,
		int advice)
{
	cr_assert_eq(sys_madvise(T(pid), addr, pages * PG, advice), 0);
	env_verify("madvise");
}

long ev_mremap(long pid, unsigned long addr, unsigned long old_pages,
	       unsigned long new_pages, unsigned int flags,
	       unsigned long new_addr)
{
	long r = sys_mremap(T(pid), addr, old_pages * PG, new_pages * PG,
			    flags, new_addr, new_addr);

	cr_assert(r >= 0, "mremap %lx: %ld", addr, r);
	env_verify("mremap");
	return r;
}

long live(const char *cls)
{
	int id = acct_find(&W->acct, cls);

	cr_assert(id >= 0, "no class %s", cls);
	return W->acct.cls[id].live;
}

size_t objsize(const char *cls)
{
	int id = acct_find(&W->acct, cls);

	cr_assert(id >= 0, "no class %s", cls);
	return W->acct.cls[id].size;
}

unsigned long rwsem_w(enum mm_op op)
{
	return W->locks.cls[env_ls()->cs.lock_rwsem].acquire_write[op];
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

struct vm_area_struct *root_at(long pid, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(pid, addr);

	cr_assert(vma, "no VMA at %ld:%lx", pid, addr);
	return lazy_root_of(vma);
}

struct anon_vma *av_at(long pid, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(pid, addr);

	cr_assert(vma, "no VMA at %ld:%lx", pid, addr);
	return classic_vma_anon_vma(&env_ls()->cs, vma);
}

int chain_len(long pid, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(pid, addr);
	struct anon_vma_chain *avc;
	int n = 0;

	cr_assert(vma, "no VMA at %ld:%lx", pid, addr);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		n++;
	return n;
}
