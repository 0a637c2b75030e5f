// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opening a trace file whatever its form, as a cursor over windows of
 * events (a part of a v2 block at a time; text and v1 files in one
 * window), and trace_load(), the whole trace for tools that need random
 * access.
 *
 * Nothing incomplete passes for whole: an empty file, a text trace
 * without its end line and a v2 trace without its end block are errors,
 * unless the caller asked to salvage the complete prefix; then the
 * cursor stops there and says why (trace_reader_incomplete()).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "traces/binary_v2.h"
#include "traces/internal.h"
#include "traces/trace.h"

/*
 * Events per window of a v2 file: few enough that the window (104 bytes
 * an event) is still in the L1 cache when it is replayed, where a whole
 * block's (some 10,000 events) went out to memory and back.
 */
#define WINDOW_EVENTS	128

struct trace_reader {
	FILE *f;
	char name[256];
	unsigned int flags;
	struct trace win;	/* header, files, this window */
	struct v2_reader *v2;	/* NULL: one window, already read */
	size_t base;		/* index of win.ev[0] in the trace */
	bool whole_served;
	bool done;
	bool incomplete;
	char why[512];
};

static void window_reset(struct trace *w)
{
	size_t i;

	for (i = 0; i < w->nr_cps; i++)
		checkpoint_free(&w->cps[i]);
	w->nr_cps = 0;
	w->nr_ev = 0;
}

/* Drop what a failed block appended. */
static void truncate_to(struct trace *t, size_t nr_ev, size_t nr_cps)
{
	while (t->nr_cps > nr_cps)
		checkpoint_free(&t->cps[--t->nr_cps]);
	t->nr_ev = nr_ev;
}

/* A v1 file, whole: mapped when it can be, so it is never copied. */
static int load_v1(struct trace_reader *r, const unsigned char *head,
		   size_t nhead, char *err, size_t errlen)
{
	unsigned char *buf = NULL;
	size_t size = 0, cap = 0, n;
	struct stat st;
	void *map;
	int ret;

	if (!fstat(fileno(r->f), &st) && S_ISREG(st.st_mode) && st.st_size) {
		map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE,
			   fileno(r->f), 0);
		if (map != MAP_FAILED) {
			ret = trace_parse_binary(map, st.st_size, r->name,
						 &r->win, err, errlen);
			munmap(map, st.st_size);
			return ret;
		}
	}
	/* a pipe: v1 has no blocks, so it is read whole */
	cap = 1 << 16;
	buf = trace_xrealloc(NULL, cap, 1);
	memcpy(buf, head, nhead);
	size = nhead;
	for (;;) {
		if (size == cap) {
			cap *= 2;
			buf = trace_xrealloc(buf, cap, 1);
		}
		n = fread(buf + size, 1, cap - size, r->f);
		if (!n)
			break;
		size += n;
	}
	if (ferror(r->f)) {
		free(buf);
		return trace_errf(err, errlen, "%s: read error: %s", r->name,
				  strerror(errno));
	}
	ret = trace_parse_binary(buf, size, r->name, &r->win, err, errlen);
	free(buf);
	return ret;
}

static int open_binary(struct trace_reader *r, char *err, size_t errlen)
{
	unsigned char h[TRACE_V2_HDR_MAX];
	uint32_t hs;
	size_t n;
	int v;

	n = fread(h, 1, 16, r->f);
	/* the version word says how long the header is */
	if (n == 16)
		n += fread(h + 16, 1, (h[8] == 2 ? TRACE_V2_HDR_SIZE :
				       TRACE_V1_HDR_SIZE) - 16, r->f);
	/* and a v2 header's size word, whether slab sizes follow */
	hs = n >= 16 ? (uint32_t)h[12] | h[13] << 8 | h[14] << 16 |
		       (uint32_t)h[15] << 24 : 0;
	if (h[8] == 2 && n == TRACE_V2_HDR_SIZE && hs > n &&
	    hs <= sizeof(h))
		n += fread(h + n, 1, hs - n, r->f);
	v = trace_bin_header_decode(h, n, r->name, &r->win.hdr, err, errlen);
	if (v < 0)
		return -1;
	if (v == 1)
		return load_v1(r, h, n, err, errlen);
	r->v2 = trace_v2_open(r->f, r->name, n);
	return 0;
}

static int open_text(struct trace_reader *r, char *err, size_t errlen)
{
	if (trace_parse_text(r->f, r->name, &r->win, err, errlen))
		return -1;
	if (!r->win.incomplete)
		return 0;
	if (!(r->flags & TRACE_SALVAGE))
		return trace_errf(err, errlen, "%s: incomplete: no 'end' line "
				  "after %zu events (--salvage replays them)",
				  r->name, r->win.nr_ev);
	r->incomplete = true;
	snprintf(r->why, sizeof(r->why), "%s: incomplete: no 'end' line "
		 "after %zu events", r->name, r->win.nr_ev);
	return 0;
}

int trace_reader_open(const char *path, unsigned int flags,
		      struct trace_reader **rp, char *err, size_t errlen)
{
	struct trace_reader *r = trace_xcalloc(1, sizeof(*r));
	int c, ret;

