// SPDX-License-Identifier: GPL-2.0-only
/*
 * The binary trace format, version 2 (traces/FORMAT.md): a header, then
 * blocks, each with its own length, event count and CRC-32 (zlib's), its
 * payload zstd-compressed; an END block closes a complete trace.  Events
 * are coded field by field (a presence mask, then varints, addresses and
 * times as deltas), so a new event type needs no codec change.
 *
 * A block is decoded on its own (delta state restarts at every block):
 * the reader holds one block at a time, and a trace cut anywhere still
 * reads up to its last whole block.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "traces/binary_v2.h"
#include "traces/internal.h"
#include "traces/varint.h"

/* Raw payload a writer gathers before it ends a block. */
#define BLOCK_TARGET	(64 << 10)
/* What a reader accepts: one block bounds its memory. */
#define MAX_STORED	(256u << 20)
#define MAX_RAW		(1024u << 20)

enum block_kind {
	BLK_DATA = 1,
	BLK_END = 2,
};

enum block_codec {
	CODEC_RAW = 0,
	CODEC_ZSTD = 1,
};

/* Record tags inside a data block; an event's tag is its type + 1. */
#define TAG_FILE 0

/* Event fields, in coding order; a set bit means "value follows". */
enum {
	FB_ADDR,	/* delta from the last address */
	FB_TIME,	/* delta from the last time */
	FB_BITS,	/* write | has_result << 1 | order << 2 */
	FB_PID,		/* delta from the last pid; absent: same pid */
	FB_LEN,
	FB_RESULT,	/* zigzag */
	FB_PROT,
	FB_FLAGS,
	FB_FILE,	/* index; absent: TRACE_NO_FILE */
	FB_PGOFF,
	FB_ADVICE,	/* zigzag */
	FB_CHILD,	/* delta from pid */
	FB_NEW_LEN,
	FB_NEW_ADDR,	/* delta from addr */
	FB_CP,		/* a checkpoint body follows the fields */
	FB_NR,
};

/* What deltas are taken from; restarts at every block. */
struct delta {
	uint64_t addr, time;
	int64_t pid;
};

uint32_t trace_crc32(const void *buf, size_t n)
{
	uLong crc = crc32(0L, Z_NULL, 0);
	const unsigned char *p = buf;

	/* zlib takes a uInt length */
	while (n) {
		uInt k = n > (1u << 30) ? 1u << 30 : (uInt)n;

		crc = crc32(crc, p, k);
		p += k;
		n -= k;
	}
	return (uint32_t)crc;
}

static void put_le32(unsigned char *q, uint32_t v)
{
	q[0] = v;
	q[1] = v >> 8;
	q[2] = v >> 16;
	q[3] = v >> 24;
}

static uint32_t get_le32(const unsigned char *q)
{
	return q[0] | q[1] << 8 | q[2] << 16 | (uint32_t)q[3] << 24;
}

/* ---- writer ---- */

struct trace_writer {
	FILE *f;
	struct trace_header hdr;
	unsigned char *raw;
	size_t raw_len, raw_cap;
	unsigned char *z;
	size_t z_cap;
	ZSTD_CCtx *cctx;
	int level;
	uint32_t blk_events;
	struct delta d;
	size_t files_done;		/* t->files already written */
	uint64_t nr_ev, nr_cps, nr_blocks;
	long hdr_off;			/* -1: not seekable */
	int err;			/* errno of the first failure */
};

static unsigned char *w_reserve(struct trace_writer *w, size_t n)
{
	if (w->raw_len + n > w->raw_cap) {
		while (w->raw_len + n > w->raw_cap)
			w->raw_cap = w->raw_cap ? w->raw_cap * 2 :
				     2 * BLOCK_TARGET;
		w->raw = trace_xrealloc(w->raw, w->raw_cap, 1);
	}
	return w->raw + w->raw_len;
}

static void w_varint(struct trace_writer *w, uint64_t v)
{
	unsigned char *p = w_reserve(w, VARINT_MAX);

	w->raw_len = varint_put(p, v) - w->raw;
}

static void w_bytes(struct trace_writer *w, const void *s, size_t n)
{
	memcpy(w_reserve(w, n), s, n);
	w->raw_len += n;
}

static void w_str(struct trace_writer *w, const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	w_varint(w, n);
	w_bytes(w, s, n);
}

