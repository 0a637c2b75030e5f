/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Seeded random mm histories for model-only differential testing.
 *
 * Unlike traces/gen_random.c, which writes histories for the real kernel
 * to run (and so must guess what each process has mapped), this generator
 * replays every event it writes through the model (the oracle scheme) and
 * aims the next one at what really is there: faults at mapped pages with
 * the right access, mremap of faulted VMAs and back to where they came
 * from, mprotect and munmap over neighbours, fork, threads, exit, exec,
 * brk, MADV_HUGEPAGE regions with order-9 faults, small large folios,
 * private file mappings.  Events carry no results (except the first brk
 * of an mm, which tells the model the break); replay then compares
 * nothing with a kernel, which is what model-only testing wants.  The
 * same seed always gives the same trace.
 */
#ifndef RMAPLAB_HARNESS_GEN_MODEL_H
#define RMAPLAB_HARNESS_GEN_MODEL_H

#include <stdint.h>

#include "traces/trace.h"

#define GEN_MODEL_START		0x100000000UL	/* the test range */
#define GEN_MODEL_PAGES		48
#define GEN_MODEL_BRK		(GEN_MODEL_START + 40 * 0x1000UL)
#define GEN_MODEL_THP		0x400000000UL	/* 4 PMDs for THPs */
#define GEN_MODEL_THP_LEN	0x800000UL
#define GEN_MODEL_EVENTS	40

/*
 * Fill @t (initialised here) with @nr_events events (0: the default) of
 * history number @seed; t->path is "gen-model-SEED".
 */
void gen_model(struct trace *t, uint64_t seed, unsigned int nr_events);

#endif /* RMAPLAB_HARNESS_GEN_MODEL_H */
