// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binary format v2: a trace cut at any byte reads up to its last whole
 * block and says it is incomplete; damaged blocks are refused (or, with
 * TRACE_SALVAGE, end the trace there); events stay small; v1 files read
 * as before and survive v1 -> v2 -> text unchanged.
 */
#include "tests/traces/tutil.h"

#include <unistd.h>

#include <criterion/criterion.h>

#include "traces/binary_v2.h"
#include "traces/internal.h"
#include "traces/varint.h"

/* Three data blocks and two checkpoint blocks: [ev][cp][ev][cp][ev]. */
static const char blocks[] =
	"# rmaplab text trace v1   arch=x86_64 page_size=4096 "
	"recorder=test clock=monotonic\n"
	"1 mmap 0x0 0x4000 rw- private,anon t=100 -> 0x7f0000000000\n"
	"1 fault 0x7f0000000000 w t=150\n"
	"1 fault 0x7f0000001000 r t=160\n"
	"1 fork 2 flags=0x1200011 t=170 -> 0x2\n"
	"2 checkpoint fork anon_vma=1 anon_vma_chain=2 t=171\n"
	"  proc 1\n"
	"    vma 7f0000000000-7f0000004000 rw-p 00000000\n"
	"    page 0x7f0000000000 anon pfn=0x77 kflags=0x1000 count=2\n"
	"  proc 2\n"
	"    vma 7f0000000000-7f0000004000 rw-p 00000000 [heap]\n"
	"end\n"
	"2 fault 0x7f0000000000 w t=200\n"
	"2 mmap 0x0 0x1000 r-- private file=dev:8:1:99 off=2 t=210 "
	"-> 0x7f1000000000\n"
	"2 mremap 0x7f0000000000 0x1000 0x2000 maymove,fixed 0x7e0000000000 "
	"t=220 -> 0x7e0000000000\n"
	"2 madvise 0x7e0000000000 0x1000 dontneed t=230 -> 0\n"
	"2 exit t=240\n"
	"1 checkpoint exit t=241\n"
	"  proc 1\n"
	"end\n"
	"1 brk 0x0 t=300 -> 0x555555000000\n"
	"1 munmap 0x7f0000000000 0x4000 t=310 -> 0\n"
	"1 exit t=320\n"
	"end 14\n";

