// SPDX-License-Identifier: GPL-2.0-only
/* The cowctx scheme's test set-up; see env.h. */
#include <string.h>

#include <criterion/criterion.h>

#include "core/pgtable.h"
#include "env.h"

void env_setup(const char *params)
{
	env_world(&cowctx_scheme, params);
}

void ev_exec(long pid)
{
	cr_assert_eq(task_exec(T(pid)), 0);
	env_after("exec");
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
