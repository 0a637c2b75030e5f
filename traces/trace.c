// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-memory trace: construction, files table, checkpoints, comparison,
 * and trace_load(), which picks the text or binary reader.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "traces/internal.h"
#include "traces/trace.h"

void *trace_xrealloc(void *p, size_t nmemb, size_t size)
{
	void *q;

	if (size && nmemb > SIZE_MAX / size)
		goto oom;
	q = realloc(p, nmemb && size ? nmemb * size : 1);
	if (q)
		return q;
oom:
	fprintf(stderr, "rmaplab: out of memory\n");
	abort();
}

void *trace_xcalloc(size_t nmemb, size_t size)
{
	void *q = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!q) {
		fprintf(stderr, "rmaplab: out of memory\n");
		abort();
	}
	return q;
}

char *trace_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(trace_xrealloc(NULL, n, 1), s, n);
}

void trace_grow(void **p, size_t *cap, size_t nr, size_t size)
{
	if (nr < *cap)
		return;
	*cap = *cap ? *cap * 2 : 16;
	*p = trace_xrealloc(*p, *cap, size);
}

/*
 * Error lines echo what was read: control bytes in it would reach the
 * user's terminal, so they are printed as \xNN.
 */
int trace_errf(char *err, size_t errlen, const char *fmt, ...)
{
	char raw[1024];
	size_t i, o = 0;
	va_list ap;

	if (!err || !errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	for (i = 0; raw[i] && o + 5 < errlen; i++) {
		unsigned char c = raw[i];

		if (c < 0x20 || c == 0x7f)
			o += snprintf(err + o, errlen - o, "\\x%02x", c);
		else
			err[o++] = c;
	}
	err[o] = 0;
	return -1;
}

void trace_init(struct trace *t)
{
	memset(t, 0, sizeof(*t));
	t->hdr.version = 1;
	strcpy(t->hdr.arch, "x86_64");
	t->hdr.page_size = 4096;
	strcpy(t->hdr.recorder, "text");
	strcpy(t->hdr.clock, "none");
}

void checkpoint_free(struct trace_checkpoint *cp)
{
	size_t i;

	for (i = 0; i < cp->nr_procs; i++) {
		free(cp->procs[i].vmas);
		free(cp->procs[i].pages);
	}
	free(cp->procs);
	cp->procs = NULL;
	cp->nr_procs = 0;
}

void trace_free(struct trace *t)
{
	size_t i;

	for (i = 0; i < t->nr_files; i++)
		free(t->files[i]);
	free(t->files);
	free(t->files_hash);
	for (i = 0; i < t->nr_cps; i++)
		checkpoint_free(&t->cps[i]);
	free(t->cps);
	free(t->ev);
	trace_init(t);
}

/*
 * An event with no field set, for copying: in its own file, so that the
 * compiler copies it with vector moves instead of zeroing with rep stos,
 * whose start-up cost was a third of decoding a fault.
 */
const struct trace_event trace_blank_event = { .file = TRACE_NO_FILE };

struct trace_event *trace_append(struct trace *t)
{
	struct trace_event *ev;

	trace_grow((void **)&t->ev, &t->cap_ev, t->nr_ev, sizeof(*t->ev));
	ev = &t->ev[t->nr_ev++];
	*ev = trace_blank_event;
	return ev;
}

static uint64_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void files_hash_insert(struct trace *t, uint32_t id)
{
	size_t mask = t->files_hash_cap - 1;
	size_t i = name_hash(t->files[id]) & mask;

	while (t->files_hash[i])
		i = (i + 1) & mask;
	t->files_hash[i] = id + 1;
}

/* Kept at most half full; rebuilt from t->files when it grows. */
static void files_hash_grow(struct trace *t)
{
	size_t i;

	free(t->files_hash);
	t->files_hash_cap = t->files_hash_cap ? t->files_hash_cap * 2 : 64;
	while (t->files_hash_cap < 2 * (t->nr_files + 1))
		t->files_hash_cap *= 2;
	t->files_hash = trace_xcalloc(t->files_hash_cap,
				      sizeof(*t->files_hash));
	for (i = 0; i < t->nr_files; i++)
		files_hash_insert(t, i);
}

uint32_t trace_file_id(struct trace *t, const char *name)
{
	size_t mask, i;
	uint32_t id;

	if (2 * (t->nr_files + 1) > t->files_hash_cap)
		files_hash_grow(t);
	mask = t->files_hash_cap - 1;
	i = name_hash(name) & mask;
	for (; (id = t->files_hash[i]); i = (i + 1) & mask)
		if (!strcmp(t->files[id - 1], name))
			return id - 1;
	trace_grow((void **)&t->files, &t->cap_files, t->nr_files,
		   sizeof(*t->files));
	t->files[t->nr_files] = trace_xstrdup(name);
	t->files_hash[i] = t->nr_files + 1;
	return t->nr_files++;
}

struct trace_checkpoint *trace_new_checkpoint(struct trace *t, int64_t pid,
					      const char *reason)
{
	struct trace_checkpoint *cp;
	struct trace_event *ev;

	t->cps = trace_xrealloc(t->cps, t->nr_cps + 1, sizeof(*t->cps));
	cp = &t->cps[t->nr_cps];
	memset(cp, 0, sizeof(*cp));
	snprintf(cp->reason, sizeof(cp->reason), "%s", reason);
	cp->anon_vma = -1;
	cp->anon_vma_chain = -1;
	cp->has_pfns = true;
	ev = trace_append(t);
	ev->type = EV_CHECKPOINT;
	ev->pid = pid;
	ev->cp = t->nr_cps++;
	return cp;
}

struct cp_proc *checkpoint_add_proc(struct trace_checkpoint *cp, int64_t pid)
{
	struct cp_proc *p;

	cp->procs = trace_xrealloc(cp->procs, cp->nr_procs + 1,
				   sizeof(*cp->procs));
	p = &cp->procs[cp->nr_procs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	return p;
}

/* Capacity is not stored: grow at powers of two. */
static void grow_pow2(void **arr, size_t nr, size_t size)
{
	if (nr && (nr & (nr - 1)))
		return;
	*arr = trace_xrealloc(*arr, nr ? nr * 2 : 1, size);
}

struct cp_vma *cp_proc_add_vma(struct cp_proc *p)
{
	struct cp_vma *v;

	grow_pow2((void **)&p->vmas, p->nr_vmas, sizeof(*p->vmas));
	v = &p->vmas[p->nr_vmas++];
	memset(v, 0, sizeof(*v));
	return v;
}

struct cp_page *cp_proc_add_page(struct cp_proc *p)
{
	struct cp_page *pg;

	grow_pow2((void **)&p->pages, p->nr_pages, sizeof(*p->pages));
	pg = &p->pages[p->nr_pages++];
	memset(pg, 0, sizeof(*pg));
	return pg;
}

static const char *const ev_names[EV_NR] = {
	[EV_MMAP] = "mmap",
	[EV_MUNMAP] = "munmap",
	[EV_MPROTECT] = "mprotect",
	[EV_MADVISE] = "madvise",
	[EV_MREMAP] = "mremap",
	[EV_BRK] = "brk",
	[EV_FAULT] = "fault",
	[EV_FORK] = "fork",
	[EV_THREAD] = "thread",
	[EV_EXEC] = "exec",
	[EV_EXIT] = "exit",
	[EV_CHECKPOINT] = "checkpoint",
	[EV_MLOCK] = "mlock",
	[EV_MUNLOCK] = "munlock",
	[EV_MLOCKALL] = "mlockall",
	[EV_MUNLOCKALL] = "munlockall",
	[EV_MSEAL] = "mseal",
	[EV_PKEY_MPROTECT] = "pkey_mprotect",
	[EV_UFFD_REGISTER] = "uffd_register",
	[EV_UFFD_UNREGISTER] = "uffd_unregister",
	[EV_SYSCALL] = "syscall",
	[EV_RECLAIM] = "reclaim",
	[EV_PAGEOUT] = "pageout",
	[EV_MIGRATE] = "migrate",
};

const char *trace_ev_name(enum trace_ev type)
{
	if ((unsigned int)type >= EV_NR)
		return "?";
	return ev_names[type];
}

#define E(x) { #x, x }
static const struct {
	const char *name;
	int err;
} errnos[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ETXTBSY), E(EFBIG),
	E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(ERANGE),
	E(EDEADLK), E(ENAMETOOLONG), E(ENOSYS), E(ELOOP), E(EOVERFLOW),
	E(EOPNOTSUPP), E(ETIMEDOUT), E(EHWPOISON),
};
#undef E

const char *errno_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (errnos[i].err == err)
			return errnos[i].name;
	return NULL;
}

