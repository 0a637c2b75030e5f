// SPDX-License-Identifier: GPL-2.0-only
/*
 * The binary trace format, version 1 (traces/FORMAT.md): a fixed header,
 * then records of an 8-byte header (type, payload length) and a payload,
 * all little-endian, ending with an END record holding the counts and a
 * CRC-32 of everything before it.  The reader trusts nothing: every
 * length is checked against the bytes that remain before it is used, so
 * a damaged file gives one error line, never a crash or a huge allocation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/binary_v2.h"
#include "traces/internal.h"
#include "traces/trace.h"

#define BIN_VERSION 1
#define HDR_SIZE 200
#define REC_HDR_SIZE 8
#define EV_SIZE 96
#define CP_HDR_SIZE 40
#define CP_PROC_SIZE 16
#define CP_VMA_SIZE 32		/* fixed part; the name follows */
#define CP_PAGE_SIZE 32
#define END_SIZE 32

enum rec_type {
	REC_FILE = 1,
	REC_EVENT = 2,
	REC_END = 3,
};

static const unsigned char magic[8] = {
	0x89, 'R', 'M', 'T', '\r', '\n', 0x1a, '\n',
};

/* Header layout: offsets of the fields after the magic. */
#define H_VERSION 8
#define H_SIZE 12
#define H_PAGE_SIZE 16
#define H_RESERVED 20
#define H_ARCH 24
#define H_KERNEL 40
#define H_THP 104
#define H_RECORDER 120
#define H_CLOCK 184

/* ---- writer ---- */

struct wbuf {
	unsigned char *p;
	size_t len, cap;
};

static unsigned char *wb_reserve(struct wbuf *b, size_t n)
{
	unsigned char *q;

	while (b->len + n > b->cap) {
		b->cap = b->cap ? b->cap * 2 : 4096;
		b->p = trace_xrealloc(b->p, b->cap, 1);
	}
	q = b->p + b->len;
	memset(q, 0, n);
	b->len += n;
	return q;
}

static void put_le(unsigned char *q, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		q[i] = v >> (8 * i);
}

static void wb_u8(struct wbuf *b, uint8_t v)
{
	put_le(wb_reserve(b, 1), v, 1);
}

static void wb_u32(struct wbuf *b, uint32_t v)
{
	put_le(wb_reserve(b, 4), v, 4);
}

static void wb_u64(struct wbuf *b, uint64_t v)
{
	put_le(wb_reserve(b, 8), v, 8);
}

static void wb_bytes(struct wbuf *b, const void *s, size_t n)
{
	memcpy(wb_reserve(b, n), s, n);
}

/* Fixed-size string field: NUL-padded, blanks and control bytes '_'. */
static void wb_str(struct wbuf *b, const char *s, size_t field)
{
	unsigned char *q = wb_reserve(b, field);
	size_t i;

	for (i = 0; i + 1 < field && s[i]; i++)
		q[i] = (unsigned char)s[i] <= 0x20 || s[i] == 0x7f ?
		       '_' : s[i];
}

/* Start a record; returns the offset of its length word. */
static size_t wb_rec(struct wbuf *b, uint32_t type)
{
	wb_u32(b, type);
	wb_u32(b, 0);
	return b->len - 4;
}

static void wb_rec_end(struct wbuf *b, size_t len_off)
{
	put_le(b->p + len_off, b->len - len_off - 4, 4);
}

static void write_event(struct wbuf *b, const struct trace_event *in)
{
	struct trace_event ev;

	trace_event_normalize(&ev, in);
	wb_u8(b, ev.type);
	wb_u8(b, ev.write);
	wb_u8(b, ev.order);
	wb_u8(b, ev.has_result);
	wb_u32(b, ev.prot);
	wb_u32(b, ev.flags);
	wb_u32(b, (uint32_t)ev.advice);
	wb_u32(b, ev.file);
	wb_u32(b, 0);
	wb_u64(b, ev.pid);
	wb_u64(b, ev.child);
	wb_u64(b, ev.addr);
	wb_u64(b, ev.len);
	wb_u64(b, ev.new_len);
	wb_u64(b, ev.new_addr);
	wb_u64(b, ev.pgoff);
	wb_u64(b, ev.result);
	wb_u64(b, ev.time_ns);
}

