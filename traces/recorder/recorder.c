// SPDX-License-Identifier: GPL-2.0-only
/*
 * recorder_record(): start the program, attach, run the ptrace loop and
 * leave a complete trace whatever the program does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "traces/kernel_run.h"
#include "traces/kpageflags.h"
#include "traces/recorder/rec.h"

#define RECORDER_NAME	"rmaplab-record/1"

void recorder_opts_init(struct recorder_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->faults = true;
	o->checkpoints = true;
}

void rec_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("rmaplab: record: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The clock both ptrace stops and perf samples are stamped with. */
uint64_t rec_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

struct trace_event *rec_emit(struct recorder *r, enum trace_ev type,
			     int64_t label, uint64_t time)
{
	struct trace_event *ev = trace_append(r->t);

	if (!ev) {
		rec_warn("out of memory");
		exit(2);
	}
	memset(ev, 0, sizeof(*ev));
	ev->type = type;
	ev->pid = label;
	ev->time_ns = time;
	ev->file = TRACE_NO_FILE;
	if (type != EV_CHECKPOINT)
		r->since_cp++;
	return ev;
}

/*
 * Events are emitted in the order the recorder learns of them; faults
 * arrive in batches.  A stable sort by time restores the order things
 * happened in, keeping emission order for equal times (an exec before
 * its layout, an event before its checkpoint).
 */
void rec_sort_events(struct trace *t)
{
	struct trace_event *tmp, *a = t->ev, *src, *dst;
	size_t n = t->nr_ev, w, i, l, m, h, x, y;

	if (n < 2)
		return;
	tmp = malloc(n * sizeof(*tmp));
	if (!tmp) {
		rec_warn("out of memory sorting events; left unsorted");
		return;
	}
	src = a;
	dst = tmp;
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			l = i;
			m = i + w < n ? i + w : n;
			h = i + 2 * w < n ? i + 2 * w : n;
			x = l;
			y = m;
			while (x < m && y < h)
				dst[l++] = src[y].time_ns < src[x].time_ns ?
					   src[y++] : src[x++];
			while (x < m)
				dst[l++] = src[x++];
			while (y < h)
				dst[l++] = src[y++];
		}
		src = dst;
		dst = src == a ? tmp : a;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
	free(tmp);
}

static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

static void fill_header(struct recorder *r)
{
	struct trace_header *h = &r->t->hdr;
	char line[256], *b, *e;

	if (!h->version)
		h->version = 1;
	snprintf(h->arch, sizeof(h->arch), "%s", rec_arch.name);
	h->page_size = (uint32_t)r->page_size;
	krun_release(h->kernel, sizeof(h->kernel));
	/* "always [madvise] never": the bracketed word is the mode */
	read_line("/sys/kernel/mm/transparent_hugepage/enabled", line,
		  sizeof(line));
	b = strchr(line, '[');
	e = b ? strchr(b, ']') : NULL;
	if (b && e) {
		*e = 0;
		snprintf(h->thp, sizeof(h->thp), "%s", b + 1);
	} else {
		snprintf(h->thp, sizeof(h->thp), "never");
	}
	snprintf(h->recorder, sizeof(h->recorder), "%s%s%s%s", RECORDER_NAME,
		 r->opts->faults ? ",faults" : ",nofaults",
		 r->has_pfns ? ",pfns" : ",nopfns",
		 r->lost ? ",lostfaults" : "");
	snprintf(h->clock, sizeof(h->clock), "monotonic");
}

/*
 * Order of a PMD-sized THP, from sysfs, else that of a PMD of this page
 * size: a page table page of 8-byte entries maps page_size / 8 pages.
 */
static unsigned int pmd_order(long page_size)
{
	unsigned long size = 0;
	unsigned int order = 0;
	char line[64];

	read_line("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", line,
		  sizeof(line));
	size = strtoul(line, NULL, 10);
	if (!size)
		size = (unsigned long)page_size / 8 * page_size;
	while (((unsigned long)page_size << (order + 1)) <= size)
		order++;
	return order < REC_MAX_PMD_ORDER ? order : REC_MAX_PMD_ORDER;
}

/* Look @cmd up in PATH as execvp() would; 0 or -errno. */
static int resolve(const char *cmd, char *out, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;
	int err = -ENOENT;

	if (strchr(cmd, '/')) {
		snprintf(out, len, "%s", cmd);
		return access(out, X_OK) ? -errno : 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		struct stat st;

		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		snprintf(out, len, "%.*s%s%s", (int)(end - p), p,
			 end == p ? "" : "/", cmd);
		if (!stat(out, &st) && S_ISREG(st.st_mode)) {
			if (!access(out, X_OK))
				return 0;
			err = -EACCES;
		}
		if (!*end)
			break;
	}
	return err;
}

/* The traced child: wait for the tracer, filter, exec. */
static void child_run(int gate, const char *path, char *const argv[],
		      const sigset_t *mask)
{
	char c;
	int err;

	if (read(gate, &c, 1) != 1)
		_exit(127);
	close(gate);
	sigprocmask(SIG_SETMASK, mask, NULL);
	err = rec_seccomp_install();
	if (err) {
		fprintf(stderr, "rmaplab: record: seccomp: %s\n",
			strerror(-err));
		_exit(127);
	}
	execv(path, argv);
	fprintf(stderr, "rmaplab: record: %s: %s\n", path, strerror(errno));
	_exit(127);
}

