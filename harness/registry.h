/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheme registry, generated from schemes/table: every scheme and
 * variant with the default sets it belongs to, and "oracle" (the
 * bookkeeping of the first scheme that reproduces mainline's layout, with
 * the brute-force page-table walk).  A spec is a name optionally followed
 * by ":params" ("classic:reuse=off", "cowctx:poc").
 */
#ifndef RMAPLAB_HARNESS_REGISTRY_H
#define RMAPLAB_HARNESS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/errbuf.h"
#include "core/scheme.h"
#include "traces/trace.h"

/* The default sets a table line belongs to. */
#define SCHEME_SET_RUN		(1U << 0)	/* rmaplab run (the first) */
#define SCHEME_SET_CHECK	(1U << 1)
#define SCHEME_SET_COMPARE	(1U << 2)
#define SCHEME_SET_REPORT	(1U << 3)
#define SCHEME_SET_BENCH	(1U << 4)
#define SCHEME_SET_CONTEND	(1U << 5)

/* One line of schemes/table. */
struct scheme_entry {
	const char *spec;		/* "classic", "cowctx:poc" */
	const struct rmap_scheme *scheme;
	unsigned int sets;		/* SCHEME_SET_* */
};

/* The table, ended by a NULL spec (generated: scheme_table*.c). */
extern const struct scheme_entry scheme_list[];

struct scheme_spec {
	const struct rmap_scheme *scheme;
	char name[64];			/* as given, for output */
	char params[192];
};

/* The spec of the oracle, the checker's reference. */
#define ORACLE_SPEC	"oracle"

/* Parse "name[:params]"; -1 with a message on an unknown name. */
int scheme_lookup(const char *spec, struct scheme_spec *out,
		  struct errbuf *err);

/*
 * The specs of the default set @set, in table order, into @out (at most
 * @max); returns how many.
 */
size_t scheme_defaults(unsigned int set, const char **out, size_t max);

/* "classic, lazy, cowctx": the default set @set for --help texts. */
const char *scheme_defaults_text(unsigned int set);

/*
 * The object class @name of any registered scheme or of the core
 * (vm_area_struct), or NULL.
 */
const struct scheme_objclass *scheme_objclass_find(const char *name);

/* Where the scheme table's slab object sizes of @arch were read. */
const char *objsize_source(const char *arch);
/*
 * Where a trace's sizes come from: the recording kernel's /proc/slabinfo
 * when its header has them (and the table for any class it lacks), else
 * objsize_source() of its arch.
 */
void objsize_source_trace(char *buf, size_t len,
			  const struct trace_header *h);
/* Does @h record sizes, but not of every class the table has for it? */
bool objsize_partial(const struct trace_header *h);
/* Is @name a class the table prices at a kernel slab size? */
bool objsize_kernel_class(const char *name);
/* Class @c's table size on @arch, 0 if none. */
unsigned int objsize_arch_table(const char *arch,
				const struct scheme_objclass *c);

#endif /* RMAPLAB_HARNESS_REGISTRY_H */
