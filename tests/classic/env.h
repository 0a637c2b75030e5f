/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared set-up for the classic scheme's tests: a world on the classic
 * scheme, event wrappers that check every invariant and every folio's
 * rmap walk after each event, and small accessors.
 */
#ifndef RMAPLAB_TESTS_CLASSIC_ENV_H
#define RMAPLAB_TESTS_CLASSIC_ENV_H

#include <stdbool.h>

#include "core/world.h"
#include "schemes/classic/classic.h"

#define PG	0x1000UL
#define BASE	0x100000000UL		/* page 0 of the drawings */
#define AT(n)	(BASE + (unsigned long)(n) * PG)

extern struct world *W;

void env_setup(const char *params);
void env_teardown(void);

struct classic_state *env_cs(void);
struct task *T(long pid);

/*
 * After each event: the scheme's checker, then for every present anon
 * page the walk must offer the VMA that maps it (completeness).  Returns
 * nonzero (with a message in env_err) instead of asserting when @expect_ok
 * is false, for tests of broken variants.
 */
int env_verify(const char *what, bool expect_ok);
extern char env_err[512];

/* Fixed private anonymous mapping; prot as "rw-". */
void ev_mmap(long pid, unsigned long addr, unsigned long pages,
	     const char *prot);
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
unsigned long locks_w(enum mm_op op);	/* anon_vma->rwsem write acqs */
unsigned long locks_r(enum mm_op op);

struct vm_area_struct *vma_at(long pid, unsigned long addr);
int nr_vmas(long pid);
struct folio *folio_at(long pid, unsigned long addr);
struct anon_vma *av_of(long pid, unsigned long addr);
int chain_len(long pid, unsigned long addr);

/* Walk @f; return how many candidate VMAs the scheme offered. */
int walk_candidates(struct folio *f, struct vm_area_struct **out, int max);
bool walk_finds(struct folio *f, long pid, unsigned long addr);

#endif /* RMAPLAB_TESTS_CLASSIC_ENV_H */
