// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/pgtable.h"
#include "env.h"

#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE	1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED	2
#endif

struct world *W;
bool env_strict = true;
char env_err[512];

void env_setup(const char *params)
{
	struct errbuf err = { "" };

	env_strict = true;
	W = world_new(&cowctx_scheme, params, 12, &err);
	cr_assert(W, "world_new(cowctx:%s): %s", params, err.msg);
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

static int hits_cmp(const struct rmap_hit *a, const struct rmap_hit *b)
{
	if (a->folio != b->folio || a->idx != b->idx || a->mm != b->mm ||
	    a->addr != b->addr)
		return 1;
	return 0;
}

int env_verify(void)
{
	struct rmap_hits oracle = { 0 }, found = { 0 };
	struct errbuf err = { "" };
	struct folio *folio;
	size_t i;
	int ret = 0;

	if (W->scheme->check(W, &err)) {
		snprintf(env_err, sizeof(env_err), "%s", err.msg);
		return -1;
	}
	oracle_scan(W, &oracle);
	list_for_each_entry(folio, &W->folios, lru) {
		struct rmap_walk_control rwc = { 0 };

		rmap_walk_verified(W, folio, &found, &rwc);
	}
	/* qsort(NULL, 0) is undefined: core/oracle.c sorts unguarded */
	if (oracle.nr)
		rmap_hits_sort(&oracle);
	if (found.nr)
		rmap_hits_sort(&found);
	for (i = 0; i < oracle.nr || i < found.nr; i++) {
		if (i < oracle.nr && i < found.nr &&
		    !hits_cmp(&oracle.v[i], &found.v[i]))
			continue;
		if (i < oracle.nr)
			snprintf(env_err, sizeof(env_err), "walk misses pid "
				 "%ld addr %#lx (pfn %#lx page %u)",
				 mm_pid(oracle.v[i].mm), oracle.v[i].addr,
				 oracle.v[i].folio->pfn, oracle.v[i].idx);
		else
			snprintf(env_err, sizeof(env_err), "walk reports "
				 "extra pid %ld addr %#lx",
				 mm_pid(found.v[i].mm), found.v[i].addr);
		ret = -1;
		break;
	}
	rmap_hits_free(&oracle);
	rmap_hits_free(&found);
	return ret;
}

static void after(const char *what)
{
	if (env_strict && env_verify())
		cr_assert_fail("after %s: %s", what, env_err);
}

static unsigned int prot_of(const char *p)
{
	return (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
		(p[2] == 'x' ? PROT_EXEC : 0);
}

void ev_mmap(long pid, unsigned long addr, unsigned long pages,
	     const char *prot)
{
	long ret = sys_mmap(T(pid), addr, pages * PG, prot_of(prot),
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0);

	cr_assert_eq(ret, (long)addr, "mmap %#lx: %ld", addr, ret);
	after("mmap");
}

void ev_fault(long pid, unsigned long addr, bool write, unsigned int order)
{
	int ret = handle_mm_fault(T(pid), addr, write, order);

	cr_assert_eq(ret, 0, "fault %#lx: %d", addr, ret);
	after("fault");
}

void ev_fork(long parent, long child)
{
	struct task *c;

	cr_assert_eq(task_fork(T(parent), child, &c), 0);
	after("fork");
}

void ev_exit(long pid)
{
	task_exit(T(pid));
	after("exit");
}

void ev_exec(long pid)
{
	cr_assert_eq(task_exec(T(pid)), 0);
	after("exec");
}

void ev_munmap(long pid, unsigned long addr, unsigned long pages)
{
	cr_assert_eq(sys_munmap(T(pid), addr, pages * PG), 0);
	after("munmap");
}

void ev_mprotect(long pid, unsigned long addr, unsigned long pages,
		 const char *prot)
{
	cr_assert_eq(sys_mprotect(T(pid), addr, pages * PG, prot_of(prot)), 0);
	after("mprotect");
}

long ev_mremap(long pid, unsigned long addr, unsigned long old_pages,
	       unsigned long new_pages, unsigned long new_addr)
{
	unsigned int flags = new_addr ? MREMAP_MAYMOVE | MREMAP_FIXED : 0;
	long ret = sys_mremap(T(pid), addr, old_pages * PG, new_pages * PG,
			      flags, new_addr, 0);

	cr_assert_eq(ret, (long)(new_addr ? new_addr : addr),
		     "mremap %#lx -> %#lx: %ld", addr, new_addr, ret);
	after("mremap");
	return ret;
}

long live(const char *cls)
{
	int i = acct_find(&W->acct, cls);

	cr_assert(i >= 0, "no class %s", cls);
	return W->acct.cls[i].live;
}

unsigned long lock_acquires(const char *cls, enum mm_op op)
{
	int i;

	for (i = 0; i < W->locks.nr; i++)
		if (!strcmp(W->locks.cls[i].name, cls))
			return W->locks.cls[i].acquire_read[op] +
				W->locks.cls[i].acquire_write[op];
	cr_assert_fail("no lock class %s", cls);
	return 0;
}

struct vm_area_struct *vma_at(long pid, unsigned long addr)
{
	return vma_lookup(T(pid)->mm, addr);
}

int nr_vmas(long pid)
{
	return T(pid)->mm->map_count;
}

struct folio *folio_at(long pid, unsigned long addr)
{
	struct pte *pte = pte_lookup(T(pid)->mm, addr);

	return pte ? pte->folio : NULL;
}

struct cow_context *ctx_of(long pid)
{
	return mm_ctx(T(pid)->mm);
}

int nr_contexts(void)
{
	struct cowctx_world *cw = W->scheme_priv;

	return (int)cw->nr_contexts;
}

void walk(struct folio *f, struct walk_res *r)
{
	memset(r, 0, sizeof(*r));
	cr_assert(f);
	rmap_walk_verified(W, f, &r->hits, &r->rwc);
}

void walk_res_free(struct walk_res *r)
{
	rmap_hits_free(&r->hits);
}

bool walk_finds(struct folio *f, long pid, unsigned long addr)
{
	struct walk_res r;
	bool found = false;
	size_t i;

	walk(f, &r);
	for (i = 0; i < r.hits.nr; i++)
		if (mm_pid(r.hits.v[i].mm) == pid && r.hits.v[i].addr == addr)
			found = true;
	walk_res_free(&r);
	return found;
}

bool maps(long pid, unsigned long addr, struct folio *f)
{
	struct pte *pte = pte_lookup(T(pid)->mm, addr);

	return pte && pte->folio == f;
}
