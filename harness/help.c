// SPDX-License-Identifier: GPL-2.0-only
/*
 * Help, man page and bash completion, all printed from the commands'
 * struct cmd_doc (harness/help.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "harness/help.h"

#define OPT_COL	22

static const char *const exit_meaning[] = {
	"success",
	"a disagreement: a walk missed a mapping, the schemes or the model\n"
	"and the kernel disagree",
	"bad input or usage; one line names the file, the event and what is\n"
	"wrong",
	"the trace uses a feature the model does not implement; an\n"
	"'unsupported:' line names it",
};

static const char top_description[] =
	"rmaplab compares designs of the Linux anonymous reverse mapping\n"
	"(classic anon_vma, ANON_VMA_LAZY, CoW contexts) on equal terms.  It\n"
	"replays mm activity recorded from real programs (mmap, munmap,\n"
	"mprotect, madvise, mremap, brk, page faults, fork, exec, exit)\n"
	"through a user-space model of the kernel's mm, once per scheme,\n"
	"checks that every scheme's rmap walk finds every mapping of every\n"
	"folio, and measures memory, walk cost and locking.\n"
	"\n"
	"A scheme is classic, lazy, cowctx or oracle (the brute-force\n"
	"page-table scan), with variants after a colon: classic:reuse=off,\n"
	"lazy:max_pages=512, cowctx:poc.  A TRACE is a binary (.rmt) or text\n"
	"(.trace) trace, see traces/FORMAT.md; '-' reads one from standard\n"
	"input.  Commands that take TRACE... use the bundled corpus when\n"
	"given none.";

static const char *const top_synopsis[] = {
	"COMMAND [ARGS...]",
	"COMMAND --help",
	"help [COMMAND]",
	"--version",
	NULL,
};

/* Print @s with every line indented by @indent spaces. */
static void put_indented(FILE *f, const char *s, int indent)
{
	bool bol = true;

	for (; *s; s++) {
		if (bol && *s != '\n')
			fprintf(f, "%*s", indent, "");
		fputc(*s, f);
		bol = *s == '\n';
	}
	if (!bol)
		fputc('\n', f);
}

/* A synopsis line starting with a blank continues the one before. */
static void put_synopsis(FILE *f, const struct cmd_doc *d)
{
	const char *const *s;
	int w = 0;

	for (s = d->synopsis; *s; s++) {
		if (**s != ' ')
			w = fprintf(f, "%s rmaplab %s",
				    s == d->synopsis ? "usage:" : "      ",
				    d->name);
		else
			fprintf(f, "%*s", w, "");
		fprintf(f, "%s%s\n", **s == ' ' ? "" : " ", *s);
	}
}

/*
 * @text after @w columns already printed, its continuation lines
 * indented to column @col.
 */
static void put_hanging(FILE *f, int w, int col, const char *text)
{
	const char *p, *nl;

	for (p = text; *p; p = nl + 1, w = 0) {
		nl = strchrnul(p, '\n');
		fprintf(f, "%*s%.*s\n", col > w ? col - w : 0, "",
			(int)(nl - p), p);
		if (!*nl)
			break;
	}
}

/* The description with every "@KEY@" replaced (caller frees). */
static char *description(const struct cmd_doc *d)
{
	const char *p = d->description, *e;
	char *s = NULL, key[32];
	size_t len = 0;
	FILE *m;

	m = open_memstream(&s, &len);
	if (!m)
		abort();
	while (*p) {
		if (*p == '@' && d->subst && (e = strchr(p + 1, '@')) &&
		    e - p - 1 < (long)sizeof(key)) {
			snprintf(key, sizeof(key), "%.*s", (int)(e - p - 1),
				 p + 1);
			fputs(d->subst(key), m);
			p = e + 1;
		} else {
			fputc(*p++, m);
		}
	}
	fclose(m);
	return s;
}

void cmd_help(FILE *f, const struct cmd_doc *d)
{
	const struct cmd_opt *o;
	const char *const *e;
	unsigned int i;
	int w;

	put_synopsis(f, d);
	fprintf(f, "\nrmaplab %s: %s.\n", d->name, d->summary);
	if (d->description) {
		char *s = description(d);

		fprintf(f, "\n%s\n", s);
		free(s);
	}
	if (d->opts && d->opts->flags) {
		fprintf(f, "\nOptions:\n");
		for (o = d->opts; o->flags; o++) {
			w = fprintf(f, "  %s", o->flags);
			if (w >= OPT_COL) {
				fputc('\n', f);
				w = 0;
			}
			put_hanging(f, w, OPT_COL, o->help);
		}
	}
	fprintf(f, "\nExit status:\n");
	for (i = 0; i < 4; i++)
		if (d->exits & (1u << i))
			put_hanging(f, fprintf(f, "  %u", i), 5,
				    exit_meaning[i]);
	if (d->exit_note) {
		fputc('\n', f);
		put_indented(f, d->exit_note, 2);
	}
	if (d->examples && *d->examples) {
		fprintf(f, "\nExample%s:\n", d->examples[1] ? "s" : "");
		for (e = d->examples; *e; e++)
			fprintf(f, "  %s\n", *e);
	}
}

