// SPDX-License-Identifier: GPL-2.0-only
/*
 * Migration of anon folios, modelled on mm/migrate.c (migrate_pages() of
 * the folios move_pages(MPOL_MF_MOVE_ALL) isolates) and mm/rmap.c:
 *
 *  1. try_to_migrate(): the scheme walks the source folio; every PTE found
 *     becomes a migration entry (exclusive when the page was
 *     PageAnonExclusive).  A folio still mapped afterwards is not
 *     migrated: remove_migration_ptes(src, src) puts it back.
 *  2. __folio_migrate_mapping(): the new folio takes the source's
 *     mapping, index, rmap state and swap-cache slot.
 *  3. remove_migration_ptes(src, dst): the scheme walks the *new* folio,
 *     whose mapcount is 0, and each migration entry it reaches maps dst.
 *
 * An entry the walk in 3 does not reach stays a migration entry of a
 * freed folio: in the kernel the next fault on it waits forever.  The
 * model records that and then maps dst there itself, so that the replay
 * can go on.  PMD-mapped folios are not modelled (unsupported).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "pgtable.h"
#include "rmap_use.h"
#include "vma.h"

struct migrate_arg {
	unsigned long slot;		/* index in w->migrating */
	struct folio *src;
	unsigned long found;
};

static bool try_to_migrate_one(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, void *arg)
{
	struct migrate_arg *m = arg;

	m->found += unmap_to_entries(folio, vma, addr, PTE_SWP_MIGRATION,
				     m->slot);
	return true;
}

/* remove_migration_pte(): @folio (src or dst) replaces the entries. */
static bool remove_migration_pte(struct folio *folio,
				 struct vm_area_struct *vma,
				 unsigned long addr, void *arg)
{
	struct migrate_arg *m = arg;
	struct mm_struct *mm = vma->vm_mm;
	struct world *w = mm->world;
	unsigned long start, end, a;
	struct pte *pte;

	pvmw_range(folio, vma, addr, &start, &end);
	for_each_pte_entry(mm, pte, a, start, end) {
		bool exclusive;

		if (!is_migration_pte(pte) ||
		    w->migrating[swp_offset(pte)] != m->src)
			continue;
		exclusive = pte->swp & PTE_SWP_EXCLUSIVE;
		pte->swp = 0;
		pte->folio = folio;
		folio_add_anon_rmap_pte(folio, pte->idx, vma, a, exclusive);
		m->found++;
	}
	return true;
}

/*
 * What the walk of remove_migration_ptes() did not reach: each entry
 * left is mapped to @folio here (the kernel would leave it forever).
 */
static unsigned long repair_left_entries(struct world *w, struct folio *folio,
					 struct folio *src)
{
	struct vm_area_struct *vma;
	struct mm_struct *mm;
	unsigned long addr, n = 0;
	struct pte *pte;

	list_for_each_entry(mm, &w->mms, mmlist) {
		for_each_pte_entry(mm, pte, addr, 0, ~0UL) {
			if (is_migration_pte(pte) &&
			    w->migrating[swp_offset(pte)] == src) {
				bool exclusive = pte->swp & PTE_SWP_EXCLUSIVE;

				vma = vma_lookup(mm, addr);
				pte->swp = 0;
				pte->folio = folio;
				folio_add_anon_rmap_pte(folio, pte->idx, vma,
							addr, exclusive);
				n++;
			}
			if (addr + page_size(mm) < addr)
				break;
		}
	}
	return n;
}

/* remove_migration_ptes(src, @to) through the scheme's walk of @to. */
static void remove_migration_ptes(struct world *w, struct migrate_arg *m,
				  struct folio *to, unsigned long want)
{
	char where[256];
	unsigned long left;

