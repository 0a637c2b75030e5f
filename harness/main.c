// SPDX-License-Identifier: GPL-2.0-only
/* rmaplab: compare anon rmap schemes on recorded mm traces. */
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/help.h"
#include "harness/registry.h"
#include "harness/version.h"

static const struct {
	const struct cmd_doc *doc;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ &record_doc, cmd_record },
	{ &import_doc, cmd_import },
	{ &kernel_run_doc, cmd_kernel_run },
	{ &dump_doc, cmd_dump },
	{ &undump_doc, cmd_undump },
	{ &convert_doc, cmd_convert },
	{ &generate_doc, cmd_generate },
	{ &run_doc, cmd_run },
	{ &check_doc, cmd_check },
	{ &compare_doc, cmd_compare },
	{ &contend_doc, cmd_contend },
	{ &schemes_doc, cmd_schemes },
	{ &vm_doc, cmd_vm },
	{ &report_doc, cmd_report },
};
#define NR_CMDS	(sizeof(cmds) / sizeof(cmds[0]))

static const struct cmd_doc *docs[NR_CMDS];

static const struct cmd_doc *find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_CMDS; i++)
		if (!strcmp(name, cmds[i].doc->name))
			return cmds[i].doc;
	return NULL;
}

/* rmaplab help [COMMAND | --man | --bash-completion] */
static int help(int argc, char **argv)
{
	const struct cmd_doc *d;

	if (argc < 2) {
		help_top(stdout, docs, NR_CMDS);
		return 0;
	}
	if (argc > 2) {
		fprintf(stderr, "usage: rmaplab help [COMMAND]\n");
		return 2;
	}
	if (!strcmp(argv[1], "--man")) {
		help_man(stdout, docs, NR_CMDS, RMAPLAB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--bash-completion")) {
		const char *schemes[32] = { ORACLE_SPEC };
		const struct scheme_entry *e;
		size_t i = 1;

		/* every scheme of the table; variants are typed */
		for (e = scheme_list; e->spec && i + 1 < 32; e++)
			if (!strchr(e->spec, ':'))
				schemes[i++] = e->spec;
		help_bash_completion(stdout, docs, NR_CMDS, schemes);
		return 0;
	}
	d = find(argv[1]);
	if (!d) {
		fprintf(stderr, "rmaplab: help: unknown command '%s'\n",
			argv[1]);
		return 2;
	}
	cmd_help(stdout, d);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < NR_CMDS; i++)
		docs[i] = cmds[i].doc;
	if (argc < 2) {
		help_top(stderr, docs, NR_CMDS);
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		/* the release, and the exact tree when built from git */
		printf("rmaplab %s", RMAPLAB_VERSION);
		if (*RMAPLAB_GIT_DESCRIBE)
			printf(" (git %s)", RMAPLAB_GIT_DESCRIBE);
		printf("\n");
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help"))
		return help(argc - 1, argv + 1);
	for (i = 0; i < NR_CMDS; i++)
		if (!strcmp(argv[1], cmds[i].doc->name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "rmaplab: unknown command '%s' (try 'rmaplab "
		"help')\n", argv[1]);
	return 2;
}
