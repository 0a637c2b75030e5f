/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared set-up for the lazy scheme's tests: tests/common/env_common.h (a
 * world, event wrappers that run the scheme's checker and compare every
 * folio's verified rmap walk with the brute-force oracle after each event,
 * accessors) on the lazy scheme with parameters, and lazy's own helpers.
 *
 * Drawings use one column per page from BASE; a letter is a VMA, '*'
 * marks the faulted pages, lower case a lazy family member other than
 * the root.
 */
#ifndef RMAPLAB_TESTS_LAZY_ENV_H
#define RMAPLAB_TESTS_LAZY_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/world.h"
#include "schemes/lazy/lazy.h"
#include "tests/common/env_common.h"

#define FAR	0x200000000UL		/* an empty place to mremap to */

/* A fresh world on lazy:@params with process 1 (replaces any other). */
void env_setup(const char *params);

struct lazy_state *env_ls(void);

size_t objsize(const char *cls);
unsigned long rwsem_w(enum mm_op op);	/* anon_vma->rwsem write acqs */

/* The lazy root of the VMA at @addr, NULL if it is not lazy. */
struct vm_area_struct *root_at(long pid, unsigned long addr);
/* The classic anon_vma of the VMA at @addr, NULL if none. */
struct anon_vma *av_at(long pid, unsigned long addr);

#endif /* RMAPLAB_TESTS_LAZY_ENV_H */
