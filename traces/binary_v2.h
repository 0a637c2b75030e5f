/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Binary trace formats, private to traces/: the header both versions
 * share (binary.c) and the version 2 block reader (binary_v2.c), which
 * the cursor (reader.c) drives.  The writer is public, in trace.h.
 */
#ifndef RMAPLAB_TRACES_BINARY_V2_H
#define RMAPLAB_TRACES_BINARY_V2_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "traces/trace.h"

#define TRACE_V1_HDR_SIZE	200
#define TRACE_V2_HDR_SIZE	204	/* v1's fields, then their CRC-32 */
/*
 * A v2 header with slab sizes goes on: a count, that many entries (name,
 * object size) and their CRC-32; the header size field covers them.
 */
#define TRACE_V2_SLAB_ENTRY	(TRACE_SLAB_NAME + 4)
#define TRACE_V2_SLAB_HDR(n)	(TRACE_V2_HDR_SIZE + 8 + \
				 TRACE_V2_SLAB_ENTRY * (n))
#define TRACE_V2_HDR_MAX	TRACE_V2_SLAB_HDR(TRACE_MAX_SLAB)
#define TRACE_V2_BLOCK_HDR	24
#define TRACE_MAX_FILE_NAME	4096

/* Fill the 200 bytes both versions share. */
void trace_bin_header_encode(unsigned char *p, const struct trace_header *h,
			     uint32_t version, uint32_t size);
/* Bytes of @h's version 2 header; write them with trace_v2_header_encode. */
size_t trace_v2_header_size(const struct trace_header *h);
void trace_v2_header_encode(unsigned char *p, const struct trace_header *h);
/*
 * Check a header of @size bytes (at least 16: magic, version, size) and
 * read it into @h.  Returns the version (1 or 2) or -1 with one line in
 * @err.  @size may be short of the header: "truncated header".
 */
int trace_bin_header_decode(const unsigned char *p, size_t size,
			    const char *name, struct trace_header *h,
			    char *err, size_t errlen);

struct v2_reader;

/* Blocks from @f, whose header (@off bytes) has been read. */
struct v2_reader *trace_v2_open(FILE *f, const char *name, uint64_t off);
void trace_v2_close(struct v2_reader *r);
/*
 * Decode up to @max events (SIZE_MAX: the rest of the block) of the
 * current block, reading the next block when none is under way, and
 * append them with the block's files and checkpoints to @t.  Returns 1
 * (@t may have gained no event: a block of file names), 0 after the end
 * block, -1 with one line in @err when the file stops short (*@cut: a
 * recording cut off) or a block is damaged, -2 when a record breaks the
 * format in a block whose checksums hold (a writer's bug, which
 * --salvage does not pass over).  After an error @t may hold part of
 * what this call decoded.  A block is read and its checksums checked
 * whole before any of it is decoded, so a file cut or damaged anywhere
 * yields the whole blocks before.
 */
int trace_v2_next(struct v2_reader *r, struct trace *t, size_t max,
		  bool *cut, char *err, size_t errlen);

/* PIDs twice in one checkpoint (sorted copy): -1 with *@dup. */
int trace_cp_check_pids(const struct trace_checkpoint *cp, int64_t *dup);

#endif /* RMAPLAB_TRACES_BINARY_V2_H */
