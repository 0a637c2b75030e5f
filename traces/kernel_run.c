// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernel-run's controller: executes a trace on the running kernel with one
 * real process per PID label, one event at a time in trace order, and
 * records what the kernel did.
 *
 * Two process trees run side by side: the main tree performs every event;
 * the baseline tree performs only the forks and exits, so the anon_vma
 * objects it allocates are those of the workers' own memory.  The
 * difference of the two trees' live objects is what the trace's mappings
 * hold.  Workers talk to the controller over a SOCK_SEQPACKET socket each;
 * a forking worker receives its child's socket with the fork command.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/internal.h"
#include "traces/kernel_run.h"
#include "traces/krun_internal.h"

#define REPLY_TIMEOUT_MS 30000
#define FILE_SIZE (1ULL << 30)

enum { TREE_MAIN, TREE_BASE, TREE_NR };

struct wproc {
	int64_t label;
	pid_t pid;
	int sock;		/* controller's end of the channel */
	int pidfd;
	bool alive;
	bool root;		/* a child of the controller */
};

struct tree {
	struct wproc *w;
	size_t nr, cap;
	struct krun_objs *objs;
};

struct krun {
	const struct trace *in;
	const struct krun_opts *o;
	struct krun_result *res;
	struct tree tree[TREE_NR];
	int nr_trees;
	struct krun_ranges ranges;
	struct krun_files files;
	struct krun_limits lim;
	struct krun_cgroup cg;
	struct krun_swap swap;		/* reclaim and pageout events */
	bool swapping;
	cpu_set_t cpus;			/* affinity before pinning */
	FILE *warn;
	char *err;
	size_t errlen;
};

/* "FILE:LINE: " of an input event, for error lines. */
static int ev_errf(struct krun *k, const struct trace_event *ev,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int ev_errf(struct krun *k, const struct trace_event *ev,
		   const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (ev->line)
		return trace_errf(k->err, k->errlen, "%s:%u: %s",
				  k->in->path, ev->line, what);
	return trace_errf(k->err, k->errlen, "%s: event %zu: %s",
			  k->in->path, (size_t)(ev - k->in->ev), what);
}

static struct wproc *find_proc(struct tree *t, int64_t label)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (t->w[i].label == label && t->w[i].alive)
			return &t->w[i];
	return NULL;
}

static struct wproc *add_proc(struct tree *t, int64_t label, pid_t pid,
			      int sock)
{
	struct wproc *w;

	trace_grow((void **)&t->w, &t->cap, t->nr, sizeof(*t->w));
	w = &t->w[t->nr++];
	memset(w, 0, sizeof(*w));
	w->label = label;
	w->pid = pid;
	w->sock = sock;
	w->alive = true;
	w->pidfd = syscall(SYS_pidfd_open, pid, 0);
	return w;
}

/* ---- input checks ------------------------------------------------- */

static uint64_t end_of(uint64_t a, uint64_t len)
{
	return a + len < a ? UINT64_MAX : a + len;
}

/* The address ranges an event names, at most two. */
static int ev_ranges(const struct trace_event *ev, uint64_t r[2][2])
{
	switch (ev->type) {
	case EV_MMAP:
	case EV_MUNMAP:
	case EV_MPROTECT:
	case EV_MADVISE:
	case EV_MLOCK:
	case EV_MUNLOCK:
	case EV_MSEAL:
	case EV_PKEY_MPROTECT:
	case EV_UFFD_REGISTER:
	case EV_UFFD_UNREGISTER:
	case EV_RECLAIM:
	case EV_PAGEOUT:
		r[0][0] = ev->addr;
		r[0][1] = end_of(ev->addr, ev->len);
		return 1;
	case EV_MREMAP:
		r[0][0] = ev->addr;
		r[0][1] = end_of(ev->addr, ev->len > ev->new_len ?
				 ev->len : ev->new_len);
		if (!(ev->flags & MREMAP_FIXED))
			return 1;
		r[1][0] = ev->new_addr;
		r[1][1] = end_of(ev->new_addr, ev->new_len);
		return 2;
	case EV_FAULT:
		r[0][0] = ev->addr & ~((uint64_t)sysconf(_SC_PAGESIZE) - 1);
		r[0][1] = r[0][0] + sysconf(_SC_PAGESIZE);
		return 1;
	default:
		return 0;
	}
}

/* NUMA nodes online: "0" is one, "0-1" two. */
static int krun_numa_nodes(void)
{
	char buf[64] = "";
	int a = 0, b = 0;
	FILE *f = fopen("/sys/devices/system/node/online", "re");

	if (!f)
		return 1;
	if (fgets(buf, sizeof(buf), f) && sscanf(buf, "%d-%d", &a, &b) == 2)
		b = b - a + 1;
	else
		b = 1;
	fclose(f);
	return b;
}

/* Our own mappings, which a MAP_FIXED in a worker would destroy. */
static int read_own_maps(struct krun_ranges *own)
{
	unsigned long long s, e;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	f = fopen("/proc/self/maps", "re");
	if (!f)
		return -1;
	while (getline(&line, &cap, f) > 0)
		if (sscanf(line, "%llx-%llx", &s, &e) == 2)
			krun_ranges_add(own, s, e);
	free(line);
	fclose(f);
	return 0;
}

