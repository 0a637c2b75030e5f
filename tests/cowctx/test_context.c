// SPDX-License-Identifier: GPL-2.0-only
/*
 * CoW contexts: one per mm, the fork tree, refcounts from mms, children
 * and folios, survival of exited parents, the cascade on free, exec, and
 * CoW reuse moving a folio to the reusing mm's context.  Pn is process n.
 */
#include <pthread.h>
#include <string.h>

#include <criterion/criterion.h>

#include "env.h"

TestSuite(cowctx_context, .fini = env_teardown);

/*
 * P1 forks P2 and P4, P2 forks P3:
 *
 *        ctx1            refcounts: ctx1 = mm + 2 children + 1 folio
 *       /    \                      ctx2 = mm + 1 child
 *    ctx4    ctx2                   ctx3 = ctx4 = mm
 *              \
 *              ctx3      no per-VMA object, no remap entry
 */
Test(cowctx_context, fork_tree)
{
	env_setup("");
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ev_fork(2, 3);
	ev_fork(1, 4);

	cr_expect_eq(nr_contexts(), 4);
	cr_expect_eq(live("cow_context"), 4);
	cr_expect_eq(live("cow_remap"), 0);
	cr_expect_null(ctx_of(1)->parent);
	cr_expect_eq(ctx_of(2)->parent, ctx_of(1));
	cr_expect_eq(ctx_of(3)->parent, ctx_of(2));
	cr_expect_eq(ctx_of(4)->parent, ctx_of(1));
	/* list_add_rcu(): the newest child comes first, as in the PoC */
	cr_expect_eq(cowctx_first_child(ctx_of(1)), ctx_of(4));
	cr_expect_eq(ctx_of(1)->refcnt, 4);
	cr_expect_eq(ctx_of(2)->refcnt, 2);
	cr_expect_eq(ctx_of(3)->refcnt, 1);
	cr_expect_eq(ctx_of(4)->refcnt, 1);
	/* the only rmap lock of a fork: the parent's list_write_lock */
	cr_expect_eq(lock_acquires("cow_context.list_write_lock", OP_FORK), 3);
	/* every VMA of the family points at its own mm's context */
	cr_expect_eq(vma_at(3, AT(0))->anon_vma, ctx_of(3));
	/* P1's folio is mapped by all four and found in all four */
	cr_expect(walk_finds(folio_at(1, AT(0)), 1, AT(0)));
	cr_expect(walk_finds(folio_at(1, AT(0)), 3, AT(0)));
	cr_expect(walk_finds(folio_at(1, AT(0)), 4, AT(0)));
}

/*
 * P1 -> P2 -> P3.  P2 exits: its context stays (P3 hangs below it) but
 * has no mm.  P3 exits: ctx3 goes, and ctx2 with it (cascade).
 */
Test(cowctx_context, exit_cascade)
{
	struct cow_context *ctx2;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ev_fork(2, 3);
	ctx2 = ctx_of(2);
	ev_exit(2);
	cr_expect_eq(nr_contexts(), 3);
	cr_expect_null(ctx2->mm);
	cr_expect_eq(ctx2->refcnt, 1);		/* ctx3 */
	cr_expect_eq(ctx_of(3)->parent, ctx2);
	/* the walk goes through the mm-less context to P3 */
	cr_expect(walk_finds(folio_at(1, AT(0)), 3, AT(0)));
	ev_exit(3);
	cr_expect_eq(nr_contexts(), 1);
	cr_expect_eq(live("cow_context"), 1);
	cr_expect_eq(ctx_of(1)->refcnt, 2);	/* mm + folio */
}

/*
 * P1 faults, forks P2, exits: ctx1 lives on for P2 and for the folio,
 * which P2 still maps.  P2 writes: it is the folio's only user, so it
 * reuses it (folio_move_anon_rmap) and the folio moves to ctx2; ctx1 is
 * now held by its child only.
 */
Test(cowctx_context, reuse_moves_folio)
{
	struct cow_context *ctx1;
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ctx1 = ctx_of(1);
	f = folio_at(1, AT(0));
	ev_exit(1);
	cr_expect_eq(ctx1->refcnt, 2);		/* ctx2 + the folio */
	cr_expect_eq(folio_ctx(f), ctx1);
	ev_fault(2, AT(0), true, 0);
	cr_expect_eq(folio_at(2, AT(0)), f, "P2 reused the folio");
	cr_expect_eq(folio_ctx(f), ctx_of(2));
	cr_expect_eq(ctx1->refcnt, 1);
	ev_exit(2);
	cr_expect_eq(nr_contexts(), 0);
	cr_expect_eq(live("cow_context"), 0);
}

