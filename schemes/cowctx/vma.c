// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-VMA side of cowctx: the anon pgoff and offset of a VMA, the VMA
 * hooks (prepare, fork, clone, unlink, bounds change, move) and the merge
 * policy.
 *
 * With CONFIG_COW_CONTEXT_ANON_RMAP=y the PoC's mm/rmap.c sets
 * vma->anon_vma to a dummy pointer on first fault and copies it on
 * clone and fork; here vma->anon_vma is the mm's context, which the core
 * only tests for NULL.  Nothing is allocated per VMA in the kernel
 * design; struct cowctx_vma stands for fields that live in
 * vm_area_struct (see cowctx.h).
 */
#include <stdlib.h>

#include "cowctx.h"

#define COWCTX_ENOMEM	(-12)

static struct cowctx_vma *cv_alloc(struct vm_area_struct *vma)
{
	struct cowctx_world *cw = mm_cw(vma->vm_mm);
	struct cowctx_vma *cv = calloc(1, sizeof(*cv));

	if (!cv)
		abort();
	cv->vma = vma;
	pthread_mutex_lock(&cw->lock);
	list_add_tail(&cv->all, &cw->vmas);
	pthread_mutex_unlock(&cw->lock);
	vma->rmap_priv = cv;
	return cv;
}

/* The VMA's own state; drops a pointer vm_area_dup() copied from src. */
static struct cowctx_vma *cv_get(struct vm_area_struct *vma)
{
	struct cowctx_vma *cv = vma_cv(vma);

	return cv ? cv : cv_alloc(vma);
}

static void cv_free(struct vm_area_struct *vma)
{
	struct cowctx_world *cw = mm_cw(vma->vm_mm);
	struct cowctx_vma *cv = vma_cv(vma);

	vma->rmap_priv = NULL;
	if (!cv)
		return;
	cowctx_remap_remove(cv);
	pthread_mutex_lock(&cw->lock);
	list_del(&cv->all);
	pthread_mutex_unlock(&cw->lock);
	free(cv);
}

void cowctx_vma_free_all(struct cowctx_world *cw)
{
	struct cowctx_vma *cv, *tmp;

	list_for_each_entry_safe(cv, tmp, &cw->vmas, all) {
		list_del(&cv->all);
		free(cv);
	}
}

static unsigned long new_ident(struct cowctx_world *cw)
{
	return __atomic_add_fetch(&cw->next_ident, 1, __ATOMIC_RELAXED);
}

static bool vma_private_file(const struct vm_area_struct *vma)
{
	return vma->vm_file && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE));
}

/*
 * anon pgoff (the 2026 series' vma_start_anon_pgoff()): vm_pgoff for
 * anonymous VMAs, whose vm_pgoff the core already keeps as the kernel
 * does.  For a private file VMA it is vm_start >> PAGE_SHIFT while
 * unfaulted and then follows vm_pgoff at the distance fixed at first
 * fault, which split, merge and mremap all preserve.  With
 * file_pgoff=file it is vm_pgoff, as the PoC uses.
 */
unsigned long cowctx_anon_pgoff(const struct vm_area_struct *vma)
{
	const struct cowctx_vma *cv;

	if (!vma->vm_file || mm_cw(vma->vm_mm)->p.file_pgoff)
		return vma->vm_pgoff;
	cv = vma_cv(vma);
	if (vma->anon_vma && cv)
		return vma->vm_pgoff + cv->pgoff_delta;
	return vma->vm_start >> vma->vm_mm->page_shift;
}

/* The VMA's offset: 0 unless it moved since its first fault. */
long cowctx_vma_off(const struct vm_area_struct *vma)
{
	return (long)(vma->vm_start >> vma->vm_mm->page_shift) -
		(long)cowctx_anon_pgoff(vma);
}

/* should_track_remap(): faulted and private (anonymous or file). */
bool cowctx_vma_tracked(const struct vm_area_struct *vma)
{
	return vma->anon_vma && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE));
}

/*
 * vma_is_fork_child() as classic would answer it.  Under merge=poc every
 * faulted VMA is one: the PoC never fills anon_vma_chain, so
 * list_is_singular() is false for all of them.
 */
