/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small independent checkers for what `rmaplab report` writes: a strict
 * JSON validator that also collects every number token, an SVG
 * well-formedness check, and file helpers.
 */
#ifndef RMAPLAB_TESTS_REPORTS_CHECKERS_H
#define RMAPLAB_TESTS_REPORTS_CHECKERS_H

#include <stdbool.h>
#include <stddef.h>

struct numbers {
	double *v;
	size_t nr, cap;
};

/*
 * Is @s one well-formed JSON value (RFC 8259) with nothing after it but
 * white space?  Number tokens are appended to @nums when not NULL.  On
 * failure @err says where.
 */
bool json_valid(const char *s, struct numbers *nums, char *err,
		size_t errlen);
bool numbers_has(const struct numbers *n, double v);
void numbers_free(struct numbers *n);

/*
 * An SVG document: starts with "<?xml" or "<svg", ends with "</svg>",
 * every element closed in order (comments, CDATA, processing
 * instructions and DOCTYPE skipped).
 */
bool svg_valid(const char *s, char *err, size_t errlen);

/* The whole file, NUL terminated; NULL if it cannot be read. */
char *read_all(const char *path, size_t *len);
/* The longest line of @s, in bytes; *non_ascii set if any byte >= 0x80. */
size_t longest_line(const char *s, bool *non_ascii);

#endif /* RMAPLAB_TESTS_REPORTS_CHECKERS_H */