/*
 * exec: the new image gets a new root context; the old one goes when
 * nothing refers to it any more.
 */
Test(cowctx_context, exec_new_root)
{
	struct cow_context *old;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	old = ctx_of(2);
	cr_expect_eq(old->parent, ctx_of(1));
	ev_exec(2);
	cr_expect_neq(ctx_of(2), old);
	cr_expect_null(ctx_of(2)->parent);
	cr_expect_eq(nr_contexts(), 2);
	cr_expect_eq(ctx_of(1)->refcnt, 2);	/* mm + folio, no child */
}

/* A CoW copy is a new folio in the copying mm's context. */
Test(cowctx_context, cow_copy_context)
{
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 1, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ev_fault(2, AT(0), true, 0);
	f = folio_at(2, AT(0));
	cr_expect_neq(f, folio_at(1, AT(0)));
	cr_expect_eq(folio_ctx(f), ctx_of(2));
	cr_expect_eq(f->index, AT(0) >> 12);
	cr_expect_eq(ctx_of(2)->refcnt, 2);
}

Test(cowctx_context, bad_params)
{
	struct errbuf err = { "" };

	cr_expect_null(world_new(&cowctx_scheme, "bogus", 12, &err));
	cr_expect(strstr(err.msg, "unknown parameter 'bogus'"), "%s",
		  err.msg);
	cr_expect_null(world_new(&cowctx_scheme, "stop=sometimes", 12, &err));
	cr_expect(strstr(err.msg, "bad value 'sometimes'"), "%s", err.msg);
}

static bool count_one(struct folio *folio, struct vm_area_struct *vma,
		      unsigned long addr, void *arg)
{
	__atomic_add_fetch((unsigned long *)arg, 1, __ATOMIC_RELAXED);
	return true;
}

static void *walker(void *arg)
{
	struct folio *folio;
	int i;

	for (i = 0; i < 50; i++) {
		list_for_each_entry(folio, &W->folios, lru) {
			struct rmap_walk_control rwc = {
				.rmap_one = count_one,
				.arg = arg,
			};

			W->scheme->rmap_walk(folio, &rwc);
		}
	}
	return NULL;
}

/*
 * Walkers on other threads register with liburcu on their first walk and
 * unregister when they exit; a threaded world frees contexts after a
 * grace period.  The walk itself takes one RCU read section.
 */
Test(cowctx_context, threaded_walkers)
{
	unsigned long candidates = 0, rcu;
	pthread_t th[2];
	int i;

	env_setup("");
	ev_mmap(1, AT(0), 8, "rw-");
	for (i = 0; i < 8; i++)
		ev_fault(1, AT(i), true, 0);
	ev_fork(1, 2);
	ev_fork(2, 3);
	W->locks.threaded = true;
	rcu = lock_acquires("cow_context.rcu_read", OP_NONE);
	for (i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, walker,
					    &candidates), 0);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	/* 8 folios mapped by 3 processes, 50 rounds, 2 threads */
	cr_expect_eq(candidates, 2UL * 50 * 8 * 3);
	cr_expect_eq(lock_acquires("cow_context.rcu_read", OP_NONE) - rcu,
		     2UL * 50 * 8);
	ev_exit(3);
	ev_exit(2);
	cr_expect_eq(nr_contexts(), 1);
	W->locks.threaded = false;
}

/* The checker notices broken refcounts, lost remap entries, bad indices. */
Test(cowctx_context, check_catches_corruption)
{
	struct cowctx_vma *cv;
	struct folio *f;

	env_setup("");
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_fork(1, 2);
	ev_move(2, AT(0), 2, 2, AT(8));

	ctx_of(1)->refcnt++;
	cr_expect_neq(env_sound(), 0);
	cr_expect(strstr(env_err, "refcount"), "%s", env_err);
	ctx_of(1)->refcnt--;
	cr_expect_eq(env_sound(), 0, "%s", env_err);

	cv = vma_cv(vma_at(2, AT(8)));
	cowctx_remap_remove(cv);
	cr_expect_neq(env_sound(), 0);
	cr_expect(strstr(env_err, "lacks its remap entry"), "%s", env_err);
	cowctx_remap_sync(vma_at(2, AT(8)));
	cr_expect_eq(env_sound(), 0, "%s", env_err);

	f = folio_at(1, AT(0));
	f->index++;
	cr_expect_neq(env_sound(), 0);
	cr_expect(strstr(env_err, "place it at"), "%s", env_err);
	f->index--;
}
