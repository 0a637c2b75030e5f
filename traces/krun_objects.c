// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exact anon_vma and anon_vma_chain counts for one process tree, from the
 * kmem:kmem_cache_alloc and kmem:kmem_cache_free tracepoints in a private
 * tracefs instance that follows the tree (set_event_pid + event-fork).
 *
 * anon_vma_chain lives in a merged slab cache (fs_cache and eventpoll_pwq
 * allocate from it under the same name), so an allocation counts only when
 * its call site is an rmap function (__anon_vma_prepare, anon_vma_clone,
 * anon_vma_fork); a free counts when it frees an object counted here.
 * Pointers are printed unhashed (option hash-ptr off) so they identify
 * objects exactly.  See traces/KERNEL_RUN.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "traces/internal.h"
#include "traces/krun_internal.h"

#define SYNC_TIMEOUT_MS 10000

enum { OBJ_ANON_VMA, OBJ_AVC, OBJ_NR };

struct krun_objs {
	char dir[PATH_MAX];
	char tag[8];
	int pipe_fd, marker_fd;
	unsigned long seq;
	int64_t live[OBJ_NR];
	/* Open-addressed set of live objects: pointer -> kind + 1. */
	uint64_t *key;
	uint8_t *kind;
	size_t cap, nr;
	char line[1024];
	size_t ll;
	bool synced, lost;
	/*
	 * kmem_cache_alloc has no cache name before Linux 6.13 (only
	 * kmem_cache_free has it): the allocation is then told by its call
	 * site and size.
	 */
	bool alloc_unnamed;
};

/*
 * Between the runs of a batch (krun_objs_keep()) an instance is parked,
 * tracing off, and the next run's start of the same tag takes it back:
 * making and removing one costs about half a second under TCG, the ring
 * buffer allocated and the kmem events' text patched each time.
 */
#define NR_PARKED 2
static struct krun_objs *parked[NR_PARKED];
static bool keeping;

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

/* The mounted tracefs, or NULL. */
static const char *tracefs_root(void)
{
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]);
	     i++) {
		snprintf(p, sizeof(p), "%s/instances", tracefs_roots[i]);
		if (!access(p, F_OK))
			return tracefs_roots[i];
	}
	return NULL;
}

int krun_check_env(bool objects, char *err, size_t errlen)
{
	const char *root;
	char p[PATH_MAX];

	if (geteuid())
		return trace_errf(err, errlen,
				  "kernel-run: must run as root (pagemap "
				  "PFNs, /proc/kpageflags and tracefs need "
				  "it)");
	if (access("/proc/kpageflags", R_OK))
		return trace_errf(err, errlen, "kernel-run: /proc/kpageflags:"
				  " %s", strerror(errno));
	if (!objects)
		return 0;
	root = tracefs_root();
	if (!root)
		return trace_errf(err, errlen,
				  "kernel-run: tracefs is not mounted: run "
				  "'mount -t tracefs nodev /sys/kernel/tracing'"
				  " (or pass --no-objects)");
	snprintf(p, sizeof(p), "%s/events/kmem/kmem_cache_alloc", root);
	if (access(p, F_OK))
		return trace_errf(err, errlen, "kernel-run: %s: no such "
				  "tracepoint in this kernel", p);
	return 0;
}

static int put_file(const struct krun_objs *o, const char *name,
		    const char *val, char *err, size_t errlen)
{
	char p[PATH_MAX + 64];
	size_t n = strlen(val);
	int fd;

	snprintf(p, sizeof(p), "%s/%s", o->dir, name);
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return trace_errf(err, errlen, "kernel-run: %s: %s", p,
				  strerror(errno));
	if (write(fd, val, n) != (ssize_t)n) {
		int e = errno;

		close(fd);
		return trace_errf(err, errlen, "kernel-run: writing '%s' to "
				  "%s: %s", val, p, strerror(e));
	}
	close(fd);
	return 0;
}

static void objs_destroy(struct krun_objs *o)
{
	put_file(o, "tracing_on", "0", NULL, 0);
	if (o->pipe_fd >= 0)
		close(o->pipe_fd);
	if (o->marker_fd >= 0)
		close(o->marker_fd);
	put_file(o, "events/kmem/enable", "0", NULL, 0);
	rmdir(o->dir);
	free(o->key);
	free(o->kind);
	free(o);
}

