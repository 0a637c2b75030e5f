/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What `rmaplab compare` prints and writes: the seed's memory tables, the
 * walk, lock and per-operation cost tables (all within 80 columns), and
 * the same data as JSON (schema in harness/MEASURE.md) and CSV.
 */
#ifndef RMAPLAB_HARNESS_MEASURE_OUT_H
#define RMAPLAB_HARNESS_MEASURE_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "harness/measure.h"

/* One trace: one result per scheme, in the compare's scheme order. */
struct compare_trace {
	char path[256];
	char arch[16];
	unsigned int page_size;
	struct trace_header hdr;	/* slab sizes, kernel release */
	unsigned long nr_ev;
	struct measure_result *res;
};

struct compare_set {
	const char *const *schemes;
	size_t nr_schemes;
	struct compare_trace *traces;
	size_t nr_traces;
	struct measure_result *total;	/* per scheme, over every trace */
	const struct measure_opts *opts;
	const char *objsize_source;	/* "x86_64 table", "slabinfo", ... */
};

/*
 * Memory table, KB at the end (@peak false) or at the peak, with the
 * change of every scheme against the first.
 */
void print_memory_table(FILE *f, const char *title,
			const struct measure_result *res, size_t n,
			bool peak);
/* Object counts, "end/peak" per scheme. */
void print_count_table(FILE *f, const char *title,
		       const struct measure_result *res, size_t n);
/* Kernel-versus-model object counts at the checkpoints that have them. */
void print_kernel_ref(FILE *f, const struct measure_result *res, size_t n);
void print_walk_table(FILE *f, const char *title,
		      const struct measure_result *res, size_t n);
/* Deterministic lock acquisitions "read/write" per class and operation. */
void print_lock_table(FILE *f, const char *title,
		      const struct measure_result *res, size_t n);
/* Per class and mode, what one hold touched (core/lock.h footprint). */
void print_footprint_table(FILE *f, const char *title,
			   const struct measure_result *res, size_t n);
/* One scheme: per operation, objects allocated/freed, locks, nodes. */
void print_op_table(FILE *f, const struct measure_result *r);
/* Locks operation @op took, every class but the core's mmap_lock. */
unsigned long measure_op_locks(const struct measure_result *r, int op);

void compare_write_json(FILE *f, const struct compare_set *cs);
/* memory.csv, series.csv, walk.csv, locks.csv, ops.csv, checkpoints.csv */
int compare_write_csv(const char *dir, const struct compare_set *cs,
		      struct errbuf *err);

#endif /* RMAPLAB_HARNESS_MEASURE_OUT_H */
