// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab kernel-run: execute a text trace on this kernel and write what
 * the kernel did, or generate random histories and do the same for each.
 */
#include <errno.h>
#include <signal.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/cmds.h"
#include "harness/vm.h"
#include "traces/outfile.h"
#include "traces/expected.h"
#include "traces/gen_random.h"
#include "traces/kernel_run.h"
#include "traces/trace.h"

static const char *const kernel_run_synopsis[] = {
	"[-o OUT] [--expected FILE] [--every-event]",
	" [--no-objects] [--max-procs N] [--max-mem BYTES]",
	" [--allow-destructive] [--kernel NAME] TRACE",
	"--generate SEED[:COUNT] [--events N] [--no-run]",
	" [--swap] [--no-objects] -o DIR",
	NULL,
};

static const struct cmd_opt kernel_run_opts[] = {
	{ "-o, --output FILE", "where the result goes: FILE.rmt binary, "
	  "else text;\ndefault or '-': standard output; with --generate,\n"
	  "a directory" },
	{ "--expected FILE", "also write the end state in the "
	  "kernel-vectors form" },
	{ "--every-event", "snapshot the kernel's state after every "
	  "event" },
	{ "--no-objects", "do not count anon_vma objects with tracefs" },
	{ "--max-procs N", "refuse, before it starts, a trace with more "
	  "than N\nprocesses alive at once (default 512)" },
	{ "--max-mem BYTES", "refuse a trace that maps or may populate more "
	  "than\nBYTES (K, M, G suffixes; default half of MemAvailable)" },
	{ "--allow-destructive", "let madvise hwpoison and soft_offline "
	  "reach the\nkernel (they take host memory out of service)" },
	{ "--generate SEED[:COUNT]", "generate COUNT random histories "
	  "(default 1) from SEED,\nwrite DIR/random-SEED.trace and "
	  ".expected" },
	{ "--events N", "events per generated history" },
	{ "--no-run", "with --generate, only write the histories" },
	{ "--swap", "with --generate, add reclaim and pageout events\n"
	  "(a swap file and a memory cgroup, made and removed\nhere)" },
	{ "--kernel NAME", "run it all in a VM booted on NAME\n"
	  "(debian:6.12-arm64-16k, a kernel image: see 'rmaplab vm')" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const kernel_run_examples[] = {
	"rmaplab kernel-run --expected out.expected \\",
	"    tests/data/kernel-vectors/random-1001.trace",
	"rmaplab kernel-run --kernel debian:6.12-arm64-16k \\",
	"    --generate 1:50 -o h16k && rmaplab check --objects h16k/*.trace",
	NULL,
};

const struct cmd_doc kernel_run_doc = {
	.name = "kernel-run",
	.summary = "run a text trace on this kernel and record what it did",
	.synopsis = kernel_run_synopsis,
	.description =
	"Runs TRACE ('-': standard input) on this kernel, one real process\n"
	"per PID label, every event at its exact address, and writes the\n"
	"trace with the kernel's results and end state.  The real kernel is\n"
	"the ground truth the model is checked against.  Needs root and\n"
	"tracefs (/sys/kernel/tracing).  The workers run in a pids and\n"
	"memory cgroup where cgroup v1 allows; SIGINT, SIGTERM and SIGHUP\n"
	"kill them and remove the tracefs instances and temporary files\n"
	"(traces/KERNEL_RUN.md, Safety).",
	.opts = kernel_run_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.exit_note = "2 also when the kernel run could not be set up.",
	.examples = kernel_run_examples,
};

/* Die of the signal that stopped kernel-run, now that it cleaned up. */
static void reraise(void)
{
	int sig = krun_interrupted();

	if (!sig)
		return;
	signal(sig, SIG_DFL);
	raise(sig);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int write_result(const struct krun_result *res, const char *out,
			const char *expected)
{
	const struct trace_checkpoint *cp = krun_final(res);
	struct outfile o;
	char err[PATH_MAX + 100];
	int ret;

	/* "-": standard output, as the default */
	if (out && !strcmp(out, "-"))
		out = NULL;
	if (!out) {
		if (krun_write_text(stdout, res) || fflush(stdout)) {
			fprintf(stderr, "rmaplab: stdout: write error: %s\n",
				strerror(errno));
			return 2;
		}
	} else {
		if (outfile_open(&o, out, err, sizeof(err)))
			goto fail;
		ret = ends_with(out, ".rmt") ?
		      trace_write_binary(o.f, &res->out) :
		      krun_write_text(o.f, res);
		if (outfile_commit(&o, ret, err, sizeof(err)))
			goto fail;
	}
	if (!expected)
		return 0;
	if (outfile_open(&o, expected, err, sizeof(err)))
		goto fail;
	errno = EINVAL;
	ret = cp ? checkpoint_write_expected(o.f, cp) : -1;
	if (outfile_commit(&o, ret, err, sizeof(err)))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "rmaplab: %s\n", err);
	return 2;
}

static int parse_seeds(const char *s, uint64_t *seed, uint64_t *count)
{
	char *end;

	errno = 0;
	*seed = strtoull(s, &end, 0);
	*count = 1;
	if (errno || end == s)
		return -1;
	if (*end == ':') {
		s = end + 1;
		*count = strtoull(s, &end, 0);
		if (errno || end == s || !*count)
			return -1;
	}
	return *end ? -1 : 0;
}

static int generate(const char *spec, unsigned int events, unsigned int flags,
		    bool run, const struct krun_opts *o, const char *dir)
{
	uint64_t seed, count, i;
	char path[4096], exp[4096], err[512];

	if (parse_seeds(spec, &seed, &count)) {
		fprintf(stderr, "rmaplab: kernel-run: --generate '%s': want "
			"SEED or SEED:COUNT\n", spec);
		return 2;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "rmaplab: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	if (run && krun_check_env(!o->no_objects, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	if (run)
		kernel_run_batch_begin();
	for (i = 0; i < count && !krun_interrupted(); i++) {
		struct krun_result res;
		struct trace t;
		int ret;

		gen_random_ex(&t, seed + i, events, sysconf(_SC_PAGESIZE),
			      flags);
		snprintf(path, sizeof(path), "%s/random-%" PRIu64 ".trace",
			 dir, seed + i);
		snprintf(exp, sizeof(exp), "%s/random-%" PRIu64 ".expected",
			 dir, seed + i);
		if (!run) {
			struct outfile of;

			ret = outfile_open(&of, path, err, sizeof(err)) ||
			      outfile_commit(&of, trace_write_text(of.f, &t),
					     err, sizeof(err));
			trace_free(&t);
			if (ret) {
				fprintf(stderr, "rmaplab: %s\n", err);
				return 2;
			}
			continue;
		}
		ret = kernel_run(&t, o, &res, err, sizeof(err));
		trace_free(&t);
		if (ret) {
			fprintf(stderr, "rmaplab: %s\n", err);
			kernel_run_batch_end(err, sizeof(err));
			reraise();
			return 2;
		}
		ret = write_result(&res, path, exp);
		krun_result_free(&res);
		if (ret) {
			kernel_run_batch_end(err, sizeof(err));
			reraise();
			return ret;
		}
	}
	if (run && kernel_run_batch_end(err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		reraise();
		return 2;
	}
	return 0;
}

int cmd_kernel_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "expected", required_argument, NULL, 'e' },
		{ "every-event", no_argument, NULL, 'E' },
		{ "no-objects", no_argument, NULL, 'N' },
		{ "generate", required_argument, NULL, 'g' },
		{ "events", required_argument, NULL, 'n' },
		{ "no-run", no_argument, NULL, 'R' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "max-procs", required_argument, NULL, 'P' },
		{ "max-mem", required_argument, NULL, 'M' },
		{ "allow-destructive", no_argument, NULL, 'D' },
		{ "swap", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *expected = NULL, *gen = NULL, *kernel = NULL;
	struct krun_opts o = { 0 };
	unsigned int events = 0, flags = 0;
	struct krun_result res;
	bool run = true;
	char err[512];
	unsigned long long num;
	struct trace t;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'e':
			expected = optarg;
			break;
		case 'E':
			o.every_event = true;
			break;
		case 'N':
			o.no_objects = true;
			break;
		case 'g':
			gen = optarg;
			break;
		case 'n':
			events = strtoul(optarg, NULL, 0);
			if (!events || events > 1000000) {
				fprintf(stderr, "rmaplab: kernel-run: --events"
					" '%s': want 1..1000000\n", optarg);
				return 2;
			}
			break;
		case 'R':
			run = false;
			break;
		case 'k':
			kernel = optarg;
			break;
		case 'P':
			if (cmd_size_arg(optarg, false, &num) || !num ||
			    num > 1000000) {
				fprintf(stderr, "rmaplab: kernel-run: "
					"--max-procs '%s': want 1..1000000\n",
					optarg);
				return 2;
			}
			o.max_procs = num;
			break;
		case 'M':
			if (cmd_size_arg(optarg, true, &num) || !num) {
				fprintf(stderr, "rmaplab: kernel-run: "
					"--max-mem '%s': want BYTES[KMG]\n",
					optarg);
				return 2;
			}
			o.max_mem = num;
			break;
		case 'D':
			o.allow_destructive = true;
			break;
		case 'S':
			flags |= GEN_SWAP;
			break;
		case 'h':
			cmd_help(stdout, &kernel_run_doc);
			return 0;
		default:
			return cmd_usage_error(&kernel_run_doc);
		}
	}
	if (kernel) {
		static const char *const outputs[] = { "-o", "--output",
						       "--expected", NULL };
		static const char *const valued[] = { "--generate",
						      "--events", NULL };

		return vm_command(argc, argv, outputs, valued);
	}
	if (gen) {
		if (!out || optind != argc || expected)
			return cmd_usage_error(&kernel_run_doc);
		return generate(gen, events, flags, run, &o, out);
	}
	if (optind != argc - 1)
		return cmd_usage_error(&kernel_run_doc);
	if (trace_load(argv[optind], &t, err, sizeof(err))) {
		fprintf(stderr, "rmaplab: %s\n", err);
		return 2;
	}
	ret = kernel_run(&t, &o, &res, err, sizeof(err));
	trace_free(&t);
	if (ret) {
		fprintf(stderr, "rmaplab: %s\n", err);
		reraise();
		return 2;
	}
	ret = write_result(&res, out, expected);
	krun_result_free(&res);
	return ret;
}
