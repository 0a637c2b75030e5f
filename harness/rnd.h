/* SPDX-License-Identifier: GPL-2.0-only */
/* xorshift64*: the harness's seeded choices, the same on every machine. */
#ifndef RMAPLAB_HARNESS_RND_H
#define RMAPLAB_HARNESS_RND_H

#include <stdint.h>

static inline uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

#endif /* RMAPLAB_HARNESS_RND_H */
