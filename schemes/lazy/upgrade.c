// SPDX-License-Identifier: GPL-2.0-only
/*
 * Upgrade of a lazy family to a regular anon_vma, and the rewrite of
 * folio->mapping from the lazy root to that anon_vma (patch 13, "mm:
 * support setup and upgrade of ANON_VMA_LAZY folios"; wangtao in
 * 2606.0/05023: "If the parent VMA (pvma) is ANON_VMA_LAZY, it is first
 * upgraded to a regular anon_vma.  The corresponding folio->mapping is
 * then fixed in try_dup_anon_rmap()", and for mremap "We first upgrade the
 * VMA, and then fix folio->mapping in move_ptes()").
 *
 * The regular side is the classic scheme's code: the first VMA gets its
 * anon_vma as __anon_vma_prepare() would give it, every other VMA of the
 * family is linked as a split sibling of the first (anon_vma_clone()), so
 * the family ends up exactly where classic would have been had it used
 * anon_vmas from the start.
 */
#include "core/world.h"
#include "lazy.h"

#define UPGRADE_BATCH	64

/*
 * Upgrade @vmas[0..n), all members of one family: the first through
 * __anon_vma_prepare(), the rest cloned from it under one hold of the new
 * anon_vma's lock.
 */
static struct anon_vma *upgrade_vmas(struct lazy_state *ls,
				     struct vm_area_struct **vmas, size_t n)
{
	struct classic_state *cs = &ls->cs;
	struct anon_vma *av;
	size_t i;

	for (i = 0; i < n; i++)
		lazy_family_leave(ls, vmas[i]);
	classic_anon_vma_prepare(cs, vmas[0]);
	av = classic_vma_anon_vma(cs, vmas[0]);
	if (!av) {
		lazy_note_violation(ls, "upgrade: VMA %lu got no anon_vma",
				    vmas[0]->id);
		return NULL;
	}
	if (n > 1) {
		classic_lock_write(cs, av);
		for (i = 1; i < n; i++)
			classic_anon_vma_clone(cs, vmas[i], vmas[0],
					       CLASSIC_OP_SPLIT);
		classic_unlock_write(cs, av);
	}
	ls->st.upgraded_vmas += n;
	return av;
}

/*
 * Upgrade the family of lazy VMA @vma: all of it (upgrade=family, which
 * reviewers' "split siblings" concern requires) or @vma alone
 * (upgrade=vma).  Returns @vma's regular anon_vma.
 */
struct anon_vma *lazy_upgrade(struct lazy_state *ls,
			      struct vm_area_struct *vma)
{
	struct vm_area_struct *root = lazy_root_of(vma);
	struct vm_area_struct *batch[UPGRADE_BATCH];
	struct anon_vma *av = NULL;
	struct lazy_vma *r, *m;
	size_t n;

	if (!root)
		return classic_vma_anon_vma(&ls->cs, vma);
	ls->st.upgrades++;
	if (ls->p.upgrade == LAZY_UPGRADE_VMA) {
		batch[0] = vma;
		return upgrade_vmas(ls, batch, 1);
	}

	r = lazy_vma_of(root);
	if (!r) {
		lazy_note_violation(ls, "VMA %lu names root %lu, which has no state",
				    vma->id, root->id);
		return NULL;
	}
	/* Keep the root (maybe a zombie) while its family empties. */
	r->pinned = true;
	batch[0] = vma;
	n = 1;
	list_for_each_entry(m, &r->members, member) {
		if (m->vma != vma && n < UPGRADE_BATCH)
			batch[n++] = m->vma;
	}
	av = upgrade_vmas(ls, batch, n);
	/* A family larger than a batch: link the rest to the same anon_vma. */
	while (av && !list_empty(&r->members)) {
		m = list_first_entry(&r->members, struct lazy_vma, member);
		batch[0] = vma;
		batch[1] = m->vma;
		lazy_family_leave(ls, m->vma);
		classic_anon_vma_clone(&ls->cs, batch[1], batch[0],
				       CLASSIC_OP_SPLIT);
		ls->st.upgraded_vmas++;
	}
	if (!list_empty(&r->members))
		lazy_note_violation(ls, "upgrade of root %lu left members behind",
				    root->id);
	r->upgraded = av;
	r->pinned = false;
	lazy_root_maybe_free(ls, root);
	return av;
}

/*
 * try_dup_anon_rmap() / move_ptes() of the series: a folio that still
 * names its lazy root now names the regular anon_vma of @vma, the VMA it
 * is being copied from or moved into.  One way only: lazy to regular.
 */
void lazy_folio_make_regular(struct lazy_state *ls, struct folio *folio,
			     struct vm_area_struct *vma)
{
	struct anon_vma *av = classic_vma_anon_vma(&ls->cs, vma);

	if (!folio_lazy_root(folio))
		return;
	if (!av) {
		lazy_note_violation(ls, "folio pfn %lx rewritten for VMA %lu, which has no anon_vma",
				    folio->pfn, vma->id);
		return;
	}
	lazy_folio_put_root(ls, folio);
	folio->mapping = (unsigned long)av | FOLIO_MAPPING_ANON;
	ls->st.folio_rewrites++;
}

/*
 * ANON_VMA_TREE_PARENT (wangtao, 2606.0/07662, quoting Barry Song in
 * 2606.0/07329): "B inherits a VMA from A.  In this case, B's VMA gets
 * ANON_VMA_TREE_PARENT" -- it rides on A's anon_vma with a copy of A's
 * chain -- and "we need to upgrade B to a regular anon_vma when B becomes
 * a parent and performs a fork()".
 */
bool lazy_is_tree_parent(const struct vm_area_struct *vma)
{
	struct lazy_vma *l = lazy_vma_of(vma);

	return l && l->tree_parent;
}

void lazy_set_tree_parent(struct lazy_state *ls, struct vm_area_struct *vma,
			  bool on)
{
	struct lazy_vma *l;

	if (on) {
		lazy_vma_get(ls, vma)->tree_parent = true;
		return;
	}
	l = lazy_vma_of(vma);
	if (!l)
		return;
	l->tree_parent = false;
	lazy_vma_put_idle(ls, l);
}

/*
 * The upgrade: @vma keeps its copy of the parent's chain (the folios it
 * inherited, and those it made while riding, still name the parent's
 * anon_vma, whose tree holds @vma) and gets its own anon_vma below the
 * parent's, as anon_vma_fork() would have given it at fork time.
 */
void lazy_upgrade_tree_parent(struct lazy_state *ls,
			      struct vm_area_struct *vma)
{
	struct classic_state *cs = &ls->cs;
	struct anon_vma *pav = classic_vma_anon_vma(cs, vma);

	lazy_set_tree_parent(ls, vma, false);
	if (!pav)
		return;
	classic_lock_write(cs, pav);
	pav->num_active_vmas--;
	classic_vma_set_anon_vma(cs, vma, NULL);
	classic_unlock_write(cs, pav);
	classic_anon_vma_attach_new(cs, vma, pav, NULL, NULL);
	ls->st.parent_upgrades++;
}
