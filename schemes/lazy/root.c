// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lazy root VMAs: the per-VMA root pointer, membership of a root's family,
 * the root's reference counts (CONFIG_VMA_REF of patch 06) and the zombie
 * state of a root that was unmapped while still referenced.
 *
 * A root is referenced by every VMA of its family (split and merged
 * pieces, and itself while mapped) and by every folio whose mapping names
 * it.  The series keeps the root alive while "other VMAs hold references
 * to it" (wangtao, 2606.0/05023); the folio references are this model's
 * (see README.md): they keep a root whose family was upgraded valid for
 * the folios that fork did not rewrite.
 */
#include <stdlib.h>

#include "core/vma.h"
#include "core/world.h"
#include "lazy.h"

struct lazy_vma *lazy_vma_of(const struct vm_area_struct *vma)
{
	struct lazy_vma *l = vma->rmap_priv;

	return (l && l->vma == vma) ? l : NULL;
}

struct lazy_vma *lazy_vma_get(struct lazy_state *ls,
			      struct vm_area_struct *vma)
{
	struct lazy_vma *l = lazy_vma_of(vma);

	if (l)
		return l;
	if (!list_empty(&ls->free)) {
		l = list_first_entry(&ls->free, struct lazy_vma, pool);
		list_del(&l->pool);
	} else {
		l = malloc(sizeof(*l));
		if (!l) {
			fprintf(stderr, "rmaplab: lazy: out of memory\n");
			abort();
		}
	}
	*l = (struct lazy_vma){ .vma = vma };
	INIT_LIST_HEAD(&l->member);
	INIT_LIST_HEAD(&l->members);
	INIT_LIST_HEAD(&l->zombie_node);
	list_add_tail(&l->pool, &ls->used);
	ls->nr_used++;
	vma->rmap_priv = l;
	return l;
}

/* Give @l back to the pool when it no longer says anything. */
void lazy_vma_put_idle(struct lazy_state *ls, struct lazy_vma *l)
{
	if (!l || l->root || l->nr_members || l->folio_refs || l->zombie ||
	    l->updating || l->pinned || l->tree_parent)
		return;
	if (l->vma->rmap_priv == l)
		l->vma->rmap_priv = NULL;
	l->vma = NULL;
	list_del(&l->pool);
	list_add(&l->pool, &ls->free);
	ls->nr_used--;
}

struct vm_area_struct *lazy_root_of(const struct vm_area_struct *vma)
{
	struct lazy_vma *l;

	if (!lazy_tagged(vma->anon_vma))
		return NULL;
	l = lazy_vma_of(vma);
	return l ? l->root : NULL;
}

/* Is @vma still a root something refers to (members or folios)? */
bool lazy_is_referenced_root(const struct vm_area_struct *vma)
{
	struct lazy_vma *l = lazy_vma_of(vma);

	return l && (l->nr_members || l->folio_refs);
}

void lazy_family_join(struct lazy_state *ls, struct vm_area_struct *vma,
		      struct vm_area_struct *root)
{
	struct lazy_vma *l = lazy_vma_get(ls, vma);
	struct lazy_vma *r = lazy_vma_get(ls, root);

	if (l->root)
		lazy_note_violation(ls, "VMA %lu joins root %lu while in the family of %lu",
				    vma->id, root->id, l->root->id);
	l->root = root;
	list_add_tail(&l->member, &r->members);
	r->nr_members++;
	if (vma != root)
		acct_alloc(&ls->w->acct, ls->cls_ref);
	vma->anon_vma = lazy_tag(root);
}

/*
 * vma_prepare_anon_vma_lazy(): the VMA of the first fault becomes the
 * root of its own family.  Nothing is allocated in the kernel.
 */
void lazy_make_root(struct lazy_state *ls, struct vm_area_struct *vma)
{
	struct lazy_vma *r = lazy_vma_get(ls, vma);

	r->root_id = ls->next_root_id++;
	lazy_family_join(ls, vma, vma);
}

/*
 * Free a zombie root.  Its vm_area_struct left the "vm_area_struct" class
 * for "lazy_zombie_vma" when it became a zombie; vm_area_free() counts a
 * vm_area_struct free, so give the class the object back first.
 */
static void zombie_free(struct lazy_state *ls, struct lazy_vma *r)
{
	struct world *w = ls->w;
	struct obj_class *c = &w->acct.cls[w->cls_vma];
	struct vm_area_struct *vma = r->vma;

	list_del(&r->zombie_node);
	INIT_LIST_HEAD(&r->zombie_node);
	r->zombie = false;
	acct_free(&w->acct, ls->cls_zombie);
	r->nr_members = 0;
	r->folio_refs = 0;
	lazy_vma_put_idle(ls, r);
	c->live++;
	c->frees[w->acct.cur_op]--;
	vm_area_free(vma);
}

/*
 * folio_refs=off: only VMAs hold the root, so when it is freed the folios
 * still naming it are left with a pointer to nothing.  The model clears
 * their mapping, which a walk reads as "no mapping".
 */
static void lose_folios(struct lazy_state *ls, struct lazy_vma *r)
{
	struct folio *f;

	if (!r->folio_refs)
		return;
	list_for_each_entry(f, &ls->w->folios, lru) {
		if (folio_lazy_root(f) != r->vma)
			continue;
		f->mapping = 0;
		r->folio_refs--;
	}
	ls->st.lost_roots++;
}

