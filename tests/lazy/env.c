// SPDX-License-Identifier: GPL-2.0-only
/* The lazy scheme's test set-up; see env.h. */
#define _GNU_SOURCE
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "env.h"

void env_setup(const char *params)
{
	env_world(&lazy_scheme, params);
}

struct lazy_state *env_ls(void)
{
	return W->scheme_priv;
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