/*
 * Which labels exist when, which are initial processes, and which address
 * ranges the trace touches; refuse what kernel-run cannot execute.
 */
static int check_input(struct krun *k, int64_t **roots, size_t *nr_roots)
{
	const struct trace *in = k->in;
	struct {
		int64_t label;
		bool alive;
	} *seen = NULL;
	size_t nr_seen = 0, cap_seen = 0, i, j;
	struct krun_ranges own = { 0 };
	size_t cap_roots = 0;
	int ret = -1;

	*roots = NULL;
	*nr_roots = 0;
	if (read_own_maps(&own))
		return trace_errf(k->err, k->errlen, "kernel-run: "
				  "/proc/self/maps: %s", strerror(errno));
	for (i = 0; i < in->nr_ev; i++) {
		const struct trace_event *ev = &in->ev[i];
		uint64_t r[2][2];
		int n, m;

		switch (ev->type) {
		case EV_CHECKPOINT:
			continue;
		case EV_BRK:
		case EV_THREAD:
		case EV_EXEC:
		case EV_SYSCALL:
			ev_errf(k, ev, "kernel-run cannot execute '%s' events",
				trace_ev_name(ev->type));
			goto out;
		case EV_MIGRATE:
			ev_errf(k, ev, "kernel-run cannot execute 'migrate': "
				"move_pages() needs a second NUMA node, this "
				"machine has %d", krun_numa_nodes());
			goto out;
		case EV_RECLAIM:
		case EV_PAGEOUT:
			k->swapping = true;
			break;
		case EV_MADVISE:
			k->swapping |= ev->advice == MADV_PAGEOUT;
			break;
		default:
			break;
		}
		for (j = 0; j < nr_seen && seen[j].label != ev->pid; j++)
			;
		if (j == nr_seen) {
			trace_grow((void **)&seen, &cap_seen, nr_seen,
				   sizeof(*seen));
			seen[nr_seen].label = ev->pid;
			seen[nr_seen++].alive = true;
			trace_grow((void **)roots, &cap_roots, *nr_roots,
				   sizeof(**roots));
			(*roots)[(*nr_roots)++] = ev->pid;
		} else if (!seen[j].alive) {
			ev_errf(k, ev, "process %" PRId64
				" used after its exit", ev->pid);
			goto out;
		}
		if (ev->type == EV_EXIT)
			seen[j].alive = false;
		if (ev->type == EV_FORK) {
			for (j = 0; j < nr_seen; j++)
				if (seen[j].label == ev->child)
					break;
			if (j < nr_seen) {
				ev_errf(k, ev, "fork child %" PRId64 " already "
					"exists", ev->child);
				goto out;
			}
			trace_grow((void **)&seen, &cap_seen, nr_seen,
				   sizeof(*seen));
			seen[nr_seen].label = ev->child;
			seen[nr_seen++].alive = true;
		}
		if (ev->type == EV_MMAP && ev->file != TRACE_NO_FILE &&
		    ev->file >= in->nr_files) {
			ev_errf(k, ev, "bad file index");
			goto out;
		}
		n = ev_ranges(ev, r);
		for (m = 0; m < n; m++) {
			if (krun_ranges_overlap(&own, r[m][0], r[m][1])) {
				ev_errf(k, ev, "range 0x%" PRIx64 "-0x%" PRIx64
					" overlaps kernel-run's own memory; "
					"the trace must use addresses this "
					"process leaves free", r[m][0],
					r[m][1]);
				goto out;
			}
			krun_ranges_add(&k->ranges, r[m][0], r[m][1]);
		}
	}
	ret = 0;
out:
	free(seen);
	krun_ranges_free(&own);
	if (ret) {
		free(*roots);
		*roots = NULL;
	}
	return ret;
}

/* ---- files -------------------------------------------------------- */

static int make_files(struct krun *k)
{
	const char *tmp = k->o->tmpdir;
	struct krun_files *f = &k->files;
	size_t i;

	if (!tmp)
		tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	f->nr = 0;
	if (!k->in->nr_files)
		return 0;
	snprintf(f->dir, sizeof(f->dir), "%s/rmaplab-krun-XXXXXX", tmp);
	if (!mkdtemp(f->dir)) {
		trace_errf(k->err, k->errlen, "kernel-run: mkdtemp %s: %s",
			   f->dir, strerror(errno));
		f->dir[0] = 0;
		return -1;
	}
	f->names = trace_xcalloc(k->in->nr_files, sizeof(*f->names));
	f->fds = trace_xcalloc(k->in->nr_files, sizeof(*f->fds));
	for (i = 0; i < k->in->nr_files; i++) {
		char path[PATH_MAX], *c;

		f->names[i] = trace_xstrdup(k->in->files[i]);
		/* Trace names are identities, not paths. */
		for (c = f->names[i]; *c; c++)
			if (*c == '/')
				*c = '_';
		snprintf(path, sizeof(path), "%s/%s", f->dir, f->names[i]);
		f->fds[i] = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
				 0600);
		f->nr = i + 1;
		if (f->fds[i] < 0 || ftruncate(f->fds[i], FILE_SIZE))
			return trace_errf(k->err, k->errlen,
					  "kernel-run: %s: %s", path,
					  strerror(errno));
	}
	return 0;
}