static char tmp_path[64];

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(buf, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

static void setup(void)
{
	int fd;

	strcpy(tmp_path, "/tmp/rmaplab-v2-XXXXXX");
	fd = mkstemp(tmp_path);
	cr_assert_geq(fd, 0);
	close(fd);
}

static void teardown(void)
{
	unlink(tmp_path);
}

static char *build(const char *text, struct trace *t, size_t *len)
{
	char err[512] = "";

	cr_assert_eq(parse_str(text, t, err, sizeof(err)), 0, "%s", err);
	return write_binary(t, len);
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * Walk the block headers: @ends[i] is the offset after block i, @evs[i]
 * the events in blocks 0..i.  Returns the number of blocks (end included).
 */
static int block_map(const unsigned char *bin, size_t len, size_t *ends,
		     size_t *evs, int max)
{
	size_t off = TRACE_V2_HDR_SIZE, n = 0;
	int i = 0;

	while (off < len && i < max) {
		cr_assert_leq(off + TRACE_V2_BLOCK_HDR, len);
		n += le32(bin + off + 12);
		off += TRACE_V2_BLOCK_HDR + le32(bin + off + 4);
		ends[i] = off;
		evs[i++] = n;
	}
	cr_assert_eq(off, len);
	return i;
}

/* Event @i of @a equals event @i of @b, checkpoints and files included. */
static void expect_prefix(const struct trace *whole, const struct trace *part)
{
	struct trace cut = *whole;
	char what[256];

	cut.nr_ev = part->nr_ev;
	cr_expect_eq(trace_compare(&cut, part, what, sizeof(what)), 0, "%s",
		     what);
}

Test(binary_v2, blocks_as_documented, .init = setup, .fini = teardown)
{
	size_t len, ends[16], evs[16];
	struct trace t;
	unsigned char *bin = (unsigned char *)build(blocks, &t, &len);
	int n = block_map(bin, len, ends, evs, 16);

	/* events, fork checkpoint, events, exit checkpoint, events, end */
	cr_expect_eq(n, 6);
	cr_expect_eq(evs[0], 4);
	cr_expect_eq(evs[1], 5);
	cr_expect_eq(evs[3], 11);
	cr_expect_eq(evs[5], 14);
	cr_expect_eq(bin[8], 2, "version 2");
	trace_free(&t);
	free(bin);
}

Test(binary_v2, cut_at_every_byte, .init = setup, .fini = teardown)
{
	size_t len, cut, ends[16], evs[16], want;
	struct trace t, back;
	char err[600];
	unsigned char *bin = (unsigned char *)build(blocks, &t, &len);
	int n = block_map(bin, len, ends, evs, 16), i;

	for (cut = 0; cut < len; cut++) {
		write_file(tmp_path, bin, cut);
		err[0] = 0;
		/* never whole */
		cr_assert_eq(trace_load(tmp_path, &back, err, sizeof(err)), -1,
			     "cut at %zu accepted", cut);
		cr_assert(!strncmp(err, tmp_path, strlen(tmp_path)), "%s",
			  err);
		trace_free(&back);
		/* salvaged: the whole blocks before the cut */
		err[0] = 0;
		if (cut < TRACE_V2_HDR_SIZE) {
			cr_assert_eq(trace_load_flags(tmp_path, TRACE_SALVAGE,
						      &back, err,
						      sizeof(err)), -1);
			continue;
		}
		cr_assert_eq(trace_load_flags(tmp_path, TRACE_SALVAGE, &back,
					      err, sizeof(err)), 0,
			     "cut at %zu: %s", cut, err);
		cr_assert(back.incomplete, "cut at %zu", cut);
		cr_assert(strstr(err, "incomplete") != NULL, "%s", err);
		for (want = 0, i = 0; i < n && ends[i] <= cut; i++)
			want = evs[i];
		cr_assert_eq(back.nr_ev, want, "cut at %zu: %zu events, "
			     "want %zu", cut, back.nr_ev, want);
		expect_prefix(&t, &back);
		trace_free(&back);
	}
	write_file(tmp_path, bin, len);
	cr_assert_eq(trace_load(tmp_path, &back, err, sizeof(err)), 0, "%s",
		     err);
	cr_expect(!back.incomplete);
	expect_prefix(&t, &back);
	cr_expect_eq(back.nr_ev, t.nr_ev);
	trace_free(&back);
	trace_free(&t);
	free(bin);
}

Test(binary_v2, every_flipped_byte_refused, .init = setup,
     .fini = teardown)
{
	size_t len, i;
	struct trace t, back;
	char err[600];
	unsigned char *bin = (unsigned char *)build(blocks, &t, &len);

	for (i = 0; i < len; i++) {
		bin[i] ^= 0x20;
		err[0] = 0;
		cr_assert_eq(trace_parse_binary(bin, len, "dmg.rmt", &back,
						err, sizeof(err)), -1,
			     "flip at %zu accepted", i);
		cr_assert(!strncmp(err, "dmg.rmt: ", 9), "%s", err);
		cr_assert_eq(back.nr_ev, 0);
		trace_free(&back);
		/* salvage keeps the blocks before the damaged one */
		if (i >= TRACE_V2_HDR_SIZE) {
			write_file(tmp_path, bin, len);
			cr_assert_eq(trace_load_flags(tmp_path, TRACE_SALVAGE,
						      &back, err,
						      sizeof(err)), 0,
				     "%s", err);
			cr_assert(back.incomplete);
			cr_assert_leq(back.nr_ev, t.nr_ev);
			expect_prefix(&t, &back);
			trace_free(&back);
		}
		bin[i] ^= 0x20;
	}
	trace_free(&t);
	free(bin);
}

Test(binary_v2, random_damage_never_crashes)
{
	size_t len, i, k;
	struct trace t, back;
	char err[600];
	unsigned char *bin = (unsigned char *)build(blocks, &t, &len);
	unsigned int seed = 18;

	for (i = 0; i < 3000; i++) {
		unsigned char *d = malloc(len);

		memcpy(d, bin, len);
		for (k = 0; k < 1 + i % 4; k++)
			d[TRACE_V2_HDR_SIZE + rand_r(&seed) %
			  (len - TRACE_V2_HDR_SIZE)] = rand_r(&seed);
		if (!trace_parse_binary(d, len, "r.rmt", &back, err,
					sizeof(err)))
			cr_assert_eq(back.nr_ev, t.nr_ev);
		trace_free(&back);
		free(d);
	}
	trace_free(&t);
	free(bin);
}

Test(binary_v2, empty_and_unended_text, .init = setup, .fini = teardown)
{
	static const char noend[] = "# rmaplab text trace v2\n"
				    "1 mmap 0x0 0x1000 rw- private,anon "
				    "-> 0x10000\n1 fault 0x10000 w\n";
	static const char cut[] = "# rmaplab text trace v1\n"
				  "1 mmap 0x0 0x1000 rw- private,anon "
				  "-> 0x10000\n1 fault 0x10";
	struct trace t;
	char err[600], want[200];

	write_file(tmp_path, "", 0);
	cr_expect_eq(trace_load(tmp_path, &t, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: empty file: not a trace", tmp_path);
	cr_expect_str_eq(err, want);
	trace_free(&t);

	write_file(tmp_path, noend, strlen(noend));
	cr_expect_eq(trace_load(tmp_path, &t, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: incomplete: no 'end' line after 2 "
		 "events (--salvage replays them)", tmp_path);
	cr_expect_str_eq(err, want);
	trace_free(&t);

	cr_expect_eq(trace_load_flags(tmp_path, TRACE_SALVAGE, &t, err,
				      sizeof(err)), 0);
	cr_expect(t.incomplete);
	cr_expect_eq(t.nr_ev, 2);
	trace_free(&t);

	/* Hand-written v1 may omit "end"; a line cut short may not. */
	write_file(tmp_path, noend + 24, strlen(noend + 24));
	cr_expect_eq(trace_load(tmp_path, &t, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(t.nr_ev, 2);
	trace_free(&t);
	write_file(tmp_path, cut, strlen(cut));
	cr_expect_eq(trace_load(tmp_path, &t, err, sizeof(err)), -1);
	trace_free(&t);

	/* a count that does not match: lines were lost */
	write_file(tmp_path, "1 exit\nend 2\n", 13);
	cr_expect_eq(trace_load(tmp_path, &t, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: end line says 2 events, the "
		 "trace has 1: events lost", tmp_path);
	cr_expect_str_eq(err, want);
	trace_free(&t);

	/* not text at all: refused at the first NUL, never buffered */
	cr_expect_eq(trace_load("/dev/zero", &t, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "/dev/zero:1: NUL byte in line");
	trace_free(&t);
}

Test(binary_v2, control_bytes_escaped_in_errors)
{
	struct trace t;
	char err[600];

	cr_expect_eq(parse_str("1 mm\033[2Jap 0x0\nend 1\n", &t, err,
			       sizeof(err)), -1);
	cr_expect_str_eq(err, "t.trace:1: unknown event 'mm\\x1b[2Jap'");
	trace_free(&t);
}

/* A fault is at most 16 bytes before compression. */
Test(binary_v2, fault_events_small)
{
	struct trace t;
	struct trace_event *ev;
	size_t len, i, raw = 0, off;
	unsigned char *bin;
	uint64_t time = 1000000000;

	trace_init(&t);
	for (i = 0; i < 20000; i++) {
		ev = trace_append(&t);
		ev->type = EV_FAULT;
		ev->pid = 1000 + (i / 7) % 5;
		/* scattered over a 1 GiB heap, a few µs apart */
		ev->addr = 0x7f0000000000ull +
			   ((i * 2654435761u) % (1u << 18)) * 4096;
		ev->write = i & 1;
		time += 1000 + i % 5000;
		ev->time_ns = time;
	}
	bin = (unsigned char *)write_binary(&t, &len);
	for (off = TRACE_V2_HDR_SIZE; off < len;
	     off += TRACE_V2_BLOCK_HDR + le32(bin + off + 4))
		raw += le32(bin + off + 8);
	cr_expect_leq(raw / t.nr_ev, 16, "%zu bytes per fault", raw / t.nr_ev);
	cr_log_info("fault events: %.1f bytes raw, %.1f stored\n",
		    (double)raw / t.nr_ev, (double)len / t.nr_ev);
	trace_free(&t);
	free(bin);
}

/* The cursor gives the events of the whole load, block by block. */
Test(binary_v2, cursor_windows, .init = setup, .fini = teardown)
{
	struct trace_reader *r;
	const struct trace *w;
	struct trace t;
	size_t len, seen = 0, i;
	char err[600], what[256];
	char *bin = build(blocks, &t, &len);
	int windows = 0, ret;

	write_file(tmp_path, bin, len);
	cr_assert_eq(trace_reader_open(tmp_path, 0, &r, err, sizeof(err)), 0,
		     "%s", err);
	w = trace_reader_window(r);
	while ((ret = trace_reader_next(r, err, sizeof(err))) > 0) {
		cr_assert_eq(trace_reader_base(r), seen);
		for (i = 0; i < w->nr_ev; i++) {
			struct trace one = *w, whole = t;

			one.ev = (struct trace_event *)&w->ev[i];
			one.nr_ev = 1;
			whole.ev = &t.ev[seen + i];
			whole.nr_ev = 1;
			if (w->ev[i].type == EV_CHECKPOINT) {
				cr_assert_eq(trace_compare(&whole, &one, what,
						   sizeof(what)), 0, "%s",
					     what);
			} else {
				cr_assert_eq(trace_compare(&whole, &one, what,
						   sizeof(what)), 0,
					     "event %zu: %s", seen + i, what);
			}
		}
		seen += w->nr_ev;
		windows++;
	}
	cr_expect_eq(ret, 0, "%s", err);
	cr_expect_eq(seen, t.nr_ev);
	cr_expect_eq(windows, 5);
	cr_expect_null(trace_reader_incomplete(r));
	trace_reader_close(r);
	trace_free(&t);
	free(bin);
}

/* A text trace of one mmap and @nr write faults, in one block. */
static char *many_faults(size_t nr)
{
	size_t cap = 256 + nr * 40, n, i;
	char *text = malloc(cap);

	cr_assert_not_null(text);
	n = snprintf(text, cap, "# rmaplab text trace v1   arch=x86_64 "
		     "page_size=4096 recorder=test\n"
		     "1 mmap 0x0 0x%zx rw- private,anon -> 0x7f0000000000\n",
		     nr * 4096);
	for (i = 0; i < nr; i++)
		n += snprintf(text + n, cap - n, "1 fault 0x%zx w\n",
			      (size_t)0x7f0000000000 + i * 4096);
	snprintf(text + n, cap - n, "end %zu\n", nr + 1);
	return text;
}

/*
 * Serve @path through the cursor, each window checked against @t's events
 * (unless @t is NULL): events seen, -1 or 0 as it ended.
 */
static int stream(const char *path, unsigned int flags, const struct trace *t,
		  size_t *seen, int *windows, char *err, size_t errlen)
{
	struct trace_reader *r;
	const struct trace *w;
	char what[256];
	int ret;

	*seen = 0;
	*windows = 0;
	if (trace_reader_open(path, flags, &r, err, errlen))
		return -1;
	w = trace_reader_window(r);
	while ((ret = trace_reader_next(r, err, errlen)) > 0) {
		cr_assert_eq(trace_reader_base(r), *seen);
		if (t) {
			struct trace part = *t;

			cr_assert_leq(*seen + w->nr_ev, t->nr_ev);
			part.ev = &t->ev[*seen];
			part.nr_ev = w->nr_ev;
			cr_assert_eq(trace_compare(&part, w, what,
						   sizeof(what)), 0,
				     "window %d: %s", *windows, what);
		}
		*seen += w->nr_ev;
		(*windows)++;
	}
	if (!ret && trace_reader_incomplete(r))
		snprintf(err, errlen, "%s", trace_reader_incomplete(r));
	trace_reader_close(r);
	return ret;
}

/*
 * The cursor serves a block of a thousand events in parts (so that they
 * are still cached when replayed), in order and whole; a file cut after
 * the block still yields all of it, one cut inside it none.
 */
Test(binary_v2, cursor_splits_blocks, .init = setup, .fini = teardown)
{
	char *text = many_faults(1000), err[600];
	size_t len, ends[4], evs[4], seen;
	struct trace t;
	unsigned char *bin = (unsigned char *)build(text, &t, &len);
	int windows;

	cr_assert_eq(block_map(bin, len, ends, evs, 4), 2,
		     "one data block and the end block");
	write_file(tmp_path, bin, len);
	cr_assert_eq(stream(tmp_path, 0, &t, &seen, &windows, err,
			    sizeof(err)), 0, "%s", err);
	cr_expect_eq(seen, t.nr_ev);
	cr_expect_gt(windows, 1, "the block was served whole");

	write_file(tmp_path, bin, len - 1);
	cr_expect_eq(stream(tmp_path, 0, &t, &seen, &windows, err,
			    sizeof(err)), -1, "a cut file passed for whole");
	cr_assert_eq(stream(tmp_path, TRACE_SALVAGE, &t, &seen, &windows, err,
			    sizeof(err)), 0, "%s", err);
	cr_expect_eq(seen, t.nr_ev);
	cr_expect(strstr(err, "incomplete") != NULL, "%s", err);

	write_file(tmp_path, bin, ends[0] - 1);
	cr_assert_eq(stream(tmp_path, TRACE_SALVAGE, &t, &seen, &windows, err,
			    sizeof(err)), 0, "%s", err);
	cr_expect_eq(seen, 0, "%zu events of a cut block served", seen);
	cr_expect(strstr(err, "incomplete") != NULL, "%s", err);
	trace_free(&t);
	free(bin);
	free(text);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/*
 * A record that breaks the format in a block whose checksums hold is a
 * writer's bug, not damage: an error, with --salvage too, naming the
 * event, although the cursor has served the events before it.
 */
Test(binary_v2, bad_record_never_salvaged, .init = setup, .fini = teardown)
{
	char *text = many_faults(300), err[600], want[64];
	unsigned char *bin, *file, *p, *payload;
	size_t len, hs, raw, seen, i;
	struct trace t, back;
	int windows;

	bin = (unsigned char *)build(text, &t, &len);
	hs = le32(bin + 12);
	file = malloc(hs + 2 * TRACE_V2_BLOCK_HDR + 301 * 8);
	cr_assert_not_null(file);
	memcpy(file, bin, hs);
	/* an uncompressed block: 300 faults (tag, mask, bits, address) */
	payload = p = file + hs + TRACE_V2_BLOCK_HDR;
	for (i = 0; i < 300; i++) {
		*p++ = EV_FAULT + 1;
		*p++ = 1 << 0 | 1 << 2;			/* FB_ADDR, FB_BITS */
		p += i ? 2 : 0;
		if (!i) {				/* + FB_PID */
			payload[1] |= 1 << 3;
			p = varint_put(p, zigzag(0x7f0000000000));
			*p++ = 1;			/* write */
			*p++ = 2;			/* pid 1 */
			continue;
		}
		p[-2] = 0x80;				/* zigzag(4096) */
		p[-1] = 0x40;
		*p++ = 1;
	}
	*p++ = EV_NR + 1;				/* no such type */
	*p++ = 0;
	raw = p - payload;
	p = file + hs;
	memset(p, 0, TRACE_V2_BLOCK_HDR);
	p[0] = 1;					/* BLK_DATA, raw */
	put32(p + 4, raw);
	put32(p + 8, raw);
	put32(p + 12, 301);
	put32(p + 16, trace_crc32(payload, raw));
	put32(p + 20, trace_crc32(p, 20));
	write_file(tmp_path, file, hs + TRACE_V2_BLOCK_HDR + raw);
	snprintf(want, sizeof(want), "event 301: unknown event type");

	cr_expect_eq(trace_load_flags(tmp_path, TRACE_SALVAGE, &back, err,
				      sizeof(err)), -1, "salvaged");
	cr_expect(strstr(err, want) != NULL, "%s", err);
	cr_expect_eq(stream(tmp_path, TRACE_SALVAGE, NULL, &seen, &windows,
			    err, sizeof(err)), -1, "salvaged");
	cr_expect(strstr(err, want) != NULL, "%s", err);
	cr_expect_leq(seen, 300);
	trace_free(&t);
	free(file);
	free(bin);
	free(text);
}

static void fixture(char *buf, size_t len, const char *name)
{
	const char *src = getenv("RMAPLAB_SRCDIR");

	snprintf(buf, len, "%s/tests/data/v1/%s", src ? src : ".", name);
}

/* v1 files read as before; v1 -> v2 -> text -> trace changes nothing. */
Test(binary_v2, v1_fixtures_round_trip)
{
	static const char *const names[] = { "random-1001.rmt",
					     "redis-head.rmt" };
	struct trace v1, v2, txt;
	char path[512], err[600], what[256];
	char *bin, *text;
	size_t len, i;
	FILE *m;

	for (i = 0; i < 2; i++) {
		fixture(path, sizeof(path), names[i]);
		cr_assert_eq(trace_load(path, &v1, err, sizeof(err)), 0, "%s",
			     err);
		cr_assert_gt(v1.nr_ev, 0);
		bin = write_binary(&v1, &len);
		cr_assert_eq(trace_parse_binary(bin, len, "x.rmt", &v2, err,
						sizeof(err)), 0, "%s", err);
		cr_expect_eq(trace_compare(&v1, &v2, what, sizeof(what)), 0,
			     "%s: v2: %s", names[i], what);
		text = write_text(&v2, &len);
		m = fmemopen(text, len, "r");
		cr_assert_eq(trace_parse_text(m, "x.trace", &txt, err,
					      sizeof(err)), 0, "%s", err);
		fclose(m);
		cr_expect(!txt.incomplete);
		cr_expect_eq(trace_compare(&v1, &txt, what, sizeof(what)), 0,
			     "%s: text: %s", names[i], what);
		trace_free(&v1);
		trace_free(&v2);
		trace_free(&txt);
		free(bin);
		free(text);
	}
}

Test(binary_v2, data_after_end_refused)
{
	struct trace t, back;
	size_t len;
	char err[600];
	char *bin = build(blocks, &t, &len), *more = malloc(len + 1);

	memcpy(more, bin, len);
	more[len] = 0;
	cr_expect_eq(trace_parse_binary(more, len + 1, "x.rmt", &back, err,
					sizeof(err)), -1);
	cr_expect(strstr(err, "data after the end block"), "%s", err);
	trace_free(&back);
	trace_free(&t);
	free(bin);
	free(more);
}

/*
 * Swap entries in a checkpoint (kernel-run with swap): their kind rides
 * in bit 1 of the pfns flag, so checkpoints without them keep the
 * encoding files written before have; a page both anon and swap is
 * refused.
 */
Test(binary_v2, swap_entries_in_checkpoints)
{
	static const char swap[] =
		"# rmaplab text trace v1 arch=x86_64 page_size=4096\n"
		"1 mmap 0x100000000 0x3000 rw- private,anon,fixed "
		"-> 0x100000000\n"
		"1 fault 0x100000000 w\n"
		"1 reclaim 0x100000000 0x1000\n"
		"0 checkpoint end\n"
		"  proc 1\n"
		"    vma 100000000-100003000 rw-p 00000000\n"
		"    page 0x100000000 swap off=0x7\n"
		"    page 0x100001000 anon pfn=0x1234 kflags=0x1000\n"
		"    page 0x100002000 swap off=0x3\n"
		"end\n";
	struct trace t, back, plain;
	char err[600] = "", what[256] = "";
	size_t len, plain_len;
	char *bin, *plain_bin;
	struct cp_page *pg;

	bin = build(swap, &t, &len);
	cr_assert_eq(trace_parse_binary(bin, len, "x.rmt", &back, err,
					sizeof(err)), 0, "%s", err);
	cr_expect_eq(trace_compare(&t, &back, what, sizeof(what)), 0, "%s",
		     what);
	pg = back.cps[0].procs[0].pages;
	cr_expect(pg[0].swap && !pg[0].anon && pg[0].pfn == 7);
	cr_expect(!pg[1].swap && pg[1].anon && pg[1].pfn == 0x1234);
	cr_expect(pg[2].swap && !pg[2].anon && pg[2].pfn == 3);
	trace_free(&back);
	free(bin);

	/* without swap entries: one bit less per page, as before */
	parse_str(swap, &plain, err, sizeof(err));
	pg = plain.cps[0].procs[0].pages;
	pg[0].swap = pg[2].swap = false;
	plain_bin = write_binary(&plain, &plain_len);
	cr_assert_eq(trace_parse_binary(plain_bin, plain_len, "x.rmt", &back,
					err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(trace_compare(&plain, &back, what, sizeof(what)), 0,
		     "%s", what);
	cr_expect(!back.cps[0].procs[0].pages[0].swap);
	trace_free(&back);
	trace_free(&plain);
	free(plain_bin);

	/* a page that is both */
	t.cps[0].procs[0].pages[0].anon = true;
	bin = write_binary(&t, &len);
	cr_expect_eq(trace_parse_binary(bin, len, "x.rmt", &back, err,
					sizeof(err)), -1);
	cr_expect(strstr(err, "bad page kind"), "%s", err);
	trace_free(&back);
	trace_free(&t);
	free(bin);
}
