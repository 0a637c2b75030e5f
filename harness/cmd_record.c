// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab record -o OUT.rmt [-n N] [--no-faults] [--no-checkpoints]
 *                [--text] [-q] [--memory-limit SIZE] -- CMD [ARGS...]
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
#include "harness/vm.h"
#include "traces/outfile.h"
#include "traces/recorder/recorder.h"
#include "traces/trace.h"

static const char *const record_synopsis[] = {
	"-o OUT.rmt [-n N] [--no-faults] [--no-checkpoints]",
	" [--text] [-q] [--memory-limit SIZE] [--kernel NAME] --",
	" CMD [ARGS...]",
	NULL,
};

static const struct cmd_opt record_opts[] = {
	{ "-o, --output FILE", "the trace to write: binary, or text with "
	  "--text" },
	{ "-n, --every N", "also checkpoint every N events" },
	{ "--no-faults", "do not sample page faults (no perf_event_open)" },
	{ "--no-checkpoints", "no kernel-state checkpoints" },
	{ "-t, --text", "write the text form instead of the binary one" },
	{ "-q, --quiet", "no summary on standard error" },
	{ "--memory-limit SIZE", "run CMD in a memory cgroup of SIZE "
	  "bytes ([KMG];\nv2 memory.max, v1 memory.limit_in_bytes) with "
	  "swap: a\n1 GiB swap file of its own, removed at the end, when "
	  "none\nis configured (root only), so that the kernel reclaims"
	  "\nCMD's pages as it runs" },
	{ "--kernel NAME", "record inside a VM booted on NAME (see 'rmaplab "
	  "vm');\nCMD and ARGS naming host files by path are copied in" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const record_examples[] = {
	"rmaplab record -o make.rmt -- make -j2",
	"rmaplab record --memory-limit 64M -o sort.rmt -- sort big.txt",
	"rmaplab record --kernel debian:6.12-arm64-16k -o sh.rmt -- \\",
	"    /bin/sh -c 'for i in 1 2 3; do ls /; done'",
	NULL,
};

const struct cmd_doc record_doc = {
	.name = "record",
	.summary = "trace a program's mm activity on this machine",
	.synopsis = record_synopsis,
	.description =
	"Runs CMD and follows its process tree with ptrace (a seccomp filter\n"
	"stops only the mm and process syscalls), samples its page faults\n"
	"with perf_event_open, and takes checkpoints of the kernel's state\n"
	"(/proc/PID/maps, the page frame of every present anon page and the\n"
	"swap slot of every swapped one) at fork, exec and exit.  Reclaim\n"
	"the kernel did on its own shows in the checkpoints; 'rmaplab check'\n"
	"replays it.  Needs root (pagemap PFNs and swap slots) and\n"
	"perf_event_paranoid <= 1 for the faults.  Where the recorder cannot\n"
	"run, record with perf and use 'rmaplab import'.",
	.opts = record_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.exit_note = "Otherwise the traced program's own status (128+signal "
		"if it was killed), so\nthe recorder can stand in for the "
		"program in scripts; 2 also when recording\ncould not start "
		"or the trace could not be written.",
	.examples = record_examples,
};

int cmd_record(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "every", required_argument, NULL, 'n' },
		{ "no-faults", no_argument, NULL, 'F' },
		{ "no-checkpoints", no_argument, NULL, 'C' },
		{ "text", no_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "memory-limit", required_argument, NULL, 'm' },
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

	for (c = 1; c < argc && strcmp(argv[c], "--"); c++) {
		static const char *const outputs[] = { "-o", "--output",
						       NULL };
		static const char *const valued[] = { "-n", "--every",
						       "--memory-limit", NULL };

		if (!strncmp(argv[c], "--kernel", 8))
			return vm_command(argc, argv, outputs, valued);
	}
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
		case 'm':
			if (cmd_size_arg(optarg, true, &o.memory_limit) ||
			    o.memory_limit < 4096) {
				fprintf(stderr, "rmaplab: record: "
					"--memory-limit '%s': want BYTES[KMG], "
					"at least a page\n", optarg);
				return 2;
			}
			break;
		case 'h':
			cmd_help(stdout, &record_doc);
			return 0;
		default:
			return cmd_usage_error(&record_doc);
		}
	}
	if (!out || optind >= argc || !strcmp(out, "-")) {
		/* the traced program shares standard output */
		fprintf(stderr, "rmaplab: record: %s\n", !out ?
			"-o OUT is required" : optind >= argc ?
			"no command to record" :
			"-o -: the program's output would mix with the trace");
		return cmd_usage_error(&record_doc);
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
