// SPDX-License-Identifier: GPL-2.0-only
/* The scheme registry; see registry.h.  The table is schemes/table. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/oracle.h"
#include "harness/registry.h"

/*
 * The core's own classes.  Slab objsizes (SLUB, no debug options):
 * x86_64 measured on this project's 6.18 machine (research/machine.md
 * §3g); aarch64 from /proc/slabinfo of Debian's 6.12.118 arm64 and
 * arm64-16k kernels in `rmaplab vm`, where traces/corpus/arm64 was
 * recorded: the same on both page sizes (vm_area_struct 16 bytes
 * smaller than x86_64's; anon_vma and anon_vma_chain the same).
 */
static const struct scheme_objclass core_objclasses[] = {
	{ "vm_area_struct", "vma", { 192, 176 } },
	{ NULL, NULL, { 0 } },
};

const char *objsize_source(const char *arch)
{
	if (arch && !strcmp(arch, "x86_64"))
		return "/proc/slabinfo of this project's x86_64 6.18 machine";
	if (arch && !strcmp(arch, "aarch64"))
		return "/proc/slabinfo of Debian 6.12.118 arm64 and "
		       "arm64-16k guests (rmaplab vm)";
	return "not known: the model's sizes";
}

unsigned int objsize_arch_table(const char *arch,
				const struct scheme_objclass *c)
{
	static const char *const arches[SLAB_ARCH_NR] = {
		[SLAB_X86_64] = "x86_64",
		[SLAB_AARCH64] = "aarch64",
	};
	int i;

	for (i = 0; c && arch && i < SLAB_ARCH_NR; i++)
		if (!strcmp(arches[i], arch))
			return c->size[i];
	return 0;
}

/* A class the table prices at a kernel slab size on some arch. */
static bool kernel_class(const struct scheme_objclass *c)
{
	int i;

	for (i = 0; i < SLAB_ARCH_NR; i++)
		if (c->size[i])
			return true;
	return false;
}

/* Does @h lack the size of a class the table has for its arch? */
static bool slab_partial(const struct trace_header *h,
			 const struct scheme_objclass *c)
{
	for (; c && c->name; c++)
		if (kernel_class(c) && !trace_slab_size(h, c->name) &&
		    objsize_arch_table(h->arch, c))
			return true;
	return false;
}

bool objsize_partial(const struct trace_header *h)
{
	const struct scheme_entry *e;
	bool partial;

	if (!h->nr_slab)
		return false;
	partial = slab_partial(h, core_objclasses);
	for (e = scheme_list; e->spec && !partial; e++)
		partial = slab_partial(h, e->scheme->objclasses);
	return partial;
}

void objsize_source_trace(char *buf, size_t len, const struct trace_header *h)
{
	bool partial = objsize_partial(h);

	if (!h->nr_slab) {
		snprintf(buf, len, "%s", objsize_source(h->arch));
		return;
	}
	snprintf(buf, len, "the recording kernel's /proc/slabinfo (%s)%s%s",
		 h->kernel[0] ? h->kernel : "release not recorded",
		 partial ? "; the rest: " : "",
		 partial ? objsize_source(h->arch) : "");
}

bool objsize_kernel_class(const char *name)
{
	const struct scheme_objclass *c = scheme_objclass_find(name);

	return c && kernel_class(c);
}

static struct rmap_scheme oracle_scheme;

/*
 * The oracle keeps the VMA and merge bookkeeping of the first scheme that
 * reproduces mainline's layout, so that its layout is the kernel's, and
 * walks by scanning every page table.
 */
static const struct rmap_scheme *oracle(void)
{
	const struct scheme_entry *e;

	if (oracle_scheme.name)
		return &oracle_scheme;
	for (e = scheme_list; e->spec; e++)
		if (!strchr(e->spec, ':') &&
		    (e->scheme->caps & SCHEME_MAINLINE_LAYOUT))
			break;
	if (!e->spec)
		return NULL;
	oracle_scheme = *e->scheme;
	oracle_scheme.name = ORACLE_SPEC;
	oracle_scheme.summary = "brute-force page-table scan (mainline "
				"bookkeeping)";
	oracle_scheme.rmap_walk = oracle_rmap_walk;
	return &oracle_scheme;
}

static const char *names_text(void)
{
	static char buf[256];
	const struct scheme_entry *e;
	size_t n = 0;

	if (buf[0])
		return buf;
	for (e = scheme_list; e->spec; e++)
		if (!strchr(e->spec, ':'))
			n += snprintf(buf + n, sizeof(buf) - n, "%s, ",
				      e->spec);
	snprintf(buf + n, sizeof(buf) - n, "%s", ORACLE_SPEC);
	return buf;
}

int scheme_lookup(const char *spec, struct scheme_spec *out,
		  struct errbuf *err)
{
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	const struct scheme_entry *e;

	if (n >= 32 || strlen(spec) >= sizeof(out->name))
		return errbuf_set(err, "scheme name too long: '%s'", spec);
	out->scheme = NULL;
	for (e = scheme_list; e->spec && !out->scheme; e++)
		if (strlen(e->scheme->name) == n &&
		    !strncmp(e->scheme->name, spec, n))
			out->scheme = e->scheme;
	if (!out->scheme && n == strlen(ORACLE_SPEC) &&
	    !strncmp(spec, ORACLE_SPEC, n))
		out->scheme = oracle();
	if (!out->scheme)
		return errbuf_set(err, "unknown scheme '%.*s' (%s)", (int)n,
				  spec, names_text());
	snprintf(out->name, sizeof(out->name), "%s", spec);
	snprintf(out->params, sizeof(out->params), "%s",
		 colon ? colon + 1 : "");
	return 0;
}

size_t scheme_defaults(unsigned int set, const char **out, size_t max)
{
	const struct scheme_entry *e;
	size_t n = 0;

	for (e = scheme_list; e->spec && n < max; e++)
		if (e->sets & set)
			out[n++] = e->spec;
	return n;
}

const char *scheme_defaults_text(unsigned int set)
{
	static char buf[8][256];
	const struct scheme_entry *e;
	unsigned int i = 0;
	size_t n = 0;

	while (i < 7 && !(set & (1U << i)))
		i++;
	if (buf[i][0])
		return buf[i];
	for (e = scheme_list; e->spec; e++)
		if (e->sets & set)
			n += snprintf(buf[i] + n, sizeof(buf[i]) - n, "%s%s",
				      n ? ", " : "", e->spec);
	return buf[i];
}

static const struct scheme_objclass *
class_in(const struct scheme_objclass *c, const char *name)
{
	for (; c && c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

const struct scheme_objclass *scheme_objclass_find(const char *name)
{
	const struct scheme_objclass *c = class_in(core_objclasses, name);
	const struct scheme_entry *e;

	for (e = scheme_list; !c && e->spec; e++)
		c = class_in(e->scheme->objclasses, name);
	return c;
}