/* A count, or with @suffix a size with an optional K, M or G. */
int cmd_size_arg(const char *s, bool suffix, unsigned long long *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || end == s || s[0] == '-')
		return -1;
	if (suffix && *end) {
		const char *units = "KMG", *u = strchr(units, *end);

		if (!u || end[1] || *v > (~0ULL >> (10 * (u - units + 1))))
			return -1;
		*v <<= 10 * (u - units + 1);
		end++;
	}
	return *end ? -1 : 0;
}

int cmd_usage_error(const struct cmd_doc *d)
{
	put_synopsis(stderr, d);
	fprintf(stderr, "Try 'rmaplab help %s' for more.\n", d->name);
	return 2;
}

void help_top(FILE *f, const struct cmd_doc *const *docs, unsigned int nr)
{
	unsigned int i;
	int w;

	fprintf(f, "usage: rmaplab COMMAND [ARGS...]\n"
		"       rmaplab help [COMMAND]\n"
		"       rmaplab --version\n\n%s\n\nCommands:\n",
		top_description);
	for (i = 0; i < nr; i++) {
		w = fprintf(f, "  %s", docs[i]->name);
		fprintf(f, "%*s%s\n", w < 14 ? 14 - w : 1, "",
			docs[i]->summary);
	}
	fprintf(f, "\nExit status: 0 success, 1 a disagreement, 2 bad input "
		"or usage, 3 a feature\nthe model does not implement "
		"(what applies is in each command's help).\n"
		"'rmaplab help COMMAND' or 'rmaplab COMMAND --help' "
		"describes one command;\n'man rmaplab' all of them.\n");
}

/* ---- roff --------------------------------------------------------------- */

