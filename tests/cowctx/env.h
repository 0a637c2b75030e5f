/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared set-up for the cowctx tests: tests/common/env_common.h (a world,
 * event wrappers that run the scheme's checker and compare every folio's
 * verified walk with the brute-force oracle after each event unless the
 * test studies a broken variant, accessors) on the cowctx scheme, and
 * cowctx's own helpers.
 */
#ifndef RMAPLAB_TESTS_COWCTX_ENV_H
#define RMAPLAB_TESTS_COWCTX_ENV_H

#include <stdbool.h>

#include "core/oracle.h"
#include "core/world.h"
#include "schemes/cowctx/cowctx.h"
#include "tests/common/env_common.h"

/* A fresh world on cowctx:@params with process 1. */
void env_setup(const char *params);

void ev_exec(long pid);

unsigned long lock_acquires(const char *cls, enum mm_op op);

struct cow_context *ctx_of(long pid);
int nr_contexts(void);

/* A walk of @f: the verified hits and the counters. */
struct walk_res {
	struct rmap_hits hits;
	struct rmap_walk_control rwc;
};
void walk(struct folio *f, struct walk_res *r);
void walk_res_free(struct walk_res *r);
/* Does the verified walk of @f find @pid mapping it at @addr? */
bool walk_finds(struct folio *f, long pid, unsigned long addr);
/* Brute force: does @pid map a page of @f at @addr? */
bool maps(long pid, unsigned long addr, struct folio *f);

#endif /* RMAPLAB_TESTS_COWCTX_ENV_H */