static bool fork_child(const struct vm_area_struct *vma)
{
	const struct cowctx_vma *cv;

	if (!vma || !vma->anon_vma)
		return false;
	if (mm_cw(vma->vm_mm)->p.merge == COWCTX_MERGE_POC)
		return true;
	cv = vma_cv(vma);
	return cv && cv->fork_child;
}

/* anon_vma_compatible() of mm/rmap.c. */
static bool anon_vma_compatible(const struct vm_area_struct *a,
				const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
		!((a->vm_flags ^ b->vm_flags) & ~VM_ACCESS_FLAGS) &&
		b->vm_pgoff == a->vm_pgoff +
			((b->vm_start - a->vm_start) >> a->vm_mm->page_shift);
}

/* reusable_anon_vma(): @old's identity if it is not a fork child. */
static bool reusable_ident(const struct vm_area_struct *old,
			   const struct vm_area_struct *a,
			   const struct vm_area_struct *b,
			   unsigned long *ident)
{
	const struct cowctx_vma *cv = vma_cv(old);

	if (!anon_vma_compatible(a, b) || !old->anon_vma || !cv ||
	    cv->fork_child)
		return false;
	*ident = cv->ident;
	return true;
}

/*
 * find_mergeable_anon_vma(): next first, then prev.  Only the identity
 * is adopted; nothing is allocated either way.
 */
static unsigned long prepare_ident(struct vm_area_struct *vma)
{
	struct cowctx_world *cw = mm_cw(vma->vm_mm);
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *next, *prev;
	unsigned long ident;

	if (cw->p.merge != COWCTX_MERGE_CLASSIC)
		return new_ident(cw);
	next = vma_lookup(mm, vma->vm_end);
	if (next && reusable_ident(next, vma, next, &ident))
		return ident;
	prev = vma->vm_start ? vma_lookup(mm, vma->vm_start - 1) : NULL;
	if (prev && reusable_ident(prev, prev, vma, &ident))
		return ident;
	return new_ident(cw);
}

/* __anon_vma_prepare() with cow_context_do_map_private_cow(). */
int cowctx_anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct cow_context *ctx = mm_ctx(mm);
	struct cowctx_vma *cv;

	if (vma->anon_vma)
		return 0;
	if (!ctx)
		return COWCTX_ENOMEM;
	cv = cv_get(vma);
	cv->ident = prepare_ident(vma);
	cv->fork_child = false;
	cv->pgoff_delta = vma_private_file(vma) ?
		(long)(vma->vm_start >> mm->page_shift) - (long)vma->vm_pgoff :
		0;
	vma->anon_vma = ctx;
	/* Only a VMA that moved while unfaulted (DONTUNMAP) has off != 0. */
	cowctx_remap_sync(vma);
	return 0;
}

/*
 * anon_vma_fork() with cow_context_do_fork(): the child's VMA gets the
 * child's context and, if it is remapped, a remap entry there.
 */
int cowctx_anon_vma_fork(struct vm_area_struct *dst,
			 struct vm_area_struct *src)
{
	struct cowctx_world *cw = mm_cw(dst->vm_mm);
	struct cow_context *ctx = mm_ctx(dst->vm_mm);
	struct cowctx_vma *scv = vma_cv(src), *cv;

	if (!vma_cv(dst))
		dst->rmap_priv = NULL;
	if (!src->anon_vma || !dst->anon_vma) {
		dst->anon_vma = NULL;		/* VM_WIPEONFORK */
		return 0;
	}
	if (!ctx)
		return COWCTX_ENOMEM;
	cv = cv_get(dst);
	cv->ident = new_ident(cw);
	cv->fork_child = true;
	cv->pgoff_delta = scv ? scv->pgoff_delta : 0;
	dst->anon_vma = ctx;
	cowctx_remap_sync(dst);
	return 0;
}

/* anon_vma_clone(): split, copy_vma() and dup_anon_vma() share state. */
int cowctx_anon_vma_clone(struct vm_area_struct *dst,
			  struct vm_area_struct *src, enum vma_clone_op op)
{
	struct cowctx_vma *scv = vma_cv(src), *cv;