/* One line of text for roff: escapes, no request at its start. */
static void roff_line(FILE *f, const char *s, size_t n)
{
	size_t i;

	if (n && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", f);
	for (i = 0; i < n; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
	fputc('\n', f);
}

/* Paragraphs (split by blank lines) as roff; indented lines kept as is. */
static void roff_text(FILE *f, const char *s)
{
	const char *nl;

	for (; *s; s = nl + 1) {
		nl = strchrnul(s, '\n');
		if (nl == s)
			fputs(".PP\n", f);
		else if (*s == ' ') {
			/* a line meant to stand on its own, as it is */
			fputs(".nf\n", f);
			roff_line(f, s, nl - s);
			fputs(".fi\n", f);
		} else
			roff_line(f, s, nl - s);
		if (!*nl)
			break;
	}
}

static void roff_lines(FILE *f, const char *const *v, const char *prefix)
{
	char buf[512];

	fputs(".PP\n.nf\n.RS 4\n", f);
	for (; *v; v++) {
		/* a continuation line (leading blank) is indented as is */
		snprintf(buf, sizeof(buf), "%*s%s", **v == ' ' ?
			 (int)strlen(prefix) - 1 : 0, **v == ' ' ? "" : prefix,
			 *v);
		roff_line(f, buf, strlen(buf));
	}
	fputs(".RE\n.fi\n", f);
}

static void roff_cmd(FILE *f, const struct cmd_doc *d)
{
	const struct cmd_opt *o;
	char prefix[64];
	unsigned int i;

	fprintf(f, ".SH \"rmaplab %s\"\n", d->name);
	snprintf(prefix, sizeof(prefix), "rmaplab %s ", d->name);
	roff_lines(f, d->synopsis, prefix);
	fputs(".PP\n", f);
	roff_text(f, d->summary);
	fputs(".\n", f);
	if (d->description) {
		char *s = description(d);

		fputs(".PP\n", f);
		roff_text(f, s);
		free(s);
	}
	if (d->opts && d->opts->flags) {
		fputs(".PP\nOptions:\n", f);
		for (o = d->opts; o->flags; o++) {
			fputs(".TP\n.B ", f);
			roff_line(f, o->flags, strlen(o->flags));
			roff_text(f, o->help);
		}
	}
	fputs(".PP\nExit status:\n", f);
	for (i = 0; i < 4; i++) {
		if (!(d->exits & (1u << i)))
			continue;
		fprintf(f, ".TP\n.B %u\n", i);
		roff_text(f, exit_meaning[i]);
	}
	if (d->exit_note) {
		fputs(".PP\n", f);
		roff_text(f, d->exit_note);
	}
	if (d->examples && *d->examples) {
		fputs(".PP\nExample:\n", f);
		roff_lines(f, d->examples, "");
	}
}

void help_man(FILE *f, const struct cmd_doc *const *docs, unsigned int nr,
	      const char *version)
{
	unsigned int i;

	fprintf(f, ".\\\" SPDX-License-Identifier: GPL-2.0-only\n"
		".\\\" Generated by 'rmaplab help --man' from the commands' "
		"help; do not edit.\n"
		".TH RMAPLAB 1 \"\" \"rmaplab %s\" \"rmaplab manual\"\n"
		".SH NAME\n"
		"rmaplab \\- compare Linux anon rmap designs on recorded mm "
		"traces\n.SH SYNOPSIS\n", version);
	roff_lines(f, top_synopsis, "rmaplab ");
	fputs(".SH DESCRIPTION\n", f);
	roff_text(f, top_description);
	fputs(".PP\nCommands:\n", f);
	for (i = 0; i < nr; i++) {
		fprintf(f, ".TP\n.B %s\n", docs[i]->name);
		roff_text(f, docs[i]->summary);
	}
	fputs(".PP\nOne section per command follows.\n", f);
	for (i = 0; i < nr; i++)
		roff_cmd(f, docs[i]);
	fputs(".SH \"EXIT STATUS\"\n", f);
	for (i = 0; i < 4; i++) {
		fprintf(f, ".TP\n.B %u\n", i);
		roff_text(f, exit_meaning[i]);
	}
	fputs(".PP\nEach command's section says which of these it "
	      "returns.\n"
	      ".SH ENVIRONMENT\n.TP\n.B RMAPLAB_SRCDIR\n"
	      "The source tree, where the bundled corpus "
	      "(traces/corpus/) and the kernel vectors are found.\n"
	      ".TP\n.B RMAPLAB_CORPUS\nA directory of traces to use "
	      "instead of the bundled corpus.\n"
	      ".SH \"SEE ALSO\"\n"
	      ".BR perf (1),\n.BR proc (5)\n"
	      ".PP\nThe trace format: traces/FORMAT.md in the source tree.\n",
	      f);
}

/* ---- bash completion ---------------------------------------------------- */

/* The option words of "-o, --output FILE" or "--objsize-from-slabinfo[=F]". */
static void put_opt_words(FILE *f, const char *flags)
{
	const char *p = flags;
	size_t n;

	while (*p) {
		while (*p && *p != '-')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " ,[=");
		/* "--" alone (before CMD) is not an option */
		if (n > 2 || (n == 2 && p[1] != '-'))
			fprintf(f, " %.*s", (int)n, p);
		p += n;
		/* skip the argument name */
		while (*p && *p != ',')
			p++;
	}
}

void help_bash_completion(FILE *f, const struct cmd_doc *const *docs,
			  unsigned int nr, const char *const *schemes)
{
	const struct cmd_opt *o;
	unsigned int i;
	size_t s;

	fprintf(f, "# SPDX-License-Identifier: GPL-2.0-only\n"
		"# bash completion for rmaplab; generated by "
		"'rmaplab help --bash-completion'.\n"
		"_rmaplab()\n{\n"
		"\tlocal cur=${COMP_WORDS[COMP_CWORD]}\n"
		"\tlocal prev=${COMP_WORDS[COMP_CWORD-1]}\n"
		"\tlocal cmds=\"");
	for (i = 0; i < nr; i++)
		fprintf(f, "%s%s", i ? " " : "", docs[i]->name);
	fprintf(f, " help\"\n\tlocal schemes=\"");
	for (s = 0; schemes[s]; s++)
		fprintf(f, "%s%s", s ? " " : "", schemes[s]);
	fprintf(f, "\"\n\tlocal opts\n\n"
		"\tif [ \"$COMP_CWORD\" -eq 1 ]; then\n"
		"\t\tCOMPREPLY=($(compgen -W \"$cmds --help --version\" "
		"-- \"$cur\"))\n\t\treturn\n\tfi\n"
		"\tcase ${COMP_WORDS[1]} in\n"
		"\thelp)\n\t\tCOMPREPLY=($(compgen -W \"$cmds\" -- \"$cur\"))"
		"\n\t\treturn ;;\n");
	for (i = 0; i < nr; i++) {
		fprintf(f, "\t%s)\n\t\topts=\"", docs[i]->name);
		for (o = docs[i]->opts; o && o->flags; o++)
			put_opt_words(f, o->flags);
		fprintf(f, "\" ;;\n");
	}
	fprintf(f, "\tesac\n"
		"\tcase $prev in\n"
		"\t-s|--scheme|--baseline-scheme)\n"
		"\t\tCOMPREPLY=($(compgen -W \"$schemes\" -- \"$cur\"))\n"
		"\t\treturn ;;\n\tesac\n"
		"\tif [[ $cur == -* ]]; then\n"
		"\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
		"\telse\n"
		"\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		"\tfi\n}\ncomplete -o filenames -F _rmaplab rmaplab\n");
}
