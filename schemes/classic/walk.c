// SPDX-License-Identifier: GPL-2.0-only
/*
 * Folios and the rmap walk: __folio_set_anon() (folio_add_new_anon_rmap),
 * folio_move_anon_rmap(), folio_anon_vma() and rmap_walk_anon() with
 * rmap_walk_anon_lock() of mm/rmap.c.
 */
#include "core/world.h"
#include "classic.h"

bool classic_folio_mapped(const struct folio *folio)
{
	unsigned long i, nr = folio_nr_pages(folio);

	if (folio->entire_mapcount > 0)
		return true;
	for (i = 0; i < nr; i++)
		if (folio->pages[i].mapcount > 0)
			return true;
	return false;
}

struct anon_vma *classic_folio_anon_vma(const struct folio *folio)
{
	if ((folio->mapping & FOLIO_MAPPING_FLAGS) != FOLIO_MAPPING_ANON)
		return NULL;
	return (struct anon_vma *)(folio->mapping & ~FOLIO_MAPPING_FLAGS);
}

static void folio_set_mapping(struct folio *folio, struct anon_vma *av)
{
	folio->mapping = (unsigned long)av | FOLIO_MAPPING_ANON;
}

/*
 * __folio_set_anon(): an exclusive folio belongs to the VMA's own
 * anon_vma; one that may already be shared must use the oldest, the root.
 */
void classic_folio_add_new_anon(struct classic_state *cs,
				struct folio *folio,
				struct vm_area_struct *vma,
				unsigned long addr, bool exclusive)
{
	struct anon_vma *av = classic_vma_anon_vma(cs, vma);

	if (!av) {
		classic_note_violation(cs, "new anon folio in VMA %lu without anon_vma",
				       vma->id);
		return;
	}
	if (!exclusive)
		av = av->root;
	folio_set_mapping(folio, av);
	folio->index = linear_page_index(vma, addr);
}

/* folio_move_anon_rmap(): CoW reuse moves the folio to this VMA's level. */
void classic_folio_move_anon(struct classic_state *cs, struct folio *folio,
			     struct vm_area_struct *vma)
{
	struct anon_vma *av = classic_vma_anon_vma(cs, vma);

	if (!av) {
		classic_note_violation(cs, "folio moved to VMA %lu without anon_vma",
				       vma->id);
		return;
	}
	folio_set_mapping(folio, av);
}

/*
 * rmap_walk_anon() once the anon_vma is known: read-lock the root (trylock
 * when the caller asks, as reclaim does), visit every AVC whose VMA range
 * overlaps the folio's pgoffs, hand each VMA to rmap_one().
 */
void classic_rmap_walk_anon_vma(struct classic_state *cs,
				struct anon_vma *av, struct folio *folio,
				struct rmap_walk_control *rwc)
{
	struct world *w = cs->w;
	struct anon_vma *root = av->root;
	unsigned long nr = folio_nr_pages(folio);
	unsigned long first = folio->index, last = first + nr - 1;
	unsigned long visits = av->rb_root.visits;
	struct itree_node *n;

	if (rwc->try_lock) {
		if (!rmap_trylock_read(&w->locks, &w->acct, &root->rwsem)) {
			rwc->contended = true;
			return;
		}
	} else {
		rmap_lock_read(&w->locks, &w->acct, &root->rwsem);
	}
	rwc->locks++;
	rwc->contexts++;

	for (n = itree_first(&av->rb_root, first, last); n;
	     n = itree_next(&av->rb_root, n, first, last)) {
		struct anon_vma_chain *avc =
			itree_entry(n, struct anon_vma_chain, rb);
		unsigned long addr = vma_address(avc->vma, first, nr);

		if (addr == ~0UL)
			continue;
		if (!rwc->rmap_one(folio, avc->vma, addr, rwc->arg))
			break;
	}
	rwc->nodes += av->rb_root.visits - visits;
	rmap_unlock_read(&w->locks, &root->rwsem);
}

/*
 * rmap_walk_anon(): like folio_lock_anon_vma_read(), an unmapped folio has
 * no anon_vma to trust, and a KSM or foreign mapping is not ours; unless
 * the caller holds the anon_vma, as migration does (rmap_walk_anon_lock()
 * has no mapped test).
 */
void classic_rmap_walk(struct classic_state *cs, struct folio *folio,
		       struct rmap_walk_control *rwc)
{
	struct anon_vma *av = classic_folio_anon_vma(folio);

	if (!av || (!classic_folio_mapped(folio) && !rwc->pinned))
		return;
	if (av->dead)		/* only under a deliberately broken variant */
		return;
	classic_rmap_walk_anon_vma(cs, av, folio, rwc);
}