static void remove_files(struct krun *k)
{
	struct krun_files *f = &k->files;
	size_t i;

	for (i = 0; i < f->nr; i++) {
		char path[PATH_MAX];

		if (f->fds[i] >= 0)
			close(f->fds[i]);
		snprintf(path, sizeof(path), "%s/%s", f->dir, f->names[i]);
		unlink(path);
	}
	if (f->dir[0])
		rmdir(f->dir);
	for (i = 0; i < f->nr; i++)
		free(f->names[i]);
	free(f->names);
	free(f->fds);
	memset(f, 0, sizeof(*f));
}

/* ---- talking to workers ------------------------------------------- */

static int send_cmd(struct krun *k, struct wproc *w,
		    const struct krun_cmd *c, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = (void *)c, .iov_len = sizeof(*c) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (fd >= 0) {
		struct cmsghdr *cm;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do {
		n = sendmsg(w->sock, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != sizeof(*c))
		return trace_errf(k->err, k->errlen, "kernel-run: process %"
				  PRId64 " (pid %d) is gone: %s", w->label,
				  (int)w->pid, strerror(errno));
	return 0;
}

static int interrupted(struct krun *k)
{
	const char *name = sigabbrev_np(krun_interrupted());

	return trace_errf(k->err, k->errlen, "kernel-run: interrupted by "
			  "SIG%s: processes killed, tracing and files removed",
			  name ? name : "?");
}

static int recv_reply(struct krun *k, int sock, int64_t label,
		      struct krun_reply *r)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	ssize_t n;
	int p;

	do {
		p = poll(&pfd, 1, REPLY_TIMEOUT_MS);
	} while (p < 0 && errno == EINTR && !krun_interrupted());
	if (krun_interrupted())
		return interrupted(k);
	if (p == 0)
		return trace_errf(k->err, k->errlen, "kernel-run: process %"
				  PRId64 " did not answer in %d s", label,
				  REPLY_TIMEOUT_MS / 1000);
	do {
		n = recv(sock, r, sizeof(*r), 0);
	} while (n < 0 && errno == EINTR);
	if (n != sizeof(*r))
		return trace_errf(k->err, k->errlen, "kernel-run: process %"
				  PRId64 " died unexpectedly", label);
	return 0;
}

/* Wait until @w's process has exited (its mm is gone by then). */
static int wait_gone(struct krun *k, struct wproc *w)
{
	struct pollfd pfd = { .fd = w->pidfd, .events = POLLIN };
	int p;

	if (w->pidfd < 0) {
		/* No pidfd: the channel closes when the files are put. */
		char c;

		while (recv(w->sock, &c, 1, 0) > 0)
			;
		return 0;
	}
	do {
		p = poll(&pfd, 1, REPLY_TIMEOUT_MS);
	} while (p < 0 && errno == EINTR);
	if (p <= 0)
		return trace_errf(k->err, k->errlen, "kernel-run: process %"
				  PRId64 " (pid %d) does not exit", w->label,
				  (int)w->pid);
	return 0;
}

static void close_proc(struct wproc *w)
{
	siginfo_t si;

	if (w->sock >= 0)
		close(w->sock);
	/*
	 * Reap our own children: the roots, and workers orphaned to us if
	 * we are a subreaper.  Other workers were reaped by their parents.
	 */
	if (w->pidfd >= 0)
		waitid(P_PIDFD, w->pidfd, &si, WEXITED |
		       (w->root ? 0 : WNOHANG));
	else if (w->root)
		waitpid(w->pid, NULL, 0);
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->sock = -1;
	w->pidfd = -1;
	w->alive = false;
}

/* Close every descriptor but 0-2 and @keep[] (sorted not required). */
static void close_others(const int *keep, size_t nr)
{
	unsigned int fd = 3, next;
	size_t i;

	for (;;) {
		next = UINT_MAX;
		for (i = 0; i < nr; i++)
			if (keep[i] >= (int)fd && (unsigned int)keep[i] < next)
				next = keep[i];
		if (next > fd)
			syscall(SYS_close_range, fd, next - 1, 0);
		if (next == UINT_MAX)
			return;
		fd = next + 1;
	}
}

static int spawn_root(struct krun *k, struct tree *t, int64_t label)
{
	struct krun_reply r;
	struct wproc *w;
	int sv[2], *keep;
	size_t i;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return trace_errf(k->err, k->errlen, "kernel-run: socketpair:"
				  " %s", strerror(errno));
	keep = trace_xcalloc(k->files.nr + 1, sizeof(*keep));
	keep[0] = sv[1];
	for (i = 0; i < k->files.nr; i++)
		keep[i + 1] = k->files.fds[i];
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		free(keep);
		close(sv[0]);
		close(sv[1]);
		return trace_errf(k->err, k->errlen, "kernel-run: fork: %s",
				  strerror(errno));
	}
	if (!pid) {
		close_others(keep, k->files.nr + 1);
		krun_worker_prepare();
		krun_worker_main(sv[1]);
	}
	free(keep);
	close(sv[1]);
	/* before its first command: everything it forks stays inside */
	krun_cgroup_add(&k->cg, pid);
	w = add_proc(t, label, pid, sv[0]);
	w->root = true;
	return recv_reply(k, w->sock, label, &r);
}

