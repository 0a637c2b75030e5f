// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab schemes [--markdown] [SCHEME...]
 *
 * Every scheme, its parameters, their defaults, the evidence for each
 * default (S: a primary source says so, C: a source contradicts it, R: a
 * reconstruction, nothing public decides) and the source.  --markdown
 * prints the table each scheme README carries.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/params.h"
#include "harness/registry.h"
#include "reports/table.h"

static const char *const schemes_synopsis[] = {
	"[--markdown] [SCHEME...]", NULL,
};

static const struct cmd_opt schemes_opts[] = {
	{ "-m, --markdown", "the table each scheme's README carries" },
	{ "-h, --help", "this help" },
	{ NULL, NULL },
};

static const char *const schemes_examples[] = {
	"rmaplab schemes", "rmaplab schemes --markdown lazy", NULL,
};

const struct cmd_doc schemes_doc = {
	.name = "schemes",
	.summary = "every scheme's parameters, defaults and evidence",
	.synopsis = schemes_synopsis,
	.description =
	"Prints every scheme (or each SCHEME named), its parameters, their\n"
	"defaults, the evidence for each default (S: a primary source says\n"
	"so, C: a source contradicts it, R: a reconstruction nothing public\n"
	"decides) and the source.  Variants are SCHEME:KEY=VALUE,...",
	.opts = schemes_opts,
	.exits = EXIT_OK_BIT | EXIT_BADINPUT_BIT,
	.examples = schemes_examples,
};

static void print_text(const struct rmap_scheme *s)
{
	const struct scheme_param *p;
	char first[64];

	rt_wrapf(stdout, RT_WIDTH, "", "    ", "%s: %s", s->name,
		 s->summary ? s->summary : "");
	for (p = s->params; p && p->name; p++) {
		snprintf(first, sizeof(first), "  %s=%s [%s] ", p->name,
			 p->def, param_grade_name(p->grade));
		rt_wrap(stdout, RT_WIDTH, first, "      ",
			p->source ? p->source : "(no source)");
		rt_wrap(stdout, RT_WIDTH, "      ", "      ", p->help);
	}
	if (!s->params || !s->params->name)
		printf("  (no parameters)\n");
	printf("\n");
}

/* A table cell: a '|' in the text would end it. */
static void md_cell(const char *text)
{
	for (; text && *text; text++) {
		if (*text == '|')
			putchar('\\');
		putchar(*text);
	}
	fputs(" |", stdout);
}

static void print_markdown(const struct rmap_scheme *s)
{
	const struct scheme_param *p;

	printf("| parameter | default | grade | source | meaning |\n");
	printf("|---|---|---|---|---|\n");
	for (p = s->params; p && p->name; p++) {
		printf("| `%s` | `%s` | %s | ", p->name, p->def,
		       param_grade_name(p->grade));
		md_cell(p->source);
		putchar(' ');
		md_cell(p->help);
		putchar('\n');
	}
	printf("\n");
}

static int show(const char *name, bool markdown)
{
	struct scheme_spec spec;
	struct errbuf err;

	if (scheme_lookup(name, &spec, &err)) {
		fprintf(stderr, "rmaplab schemes: %s\n", err.msg);
		return 2;
	}
	if (markdown)
		print_markdown(spec.scheme);
	else
		print_text(spec.scheme);
	return 0;
}

int cmd_schemes(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "markdown", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool markdown = false;
	int i, first, c, ret = 0;
	const struct scheme_entry *e;

	optind = 1;
	while ((c = getopt_long(argc, argv, "mh", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			markdown = true;
			break;
		case 'h':
			cmd_help(stdout, &schemes_doc);
			return 0;
		default:
			return cmd_usage_error(&schemes_doc);
		}
	}
	first = optind;
	if (!markdown)
		rt_wrap(stdout, RT_WIDTH, "", "",
			"Evidence for each default: S a primary source says "
			"so, C a source contradicts it (the default is a "
			"reading or a repair), R a reconstruction nothing "
			"public decides.  Variants: SCHEME:KEY=VALUE,...\n");
	if (first < argc) {
		for (i = first; i < argc && !ret; i++)
			ret = show(argv[i], markdown);
		return ret;
	}
	/* every scheme of the table; variants are parameter values */
	for (e = scheme_list; e->spec && !ret; e++)
		if (!strchr(e->spec, ':'))
			ret = show(e->spec, markdown);
	if (!ret && !markdown)
		ret = show(ORACLE_SPEC, false);
	return ret;
}
