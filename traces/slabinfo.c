// SPDX-License-Identifier: GPL-2.0-only
/*
 * Slab object sizes in a trace header: the running kernel's, read where
 * the recorder and kernel-run record (see trace.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "traces/internal.h"
#include "traces/trace.h"

/*
 * The classes the model prices at a kernel slab size (harness/registry.c,
 * schemes/ objclasses with a size); the proposals' own objects have no
 * cache in mainline and keep the model's sizes.
 */
const char *const trace_slab_caches[] = {
	"vm_area_struct",
	"anon_vma",
	"anon_vma_chain",
	NULL,
};

bool trace_slab_name_ok(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n >= TRACE_SLAB_NAME)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	return true;
}

uint32_t trace_slab_size(const struct trace_header *h, const char *name)
{
	uint32_t i;

	for (i = 0; i < h->nr_slab && i < TRACE_MAX_SLAB; i++)
		if (!strcmp(h->slab[i].name, name))
			return h->slab[i].size;
	return 0;
}

int trace_slab_set(struct trace_header *h, const char *name, uint32_t size)
{
	uint32_t i;

	if (!trace_slab_name_ok(name) || !size || size > (1u << 30))
		return -1;
	for (i = 0; i < h->nr_slab; i++)
		if (!strcmp(h->slab[i].name, name))
			break;
	if (i == TRACE_MAX_SLAB)
		return -1;
	if (i == h->nr_slab) {
		memset(&h->slab[i], 0, sizeof(h->slab[i]));
		strcpy(h->slab[i].name, name);
		h->nr_slab++;
	}
	h->slab[i].size = size;
	return 0;
}

int trace_slabinfo_each(const char *path,
			int (*fn)(const char *name, unsigned long objsize,
				  void *arg),
			void *arg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	unsigned long active, num, objsize;
	char line[1024], name[64];
	int lineno = 0, ret = 0;

	if (!f)
		return trace_errf(err, errlen, "%s: %s", path,
				  strerror(errno));
	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		if (lineno == 1) {
			if (strncmp(line, "slabinfo - version: 2.", 22))
				ret = trace_errf(err, errlen, "%s:1: not a "
						 "slabinfo 2.x file", path);
			continue;
		}
		if (line[0] == '#')
			continue;
		/* name <active_objs> <num_objs> <objsize> ... */
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &num,
			   &objsize) != 4)
			ret = trace_errf(err, errlen, "%s:%d: cannot parse",
					 path, lineno);
		else
			ret = fn(name, objsize, arg);
	}
	if (!ret && ferror(f))
		ret = trace_errf(err, errlen, "%s: read error", path);
	if (!ret && !lineno)
		ret = trace_errf(err, errlen, "%s: empty", path);
	fclose(f);
	return ret;
}

static int take_cache(const char *name, unsigned long objsize, void *arg)
{
	struct trace_header *h = arg;
	size_t i;

	for (i = 0; trace_slab_caches[i]; i++)
		if (!strcmp(trace_slab_caches[i], name) &&
		    objsize <= UINT32_MAX)
			trace_slab_set(h, name, (uint32_t)objsize);
	return 0;
}

int trace_read_slab_sizes(struct trace_header *h, const char *slabinfo,
			  const char *sysfs)
{
	char path[512], line[64], err[256];
	unsigned long v;
	int n = 0;
	size_t i;
	FILE *f;

	trace_slabinfo_each(slabinfo, take_cache, h, err, sizeof(err));
	for (i = 0; trace_slab_caches[i]; i++) {
		const char *name = trace_slab_caches[i];

		if (trace_slab_size(h, name)) {
			n++;
			continue;
		}
		/*
		 * A cache merged into another (find_mergeable()) is listed
		 * under the other's name; its sysfs alias links to the
		 * merged cache.  slab_size is slabinfo's objsize (s->size);
		 * object_size would be the bare struct (anon_vma: 96, not
		 * 104, on this project's x86_64 6.18 machine).
		 */
		snprintf(path, sizeof(path), "%s/%s/slab_size", sysfs, name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) &&
		    sscanf(line, "%lu", &v) == 1 && v <= UINT32_MAX &&
		    !trace_slab_set(h, name, (uint32_t)v))
			n++;
		fclose(f);
	}
	return n;
}
