// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab record -o OUT.rmt [-n N] [--no-faults] [--no-checkpoints]
 *                [--text] [-q] -- CMD [ARGS...]
 *
 * Exit status: the traced program's own (128+signal if it was killed), so
 * the recorder can stand in for the program in scripts; 2 when recording
 * could not start or the trace could not be written.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cmds.h"
#include "traces/outfile.h"
#include "traces/recorder/recorder.h"
#include "traces/trace.h"

static void record_usage(FILE *f)
{
	fprintf(f, "usage: rmaplab record -o OUT.rmt [-n N] [--no-faults] "
		"[--no-checkpoints] [--text] [-q] -- CMD [ARGS...]\n"
		"  -o FILE           trace to write (binary; text with "
		"--text)\n"
		"  -n N              also checkpoint every N events\n"
		"  --no-faults       do not sample page faults (no perf)\n"
		"  --no-checkpoints  no kernel-state checkpoints\n"
		"  -q                no summary on stderr\n");
}

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "every", required_argument, NULL, 'n' },
		{ "no-faults", no_argument, NULL, 'F' },
		{ "no-checkpoints", no_argument, NULL, 'C' },
		{ "text", no_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct recorder_opts o;
	const char *out = NULL;
	bool text = false;
	char *end, err[PATH_MAX + 100];
	struct outfile of;
	struct trace t;
	int c, status;

	recorder_opts_init(&o);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+o:n:tqh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			errno = 0;
			o.cp_every = strtoul(optarg, &end, 0);
			if (errno || *end || optarg[0] == '-') {
				fprintf(stderr, "rmaplab: record: -n: bad "
					"number '%s'\n", optarg);
				return 2;
			}
			break;
		case 'F':
			o.faults = false;
			break;
		case 'C':
			o.checkpoints = false;
			break;
		case 't':
			text = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'h':
			record_usage(stdout);
			return 0;
		default:
			record_usage(stderr);
			return 2;
		}
	}
	if (!out || optind >= argc) {
		fprintf(stderr, "rmaplab: record: %s\n", !out ?
			"-o OUT is required" : "no command to record");
		record_usage(stderr);
		return 2;
	}
	/*
	 * Fail before running anything if the trace cannot be written.  It
	 * is written as it is recorded, to OUT.partial-XXXXXX: a recorder
	 * killed outright leaves that file, readable to its last block;
	 * OUT itself changes only when the recording is whole.
	 */
	if (outfile_open(&of, out, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: record: %s\n", err);
		return 2;
	}
	o.out = of.f;
	o.out_text = text;
	trace_init(&t);
	status = recorder_record(&o, argv + optind, &t);
	trace_free(&t);
	if (status == RECORDER_ERROR) {
		outfile_abort(&of);
		return 2;
	}
	if (outfile_commit(&of, status == RECORDER_WRITE_ERROR, err,
			   sizeof(err))) {
		fprintf(stderr, "rmaplab: record: %s\n", err);
		return 2;
	}
	return status;
}
