// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab import [-o OUT] [--arch A] FILE: a trace from a perf recording
 * (traces/import_perf.h), for machines where `rmaplab record` cannot run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/cmds.h"
#include "traces/import_perf.h"
#include "traces/outfile.h"

extern char **environ;

static const char *import_subst(const char *key);

static const char *const import_synopsis[] = {
	"[-o OUT] [--arch ARCH] [--text] PERF.DATA|SCRIPT.TXT|-",
	NULL,
};

static const struct cmd_opt import_opts[] = {
	{ "-o, --output FILE", "the trace: FILE.rmt binary, else text; "
	  "default or '-':\nstandard output (text)" },
	{ "--arch ARCH", "the recording machine's architecture when the "
	  "text has\nno '# arch :' line (default: this machine's)" },
	{ "-t, --text", "text even when FILE ends in .rmt" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const import_examples[] = {
	"rmaplab import -o prog.rmt perf.data",
	"rmaplab check prog.rmt",
	NULL,
};

const struct cmd_doc import_doc = {
	.name = "import",
	.summary = "a trace from a perf recording, where the recorder cannot "
		   "run",
	.synopsis = import_synopsis,
	/* the perf command line is added by import_help() */
	.description =
	"Makes a trace from what perf recorded: the mm and process syscalls\n"
	"with their results, every page fault with its address, fork, exec\n"
	"and exit, and perf's mmap records (the layout the kernel builds at\n"
	"exec, the device and inode of file mappings).  FILE is a perf.data\n"
	"(read with 'perf script', which must be installed) or the text\n"
	"'perf script' printed from it with the options below; '-' reads that\n"
	"text from standard input.  Record as root (syscall tracepoints need\n"
	"it, or perf_event_paranoid = -1), on x86_64 with:\n"
	"\n"
	"  @RECORD@\n"
	"\n"
	"(elsewhere the page faults come from '-e page-faults -c 1' and their\n"
	"access type is unknown).  The text is what this prints:\n"
	"\n"
	"  perf script @SCRIPT@\n"
	"\n"
	"perf cannot see the kernel's state: the trace has no checkpoints,\n"
	"PFNs or object counts, every fault's folio order is 0, and pages the\n"
	"kernel populated without a fault (MAP_POPULATE, MADV_POPULATE_*,\n"
	"mlock) are missing; a fault that failed (SIGSEGV) is kept and\n"
	"replays as a divergence.  Its header's recorder field says so\n"
	"(perf-import/1,nokstate,order0,nopopulate, and lost, nofid,\n"
	"clone3 or norw when perf lost records, a file mapping had no\n"
	"mmap record, clone3's flags could not be read, or faults came\n"
	"without their access type), and 'rmaplab check' checks such a trace\n"
	"against the oracle only.",
	.opts = import_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.exit_note = "2 also when perf script could not be run on a "
		"perf.data.",
	.examples = import_examples,
	.subst = import_subst,
};

/* The perf command lines in the help. */
static const char *import_subst(const char *key)
{
	static char script[2400];
	const char *const *a;
	size_t n = 0;

	if (!strcmp(key, "RECORD")) {
		snprintf(script, sizeof(script), "%s -- CMD [ARGS]",
			 import_perf_record_command("x86_64"));
		return script;
	}
	for (a = import_perf_script_args + 1; *a; a++)
		n += snprintf(script + n, sizeof(script) - n, "%s%s",
			      n ? " " : "", *a);
	return script;
}

/* perf.data starts with "PERFILE2". */
static bool is_perf_data(const char *path)
{
	char magic[8];
	FILE *f;
	bool ret;

	if (!strcmp(path, "-"))
		return false;
	f = fopen(path, "rb");
	if (!f)
		return false;
	ret = fread(magic, 1, 8, f) == 8 && !memcmp(magic, "PERFILE2", 8);
	fclose(f);
	return ret;
}

/* `perf script -i PATH ARGS` with its output on a pipe. */
static FILE *perf_script(const char *path, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	const char *argv[32];
	int fds[2], n = 0, i;

	argv[n++] = "perf";
	for (i = 0; import_perf_script_args[i]; i++)
		argv[n++] = import_perf_script_args[i];
	argv[n++] = "-i";
	argv[n++] = path;
	argv[n] = NULL;
	if (pipe(fds))
		return NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	/* perf warns about fields other events lack: not ours to show */
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	errno = posix_spawnp(pid, "perf", &fa, NULL, (char **)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (errno) {
		close(fds[0]);
		return NULL;
	}
	return fdopen(fds[0], "r");
}

int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "arch", required_argument, NULL, 'a' },
		{ "text", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *arch = NULL, *in;
	struct import_perf_stats st;
	bool text = false, binary;
	char err[PATH_MAX + 100];
	struct outfile of;
	struct trace t;
	pid_t pid = 0;
	int c, ret, status;
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:th", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'a':
			arch = optarg;
			break;
		case 't':
			text = true;
			break;
		case 'h':
			cmd_help(stdout, &import_doc);
			return 0;
		default:
			return cmd_usage_error(&import_doc);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(&import_doc);
	in = argv[optind];
	if (out && !strcmp(out, "-"))
		out = NULL;
	if (is_perf_data(in)) {
		f = perf_script(in, &pid);
		if (!f) {
			fprintf(stderr, "rmaplab import: %s: cannot run perf "
				"script: %s\n", in, strerror(errno));
			return 2;
		}
	} else {
		f = strcmp(in, "-") ? fopen(in, "r") : stdin;
		if (!f) {
			fprintf(stderr, "rmaplab import: %s: %s\n", in,
				strerror(errno));
			return 2;
		}
	}
	ret = import_perf_script(f, in, arch, &t, &st, err, sizeof(err));
	if (f != stdin)
		fclose(f);
	if (pid && (waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))) {
		fprintf(stderr, "rmaplab import: %s: perf script failed\n",
			in);
		if (!ret)
			trace_free(&t);
		return 2;
	}
	if (ret) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	binary = out && !text && strlen(out) > 4 &&
		 !strcmp(out + strlen(out) - 4, ".rmt");
	/* a file appears whole or not at all (traces/outfile.h) */
	if (out && outfile_open(&of, out, err, sizeof(err))) {
		fprintf(stderr, "rmaplab import: %s\n", err);
		trace_free(&t);
		return 2;
	}
	f = out ? of.f : stdout;
	ret = binary ? trace_write_binary(f, &t) : trace_write_text(f, &t);
	if (out ? outfile_commit(&of, ret, err, sizeof(err)) :
	    fflush(f) || ret) {
		if (out)
			fprintf(stderr, "rmaplab import: %s\n", err);
		else
			fprintf(stderr, "rmaplab import: stdout: write error: "
				"%s\n", strerror(errno));
		trace_free(&t);
		return 2;
	}
	fprintf(stderr, "rmaplab import: %zu events from %lu tasks: %lu "
		"syscalls, %lu faults, %lu mappings of exec layouts; %s%s\n",
		t.nr_ev, st.tasks, st.syscalls, st.faults, st.layout_maps,
		t.hdr.recorder, st.lost ? " (perf lost records: the trace "
		"misses events)" : "");
	trace_free(&t);
	return 0;
}