/* Returns the positive errno value, or 0 for an unknown name. */
int errno_from_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (!strcmp(errnos[i].name, name))
			return errnos[i].err;
	return 0;
}

/* Which fields each event type uses; the others stay zero. */
enum {
	F_ADDR = 1 << 0,
	F_LEN = 1 << 1,
	F_PROT = 1 << 2,
	F_FLAGS = 1 << 3,
	F_ADVICE = 1 << 4,
	F_FILE = 1 << 5,
	F_PGOFF = 1 << 6,
	F_NEW = 1 << 7,		/* new_len, new_addr */
	F_WRITE = 1 << 8,	/* write, order */
	F_CHILD = 1 << 9,
	F_RESULT = 1 << 10,	/* has_result, result */
	F_CP = 1 << 11,
};

static const unsigned int ev_fields[EV_NR] = {
	[EV_MMAP] = F_ADDR | F_LEN | F_PROT | F_FLAGS | F_FILE | F_PGOFF |
		    F_RESULT,
	[EV_MUNMAP] = F_ADDR | F_LEN | F_RESULT,
	[EV_MPROTECT] = F_ADDR | F_LEN | F_PROT | F_RESULT,
	[EV_MADVISE] = F_ADDR | F_LEN | F_ADVICE | F_RESULT,
	[EV_MREMAP] = F_ADDR | F_LEN | F_FLAGS | F_NEW | F_RESULT,
	[EV_BRK] = F_ADDR | F_RESULT,
	[EV_FAULT] = F_ADDR | F_WRITE,
	[EV_FORK] = F_CHILD | F_FLAGS | F_RESULT,
	[EV_THREAD] = F_CHILD | F_FLAGS | F_RESULT,
	[EV_EXEC] = F_RESULT,
	[EV_EXIT] = 0,
	[EV_CHECKPOINT] = F_CP,
	[EV_MLOCK] = F_ADDR | F_LEN | F_FLAGS | F_RESULT,
	[EV_MUNLOCK] = F_ADDR | F_LEN | F_RESULT,
	[EV_MLOCKALL] = F_FLAGS | F_RESULT,
	[EV_MUNLOCKALL] = F_RESULT,
	[EV_MSEAL] = F_ADDR | F_LEN | F_RESULT,
	[EV_PKEY_MPROTECT] = F_ADDR | F_LEN | F_PROT | F_ADVICE | F_RESULT,
	[EV_UFFD_REGISTER] = F_ADDR | F_LEN | F_FLAGS | F_RESULT,
	[EV_UFFD_UNREGISTER] = F_ADDR | F_LEN | F_RESULT,
	[EV_SYSCALL] = F_FILE | F_RESULT,
	[EV_RECLAIM] = F_ADDR | F_LEN,
	[EV_PAGEOUT] = F_ADDR | F_LEN | F_RESULT,
	[EV_MIGRATE] = F_ADDR | F_LEN | F_RESULT,
};

