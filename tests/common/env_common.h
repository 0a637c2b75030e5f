/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the scheme tests (tests/classic, tests/lazy, tests/cowctx) share:
 * a world on one scheme with process 1, event wrappers that run the
 * scheme's checker and compare every folio's verified rmap walk with the
 * brute-force oracle after each event, and small accessors.  Each area's
 * env.[ch] adds what is its scheme's own.
 *
 * Drawings use one column per page from BASE.
 */
#ifndef RMAPLAB_TESTS_COMMON_ENV_COMMON_H
#define RMAPLAB_TESTS_COMMON_ENV_COMMON_H

#include <stdbool.h>

#include "core/world.h"

#define PG	0x1000UL
#define BASE	0x100000000UL		/* page 0 of the drawings; 2M aligned */
#define AT(n)	(BASE + (unsigned long)(n) * PG)

extern struct world *W;
extern char env_err[512];

/*
 * When true (the default), every event wrapper asserts env_sound().
 * Tests of broken variants and known findings turn it off and call
 * env_sound(), env_check() and env_misses() themselves.
 */
extern bool env_strict;

/* A fresh world on @scheme:@params with process 1 (replaces any other). */
void env_world(const struct rmap_scheme *scheme, const char *params);
void env_teardown(void);

/* The live task @pid; asserts there is one. */
struct task *T(long pid);

/* The scheme's checker alone; 0 or -1 with the message in env_err. */
int env_check(void);

/*
 * Mappings the oracle sees that the scheme's verified walks do not find;
 * the first one is described in env_err.
 */
unsigned long env_misses(void);

/*
 * The checker, then every folio's verified walk against the oracle: 0 if
 * all agree, else -1 with a message in env_err (a missed mapping, or a
 * hit the oracle does not see).
 */
int env_sound(void);

/* After an event: assert env_sound() unless !env_strict. */
void env_after(const char *what);

/* PROT_* of "rw-". */
unsigned int env_prot(const char *prot);

/* Fixed private anonymous mapping; prot as "rw-". */
void ev_mmap(long pid, unsigned long addr, unsigned long pages,
	     const char *prot);
/* Fixed private mapping of file @name at file page @pgoff. */
void ev_mmap_file(long pid, unsigned long addr, unsigned long pages,
		  const char *prot, const char *name, unsigned long pgoff);
void ev_fault(long pid, unsigned long addr, bool write, unsigned int order);
void ev_fork(long parent, long child);
void ev_exit(long pid);
void ev_munmap(long pid, unsigned long addr, unsigned long pages);
void ev_mprotect(long pid, unsigned long addr, unsigned long pages,
		 const char *prot);
void ev_madvise(long pid, unsigned long addr, unsigned long pages,
		int advice);
/*
 * mremap() with @flags; with MREMAP_FIXED the result must be @new_addr,
 * without MREMAP_MAYMOVE @addr.  Returns the new address.
 */
long ev_mremap(long pid, unsigned long addr, unsigned long old_pages,
	       unsigned long new_pages, unsigned int flags,
	       unsigned long new_addr);
/* Move @old_pages at @addr to @new_addr (MREMAP_MAYMOVE|MREMAP_FIXED). */
long ev_move(long pid, unsigned long addr, unsigned long old_pages,
	     unsigned long new_pages, unsigned long new_addr);

/*
 * A MADV_HUGEPAGE mapping of one PMD (512 pages) at @addr, 2M aligned,
 * write-faulted into one PMD-mapped THP; returns that folio.
 */
struct folio *ev_mmap_thp(long pid, unsigned long addr);

long live(const char *cls);		/* live objects of an acct class */

struct vm_area_struct *vma_at(long pid, unsigned long addr);
int nr_vmas(long pid);
/* The folio mapped at @addr; asserts there is one. */
struct folio *folio_at(long pid, unsigned long addr);
/* Entries on the anon_vma_chain list of the VMA at @addr. */
int chain_len(long pid, unsigned long addr);

/* Candidate VMAs the scheme's walk offers for @f (unverified). */
int walk_candidates(struct folio *f, struct vm_area_struct **out, int max);

#endif /* RMAPLAB_TESTS_COMMON_ENV_COMMON_H */
