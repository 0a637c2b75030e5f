// SPDX-License-Identifier: GPL-2.0-only
/*
 * A set of page addresses, for the pages the trace itself made present in
 * one mm: what a checkpoint shows beyond it the kernel filled without a
 * fault the recorder saw (GUP writes through /proc/PID/mem, khugepaged,
 * userfaultfd copies, kernel-mode faults missed without root).
 */
#include <stdlib.h>
#include <string.h>

#include "traces/recorder/rec.h"

/* A removed page: keeps probe chains whole until the next growth. */
#define TOMB	2

static size_t slot_of(const struct rec_pageset *s, uint64_t key)
{
	return (size_t)((key >> 12) * 0x9e3779b97f4a7c15ULL >> 17) &
	       (s->size - 1);
}

static void insert(struct rec_pageset *s, uint64_t key)
{
	size_t i;

	for (i = slot_of(s, key); s->slot[i] && s->slot[i] != key;
	     i = (i + 1) & (s->size - 1))
		;
	if (!s->slot[i]) {
		s->slot[i] = key;
		s->used++;
	}
}

/* Out of memory leaves the set as it was: a page may then read unseen. */
void rec_pageset_add(struct rec_pageset *s, uint64_t addr)
{
	uint64_t key = addr | 1, *old = s->slot;
	size_t n = s->size, i;

	if ((s->used + 1) * 2 > s->size) {
		size_t size = n ? n * 2 : 1024;
		uint64_t *slot = calloc(size, sizeof(*slot));

		if (!slot)
			return;
		s->slot = slot;
		s->size = size;
		s->used = 0;
		for (i = 0; i < n; i++)
			if (old[i] && old[i] != TOMB)
				insert(s, old[i]);
		free(old);
	}
	insert(s, key);
}

bool rec_pageset_has(const struct rec_pageset *s, uint64_t addr)
{
	uint64_t key = addr | 1;
	size_t i;

	if (!s->size)
		return false;
	for (i = slot_of(s, key); s->slot[i]; i = (i + 1) & (s->size - 1))
		if (s->slot[i] == key)
			return true;
	return false;
}

/* Forget the pages of [start, end): their mapping went. */
void rec_pageset_del_range(struct rec_pageset *s, uint64_t start,
			   uint64_t end, uint64_t page_size)
{
	uint64_t a, key;
	size_t i;

	if (!s->size || end <= start)
		return;
	if ((end - start) / page_size > s->size) {
		for (i = 0; i < s->size; i++)
			if ((s->slot[i] & 1) && s->slot[i] - 1 >= start &&
			    s->slot[i] - 1 < end)
				s->slot[i] = TOMB;
		return;
	}
	for (a = start; a < end; a += page_size) {
		key = a | 1;
		for (i = slot_of(s, key); s->slot[i];
		     i = (i + 1) & (s->size - 1)) {
			if (s->slot[i] == key) {
				s->slot[i] = TOMB;
				break;
			}
		}
	}
}

int rec_pageset_copy(struct rec_pageset *dst, const struct rec_pageset *src)
{
	rec_pageset_free(dst);
	if (!src->size)
		return 0;
	dst->slot = malloc(src->size * sizeof(*dst->slot));
	if (!dst->slot)
		return -1;
	memcpy(dst->slot, src->slot, src->size * sizeof(*dst->slot));
	dst->size = src->size;
	dst->used = src->used;
	return 0;
}

void rec_pageset_free(struct rec_pageset *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}
