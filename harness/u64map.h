/* SPDX-License-Identifier: GPL-2.0-only */
/* An open-addressing map from 64-bit keys to 32-bit values. */
#ifndef RMAPLAB_HARNESS_U64MAP_H
#define RMAPLAB_HARNESS_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map {
	uint64_t *key;
	uint32_t *val;			/* value + 1; 0 is empty */
	size_t cap, nr;
};

/* The value of @k, or insert @v and return it; *@added says which. */
uint32_t u64map_get_or_add(struct u64map *m, uint64_t k, uint32_t v,
			   bool *added);
void u64map_free(struct u64map *m);

#endif /* RMAPLAB_HARNESS_U64MAP_H */
