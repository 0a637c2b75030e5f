/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared set-up for the cowctx tests: a world on the cowctx scheme,
 * event wrappers that run the scheme's checker and compare every folio's
 * verified walk with the brute-force oracle after each event (unless the
 * test studies a broken variant), and small accessors.
 */
#ifndef RMAPLAB_TESTS_COWCTX_ENV_H
#define RMAPLAB_TESTS_COWCTX_ENV_H

#include <stdbool.h>

#include "core/oracle.h"
#include "core/world.h"
#include "schemes/cowctx/cowctx.h"

#define PG	0x1000UL
#define BASE	0x100000000UL		/* page 0 of the drawings */
#define AT(n)	(BASE + (unsigned long)(n) * PG)

extern struct world *W;
/* Verify after every event (default true; false for stop=poc studies). */
extern bool env_strict;
extern char env_err[512];

void env_setup(const char *params);
void env_teardown(void);

struct task *T(long pid);

/*
 * The scheme's checker, then every folio's verified walk against the
 * oracle.  0 if all agree, else -1 with a message in env_err.
 */
int env_verify(void);

/* Fixed private anonymous mapping; prot as "rw-". */
void ev_mmap(long pid, unsigned long addr, unsigned long pages,
	     const char *prot);
void ev_fault(long pid, unsigned long addr, bool write, unsigned int order);
void ev_fork(long parent, long child);
void ev_exit(long pid);
void ev_exec(long pid);
void ev_munmap(long pid, unsigned long addr, unsigned long pages);
void ev_mprotect(long pid, unsigned long addr, unsigned long pages,
		 const char *prot);
/* MREMAP_MAYMOVE|MREMAP_FIXED to @new_addr (0: in place). */
long ev_mremap(long pid, unsigned long addr, unsigned long old_pages,
	       unsigned long new_pages, unsigned long new_addr);

long live(const char *cls);
unsigned long lock_acquires(const char *cls, enum mm_op op);

struct vm_area_struct *vma_at(long pid, unsigned long addr);
int nr_vmas(long pid);
struct folio *folio_at(long pid, unsigned long addr);
struct cow_context *ctx_of(long pid);
int nr_contexts(void);

/* A walk of @f: the verified hits and the counters. */
struct walk_res {
	struct rmap_hits hits;
	struct rmap_walk_control rwc;
};
void walk(struct folio *f, struct walk_res *r);
void walk_res_free(struct walk_res *r);
bool walk_finds(struct folio *f, long pid, unsigned long addr);
/* Brute force: does @pid map a page of @f at @addr? */
bool maps(long pid, unsigned long addr, struct folio *f);

#endif /* RMAPLAB_TESTS_COWCTX_ENV_H */
