// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the lazy scheme lands: refuses to run. */
#include "core/scheme.h"
#include "core/world.h"

static int lazy_init(struct world *w, const char *params, struct errbuf *err)
{
	return errbuf_set(err, "lazy: scheme not built yet");
}

const struct rmap_scheme lazy_scheme = {
	.name = "lazy",
	.init = lazy_init,
};
