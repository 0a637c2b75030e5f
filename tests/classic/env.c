// SPDX-License-Identifier: GPL-2.0-only
/* The classic scheme's test set-up; see env.h. */
#include <criterion/criterion.h>

#include "env.h"

void env_setup(const char *params)
{
	env_world(&classic_scheme, params);
}

struct classic_state *env_cs(void)
{
	return W->scheme_priv;
}

int env_verify(const char *what, bool expect_ok)
{
	int ret = env_sound();

	cr_assert(!ret || !expect_ok, "%s: %s", what, env_err);
	return ret;
}

unsigned long locks_w(enum mm_op op)
{
	return W->locks.cls[env_cs()->lock_rwsem].acquire_write[op];
}

unsigned long locks_r(enum mm_op op)
{
	return W->locks.cls[env_cs()->lock_rwsem].acquire_read[op];
}

struct anon_vma *av_of(long pid, unsigned long addr)
{
	struct vm_area_struct *vma = vma_at(pid, addr);

	cr_assert(vma, "no VMA at %ld:%lx", pid, addr);
	return vma->anon_vma;
}

bool walk_finds(struct folio *f, long pid, unsigned long addr)
{
	struct vm_area_struct *v[256];
	struct vm_area_struct *want = vma_at(pid, addr);
	int n = walk_candidates(f, v, 256), i;

	for (i = 0; i < n && i < 256; i++)
		if (v[i] == want)
			return true;
	return false;
}
