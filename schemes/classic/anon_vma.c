// SPDX-License-Identifier: GPL-2.0-only
/*
 * anon_vma and anon_vma_chain life as mm/rmap.c of Linux 6.18 has it:
 * anon_vma_alloc(), put_anon_vma() / __put_anon_vma(), __anon_vma_prepare()
 * with find_mergeable_anon_vma() (mm/vma.c), anon_vma_clone() with the
 * fork-only reuse heuristic, anon_vma_fork(), the two-pass
 * unlink_anon_vmas(), and anon_vma_interval_tree_pre/post_update_vma().
 *
 * cleanup=on switches to the Jan-2026 clean-up series ("mm: clean up
 * anon_vma implementation") where it changes what is observable:
 * anon_vma_clone() allocates all AVCs first, reversing the chain, and
 * tries reuse in the source chain's order (6.18: oldest first, building
 * the chain in the source's order as it goes), and anon_vma_fork()
 * allocates its candidate anon_vma + AVC before cloning and frees them
 * again if an anon_vma was reused.  See README.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/world.h"
#include "classic.h"

void classic_note_violation(struct classic_state *cs, const char *fmt, ...)
{
	va_list ap;

	if (cs->violation[0])
		return;			/* keep the first, like WARN_ON_ONCE */
	va_start(ap, fmt);
	vsnprintf(cs->violation, sizeof(cs->violation), fmt, ap);
	va_end(ap);
}

/* anon_vma_alloc(): refcount 1, its own root and parent. */
struct anon_vma *classic_anon_vma_alloc(struct classic_state *cs)
{
	struct anon_vma *av = kmem_cache_zalloc(&cs->anon_vma_cache);

	av->refcount = 1;
	av->root = av;
	av->parent = av;
	av->rb_root = (struct itree_root)ITREE_ROOT_INIT;
	rmap_lock_init(&av->rwsem, cs->lock_rwsem);
	av->cs = cs;
	av->id = cs->next_id++;
	list_add_tail(&av->node, &cs->anon_vmas);
	cs->nr_anon_vmas++;
	acct_alloc(&cs->w->acct, cs->cls_anon_vma);
	return av;
}

static void anon_vma_free(struct classic_state *cs, struct anon_vma *av)
{
	if (av->wdepth)
		classic_note_violation(cs, "anon_vma %lu freed while write-locked",
				       av->id);
	if (!itree_empty(&av->rb_root))
		classic_note_violation(cs, "anon_vma %lu freed with %lu AVCs in its tree",
				       av->id, av->rb_root.count);
	list_del(&av->node);
	cs->nr_anon_vmas--;
	acct_free(&cs->w->acct, cs->cls_anon_vma);
	rmap_lock_destroy(&av->rwsem);
	/*
	 * A deliberately broken variant can leave folios and child anon_vmas
	 * pointing here; keep the memory (as SLAB_TYPESAFE_BY_RCU keeps it a
	 * valid anon_vma) so the model reports the damage instead of
	 * crashing on it.
	 */
	if (cs->p.bug != CLASSIC_BUG_NONE) {
		av->dead = true;
		list_add_tail(&av->node, &cs->zombies);
		return;
	}
	kmem_cache_free(&cs->anon_vma_cache, av);
}

void classic_get_anon_vma(struct anon_vma *av)
{
	av->refcount++;
}

/* put_anon_vma() / __put_anon_vma(): a child pins its root. */
void classic_put_anon_vma(struct classic_state *cs, struct anon_vma *av)
{
	struct anon_vma *root = av->root;

	if (--av->refcount > 0)
		return;
	anon_vma_free(cs, av);
	if (root != av && --root->refcount == 0)
		anon_vma_free(cs, root);
}

struct anon_vma_chain *classic_avc_alloc(struct classic_state *cs)
{
	struct anon_vma_chain *avc = kmem_cache_zalloc(&cs->avc_cache);

	INIT_LIST_HEAD(&avc->same_vma);
	acct_alloc(&cs->w->acct, cs->cls_avc);
	return avc;
}