/*
 * The parked instance of @tag (*@op, NULL if none) made as new: empty
 * buffer, counts and pid list.  -1 when it could not be.
 */
static int objs_unpark(const char *tag, const char *pids,
		       struct krun_objs **op, char *err, size_t errlen)
{
	struct krun_objs *o = NULL;
	size_t i;

	for (i = 0; i < NR_PARKED && !o; i++)
		if (parked[i] && !strcmp(parked[i]->tag, tag)) {
			o = parked[i];
			parked[i] = NULL;
		}
	*op = o;
	if (!o)
		return 0;
	memset(o->live, 0, sizeof(o->live));
	if (o->cap)
		memset(o->kind, 0, o->cap * sizeof(*o->kind));
	o->nr = 0;
	o->ll = 0;
	o->synced = false;
	o->lost = false;
	/* the last run's teardown is still in the buffer */
	if (put_file(o, "trace", "", err, errlen) ||
	    put_file(o, "set_event_pid", pids, err, errlen) ||
	    put_file(o, "tracing_on", "1", err, errlen)) {
		objs_destroy(o);
		*op = NULL;
		return -1;
	}
	return 0;
}

void krun_objs_keep(bool keep)
{
	size_t i;

	keeping = keep;
	if (keep)
		return;
	for (i = 0; i < NR_PARKED; i++) {
		if (parked[i])
			objs_destroy(parked[i]);
		parked[i] = NULL;
	}
}

struct krun_objs *krun_objs_start(const pid_t *roots, size_t nr,
				  const char *tag, char *err, size_t errlen)
{
	static const char *const filter = "name ~ \"anon_vma*\"";
	const char *root = tracefs_root();
	struct krun_objs *o;
	char p[PATH_MAX + 64], val[512];
	size_t i, len = 0;

	if (!root) {
		trace_errf(err, errlen, "kernel-run: tracefs is not mounted: "
			   "run 'mount -t tracefs nodev /sys/kernel/tracing'");
		return NULL;
	}
	val[0] = 0;
	for (i = 0; i < nr && len + 16 < sizeof(val); i++)
		len += snprintf(val + len, sizeof(val) - len, "%s%d",
				i ? " " : "", (int)roots[i]);
	if (keeping) {
		if (objs_unpark(tag, val, &o, err, errlen))
			return NULL;
		if (o)
			return o;
	}
	o = trace_xcalloc(1, sizeof(*o));
	o->pipe_fd = -1;
	o->marker_fd = -1;
	snprintf(o->tag, sizeof(o->tag), "%s", tag);
	snprintf(o->dir, sizeof(o->dir), "%s/instances/rmaplab-%d-%s", root,
		 (int)getpid(), tag);
	/* A stale instance of an earlier process with our pid. */
	rmdir(o->dir);
	if (mkdir(o->dir, 0700)) {
		trace_errf(err, errlen, "kernel-run: mkdir %s: %s", o->dir,
			   strerror(errno));
		free(o);
		return NULL;
	}
	if (put_file(o, "tracing_on", "0", err, errlen) ||
	    put_file(o, "buffer_size_kb", "4096", err, errlen) ||
	    put_file(o, "options/overwrite", "0", err, errlen) ||
	    put_file(o, "options/hash-ptr", "0", err, errlen) ||
	    put_file(o, "options/event-fork", "1", err, errlen) ||
	    put_file(o, "set_event_pid", val, err, errlen))
		goto fail;
	if (put_file(o, "events/kmem/kmem_cache_alloc/filter", filter, err,
		     errlen))
		o->alloc_unnamed = true;
	if (put_file(o, "events/kmem/kmem_cache_free/filter", filter, err,
		     errlen) ||
	    put_file(o, "events/kmem/kmem_cache_alloc/enable", "1", err,
		     errlen) ||
	    put_file(o, "events/kmem/kmem_cache_free/enable", "1", err,
		     errlen))
		goto fail;
	snprintf(p, sizeof(p), "%s/trace_pipe", o->dir);
	o->pipe_fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	snprintf(p, sizeof(p), "%s/trace_marker", o->dir);
	o->marker_fd = open(p, O_WRONLY | O_CLOEXEC);
	if (o->pipe_fd < 0 || o->marker_fd < 0) {
		trace_errf(err, errlen, "kernel-run: %s: %s", p,
			   strerror(errno));
		goto fail;
	}
	if (put_file(o, "tracing_on", "1", err, errlen))
		goto fail;
	return o;
fail:
	objs_destroy(o);
	return NULL;
}