#define PT_OPTIONS (PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | \
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | \
		    PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT | \
		    PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL)

int recorder_record(const struct recorder_opts *o, char *const argv[],
		    struct trace *t)
{
	struct recorder *r;
	char path[4096];
	sigset_t block, old;
	int gate[2], err, status;
	struct rec_task *root;
	pid_t pid;

	if (!argv || !argv[0]) {
		rec_warn("no command given");
		return RECORDER_ERROR;
	}
	err = resolve(argv[0], path, sizeof(path));
	if (err) {
		rec_warn("%s: %s", argv[0], err == -ENOENT ?
			 "command not found" : strerror(-err));
		return RECORDER_ERROR;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		rec_warn("out of memory");
		return RECORDER_ERROR;
	}
	r->opts = o;
	r->t = t;
	r->page_size = sysconf(_SC_PAGESIZE);
	r->pmd_order = pmd_order(r->page_size);
	kpageflags_refresh();
	r->kpageflags_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	r->has_pfns = geteuid() == 0 && r->kpageflags_fd >= 0;
	if (!r->has_pfns && !o->quiet)
		rec_warn("not root: checkpoints without PFNs (has_pfns="
			 "false); faults taken in kernel mode not sampled");

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);

	if (rec_swap_start(r))
		goto fail_early;
	/* the header goes first: fill it now, again at the end */
	fill_header(r);
	/* once: the header's size is fixed when it is written */
	trace_read_slab_sizes(&t->hdr, "/proc/slabinfo", "/sys/kernel/slab");
	if (rec_out_open(r)) {
		rec_warn("cannot write the trace: %s", strerror(errno));
		goto fail_early;
	}

	if (pipe2(gate, O_CLOEXEC)) {
		rec_warn("pipe: %s", strerror(errno));
		goto fail;
	}
	pid = fork();
	if (pid < 0) {
		rec_warn("fork: %s", strerror(errno));
		close(gate[0]);
		close(gate[1]);
		goto fail;
	}
	if (pid == 0) {
		close(gate[1]);
		child_run(gate[0], path, argv, &old);
	}
	close(gate[0]);
	r->root_pid = pid;
	/* before it runs: its whole tree is born in the cgroup */
	if (rec_swap_join(r, pid))
		goto kill_child;
	if (ptrace(PTRACE_SEIZE, pid, 0, PT_OPTIONS)) {
		rec_warn("ptrace(PTRACE_SEIZE): %s", strerror(errno));
		goto kill_child;
	}
	if (o->faults && rec_perf_open(r, pid))
		goto kill_child;
	root = rec_task_new(r, pid);
	root->attached = true;
	root->started = true;	/* seized while running: no initial stop */
	if (write(gate[1], "g", 1) != 1) {
		rec_warn("cannot start the program: %s", strerror(errno));
		goto kill_child;
	}
	close(gate[1]);

	rec_trace_loop(r);
	rec_perf_drain(r);
	r->nr_dropped += r->nr_batch;	/* still waiting for a task */
	rec_sort_events(t);
	fill_header(r);
	status = r->root_status;
	if (rec_out_close(r)) {
		r->out_errno = errno;
		status = RECORDER_WRITE_ERROR;
	}
	if (!o->quiet)
		fprintf(stderr, "rmaplab: record: %zu events (%lu syscalls, "
			"%lu faults, %lu checkpoints); faults dropped %lu, "
			"stale %lu, lost %" PRIu64 "\n",
			r->nr_written + t->nr_ev,
			r->nr_syscalls, r->nr_faults, r->nr_cps,
			r->nr_dropped, r->nr_stale, r->lost);
	if (r->lost)
		rec_warn("perf lost %" PRIu64 " fault samples: the trace "
			 "misses faults", r->lost);
	if (r->nr_unseen && !o->quiet)
		rec_warn("%lu anon pages appeared without a fault the "
			 "recorder saw; %lu checkpoints say so (reason "
			 "*-unseen)", r->nr_unseen, r->nr_unseen_cps);
	if (r->nr_pageout_noswap && !o->quiet)
		rec_warn("%lu MADV_PAGEOUT calls found no free swap space: "
			 "recorded as MADV_COLD, what the kernel then did",
			 r->nr_pageout_noswap);
	rec_perf_close(r);
	rec_tasks_free(r);
	rec_swap_stop(r);
	if (r->kpageflags_fd >= 0)
		close(r->kpageflags_fd);
	err = r->out_errno;
	free(r->later);
	free(r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return status;

kill_child:
	close(gate[1]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, __WALL);
fail:
	rec_perf_close(r);
	rec_tasks_free(r);
fail_early:
	rec_swap_stop(r);
	if (r->out)
		trace_writer_close(r->out, NULL);
	if (r->kpageflags_fd >= 0)
		close(r->kpageflags_fd);
	free(r);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return RECORDER_ERROR;
}