void trace_event_normalize(struct trace_event *out,
			   const struct trace_event *in)
{
	unsigned int u = in->type < EV_NR ? ev_fields[in->type] : ~0u;

	*out = *in;
	if (!(u & F_ADDR))
		out->addr = 0;
	if (!(u & F_LEN))
		out->len = 0;
	if (!(u & F_PROT))
		out->prot = 0;
	if (!(u & F_FLAGS))
		out->flags = 0;
	if (!(u & F_ADVICE))
		out->advice = 0;
	if (!(u & F_FILE))
		out->file = TRACE_NO_FILE;
	if (!(u & F_PGOFF))
		out->pgoff = 0;
	if (!(u & F_NEW))
		out->new_len = out->new_addr = 0;
	if (!(u & F_WRITE))
		out->write = out->order = 0;
	if (!(u & F_CHILD))
		out->child = 0;
	if (!(u & F_RESULT))
		out->has_result = 0;
	if (!out->has_result)
		out->result = 0;
	if (!(u & F_CP))
		out->cp = 0;
}

/*
 * No kernel maps above 56 bits (5-level x86_64, less a guard page) or
 * 52 bits (arm64): a trace saying one did is damaged.
 */
int trace_result_check(const struct trace *t, const struct trace_event *ev,
		       char *what, size_t len)
{
	uint64_t top = strcmp(t->hdr.arch, "aarch64") ?
		(1ULL << 56) - t->hdr.page_size : 1ULL << 52;
	uint64_t size = ev->type == EV_MMAP ? ev->len : ev->new_len;

	if ((ev->type != EV_MMAP && ev->type != EV_MREMAP) ||
	    !ev->has_result || ev->result <= 0)
		return 0;
	if ((uint64_t)ev->result > top || size > top - ev->result)
		return trace_errf(what, len, "%s result 0x%" PRIx64 " is "
				  "above the top of user space (0x%" PRIx64
				  ")", trace_ev_name(ev->type),
				  (uint64_t)ev->result, top);
	return 0;
}

