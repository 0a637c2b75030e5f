/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared set-up for the classic scheme's tests: tests/common/env_common.h
 * (a world, event wrappers that check every invariant and every folio's
 * rmap walk after each event, accessors) on the classic scheme, and the
 * classic scheme's own accessors.
 */
#ifndef RMAPLAB_TESTS_CLASSIC_ENV_H
#define RMAPLAB_TESTS_CLASSIC_ENV_H

#include <stdbool.h>

#include "core/world.h"
#include "schemes/classic/classic.h"
#include "tests/common/env_common.h"

/* A fresh world on classic:@params with process 1. */
void env_setup(const char *params);

struct classic_state *env_cs(void);

/*
 * env_sound() (the checker, then every walk against the oracle), asserted
 * with @what in the message when @expect_ok; else 0 or -1 with the
 * message in env_err, for tests of broken states.
 */
int env_verify(const char *what, bool expect_ok);

unsigned long locks_w(enum mm_op op);	/* anon_vma->rwsem write acqs */
unsigned long locks_r(enum mm_op op);

struct anon_vma *av_of(long pid, unsigned long addr);

/* Does the walk of @f offer the VMA at @addr of @pid (unverified)? */
bool walk_finds(struct folio *f, long pid, unsigned long addr);

#endif /* RMAPLAB_TESTS_CLASSIC_ENV_H */
