// SPDX-License-Identifier: GPL-2.0-only
/*
 * `perf script` text -> trace (import_perf.h).
 *
 * Lines come in perf's time order.  A call becomes an event at its exit
 * tracepoint, with the result: another thread can only use what a call
 * made once the call has returned to user mode, which is after that
 * tracepoint.  perf's mmap records (PERF_RECORD_MMAP2) seen inside an
 * mmap call give the call its file identity; seen outside any traced call
 * but execve they are mappings the kernel made itself (the ELF loader's
 * segments, the stack, the vDSO) and become fixed mmaps after the exec,
 * as the recorder's exec layout does.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "traces/import_perf.h"
#include "traces/linux_abi.h"

/* Above every user address of x86_64 and aarch64: kernel faults there
 * are the kernel's own. */
#define USER_LIMIT	0x0100000000000000ULL

static const char *const syscalls[] = {
	"mmap", "munmap", "mprotect", "pkey_mprotect", "mremap", "brk",
	"madvise", "clone", "clone3", "fork", "vfork", "execve", "execveat",
	"exit", "exit_group",
};
#define NR_SYSCALLS	(sizeof(syscalls) / sizeof(syscalls[0]))

const char *const import_perf_script_args[] = {
	"script", "--header", "--show-mmap-events", "--show-task-events",
	"--show-lost-events", "-F", "pid,tid,time,event,trace,addr", NULL,
};

const char *import_perf_record_command(const char *arch)
{
	static char buf[2048];
	size_t i, n;

	/*
	 * -k monotonic: the recorder's clock; -d: perf's mmap records for
	 * data mappings too (the exec layout, file identities).  x86 has
	 * fault tracepoints with the access type; elsewhere the software
	 * page-fault event, every one sampled, with its address.
	 */
	n = snprintf(buf, sizeof(buf), "perf record -k monotonic -d -e ");
	for (i = 0; i < NR_SYSCALLS; i++)
		n += snprintf(buf + n, sizeof(buf) - n,
			      "%ssyscalls:sys_enter_%s,syscalls:sys_exit_%s",
			      i ? "," : "", syscalls[i], syscalls[i]);
	n += snprintf(buf + n, sizeof(buf) - n,
		      ",sched:sched_process_fork,sched:sched_process_exec,"
		      "sched:sched_process_exit");
	if (!arch || !strcmp(arch, "x86_64"))
		snprintf(buf + n, sizeof(buf) - n, ",exceptions:"
			 "page_fault_user,exceptions:page_fault_kernel");
	else
		snprintf(buf + n, sizeof(buf) - n, " -e page-faults -c 1");
	return buf;
}

enum sc {
	SC_NONE = -1,
	SC_MMAP, SC_MUNMAP, SC_MPROTECT, SC_PKEY_MPROTECT, SC_MREMAP, SC_BRK,
	SC_MADVISE, SC_CLONE, SC_CLONE3, SC_FORK, SC_VFORK, SC_EXECVE,
	SC_EXECVEAT, SC_EXIT, SC_EXIT_GROUP,
};

struct ptask {
	int64_t tid, label;
	bool exited;
	enum sc sc;			/* the call it is in, or SC_NONE */
	uint64_t arg[6];
	char file[64];			/* identity from an MMAP2 in the call */
	bool have_file, dev_zero;
	bool exec_done;			/* EV_EXEC of the current execve */
	bool clone_known;		/* clone flags of the current call */
	uint64_t clone_flags;
};

struct importer {
	struct trace *t;
	struct import_perf_stats *st;
	struct ptask *tasks;
	size_t nr, cap;
	uint64_t now;			/* ns of the current line */
	unsigned int page_shift;
	bool fault_type_unknown;
	const char *name;
	unsigned long line;
	char *err;
	size_t errlen;
};