int trace_event_check(const struct trace *t, const struct trace_event *ev,
		      char *what, size_t len)
{
	struct trace_event n;

	if (ev->type >= EV_NR)
		return trace_errf(what, len, "unknown event type %u",
				  ev->type);
	if (ev->write > 1 || ev->has_result > 1)
		return trace_errf(what, len, "bad boolean field");
	if (ev->order > TRACE_MAX_ORDER)
		return trace_errf(what, len, "folio order %u out of range",
				  ev->order);
	if (ev->file != TRACE_NO_FILE && ev->file >= t->nr_files)
		return trace_errf(what, len, "file index %" PRIu32
				  " not in files table", ev->file);
	if (ev->type == EV_CHECKPOINT && ev->cp >= t->nr_cps)
		return trace_errf(what, len, "checkpoint index %" PRIu32
				  " out of range", ev->cp);
	if (ev->type == EV_MMAP && (ev->flags & MAP_ANONYMOUS) &&
	    ev->file != TRACE_NO_FILE)
		return trace_errf(what, len, "anon mmap with a file");
	if (ev->type == EV_SYSCALL && ev->file == TRACE_NO_FILE)
		return trace_errf(what, len, "syscall event without a name");
	if (trace_result_check(t, ev, what, len))
		return -1;
	trace_event_normalize(&n, ev);
	if (n.addr != ev->addr ||
	    n.len != ev->len || n.prot != ev->prot || n.flags != ev->flags ||
	    n.advice != ev->advice || n.file != ev->file ||
	    n.pgoff != ev->pgoff || n.new_len != ev->new_len ||
	    n.new_addr != ev->new_addr || n.write != ev->write ||
	    n.order != ev->order || n.child != ev->child ||
	    n.has_result != ev->has_result || n.result != ev->result)
		return trace_errf(what, len, "%s event with fields it does "
				  "not use set", trace_ev_name(ev->type));
	return 0;
}

int trace_where(const struct trace *t, const struct trace_event *ev,
		char *buf, size_t len)
{
	if (ev->line)
		return snprintf(buf, len, "%s:%" PRIu32, t->path, ev->line);
	return snprintf(buf, len, "%s: event %zu", t->path,
			(size_t)(ev - t->ev) + 1);
}

static bool printable(const char *s, bool space)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    (!space && (*s == ' ' || *s == '#')))
			return false;
	return true;
}

bool trace_reason_ok(const char *s)
{
	const char *c;

	if (!*s || strlen(s) >= sizeof(((struct trace_checkpoint *)0)->reason))
		return false;
	for (c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_' || *c == '-'))
			return false;
	return true;
}

/* A token of the text form: no blanks, no '#', no control bytes. */
bool trace_file_name_ok(const char *s)
{
	return *s && printable(s, false);
}

/* The rest of a text line: inner blanks fine, none at either end. */
bool trace_vma_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n >= sizeof(((struct cp_vma *)0)->name))
		return false;
	if (n && (s[0] == ' ' || s[n - 1] == ' '))
		return false;
	return printable(s, true);
}

bool trace_hdr_str_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool trace_perms_ok(const char *s)
{
	return strlen(s) == 4 && (s[0] == 'r' || s[0] == '-') &&
	       (s[1] == 'w' || s[1] == '-') && (s[2] == 'x' || s[2] == '-') &&
	       (s[3] == 'p' || s[3] == 's');
}