void classic_avc_free(struct classic_state *cs, struct anon_vma_chain *avc)
{
	acct_free(&cs->w->acct, cs->cls_avc);
	kmem_cache_free(&cs->avc_cache, avc);
}

/* anon_vma_interval_tree_insert(): key is the VMA's current pgoff range. */
static void avc_tree_insert(struct anon_vma_chain *avc)
{
	const struct vm_area_struct *vma = avc->vma;

	avc->rb.start = vma->vm_pgoff;
	avc->rb.last = vma->vm_pgoff + vma_pages(vma) - 1;
	itree_insert(&avc->anon_vma->rb_root, &avc->rb);
	avc->in_tree = true;
}

static void avc_tree_remove(struct anon_vma_chain *avc)
{
	itree_remove(&avc->anon_vma->rb_root, &avc->rb);
	avc->in_tree = false;
}

/* anon_vma_chain_assign(): the chain is kept newest first (list_add). */
static void avc_assign(struct vm_area_struct *vma, struct anon_vma_chain *avc,
		       struct anon_vma *av)
{
	avc->vma = vma;
	avc->anon_vma = av;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
}

void classic_avc_link(struct classic_state *cs, struct vm_area_struct *vma,
		      struct anon_vma_chain *avc, struct anon_vma *av)
{
	avc_assign(vma, avc, av);
	avc_tree_insert(avc);
}

/*
 * anon_vma_lock_write() takes the root's rwsem.  The model nests holds of
 * one root within an operation (vma_prepare() takes it once for a VMA and
 * its adj_next; the core reports each VMA separately), so one kernel
 * acquisition is counted once.
 */
void classic_lock_write(struct classic_state *cs, struct anon_vma *av)
{
	struct anon_vma *root = av->root;

	if (root->wdepth++ == 0)
		rmap_lock_write(&cs->w->locks, &cs->w->acct, &root->rwsem);
}

void classic_unlock_write(struct classic_state *cs, struct anon_vma *av)
{
	struct anon_vma *root = av->root;

	if (root->wdepth <= 0) {
		classic_note_violation(cs, "anon_vma %lu unlocked while not locked",
				       root->id);
		return;
	}
	if (--root->wdepth == 0)
		rmap_unlock_write(&cs->w->locks, &root->rwsem);
}

/*
 * lock_anon_vma_root() of 6.18: switch locks when the root changes while
 * walking a chain.  Every anon_vma of one chain shares a root (checked),
 * so this takes exactly one lock per chain.
 */
static struct anon_vma *lock_root(struct classic_state *cs,
				  struct anon_vma *locked, struct anon_vma *av)
{
	if (locked && locked->root == av->root)
		return locked;
	if (locked)
		classic_unlock_write(cs, locked);
	classic_lock_write(cs, av);
	return av;
}

/*
 * reusable_anon_vma(): @old's anon_vma, if @a and @b could one day merge
 * and @old is not a fork child (a singular chain is {root}).
 */
static struct anon_vma *reusable_anon_vma(struct classic_state *cs,
					  struct vm_area_struct *old,
					  struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	struct anon_vma *av;

	if (!classic_anon_vma_compatible(a, b))
		return NULL;
	av = classic_vma_anon_vma(cs, old);
	if (av && list_is_singular(&old->anon_vma_chain))
		return av;
	return NULL;
}

/* find_mergeable_anon_vma(): next neighbour first, then prev. */
struct anon_vma *classic_find_mergeable_anon_vma(struct classic_state *cs,
						 struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *next, *prev;
	struct anon_vma *av;

	next = vma_next(mm, vma);
	if (next) {
		av = reusable_anon_vma(cs, next, vma, next);
		if (av)
			return av;
	}
	prev = vma_prev(mm, vma);
	if (prev)
		return reusable_anon_vma(cs, prev, prev, vma);
	return NULL;
}