	*rp = NULL;
	trace_init(&r->win);
	r->flags = flags;
	snprintf(r->name, sizeof(r->name), "%s", path);
	snprintf(r->win.path, sizeof(r->win.path), "%s", path);
	/* "-": standard input, like every reader of files in rmaplab */
	r->f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!r->f) {
		ret = trace_errf(err, errlen, "%s: %s", path,
				 strerror(errno));
		free(r);
		return ret;
	}
	c = getc(r->f);
	if (c == EOF) {
		ret = ferror(r->f) ?
		      trace_errf(err, errlen, "%s: read error: %s", path,
				 strerror(errno)) :
		      trace_errf(err, errlen, "%s: empty file: not a trace",
				 path);
		trace_reader_close(r);
		return ret;
	}
	ungetc(c, r->f);
	if (trace_is_binary(&(unsigned char){ c }, 1))
		ret = open_binary(r, err, errlen);
	else
		ret = open_text(r, err, errlen);
	if (ret) {
		trace_reader_close(r);
		return -1;
	}
	snprintf(r->win.path, sizeof(r->win.path), "%s", path);
	*rp = r;
	return 0;
}

/*
 * A block went wrong (@ret from trace_v2_next()): an error, or with
 * --salvage the end of the road, unless a record broke the format in a
 * block whose checksums hold (-2): a writer's bug, not a cut or damage.
 */
static int v2_stop(struct trace_reader *r, int ret, char *err, size_t errlen)
{
	r->done = true;
	if (!(r->flags & TRACE_SALVAGE) || ret == -2)
		return -1;
	r->incomplete = true;
	snprintf(r->why, sizeof(r->why), "%s", err);
	return 0;
}

int trace_reader_next(struct trace_reader *r, char *err, size_t errlen)
{
	bool cut;
	int ret;

	if (r->done)
		return 0;
	if (!r->v2) {
		r->done = r->whole_served;
		r->whole_served = true;
		return r->done ? 0 : 1;
	}
	r->base += r->win.nr_ev;
	window_reset(&r->win);
	for (;;) {
		ret = trace_v2_next(r->v2, &r->win, WINDOW_EVENTS, &cut,
				    err, errlen);
		if (ret < 0) {
			window_reset(&r->win);
			return v2_stop(r, ret, err, errlen);
		}
		if (!ret) {
			r->done = true;
			return 0;
		}
		/* a block of file names only holds no event */
		if (r->win.nr_ev)
			return 1;
	}
}

const struct trace *trace_reader_window(const struct trace_reader *r)
{
	return &r->win;
}

size_t trace_reader_base(const struct trace_reader *r)
{
	return r->base;
}

const char *trace_reader_incomplete(const struct trace_reader *r)
{
	return r->incomplete ? r->why : NULL;
}

void trace_reader_close(struct trace_reader *r)
{
	if (!r)
		return;
	trace_v2_close(r->v2);
	if (r->f && r->f != stdin)
		fclose(r->f);
	trace_free(&r->win);
	free(r);
}

int trace_load_flags(const char *path, unsigned int flags, struct trace *t,
		     char *err, size_t errlen)
{
	struct trace_reader *r;
	size_t nr_ev, nr_cps;
	bool cut;
	int ret;

	trace_init(t);
	snprintf(t->path, sizeof(t->path), "%s", path);
	if (trace_reader_open(path, flags, &r, err, errlen))
		return -1;
	/* the window becomes the trace: blocks append to it in place */
	*t = r->win;
	trace_init(&r->win);
	while (r->v2) {
		nr_ev = t->nr_ev;
		nr_cps = t->nr_cps;
		ret = trace_v2_next(r->v2, t, SIZE_MAX, &cut, err, errlen);
		if (!ret)
			break;
		if (ret < 0) {
			truncate_to(t, nr_ev, nr_cps);
			if (v2_stop(r, ret, err, errlen)) {
				trace_reader_close(r);
				trace_free(t);
				return -1;
			}
			break;
		}
	}
	t->incomplete = r->incomplete;
	if (r->incomplete)
		snprintf(err, errlen, "%s", r->why);
	snprintf(t->path, sizeof(t->path), "%s", path);
	trace_reader_close(r);
	return 0;
}

int trace_load(const char *path, struct trace *t, char *err, size_t errlen)
{
	return trace_load_flags(path, 0, t, err, errlen);
}

int trace_parse_binary_v2(const void *buf, size_t size, const char *name,
			  struct trace *t, char *err, size_t errlen)
{
	const unsigned char *p = buf;
	struct v2_reader *r;
	uint32_t hs;
	bool cut;
	FILE *f;
	int ret;

	trace_init(t);
	if (trace_bin_header_decode(buf, size, name, &t->hdr, err,
				    errlen) != 2)
		return -1;
	f = fmemopen((void *)buf, size, "rb");
	if (!f)
		return trace_errf(err, errlen, "%s: %s", name,
				  strerror(errno));
	hs = p[12] | p[13] << 8 | p[14] << 16 | (uint32_t)p[15] << 24;
	fseek(f, hs, SEEK_SET);
	r = trace_v2_open(f, name, hs);
	while ((ret = trace_v2_next(r, t, SIZE_MAX, &cut, err, errlen)) > 0)
		;
	trace_v2_close(r);
	fclose(f);
	if (ret < 0) {
		trace_free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s", name);
	return 0;
}
