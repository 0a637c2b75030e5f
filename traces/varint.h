/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * LEB128 variable-length integers and zigzag signed deltas for the binary
 * trace format, version 2 (traces/FORMAT.md).  Decoding never reads past
 * @end: a short or over-long number sets the cursor to NULL.
 */
#ifndef RMAPLAB_TRACES_VARINT_H
#define RMAPLAB_TRACES_VARINT_H

#include <stdint.h>

#define VARINT_MAX 10

static inline unsigned char *varint_put(unsigned char *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)v | 0x80;
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Slow path: more than one byte, or near @end. */
static inline const unsigned char *varint_get_slow(const unsigned char *p,
						   const unsigned char *end,
						   uint64_t *v)
{
	uint64_t x = 0;
	unsigned int shift = 0;

	for (;;) {
		if (p >= end || shift > 63)
			return NULL;
		x |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80))
			break;
		shift += 7;
	}
	/* the tenth byte may carry only the top bit */
	if (shift == 63 && (p[-1] & 0x7e))
		return NULL;
	*v = x;
	return p;
}

/* Numbers of up to three bytes (addresses' page deltas) are unrolled. */
static inline const unsigned char *varint_get(const unsigned char *p,
					      const unsigned char *end,
					      uint64_t *v)
{
	unsigned int b0, b1, b2;

	if (!p)
		return NULL;
	if (end - p >= 3) {
		b0 = p[0];
		if (b0 < 0x80) {
			*v = b0;
			return p + 1;
		}
		b1 = p[1];
		if (b1 < 0x80) {
			*v = (b0 & 0x7f) | b1 << 7;
			return p + 2;
		}
		b2 = p[2];
		if (b2 < 0x80) {
			*v = (b0 & 0x7f) | (b1 & 0x7f) << 7 | b2 << 14;
			return p + 3;
		}
	}
	return varint_get_slow(p, end, v);
}

#endif /* RMAPLAB_TRACES_VARINT_H */
