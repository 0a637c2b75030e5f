/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Drawings of an address space, in the style of tools/testing/vma: one
 * character per page from page 0 (BASE), '.' for a hole, and a letter per
 * VMA, A for the lowest, B for the next and so on.  "AAB.C" is three
 * VMAs: pages 0-1, page 2, page 4.
 */
#ifndef RMAPLAB_TESTS_CORE_LAYOUT_H
#define RMAPLAB_TESTS_CORE_LAYOUT_H

#include "tests/classic/env.h"

/* The drawing of pages [0, npages) of @pid's address space. */
const char *layout(long pid, int npages);

/* Map a file or shared mapping at page @page; prot "rw-". */
long map_file(long pid, int page, int pages, const char *prot,
	      const char *file, unsigned long pgoff, bool shared);
long map_anon(long pid, int page, int pages, const char *prot,
	      unsigned int extra_flags);

/* mremap in pages, any result; invariants checked after. */
long remap(long pid, unsigned long addr, unsigned long old_pages,
	   unsigned long new_pages, unsigned int flags,
	   unsigned long new_addr);

/* The folio mapped at @addr, or NULL. */
struct folio *folio_or_null(long pid, unsigned long addr);

/* Who maps page @page of @pid's folio there: "1:0x.. 2:0x.." */
const char *sharers(long pid, unsigned long addr);

#endif /* RMAPLAB_TESTS_CORE_LAYOUT_H */
