/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Object caches, after the kernel's kmem_cache: freed objects of one size
 * are kept for the next allocation of that size instead of going back to
 * malloc, which the objects every fork, fault and exit makes and frees
 * (folios, VMAs, AVCs, anon_vmas) would otherwise pay for each time.
 *
 * A cache changes where an object's memory comes from, not what the
 * model counts: the live-object accounting (acct.h) stays the caller's.
 * One cache per world or scheme state, used by one thread at a time.
 * Sanitizer builds free at once, so that a stale pointer is still caught.
 */
#ifndef RMAPLAB_CORE_SLAB_H
#define RMAPLAB_CORE_SLAB_H

#include <stddef.h>

struct kmem_cache {
	size_t size;
	size_t align;			/* at least a pointer's */
	void *free;			/* chained by their first word */
	/*
	 * Objects are carved from slabs one after the other, as the
	 * kernel's are: malloc's headers put each 128-byte folio 256 bytes
	 * from the next, so the lines fork and zap touch fell in a quarter
	 * of the L1 cache's sets.
	 */
	char *slab;			/* the newest slab; first word: older */
	size_t used;			/* bytes of it handed out */
};

void kmem_cache_init(struct kmem_cache *c, size_t size, size_t align);
/* Hand the slabs back to malloc. */
void kmem_cache_destroy(struct kmem_cache *c);

/* A zeroed object; aborts when memory runs out. */
void *kmem_cache_zalloc(struct kmem_cache *c);
void kmem_cache_free(struct kmem_cache *c, void *obj);

#endif /* RMAPLAB_CORE_SLAB_H */
