// SPDX-License-Identifier: GPL-2.0-only
/*
 * The object caches (core/slab.c): where folios, VMAs, anon_vmas and AVCs
 * live, so an overlap would corrupt the model silently.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "core/slab.h"

/*
 * Zeroed objects of the cache's alignment that never overlap, across many
 * slabs; a freed one comes back to the next allocation (not in sanitizer
 * builds, which free at once so that a stale pointer is caught).
 */
Test(slab, objects_apart)
{
	enum { NR = 2000, SIZE = 3 * 64 };
	struct kmem_cache c;
	unsigned char *obj[NR], *again;
	int i, j;

	kmem_cache_init(&c, 2 * 64 + 8, 64);
	cr_assert_eq(c.size, SIZE, "size %zu, not rounded to the alignment",
		     c.size);
	for (i = 0; i < NR; i++) {
		obj[i] = kmem_cache_zalloc(&c);
		cr_assert_eq((unsigned long)obj[i] % 64, 0);
		for (j = 0; j < SIZE; j++)
			cr_assert_eq(obj[i][j], 0, "object %d byte %d", i, j);
		memset(obj[i], 0xa5, SIZE);
	}
	/* no two overlap: sorted, each ends before the next begins */
	for (i = 1; i < NR; i++)
		for (j = i; j > 0 && obj[j - 1] > obj[j]; j--) {
			unsigned char *x = obj[j];

			obj[j] = obj[j - 1];
			obj[j - 1] = x;
		}
	for (i = 1; i < NR; i++)
		cr_assert_geq(obj[i] - obj[i - 1], SIZE, "objects %p and %p "
			      "overlap", (void *)obj[i - 1], (void *)obj[i]);
	kmem_cache_free(&c, obj[7]);
	again = kmem_cache_zalloc(&c);
	for (j = 0; j < SIZE; j++)
		cr_assert_eq(again[j], 0, "a reused object not zeroed");
#if !defined(__SANITIZE_ADDRESS__)
	cr_expect_eq(again, obj[7], "a freed object was not reused");
#endif
	obj[7] = again;
#if defined(__SANITIZE_ADDRESS__)
	for (i = 0; i < NR; i++)
		kmem_cache_free(&c, obj[i]);
#endif
	kmem_cache_destroy(&c);
}