static int w_write(struct trace_writer *w, const void *p, size_t n)
{
	if (w->err)
		return -1;
	if (n && fwrite(p, 1, n, w->f) != n) {
		w->err = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

static int w_block(struct trace_writer *w, enum block_kind kind,
		   const unsigned char *raw, size_t raw_len, uint32_t nr_ev)
{
	unsigned char h[TRACE_V2_BLOCK_HDR];
	const unsigned char *payload = raw;
	size_t stored = raw_len, bound;
	enum block_codec codec = CODEC_RAW;

	if (kind == BLK_DATA && raw_len > 64) {
		bound = ZSTD_compressBound(raw_len);
		if (bound > w->z_cap) {
			w->z_cap = bound;
			w->z = trace_xrealloc(w->z, bound, 1);
		}
		if (!w->cctx)
			w->cctx = ZSTD_createCCtx();
		if (w->cctx) {
			size_t n = ZSTD_compressCCtx(w->cctx, w->z, w->z_cap,
						     raw, raw_len, w->level);

			if (!ZSTD_isError(n) && n < raw_len) {
				payload = w->z;
				stored = n;
				codec = CODEC_ZSTD;
			}
		}
	}
	memset(h, 0, sizeof(h));
	h[0] = kind;
	h[1] = codec;
	put_le32(h + 4, stored);
	put_le32(h + 8, raw_len);
	put_le32(h + 12, nr_ev);
	put_le32(h + 16, trace_crc32(payload, stored));
	put_le32(h + 20, trace_crc32(h, 20));
	if (w_write(w, h, sizeof(h)) || w_write(w, payload, stored))
		return -1;
	/* a block is whole on disk before the next one starts */
	if (fflush(w->f)) {
		w->err = errno ? errno : EIO;
		return -1;
	}
	w->nr_blocks++;
	return 0;
}

int trace_writer_flush(struct trace_writer *w)
{
	int ret = 0;

	if (w->raw_len)
		ret = w_block(w, BLK_DATA, w->raw, w->raw_len, w->blk_events);
	w->raw_len = 0;
	w->blk_events = 0;
	memset(&w->d, 0, sizeof(w->d));
	return ret || w->err ? -1 : 0;
}

static int w_header(struct trace_writer *w)
{
	unsigned char h[TRACE_V2_HDR_MAX];

	trace_v2_header_encode(h, &w->hdr);
	return w_write(w, h, trace_v2_header_size(&w->hdr));
}

struct trace_writer *trace_writer_open(FILE *f, const struct trace_header *h)
{
	struct trace_writer *w = trace_xcalloc(1, sizeof(*w));

	w->f = f;
	w->hdr = *h;
	w->level = 3;
	errno = 0;
	w->hdr_off = ftell(f);
	if (w->hdr_off < 0)
		w->hdr_off = -1;
	w_header(w);
	if (!w->err && fflush(f))
		w->err = errno ? errno : EIO;
	return w;
}

void trace_writer_set_level(struct trace_writer *w, int level)
{
	w->level = level;
}

static void w_files(struct trace_writer *w, const struct trace *t,
		    size_t upto)
{
	for (; w->files_done < upto && w->files_done < t->nr_files;
	     w->files_done++) {
		w_varint(w, TAG_FILE);
		w_varint(w, w->files_done);
		w_str(w, t->files[w->files_done], SIZE_MAX);
	}
}

/* Any swap entry among the checkpoint's pages (kernel-run with swap)? */
static bool cp_has_swap(const struct trace_checkpoint *cp)
{
	size_t i, j;

	for (i = 0; i < cp->nr_procs; i++)
		for (j = 0; j < cp->procs[i].nr_pages; j++)
			if (cp->procs[i].pages[j].swap)
				return true;
	return false;
}

static void w_checkpoint(struct trace_writer *w,
			 const struct trace_checkpoint *cp)
{
	bool kinds = cp_has_swap(cp);
	size_t i, j;

	w_str(w, cp->reason, sizeof(cp->reason));
	w_varint(w, (uint64_t)(cp->anon_vma + 1));
	w_varint(w, (uint64_t)(cp->anon_vma_chain + 1));
	/* bit 1: pages say anon or swap entry; absent in older files */
	w_varint(w, cp->has_pfns | (uint64_t)kinds << 1);
	w_varint(w, cp->nr_procs);
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];
		uint64_t end = 0, addr = 0, pfn = 0;

		w_varint(w, zigzag(p->pid));
		w_varint(w, p->nr_vmas);
		w_varint(w, p->nr_pages);
		for (j = 0; j < p->nr_vmas; j++) {
			const struct cp_vma *v = &p->vmas[j];

			w_varint(w, zigzag((int64_t)(v->start - end)));
			w_varint(w, v->end - v->start);
			w_varint(w, v->offset);
			w_bytes(w, v->perms, 4);
			w_str(w, v->name, sizeof(v->name) - 1);
			end = v->end;
		}
		for (j = 0; j < p->nr_pages; j++) {
			const struct cp_page *pg = &p->pages[j];

			if (kinds)
				w_varint(w, zigzag((int64_t)(pg->addr - addr))
					 << 2 | (uint64_t)pg->swap << 1 |
					 pg->anon);
			else
				w_varint(w, zigzag((int64_t)(pg->addr - addr))
					 << 1 | pg->anon);
			w_varint(w, zigzag((int64_t)(pg->pfn - pfn)));
			/* a swap entry's flags field holds its swap type */
			w_varint(w, pg->swap ? pg->swap_type : pg->kflags);
			w_varint(w, pg->swap ? 0 : pg->count);
			addr = pg->addr;
			pfn = pg->pfn;
		}
	}
}