static void write_checkpoint(struct wbuf *b, const struct trace_checkpoint *cp)
{
	size_t i, j, n;

	wb_str(b, cp->reason, 16);
	wb_u64(b, cp->anon_vma);
	wb_u64(b, cp->anon_vma_chain);
	wb_u32(b, cp->has_pfns);
	wb_u32(b, cp->nr_procs);
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];

		wb_u64(b, p->pid);
		wb_u32(b, p->nr_vmas);
		wb_u32(b, p->nr_pages);
		for (j = 0; j < p->nr_vmas; j++) {
			const struct cp_vma *v = &p->vmas[j];

			n = strnlen(v->name, sizeof(v->name) - 1);
			wb_u64(b, v->start);
			wb_u64(b, v->end);
			wb_u64(b, v->offset);
			wb_bytes(b, v->perms, 4);
			wb_u32(b, n);
			wb_bytes(b, v->name, n);
		}
		for (j = 0; j < p->nr_pages; j++) {
			const struct cp_page *pg = &p->pages[j];

			wb_u64(b, pg->addr);
			wb_u64(b, pg->pfn);
			/* a swap entry's flags field holds its swap type */
			wb_u64(b, pg->swap ? pg->swap_type : pg->kflags);
			wb_u32(b, pg->swap ? 0 : pg->count);
			wb_u32(b, pg->swap ? 2 : pg->anon);
		}
	}
}

int trace_write_binary_v1(FILE *f, const struct trace *t)
{
	const struct trace_header *h = &t->hdr;
	struct wbuf b = { 0 };
	size_t i, rec, nr_cps = 0;
	int ret = 0;

	for (i = 0; i < t->nr_ev; i++) {
		if (t->ev[i].type == EV_CHECKPOINT && t->ev[i].cp >= t->nr_cps)
			return -1;
		if (t->ev[i].file != TRACE_NO_FILE &&
		    t->ev[i].file >= t->nr_files)
			return -1;
	}

	trace_bin_header_encode(wb_reserve(&b, HDR_SIZE), h, BIN_VERSION,
				HDR_SIZE);

	for (i = 0; i < t->nr_files; i++) {
		size_t n = strlen(t->files[i]);

		rec = wb_rec(&b, REC_FILE);
		wb_u32(&b, i);
		wb_bytes(&b, t->files[i], n);
		wb_rec_end(&b, rec);
	}
	for (i = 0; i < t->nr_ev; i++) {
		rec = wb_rec(&b, REC_EVENT);
		write_event(&b, &t->ev[i]);
		if (t->ev[i].type == EV_CHECKPOINT) {
			write_checkpoint(&b, &t->cps[t->ev[i].cp]);
			nr_cps++;
		}
		wb_rec_end(&b, rec);
	}
	rec = wb_rec(&b, REC_END);
	wb_u64(&b, t->nr_ev);
	wb_u64(&b, nr_cps);
	wb_u64(&b, t->nr_files);
	wb_u32(&b, trace_crc32(b.p, rec - 4));
	wb_u32(&b, 0);
	wb_rec_end(&b, rec);

	if (fwrite(b.p, 1, b.len, f) != b.len || fflush(f))
		ret = -1;
	free(b.p);
	return ret;
}

/* ---- reader ---- */

struct rbuf {
	const unsigned char *p;
	size_t len, off;
};

static uint64_t get_le(const unsigned char *q, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | q[i];
	return v;
}

/* Callers check rb_left() first; these never read past the end. */
static size_t rb_left(const struct rbuf *r)
{
	return r->len - r->off;
}

static uint64_t rb_get(struct rbuf *r, int bytes)
{
	uint64_t v;

	if (rb_left(r) < (size_t)bytes) {
		r->off = r->len;
		return 0;
	}
	v = get_le(r->p + r->off, bytes);
	r->off += bytes;
	return v;
}

struct breader {
	const char *name;
	char *err;
	size_t errlen;
	struct trace *t;
	size_t nr_ev;		/* events read so far */
};

