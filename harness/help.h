/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one description of every rmaplab command: `rmaplab CMD --help`,
 * `rmaplab help CMD`, the man page (rmaplab.1) and the bash completion
 * are all printed from it, so they cannot drift apart.
 */
#ifndef RMAPLAB_HARNESS_HELP_H
#define RMAPLAB_HARNESS_HELP_H

#include <stdbool.h>
#include <stdio.h>

/* One option: "-o, --output FILE" and what it does. */
struct cmd_opt {
	const char *flags;
	const char *help;
};

/* The exit statuses a command can return, as a bit mask. */
enum {
	EXIT_OK_BIT		= 1 << 0,	/* 0 success */
	EXIT_DISAGREE_BIT	= 1 << 1,	/* 1 a disagreement */
	EXIT_BADINPUT_BIT	= 1 << 2,	/* 2 bad input or usage */
	EXIT_UNSUPPORTED_BIT	= 1 << 3,	/* 3 a feature the model lacks */
};

struct cmd_doc {
	const char *name;
	const char *summary;		/* one line, no full stop */
	const char *const *synopsis;	/* lines after "rmaplab ", NULL ends */
	const char *description;	/* paragraphs split by a blank line */
	const struct cmd_opt *opts;	/* { NULL } ends */
	unsigned int exits;		/* EXIT_*_BIT */
	const char *exit_note;		/* what the statuses mean here */
	const char *const *examples;	/* shell lines, NULL ends */
	/* what "@KEY@" in the description stands for, when it has any */
	const char *(*subst)(const char *key);
};

/* The whole help of one command, as --help prints it. */
void cmd_help(FILE *f, const struct cmd_doc *d);
/* A usage error: the synopsis and where the help is, on stderr; 2. */
int cmd_usage_error(const struct cmd_doc *d);
/* A count, or with @suffix a size with an optional K, M or G: 0 or -1. */
int cmd_size_arg(const char *s, bool suffix, unsigned long long *v);

/*
 * Over every command, in the order given: the top-level help, the man
 * page (roff) and the bash completion script.
 */
void help_top(FILE *f, const struct cmd_doc *const *docs, unsigned int nr);
void help_man(FILE *f, const struct cmd_doc *const *docs, unsigned int nr,
	      const char *version);
/* @schemes: the names --scheme completes to, NULL ends. */
void help_bash_completion(FILE *f, const struct cmd_doc *const *docs,
			  unsigned int nr, const char *const *schemes);

#endif /* RMAPLAB_HARNESS_HELP_H */
