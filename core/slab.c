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

void kmem_cache_init(struct kmem_cache *c, size_t size, size_t align)
{
	/* aligned_alloc() wants a multiple of the alignment */
	if (align)
		size = (size + align - 1) & ~(align - 1);
	if (size < sizeof(void *))
		size = sizeof(void *);
	c->size = size;
	c->align = align;
	c->free = NULL;
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	void *obj;

	while ((obj = c->free)) {
		c->free = *(void **)obj;
		free(obj);
	}
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = c->free;

	if (obj)
		c->free = *(void **)obj;
	else if (c->align)
		obj = aligned_alloc(c->align, c->size);
	else
		obj = malloc(c->size);
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
