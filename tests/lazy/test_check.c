// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lazy checker (research/schemes.md §5 items 14-16) catches each kind
 * of damage, and passes again once it is undone.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "env.h"

/*
 * 0123
 * A*a*   fault 0 and 3, mprotect 2-3 r--: A=[2,4) root, a=[0,2)
 */
static void setup(void)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fault(1, AT(3), true, 0);
	ev_mprotect(1, AT(2), 2, "r--");
}

TestSuite(lazy_check, .init = setup, .fini = env_teardown);

static void expect_fail(const char *what)
{
	cr_assert_eq(env_check(), -1, "checker missed: %s", what);
	cr_assert(strstr(env_err, what), "expected '%s', got: %s", what,
		  env_err);
}

Test(lazy_check, folio_index)
{
	struct folio *f = folio_at(1, AT(3));

	f->index++;
	expect_fail("is expected at");
	f->index--;
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

Test(lazy_check, member_base)
{
	struct vm_area_struct *a = vma_at(1, AT(0));

	a->vm_pgoff++;
	expect_fail("mapping base");
	a->vm_pgoff--;
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

Test(lazy_check, folio_refcount)
{
	struct lazy_vma *r = lazy_vma_of(root_at(1, AT(0)));

	r->folio_refs++;
	expect_fail("counts 3 folios");
	r->folio_refs--;
	r->nr_members++;
	expect_fail("members");
	r->nr_members--;
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

Test(lazy_check, accounting)
{
	int id = acct_find(&W->acct, "lazy_vma_ref");

	W->acct.cls[id].live++;
	expect_fail("root references accounted");
	W->acct.cls[id].live--;
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

/* A lazy folio must stay in its root's mm (fork rewrites every copy). */
Test(lazy_check, lazy_folio_in_two_mms)
{
	struct folio *f;
	unsigned long mapping;

	ev_fork(1, 2);
	ev_mmap(2, AT(8), 1, "rw-");
	ev_fault(2, AT(8), true, 0);
	f = folio_at(2, AT(0));
	mapping = f->mapping;
	f->mapping = 0;
	lazy_folio_get_root(env_ls(), f, vma_at(2, AT(8)));
	expect_fail("a lazy folio in two mms");
	lazy_folio_put_root(env_ls(), f);
	f->mapping = mapping;
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

/* A bounds change that moves a lazy VMA's base is caught where it happens. */
Test(lazy_check, base_moved_by_update)
{
	struct vm_area_struct *a = vma_at(1, AT(0));

	W->scheme->vma_pre_update(a);
	a->vm_pgoff++;
	W->scheme->vma_post_update(a);
	a->vm_pgoff--;
	expect_fail("vma_mapping_base of VMA");
	env_ls()->violation[0] = '\0';
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

/* The classic checker covers the upgraded part. */
Test(lazy_check, upgraded_part_checked_by_classic)
{
	struct anon_vma *av;

	ev_fork(1, 2);
	av = av_at(1, AT(0));
	av->num_active_vmas++;
	expect_fail("lazy (upgraded): classic: anon_vma");
	av->num_active_vmas--;
	cr_assert_eq(env_check(), 0, "%s", env_err);
}

Test(lazy_check, dump)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	lazy_dump(env_ls(), f);
	fclose(f);
	cr_assert(strstr(buf, "root0 pid 1 100002000-100004000 base=0 folios=2 members: 100002000-100004000 100000000-100002000"),
		  "%s", buf);
	free(buf);
}
