/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Seeded random mm histories in the style of the kernel vectors: a tree of
 * processes forking and exiting while they mmap, munmap, mprotect, madvise,
 * mremap and fault in a small test range (so that VMAs meet, split and
 * merge) plus a 2 MiB-aligned area for THPs.  Events carry no results:
 * kernel-run fills in what the kernel did.  The same seed always gives the
 * same trace.
 */
#ifndef RMAPLAB_TRACES_GEN_RANDOM_H
#define RMAPLAB_TRACES_GEN_RANDOM_H

#include <stdint.h>

#include "traces/trace.h"

#define GEN_TEST_START	0x100000000ULL
#define GEN_TEST_END	0x100600000ULL
#define GEN_THP_START	0x400000000ULL
#define GEN_THP_END	0x401000000ULL
#define GEN_DEFAULT_EVENTS 60

/*
 * Fill @t (initialised here) with @nr_events events (0: the default) of
 * the history numbered @seed.
 */
void gen_random(struct trace *t, uint64_t seed, unsigned int nr_events);
/*
 * The same for a kernel with @page_size pages: the ranges above are for
 * 4 KiB pages and scale with the page size (the THP area holds two PMDs).
 */
void gen_random_pages(struct trace *t, uint64_t seed, unsigned int nr_events,
		      unsigned int page_size);

/* With reclaim and pageout events (and fork/swap-in patterns around them). */
#define GEN_SWAP	0x1
void gen_random_ex(struct trace *t, uint64_t seed, unsigned int nr_events,
		   unsigned int page_size, unsigned int flags);

#endif /* RMAPLAB_TRACES_GEN_RANDOM_H */
