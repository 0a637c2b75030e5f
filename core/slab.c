// SPDX-License-Identifier: GPL-2.0-only
/* Object caches; see slab.h. */
#include <stdlib.h>
#include <string.h>

#include "slab.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_CACHE_OFF 1
#else
#define SLAB_CACHE_OFF 0
#endif

/* Bytes per slab; its first object starts one alignment in, after the link. */
#define SLAB_BYTES	(64 << 10)

void kmem_cache_init(struct kmem_cache *c, size_t size, size_t align)
{
	if (!align)
		align = sizeof(void *);
	size = (size + align - 1) & ~(align - 1);
	if (size < sizeof(void *))
		size = sizeof(void *);
	c->size = size;
	c->align = align;
	c->free = NULL;
	c->slab = NULL;
	c->used = SLAB_BYTES;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	char *slab;

	while ((slab = c->slab)) {
		c->slab = *(char **)slab;
		free(slab);
	}
	c->free = NULL;
}

static void *slab_carve(struct kmem_cache *c)
{
	char *slab;

	if (c->used + c->size > SLAB_BYTES) {
		slab = aligned_alloc(c->align, SLAB_BYTES);
		if (!slab)
			abort();
		*(char **)slab = c->slab;
		c->slab = slab;
		c->used = c->align < sizeof(void *) ? sizeof(void *) :
			  c->align;
	}
	c->used += c->size;
	return c->slab + c->used - c->size;
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = c->free;

	if (SLAB_CACHE_OFF)
		obj = aligned_alloc(c->align, c->size);
	else if (obj)
		c->free = *(void **)obj;
	else
		obj = slab_carve(c);
	if (!obj)
		abort();
	memset(obj, 0, c->size);
	return obj;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (!obj)
		return;
	if (SLAB_CACHE_OFF) {
		free(obj);
		return;
	}
	*(void **)obj = c->free;
	c->free = obj;
}
