/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A trace from a perf recording, for machines where the recorder cannot
 * run (no ptrace, no pagemap: a phone with only perf or simpleperf).
 *
 * The recording is made with the command import_perf_record_command()
 * gives: syscall tracepoints (entry with arguments, exit with the result)
 * of the mm and process calls, page-fault events with their addresses,
 * the scheduler's fork/exec/exit tracepoints, and perf's own mmap
 * records, which carry the layout the kernel builds at exec and the
 * file identity (device, inode) of every file mapping.  The reader takes
 * the text `perf script` prints from it (import_perf_script_args()).
 *
 * What perf cannot see is said in the trace header's recorder field
 * (traces/recorder/README.md for the recorder's): no kernel checkpoints,
 * PFNs or object counts ("nokstate"), folio orders taken as 0 ("order0"),
 * pages populated without a fault (MAP_POPULATE, MADV_POPULATE_*, mlock)
 * missing ("nopopulate"), and, when it happened, lost perf records
 * ("lost"), file mappings without a perf mmap record ("nofid"), clone3
 * calls whose flags perf cannot read ("clone3"), faults without their
 * access type ("norw").  A fault that failed (SIGSEGV: a guard page a
 * program relies on) looks like any other to perf; replay reports it as
 * a divergence, where the recorder drops it.
 */
#ifndef RMAPLAB_TRACES_IMPORT_PERF_H
#define RMAPLAB_TRACES_IMPORT_PERF_H

#include <stdio.h>

#include "traces/trace.h"

#define IMPORT_PERF_RECORDER	"perf-import/1"

/* What the import met, for its summary line. */
struct import_perf_stats {
	unsigned long lines, syscalls, faults, tasks, layout_maps;
	unsigned long lost, no_fileid, clone3, ignored;
};

/*
 * The perf record command line for @arch ("x86_64", "aarch64"), without
 * "-- CMD": one line, no -o (perf writes ./perf.data).
 */
const char *import_perf_record_command(const char *arch);

/* The arguments of `perf script` whose text the reader takes, NULL ends. */
extern const char *const import_perf_script_args[];

/*
 * Read the text of `perf script` from @f (called @name in messages) into
 * @t.  @arch names the recording machine's architecture when the text
 * has no "# arch :" header line (NULL: this machine's).  Returns 0, or -1
 * with "NAME:LINE: what is wrong" in @err.
 */
int import_perf_script(FILE *f, const char *name, const char *arch,
		       struct trace *t, struct import_perf_stats *st,
		       char *err, size_t errlen);

#endif /* RMAPLAB_TRACES_IMPORT_PERF_H */
