/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The recorder: run a program under ptrace, a seccomp filter and perf
 * page-fault sampling and turn what it does to its address spaces into an
 * rmaplab trace (traces/trace.h).  See traces/recorder/README.md.
 */
#ifndef RMAPLAB_RECORDER_RECORDER_H
#define RMAPLAB_RECORDER_RECORDER_H

#include <stdbool.h>

#include "traces/trace.h"

struct recorder_opts {
	unsigned long cp_every;	/* checkpoint every N events; 0: never */
	bool faults;		/* sample page faults with perf */
	bool checkpoints;	/* fork/exec/exit/periodic checkpoints */
	bool quiet;		/* no summary line on stderr */
	/*
	 * Run the program in a memory cgroup of this many bytes (0: none),
	 * with swap (its own swap file if none is configured).
	 */
	unsigned long long memory_limit;
	/*
	 * Where the trace goes as it is recorded (binary v2, text with
	 * out_text); NULL: all of it stays in the trace passed in.
	 */
	FILE *out;
	bool out_text;
};

void recorder_opts_init(struct recorder_opts *o);

/* Exit statuses of recorder_record() that are not the program's own. */
#define RECORDER_ERROR	(-1)	/* one line was printed on stderr */
#define RECORDER_WRITE_ERROR (-2) /* o->out failed; errno says why */

/*
 * Run argv[0] (looked up in PATH) with argv and record it into @t, which
 * must be initialised with trace_init().  Returns the traced program's exit
 * status as a shell reports it (0..255, 128+signal for a killed program),
 * or RECORDER_ERROR when recording could not start.  Whatever the program
 * does, @t holds a complete trace when a status is returned, or with
 * o->out set, the file does (with its end block) and @t only its files.
 */
int recorder_record(const struct recorder_opts *o, char *const argv[],
		    struct trace *t);

#endif /* RMAPLAB_RECORDER_RECORDER_H */
