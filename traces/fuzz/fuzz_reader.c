// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the trace readers.  Whatever the input, the reader
 * must either load a trace or return one error line; a loaded trace must
 * survive the writers and read back equal (text and binary).
 *
 *	CC=clang meson setup build-fuzz && ninja -C build-fuzz \
 *		traces/fuzz/fuzz-trace-reader
 *	build-fuzz/traces/fuzz/fuzz-trace-reader -max_total_time=60 \
 *		tests/traces/data
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/binary_v2.h"
#include "traces/expected.h"
#include "traces/internal.h"
#include "traces/trace.h"

static void roundtrip(const struct trace *t)
{
	struct trace back;
	char err[512], what[256];
	char *buf = NULL;
	size_t len = 0;
	FILE *m;

	m = open_memstream(&buf, &len);
	if (!m || trace_write_binary(m, t))
		abort();
	fclose(m);
	if (trace_parse_binary(buf, len, "fuzz.rmt", &back, err, sizeof(err)))
		abort();
	if (trace_compare(t, &back, what, sizeof(what)))
		abort();
	trace_free(&back);
	free(buf);

	buf = NULL;
	m = open_memstream(&buf, &len);
	if (!m || trace_write_text(m, t))
		abort();
	fclose(m);
	m = fmemopen(buf, len, "r");
	if (!m || trace_parse_text(m, "fuzz.trace", &back, err, sizeof(err)))
		abort();
	fclose(m);
	if (trace_compare(t, &back, what, sizeof(what)))
		abort();
	trace_free(&back);
	free(buf);
}

static void put32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = v >> (8 * i);
}

/*
 * Version 2: set the header's and every whole block's CRCs, so random
 * bytes reach the block decoder behind them.
 */
static void fix_v2(uint8_t *d, size_t size)
{
	size_t off = TRACE_V2_HDR_SIZE, stored;

	put32(d + TRACE_V1_HDR_SIZE, trace_crc32(d, TRACE_V1_HDR_SIZE));
	while (off + TRACE_V2_BLOCK_HDR <= size) {
		stored = d[off + 4] | d[off + 5] << 8 | d[off + 6] << 16 |
			 (size_t)d[off + 7] << 24;
		if (stored <= size - off - TRACE_V2_BLOCK_HDR)
			put32(d + off + 16, trace_crc32(d + off +
					TRACE_V2_BLOCK_HDR, stored));
		put32(d + off + 20, trace_crc32(d + off, 20));
		if (stored > size - off - TRACE_V2_BLOCK_HDR)
			break;
		off += TRACE_V2_BLOCK_HDR + stored;
	}
}

static void binary(const uint8_t *data, size_t size)
{
	struct trace t;
	char err[512];

	if (!trace_parse_binary(data, size, "fuzz", &t, err, sizeof(err)))
		roundtrip(&t);
	trace_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace_checkpoint cp;
	struct trace t;
	char err[512];
	FILE *m;

	if (trace_is_binary(data, size)) {
		binary(data, size);
		/*
		 * Random bytes rarely carry a valid CRC; patch it where an
		 * END record at the very end would keep it, so the fuzzer
		 * also reaches the checks behind the checksum.
		 */
		if (size >= TRACE_V2_HDR_SIZE && data[8] == 2) {
			uint8_t *copy = malloc(size);

			memcpy(copy, data, size);
			fix_v2(copy, size);
			binary(copy, size);
			free(copy);
			return 0;
		}
		if (size >= 240) {
			uint8_t *copy = malloc(size);
			uint32_t crc;
			int i;

			memcpy(copy, data, size);
			crc = trace_crc32(copy, size - 40);
			for (i = 0; i < 4; i++)
				copy[size - 8 + i] = crc >> (8 * i);
			binary(copy, size);
			free(copy);
		}
		return 0;
	}
	if (!size)
		return 0;
	m = fmemopen((void *)data, size, "r");
	if (!m)
		return 0;
	if (!trace_parse_text(m, "fuzz", &t, err, sizeof(err)))
		roundtrip(&t);
	trace_free(&t);
	rewind(m);
	if (!checkpoint_read_expected(m, "fuzz", &cp, err, sizeof(err)))
		checkpoint_free(&cp);
	fclose(m);
	return 0;
}