static int cmp_cp(const struct trace_checkpoint *a,
		  const struct trace_checkpoint *b, char *what, size_t len)
{
	size_t i, j;

	if (strcmp(a->reason, b->reason) || a->anon_vma != b->anon_vma ||
	    a->anon_vma_chain != b->anon_vma_chain ||
	    a->has_pfns != b->has_pfns || a->nr_procs != b->nr_procs)
		return trace_errf(what, len, "checkpoint header differs");
	for (i = 0; i < a->nr_procs; i++) {
		const struct cp_proc *p = &a->procs[i], *q = &b->procs[i];

		if (p->pid != q->pid || p->nr_vmas != q->nr_vmas ||
		    p->nr_pages != q->nr_pages)
			return trace_errf(what, len,
					  "checkpoint process %zu differs", i);
		for (j = 0; j < p->nr_vmas; j++) {
			const struct cp_vma *v = &p->vmas[j], *w = &q->vmas[j];

			if (v->start != w->start || v->end != w->end ||
			    v->offset != w->offset ||
			    strcmp(v->perms, w->perms) ||
			    strcmp(v->name, w->name))
				return trace_errf(what, len,
						  "checkpoint pid %" PRId64
						  " vma %zu differs",
						  p->pid, j);
		}
		for (j = 0; j < p->nr_pages; j++) {
			const struct cp_page *v = &p->pages[j];
			const struct cp_page *w = &q->pages[j];

			if (v->addr != w->addr || v->pfn != w->pfn ||
			    v->kflags != w->kflags || v->anon != w->anon ||
			    v->swap != w->swap ||
			    v->swap_type != w->swap_type || v->count != w->count)
				return trace_errf(what, len,
						  "checkpoint pid %" PRId64
						  " page %zu differs",
						  p->pid, j);
		}
	}
	return 0;
}

static const char *file_name(const struct trace *t, uint32_t id)
{
	if (id == TRACE_NO_FILE || id >= t->nr_files)
		return "";
	return t->files[id];
}

static int compare(const struct trace *a, const struct trace *b,
		   char *what, size_t len)
{
	const struct trace_header *h = &a->hdr, *k = &b->hdr;
	size_t i;

	if (h->version != k->version || h->page_size != k->page_size ||
	    strcmp(h->arch, k->arch) || strcmp(h->kernel, k->kernel) ||
	    strcmp(h->thp, k->thp) || strcmp(h->recorder, k->recorder) ||
	    strcmp(h->clock, k->clock) || h->nr_slab != k->nr_slab)
		return trace_errf(what, len, "headers differ");
	for (i = 0; i < h->nr_slab; i++)
		if (strcmp(h->slab[i].name, k->slab[i].name) ||
		    h->slab[i].size != k->slab[i].size)
			return trace_errf(what, len, "headers differ: slab "
					  "%s", h->slab[i].name);
	if (a->nr_ev != b->nr_ev)
		return trace_errf(what, len, "%zu events vs %zu", a->nr_ev,
				  b->nr_ev);
	for (i = 0; i < a->nr_ev; i++) {
		const struct trace_event *e = &a->ev[i], *f = &b->ev[i];

		if (e->type != f->type || e->write != f->write ||
		    e->order != f->order || e->has_result != f->has_result ||
		    e->prot != f->prot || e->flags != f->flags ||
		    e->advice != f->advice || e->pid != f->pid ||
		    e->child != f->child || e->addr != f->addr ||
		    e->len != f->len || e->new_len != f->new_len ||
		    e->new_addr != f->new_addr || e->pgoff != f->pgoff ||
		    e->result != f->result || e->time_ns != f->time_ns ||
		    (e->file == TRACE_NO_FILE) != (f->file == TRACE_NO_FILE) ||
		    strcmp(file_name(a, e->file), file_name(b, f->file)))
			return trace_errf(what, len, "event %zu differs",
					  i + 1);
		if (e->type == EV_CHECKPOINT) {
			char sub[128];

			if (e->cp >= a->nr_cps || f->cp >= b->nr_cps)
				return trace_errf(what, len,
						  "event %zu: bad checkpoint",
						  i + 1);
			if (cmp_cp(&a->cps[e->cp], &b->cps[f->cp], sub,
				   sizeof(sub)))
				return trace_errf(what, len, "event %zu: %s",
						  i + 1, sub);
		}
	}
	return 0;
}

int trace_compare(const struct trace *a, const struct trace *b,
		  char *what, size_t len)
{
	return compare(a, b, what, len) ? 1 : 0;
}