static void kill_tree(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		struct wproc *w = &t->w[i];

		if (!w->alive)
			continue;
		if (w->pidfd >= 0)
			syscall(SYS_pidfd_send_signal, w->pidfd, SIGKILL, NULL,
				0);
		else
			kill(w->pid, SIGKILL);
	}
	for (i = 0; i < t->nr; i++) {
		struct wproc *w = &t->w[i];

		if (!w->alive)
			continue;
		if (w->pidfd >= 0) {
			struct pollfd pfd = { .fd = w->pidfd,
					      .events = POLLIN };

			poll(&pfd, 1, REPLY_TIMEOUT_MS);
		}
		close_proc(w);
	}
	free(t->w);
	t->w = NULL;
	t->nr = t->cap = 0;
}

/* ---- one event ------------------------------------------------------ */

static int do_fork(struct krun *k, struct tree *t, struct wproc *w,
		   const struct trace_event *ev)
{
	struct krun_cmd c = { .op = KRUN_FORK };
	struct krun_reply r, hello;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return trace_errf(k->err, k->errlen, "kernel-run: socketpair:"
				  " %s", strerror(errno));
	if (send_cmd(k, w, &c, sv[1])) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	close(sv[1]);
	if (recv_reply(k, w->sock, w->label, &r)) {
		close(sv[0]);
		return -1;
	}
	if (r.result < 0) {
		close(sv[0]);
		return ev_errf(k, ev, "fork failed: %s",
			       strerror((int)-r.result));
	}
	/* add_proc may move t->w: @w is stale after it. */
	add_proc(t, ev->child, r.pid, sv[0]);
	return recv_reply(k, sv[0], ev->child, &hello);
}

static int do_exit(struct krun *k, struct wproc *w)
{
	struct krun_cmd c = { .op = KRUN_EXIT };

	if (send_cmd(k, w, &c, -1) || wait_gone(k, w))
		return -1;
	close_proc(w);
	return 0;
}

static void fill_cmd(const struct krun *k, const struct trace_event *ev,
		     struct krun_cmd *c)
{
	memset(c, 0, sizeof(*c));
	c->addr = ev->addr;
	c->len = ev->len;
	c->prot = ev->prot;
	c->flags = ev->flags;
	c->advice = ev->advice;
	c->new_len = ev->new_len;
	c->new_addr = ev->new_addr;
	c->write = ev->write;
	c->fd = -1;
	switch (ev->type) {
	case EV_MMAP:
		c->op = KRUN_MMAP;
		if (ev->file != TRACE_NO_FILE && ev->file < k->files.nr)
			c->fd = k->files.fds[ev->file];
		c->off = ev->pgoff * k->in->hdr.page_size;
		break;
	case EV_MUNMAP:
		c->op = KRUN_MUNMAP;
		break;
	case EV_MPROTECT:
		c->op = KRUN_MPROTECT;
		break;
	case EV_MADVISE:
		c->op = KRUN_MADVISE;
		break;
	case EV_PAGEOUT:
		c->op = KRUN_MADVISE;
		c->advice = MADV_PAGEOUT;
		break;
	case EV_MREMAP:
		c->op = KRUN_MREMAP;
		break;
	case EV_FAULT:
		c->op = KRUN_FAULT;
		break;
	case EV_MLOCK:
		c->op = KRUN_MLOCK;
		break;
	case EV_MUNLOCK:
		c->op = KRUN_MUNLOCK;
		break;
	case EV_MLOCKALL:
		c->op = KRUN_MLOCKALL;
		break;
	case EV_MUNLOCKALL:
		c->op = KRUN_MUNLOCKALL;
		break;
	case EV_MSEAL:
		c->op = KRUN_MSEAL;
		break;
	case EV_PKEY_MPROTECT:
		c->op = KRUN_PKEY_MPROTECT;
		break;
	case EV_UFFD_REGISTER:
		c->op = KRUN_UFFD_REGISTER;
		break;
	case EV_UFFD_UNREGISTER:
		c->op = KRUN_UFFD_UNREGISTER;
		break;
	default:
		c->op = KRUN_NOP;
		break;
	}
}

static void put_result(struct krun *k, const struct trace_event *in,
		       struct trace_event *out, int64_t result)
{
	char a[32], b[32];

	out->result = result;
	/* As in the kernel vectors: addresses always, 0 for success never. */
	out->has_result = in->type == EV_MMAP || in->type == EV_MREMAP ||
			  result != 0;
	if (!in->has_result || in->result == result)
		return;
	if (result < 0 && errno_name(-result))
		snprintf(a, sizeof(a), "-%s", errno_name(-result));
	else
		snprintf(a, sizeof(a), "0x%" PRIx64, (uint64_t)result);
	if (in->result < 0 && errno_name(-in->result))
		snprintf(b, sizeof(b), "-%s", errno_name(-in->result));
	else
		snprintf(b, sizeof(b), "0x%" PRIx64, (uint64_t)in->result);
	if (in->line)
		fprintf(k->warn, "%s:%u: warning: the kernel returned %s, the "
			"trace says %s\n", k->in->path, in->line, a, b);
	else
		fprintf(k->warn, "%s: event %zu: warning: the kernel returned "
			"%s, the trace says %s\n", k->in->path,
			(size_t)(in - k->in->ev), a, b);
}