/*
 * __anon_vma_prepare(): the first anon folio of @vma.  Adopt a compatible
 * neighbour's anon_vma or make a new root (which counts itself as its own
 * child), then link under the root's write lock and page_table_lock.
 */
int classic_anon_vma_prepare(struct classic_state *cs,
			     struct vm_area_struct *vma)
{
	struct world *w = cs->w;
	struct anon_vma_chain *avc;
	struct anon_vma *av;

	if (classic_vma_anon_vma(cs, vma))
		return 0;		/* anon_vma_prepare()'s fast path */
	if (!list_empty(&vma->anon_vma_chain))
		classic_note_violation(cs, "anon_vma_prepare: VMA %lu has a chain but no anon_vma",
				       vma->id);

	avc = classic_avc_alloc(cs);
	av = classic_find_mergeable_anon_vma(cs, vma);
	if (av) {
		/* §5 item 13, by construction of reusable_anon_vma() */
		if (av->root != av)
			classic_note_violation(cs, "anon_vma_prepare adopted non-root anon_vma %lu",
					       av->id);
	} else {
		av = classic_anon_vma_alloc(cs);
		av->num_children++;	/* a new root is its own child */
	}

	classic_lock_write(cs, av);
	lock_count(&w->locks, &w->acct, w->lock_ptl, true);
	classic_vma_set_anon_vma(cs, vma, av);
	classic_avc_link(cs, vma, avc, av);
	av->num_active_vmas++;
	classic_unlock_write(cs, av);
	return 0;
}

/*
 * maybe_reuse_anon_vma(): on fork only, the first anon_vma visited that no
 * VMA uses any more and that has at most one child becomes the new VMA's
 * anon_vma.  A root always counts itself, so a root with a live child is
 * never taken.
 */
static void maybe_reuse_anon_vma(struct classic_state *cs,
				 struct vm_area_struct *dst,
				 struct anon_vma *av)
{
	if (!cs->p.reuse || classic_vma_anon_vma(cs, dst))
		return;
	if (av->num_active_vmas > 0 || av->num_children > 1)
		return;
	classic_vma_set_anon_vma(cs, dst, av);
	av->num_active_vmas++;
}

static bool skip_on_fork(const struct classic_state *cs,
			 enum classic_clone_op op, const struct anon_vma *av,
			 const struct anon_vma *active)
{
	return op == CLASSIC_OP_FORK &&
		cs->p.bug == CLASSIC_BUG_SKIP_FORK_AVC && av == active;
}

/*
 * 6.18: walk @src's chain oldest first; allocate, link (list_add, so @dst
 * ends up in @src's order) and insert each AVC under the root lock; on
 * fork try each anon_vma for reuse as it is linked.
 */
static void clone_618(struct classic_state *cs, struct vm_area_struct *dst,
		      struct vm_area_struct *src, enum classic_clone_op op,
		      struct anon_vma *active)
{
	struct anon_vma_chain *pavc, *avc;
	struct anon_vma *locked = NULL, *dav;

	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma *av = pavc->anon_vma;

		if (skip_on_fork(cs, op, av, active))
			continue;
		avc = classic_avc_alloc(cs);
		locked = lock_root(cs, locked, av);
		classic_avc_link(cs, dst, avc, av);
		if (op == CLASSIC_OP_FORK && cs->p.reuse &&
		    !classic_vma_anon_vma(cs, dst) &&
		    av->num_children < 2 && av->num_active_vmas == 0)
			classic_vma_set_anon_vma(cs, dst, av);
	}
	dav = classic_vma_anon_vma(cs, dst);
	if (dav)
		dav->num_active_vmas++;
	if (locked)
		classic_unlock_write(cs, locked);
}

/*
 * After the Jan-2026 clean-up: allocate every AVC unlocked, walking @src
 * newest first with list_add (so @dst's chain is @src's reversed), then
 * under one root lock walk @dst in reverse -- @src's order, newest first --
 * inserting and, on fork, trying reuse.
 */
