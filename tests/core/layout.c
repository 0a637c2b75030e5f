// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

#include "core/oracle.h"
#include "tests/core/layout.h"

const char *layout(long pid, int npages)
{
	static char buf[256];
	struct vm_area_struct *vma, *last = NULL;
	char letter = 'A' - 1;
	int i;

	cr_assert(npages < (int)sizeof(buf));
	for (i = 0; i < npages; i++) {
		vma = vma_lookup(T(pid)->mm, AT(i));
		if (!vma) {
			buf[i] = '.';
			continue;
		}
		if (vma != last)
			letter++;
		last = vma;
		buf[i] = letter;
	}
	buf[npages] = '\0';
	return buf;
}

static unsigned int prot_of(const char *p)
{
	return (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) |
		(p[2] == 'x' ? PROT_EXEC : 0);
}

long map_file(long pid, int page, int pages, const char *prot,
	      const char *file, unsigned long pgoff, bool shared)
{
	return sys_mmap(T(pid), AT(page), pages * PG, prot_of(prot),
			(shared ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED,
			file ? world_file(W, file) : NULL, pgoff);
}

long map_anon(long pid, int page, int pages, const char *prot,
	      unsigned int extra_flags)
{
	return sys_mmap(T(pid), AT(page), pages * PG, prot_of(prot),
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | extra_flags,
			NULL, 0);
}

const char *sharers(long pid, unsigned long addr)
{
	static char buf[512];
	struct rmap_hits hits = { 0 };
	struct folio *folio = folio_at(pid, addr);
	struct pte *pte = pte_lookup(T(pid)->mm, addr);
	size_t i, n = 0;

	buf[0] = '\0';
	if (!folio)
		return buf;
	oracle_scan(W, &hits);
	rmap_hits_sort(&hits);
	for (i = 0; i < hits.nr; i++) {
		if (hits.v[i].folio != folio || hits.v[i].idx != pte->idx)
			continue;
		n += snprintf(buf + n, sizeof(buf) - n, "%s%ld:0x%lx",
			      n ? " " : "", mm_pid(hits.v[i].mm),
			      hits.v[i].addr);
	}
	rmap_hits_free(&hits);
	return buf;
}

long remap(long pid, unsigned long addr, unsigned long old_pages,
	   unsigned long new_pages, unsigned int flags, unsigned long new_addr)
{
	long r = sys_mremap(T(pid), addr, old_pages * PG, new_pages * PG,
			    flags, new_addr, new_addr);

	env_verify("mremap", true);
	return r;
}

struct folio *folio_or_null(long pid, unsigned long addr)
{
	struct pte *pte = pte_lookup(T(pid)->mm, addr);

	return pte ? pte->folio : NULL;
}
