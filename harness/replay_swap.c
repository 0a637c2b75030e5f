// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reclaim the kernel did on its own, between two checkpoints of a
 * recording: no event says so, but the checkpoint shows swap entries
 * where the model still maps a folio.  Replayed as reclaim of those
 * folios, through the scheme's walk, and the swap-ins the kernel did
 * since (present again in the kernel, a swap entry in the model) as
 * faults; see replay.h.
 */
#include <linux/kernel-page-flags.h>
#include <stdlib.h>
#include <string.h>

#include "core/pgtable.h"
#include "core/swap.h"
#include "harness/replay.h"

/* The model's PTE entry at @addr of @mm, or NULL. */
static struct pte *pte_at(struct mm_struct *mm, unsigned long addr)
{
	unsigned long a = addr;
	struct pte *pte = pte_next_entry(mm, &a, addr + page_size(mm));

	return pte && a == addr ? pte : NULL;
}

static struct mm_struct *cp_mm(struct world *w, const struct cp_proc *p)
{
	struct task *t = task_find(w, p->pid);

	return t ? t->mm : NULL;
}

bool replay_kernel_reclaims(const struct trace *t)
{
	/* kernel-run states its reclaims as events; a recording cannot */
	return !strncmp(t->hdr.recorder, "rmaplab-record/", 15);
}

void replay_sync_swap(struct replay *r, const struct trace_checkpoint *cp,
		      size_t event, struct replay_swap_sync *out)
{
	struct world *w = r->w;
	struct folio_vec fv = { 0 };
	size_t i, j, k;

	memset(out, 0, sizeof(*out));
	/* Folios mapped in the model where the kernel has swap entries. */
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];
		struct mm_struct *mm = cp_mm(w, p);

		for (j = 0; mm && j < p->nr_pages; j++) {
			struct pte *pte;

			if (!p->pages[j].swap)
				continue;
			pte = pte_at(mm, p->pages[j].addr);
			if (pte_present(pte))
				folio_vec_add(&fv, pte->folio);
		}
	}
	for (k = 0; k < fv.nr; k++)
		if (!reclaim_folio(w, fv.v[k]))
			out->reclaims++;
	free(fv.v);
	/*
	 * Pages the kernel has present again where the model has a swap
	 * entry: swap-ins, in checkpoint order (a second process faulting
	 * on a shared slot finds the first one's folio in the swap cache).
	 * A clean swap-cache folio is what a read leaves (see
	 * traces/recorder/README.md); anything else, a write.
	 */
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];
		struct task *t = task_find(w, p->pid);
		struct mm_struct *mm = t ? t->mm : NULL;

		for (j = 0; mm && j < p->nr_pages; j++) {
			const struct cp_page *pg = &p->pages[j];
			bool read;

			if (!pg->anon || !is_swap_pte(pte_at(mm, pg->addr)))
				continue;
			read = cp->has_pfns &&
			       (pg->kflags & (1ULL << KPF_SWAPCACHE)) &&
			       !(pg->kflags & (1ULL << KPF_DIRTY));
			handle_mm_fault(t, pg->addr, !read, 0);
			out->swapins++;
		}
	}
	if (w->nr_unsupported) {
		replay_note_unsupported(r, event, w->unsupported);
		w->nr_unsupported = 0;
		w->unsupported[0] = '\0';
	}
}