static int fail(struct importer *im, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(im->err, im->errlen, "%s:%lu: ", im->name, im->line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < im->errlen)
		vsnprintf(im->err + n, im->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The live task @tid; a tid seen again after its exit is a new task. */
static struct ptask *task(struct importer *im, int64_t tid)
{
	struct ptask *p = NULL;
	unsigned int gen = 0;
	size_t i;

	for (i = im->nr; i-- > 0;) {
		if (im->tasks[i].tid != tid)
			continue;
		if (!im->tasks[i].exited)
			return &im->tasks[i];
		gen++;
	}
	if (im->nr == im->cap) {
		im->cap = im->cap ? 2 * im->cap : 64;
		im->tasks = realloc(im->tasks, im->cap * sizeof(*im->tasks));
		if (!im->tasks)
			abort();
	}
	p = &im->tasks[im->nr++];
	memset(p, 0, sizeof(*p));
	p->tid = tid;
	/* as the recorder labels a reused tid */
	p->label = tid + ((int64_t)gen << 32);
	p->sc = SC_NONE;
	im->st->tasks++;
	return p;
}

/*
 * The task a line of @tid is about: the live one, a new one for a tid
 * never seen (the first task), NULL for one that has exited (perf's exit
 * record after the exit tracepoint).
 */
static struct ptask *line_task(struct importer *im, int64_t tid)
{
	size_t i;

	for (i = im->nr; i-- > 0;)
		if (im->tasks[i].tid == tid)
			return im->tasks[i].exited ? NULL : &im->tasks[i];
	return task(im, tid);
}

static struct trace_event *emit(struct importer *im, struct ptask *p,
				enum trace_ev type)
{
	struct trace_event *ev = trace_append(im->t);

	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->pid = p->label;
	ev->file = TRACE_NO_FILE;
	ev->time_ns = im->now;
	return ev;
}

/*
 * The number after "KEY:" or "KEY=" in @s, KEY starting a word.  perf
 * prints syscall arguments as "addr: 0x...," and other tracepoints'
 * fields as "address=0x...".
 */
static bool field(const char *s, const char *key, uint64_t *v)
{
	size_t n = strlen(key);
	const char *p = s;
	char *end;

	while ((p = strstr(p, key))) {
		if ((p == s || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == ':' || p[n] == '=')) {
			p += n + 1;
			while (*p == ' ')
				p++;
			errno = 0;
			*v = strtoull(p, &end, 0);
			return end != p && !errno;
		}
		p += n;
	}
	return false;
}

static enum sc sc_lookup(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NR_SYSCALLS; i++)
		if (strlen(syscalls[i]) == n && !strncmp(syscalls[i], name, n))
			return (enum sc)i;
	return SC_NONE;
}

static const char *const sc_args[][6] = {
	[SC_MMAP] = { "addr", "len", "prot", "flags", "fd", "off" },
	[SC_MUNMAP] = { "addr", "len" },
	[SC_MPROTECT] = { "start", "len", "prot" },
	[SC_PKEY_MPROTECT] = { "start", "len", "prot" },
	[SC_MREMAP] = { "addr", "old_len", "new_len", "flags", "new_addr" },
	[SC_BRK] = { "brk" },
	[SC_MADVISE] = { "start", "len_in", "behavior" },
	[SC_CLONE] = { "clone_flags" },
};

static int sys_enter(struct importer *im, struct ptask *p, enum sc sc,
		     const char *rest)
{
	int i;

	p->sc = sc;
	p->have_file = p->dev_zero = false;
	p->clone_known = false;
	memset(p->arg, 0, sizeof(p->arg));
	for (i = 0; i < 6 && sc < (enum sc)(sizeof(sc_args) /
					    sizeof(sc_args[0])) &&
	     sc_args[sc][i]; i++)
		if (!field(rest, sc_args[sc][i], &p->arg[i]))
			return fail(im, "sys_enter_%s without '%s'",
				    syscalls[sc], sc_args[sc][i]);
	switch (sc) {
	case SC_CLONE:
		p->clone_known = true;
		p->clone_flags = p->arg[0];
		break;
	case SC_FORK:
		p->clone_known = true;
		p->clone_flags = SIGCHLD;
		break;
	case SC_VFORK:
		p->clone_known = true;
		p->clone_flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	case SC_EXECVE:
	case SC_EXECVEAT:
		p->exec_done = false;
		break;
	default:
		break;
	}
	return 0;
}

/* The call @p was in returned @ret: its event. */
static int sys_exit(struct importer *im, struct ptask *p, enum sc sc,
		    int64_t ret)
{
	struct trace_event *ev;
	uint64_t *a = p->arg;
	char id[96];

	if (p->sc != sc)
		return 0;	/* the child's return from clone, or no entry */
	p->sc = SC_NONE;
	switch (sc) {
	case SC_MMAP:
		ev = emit(im, p, EV_MMAP);
		ev->addr = a[0];
		ev->len = a[1];
		ev->prot = a[2];
		ev->flags = a[3];
		if (p->dev_zero)	/* as the recorder: anonymous */
			ev->flags |= MAP_ANONYMOUS;
		if (!(ev->flags & MAP_ANONYMOUS)) {
			if (!p->have_file) {
				/*
				 * No perf mmap record (a failed call, or
				 * lost): an identity of this fd alone.
				 */
				snprintf(id, sizeof(id), "perf-fd-%" PRId64
					 "-%" PRIu64, p->tid, a[4] & 0xffffffff);
				if (ret >= 0)
					im->st->no_fileid++;
			}
			ev->file = trace_file_id(im->t, p->have_file ?
						 p->file : id);
			ev->pgoff = a[5] >> im->page_shift;
		}
		break;
	case SC_MUNMAP:
		ev = emit(im, p, EV_MUNMAP);
		ev->addr = a[0];
		ev->len = a[1];
		break;
	case SC_MPROTECT:
	case SC_PKEY_MPROTECT:
		ev = emit(im, p, EV_MPROTECT);
		ev->addr = a[0];
		ev->len = a[1];
		ev->prot = a[2];
		break;
	case SC_MREMAP:
		ev = emit(im, p, EV_MREMAP);
		ev->addr = a[0];
		ev->len = a[1];
		ev->new_len = a[2];
		ev->flags = a[3];
		ev->new_addr = a[4];
		break;
	case SC_BRK:
		ev = emit(im, p, EV_BRK);
		ev->addr = a[0];
		break;
	case SC_MADVISE:
		ev = emit(im, p, EV_MADVISE);
		ev->addr = a[0];
		ev->len = a[1];
		ev->advice = (int32_t)a[2];
		break;
	default:
		return 0;
	}
	ev->has_result = 1;
	ev->result = ret;
	im->st->syscalls++;
	return 0;
}

static void do_exec(struct importer *im, struct ptask *p)
{
	if (p->exec_done)
		return;
	p->exec_done = true;
	emit(im, p, EV_EXEC);
}

/*
 * A file's identity as the recorder writes it: "MAJ:MIN:INODE", or for
 * the kernel's special mappings their name ("[vdso]"), made a token.
 */
static void file_ident(char *buf, size_t len, const char *dev,
		       unsigned long long ino, const char *name)
{
	size_t i;

	if (strcmp(dev, "00:00") || ino) {
		snprintf(buf, len, "%.31s:%llu", dev, ino);
		return;
	}
	snprintf(buf, len, "%.63s", name);
	for (i = 0; buf[i]; i++)
		if (buf[i] == ' ' || buf[i] == '#' || buf[i] < ' ')
			buf[i] = '_';
}

/*
 * "PERF_RECORD_MMAP2 PID/TID: [0xSTART(0xLEN) @ 0xPGOFF MAJ:MIN INO GEN]:
 * rw-p NAME"
 */
static int mmap2(struct importer *im, struct ptask *p, const char *s)
{
	unsigned long long start, len, off, ino, gen;
	char dev[32], perms[8], name[4096];
	struct trace_event *ev;
	bool anon;
	int n;

	name[0] = '\0';
	n = sscanf(s, "%*s [%llx(%llx) @ %llx %31s %llu %llu]: %7s %4095[^\n]",
		   &start, &len, &off, dev, &ino, &gen, perms, name);
	if (n < 7)
		return fail(im, "unreadable PERF_RECORD_MMAP2");
	anon = !strcmp(dev, "00:00") && !ino &&
	       (name[0] != '[' || !strcmp(name, "[stack]") ||
		!strcmp(name, "[heap]") || !strncmp(name, "[anon", 5));
	if (p->sc == SC_MMAP && !p->have_file) {
		/* the identity as the recorder writes it: MAJ:MIN:INODE */
		p->have_file = true;
		p->dev_zero = !strcmp(name, "/dev/zero");
		file_ident(p->file, sizeof(p->file), dev, ino, name);
		return 0;
	}
	if (p->sc != SC_NONE && p->sc != SC_EXECVE &&
	    p->sc != SC_EXECVEAT)
		return 0;	/* a change a traced call made, or a repeat */
	/* made by the kernel itself: the exec layout */
	if (p->sc != SC_NONE)
		do_exec(im, p);
	ev = emit(im, p, EV_MMAP);
	ev->addr = start;
	ev->len = len;
	ev->prot = (perms[0] == 'r' ? PROT_READ : 0) |
		   (perms[1] == 'w' ? PROT_WRITE : 0) |
		   (perms[2] == 'x' ? PROT_EXEC : 0);
	ev->flags = MAP_FIXED | (perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE);
	if (anon) {
		ev->flags |= MAP_ANONYMOUS;
		if (!strcmp(name, "[stack]"))
			ev->flags |= MAP_GROWSDOWN;
	} else {
		char id[64];

		file_ident(id, sizeof(id), dev, ino, name);
		ev->file = trace_file_id(im->t, id);
		ev->pgoff = off >> im->page_shift;
	}
	ev->has_result = 1;
	ev->result = start;
	im->st->layout_maps++;
	return 0;
}

/* A new task @child of @parent; @thread: it shares @parent's mm. */
static void new_task(struct importer *im, struct ptask *parent,
		     int64_t child, int thread)
{
	struct trace_event *ev;
	struct ptask *c;
	size_t i;
	int64_t label;

	for (i = 0; i < im->nr; i++)
		if (im->tasks[i].tid == child && !im->tasks[i].exited)
			return;		/* already announced */
	if (thread < 0) {
		/* clone3's flags are in user memory, which perf cannot read */
		if (!parent->clone_known)
			im->st->clone3++;
		thread = parent->clone_known &&
			 (parent->clone_flags & CLONE_VM);
	}
	label = parent->label;
	c = task(im, child);
	parent = NULL;
	for (i = 0; i < im->nr; i++)
		if (im->tasks[i].label == label && !im->tasks[i].exited)
			parent = &im->tasks[i];
	ev = emit(im, parent, thread ? EV_THREAD : EV_FORK);
	ev->child = c->label;
	if (parent->clone_known) {
		ev->flags = parent->clone_flags;
		ev->has_result = 1;
		ev->result = child;
	}
}

static void task_exit(struct importer *im, int64_t tid)
{
	size_t i;

	for (i = 0; i < im->nr; i++) {
		if (im->tasks[i].tid != tid || im->tasks[i].exited)
			continue;
		emit(im, &im->tasks[i], EV_EXIT);
		im->tasks[i].exited = true;
	}
}

static int fault(struct importer *im, struct ptask *p, uint64_t addr,
		 bool write)
{
	struct trace_event *ev;

	if (addr >= USER_LIMIT)
		return 0;
	ev = emit(im, p, EV_FAULT);
	ev->addr = addr & ~((1ULL << im->page_shift) - 1);
	ev->write = write;
	im->st->faults++;
	return 0;
}

/* "PERF_RECORD_FORK(CPID:CTID):(PPID:PTID)" and _EXIT alike. */
static int task_record(const char *s, int64_t id[4])
{
	long long v[4];

	if (sscanf(s, "(%lld:%lld):(%lld:%lld)", &v[0], &v[1], &v[2],
		   &v[3]) != 4)
		return -1;
	id[0] = v[0], id[1] = v[1], id[2] = v[2], id[3] = v[3];
	return 0;
}

static int perf_record(struct importer *im, struct ptask *p, const char *s)
{
	int64_t id[4];

	if (!strncmp(s, "PERF_RECORD_MMAP2", 17))
		return mmap2(im, p, s + 17);
	if (!strncmp(s, "PERF_RECORD_COMM exec:", 22)) {
		do_exec(im, p);
		return 0;
	}
	if (!strncmp(s, "PERF_RECORD_FORK", 16)) {
		if (task_record(s + 16, id))
			return fail(im, "unreadable PERF_RECORD_FORK");
		new_task(im, task(im, id[3]), id[1], id[0] == id[2] ? 1 : -1);
		return 0;
	}
	if (!strncmp(s, "PERF_RECORD_EXIT", 16)) {
		if (task_record(s + 16, id))
			return fail(im, "unreadable PERF_RECORD_EXIT");
		task_exit(im, id[1]);
		return 0;
	}
	if (!strncmp(s, "PERF_RECORD_LOST", 16)) {
		im->st->lost++;
		return 0;
	}
	/* COMM renames, kernel MMAPs, throttling: nothing for the mm */
	return 0;
}

static int event(struct importer *im, struct ptask *p, const char *ev,
		 size_t n, const char *rest)
{
	uint64_t v, w;
	enum sc sc;

	if (n > 19 && !strncmp(ev, "syscalls:sys_enter_", 19) &&
	    (sc = sc_lookup(ev + 19, n - 19)) != SC_NONE)
		return sys_enter(im, p, sc, rest);
	if (n > 18 && !strncmp(ev, "syscalls:sys_exit_", 18) &&
	    (sc = sc_lookup(ev + 18, n - 18)) != SC_NONE) {
		char *end;

		errno = 0;
		v = strtoull(rest, &end, 0);
		if (end == rest || errno)
			return fail(im, "sys_exit_%s without a result",
				    syscalls[sc]);
		return sys_exit(im, p, sc, (int64_t)v);
	}
	if ((n == 26 && !strncmp(ev, "exceptions:page_fault_user", n)) ||
	    (n == 28 && !strncmp(ev, "exceptions:page_fault_kernel", n))) {
		if (!field(rest, "address", &v) ||
		    !field(rest, "error_code", &w))
			return fail(im, "%.*s without address or error_code",
				    (int)n, ev);
		/* x86's error code: bit 1 is a write access */
		return fault(im, p, v, w & 2);
	}
	if (n == 11 && !strncmp(ev, "page-faults", n)) {
		char *end;

		v = strtoull(rest, &end, 16);
		if (end == rest)
			return fail(im, "page-faults without an address "
				    "(perf script -F ...,addr)");
		/* the access is unknown: a write makes the folio */
		im->fault_type_unknown = true;
		return fault(im, p, v, true);
	}
	if (n == 24 && !strncmp(ev, "sched:sched_process_fork", n)) {
		if (!field(rest, "pid", &v) || !field(rest, "child_pid", &w))
			return fail(im, "sched_process_fork without pids");
		new_task(im, task(im, v), w, -1);
		return 0;
	}
	if (n == 24 && !strncmp(ev, "sched:sched_process_exec", n)) {
		do_exec(im, p);
		return 0;
	}
	if (n == 24 && !strncmp(ev, "sched:sched_process_exit", n)) {
		if (!field(rest, "pid", &v))
			return fail(im, "sched_process_exit without pid");
		task_exit(im, v);
		return 0;
	}
	im->st->ignored++;
	return 0;
}

/* "SEC.FRAC:" -> ns */
static bool timestamp(const char *tok, size_t n, uint64_t *ns)
{
	uint64_t sec = 0, frac = 0, scale = 1000000000;
	size_t i = 0;

	if (!n || tok[n - 1] != ':' || !isdigit((unsigned char)tok[0]))
		return false;
	for (; i < n - 1 && isdigit((unsigned char)tok[i]); i++)
		sec = sec * 10 + (tok[i] - '0');
	if (i == n - 1 || tok[i] != '.')
		return false;
	for (i++; i < n - 1; i++) {
		if (!isdigit((unsigned char)tok[i]))
			return false;
		scale /= 10;
		frac = frac * 10 + (tok[i] - '0');
	}
	*ns = sec * 1000000000ULL + frac * (scale ? scale : 1);
	return true;
}

static void header_line(struct importer *im, const char *s)
{
	const char *v;

	/* perf script --header: "# arch : x86_64", "# os release : R" */
	if ((v = strstr(s, "# arch : ")))
		snprintf(im->t->hdr.arch, sizeof(im->t->hdr.arch), "%.*s",
			 (int)strcspn(v + 9, " \n"), v + 9);
	else if ((v = strstr(s, "# os release : ")))
		snprintf(im->t->hdr.kernel, sizeof(im->t->hdr.kernel), "%.*s",
			 (int)strcspn(v + 15, " \n"), v + 15);
}

/*
 * One line: "[COMM] [PID/]TID [[CPU]] SEC.FRAC: EVENT: FIELDS" or
 * "... SEC.FRAC: PERF_RECORD_...".  COMM may hold blanks; the TID is the
 * last number before the time stamp.
 */
static int one_line(struct importer *im, char *s)
{
	char *tok = s, *end, *ev, *rest;
	struct ptask *p;
	int64_t tid = -1;
	uint64_t ns;
	size_t n;

	for (;;) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		if (!*tok || *tok == '\n')
			return fail(im, "no time stamp: not a line of "
				    "'perf script'");
		n = strcspn(tok, " \t\n");
		if (timestamp(tok, n, &ns))
			break;
		if (isdigit((unsigned char)*tok)) {
			char *slash = memchr(tok, '/', n);

			tid = strtoll(slash ? slash + 1 : tok, &end, 10);
		}
		tok += n;
	}
	if (tid < 0)
		return fail(im, "no thread id before the time stamp");
	im->now = ns;
	ev = tok + n;
	while (*ev == ' ' || *ev == '\t')
		ev++;
	ev[strcspn(ev, "\n")] = '\0';
	if (!tid && !strncmp(ev, "PERF_RECORD_", 12))
		return 0;	/* perf's own: the kernel's map, perf-exec */
	/* fork and exit records name their tasks: the line's may be either */
	if (!strncmp(ev, "PERF_RECORD_FORK", 16) ||
	    !strncmp(ev, "PERF_RECORD_EXIT", 16))
		return perf_record(im, NULL, ev);
	p = line_task(im, tid);
	if (!strncmp(ev, "PERF_RECORD_", 12))
		return p ? perf_record(im, p, ev) : 0;
	if (!p)
		return 0;
	/* a software event's period may come first */
	if (isdigit((unsigned char)*ev) && (rest = strchr(ev, ' '))) {
		ev = rest;
		while (*ev == ' ')
			ev++;
	}
	rest = strstr(ev, ": ");
	n = rest ? (size_t)(rest - ev) : strlen(ev);
	if (!rest && n && ev[n - 1] == ':')
		n--;
	rest = rest ? rest + 2 : ev + strlen(ev);
	while (*rest == ' ')
		rest++;
	return event(im, p, ev, n, rest);
}

