// SPDX-License-Identifier: GPL-2.0-only
/* A strict JSON syntax checker; see json_check.h. */
#include <string.h>

#include "json_check.h"

struct jp {
	const char *s;
	size_t n, i;
	int depth;
};

static void ws(struct jp *p)
{
	while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]))
		p->i++;
}

static bool lit(struct jp *p, const char *word)
{
	size_t k = strlen(word);

	if (p->n - p->i < k || memcmp(p->s + p->i, word, k))
		return false;
	p->i += k;
	return true;
}

static bool digits(struct jp *p)
{
	size_t start = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start;
}

static bool number(struct jp *p)
{
	if (p->i < p->n && p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0')
		p->i++;
	else if (!digits(p))
		return false;
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (!digits(p))
			return false;
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (!digits(p))
			return false;
	}
	return true;
}

static bool string(struct jp *p)
{
	if (p->i >= p->n || p->s[p->i] != '"')
		return false;
	p->i++;
	while (p->i < p->n) {
		unsigned char c = p->s[p->i++];
		int k;

		if (c == '"')
			return true;
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (p->i >= p->n)
			return false;
		c = p->s[p->i++];
		if (c == 'u') {
			for (k = 0; k < 4; k++, p->i++)
				if (p->i >= p->n ||
				    !strchr("0123456789abcdefABCDEF",
					    p->s[p->i]))
					return false;
		} else if (!strchr("\"\\/bfnrt", c)) {
			return false;
		}
	}
	return false;
}

static bool value(struct jp *p);

static bool members(struct jp *p, char close, bool keys)
{
	p->i++;
	ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return true;
	}
	for (;;) {
		ws(p);
		if (keys) {
			if (!string(p))
				return false;
			ws(p);
			if (p->i >= p->n || p->s[p->i++] != ':')
				return false;
		}
		if (!value(p))
			return false;
		ws(p);
		if (p->i >= p->n)
			return false;
		if (p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->s[p->i] == close) {
			p->i++;
			return true;
		}
		return false;
	}
}

static bool value(struct jp *p)
{
	bool ok;

	ws(p);
	if (p->i >= p->n || ++p->depth > 64)
		return false;
	switch (p->s[p->i]) {
	case '{':
		ok = members(p, '}', true);
		break;
	case '[':
		ok = members(p, ']', false);
		break;
	case '"':
		ok = string(p);
		break;
	case 't':
		ok = lit(p, "true");
		break;
	case 'f':
		ok = lit(p, "false");
		break;
	case 'n':
		ok = lit(p, "null");
		break;
	default:
		ok = number(p);
	}
	p->depth--;
	return ok;
}

bool json_valid(const char *s, size_t n, size_t *where)
{
	struct jp p = { .s = s, .n = n };
	bool ok = value(&p);

	ws(&p);
	ok = ok && p.i == n;
	if (where)
		*where = p.i;
	return ok;
}