	m->found = 0;
	w->migration_target = to;
	rmap_use_walk(w, to, remove_migration_pte, m, true);
	w->migration_target = NULL;
	rmap_use_account(w, RMAP_USE_MIGRATE, want, m->found,
			 "remove_migration_ptes() by %s's walk of folio pfn "
			 "0x%lx (mapcount 0) restored %lu of %lu migration "
			 "entries; left at %s (the next fault there would "
			 "wait forever)", w->scheme->name, to->pfn, m->found,
			 want, m->found < want ?
			 folio_where(w, m->src, true, where, sizeof(where)) :
			 "");
	left = want - (m->found < want ? m->found : want);
	if (left)
		repair_left_entries(w, to, m->src);
}

static void migrate_folio(struct world *w, struct folio *src)
{
	struct migrate_arg m = { .src = src };
	struct folio *dst;
	char where[256];
	int want = folio_mapcount(src);
	unsigned long i, nr = folio_nr_pages(src);

	if (w->nr_migrating == w->cap_migrating) {
		w->cap_migrating = w->cap_migrating ? 2 * w->cap_migrating : 8;
		w->migrating = realloc(w->migrating, w->cap_migrating *
				       sizeof(*w->migrating));
		if (!w->migrating)
			abort();
	}
	m.slot = w->nr_migrating;
	w->migrating[w->nr_migrating++] = src;
	/* isolate_folio_to_list(): a reference of migration's own. */
	src->pinned++;

	/* migrate_folio_unmap(): try_to_migrate() */
	rmap_use_walk(w, src, try_to_migrate_one, &m, true);
	rmap_use_account(w, RMAP_USE_MIGRATE, want, m.found,
			 "try_to_migrate() of folio pfn 0x%lx by %s unmapped "
			 "%lu of its %d mappings: still mapped at %s, the "
			 "migration fails", src->pfn, w->scheme->name,
			 m.found, want, m.found < (unsigned long)want ?
			 folio_where(w, src, false, where, sizeof(where)) :
			 "");
	if (m.found < (unsigned long)want) {
		/* The walk of src had mapcount > 0 here. */
		remove_migration_ptes(w, &m, src, m.found);
		goto out;
	}

	/* move_to_new_folio(): __folio_migrate_mapping(), copy */
	dst = folio_alloc(w, src->order);
	dst->mapping = src->mapping;
	dst->index = src->index;
	dst->rmap_priv = src->rmap_priv;
	/* folio_migrate_flags(): swap-backed or lazyfree, dirty */
	dst->lazyfree = src->lazyfree;
	dst->redirtied = src->redirtied;
	dst->dirty = src->dirty;
	for (i = 0; i < nr; i++)
		dst->pages[i].written = src->pages[i].written;
	if (src->swap) {
		w->swap.slots[src->swap].cache = dst;
		dst->swap = src->swap;
		src->swap = 0;
	}
	if (w->scheme->folio_migrate)
		w->scheme->folio_migrate(src, dst);

	remove_migration_ptes(w, &m, dst, m.found);
out:
	w->nr_migrating--;
	/* putback or free: a source nothing maps any more goes. */
	src->pinned--;
	folio_put(src);
}

long sys_migrate(struct task *t, unsigned long addr, unsigned long len)
{
	struct mm_struct *mm = t->mm;
	struct world *w = mm->world;
	unsigned long psz = page_size(mm), start, end, a;
	struct vm_area_struct *vma;
	struct folio_vec fv = { 0 };
	struct pte *pte;
	size_t i;

	start = addr & ~(psz - 1);
	end = (addr + len + psz - 1) & ~(psz - 1);
	if (end < start)
		return -EINVAL;
	for (vma = vma_first_overlap(mm, start, end); vma;
	     vma = vma_next_overlap(mm, vma, start, end)) {
		for_each_present_pte(mm, pte, a, start < vma->vm_start ?
				     vma->vm_start : start,
				     end > vma->vm_end ? vma->vm_end : end) {
			if (pte->pmd) {
				world_unsupported(w, "migration of a "
						  "PMD-mapped folio");
				continue;
			}
			folio_vec_add(&fv, pte->folio);
		}
	}
	for (i = 0; i < fv.nr; i++)
		migrate_folio(w, fv.v[i]);
	free(fv.v);
	return 0;
}