void lazy_root_maybe_free(struct lazy_state *ls,
			  struct vm_area_struct *root)
{
	struct lazy_vma *r = lazy_vma_of(root);

	if (!r || r->pinned || r->nr_members)
		return;
	if (r->folio_refs && (ls->p.folio_refs || !r->zombie))
		return;
	if (r->zombie) {
		lose_folios(ls, r);
		zombie_free(ls, r);
	} else {
		lazy_vma_put_idle(ls, r);
	}
}

void lazy_family_leave(struct lazy_state *ls, struct vm_area_struct *vma)
{
	struct lazy_vma *l = lazy_vma_of(vma);
	struct vm_area_struct *root;
	struct lazy_vma *r;

	if (!l || !l->root)
		return;
	root = l->root;
	r = lazy_vma_of(root);
	list_del(&l->member);
	INIT_LIST_HEAD(&l->member);
	l->root = NULL;
	if (!r || !r->nr_members) {
		lazy_note_violation(ls, "VMA %lu leaves root %lu, which counts no members",
				    vma->id, root->id);
	} else {
		r->nr_members--;
	}
	if (vma != root)
		acct_free(&ls->w->acct, ls->cls_ref);
	if (vma != root)
		lazy_vma_put_idle(ls, l);
	lazy_root_maybe_free(ls, root);
}

void lazy_folio_get_root(struct lazy_state *ls, struct folio *folio,
			 struct vm_area_struct *root)
{
	struct lazy_vma *r = lazy_vma_of(root);

	if (!r) {
		lazy_note_violation(ls, "folio pfn %lx points at VMA %lu, which is no root",
				    folio->pfn, root->id);
		return;
	}
	r->folio_refs++;
	folio->mapping = (unsigned long)root | LAZY_TAG;
}

/* The folio stops naming its lazy root (rewritten or freed). */
void lazy_folio_put_root(struct lazy_state *ls, struct folio *folio)
{
	struct vm_area_struct *root = folio_lazy_root(folio);
	struct lazy_vma *r;

	if (!root)
		return;
	folio->mapping = 0;
	r = lazy_vma_of(root);
	if (!r || !r->folio_refs) {
		lazy_note_violation(ls, "folio pfn %lx drops a reference root %lu does not hold",
				    folio->pfn, root->id);
		return;
	}
	r->folio_refs--;
	lazy_root_maybe_free(ls, root);
}

/*
 * vm_area_free() of a VMA that left the mm: a root still referenced stays
 * behind, detached, as the series' root VMA must ("root_vma ... will still
 * remain valid as long as other VMAs hold references to it").
 */
bool lazy_vma_release(struct lazy_state *ls, struct vm_area_struct *vma)
{
	struct lazy_vma *l = lazy_vma_of(vma);
	struct world *w = ls->w;

	if (!l)
		return true;
	if (l->root) {
		lazy_note_violation(ls, "VMA %lu released while in the family of root %lu",
				    vma->id, l->root->id);
		lazy_family_leave(ls, vma);
		l = lazy_vma_of(vma);
		if (!l)
			return true;
	}
	if (!l->nr_members && (!l->folio_refs || !ls->p.folio_refs)) {
		lose_folios(ls, l);
		lazy_vma_put_idle(ls, l);
		return true;
	}
	l->zombie = true;
	list_add_tail(&l->zombie_node, &ls->zombies);
	ls->st.zombies++;
	acct_free(&w->acct, w->cls_vma);
	acct_alloc(&w->acct, ls->cls_zombie);
	return false;
}

/*
 * exit_mmap() is done with @mm: every folio and VMA referring to a root of
 * it is gone, so no zombie of @mm may remain.  One that does is a leak;
 * free it before its mm goes (vm_area_free() needs vm_mm) and report it.
 */
void lazy_reap_mm(struct lazy_state *ls, struct mm_struct *mm)
{
	struct lazy_vma *r, *tmp;

	list_for_each_entry_safe(r, tmp, &ls->zombies, zombie_node) {
		struct folio *f;

		if (r->vma->vm_mm != mm)
			continue;
		lazy_note_violation(ls, "zombie root VMA %lu (%lu members, %lu folios) outlived its mm",
				    r->vma->id, r->nr_members, r->folio_refs);
		/* Leave no folio pointing at the freed VMA. */
		list_for_each_entry(f, &ls->w->folios, lru)
			if (folio_lazy_root(f) == r->vma)
				f->mapping = 0;
		while (!list_empty(&r->members)) {
			struct lazy_vma *m = list_first_entry(&r->members,
							      struct lazy_vma,
							      member);

			list_del(&m->member);
			INIT_LIST_HEAD(&m->member);
			m->root = NULL;
		}
		zombie_free(ls, r);
	}
}

void lazy_pool_fini(struct lazy_state *ls)
{
	struct lazy_vma *l, *tmp;

	list_for_each_entry_safe(l, tmp, &ls->used, pool) {
		if (l->vma && l->vma->rmap_priv == l)
			l->vma->rmap_priv = NULL;
		list_del(&l->pool);
		free(l);
	}
	list_for_each_entry_safe(l, tmp, &ls->free, pool) {
		list_del(&l->pool);
		free(l);
	}
	ls->nr_used = 0;
}
