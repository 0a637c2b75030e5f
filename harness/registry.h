/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheme names: "classic", "lazy", "cowctx" and "oracle" (classic's VMA
 * bookkeeping with the brute-force page-table walk), each optionally
 * followed by ":params" ("classic:reuse=off", "cowctx:poc").
 */
#ifndef RMAPLAB_HARNESS_REGISTRY_H
#define RMAPLAB_HARNESS_REGISTRY_H

#include <stddef.h>

#include "core/errbuf.h"
#include "core/scheme.h"

struct scheme_spec {
	const struct rmap_scheme *scheme;
	char name[64];			/* as given, for output */
	char params[192];
};

/* Parse "name[:params]"; -1 with a message on an unknown name. */
int scheme_lookup(const char *spec, struct scheme_spec *out,
		  struct errbuf *err);

/* The default set: every scheme, in report order. */
extern const char *const default_schemes[];
extern const size_t nr_default_schemes;

#endif /* RMAPLAB_HARNESS_REGISTRY_H */
