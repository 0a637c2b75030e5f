// SPDX-License-Identifier: GPL-2.0-only
/* The scheme registry; see registry.h. */
#include <stdio.h>
#include <string.h>

#include "core/oracle.h"
#include "harness/registry.h"

extern const struct rmap_scheme classic_scheme;
extern const struct rmap_scheme lazy_scheme;
extern const struct rmap_scheme cowctx_scheme;

/*
 * The oracle keeps classic's VMA and merge bookkeeping, so that its layout
 * is the kernel's, and walks by scanning every page table.
 */
static struct rmap_scheme oracle_scheme;

static const struct rmap_scheme *oracle(void)
{
	if (!oracle_scheme.name) {
		oracle_scheme = classic_scheme;
		oracle_scheme.name = "oracle";
		oracle_scheme.summary =
			"brute-force page-table scan (classic bookkeeping)";
		oracle_scheme.rmap_walk = oracle_rmap_walk;
	}
	return &oracle_scheme;
}

const char *const default_schemes[] = { "classic", "lazy", "cowctx" };
const size_t nr_default_schemes = 3;

int scheme_lookup(const char *spec, struct scheme_spec *out,
		  struct errbuf *err)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	char name[32];

	if (n >= sizeof(name) || strlen(spec) >= sizeof(out->name))
		return errbuf_set(err, "scheme name too long: '%s'", spec);
	memcpy(name, spec, n);
	name[n] = '\0';
	if (!strcmp(name, "classic"))
		out->scheme = &classic_scheme;
	else if (!strcmp(name, "lazy"))
		out->scheme = &lazy_scheme;
	else if (!strcmp(name, "cowctx"))
		out->scheme = &cowctx_scheme;
	else if (!strcmp(name, "oracle"))
		out->scheme = oracle();
	else
		return errbuf_set(err, "unknown scheme '%s' (classic, lazy, "
				  "cowctx, oracle)", name);
	snprintf(out->name, sizeof(out->name), "%s", spec);
	snprintf(out->params, sizeof(out->params), "%s",
		 colon ? colon + 1 : "");
	return 0;
}
