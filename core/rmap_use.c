// SPDX-License-Identifier: GPL-2.0-only
/* The rmap's users: shared walk plumbing; see rmap_use.h. */
#include <stdio.h>

#include "folio.h"
#include "lock.h"
#include "lock_work.h"
#include "pgtable.h"
#include "rmap_use.h"

static const char *const use_names[RMAP_USE_NR] = {
	[RMAP_USE_AGING] = "aging",
	[RMAP_USE_UNMAP] = "unmap",
	[RMAP_USE_SWAPIN] = "swap-in",
	[RMAP_USE_MIGRATE] = "migration",
};

const char *rmap_use_name(enum rmap_use use)
{
	return use < RMAP_USE_NR ? use_names[use] : "?";
}

struct accounted {
	struct rmap_walk_control *rwc;
	bool (*one)(struct folio *, struct vm_area_struct *, unsigned long,
		    void *);
	void *arg;
	unsigned long contexts;		/* rwc->contexts counted so far */
};

/* The containers the scheme visited so far count to the held locks. */
static void accounted_sync(struct accounted *a)
{
	lock_work_add(LW_CTX, a->rwc->contexts - a->contexts);
	a->contexts = a->rwc->contexts;
}

static bool accounted_one(struct folio *folio, struct vm_area_struct *vma,
			  unsigned long addr, void *arg)
{
	struct accounted *a = arg;

	accounted_sync(a);
	lock_work_add(LW_VMA, 1);
	return a->one(folio, vma, addr, a->arg);
}

void rmap_walk_accounted(struct world *w, struct folio *folio,
			 struct rmap_walk_control *rwc)
{
	struct accounted a = {
		.rwc = rwc, .one = rwc->rmap_one, .arg = rwc->arg,
		.contexts = rwc->contexts,
	};
	enum mm_op saved = w->acct.cur_op;

	rwc->rmap_one = accounted_one;
	rwc->arg = &a;
	w->acct.cur_op = OP_WALK;
	w->acct.ops[OP_WALK]++;
	/* A lock the scheme only counts is held for the whole walk. */
	lock_scope_begin(&w->locks);
	w->scheme->rmap_walk(folio, rwc);
	accounted_sync(&a);
	lock_scope_end(&w->locks);
	w->acct.cur_op = saved;
	rwc->rmap_one = a.one;
	rwc->arg = a.arg;
}

void rmap_use_walk(struct world *w, struct folio *folio,
		   bool (*one)(struct folio *, struct vm_area_struct *,
			       unsigned long, void *), void *arg,
		   bool pinned)
{
	struct rmap_walk_control rwc = {
		.rmap_one = one, .arg = arg, .pinned = pinned,
	};

	rmap_walk_accounted(w, folio, &rwc);
}

void pvmw_range(const struct folio *folio, const struct vm_area_struct *vma,
		unsigned long addr, unsigned long *start, unsigned long *end)
{
	unsigned long psz = page_size(vma->vm_mm);

	if (addr < vma->vm_start)
		addr = vma->vm_start;
	*start = addr;
	*end = addr + folio_nr_pages(folio) * psz;
	if (*end > vma->vm_end || *end < addr)
		*end = vma->vm_end;
}

unsigned long unmap_to_entries(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, unsigned int kind,
			       unsigned long off)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long start, end, a, n = 0;
	struct pte *pte;

	pvmw_range(folio, vma, addr, &start, &end);
	for_each_present_pte(mm, pte, a, start, end) {
		unsigned int idx = pte->idx;
		bool exclusive;

		if (pte->folio != folio)
			continue;
		exclusive = folio->pages[idx].anon_exclusive;
		folio->pages[idx].anon_exclusive = false;
		pte->folio = NULL;
		pte->pmd = 0;
		pte->swp = mk_swp(kind, off, exclusive);
		folio_remove_rmap_pte(folio, idx, mm);
		n++;
	}
	return n;
}

void rmap_use_account(struct world *w, enum rmap_use use, unsigned long want,
		      unsigned long got, const char *fmt, ...)
{
	va_list ap;

	w->use[use].walks++;
	w->use[use].mappings += want;
	if (got >= want)
		return;
	w->use[use].misses += want - got;
	if (w->nr_use_failures++)
		return;
	va_start(ap, fmt);
	vsnprintf(w->use_failure, sizeof(w->use_failure), fmt, ap);
	va_end(ap);
}

const char *folio_where(struct world *w, const struct folio *folio,
			bool migration, char *buf, size_t len)
{
	struct mm_struct *mm;
	unsigned long addr;
	struct pte *pte;
	size_t n = 0;

	buf[0] = '\0';
	list_for_each_entry(mm, &w->mms, mmlist) {
		for_each_pte_entry(mm, pte, addr, 0, ~0UL) {
			bool hit = migration ?
				(is_migration_pte(pte) &&
				 w->migrating[swp_offset(pte)] == folio) :
				pte->folio == folio;

			if (hit && n + 40 < len)
				n += snprintf(buf + n, len - n, "%s%ld:0x%lx",
					      n ? " " : "", mm_pid(mm), addr);
			if (addr + page_size(mm) < addr)
				break;
		}
	}
	if (!n)
		snprintf(buf, len, "nothing");
	return buf;
}