static void clone_2026(struct classic_state *cs, struct vm_area_struct *dst,
		       struct vm_area_struct *src, enum classic_clone_op op,
		       struct anon_vma *active)
{
	struct anon_vma_chain *pavc, *avc;

	list_for_each_entry(pavc, &src->anon_vma_chain, same_vma) {
		if (skip_on_fork(cs, op, pavc->anon_vma, active))
			continue;
		avc = classic_avc_alloc(cs);
		avc_assign(dst, avc, pavc->anon_vma);
	}
	classic_lock_write(cs, active);
	list_for_each_entry_reverse(avc, &dst->anon_vma_chain, same_vma) {
		avc_tree_insert(avc);
		if (op == CLASSIC_OP_FORK)
			maybe_reuse_anon_vma(cs, dst, avc->anon_vma);
	}
	if (op != CLASSIC_OP_FORK)
		classic_vma_anon_vma(cs, dst)->num_active_vmas++;
	classic_unlock_write(cs, active);
}

/*
 * anon_vma_clone(): @dst gets one AVC per AVC of @src and, except on fork,
 * @src's anon_vma (vm_area_dup() / dup_anon_vma() set the pointer in the
 * kernel; here the clone does it for every operation).
 */
int classic_anon_vma_clone(struct classic_state *cs,
			   struct vm_area_struct *dst,
			   struct vm_area_struct *src,
			   enum classic_clone_op op)
{
	struct anon_vma *active = classic_vma_anon_vma(cs, src);
	struct anon_vma *cur = classic_vma_anon_vma(cs, dst);

	if (!list_empty(&dst->anon_vma_chain))
		classic_note_violation(cs, "anon_vma_clone: VMA %lu already has a chain",
				       dst->id);
	if (!active) {
		if (!list_empty(&src->anon_vma_chain))
			classic_note_violation(cs, "anon_vma_clone: VMA %lu has a chain but no anon_vma",
					       src->id);
		if (cur && op != CLASSIC_OP_FORK)
			classic_note_violation(cs, "anon_vma_clone: VMA %lu has an anon_vma its source lacks",
					       dst->id);
		return 0;
	}
	/* §5 item 13: merge adopts only a non-fork-child's anon_vma. */
	if (op == CLASSIC_OP_MERGE_UNFAULTED &&
	    !list_is_singular(&src->anon_vma_chain))
		classic_note_violation(cs, "merge of unfaulted VMA %lu adopts fork child %lu's anon_vma",
				       dst->id, src->id);
	if (op == CLASSIC_OP_FORK) {
		classic_vma_set_anon_vma(cs, dst, NULL);
	} else {
		if (cur && cur != active)
			classic_note_violation(cs, "anon_vma_clone: VMA %lu has another anon_vma than %lu",
					       dst->id, src->id);
		classic_vma_set_anon_vma(cs, dst, active);
	}

	if (cs->p.cleanup)
		clone_2026(cs, dst, src, op, active);
	else
		clone_618(cs, dst, src, op, active);
	return 0;
}

/*
 * anon_vma_fork(): the child VMA @dst links to everything @src links to,
 * then reuses an idle anon_vma of the hierarchy or gets a new one whose
 * parent is @src's anon_vma and which pins the root.
 */
int classic_anon_vma_fork(struct classic_state *cs,
			  struct vm_area_struct *dst,
			  struct vm_area_struct *src)
{
	struct anon_vma *pav = classic_vma_anon_vma(cs, src);
	struct anon_vma_chain *avc = NULL;
	struct anon_vma *av = NULL;

	/* Unfaulted parent, or a VM_WIPEONFORK child (dup_mmap skips it). */
	if (!pav || !dst->anon_vma)
		return 0;

	classic_vma_set_anon_vma(cs, dst, NULL);
	if (cs->p.cleanup) {
		av = classic_anon_vma_alloc(cs);
		avc = classic_avc_alloc(cs);
	}
	classic_anon_vma_clone(cs, dst, src, CLASSIC_OP_FORK);
	if (classic_vma_anon_vma(cs, dst)) {
		if (av) {
			classic_put_anon_vma(cs, av);
			classic_avc_free(cs, avc);
		}
		return 0;
	}