static int add_skip(struct krun *k, const struct trace_event *ev, int sig)
{
	struct krun_result *res = k->res;
	struct krun_skip *s;

	res->skips = trace_xrealloc(res->skips, res->nr_skips + 1,
				    sizeof(*res->skips));
	s = &res->skips[res->nr_skips++];
	memset(s, 0, sizeof(*s));
	s->before = res->out.nr_ev;
	s->ev = *ev;
	snprintf(s->why, sizeof(s->why), "err %s",
		 sig == SIGSEGV ? "segv" : sig == SIGBUS ? "sigbus" :
		 sigabbrev_np(sig) ? sigabbrev_np(sig) : "signal");
	return 0;
}

/* ---- reclaim ------------------------------------------------------ */

#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define RECLAIM_TRIES	64
#define KPF_UNEVICTABLE_BIT	18
#define KPF_MLOCKED_BIT		33

struct rpage {
	struct wproc *w;
	uint64_t addr, ent;
	bool anon;			/* an anon folio before the squeeze */
	bool target;
};

/* Every page of every live main-tree process in the trace's ranges. */
static struct rpage *reclaim_pages_of(struct krun *k, size_t *nr)
{
	struct tree *t = &k->tree[TREE_MAIN];
	uint64_t psz = k->in->hdr.page_size, a;
	struct rpage *v = NULL;
	size_t n = 0, cap = 0, i, j;

	for (i = 0; i < t->nr; i++) {
		if (!t->w[i].alive)
			continue;
		for (j = 0; j < k->ranges.nr; j++) {
			for (a = k->ranges.r[j][0] & ~(psz - 1);
			     a < k->ranges.r[j][1]; a += psz) {
				uint64_t ent;

				if (krun_pagemap_ent(t->w[i].pid, a, &ent) ||
				    !(ent & PM_PRESENT))
					continue;
				trace_grow((void **)&v, &cap, n, sizeof(*v));
				v[n].w = &t->w[i];
				v[n].addr = a;
				v[n].ent = ent;
				v[n].anon = krun_pfn_anon(ent & PM_PFN_MASK);
				v[n].target = false;
				n++;
			}
		}
	}
	*nr = n;
	return v;
}

/*
 * `PID reclaim ADDR LEN`: the anon folios mapped there are reclaimed,
 * wherever else they are mapped.  The kernel has no call for that: the
 * cgroup is squeezed until every mapping of those folios is a swap entry
 * (pagemap), then every other page the squeeze took is faulted back by a
 * read in the process that had it, which maps the same swap-cache folio
 * with the same exclusivity: the state the model's reclaim leaves.
 */
