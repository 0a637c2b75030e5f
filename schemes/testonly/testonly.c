// SPDX-License-Identifier: GPL-2.0-only
/*
 * testonly: the simplest correct rmap, for the tests only.  Every VMA that
 * was ever prepared for anon folios is on one world-wide list; a walk
 * offers every VMA on the list whose pgoff range covers the folio, and the
 * core's page_vma_mapped_walk() check drops the ones that do not map it.
 *
 * vma->anon_vma is a bare identity (a number, never dereferenced): new on
 * first fault and fork, shared on split, remap and merge, as classic's.
 * Merges follow the three cases of is_mergeable_anon_vma() without the
 * fork-child exception, so /proc/PID/maps can differ from mainline's:
 * SCHEME_LAYOUT_BY_DESIGN.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/list.h"
#include "core/world.h"

struct testonly {
	struct list_head vmas;		/* via vma->anon_vma_chain */
	uintptr_t next_id;
};

static struct testonly *ts_of(struct vm_area_struct *vma)
{
	return vma->vm_mm->world->scheme_priv;
}

static int to_init(struct world *w, const char *params, struct errbuf *err)
{
	struct testonly *ts;

	if (params && params[0])
		return errbuf_set(err, "testonly: no parameters");
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return errbuf_set(err, "testonly: out of memory");
	INIT_LIST_HEAD(&ts->vmas);
	w->scheme_priv = ts;
	return 0;
}

static void to_fini(struct world *w)
{
	free(w->scheme_priv);
	w->scheme_priv = NULL;
}

static int to_mm_init(struct mm_struct *mm, struct mm_struct *parent)
{
	return 0;
}

static void to_mm_exit(struct mm_struct *mm)
{
}

static void listed(struct vm_area_struct *vma)
{
	if (list_empty(&vma->anon_vma_chain))
		list_add_tail(&vma->anon_vma_chain, &ts_of(vma)->vmas);
}

static void *new_identity(struct vm_area_struct *vma)
{
	/* Even numbers from 8: never NULL, never reused. */
	return (void *)(8 + 2 * ts_of(vma)->next_id++);
}

static int to_prepare(struct vm_area_struct *vma)
{
	vma->anon_vma = new_identity(vma);
	listed(vma);
	return 0;
}

static int to_fork(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (!src->anon_vma)
		return 0;
	dst->anon_vma = new_identity(dst);
	listed(dst);
	return 0;
}

static int to_clone(struct vm_area_struct *dst, struct vm_area_struct *src,
		    enum vma_clone_op op)
{
	dst->anon_vma = src->anon_vma;
	if (dst->anon_vma)
		listed(dst);
	return 0;
}

/*
 * As unlink_anon_vmas(): the VMA may live on (mremap's DONTUNMAP source)
 * and is prepared again at its next fault.
 */
static void to_unlink(struct vm_area_struct *vma)
{
	list_del(&vma->anon_vma_chain);		/* leaves it empty */
	vma->anon_vma = NULL;
}

static void to_update(struct vm_area_struct *vma)
{
}

static bool to_release(struct vm_area_struct *vma)
{
	return true;
}

static bool to_mergeable(struct vm_area_struct *tgt, void *src_anon,
			 struct vm_area_struct *src,
			 struct vm_area_struct *copied_from,
			 struct vm_area_struct *owner)
{
	return !tgt->anon_vma || !src_anon || tgt->anon_vma == src_anon;
}

static bool to_compatible(struct vm_area_struct *prev,
			  struct vm_area_struct *next)
{
	return !prev->anon_vma || !next->anon_vma ||
		prev->anon_vma == next->anon_vma;
}

static void to_add_new(struct folio *folio, struct vm_area_struct *vma,
		       unsigned long addr, bool exclusive)
{
	/* PAGE_MAPPING_ANON, with nothing behind it */
	folio->mapping = 0x1UL;
	folio->index = linear_page_index(vma, addr);
}

static void to_dup(struct folio *folio, struct vm_area_struct *dst,
		   struct vm_area_struct *src)
{
}

static void to_move(struct folio *folio, struct vm_area_struct *vma)
{
}

static void to_vma_moved(struct vm_area_struct *old,
			 struct vm_area_struct *new_vma)
{
}

static void to_folio_moved(struct folio *folio, struct vm_area_struct *old,
			   struct vm_area_struct *new_vma)
{
}

static void to_folio_free(struct folio *folio)
{
}

static void to_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	struct testonly *ts = folio->world->scheme_priv;
	unsigned long nr = folio_nr_pages(folio);
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &ts->vmas, anon_vma_chain) {
		unsigned long addr = vma_address(vma, folio->index, nr);

		rwc->nodes++;
		if (addr == ~0UL)
			continue;
		if (!rwc->rmap_one(folio, vma, addr, rwc->arg))
			return;
	}
}

static const struct scheme_param testonly_params[] = {
	{ NULL, NULL, NULL, GRADE_NONE, NULL },
};

const struct rmap_scheme testonly_scheme = {
	.name = "testonly",
	.summary = "test-only: one list of every anon VMA, walked whole",
	.params = testonly_params,
	.caps = SCHEME_LAYOUT_BY_DESIGN,
	.init = to_init,
	.fini = to_fini,
	.mm_init = to_mm_init,
	.mm_exit = to_mm_exit,
	.anon_vma_prepare = to_prepare,
	.anon_vma_fork = to_fork,
	.anon_vma_clone = to_clone,
	.unlink_anon_vmas = to_unlink,
	.vma_pre_update = to_update,
	.vma_post_update = to_update,
	.vma_release = to_release,
	.anon_mergeable = to_mergeable,
	.anon_compatible = to_compatible,
	.folio_add_new_anon = to_add_new,
	.folio_dup_anon = to_dup,
	.folio_move_anon = to_move,
	.vma_moved = to_vma_moved,
	.folio_moved = to_folio_moved,
	.folio_free = to_folio_free,
	.rmap_walk = to_walk,
};