static int berr(struct breader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int berr(struct breader *r, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return trace_errf(r->err, r->errlen, "%s: %s", r->name, what);
}

/* Error in the record that would be event nr_ev + 1. */
#define everr(r, fmt, ...) \
	berr(r, "event %zu: " fmt, (r)->nr_ev + 1, ##__VA_ARGS__)

/* A NUL-terminated, printable string in a fixed field. */
static int get_str(const unsigned char *q, size_t field, char *out)
{
	size_t n = strnlen((const char *)q, field);
	size_t i;

	if (n == field)
		return -1;
	for (i = n; i < field; i++)
		if (q[i])
			return -1;
	for (i = 0; i < n; i++)
		if (q[i] < 0x20 || q[i] == 0x7f)
			return -1;
	memcpy(out, q, n + 1);
	return 0;
}

void trace_bin_header_encode(unsigned char *p, const struct trace_header *h,
			     uint32_t version, uint32_t size)
{
	static const struct {
		size_t off, len;
	} str[] = {
		{ H_ARCH, 16 }, { H_KERNEL, 64 }, { H_THP, 16 },
		{ H_RECORDER, 64 }, { H_CLOCK, 16 },
	};
	const char *v[] = { h->arch, h->kernel, h->thp, h->recorder,
			    h->clock };
	size_t i, j;

	memset(p, 0, HDR_SIZE);
	memcpy(p, magic, sizeof(magic));
	put_le(p + H_VERSION, version, 4);
	put_le(p + H_SIZE, size, 4);
	put_le(p + H_PAGE_SIZE, h->page_size, 4);
	/* NUL-padded; blanks and control bytes become '_' */
	for (i = 0; i < 5; i++)
		for (j = 0; j + 1 < str[i].len && v[i][j]; j++)
			p[str[i].off + j] =
				(unsigned char)v[i][j] <= 0x20 ||
				v[i][j] == 0x7f ? '_' : v[i][j];
}

size_t trace_v2_header_size(const struct trace_header *h)
{
	return h->nr_slab ? TRACE_V2_SLAB_HDR(h->nr_slab) : TRACE_V2_HDR_SIZE;
}

void trace_v2_header_encode(unsigned char *p, const struct trace_header *h)
{
	size_t size = trace_v2_header_size(h), off;
	uint32_t i;

	trace_bin_header_encode(p, h, 2, size);
	put_le(p + HDR_SIZE, trace_crc32(p, HDR_SIZE), 4);
	if (!h->nr_slab)
		return;
	off = TRACE_V2_HDR_SIZE;
	memset(p + off, 0, size - off);
	put_le(p + off, h->nr_slab, 4);
	for (i = 0; i < h->nr_slab; i++) {
		unsigned char *e = p + off + 4 + TRACE_V2_SLAB_ENTRY * i;

		memcpy(e, h->slab[i].name, strnlen(h->slab[i].name,
						   TRACE_SLAB_NAME - 1));
		put_le(e + TRACE_SLAB_NAME, h->slab[i].size, 4);
	}
	put_le(p + size - 4, trace_crc32(p + off, size - 4 - off), 4);
}

/* A v2 header's slab sizes (header size @hs > 204), into @h. */
static int slab_decode(const unsigned char *p, uint32_t hs, const char *name,
		       struct trace_header *h, char *err, size_t errlen)
{
	const unsigned char *q = p + TRACE_V2_HDR_SIZE;
	uint32_t n = get_le(q, 4), i, size;
	char cache[TRACE_SLAB_NAME];

	if (!n || n > TRACE_MAX_SLAB || hs != TRACE_V2_SLAB_HDR(n))
		return trace_errf(err, errlen, "%s: bad header size %" PRIu32
				  " for %" PRIu32 " slab caches", name, hs, n);
	if (get_le(p + hs - 4, 4) != trace_crc32(q, hs - 4 -
						 TRACE_V2_HDR_SIZE))
		return trace_errf(err, errlen, "%s: header checksum "
				  "mismatch: file damaged", name);
	for (i = 0; i < n; i++) {
		const unsigned char *e = q + 4 + TRACE_V2_SLAB_ENTRY * i;

		size = get_le(e + TRACE_SLAB_NAME, 4);
		if (get_str(e, TRACE_SLAB_NAME, cache) ||
		    !trace_slab_name_ok(cache) || trace_slab_size(h, cache) ||
		    trace_slab_set(h, cache, size))
			return trace_errf(err, errlen, "%s: bad slab cache "
					  "%" PRIu32 " in header", name, i + 1);
	}
	return 0;
}

int trace_bin_header_decode(const unsigned char *p, size_t size,
			    const char *name, struct trace_header *h,
			    char *err, size_t errlen)
{
	uint32_t v, hs, ps;

	if (size < sizeof(magic)) {
		if (!memcmp(p, magic, size))
			return trace_errf(err, errlen, "%s: truncated header "
					  "(%zu bytes)", name, size);
		return trace_errf(err, errlen, "%s: not an rmaplab trace "
				  "(bad magic)", name);
	}
	if (memcmp(p, magic, sizeof(magic)))
		return trace_errf(err, errlen, "%s: not an rmaplab trace "
				  "(bad magic)", name);
	if (size < H_SIZE + 4)
		return trace_errf(err, errlen, "%s: truncated header (%zu "
				  "bytes)", name, size);
	v = get_le(p + H_VERSION, 4);
	if (v != 1 && v != 2)
		return trace_errf(err, errlen, "%s: unsupported binary trace "
				  "version %" PRIu32 " (this reader knows 1 "
				  "and 2)", name, v);
	hs = get_le(p + H_SIZE, 4);
	if (hs != (v == 1 ? HDR_SIZE : TRACE_V2_HDR_SIZE) &&
	    (v == 1 || hs < TRACE_V2_SLAB_HDR(1) || hs > TRACE_V2_HDR_MAX))
		return trace_errf(err, errlen, "%s: bad header size %" PRIu32,
				  name, hs);
	if (size < hs)
		return trace_errf(err, errlen, "%s: truncated header (%zu "
				  "bytes)", name, size);
	if (v == 2 && get_le(p + HDR_SIZE, 4) != trace_crc32(p, HDR_SIZE))
		return trace_errf(err, errlen, "%s: header checksum "
				  "mismatch: file damaged", name);
	ps = get_le(p + H_PAGE_SIZE, 4);
	if (ps < 1024 || ps > (1u << 30) || (ps & (ps - 1)))
		return trace_errf(err, errlen, "%s: bad page size %" PRIu32,
				  name, ps);
	if (get_le(p + H_RESERVED, 4))
		return trace_errf(err, errlen, "%s: reserved header field "
				  "not zero", name);
	h->version = 1;
	h->page_size = ps;
	if (get_str(p + H_ARCH, 16, h->arch) ||
	    get_str(p + H_KERNEL, 64, h->kernel) ||
	    get_str(p + H_THP, 16, h->thp) ||
	    get_str(p + H_RECORDER, 64, h->recorder) ||
	    get_str(p + H_CLOCK, 16, h->clock) ||
	    !trace_hdr_str_ok(h->arch) || !trace_hdr_str_ok(h->kernel) ||
	    !trace_hdr_str_ok(h->thp) || !trace_hdr_str_ok(h->recorder) ||
	    !trace_hdr_str_ok(h->clock))
		return trace_errf(err, errlen, "%s: bad string in header",
				  name);
	h->nr_slab = 0;
	if (hs > TRACE_V2_HDR_SIZE &&
	    slab_decode(p, hs, name, h, err, errlen))
		return -1;
	return v;
}

static int read_file_rec(struct breader *r, struct rbuf *rec)
{
	uint32_t id;
	char *name;
	size_t n;

	if (rb_left(rec) < 4)
		return everr(r, "file record too short");
	id = rb_get(rec, 4);
	if (id != r->t->nr_files)
		return everr(r, "file record %" PRIu32 " out of order "
			     "(expected %zu)", id, r->t->nr_files);
	n = rb_left(rec);
	if (!n || n > TRACE_MAX_FILE_NAME)
		return everr(r, "file name length %zu out of range", n);
	name = trace_xcalloc(n + 1, 1);
	memcpy(name, rec->p + rec->off, n);
	if (strlen(name) != n || !trace_file_name_ok(name)) {
		free(name);
		return everr(r, "bad file name in files table");
	}
	if (trace_file_id(r->t, name) != id) {
		free(name);
		return everr(r, "file '%.64s' listed twice", rec->p + rec->off);
	}
	free(name);
	return 0;
}

static int read_cp_body(struct breader *r, struct rbuf *rec,
			struct trace_checkpoint *cp)
{
	uint32_t nr_procs, nr_vmas, nr_pages, has_pfns, i, j;
	char reason[16];
	int64_t pid;

	if (rb_left(rec) < CP_HDR_SIZE)
		return everr(r, "checkpoint record too short");
	if (get_str(rec->p + rec->off, 16, reason) ||
	    !trace_reason_ok(reason))
		return everr(r, "bad checkpoint reason");
	rec->off += 16;
	strcpy(cp->reason, reason);
	cp->anon_vma = rb_get(rec, 8);
	cp->anon_vma_chain = rb_get(rec, 8);
	if (cp->anon_vma < -1 || cp->anon_vma_chain < -1)
		return everr(r, "bad checkpoint object count");
	has_pfns = rb_get(rec, 4);
	if (has_pfns > 1)
		return everr(r, "bad checkpoint pfns flag %" PRIu32, has_pfns);
	cp->has_pfns = has_pfns;
	nr_procs = rb_get(rec, 4);
	if (nr_procs > rb_left(rec) / CP_PROC_SIZE)
		return everr(r, "checkpoint process count %" PRIu32
			     " exceeds record", nr_procs);
	for (i = 0; i < nr_procs; i++) {
		struct cp_proc *p;

		if (rb_left(rec) < CP_PROC_SIZE)
			return everr(r, "checkpoint record too short");
		pid = rb_get(rec, 8);
		nr_vmas = rb_get(rec, 4);
		nr_pages = rb_get(rec, 4);
		if (nr_vmas > rb_left(rec) / CP_VMA_SIZE ||
		    nr_pages > rb_left(rec) / CP_PAGE_SIZE)
			return everr(r, "checkpoint process %" PRId64
				     ": counts exceed record", pid);
		p = checkpoint_add_proc(cp, pid);
		for (j = 0; j < nr_vmas; j++) {
			struct cp_vma *v;
			uint32_t n;

			if (rb_left(rec) < CP_VMA_SIZE)
				return everr(r, "checkpoint record too short");
			v = cp_proc_add_vma(p);
			v->start = rb_get(rec, 8);
			v->end = rb_get(rec, 8);
			v->offset = rb_get(rec, 8);
			memcpy(v->perms, rec->p + rec->off, 4);
			v->perms[4] = 0;
			rec->off += 4;
			n = rb_get(rec, 4);
			if (n >= sizeof(v->name) || n > rb_left(rec))
				return everr(r, "bad vma name length %" PRIu32,
					     n);
			memcpy(v->name, rec->p + rec->off, n);
			v->name[n] = 0;
			rec->off += n;
			if (!trace_perms_ok(v->perms) || v->end <= v->start ||
			    strlen(v->name) != n ||
			    !trace_vma_name_ok(v->name))
				return everr(r, "bad vma in checkpoint");
		}
		if (nr_pages > rb_left(rec) / CP_PAGE_SIZE)
			return everr(r, "checkpoint record too short");
		for (j = 0; j < nr_pages; j++) {
			struct cp_page *pg = cp_proc_add_page(p);
			uint32_t anon;

			pg->addr = rb_get(rec, 8);
			pg->pfn = rb_get(rec, 8);
			pg->kflags = rb_get(rec, 8);
			pg->count = rb_get(rec, 4);
			anon = rb_get(rec, 4);
			if (anon > 2)
				return everr(r, "bad page kind %" PRIu32, anon);
			pg->anon = anon == 1;
			pg->swap = anon == 2;
			if (pg->swap) {
				if (pg->kflags >= CP_SWAP_TYPES || pg->count)
					return everr(r, "bad swap entry");
				pg->swap_type = (uint8_t)pg->kflags;
				pg->kflags = 0;
			}
		}
	}
	if (trace_cp_check_pids(cp, &pid))
		return everr(r, "process %" PRId64 " twice in checkpoint",
			     pid);
	if (rb_left(rec))
		return everr(r, "%zu stray bytes in checkpoint record",
			     rb_left(rec));
	return 0;
}

static int read_event_rec(struct breader *r, struct rbuf *rec)
{
	struct trace *t = r->t;
	struct trace_event *ev;
	struct trace_checkpoint *cp;
	char what[128];
	uint8_t type;

	if (rb_left(rec) < EV_SIZE)
		return everr(r, "event record too short (%zu bytes)",
			     rb_left(rec));
	type = rec->p[rec->off];
	if (type >= EV_NR)
		return everr(r, "unknown event type %u", type);
	if (type != EV_CHECKPOINT && rb_left(rec) != EV_SIZE)
		return everr(r, "%s record has %zu bytes, expected %d",
			     trace_ev_name(type), rb_left(rec), EV_SIZE);
	if (type == EV_CHECKPOINT) {
		cp = trace_new_checkpoint(t, 0, "end");
		ev = &t->ev[t->nr_ev - 1];
	} else {
		cp = NULL;
		ev = trace_append(t);
	}
	ev->type = rb_get(rec, 1);
	ev->write = rb_get(rec, 1);
	ev->order = rb_get(rec, 1);
	ev->has_result = rb_get(rec, 1);
	ev->prot = rb_get(rec, 4);
	ev->flags = rb_get(rec, 4);
	ev->advice = (int32_t)rb_get(rec, 4);
	ev->file = rb_get(rec, 4);
	if (rb_get(rec, 4))
		return everr(r, "reserved field not zero");
	ev->pid = rb_get(rec, 8);
	ev->child = rb_get(rec, 8);
	ev->addr = rb_get(rec, 8);
	ev->len = rb_get(rec, 8);
	ev->new_len = rb_get(rec, 8);
	ev->new_addr = rb_get(rec, 8);
	ev->pgoff = rb_get(rec, 8);
	ev->result = rb_get(rec, 8);
	ev->time_ns = rb_get(rec, 8);
	if (cp && read_cp_body(r, rec, cp))
		return -1;
	if (trace_event_check(t, ev, what, sizeof(what)))
		return everr(r, "%s", what);
	r->nr_ev++;
	return 0;
}

static int read_end_rec(struct breader *r, struct rbuf *rec,
			const unsigned char *file, size_t rec_start)
{
	uint64_t nr_ev, nr_cps, nr_files;
	uint32_t crc;

	if (rb_left(rec) != END_SIZE)
		return berr(r, "end record has %zu bytes, expected %d",
			    rb_left(rec), END_SIZE);
	nr_ev = rb_get(rec, 8);
	nr_cps = rb_get(rec, 8);
	nr_files = rb_get(rec, 8);
	crc = rb_get(rec, 4);
	if (rb_get(rec, 4))
		return berr(r, "reserved end field not zero");
	if (nr_ev != r->t->nr_ev || nr_cps != r->t->nr_cps ||
	    nr_files != r->t->nr_files)
		return berr(r, "end record counts (%" PRIu64 " events, %"
			    PRIu64 " checkpoints, %" PRIu64 " files) do not "
			    "match the file (%zu, %zu, %zu): records lost",
			    nr_ev, nr_cps, nr_files, r->t->nr_ev,
			    r->t->nr_cps, r->t->nr_files);
	if (crc != trace_crc32(file, rec_start))
		return berr(r, "checksum mismatch: file damaged");
	return 0;
}

bool trace_is_binary(const void *buf, size_t size)
{
	return size && ((const unsigned char *)buf)[0] == magic[0];
}

int trace_parse_binary(const void *buf, size_t size, const char *name,
		       struct trace *t, char *err, size_t errlen)
{
	struct breader r = {
		.name = name, .err = err, .errlen = errlen, .t = t,
	};
	struct rbuf in = { .p = buf, .len = size, .off = HDR_SIZE };
	bool ended = false;
	int ret;

	trace_init(t);
	ret = trace_bin_header_decode(buf, size, name, &t->hdr, err, errlen);
	if (ret == 2) {
		trace_free(t);
		return trace_parse_binary_v2(buf, size, name, t, err, errlen);
	}
	ret = ret < 0 ? -1 : 0;
	while (!ret && in.off < in.len) {
		size_t start = in.off;
		struct rbuf rec;
		uint32_t type, len;

		if (ended) {
			ret = berr(&r, "trailing data after the end record "
				   "(%zu bytes)", in.len - in.off);
			break;
		}
		if (rb_left(&in) < REC_HDR_SIZE) {
			ret = berr(&r, "truncated in the record after event "
				   "%zu (offset %zu)", r.nr_ev, start);
			break;
		}
		type = rb_get(&in, 4);
		len = rb_get(&in, 4);
		if (len > rb_left(&in)) {
			ret = berr(&r, "truncated in event %zu (record at "
				   "offset %zu needs %" PRIu32 " bytes, %zu "
				   "left)", r.nr_ev + 1, start, len,
				   rb_left(&in));
			break;
		}
		rec.p = in.p + in.off;
		rec.len = len;
		rec.off = 0;
		in.off += len;
		switch (type) {
		case REC_FILE:
			ret = read_file_rec(&r, &rec);
			break;
		case REC_EVENT:
			ret = read_event_rec(&r, &rec);
			break;
		case REC_END:
			ret = read_end_rec(&r, &rec, buf, start);
			ended = true;
			break;
		default:
			ret = everr(&r, "unknown record type %" PRIu32, type);
		}
	}
	if (!ret && !ended)
		ret = berr(&r, "truncated: no end record after %zu events",
			   r.nr_ev);
	if (ret) {
		trace_free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s", name);
	return 0;
}