int import_perf_script(FILE *f, const char *name, const char *arch,
		       struct trace *t, struct import_perf_stats *st,
		       char *err, size_t errlen)
{
	struct importer im = {
		.t = t, .st = st, .name = name, .err = err, .errlen = errlen,
		.page_shift = 12,
	};
	char *line = NULL, flags[24];
	size_t cap = 0;
	struct utsname u;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	trace_init(t);
	snprintf(t->path, sizeof(t->path), "%s", name);
	if (!arch && !uname(&u))
		arch = u.machine;
	snprintf(t->hdr.arch, sizeof(t->hdr.arch), "%.15s",
		 arch ? arch : "x86_64");
	t->hdr.page_size = 4096;
	snprintf(t->hdr.clock, sizeof(t->hdr.clock), "monotonic");
	while (getline(&line, &cap, f) > 0) {
		im.line++;
		st->lines++;
		if (line[strspn(line, " \t")] == '#') {
			header_line(&im, line);
			continue;
		}
		if (line[strspn(line, " \t\n")] == '\0')
			continue;
		ret = one_line(&im, line);
		if (ret)
			break;
	}
	free(line);
	free(im.tasks);
	if (!ret && ferror(f))
		ret = fail(&im, "read error");
	if (!ret && !t->nr_ev)
		ret = fail(&im, "no mm events: not recorded with the command "
			   "'rmaplab import --help' prints?");
	if (ret) {
		trace_free(t);
		return -1;
	}
	snprintf(flags, sizeof(flags), "%s%s%s%s", st->lost ? ",lost" : "",
		 st->no_fileid ? ",nofid" : "",
		 st->clone3 ? ",clone3" : "",
		 im.fault_type_unknown ? ",norw" : "");
	snprintf(t->hdr.recorder, sizeof(t->hdr.recorder),
		 IMPORT_PERF_RECORDER ",nokstate,order0,nopopulate%.23s",
		 flags);
	return 0;
}