	classic_anon_vma_attach_new(cs, dst, pav, av, avc);
	return 0;
}

/*
 * The end of anon_vma_fork(): @vma, already linked to @pav's hierarchy,
 * gets its own anon_vma whose parent is @pav and which pins the root.
 * @av and @avc come preallocated (clean-up order) or NULL.
 */
struct anon_vma *classic_anon_vma_attach_new(struct classic_state *cs,
					     struct vm_area_struct *vma,
					     struct anon_vma *pav,
					     struct anon_vma *av,
					     struct anon_vma_chain *avc)
{
	if (!av) {
		av = classic_anon_vma_alloc(cs);
		avc = classic_avc_alloc(cs);
	}
	av->num_active_vmas = 1;
	av->root = pav->root;
	av->parent = pav;
	classic_get_anon_vma(av->root);
	classic_vma_set_anon_vma(cs, vma, av);
	classic_lock_write(cs, av);
	classic_avc_link(cs, vma, avc, av);
	pav->num_children++;
	classic_unlock_write(cs, av);
	return av;
}

/*
 * unlink_anon_vmas(): pass one, under the root lock, takes every AVC out
 * of its tree, frees the AVCs of trees that stay non-empty and drops the
 * parent's child count of trees that became empty; pass two puts the
 * emptied anon_vmas (newest first, so a root goes last).
 */
void classic_unlink_anon_vmas(struct classic_state *cs,
			      struct vm_area_struct *vma)
{
	struct anon_vma *active = classic_vma_anon_vma(cs, vma);
	struct anon_vma_chain *avc, *next;
	struct anon_vma *locked = NULL;

	if (active && cs->p.cleanup)
		locked = lock_root(cs, NULL, active);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *av = avc->anon_vma;

		locked = lock_root(cs, locked, av);
		if (avc->in_tree)
			avc_tree_remove(avc);
		if (itree_empty(&av->rb_root)) {
			av->parent->num_children--;
			continue;
		}
		list_del(&avc->same_vma);
		classic_avc_free(cs, avc);
	}
	if (active) {
		active->num_active_vmas--;
		classic_vma_set_anon_vma(cs, vma, NULL);
	}
	if (locked)
		classic_unlock_write(cs, locked);

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		classic_put_anon_vma(cs, avc->anon_vma);
		list_del(&avc->same_vma);
		classic_avc_free(cs, avc);
	}
}

static struct anon_vma *chain_lock_target(struct classic_state *cs,
					  struct vm_area_struct *vma)
{
	struct anon_vma *av = classic_vma_anon_vma(cs, vma);

	if (av)
		return av;
	return list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain,
				same_vma)->anon_vma;
}

/*
 * anon_vma_interval_tree_pre_update_vma(), with vma_prepare()'s
 * anon_vma_lock_write(): take every AVC of @vma out of its tree before its
 * bounds or pgoff change.
 */
void classic_vma_pre_update(struct classic_state *cs,
			    struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	if (list_empty(&vma->anon_vma_chain))
		return;
	classic_lock_write(cs, chain_lock_target(cs, vma));
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->in_tree)
			avc_tree_remove(avc);
}

/*
 * anon_vma_interval_tree_post_update_vma() and vma_complete()'s unlock:
 * reinsert with the new key.  An AVC cloned in between is re-keyed too.
 */
void classic_vma_post_update(struct classic_state *cs,
			     struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;
	struct anon_vma *av;

	if (list_empty(&vma->anon_vma_chain))
		return;
	av = chain_lock_target(cs, vma);
	if (av->root->wdepth == 0)	/* no pre_update: lock for this */
		classic_lock_write(cs, av);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		if (avc->in_tree)
			avc_tree_remove(avc);
		avc_tree_insert(avc);
	}
	classic_unlock_write(cs, av);
}
