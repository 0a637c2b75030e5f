// SPDX-License-Identifier: GPL-2.0-only
/* Checkers for the report's outputs; see checkers.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkers.h"

/* ---- JSON ----------------------------------------------------------- */

struct jp {
	const char *s, *p;
	struct numbers *nums;
	char *err;
	size_t errlen;
	int depth;
};

static bool fail(struct jp *j, const char *what)
{
	snprintf(j->err, j->errlen, "offset %ld: %s", (long)(j->p - j->s),
		 what);
	return false;
}

static void ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' ||
	       *j->p == '\r')
		j->p++;
}

static bool value(struct jp *j);

static bool string(struct jp *j)
{
	int i;

	if (*j->p != '"')
		return fail(j, "expected a string");
	j->p++;
	while (*j->p != '"') {
		unsigned char c = (unsigned char)*j->p;

		if (!c)
			return fail(j, "unterminated string");
		if (c < 0x20)
			return fail(j, "control character in a string");
		if (c == '\\') {
			j->p++;
			if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
				j->p++;
				continue;
			}
			if (*j->p != 'u')
				return fail(j, "bad escape");
			j->p++;
			for (i = 0; i < 4; i++, j->p++)
				if (!isxdigit((unsigned char)*j->p))
					return fail(j, "bad \\u escape");
			continue;
		}
		j->p++;
	}
	j->p++;
	return true;
}

static bool digits(struct jp *j)
{
	if (!isdigit((unsigned char)*j->p))
		return fail(j, "expected a digit");
	while (isdigit((unsigned char)*j->p))
		j->p++;
	return true;
}

static bool number(struct jp *j)
{
	const char *start = j->p;

	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (!digits(j))
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!digits(j))
			return false;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!digits(j))
			return false;
	}
	if (j->nums) {
		struct numbers *n = j->nums;

		if (n->nr == n->cap) {
			n->cap = n->cap ? 2 * n->cap : 1024;
			n->v = realloc(n->v, n->cap * sizeof(*n->v));
			if (!n->v)
				abort();
		}
		n->v[n->nr++] = strtod(start, NULL);
	}
	return true;
}

static bool literal(struct jp *j, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(j->p, word, n))
		return fail(j, "unknown literal");
	j->p += n;
	return true;
}

static bool container(struct jp *j, char open, char close)
{
	bool first = true;

	if (++j->depth > 256)
		return fail(j, "nested too deep");
	j->p++;
	ws(j);
	if (*j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (!first) {
			if (*j->p != ',')
				return fail(j, "expected ','");
			j->p++;
			ws(j);
		}
		first = false;
		if (open == '{') {
			if (!string(j))
				return false;
			ws(j);
			if (*j->p != ':')
				return fail(j, "expected ':'");
			j->p++;
			ws(j);
		}
		if (!value(j))
			return false;
		ws(j);
		if (*j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
	}
}

static bool value(struct jp *j)
{
	ws(j);
	switch (*j->p) {
	case '{':
		return container(j, '{', '}');
	case '[':
		return container(j, '[', ']');
	case '"':
		return string(j);
	case 't':
		return literal(j, "true");
	case 'f':
		return literal(j, "false");
	case 'n':
		return literal(j, "null");
	default:
		if (*j->p == '-' || isdigit((unsigned char)*j->p))
			return number(j);
		return fail(j, "unexpected character");
	}
}

bool json_valid(const char *s, struct numbers *nums, char *err,
		size_t errlen)
{
	struct jp j = {
		.s = s, .p = s, .nums = nums, .err = err, .errlen = errlen,
	};

	if (!value(&j))
		return false;
	ws(&j);
	if (*j.p)
		return fail(&j, "text after the value");
	return true;
}

bool numbers_has(const struct numbers *n, double v)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		if (n->v[i] == v)
			return true;
	return false;
}

void numbers_free(struct numbers *n)
{
	free(n->v);
	memset(n, 0, sizeof(*n));
}

/* ---- SVG ------------------------------------------------------------ */

static bool svg_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* Skip past @end starting at @p; NULL if it never comes. */
static const char *past(const char *p, const char *end)
{
	const char *q = strstr(p, end);

	return q ? q + strlen(end) : NULL;
}

bool svg_valid(const char *s, char *err, size_t errlen)
{
	char stack[256][64];
	const char *p = s, *e;
	size_t n, len;
	int depth = 0, elements = 0;
	bool closing, empty;

	while (isspace((unsigned char)*p))
		p++;
	if (strncmp(p, "<?xml", 5) && strncmp(p, "<svg", 4))
		return svg_fail(err, errlen, "does not start with <?xml or "
				"<svg");
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len < 6 || strncmp(s + len - 6, "</svg>", 6))
		return svg_fail(err, errlen, "does not end with </svg>");
	while ((p = strchr(p, '<'))) {
		if (!strncmp(p, "<!--", 4)) {
			p = past(p, "-->");
		} else if (!strncmp(p, "<![CDATA[", 9)) {
			p = past(p, "]]>");
		} else if (!strncmp(p, "<?", 2)) {
			p = past(p, "?>");
		} else if (!strncmp(p, "<!", 2)) {
			p = past(p, ">");
		} else {
			closing = p[1] == '/';
			p += closing ? 2 : 1;
			n = strcspn(p, " \t\r\n/>");
			if (!n || n >= sizeof(stack[0]))
				return svg_fail(err, errlen, "bad tag name at "
						"offset %ld", (long)(p - s));
			/* The end of the tag, outside quoted attributes. */
			for (e = p + n; *e && *e != '>'; e++) {
				if (*e == '"' || *e == '\'') {
					const char *q = strchr(e + 1, *e);

					if (!q)
						return svg_fail(err, errlen,
							"open attribute");
					e = q;
				}
			}
			if (!*e)
				return svg_fail(err, errlen, "open tag");
			empty = e[-1] == '/';
			if (closing) {
				if (!depth || strlen(stack[depth - 1]) != n ||
				    strncmp(stack[depth - 1], p, n))
					return svg_fail(err, errlen, "</%.*s> "
							"closes nothing open",
							(int)n, p);
				depth--;
			} else if (!empty) {
				if (depth == 256)
					return svg_fail(err, errlen,
							"nested too deep");
				memcpy(stack[depth], p, n);
				stack[depth++][n] = '\0';
				elements++;
			} else {
				elements++;
			}
			p = e + 1;
		}
		if (!p)
			return svg_fail(err, errlen, "unterminated markup");
	}
	if (depth)
		return svg_fail(err, errlen, "<%s> not closed",
				stack[depth - 1]);
	if (elements < 2)
		return svg_fail(err, errlen, "no elements");
	return true;
}

/* ---- files ---------------------------------------------------------- */

char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

size_t longest_line(const char *s, bool *non_ascii)
{
	size_t max = 0, cur = 0;

	*non_ascii = false;
	for (; *s; s++) {
		if ((unsigned char)*s >= 0x80)
			*non_ascii = true;
		if (*s == '\n') {
			cur = 0;
			continue;
		}
		if (++cur > max)
			max = cur;
	}
	return max;
}
