/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared set-up for the lazy scheme's tests: a world on the lazy scheme
 * (with parameters), event wrappers that run the scheme's checker and
 * compare every folio's verified rmap walk with the brute-force oracle
 * after each event, and small accessors.
 *
 * Drawings use one column per page from BASE; a letter is a VMA, '*'
 * marks the faulted pages, lower case a lazy family member other than
 * the root.
 */
#ifndef RMAPLAB_TESTS_LAZY_ENV_H
#define RMAPLAB_TESTS_LAZY_ENV_H

#include <stdbool.h>

#include "core/world.h"
#include "schemes/lazy/lazy.h"

#define PG	0x1000UL
#define BASE	0x100000000UL		/* page 0 of the drawings; 2M aligned */
#define AT(n)	(BASE + (unsigned long)(n) * PG)
#define FAR	0x200000000UL		/* an empty place to mremap to */

extern struct world *W;

/* A fresh world on lazy:@params with process 1 (replaces any other). */
void env_setup(const char *params);
void env_teardown(void);

struct lazy_state *env_ls(void);
struct task *T(long pid);

/*
 * When strict (the default), every event wrapper asserts that the checker
 * passes and that no walk misses a mapping.  Tests of known findings turn
 * it off and inspect env_check() and env_misses() themselves.
 */
extern bool env_strict;
int env_verify(const char *what);
extern char env_err[512];

/* The scheme's checker alone; 0 or -1 with the message in env_err. */
int env_check(void);

/*
 * Mappings the oracle sees that the scheme's verified walks do not find;
 * the first one is described in env_err.
 */
unsigned long env_misses(void);

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
long ev_mremap(long pid, unsigned long addr, unsigned long old_pages,
	       unsigned long new_pages, unsigned int flags,
	       unsigned long new_addr);

long live(const char *cls);		/* live objects of an acct class */
size_t objsize(const char *cls);
unsigned long rwsem_w(enum mm_op op);	/* anon_vma->rwsem write acqs */

struct vm_area_struct *vma_at(long pid, unsigned long addr);
int nr_vmas(long pid);
struct folio *folio_at(long pid, unsigned long addr);
/* The lazy root of the VMA at @addr, NULL if it is not lazy. */
struct vm_area_struct *root_at(long pid, unsigned long addr);
/* The classic anon_vma of the VMA at @addr, NULL if none. */
struct anon_vma *av_at(long pid, unsigned long addr);
int chain_len(long pid, unsigned long addr);

/* Candidate VMAs the scheme's walk offers for @f (unverified). */
int walk_candidates(struct folio *f, struct vm_area_struct **out, int max);

#endif /* RMAPLAB_TESTS_LAZY_ENV_H */