static void w_event(struct trace_writer *w, const struct trace_event *ev,
		    const struct trace_checkpoint *cp)
{
	uint64_t val[FB_NR];
	unsigned int mask = 0, i;
	struct delta *d = &w->d;
	uint64_t bits;

#define SET(bit, v) do { val[bit] = (v); mask |= 1u << (bit); } while (0)
	if (ev->addr) {
		SET(FB_ADDR, zigzag((int64_t)(ev->addr - d->addr)));
		d->addr = ev->addr;
	}
	if (ev->time_ns) {
		SET(FB_TIME, zigzag((int64_t)(ev->time_ns - d->time)));
		d->time = ev->time_ns;
	}
	bits = ev->write | (uint64_t)ev->has_result << 1 |
	       (uint64_t)ev->order << 2;
	if (bits)
		SET(FB_BITS, bits);
	if (ev->pid != d->pid) {
		SET(FB_PID, zigzag((int64_t)((uint64_t)ev->pid -
					     (uint64_t)d->pid)));
		d->pid = ev->pid;
	}
	if (ev->len)
		SET(FB_LEN, ev->len);
	if (ev->result)
		SET(FB_RESULT, zigzag(ev->result));
	if (ev->prot)
		SET(FB_PROT, ev->prot);
	if (ev->flags)
		SET(FB_FLAGS, ev->flags);
	if (ev->file != TRACE_NO_FILE)
		SET(FB_FILE, ev->file);
	if (ev->pgoff)
		SET(FB_PGOFF, ev->pgoff);
	if (ev->advice)
		SET(FB_ADVICE, zigzag(ev->advice));
	if (ev->child)
		SET(FB_CHILD, zigzag((int64_t)((uint64_t)ev->child -
					       (uint64_t)ev->pid)));
	if (ev->new_len)
		SET(FB_NEW_LEN, ev->new_len);
	if (ev->new_addr)
		SET(FB_NEW_ADDR, zigzag((int64_t)(ev->new_addr - ev->addr)));
	if (cp)
		mask |= 1u << FB_CP;
#undef SET
	w_varint(w, (uint64_t)ev->type + 1);
	w_varint(w, mask);
	for (i = 0; i < FB_CP; i++)
		if (mask & (1u << i))
			w_varint(w, val[i]);
	if (cp)
		w_checkpoint(w, cp);
	w->blk_events++;
	w->nr_ev++;
}

int trace_writer_put(struct trace_writer *w, const struct trace *t,
		     const struct trace_event *in)
{
	const struct trace_checkpoint *cp = NULL;
	struct trace_event ev;

	if (w->err)
		return -1;
	trace_event_normalize(&ev, in);
	if (ev.file != TRACE_NO_FILE) {
		if (ev.file >= t->nr_files) {
			w->err = EINVAL;
			return -1;
		}
		w_files(w, t, (size_t)ev.file + 1);
	}
	if (ev.type == EV_CHECKPOINT) {
		if (ev.cp >= t->nr_cps) {
			w->err = EINVAL;
			return -1;
		}
		cp = &t->cps[ev.cp];
		/* a checkpoint has a block of its own, on disk when taken */
		if (trace_writer_flush(w))
			return -1;
		w_event(w, &ev, cp);
		w->nr_cps++;
		return trace_writer_flush(w);
	}
	w_event(w, &ev, NULL);
	if (w->raw_len >= BLOCK_TARGET)
		return trace_writer_flush(w);
	return 0;
}