void krun_objs_stop(struct krun_objs *o)
{
	size_t i;

	if (!o)
		return;
	for (i = 0; keeping && i < NR_PARKED; i++)
		if (!parked[i] && !put_file(o, "tracing_on", "0", NULL, 0)) {
			parked[i] = o;
			return;
		}
	objs_destroy(o);
}

static size_t slot(const struct krun_objs *o, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;

	return (h >> 17) & (o->cap - 1);
}

static void set_grow(struct krun_objs *o)
{
	uint64_t *okey = o->key;
	uint8_t *okind = o->kind;
	size_t ocap = o->cap, i, j;

	o->cap = ocap ? ocap * 2 : 1024;
	o->key = trace_xcalloc(o->cap, sizeof(*o->key));
	o->kind = trace_xcalloc(o->cap, sizeof(*o->kind));
	for (i = 0; i < ocap; i++) {
		if (!okind[i])
			continue;
		for (j = slot(o, okey[i]); o->kind[j];
		     j = (j + 1) & (o->cap - 1))
			;
		o->key[j] = okey[i];
		o->kind[j] = okind[i];
	}
	free(okey);
	free(okind);
}

static void obj_alloc(struct krun_objs *o, uint64_t ptr, int kind)
{
	size_t j;

	if ((o->nr + 1) * 2 > o->cap)
		set_grow(o);
	for (j = slot(o, ptr); o->kind[j]; j = (j + 1) & (o->cap - 1))
		if (o->key[j] == ptr)
			break;
	if (o->kind[j]) {
		/* Freed where we could not see it: count it once. */
		o->live[o->kind[j] - 1]--;
		o->nr--;
	}
	o->key[j] = ptr;
	o->kind[j] = kind + 1;
	o->nr++;
	o->live[kind]++;
}

static void obj_free(struct krun_objs *o, uint64_t ptr)
{
	size_t j, k;

	if (!o->cap)
		return;
	for (j = slot(o, ptr); o->kind[j]; j = (j + 1) & (o->cap - 1))
		if (o->key[j] == ptr)
			break;
	if (!o->kind[j])
		return;
	o->live[o->kind[j] - 1]--;
	o->kind[j] = 0;
	o->nr--;
	/* Re-insert the rest of the probe run (linear probing deletion). */
	for (k = (j + 1) & (o->cap - 1); o->kind[k];
	     k = (k + 1) & (o->cap - 1)) {
		uint64_t key = o->key[k];
		uint8_t kind = o->kind[k];
		size_t s;

		o->kind[k] = 0;
		for (s = slot(o, key); o->kind[s]; s = (s + 1) & (o->cap - 1))
			;
		o->key[s] = key;
		o->kind[s] = kind;
	}
}

/* The value of "key=" in @s, up to a space, into @buf. */
static bool field(const char *s, const char *key, char *buf, size_t len)
{
	const char *p = strstr(s, key);
	size_t n;

	if (!p)
		return false;
	p += strlen(key);
	n = strcspn(p, " \n");
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	return true;
}

