// SPDX-License-Identifier: GPL-2.0-only
/* rmaplab: compare anon rmap schemes on recorded mm traces. */
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/registry.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} cmds[] = {
	{ "record", cmd_record,
	  "record -o OUT.rmt -- CMD [ARGS...]   trace a program" },
	{ "kernel-run", cmd_kernel_run,
	  "kernel-run [-o OUT] [--expected F] [--every-event] TRACE\n"
	  "  rmaplab kernel-run --generate SEED[:N] -o DIR" },
	{ "dump", cmd_dump,
	  "dump TRACE                          print any trace as text" },
	{ "undump", cmd_undump,
	  "undump -o OUT.rmt TRACE             text trace to binary" },
	{ "run", cmd_run,
	  "run [--scheme S] [--maps] [--sharing] [--stats] TRACE"
	  "  replay through one scheme" },
	{ "check", cmd_check,
	  "check [--scheme S]... [TRACE...]    verify every scheme's walks" },
	{ "compare", cmd_compare,
	  "compare [TRACE...]                  memory / walk / lock tables" },
	{ "contend", cmd_contend,
	  "contend [--mode world|schedule] [TRACE...] lock contention" },
	{ "report", cmd_report,
	  "report [-o DIR] [--email] [TRACE...] text, JSON, CSV, charts" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: rmaplab COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  rmaplab %s\n", cmds[i].usage);
	fprintf(f, "\nschemes (schemes/table): %s, %s;\nvariants after a "
		"colon (classic:reuse=off, cowctx:poc).\n"
		"No TRACE means the bundled corpus.  Exit status: 0 ok, "
		"1 disagreement,\n2 bad input, 3 (check, run) a feature the "
		"model lacks (`unsupported:`).\n",
		scheme_defaults_text(SCHEME_SET_CHECK), ORACLE_SPEC);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rmaplab: unknown command '%s' (try --help)\n",
		argv[1]);
	return 2;
}
