// SPDX-License-Identifier: GPL-2.0-only
/*
 * CoW contexts: one per mm, linked into the fork tree, refcounted by the
 * mm, by child contexts and by folios, as mm_init_cow_context(),
 * dup_cow_context(), drop_cow_context() and __put_cow_context() of the
 * proof of concept do.  A context outlives its mm while children or
 * folios refer to it; freeing cascades up the parent chain.
 *
 * The children lists are RCU lists (liburcu, memb flavour): walkers read
 * them under the RCU read side only, writers serialise on the parent's
 * list_write_lock, and a context is freed after a grace period when the
 * world runs threaded.
 */
#include <stdlib.h>

#include <urcu/urcu-memb.h>
#include <urcu/rculist.h>

#include "cowctx.h"

static pthread_once_t rcu_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t rcu_key;
static __thread bool rcu_registered;

/* liburcu needs readers registered, and unregistered before they exit. */
static void rcu_thread_gone(void *unused)
{
	urcu_memb_unregister_thread();
}

static void rcu_key_init(void)
{
	pthread_key_create(&rcu_key, rcu_thread_gone);
}

void cowctx_rcu_read_lock(void)
{
	if (!rcu_registered) {
		pthread_once(&rcu_key_once, rcu_key_init);
		urcu_memb_register_thread();
		pthread_setspecific(rcu_key, &rcu_registered);
		rcu_registered = true;
	}
	urcu_memb_read_lock();
}

void cowctx_rcu_read_unlock(void)
{
	urcu_memb_read_unlock();
}

struct cow_context *cowctx_first_child(struct cow_context *ctx)
{
	struct cds_list_head *n = rcu_dereference(ctx->children.next);

	if (n == &ctx->children)
		return NULL;
	return caa_container_of(n, struct cow_context, siblings);
}

struct cow_context *cowctx_next_sibling(struct cow_context *ctx)
{
	struct cds_list_head *n = rcu_dereference(ctx->siblings.next);

	if (n == &ctx->parent->children)
		return NULL;
	return caa_container_of(n, struct cow_context, siblings);
}

struct cow_context *cowctx_alloc(struct cowctx_world *cw,
				 struct mm_struct *mm)
{
	struct world *w = cw->w;
	struct cow_context *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		abort();
	ctx->refcnt = 1;			/* the mm's reference */
	ctx->mm = mm;
	ctx->cw = cw;
	ctx->id = mm->id;
	ctx->owner = mm->owner;
	ctx->parent_mm_id = ~0UL;
	CDS_INIT_LIST_HEAD(&ctx->children);
	CDS_INIT_LIST_HEAD(&ctx->siblings);
	rmap_lock_init(&ctx->list_write_lock, cw->lk_list);
	rmap_lock_init(&ctx->concurrent_unmap_lock, cw->lk_unmap);

	pthread_mutex_lock(&cw->lock);
	list_add_tail(&ctx->all, &cw->contexts);
	cw->nr_contexts++;
	pthread_mutex_unlock(&cw->lock);
	acct_alloc(&w->acct, cw->cls_ctx);
	return ctx;
}

void cowctx_get(struct cow_context *ctx)
{
	__atomic_add_fetch(&ctx->refcnt, 1, __ATOMIC_RELAXED);
}

static void cowctx_destroy(struct cow_context *ctx)
{
	struct cowctx_world *cw = ctx->cw;
	struct world *w = cw->w;

	/* Exited mms unlink their VMAs first; this only catches leftovers. */
	cowctx_remap_drain(ctx);
	pthread_mutex_lock(&cw->lock);
	list_del(&ctx->all);
	cw->nr_contexts--;
	pthread_mutex_unlock(&cw->lock);
	acct_free(&w->acct, cw->cls_ctx);
	/* kfree_rcu(): walkers may still be looking at it. */
	lock_rcu_free(&w->locks);
	if (w->locks.threaded)
		urcu_memb_synchronize_rcu();
	rmap_lock_destroy(&ctx->list_write_lock);
	rmap_lock_destroy(&ctx->concurrent_unmap_lock);
	free(ctx);
}

/* put_cow_context(): the last reference frees, cascading to parents. */
void cowctx_put(struct cow_context *ctx)
{
	struct world *w = ctx->cw->w;
	struct cow_context *parent;

	while (ctx) {
		if (__atomic_sub_fetch(&ctx->refcnt, 1, __ATOMIC_ACQ_REL))
			return;
		parent = ctx->parent;
		if (parent) {
			/* delete_child_from_parent() */
			rmap_lock_write(&w->locks, &w->acct,
					&parent->list_write_lock);
			cds_list_del_rcu(&ctx->siblings);
			rmap_unlock_write(&w->locks, &parent->list_write_lock);
		}
		cowctx_destroy(ctx);
		ctx = parent;
	}
}

/* World teardown: whatever the core did not release. */
void cowctx_free_all(struct cowctx_world *cw)
{
	struct cow_context *ctx, *tmp;

	list_for_each_entry_safe(ctx, tmp, &cw->contexts, all) {
		list_del(&ctx->all);
		acct_free(&cw->w->acct, cw->cls_ctx);
		rmap_lock_destroy(&ctx->list_write_lock);
		rmap_lock_destroy(&ctx->concurrent_unmap_lock);
		free(ctx);
	}
	cw->nr_contexts = 0;
}

/*
 * mm_init() with mm_init_cow_context(), and for fork dup_cow_context():
 * the child's context hangs below the parent's and pins it.  exec gets
 * a fresh mm with no parent: a new root, as in the PoC, where only
 * dup_mm() links contexts.
 */
int cowctx_mm_init(struct mm_struct *mm, struct mm_struct *parent)
{
	struct cowctx_world *cw = mm_cw(mm);
	struct world *w = cw->w;
	struct cow_context *ctx = cowctx_alloc(cw, mm);
	struct cow_context *pctx = parent ? mm_ctx(parent) : NULL;

	mm->rmap_priv = ctx;
	if (!pctx)
		return 0;
	ctx->parent = pctx;
	ctx->parent_mm_id = parent->id;
	rmap_lock_write(&w->locks, &w->acct, &pctx->list_write_lock);
	cds_list_add_rcu(&ctx->siblings, &pctx->children);
	rmap_unlock_write(&w->locks, &pctx->list_write_lock);
	cowctx_get(pctx);
	return 0;
}

/* exit_mmap() with drop_cow_context(). */
void cowctx_mm_exit(struct mm_struct *mm)
{
	struct cow_context *ctx = mm_ctx(mm);

	if (!ctx)
		return;
	/* Remap entries of VMAs the core has not unlinked yet. */
	cowctx_remap_drain(ctx);
	CMM_STORE_SHARED(ctx->mm, NULL);
	mm->rmap_priv = NULL;
	cowctx_put(ctx);
}