static void parse_line(struct krun_objs *o, const char *s)
{
	char site[128], ptr[32], name[32], mark[48];
	const char *ev;
	bool alloc;
	int kind;

	snprintf(mark, sizeof(mark), "rmaplab-sync-%lu;", o->seq);
	if (strstr(s, mark)) {
		o->synced = true;
		return;
	}
	if (strstr(s, "LOST") && strstr(s, "EVENTS"))
		o->lost = true;
	if ((ev = strstr(s, ": kmem_cache_alloc: ")))
		alloc = true;
	else if ((ev = strstr(s, ": kmem_cache_free: ")))
		alloc = false;
	else
		return;
	if (!field(ev, "call_site=", site, sizeof(site)) ||
	    !field(ev, "ptr=", ptr, sizeof(ptr)))
		return;
	/*
	 * A free counts by its pointer alone: Debian's 6.1 prints the
	 * kmem_cache_free event with an empty name= (the filter still
	 * matched it), and only pointers counted as allocated are freed.
	 */
	if (!alloc) {
		obj_free(o, strtoull(ptr, NULL, 16));
		return;
	}
	if (o->alloc_unnamed) {
		/*
		 * The rmap functions allocate from these two caches only;
		 * an anon_vma_chain is 64 bytes, an anon_vma larger.
		 */
		char req[24];

		if (!strstr(site, "anon_vma") ||
		    !field(ev, "bytes_req=", req, sizeof(req)))
			return;
		snprintf(name, sizeof(name), "%s", strtoul(req, NULL, 10) ==
			 64 ? "anon_vma_chain" : "anon_vma");
	} else if (!field(ev, "name=", name, sizeof(name))) {
		return;
	}
	if (!strcmp(name, "anon_vma"))
		kind = OBJ_ANON_VMA;
	else if (!strcmp(name, "anon_vma_chain"))
		kind = OBJ_AVC;
	else
		return;
	/* Merged cache: only the rmap code's own allocations count. */
	if (!strstr(site, "anon_vma"))
		return;
	obj_alloc(o, strtoull(ptr, NULL, 16), kind);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/*
 * Read what the pipe has and parse its whole lines: the bytes read, or -1
 * with errno (EAGAIN: nothing yet).
 */
static ssize_t pipe_read(struct krun_objs *o)
{
	char buf[8192];
	ssize_t n, i;

	n = read(o->pipe_fd, buf, sizeof(buf));
	for (i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (o->ll < sizeof(o->line) - 1)
				o->line[o->ll++] = buf[i];
			continue;
		}
		o->line[o->ll] = 0;
		o->ll = 0;
		parse_line(o, o->line);
	}
	return n;
}

static int lost_err(const struct krun_objs *o, char *err, size_t errlen)
{
	return trace_errf(err, errlen, "kernel-run: %s: the trace buffer lost "
			  "events; counts unknown", o->dir);
}

int krun_objs_drain(struct krun_objs *o, char *err, size_t errlen)
{
	while (pipe_read(o) > 0)
		;
	return o->lost ? lost_err(o, err, errlen) : 0;
}

int krun_objs_sync(struct krun_objs *o, char *err, size_t errlen)
{
	uint64_t deadline;
	char mark[48];
	ssize_t n;
	int len;

	o->seq++;
	o->synced = false;
	len = snprintf(mark, sizeof(mark), "rmaplab-sync-%lu;\n", o->seq);
	if (write(o->marker_fd, mark, len) != len) {
		/* a full buffer that does not overwrite refuses the marker */
		if (errno == EBADF)
			return lost_err(o, err, errlen);
		return trace_errf(err, errlen, "kernel-run: trace_marker: %s",
				  strerror(errno));
	}
	deadline = now_ms() + SYNC_TIMEOUT_MS;
	while (!o->synced) {
		n = pipe_read(o);
		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd pfd = { .fd = o->pipe_fd,
					      .events = POLLIN };

			if (now_ms() > deadline)
				return trace_errf(err, errlen,
						  "kernel-run: %s/trace_pipe: "
						  "sync marker never came",
						  o->dir);
			poll(&pfd, 1, 10);
			continue;
		}
		if (n <= 0)
			return trace_errf(err, errlen, "kernel-run: %s/"
					  "trace_pipe: %s", o->dir,
					  n ? strerror(errno) : "EOF");
	}
	return o->lost ? lost_err(o, err, errlen) : 0;
}

void krun_objs_counts(const struct krun_objs *o, int64_t *anon_vma,
		      int64_t *anon_vma_chain)
{
	*anon_vma = o->live[OBJ_ANON_VMA];
	*anon_vma_chain = o->live[OBJ_AVC];
}