static int do_reclaim(struct krun *k, struct wproc *w,
		      const struct trace_event *ev)
{
	uint64_t start = ev->addr, end = end_of(ev->addr, ev->len), ent;
	struct rpage *v;
	size_t n, i, j, left = 0;
	int tries, ret = -1;

	v = reclaim_pages_of(k, &n);
	/* Targets: the anon pfns mapped in the range, and their mappings. */
	for (i = 0; i < n; i++) {
		uint64_t pfn = v[i].ent & PM_PFN_MASK;

		uint64_t kf;

		if (v[i].w != w || v[i].addr < start || v[i].addr >= end ||
		    !v[i].anon)
			continue;
		/* mlocked: unevictable, the model's reclaim skips it too */
		if (!krun_kpageflags(pfn, &kf) &&
		    (kf & ((1ULL << KPF_UNEVICTABLE_BIT) |
			   (1ULL << KPF_MLOCKED_BIT))))
			continue;
		for (j = 0; j < n; j++)
			if ((v[j].ent & PM_PFN_MASK) == pfn)
				v[j].target = true;
	}
	for (tries = 0; tries < RECLAIM_TRIES; tries++) {
		/* Later rounds: let writeback and LRU rotation catch up. */
		if (tries)
			usleep(tries < 8 ? 1000 : 10000);
		krun_swap_squeeze(&k->swap);
		/* Done: a swap entry, or nothing (a dropped folio). */
		for (i = 0, left = 0; i < n; i++)
			if (v[i].target &&
			    (krun_pagemap_ent(v[i].w->pid, v[i].addr, &ent) ||
			     (ent & PM_PRESENT)))
				left++;
		if (!left)
			break;
	}
	if (left) {
		uint64_t kf = 0;

		for (i = 0; i < n; i++)
			if (v[i].target &&
			    !krun_pagemap_ent(v[i].w->pid, v[i].addr, &ent) &&
			    (ent & PM_PRESENT))
				break;
		if (i < n)
			krun_kpageflags(v[i].ent & PM_PFN_MASK, &kf);
		ev_errf(k, ev, "the kernel left %zu mapping(s) of the "
			"range's folios unreclaimed after %d squeezes (%"
			PRId64 ":0x%" PRIx64 ", kpageflags 0x%" PRIx64 ")",
			left, RECLAIM_TRIES, i < n ? v[i].w->label : 0,
			i < n ? v[i].addr : 0, kf);
		goto out;
	}
	/*
	 * Read back through /proc/PID/mem: a read fault even where the VMA
	 * does not allow reading (FOLL_FORCE), as PROT_NONE ones.
	 */
	for (i = 0; i < n; i++) {
		if (v[i].target ||
		    krun_pagemap_ent(v[i].w->pid, v[i].addr, &ent) ||
		    (ent & PM_PRESENT))
			continue;
		if (!(ent & PM_SWAP) && v[i].anon) {
			ev_errf(k, ev, "the squeeze dropped the anon page at "
				"0x%" PRIx64 " of process %" PRId64 " (lazy-free"
				" or MAP_DROPPABLE), which cannot be read back",
				v[i].addr, v[i].w->label);
			goto out;
		}
		if (krun_mem_read(v[i].w->pid, v[i].addr)) {
			ev_errf(k, ev, "reading 0x%" PRIx64 " back in process "
				"%" PRId64 ": %s", v[i].addr, v[i].w->label,
				strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	free(v);
	return ret;
}

/* The event on the main tree; fills @out, or records a skip. */
static int run_main(struct krun *k, const struct trace_event *ev)
{
	struct tree *t = &k->tree[TREE_MAIN];
	struct wproc *w = find_proc(t, ev->pid);
	struct trace_event *out;
	struct krun_reply r;
	struct krun_cmd c;

	if (!w)
		return ev_errf(k, ev, "no live process %" PRId64, ev->pid);
	if (ev->type == EV_FORK) {
		if (do_fork(k, t, w, ev))
			return -1;
		out = trace_append(&k->res->out);
		*out = *ev;
		out->has_result = 0;
		return 0;
	}
	if (ev->type == EV_EXIT) {
		if (do_exit(k, w))
			return -1;
		out = trace_append(&k->res->out);
		*out = *ev;
		out->has_result = 0;
		return 0;
	}
	if (ev->type == EV_RECLAIM) {
		if (do_reclaim(k, w, ev))
			return -1;
		out = trace_append(&k->res->out);
		*out = *ev;
		out->has_result = 0;
		return 0;
	}
	fill_cmd(k, ev, &c);
	if (send_cmd(k, w, &c, -1) || recv_reply(k, w->sock, w->label, &r))
		return -1;
	if (ev->type == EV_FAULT && r.sig)
		return add_skip(k, ev, r.sig);
	out = trace_append(&k->res->out);
	*out = *ev;
	if (ev->type == EV_FAULT) {
		out->has_result = 0;
		out->order = 0;
		if (ev->write && krun_folio_order(w->pid, ev->addr, &out->order,
						  k->err, k->errlen))
			return -1;
		return 0;
	}
	put_result(k, ev, out, r.result);
	/* The kernel chose the place: snapshot it too. */
	if ((ev->type == EV_MMAP || ev->type == EV_MREMAP) && r.result > 0)
		krun_ranges_add(&k->ranges, r.result, end_of(r.result,
			ev->type == EV_MMAP ? ev->len : ev->new_len));
	return 0;
}

/* The event's shadow in the baseline tree: forks and exits only. */
static int run_base(struct krun *k, const struct trace_event *ev)
{
	struct tree *t = &k->tree[TREE_BASE];
	struct wproc *w = find_proc(t, ev->pid);
	struct krun_cmd c = { .op = KRUN_NOP };
	struct krun_reply r;

	if (!w)
		return ev_errf(k, ev, "no live baseline process %" PRId64,
			       ev->pid);
	if (ev->type == EV_FORK)
		return do_fork(k, t, w, ev);
	if (ev->type == EV_EXIT)
		return do_exit(k, w);
	/* Same round trip as the main tree, nothing done. */
	if (send_cmd(k, w, &c, -1) || recv_reply(k, w->sock, w->label, &r))
		return -1;
	return 0;
}

/* ---- checkpoints ---------------------------------------------------- */

static int cmp_label(const void *a, const void *b)
{
	const struct wproc *x = *(const struct wproc *const *)a;
	const struct wproc *y = *(const struct wproc *const *)b;

	return x->label < y->label ? -1 : x->label > y->label;
}

static int checkpoint(struct krun *k, int64_t pid, const char *reason)
{
	struct tree *t = &k->tree[TREE_MAIN];
	struct trace_checkpoint *cp;
	struct wproc **live;
	size_t i, n = 0;
	int ret = 0;

	live = trace_xcalloc(t->nr + 1, sizeof(*live));
	for (i = 0; i < t->nr; i++)
		if (t->w[i].alive)
			live[n++] = &t->w[i];
	qsort(live, n, sizeof(*live), cmp_label);
	cp = trace_new_checkpoint(&k->res->out, pid, reason);
	for (i = 0; i < n && !ret; i++) {
		struct cp_proc *p = checkpoint_add_proc(cp, live[i]->label);

		ret = krun_snapshot(p, live[i]->pid, &k->ranges, &k->files,
				    k->err, k->errlen);
	}
	free(live);
	if (ret || k->nr_trees < TREE_NR)
		return ret;
	{
		int64_t av[TREE_NR], avc[TREE_NR];
		int j;

		for (j = 0; j < TREE_NR; j++) {
			if (krun_objs_sync(k->tree[j].objs, k->err, k->errlen))
				return -1;
			krun_objs_counts(k->tree[j].objs, &av[j], &avc[j]);
		}
		cp->anon_vma = av[TREE_MAIN] - av[TREE_BASE];
		cp->anon_vma_chain = avc[TREE_MAIN] - avc[TREE_BASE];
	}
	return 0;
}

/*
 * Between checkpoints the anon_vma slab events pile up in the instances'
 * ring buffers (4 MiB a CPU, not overwriting, so a full one loses them):
 * a fork and exit of a process with 1000 anon VMAs trace 6000.  They are
 * read after every event, a read that finds little costing far less than
 * the event's round trip to its worker.
 */
static int drain(struct krun *k)
{
	int j;

	/* the counting instances run only beside the base tree */
	if (k->nr_trees < TREE_NR)
		return 0;
	for (j = 0; j < TREE_NR; j++)
		if (krun_objs_drain(k->tree[j].objs, k->err, k->errlen))
			return -1;
	return 0;
}

/* ---- the run -------------------------------------------------------- */

static void read_thp_mode(char *buf, size_t len)
{
	char s[128], *a, *b;
	FILE *f;

	snprintf(buf, len, "unknown");
	f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "re");
	if (!f)
		return;
	if (fgets(s, sizeof(s), f) && (a = strchr(s, '[')) &&
	    (b = strchr(a, ']'))) {
		*b = 0;
		snprintf(buf, len, "%s", a + 1);
	}
	fclose(f);
}

/*
 * Debian 12 names its 6.1 kernels by ABI ("6.1.0-57-amd64") and gives the
 * stable release only in uname -v ("... Debian 6.1.192-3 ..."); the model
 * needs the sublevel to know which stable fixes the kernel has, so such a
 * release is recorded as "6.1.192+6.1.0-57-amd64".
 */
void krun_release(char *buf, size_t len)
{
	unsigned int maj, min, sub, dmaj, dmin, dsub;
	struct utsname u;
	const char *deb;
	int n = 0;

	buf[0] = 0;
	if (uname(&u))
		return;
	snprintf(buf, len, "%.63s", u.release);
	deb = strstr(u.version, "Debian ");
	if (!deb || sscanf(u.release, "%u.%u.%u%n", &maj, &min, &sub,
			   &n) != 3 || sub || u.release[n] != '-' ||
	    sscanf(deb + 7, "%u.%u.%u", &dmaj, &dmin, &dsub) != 3 ||
	    dmaj != maj || dmin != min || !dsub)
		return;
	snprintf(buf, len, "%u.%u.%u+%.50s", dmaj, dmin, dsub, u.release);
}

static void init_out(struct krun *k)
{
	struct trace *out = &k->res->out;
	struct utsname u;
	size_t i;

	trace_init(out);
	out->hdr.page_size = sysconf(_SC_PAGESIZE);
	if (!uname(&u))
		snprintf(out->hdr.arch, sizeof(out->hdr.arch), "%.15s",
			 u.machine);
	krun_release(out->hdr.kernel, sizeof(out->hdr.kernel));
	read_thp_mode(out->hdr.thp, sizeof(out->hdr.thp));
	trace_read_slab_sizes(&out->hdr, "/proc/slabinfo",
			      "/sys/kernel/slab");
	snprintf(out->hdr.recorder, sizeof(out->hdr.recorder),
		 "rmaplab-kernel-run");
	for (i = 0; i < k->in->nr_files; i++)
		trace_file_id(out, k->in->files[i]);
	snprintf(out->path, sizeof(out->path), "%s", k->in->path);
}

static const char *reason_of(const struct trace_event *ev)
{
	if (ev->type == EV_FORK)
		return "fork";
	if (ev->type == EV_EXIT)
		return "exit";
	return "periodic";
}

static int start_trees(struct krun *k, const int64_t *roots, size_t nr)
{
	pid_t *pids;
	size_t i;
	int j;

	for (i = 0; i < nr; i++)
		for (j = 0; j < k->nr_trees; j++) {
			if (spawn_root(k, &k->tree[j], roots[i]))
				return -1;
			/* Only the main tree's memory is reclaimed. */
			if (k->swapping && j == TREE_MAIN &&
			    krun_swap_join(&k->swap, k->tree[j].w[i].pid,
					   k->err, k->errlen))
				return -1;
		}
	if (k->nr_trees < TREE_NR)
		return 0;
	pids = trace_xcalloc(nr, sizeof(*pids));
	for (j = 0; j < TREE_NR; j++) {
		for (i = 0; i < nr; i++)
			pids[i] = k->tree[j].w[i].pid;
		k->tree[j].objs = krun_objs_start(pids, nr, j ? "base" :
						  "main", k->err, k->errlen);
		if (!k->tree[j].objs) {
			free(pids);
			return -1;
		}
	}
	free(pids);
	return 0;
}

static void stop_all(struct krun *k)
{
	int j;

	for (j = 0; j < TREE_NR; j++) {
		kill_tree(&k->tree[j]);
		krun_objs_stop(k->tree[j].objs);
		k->tree[j].objs = NULL;
	}
	if (k->swapping) {
		krun_swap_stop(&k->swap);
		sched_setaffinity(0, sizeof(k->cpus), &k->cpus);
	}
	krun_cgroup_remove(&k->cg);
	remove_files(k);
	krun_ranges_free(&k->ranges);
}

int kernel_run(const struct trace *in, const struct krun_opts *o,
	       struct krun_result *res, char *err, size_t errlen)
{
	static const struct krun_opts dflt;
	struct krun k = {
		.in = in,
		.o = o ? o : &dflt,
		.res = res,
		.err = err,
		.errlen = errlen,
	};
	struct sigaction old[KRUN_NR_STOP_SIGS];
	int64_t *roots = NULL;
	size_t nr_roots, i;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	trace_init(&res->out);
	k.warn = k.o->warn ? k.o->warn : stderr;
	k.nr_trees = k.o->no_objects ? 1 : TREE_NR;
	if (krun_check_env(!k.o->no_objects, err, errlen))
		return -1;
	if (in->hdr.page_size != (uint32_t)sysconf(_SC_PAGESIZE))
		return trace_errf(err, errlen, "%s: trace page size %u, this "
				  "kernel's is %ld", in->path,
				  in->hdr.page_size, sysconf(_SC_PAGESIZE));
	k.lim.max_procs = k.o->max_procs ? k.o->max_procs :
			  KRUN_DEFAULT_MAX_PROCS;
	k.lim.max_mem = k.o->max_mem ? k.o->max_mem : krun_default_max_mem();
	k.lim.allow_destructive = k.o->allow_destructive;
	/* refused before anything starts, in one pass over the trace */
	if (krun_check_limits(in, &k.lim, err, errlen))
		return -1;
	krun_signals_install(old);
	if (check_input(&k, &roots, &nr_roots))
		goto out;
	init_out(&k);
	krun_cgroup_setup(&k.cg, &k.lim, k.nr_trees);
	if (k.swapping) {
		cpu_set_t one;

		/*
		 * One CPU for every process: MADV_PAGEOUT and reclaim drain
		 * only the local CPU's LRU batches, so new folios must be
		 * on this one's.
		 */
		sched_getaffinity(0, sizeof(k.cpus), &k.cpus);
		CPU_ZERO(&one);
		CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
		sched_setaffinity(0, sizeof(one), &one);
		if (krun_swap_start(&k.swap, k.cg.mem, err, errlen)) {
			sched_setaffinity(0, sizeof(k.cpus), &k.cpus);
			k.swapping = false;
			goto out;
		}
	}
	if (make_files(&k) || start_trees(&k, roots, nr_roots))
		goto out;
	for (i = 0; i < in->nr_ev; i++) {
		const struct trace_event *ev = &in->ev[i];
		size_t before = res->out.nr_ev;

		if (krun_interrupted()) {
			interrupted(&k);
			goto out;
		}
		if (ev->type == EV_CHECKPOINT)
			continue;
		if (run_main(&k, ev))
			goto out;
		if (k.nr_trees == TREE_NR && run_base(&k, ev))
			goto out;
		if (k.o->every_event && res->out.nr_ev > before &&
		    checkpoint(&k, ev->pid, reason_of(ev)))
			goto out;
		if (drain(&k))
			goto out;
	}
	if (checkpoint(&k, 0, "end"))
		goto out;
	ret = 0;
out:
	stop_all(&k);
	krun_signals_restore(old);
	free(roots);
	if (ret)
		krun_result_free(res);
	/* a signal during the last steps still stops the command */
	if (!ret && krun_interrupted()) {
		krun_result_free(res);
		return interrupted(&k);
	}
	return ret;
}

static struct sigaction batch_old[KRUN_NR_STOP_SIGS];

void kernel_run_batch_begin(void)
{
	krun_signals_install(batch_old);
	krun_objs_keep(true);
}

int kernel_run_batch_end(char *err, size_t errlen)
{
	struct krun k = { .err = err, .errlen = errlen };

	krun_objs_keep(false);
	krun_signals_restore(batch_old);
	return krun_interrupted() ? interrupted(&k) : 0;
}

void krun_result_free(struct krun_result *res)
{
	trace_free(&res->out);
	free(res->skips);
	res->skips = NULL;
	res->nr_skips = 0;
}

const struct trace_checkpoint *krun_final(const struct krun_result *res)
{
	const struct trace *t = &res->out;

	if (!t->nr_ev || t->ev[t->nr_ev - 1].type != EV_CHECKPOINT)
		return NULL;
	return &t->cps[t->ev[t->nr_ev - 1].cp];
}

int krun_write_text(FILE *f, const struct krun_result *res)
{
	const struct trace *t = &res->out;
	size_t i, s = 0;

	if (trace_write_text_header(f, t))
		return -1;
	for (i = 0; i <= t->nr_ev; i++) {
		for (; s < res->nr_skips && res->skips[s].before == i; s++) {
			fprintf(f, "# skipped (kernel: %s): ",
				res->skips[s].why);
			if (trace_write_event_text(f, t, &res->skips[s].ev))
				return -1;
		}
		if (i < t->nr_ev && trace_write_event_text(f, t, &t->ev[i]))
			return -1;
	}
	return trace_write_text_end(f, t->nr_ev);
}
