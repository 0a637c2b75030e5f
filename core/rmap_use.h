/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the rmap's users (reclaim, swap-in, migration) share: running the
 * scheme's walk with their own rmap_one(), the range of a VMA that
 * page_vma_mapped_walk() searches, and recording a walk that missed.
 */
#ifndef RMAPLAB_CORE_RMAP_USE_H
#define RMAPLAB_CORE_RMAP_USE_H

#include <stdarg.h>

#include "world.h"

/*
 * The world's scheme's rmap_walk() of @folio as every walk runs it,
 * with @rwc's rmap_one and arg: counted as OP_WALK, the counted locks it
 * takes held for the footprint until it ends, the containers and VMAs it
 * visits added to the lock work (lock_work.h).
 */
void rmap_walk_accounted(struct world *w, struct folio *folio,
			 struct rmap_walk_control *rwc);

/*
 * rmap_walk_accounted() of @folio with @one as rmap_one; @pinned: see
 * rmap_walk_control.
 */
void rmap_use_walk(struct world *w, struct folio *folio,
		   bool (*one)(struct folio *, struct vm_area_struct *,
			       unsigned long, void *), void *arg,
		   bool pinned);

/*
 * page_vma_mapped_walk()'s range: the folio's pages from @addr (what
 * vma_address() gave), clamped to @vma.
 */
void pvmw_range(const struct folio *folio, const struct vm_area_struct *vma,
		unsigned long addr, unsigned long *start, unsigned long *end);

/*
 * try_to_unmap_one() / try_to_migrate_one(): every PTE of @vma in the
 * range from @addr that maps @folio becomes a non-present entry of @kind
 * at @off, exclusive when its page was PageAnonExclusive (which it loses,
 * folio_try_share_anon_rmap_pte()).  Returns how many.
 */
unsigned long unmap_to_entries(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, unsigned int kind,
			       unsigned long off);

/*
 * A user's walk had @want mappings to find and found @got; a shortfall
 * is recorded with the line printf() makes of @fmt.
 */
void rmap_use_account(struct world *w, enum rmap_use use, unsigned long want,
		      unsigned long got, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * "PID:0xADDR[ PID:0xADDR...]": the PTEs of every mm that map @folio
 * (@migration: the migration entries of it), found by brute force, in
 * @buf, which is returned: called only for a walk that fell short.
 */
const char *folio_where(struct world *w, const struct folio *folio,
			bool migration, char *buf, size_t len);

#endif /* RMAPLAB_CORE_RMAP_USE_H */
