// SPDX-License-Identifier: GPL-2.0-only
/* An open-addressing map from 64-bit keys to 32-bit values; u64map.h. */
#include <stdlib.h>

#include "harness/u64map.h"

static size_t slot(const struct u64map *m, uint64_t k)
{
	size_t i = (size_t)((k ^ (k >> 29)) * 0x9E3779B97F4A7C15ULL) &
		(m->cap - 1);

	while (m->val[i] && m->key[i] != k)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(struct u64map *m)
{
	struct u64map n = { .cap = m->cap ? 2 * m->cap : 1024 };
	size_t i, j;

	n.key = calloc(n.cap, sizeof(*n.key));
	n.val = calloc(n.cap, sizeof(*n.val));
	if (!n.key || !n.val)
		abort();
	for (i = 0; i < m->cap; i++) {
		if (!m->val[i])
			continue;
		j = slot(&n, m->key[i]);
		n.key[j] = m->key[i];
		n.val[j] = m->val[i];
		n.nr++;
	}
	free(m->key);
	free(m->val);
	*m = n;
}

uint32_t u64map_get_or_add(struct u64map *m, uint64_t k, uint32_t v,
			   bool *added)
{
	size_t i;

	if (2 * (m->nr + 1) > m->cap)
		grow(m);
	i = slot(m, k);
	if (m->val[i]) {
		*added = false;
		return m->val[i] - 1;
	}
	m->key[i] = k;
	m->val[i] = v + 1;
	m->nr++;
	*added = true;
	return v;
}

void u64map_free(struct u64map *m)
{
	free(m->key);
	free(m->val);
}
