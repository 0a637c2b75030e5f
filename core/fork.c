// SPDX-License-Identifier: GPL-2.0-only
/*
 * Processes: fork (dup_mmap() and copy_page_range()), threads, exec and
 * exit (exit_mmap()).
 */
#include <errno.h>
#include <stdlib.h>

#include "folio.h"
#include "pgtable.h"
#include "swap.h"
#include "vma.h"


/*
 * copy_present_ptes() / copy_huge_pmd(): the child maps the same folios,
 * both sides lose PageAnonExclusive and will CoW on write;
 * copy_nonpresent_pte(): swap entries are duplicated.
 */
static void copy_page_range(struct vm_area_struct *dst,
			    struct vm_area_struct *src)
{
	struct mm_struct *src_mm = src->vm_mm, *dst_mm = dst->vm_mm;
	void (*dup_anon)(struct folio *, struct vm_area_struct *,
			 struct vm_area_struct *) =
		scheme_of(src_mm)->folio_dup_anon;
	unsigned long psz = page_size(src_mm), addr, a, i, n, nr;
	unsigned long pmd = pmd_size(src_mm), mapped = 0;
	struct pte *run, *drun, *pte, *cpte;
	struct folio *folio;

	/* copy_pte_range(): a PTE table at a time, like the kernel's. */
	for_each_pte_run(src_mm, run, nr, addr, src->vm_start, src->vm_end) {
		drun = NULL;
		/* @nr is pte_run()'s: a copy the loop can keep in a register */
		for (i = 0, n = nr; i < n; i++) {
			pte = &run[i];
			folio = pte->folio;
			if (!folio && !pte->guard && !pte->swp)
				continue;
			if (!drun)
				drun = pte_alloc_run(dst_mm, addr + i * psz,
						     n - i) - i;
			if (!folio) {
				/*
				 * copy_nonpresent_pte(): swap entries are
				 * duplicated, guard markers inherited
				 * (copy_pte_marker()).
				 */
				copy_nonpresent_pte(dst_mm, &drun[i], pte);
				continue;
			}
			if (pte->pmd) {
				for (a = 0; a < pmd; a += psz) {
					cpte = pte_alloc(dst_mm,
							 addr + i * psz + a);
					*cpte = *pte_lookup(src_mm,
							    addr + i * psz + a);
				}
				folio_dup_rmap_pmd(folio, dst_mm);
				if (dup_anon)
					dup_anon(folio, dst, src);
				/* Go on after it (it spans tables on 16K). */
				addr += i * psz + pmd;
				nr = 0;
				break;
			}
			drun[i] = *pte;
			/*
			 * folio_dup_rmap_pte(), with the mm's count of anon
			 * pages added once below.
			 */
			if (folio->order) {
				folio_dup_rmap_pte(folio, pte->idx, dst_mm);
			} else {
				folio_dup_rmap_pte_small(folio, pte->idx);
				mapped++;
			}
			if (dup_anon)
				dup_anon(folio, dst, src);
		}
	}
	dst_mm->anon_pages += mapped;
}

/* Any PTE entry, present or a guard marker, in @vma? */
static bool vma_has_entries(struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start;

	return pte_next_entry(vma->vm_mm, &addr, vma->vm_end) != NULL;
}

/* dup_mmap(): copy every VMA but VM_DONTCOPY ones; no merging. */
int task_fork(struct task *parent, long child_pid, struct task **childp)
{
	struct world *w = parent->mm->world;
	const struct rmap_scheme *s = w->scheme;
	struct mm_struct *oldmm = parent->mm, *mm;
	struct vm_area_struct *mpnt, *tmp;
	struct task *child;
	int err;

	if (task_find(w, child_pid))
		return -EEXIST;
	w->acct.cur_op = OP_FORK;
	w->acct.ops[OP_FORK]++;
	mm = mm_alloc(w, child_pid);
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->brk_known = oldmm->brk_known;
	err = s->mm_init(mm, oldmm);
	if (err) {
		mm_free(mm);
		goto out;
	}
	for_each_vma(oldmm, mpnt) {
		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		tmp = vm_area_alloc(mm);
		tmp->vm_start = mpnt->vm_start;
		tmp->vm_end = mpnt->vm_end;
		tmp->vm_pgoff = mpnt->vm_pgoff;
		/*
		 * The child holds no locks, and without
		 * UFFD_FEATURE_EVENT_FORK no userfaultfd registration.
		 */
		tmp->vm_flags = mpnt->vm_flags & ~(VM_LOCKED_MASK |
						   VM_UFFD_FLAGS);
		tmp->vm_file = mpnt->vm_file;
		if (tmp->vm_file)
			tmp->vm_file->refcount++;
		tmp->anon_vma = mpnt->anon_vma;
		tmp->rmap_priv = mpnt->rmap_priv;
		if (tmp->vm_flags & VM_WIPEONFORK) {
			/* A clean slate: prepared again on first fault. */
			tmp->anon_vma = NULL;
			tmp->rmap_priv = NULL;
		} else {
			err = s->anon_vma_fork(tmp, mpnt);
			if (err)
				goto out;
		}
		vma_tree_insert(mm, tmp);
		/*
		 * vma_needs_copy(): faulted VMAs copy their PTEs, and so do
		 * VMAs with guard markers (VM_MAYBE_GUARD: kernel-run shows
		 * a file mapping's guards reaching the child).
		 */
		if (!(tmp->vm_flags & VM_WIPEONFORK) &&
		    (mpnt->anon_vma || vma_has_entries(mpnt)))
			copy_page_range(tmp, mpnt);
	}
	child = task_add(w, child_pid, mm);
	*childp = child;
out:
	w->acct.cur_op = OP_NONE;
	return err;
}

int task_clone_thread(struct task *t, long tid, struct task **threadp)
{
	struct world *w = t->mm->world;
	struct task *thread;

	struct mm_struct *mm = t->mm;
	long tgid = t->tgid;

	if (task_find(w, tid))
		return -EEXIST;
	/* task_add() may move the task array: @t is stale after it. */
	thread = task_add(w, tid, mm);
	thread->tgid = tgid;
	mm->mm_users++;
	*threadp = thread;
	return 0;
}

/* exit_mmap(): zap everything, unlink every VMA's rmap, free the mm. */
static void exit_mmap(struct mm_struct *mm)
{
	struct world *w = mm->world;
	struct vm_area_struct *vma;

	w->acct.cur_op = OP_EXIT;
	w->acct.ops[OP_EXIT]++;
	for_each_vma(mm, vma)
		unmap_page_range(vma, vma->vm_start, vma->vm_end);
	while ((vma = vma_first(mm))) {
		vma_tree_remove(mm, vma);
		remove_vma(vma);
	}
	w->scheme->mm_exit(mm);
	mm_free(mm);
	w->acct.cur_op = OP_NONE;
}

static void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users == 0)
		exit_mmap(mm);
}

int task_exec(struct task *t)
{
	struct world *w = t->mm->world;
	struct mm_struct *old = t->mm;
	int err;

	w->acct.cur_op = OP_EXEC;
	w->acct.ops[OP_EXEC]++;
	/*
	 * The exec'ing task leads its own process from now on (a vfork
	 * child sharing its parent's mm until exec, say).
	 */
	t->tgid = t->pid;
	t->mm = mm_alloc(w, t->pid);
	err = w->scheme->mm_init(t->mm, NULL);
	mmput(old);
	w->acct.cur_op = OP_NONE;
	return err;
}

void task_exit(struct task *t)
{
	if (!t->alive)
		return;
	t->alive = false;
	mmput(t->mm);
	t->mm = NULL;
}