	if (!vma_cv(dst))
		dst->rmap_priv = NULL;
	if (!src->anon_vma)
		return 0;
	cv = cv_get(dst);
	cv->ident = scv ? scv->ident : new_ident(mm_cw(src->vm_mm));
	cv->fork_child = scv ? scv->fork_child : false;
	cv->pgoff_delta = scv ? scv->pgoff_delta : 0;
	dst->anon_vma = src->anon_vma;
	cowctx_remap_sync(dst);
	return 0;
}

/* unlink_anon_vmas() with cow_context_vma_unmap(). */
void cowctx_unlink_anon_vmas(struct vm_area_struct *vma)
{
	cv_free(vma);
	vma->anon_vma = NULL;
}

/* cow_context_vma_adjust(): drop the old entry, then add the new one. */
void cowctx_vma_pre_update(struct vm_area_struct *vma)
{
	struct cowctx_vma *cv = vma_cv(vma);

	if (cv)
		cowctx_remap_remove(cv);
}

void cowctx_vma_post_update(struct vm_area_struct *vma)
{
	cowctx_remap_sync(vma);
}

bool cowctx_vma_release(struct vm_area_struct *vma)
{
	cv_free(vma);
	return true;
}

/*
 * cow_context_do_remap(): the moved VMA's entry now carries the new
 * offset (or goes away if it moved back to offset 0).
 */
void cowctx_vma_moved(struct vm_area_struct *old,
		      struct vm_area_struct *new_vma)
{
	cowctx_remap_sync(new_vma);
}

/*
 * needs_adjacent_anon_pgoff(): two faulted private file VMAs merge only
 * if their anon pgoffs are contiguous too.  The core has checked vm_pgoff
 * contiguity, so that is equal pgoff_delta.  Anonymous VMAs always pass.
 */
static bool anon_pgoff_match(const struct vm_area_struct *a,
			     const struct vm_area_struct *b)
{
	const struct cowctx_vma *ca, *cb;

	if (!a || !b || !a->anon_vma || !b->anon_vma || !a->vm_file ||
	    mm_cw(a->vm_mm)->p.file_pgoff)
		return true;
	ca = vma_cv(a);
	cb = vma_cv(b);
	return ca && cb && ca->pgoff_delta == cb->pgoff_delta;
}

static bool same_ident(const struct vm_area_struct *a,
		       const struct vm_area_struct *b)
{
	const struct cowctx_vma *ca = a ? vma_cv(a) : NULL;
	const struct cowctx_vma *cb = b ? vma_cv(b) : NULL;

	return ca && cb && ca->ident == cb->ident;
}

/*
 * is_mergeable_anon_vma() of mm/vma.c, on the emulated identity:
 * case 1 unfaulted target takes a faulted range, case 2 faulted target
 * takes an unfaulted range, case 3 both faulted and the same anon_vma.
 */
bool cowctx_anon_mergeable(struct vm_area_struct *tgt, void *src_anon,
			   struct vm_area_struct *src,
			   struct vm_area_struct *copied_from,
			   struct vm_area_struct *owner)
{
	enum cowctx_merge merge = mm_cw(tgt->vm_mm)->p.merge;

	if (tgt->anon_vma && src_anon && !anon_pgoff_match(tgt, owner))
		return false;
	if (merge == COWCTX_MERGE_OFFSET)
		return true;
	/* Before 6.16 case 1 never merged (as classic_anon_mergeable()). */
	if (!tgt->anon_vma && src_anon)
		return kernel_at_least(tgt->vm_mm->world, 6, 16) &&
			!fork_child(src) && !fork_child(copied_from);
	if (tgt->anon_vma && !src_anon)
		return !fork_child(tgt);
	if (!tgt->anon_vma)
		return true;
	if (merge == COWCTX_MERGE_POC)
		return true;		/* the same dummy anon_vma */
	return same_ident(tgt, owner);
}

/* are_anon_vmas_compatible(): prev and next about to become one VMA. */
bool cowctx_anon_compatible(struct vm_area_struct *prev,
			    struct vm_area_struct *next)
{
	if (!prev->anon_vma || !next->anon_vma)
		return true;
	if (!anon_pgoff_match(prev, next))
		return false;
	if (mm_cw(prev->vm_mm)->p.merge != COWCTX_MERGE_CLASSIC)
		return true;
	return same_ident(prev, next);
}