int trace_writer_close(struct trace_writer *w, const struct trace *t)
{
	unsigned char end[4 * VARINT_MAX], *p = end;
	int ret;

	if (t)
		w_files(w, t, t->nr_files);
	trace_writer_flush(w);
	p = varint_put(p, w->nr_ev);
	p = varint_put(p, w->nr_cps);
	p = varint_put(p, w->files_done);
	p = varint_put(p, w->nr_blocks);
	w_block(w, BLK_END, end, p - end, 0);
	/* the header may have learnt something by the end (lost samples) */
	if (!w->err && t && w->hdr_off >= 0 &&
	    memcmp(&w->hdr, &t->hdr, sizeof(w->hdr))) {
		long pos = ftell(w->f);

		/* slab sizes are known at the start: the size stays */
		if (trace_v2_header_size(&t->hdr) !=
		    trace_v2_header_size(&w->hdr))
			w->err = EINVAL;
		w->hdr = t->hdr;
		if (pos < 0 || fseek(w->f, w->hdr_off, SEEK_SET) ||
		    w_header(w) || fseek(w->f, pos, SEEK_SET) ||
		    fflush(w->f))
			w->err = w->err ? w->err : (errno ? errno : EIO);
	}
	ret = w->err ? -1 : 0;
	if (ret)
		errno = w->err;
	ZSTD_freeCCtx(w->cctx);
	free(w->raw);
	free(w->z);
	free(w);
	return ret;
}

int trace_writer_error(const struct trace_writer *w)
{
	return w->err;
}

int trace_write_binary_level(FILE *f, const struct trace *t, int level)
{
	struct trace_writer *w = trace_writer_open(f, &t->hdr);
	size_t i;

	trace_writer_set_level(w, level);
	for (i = 0; i < t->nr_ev; i++)
		if (trace_writer_put(w, t, &t->ev[i]))
			break;
	return trace_writer_close(w, t);
}

int trace_write_binary(FILE *f, const struct trace *t)
{
	return trace_write_binary_level(f, t, 3);
}

/* ---- reader ---- */

struct v2_reader {
	FILE *f;
	const char *name;
	unsigned char *stored, *raw;
	size_t stored_cap, raw_cap;
	ZSTD_DCtx *dctx;
	uint64_t off;			/* file offset of the next block */
	uint64_t nr_ev, nr_cps, nr_blocks;
	size_t nr_files;
	bool ended;
	/*
	 * The block being decoded, a part at a time: its payload left (@p
	 * NULL: none), its deltas, the events it says it holds and those
	 * decoded so far.
	 */
	const unsigned char *p, *end;
	struct delta st;
	uint32_t blk_ev, blk_done;
};

