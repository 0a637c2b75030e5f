// SPDX-License-Identifier: GPL-2.0-only
/* Scheme parameters as data; see params.h. */
#include <string.h>

#include "harness/params.h"

size_t scheme_param_values(const struct scheme_param *p,
			   char vals[][PARAM_VALUE_LEN], size_t max)
{
	const char *s = p->help, *colon, *bar;
	size_t n = 0, len;

	if (!s)
		return 0;
	colon = strchr(s, ':');
	if (!colon || !memchr(s, '|', colon - s) || memchr(s, ' ', colon - s))
		return 0;
	while (s < colon && n < max) {
		bar = memchr(s, '|', colon - s);
		len = (bar ? bar : colon) - s;
		if (len >= PARAM_VALUE_LEN)
			return 0;
		memcpy(vals[n], s, len);
		vals[n++][len] = '\0';
		s += len + 1;
	}
	return n;
}

const char *param_grade_name(enum param_grade g)
{
	switch (g) {
	case GRADE_S:
		return "S";
	case GRADE_C:
		return "C";
	case GRADE_R:
		return "R";
	default:
		return "?";
	}
}
