// SPDX-License-Identifier: GPL-2.0-only
/*
 * The anon_vma side of VMA merging, as mm/vma.c decides it:
 * anon_vma_compatible() (first-fault neighbour reuse),
 * is_mergeable_anon_vma() with vma_is_fork_child() -- including the
 * Jan-2026 fix that also refuses a fork child as copy_vma()'s source
 * (vmg->copied_from) -- and are_anon_vmas_compatible().
 */
#include "core/world.h"
#include "classic.h"

/*
 * anon_vma_compatible(): @a directly below @b, same file, flags equal but
 * for the access bits mprotect() changes (VM_SOFTDIRTY is not modelled),
 * pgoffs contiguous.  The model has no mempolicy.
 */
bool classic_anon_vma_compatible(const struct vm_area_struct *a,
				 const struct vm_area_struct *b)
{
	unsigned int shift = a->vm_mm->page_shift;

	return a->vm_end == b->vm_start &&
		a->vm_file == b->vm_file &&
		!((a->vm_flags ^ b->vm_flags) & ~VM_ACCESS_FLAGS) &&
		b->vm_pgoff == a->vm_pgoff +
			((b->vm_start - a->vm_start) >> shift);
}

/*
 * vma_is_fork_child() (6.18: vma_had_uncowed_parents()): faulted, and
 * linked to more than its own anon_vma, so folios of an ancestor may be
 * mapped here.
 */
bool classic_vma_is_fork_child(const struct classic_state *cs,
			       const struct vm_area_struct *vma)
{
	return vma && classic_vma_anon_vma(cs, vma) &&
		!list_is_singular(&vma->anon_vma_chain);
}

/*
 * is_mergeable_anon_vma(): case 1, an unfaulted target takes the source's
 * anon_vma through dup_anon_vma() -- not a fork child's, whether it is the
 * merge's middle VMA or the VMA mremap() copies from; case 2, a faulted
 * target absorbs an unfaulted range -- not if the target is a fork child;
 * case 3, both faulted: only the same anon_vma.
 */
bool classic_anon_mergeable(struct classic_state *cs,
			    struct vm_area_struct *tgt, void *src_anon,
			    struct vm_area_struct *src,
			    struct vm_area_struct *copied_from)
{
	/*
	 * Before 6.16 case 1 never merged: the target's empty chain failed
	 * the list_is_singular() test ("mm/vma: fix incorrectly disallowed
	 * anonymous VMA merges").
	 */
	if (!tgt->anon_vma && src_anon &&
	    !kernel_at_least(tgt->vm_mm->world, 6, 16))
		return false;
	if (!tgt->anon_vma && src_anon)
		return !classic_vma_is_fork_child(cs, src) &&
			!classic_vma_is_fork_child(cs, copied_from);
	if (tgt->anon_vma && !src_anon)
		return !classic_vma_is_fork_child(cs, tgt);
	return src_anon == tgt->anon_vma;
}

/* are_anon_vmas_compatible(): prev and next both merging into one. */
bool classic_anon_compatible(struct classic_state *cs,
			     struct vm_area_struct *prev,
			     struct vm_area_struct *next)
{
	return !prev->anon_vma || !next->anon_vma ||
		prev->anon_vma == next->anon_vma;
}