static int rerr(struct v2_reader *r, char *err, size_t errlen,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int rerr(struct v2_reader *r, char *err, size_t errlen,
		const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return trace_errf(err, errlen, "%s: %s", r->name, what);
}

struct v2_reader *trace_v2_open(FILE *f, const char *name, uint64_t off)
{
	struct v2_reader *r = trace_xcalloc(1, sizeof(*r));

	r->f = f;
	r->name = name;
	r->off = off;
	return r;
}

void trace_v2_close(struct v2_reader *r)
{
	if (!r)
		return;
	free(r->stored);
	free(r->raw);
	ZSTD_freeDCtx(r->dctx);
	free(r);
}

static size_t read_full(FILE *f, void *p, size_t n)
{
	return n ? fread(p, 1, n, f) : 0;
}

/* Decoding state of one block's payload. */
struct dec {
	const unsigned char *p, *end;
	struct v2_reader *r;
	struct trace *t;
	char *err;
	size_t errlen;
	uint64_t ev_nr;			/* number of the event, from 1 */
};

static int derr(struct dec *d, const char *what)
{
	return rerr(d->r, d->err, d->errlen, "event %" PRIu64 ": %s",
		    d->ev_nr, what);
}

static inline __attribute__((always_inline))
bool get(struct dec *d, uint64_t *v)
{
	d->p = varint_get(d->p, d->end, v);
	return d->p != NULL;
}

static bool get_str(struct dec *d, char *out, size_t max)
{
	uint64_t n;

	if (!get(d, &n) || n >= max || n > (uint64_t)(d->end - d->p))
		return false;
	memcpy(out, d->p, n);
	out[n] = 0;
	d->p += n;
	return strlen(out) == n;
}

static int dec_file(struct dec *d)
{
	uint64_t id, n;
	char *name;

	if (!get(d, &id) || !get(d, &n))
		return derr(d, "short file record");
	if (id != d->t->nr_files)
		return derr(d, "file record out of order");
	if (!n || n > TRACE_MAX_FILE_NAME || n > (uint64_t)(d->end - d->p))
		return derr(d, "file name length out of range");
	name = trace_xcalloc(n + 1, 1);
	memcpy(name, d->p, n);
	d->p += n;
	if (strlen(name) != n || !trace_file_name_ok(name)) {
		free(name);
		return derr(d, "bad file name in files table");
	}
	if (trace_file_id(d->t, name) != id) {
		free(name);
		return derr(d, "file listed twice");
	}
	free(name);
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* A PID at most once per checkpoint: sorted, so linear in the count. */
int trace_cp_check_pids(const struct trace_checkpoint *cp, int64_t *dup)
{
	int64_t *pids;
	size_t i;
	int ret = 0;

	if (cp->nr_procs < 2)
		return 0;
	pids = trace_xrealloc(NULL, cp->nr_procs, sizeof(*pids));
	for (i = 0; i < cp->nr_procs; i++)
		pids[i] = cp->procs[i].pid;
	qsort(pids, cp->nr_procs, sizeof(*pids), cmp_pid);
	for (i = 1; i < cp->nr_procs; i++) {
		if (pids[i] == pids[i - 1]) {
			*dup = pids[i];
			ret = -1;
			break;
		}
	}
	free(pids);
	return ret;
}

static int dec_checkpoint(struct dec *d, struct trace_checkpoint *cp)
{
	uint64_t v, nr_procs, nr_vmas, nr_pages, i, j;
	char reason[sizeof(cp->reason)];
	bool kinds;
	int64_t dup;

	if (!get_str(d, reason, sizeof(reason)) || !trace_reason_ok(reason))
		return derr(d, "bad checkpoint reason");
	strcpy(cp->reason, reason);
	if (!get(d, &v) || v > INT64_MAX)
		return derr(d, "bad checkpoint object count");
	cp->anon_vma = (int64_t)v - 1;
	if (!get(d, &v) || v > INT64_MAX)
		return derr(d, "bad checkpoint object count");
	cp->anon_vma_chain = (int64_t)v - 1;
	if (!get(d, &v) || v > 3)
		return derr(d, "bad checkpoint pfns flag");
	cp->has_pfns = v & 1;
	kinds = v & 2;
	/* every count is bounded by the bytes left before anything grows */
	if (!get(d, &nr_procs) || nr_procs > (uint64_t)(d->end - d->p) / 3)
		return derr(d, "checkpoint process count exceeds block");
	cp->procs = trace_xcalloc(nr_procs, sizeof(*cp->procs));
	for (i = 0; i < nr_procs; i++) {
		struct cp_proc *p = &cp->procs[cp->nr_procs++];
		uint64_t end = 0, addr = 0, pfn = 0;

		if (!get(d, &v) || !get(d, &nr_vmas) || !get(d, &nr_pages))
			return derr(d, "checkpoint record too short");
		p->pid = unzigzag(v);
		if (nr_vmas > (uint64_t)(d->end - d->p) / 8 ||
		    nr_pages > (uint64_t)(d->end - d->p) / 4)
			return derr(d, "checkpoint counts exceed block");
		p->vmas = trace_xcalloc(nr_vmas, sizeof(*p->vmas));
		p->pages = trace_xcalloc(nr_pages, sizeof(*p->pages));
		for (j = 0; j < nr_vmas; j++) {
			struct cp_vma *vm = &p->vmas[p->nr_vmas++];
			uint64_t len;

			if (!get(d, &v) || !get(d, &len) ||
			    !get(d, &vm->offset) || d->end - d->p < 4)
				return derr(d, "checkpoint record too short");
			vm->start = end + (uint64_t)unzigzag(v);
			vm->end = vm->start + len;
			memcpy(vm->perms, d->p, 4);
			vm->perms[4] = 0;
			d->p += 4;
			if (!get_str(d, vm->name, sizeof(vm->name)) ||
			    !trace_perms_ok(vm->perms) ||
			    vm->end <= vm->start ||
			    !trace_vma_name_ok(vm->name))
				return derr(d, "bad vma in checkpoint");
			end = vm->end;
		}
		for (j = 0; j < nr_pages; j++) {
			struct cp_page *pg = &p->pages[p->nr_pages++];
			uint64_t count;

			if (!get(d, &v))
				return derr(d, "checkpoint record too short");
			pg->anon = v & 1;
			if (kinds) {
				pg->swap = v >> 1 & 1;
				v >>= 1;
				if (pg->anon && pg->swap)
					return derr(d, "bad page kind");
			}
			pg->addr = addr + (uint64_t)unzigzag(v >> 1);
			if (!get(d, &v) || !get(d, &pg->kflags) ||
			    !get(d, &count))
				return derr(d, "checkpoint record too short");
			if (count > UINT32_MAX)
				return derr(d, "bad page count");
			if (pg->swap) {
				if (pg->kflags >= CP_SWAP_TYPES || count)
					return derr(d, "bad swap entry");
				pg->swap_type = (uint8_t)pg->kflags;
				pg->kflags = 0;
			}
			pg->pfn = pfn + (uint64_t)unzigzag(v);
			pg->count = count;
			addr = pg->addr;
			pfn = pg->pfn;
		}
	}
	if (trace_cp_check_pids(cp, &dup)) {
		char what[96];

		snprintf(what, sizeof(what), "process %" PRId64
			 " twice in checkpoint", dup);
		return derr(d, what);
	}
	return 0;
}

/*
 * One event record, decoded into the next slot of t->ev (taken only when
 * the record is whole).  The slot is filled in place: copying each event
 * once more was a sixth of the decoder's instructions.
 */
static int dec_event(struct dec *d, uint64_t tag, struct delta *st)
{
	const unsigned char *p = d->p, *end = d->end;
	struct trace *t = d->t;
	struct trace_event *ev;
	uint64_t mask, v;
	char what[128];

	if (tag - 1 >= EV_NR)
		return derr(d, "unknown event type");
	p = varint_get(p, end, &mask);
	if (!p)
		return derr(d, "short event record");
	if (mask >> (FB_CP + 1))
		return derr(d, "unknown event field");
	if (!(mask & (1u << FB_CP)) != (tag - 1 != EV_CHECKPOINT))
		return derr(d, tag - 1 == EV_CHECKPOINT ?
			    "checkpoint without a body" :
			    "checkpoint body on another event");
	if (t->nr_ev == t->cap_ev)
		trace_grow((void **)&t->ev, &t->cap_ev, t->nr_ev,
			   sizeof(*t->ev));
	ev = &t->ev[t->nr_ev];
	*ev = trace_blank_event;
	ev->type = tag - 1;
	ev->pid = st->pid;
	/* fields in coding order; locals keep the cursor in a register */
#define FIELD(bit) ((mask & (1u << (bit))) && \
		    ((p = varint_get(p, end, &v)) || (v = 0, true)))
	if (FIELD(FB_ADDR))
		st->addr = ev->addr = st->addr + (uint64_t)unzigzag(v);
	if (FIELD(FB_TIME))
		st->time = ev->time_ns = st->time + (uint64_t)unzigzag(v);
	if (FIELD(FB_BITS)) {
		if (v >> 2 > TRACE_MAX_ORDER)
			return derr(d, "folio order out of range");
		ev->write = v & 1;
		ev->has_result = v >> 1 & 1;
		ev->order = v >> 2;
	}
	if (FIELD(FB_PID))
		st->pid = ev->pid = (int64_t)((uint64_t)st->pid +
					      (uint64_t)unzigzag(v));
	if (FIELD(FB_LEN))
		ev->len = v;
	if (FIELD(FB_RESULT))
		ev->result = unzigzag(v);
	if (FIELD(FB_PROT)) {
		if (v > UINT32_MAX)
			return derr(d, "prot out of range");
		ev->prot = v;
	}
	if (FIELD(FB_FLAGS)) {
		if (v > UINT32_MAX)
			return derr(d, "flags out of range");
		ev->flags = v;
	}
	if (FIELD(FB_FILE)) {
		if (v >= t->nr_files)
			return derr(d, "file index not in files table");
		ev->file = v;
	}
	if (FIELD(FB_PGOFF))
		ev->pgoff = v;
	if (FIELD(FB_ADVICE)) {
		int64_t a = unzigzag(v);

		if (a < INT32_MIN || a > INT32_MAX)
			return derr(d, "advice out of range");
		ev->advice = a;
	}
	if (FIELD(FB_CHILD))
		ev->child = (int64_t)((uint64_t)ev->pid +
				      (uint64_t)unzigzag(v));
	if (FIELD(FB_NEW_LEN))
		ev->new_len = v;
	if (FIELD(FB_NEW_ADDR))
		ev->new_addr = ev->addr + (uint64_t)unzigzag(v);
#undef FIELD
	/* a short record reads as zeros above; refused here, once */
	if (!p)
		return derr(d, "short event record");
	d->p = p;
	if (ev->type == EV_CHECKPOINT) {
		/* trace_new_checkpoint() takes the slot, and may move it */
		struct trace_event e = *ev;

		trace_new_checkpoint(t, 0, "end");
		ev = &t->ev[t->nr_ev - 1];
		e.cp = ev->cp;
		*ev = e;
		if (dec_checkpoint(d, &t->cps[e.cp]))
			return -1;
	} else {
		t->nr_ev++;
	}
	/* a fault has nothing the full check could refuse */
	if (ev->type != EV_FAULT || ev->has_result ||
	    (mask & ~((1u << FB_ADDR) | (1u << FB_TIME) | (1u << FB_BITS) |
		      (1u << FB_PID)))) {
		if (trace_event_check(t, ev, what, sizeof(what)))
			return derr(d, what);
	}
	return 0;
}

/*
 * Decode records of the current block, appending to @t, until @max events
 * have been appended or the block's payload ends (then check its count).
 */
static int dec_records(struct dec *d, size_t max)
{
	struct v2_reader *r = d->r;
	size_t n = 0, want = r->blk_ev - r->blk_done;
	uint64_t tag;

	if (want > max)
		want = max;
	if (d->t->cap_ev < d->t->nr_ev + want &&
	    want <= (size_t)(d->end - d->p) / 2) {
		d->t->cap_ev = d->t->nr_ev + want;
		d->t->ev = trace_xrealloc(d->t->ev, d->t->cap_ev,
					  sizeof(*d->t->ev));
	}
	while (d->p < d->end && n < max) {
		if (!get(d, &tag))
			return derr(d, "short record");
		if (tag == TAG_FILE) {
			if (dec_file(d))
				return -1;
			continue;
		}
		if (r->blk_done + n >= r->blk_ev)
			return derr(d, "more events than the block says");
		if (dec_event(d, tag, &r->st))
			return -1;
		d->ev_nr++;
		n++;
	}
	r->blk_done += n;
	r->nr_ev += n;
	if (d->p < d->end)
		return 0;
	if (r->blk_done != r->blk_ev)
		return rerr(r, d->err, d->errlen, "block %" PRIu64
			    " has %" PRIu32 " events, says %" PRIu32,
			    r->nr_blocks + 1, r->blk_done, r->blk_ev);
	r->p = NULL;
	r->nr_blocks++;
	return 0;
}

static int dec_end(struct v2_reader *r, const unsigned char *p,
		   size_t n, char *err, size_t errlen)
{
	const unsigned char *end = p + n;
	uint64_t nr_ev, nr_cps, nr_files, nr_blocks;

	p = varint_get(p, end, &nr_ev);
	p = varint_get(p, end, &nr_cps);
	p = varint_get(p, end, &nr_files);
	p = varint_get(p, end, &nr_blocks);
	if (!p || p != end)
		return rerr(r, err, errlen, "bad end block");
	if (nr_ev != r->nr_ev || nr_cps != r->nr_cps ||
	    nr_files != r->nr_files || nr_blocks != r->nr_blocks)
		return rerr(r, err, errlen, "end block counts (%" PRIu64
			    " events, %" PRIu64 " checkpoints, %" PRIu64
			    " files, %" PRIu64 " blocks) do not match the file "
			    "(%" PRIu64 ", %" PRIu64 ", %zu, %" PRIu64
			    "): blocks lost", nr_ev, nr_cps, nr_files,
			    nr_blocks, r->nr_ev, r->nr_cps, r->nr_files,
			    r->nr_blocks);
	return 0;
}

/*
 * Read, check and uncompress the next block: a data block's payload is
 * left in r->p for dec_records(); the end block ends the file.  0 or -1.
 */
static int load_block(struct v2_reader *r, bool *cut, char *err,
		      size_t errlen)
{
	unsigned char h[TRACE_V2_BLOCK_HDR];
	uint32_t stored, raw_len, nr_ev;
	const unsigned char *payload;
	uint64_t blk = r->nr_blocks + 1;
	size_t n;

	n = read_full(r->f, h, sizeof(h));
	if (n < sizeof(h)) {
		if (ferror(r->f))
			return rerr(r, err, errlen, "read error: %s",
				    strerror(errno));
		*cut = true;
		if (!n)
			return rerr(r, err, errlen, "incomplete: no end block "
				    "after %" PRIu64 " events (%" PRIu64
				    " blocks)", r->nr_ev, r->nr_blocks);
		return rerr(r, err, errlen, "incomplete: cut in the header "
			    "of block %" PRIu64 " (offset %" PRIu64 ")",
			    blk, r->off);
	}
	if (get_le32(h + 20) != trace_crc32(h, 20))
		return rerr(r, err, errlen, "block %" PRIu64 " (offset %"
			    PRIu64 "): header checksum mismatch: file damaged",
			    blk, r->off);
	stored = get_le32(h + 4);
	raw_len = get_le32(h + 8);
	nr_ev = get_le32(h + 12);
	if ((h[0] != BLK_DATA && h[0] != BLK_END) || h[1] > CODEC_ZSTD ||
	    h[2] || h[3] || stored > MAX_STORED || raw_len > MAX_RAW ||
	    (h[1] == CODEC_RAW && stored != raw_len) ||
	    (h[0] == BLK_END && (h[1] != CODEC_RAW || nr_ev)))
		return rerr(r, err, errlen, "block %" PRIu64 ": bad block "
			    "header", blk);
	if (stored > r->stored_cap) {
		r->stored_cap = stored;
		r->stored = trace_xrealloc(r->stored, stored, 1);
	}
	n = read_full(r->f, r->stored, stored);
	if (n < stored) {
		if (ferror(r->f))
			return rerr(r, err, errlen, "read error: %s",
				    strerror(errno));
		*cut = true;
		return rerr(r, err, errlen, "incomplete: cut in block %"
			    PRIu64 " (offset %" PRIu64 ", %zu of %" PRIu32
			    " bytes)", blk, r->off, n, stored);
	}
	if (get_le32(h + 16) != trace_crc32(r->stored, stored))
		return rerr(r, err, errlen, "block %" PRIu64 " (offset %"
			    PRIu64 "): checksum mismatch: file damaged",
			    blk, r->off);
	r->off += sizeof(h) + stored;
	payload = r->stored;
	if (h[1] == CODEC_ZSTD) {
		unsigned long long sz;

		sz = ZSTD_getFrameContentSize(r->stored, stored);
		if (sz != raw_len)
			return rerr(r, err, errlen, "block %" PRIu64 ": bad "
				    "compressed size", blk);
		if (raw_len > r->raw_cap) {
			r->raw_cap = raw_len;
			r->raw = trace_xrealloc(r->raw, raw_len, 1);
		}
		if (!r->dctx)
			r->dctx = ZSTD_createDCtx();
		if (!r->dctx)
			return rerr(r, err, errlen, "out of memory");
		n = ZSTD_decompressDCtx(r->dctx, r->raw, raw_len, r->stored,
					stored);
		if (ZSTD_isError(n) || n != raw_len)
			return rerr(r, err, errlen, "block %" PRIu64 ": bad "
				    "compressed data", blk);
		payload = r->raw;
	}
	if (h[0] == BLK_END) {
		if (dec_end(r, payload, raw_len, err, errlen))
			return -1;
		/* the end is the end: bytes after it are damage, not data */
		if (getc(r->f) != EOF)
			return rerr(r, err, errlen, "data after the end block "
				    "(offset %" PRIu64 ")", r->off);
		r->ended = true;
		return 0;
	}
	r->p = payload;
	r->end = payload + raw_len;
	r->st = (struct delta){ 0 };
	r->blk_ev = nr_ev;
	r->blk_done = 0;
	return 0;
}

int trace_v2_next(struct v2_reader *r, struct trace *t, size_t max,
		  bool *cut, char *err, size_t errlen)
{
	size_t cps_before = t->nr_cps;
	struct dec d;
	int ret;

	*cut = false;
	if (r->ended)
		return 0;
	if (!r->p) {
		if (load_block(r, cut, err, errlen))
			return -1;
		if (r->ended)
			return 0;
	}
	d = (struct dec){
		.p = r->p, .end = r->end, .r = r, .t = t,
		.err = err, .errlen = errlen, .ev_nr = r->nr_ev + 1,
	};
	ret = dec_records(&d, max);
	if (r->p)
		r->p = d.p;
	r->nr_cps += t->nr_cps - cps_before;
	r->nr_files = t->nr_files;
	return ret ? -2 : 1;
}
