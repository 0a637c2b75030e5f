// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checker must fail when the state is wrong: hand-made corruptions of
 * each kind it claims to catch, and the test-only bug=skip_fork_avc
 * variant, whose walks miss the child's mappings.  Also the walk's costs.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "env.h"

TestSuite(classic_check, .fini = env_teardown);

/* P1: A*AA faulted; P2 forked: the smallest state with a hierarchy. */
static void small_family(const char *params)
{
	env_setup(params);
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
}

static void expect_failure(const char *needle)
{
	cr_expect_neq(env_verify("corrupted", false), 0,
		      "checker accepted a corrupted state");
	cr_expect(strstr(env_err, needle), "message '%s' lacks '%s'",
		  env_err, needle);
}

Test(classic_check, num_active_vmas)
{
	small_family("");
	((struct anon_vma *)av_of(2, AT(0)))->num_active_vmas++;
	expect_failure("num_active_vmas");
	((struct anon_vma *)av_of(2, AT(0)))->num_active_vmas--;
}

Test(classic_check, num_children)
{
	struct anon_vma *root;

	small_family("");
	root = av_of(1, AT(0));
	root->num_children--;
	expect_failure("num_children");
	root->num_children++;
}

Test(classic_check, refcount)
{
	struct anon_vma *root;

	small_family("");
	root = av_of(1, AT(0));
	root->refcount++;
	expect_failure("refcount");
	root->refcount--;
}

/* A stale interval-tree key: the VMA moved without a re-key. */
Test(classic_check, stale_key)
{
	struct vm_area_struct *vma;

	small_family("");
	vma = vma_at(1, AT(0));
	vma->vm_pgoff++;
	expect_failure("keyed");
	vma->vm_pgoff--;
}

/*
 * The degree double-reuse shape (2022): two VMAs share an anon_vma but
 * not a chain.  Make P2's VMA use P1's root as its anon_vma.
 */
Test(classic_check, equal_anon_vma_unequal_chain)
{
	struct vm_area_struct *child;
	struct anon_vma *own, *root;

	small_family("");
	child = vma_at(2, AT(0));
	own = child->anon_vma;
	root = av_of(1, AT(0));
	child->anon_vma = root;
	own->num_active_vmas--;
	root->num_active_vmas++;
	expect_failure("share anon_vma");
	root->num_active_vmas--;
	own->num_active_vmas++;
	child->anon_vma = own;
	cr_expect_eq(env_verify("restored", false), 0, "%s", env_err);
}

/* A PTE in a VMA that does not link the folio's anon_vma. */
Test(classic_check, folio_not_linked)
{
	struct folio *f;
	unsigned long saved;

	small_family("");
	f = folio_at(1, AT(0));
	saved = f->mapping;
	f->mapping = (unsigned long)av_of(2, AT(0)) | 1;
	expect_failure("not linked");
	f->mapping = saved;
}

/*
 * bug=skip_fork_avc (test only): the child is not linked to the parent's
 * anon_vma, so the shared folio's walk misses the child and the checker
 * sees a singular chain of a non-root and an unlinked PTE.
 */
Test(classic_check, skip_fork_avc_is_caught)
{
	struct task *child = NULL;
	struct folio *f;

	env_setup("bug=skip_fork_avc");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	f = folio_at(1, AT(0));
	cr_assert_eq(task_fork(T(1), 2, &child), 0);
	cr_expect_not(walk_finds(f, 2, AT(0)));
	cr_expect_neq(env_verify("fork", false), 0);

	/* the broken state must still tear down without crashing */
	task_exit(T(1));
	cr_expect_not(walk_finds(f, 2, AT(0)));
	task_exit(T(2));
	cr_expect_eq(live("anon_vma"), 0);
	cr_expect_eq(live("anon_vma_chain"), 0);
}

static bool count_one(struct folio *folio, struct vm_area_struct *vma,
		      unsigned long addr, void *arg)
{
	(*(int *)arg)++;
	return true;
}

/* A walk takes one read lock on the root and visits the tree. */
Test(classic_check, walk_costs)
{
	struct rmap_walk_control rwc = { .rmap_one = count_one };
	unsigned long before = 0, after = 0;
	int n = 0, op;

	small_family("");
	ev_fork(1, 3);
	rwc.arg = &n;
	for (op = 0; op < OP_NR; op++)
		before += locks_r(op);
	W->scheme->rmap_walk(folio_at(1, AT(0)), &rwc);
	for (op = 0; op < OP_NR; op++)
		after += locks_r(op);
	cr_expect_eq(n, 3);			/* P1, P2, P3 */
	cr_expect_eq(rwc.locks, 1);
	cr_expect_eq(rwc.contexts, 1);
	cr_expect_geq(rwc.nodes, 3);
	cr_expect_eq(after - before, 1);
}
