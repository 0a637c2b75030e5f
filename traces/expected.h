/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel-vectors ".expected" form of a checkpoint (see
 * tests/data/kernel-vectors/README.md): the end state the real kernel
 * reached for a text trace.
 *
 *	== PID
 *	start-end perms offset		first four /proc/PID/maps fields
 *	-- sharing
 *	PID:ADDR PID:ADDR ...		one line per anon page frame
 *	-- objects
 *	anon_vma N
 *	anon_vma_chain N
 *
 * Sharing lines and the entries within a line are sorted as byte strings
 * (what sort(1) does with LC_ALL=C).
 */
#ifndef RMAPLAB_TRACES_EXPECTED_H
#define RMAPLAB_TRACES_EXPECTED_H

#include <stdio.h>

#include "traces/trace.h"

/*
 * Read an .expected file into @cp (reason "end").  Every sharing line
 * gets its own synthesized pfn (1, 2, ...), so pages that share a frame
 * share a pfn; their kflags carry KPF_ANON.  On error returns -1 with
 * "FILE:LINE: what" in @err and @cp empty.
 */
int checkpoint_read_expected(FILE *f, const char *name,
			     struct trace_checkpoint *cp,
			     char *err, size_t errlen);
int checkpoint_load_expected(const char *path, struct trace_checkpoint *cp,
			     char *err, size_t errlen);

/*
 * Write @cp in the .expected form: processes in the order stored, VMAs
 * without names, one sharing line per pfn of the anon pages (a checkpoint
 * without pfns lists each anon page alone), the object counts that are
 * known.
 */
int checkpoint_write_expected(FILE *f, const struct trace_checkpoint *cp);

/*
 * Append the checkpoint in the .expected file @path to @t as a final
 * EV_CHECKPOINT event (pid 0, reason "end").
 */
int trace_append_expected(struct trace *t, const char *path,
			  char *err, size_t errlen);

#endif /* RMAPLAB_TRACES_EXPECTED_H */
