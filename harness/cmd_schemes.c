// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab schemes [--markdown] [SCHEME...]
 *
 * Every scheme, its parameters, their defaults, the evidence for each
 * default (S: a primary source says so, C: a source contradicts it, R: a
 * reconstruction, nothing public decides) and the source.  --markdown
 * prints the table each scheme README carries.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "harness/params.h"
#include "harness/registry.h"
#include "reports/table.h"

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
	bool markdown = false;
	int i, first = 1, ret = 0;
	size_t s;

	if (argc > 1 && !strcmp(argv[1], "--markdown")) {
		markdown = true;
		first = 2;
	}
	for (i = first; i < argc; i++) {
		if (argv[i][0] == '-') {
			fprintf(stderr, "usage: rmaplab schemes [--markdown] "
				"[SCHEME...]\n");
			return 2;
		}
	}
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
	for (s = 0; s < nr_default_schemes && !ret; s++)
		ret = show(default_schemes[s], markdown);
	if (!ret && !markdown)
		ret = show("oracle", false);
	return ret;
}
