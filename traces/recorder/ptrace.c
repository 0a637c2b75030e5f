// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ptrace side of the recorder: one loop that waits for stops of every
 * traced task and turns mm and process calls into trace events.
 *
 * A traced mm call stops twice: at the seccomp stop (entry; arguments,
 * pending faults drained before the kernel acts) and, because the tracee
 * is resumed with PTRACE_SYSCALL, at its syscall-exit stop (result).
 * Process calls stop once, at the seccomp stop, and are recorded at the
 * ptrace events that follow (fork, vfork, clone, exec, exit).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/linux_abi.h"
#include "traces/procfs.h"
#include "traces/recorder/rec.h"

/* Resume @task, to its syscall-exit stop if it is inside a traced call. */
static void resume(struct rec_task *task, int sig)
{
	task->stopped = false;
	task->frozen = false;
	task->listening = false;
	ptrace(task->in_syscall ? PTRACE_SYSCALL : PTRACE_CONT, task->tid,
	       0, (long)sig);
}

static int syscall_info(pid_t tid, struct __ptrace_syscall_info *info)
{
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(*info), info);

	return n > 0 ? 0 : -1;
}

static uint64_t page_align(struct recorder *r, uint64_t v)
{
	return (v + r->page_size - 1) & ~(uint64_t)(r->page_size - 1);
}

/* A stop met while freezing, for the main loop to handle after the thaw. */
static void later(struct recorder *r, pid_t tid, int status)
{
	if (r->nr_later == r->cap_later) {
		size_t cap = r->cap_later ? r->cap_later * 2 : 16;
		void *p = realloc(r->later, cap * sizeof(*r->later));

		if (!p) {
			rec_warn("out of memory");
			exit(2);
		}
		r->later = p;
		r->cap_later = cap;
	}
	r->later[r->nr_later].tid = tid;
	r->later[r->nr_later++].status = status;
}

#define FREEZE_NS	(200 * 1000 * 1000ULL)

/*
 * Stop every running task of @mm (PTRACE_INTERRUPT) so that a checkpoint
 * sees one moment of it: otherwise other threads fault while its pages
 * are read, and the checkpoint holds writes the trace places after it.
 * Once stopped, all their faults are over and classified by the next
 * drain.  A task waiting for its vfork child cannot stop (the wait is
 * killable only); one that does not stop in FREEZE_NS is left running.
 * Other stops met meanwhile are kept for the main loop (later()).
 */
static void freeze(struct recorder *r, struct rec_mm *mm)
{
	struct rec_task *t;
	uint64_t deadline;
	int i, status, event;
	bool any = false;
	pid_t p;

	if (!mm || mm->users < 2)
		return;
	for (i = 0; i < REC_HASH; i++) {
		for (t = r->tasks[i]; t; t = t->hnext) {
			if (t->dead || t->exited || t->mm != mm ||
			    !t->started || t->stopped || t->listening ||
			    t->in_vfork)
				continue;
			if (!ptrace(PTRACE_INTERRUPT, t->tid, 0, 0)) {
				t->frozen = true;
				any = true;
			}
		}
	}
	if (!any)
		return;
	deadline = rec_now() + FREEZE_NS;
	for (i = 0; i < REC_HASH; i++) {
		for (t = r->tasks[i]; t; t = t->hnext) {
			if (!t->frozen || t->stopped)
				continue;
			for (;;) {
				p = waitpid(t->tid, &status, __WALL | WNOHANG);
				if (p == t->tid || p < 0 ||
				    rec_now() > deadline)
					break;
				usleep(20);
			}
			if (p != t->tid) {
				/* its interrupt stop comes to the loop */
				t->frozen = false;
				continue;
			}
			event = (unsigned int)status >> 16;
			if (WIFSTOPPED(status)) {
				t->stopped = true;
				t->last_stop_ns = rec_now();
			}
			if (WIFSTOPPED(status) && event == PTRACE_EVENT_STOP &&
			    WSTOPSIG(status) == SIGTRAP)
				continue;
			/* another stop, or its end: handled after the thaw */
			t->frozen = false;
			later(r, t->tid, status);
		}
	}
}

/* Let the tasks freeze() stopped run again. */
static void thaw(struct recorder *r)
{
	struct rec_task *t;
	int i;

	for (i = 0; i < REC_HASH; i++)
		for (t = r->tasks[i]; t; t = t->hnext)
			if (t->frozen && !t->dead)
				resume(t, 0);
}

/*
 * A checkpoint of the address spaces of @tasks, with their other threads
 * stopped: all faults before it are in the trace, none after it is in it.
 */
static void checkpoint(struct recorder *r, const char *reason,
		       struct rec_task **tasks, int nr)
{
	int i;

	if (!r->opts->checkpoints)
		return;
	for (i = 0; i < nr; i++)
		freeze(r, tasks[i]->mm);
	rec_perf_drain(r);
	rec_checkpoint(r, reason, tasks, nr, rec_now());
	thaw(r);
}

static void periodic_checkpoint(struct recorder *r, struct rec_task *task)
{
	if (r->opts->cp_every && r->since_cp >= r->opts->cp_every &&
	    task->mm)
		checkpoint(r, "periodic", &task, 1);
}

/*
 * The identity of the file behind fd @fd of @task: "MAJ:MIN:INODE".
 * /dev/zero gives anonymous memory (the kernel turns a private mapping
 * into an anonymous one and a shared one into shmem), so it has none.
 */
static uint32_t fd_file(struct recorder *r, struct rec_task *task, long fd,
			bool *devzero)
{
	char path[64], name[64];
	struct stat st;

	*devzero = false;
	if (fd < 0)
		return TRACE_NO_FILE;
	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", (int)task->tid, fd);
	if (stat(path, &st))
		return TRACE_NO_FILE;
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 &&
	    minor(st.st_rdev) == 5) {
		*devzero = true;
		return TRACE_NO_FILE;
	}
	rec_file_name(name, sizeof(name), major(st.st_dev), minor(st.st_dev),
		      st.st_ino);
	return trace_file_id(r->t, name);
}

/*
 * Size of SysV segment @shmid as @task's IPC namespace knows it; 0 if it
 * cannot be read.  A program with its own namespace (unshare, a
 * container) is looked at from inside it, briefly.
 */
static uint64_t shm_segsz(struct rec_task *task, uint64_t shmid)
{
	char path[64];
	struct stat a, b;
	struct shmid_ds ds;
	int self = -1, fd = -1;
	uint64_t size = 0;

	if (shmid > INT32_MAX)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)task->tid);
	if (stat("/proc/self/ns/ipc", &a) || stat(path, &b))
		return 0;
	if (a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
		self = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (self < 0 || fd < 0 || setns(fd, CLONE_NEWIPC))
			goto out;
	}
	if (!shmctl((int)shmid, IPC_STAT, &ds))
		size = ds.shm_segsz;
	if (fd >= 0 && setns(self, CLONE_NEWIPC))
		rec_warn("cannot return to the recorder's IPC namespace");
out:
	if (fd >= 0)
		close(fd);
	if (self >= 0)
		close(self);
	return size;
}

/*
 * Length of the attach of SysV segment @shmid (the inode /proc/PID/maps
 * shows for it) at @v[@i]: the segment's size rounded up to pages, as
 * do_shmat() maps it and do_shmdt() unmaps it.  From the kernel's record
 * of the segment when it can be read, else from the VMAs at the address
 * (one attach split by mprotect shows as several, at consecutive offsets).
 */
static uint64_t attach_len(struct recorder *r, struct rec_task *task,
			   const struct rec_vma *v, size_t n, size_t i)
{
	uint64_t end, size = shm_segsz(task, v[i].ino);

	if (size)
		return page_align(r, size);
	end = v[i].end;
	while (i + 1 < n && v[i + 1].start == end &&
	       v[i + 1].ino == v[i].ino && v[i + 1].maj == v[i].maj &&
	       v[i + 1].min == v[i].min &&
	       v[i + 1].offset == v[i].offset + (end - v[i].start))
		end = v[++i].end;
	return end - v[i].start;
}

/* Index of the VMA starting at @addr, or @n. */
static size_t vma_at(const struct rec_vma *v, size_t n, uint64_t addr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].start == addr)
			break;
	return i;
}

/* shmdt(@addr): the length it will unmap, read before the call. */
static uint64_t shm_len(struct recorder *r, struct rec_task *task,
			uint64_t addr)
{
	struct rec_vma *v = NULL;
	uint64_t len = 0;
	size_t n = 0, i;

	if (rec_read_maps(task->tid, &v, &n))
		return 0;
	i = vma_at(v, n, addr);
	if (i < n && !v[i].offset)
		len = attach_len(r, task, v, n, i);
	free(v);
	return len;
}

/*
 * shmat() attached a segment at @rval: record it as a shared mapping of
 * the segment's identity, at the address the kernel chose or rounded to.
 */
static void emit_shmat(struct recorder *r, struct rec_task *task,
		       int64_t rval, uint64_t now)
{
	struct rec_vma *v = NULL;
	struct trace_event *ev;
	size_t n = 0, i;
	char name[64];

	if (rval < 0 || rec_read_maps(task->tid, &v, &n))
		return;
	i = vma_at(v, n, (uint64_t)rval);
	if (i < n) {
		ev = rec_emit(r, EV_MMAP, task->label, now);
		ev->len = attach_len(r, task, v, n, i);
		ev->prot = PROT_READ;
		if (!(task->args[2] & SHM_RDONLY))
			ev->prot |= PROT_WRITE;
		if (task->args[2] & SHM_EXEC)
			ev->prot |= PROT_EXEC;
		ev->flags = MAP_SHARED;
		if (task->args[1]) {
			ev->addr = (uint64_t)rval;
			ev->flags |= MAP_FIXED;
		}
		rec_file_name(name, sizeof(name), v[i].maj, v[i].min,
			      v[i].ino);
		ev->file = trace_file_id(r->t, name);
		ev->has_result = 1;
		ev->result = rval;
	}
	free(v);
}

/*
 * How a traced call is followed.  Calls that change an mm's layout or its
 * pages are serialized per mm: while one task is inside one (from its
 * seccomp stop to its syscall-exit stop), other tasks of the mm that enter
 * one are held at their seccomp stop.  The kernel serializes most of them
 * on mmap_lock anyway; here it makes the time stamps, taken when the
 * recorder handles the exit stop, follow the order the kernel applied them
 * in: otherwise a thread's munmap could be stamped after another thread's
 * mmap that reused the freed range.  Calls recorded by name only are
 * watched to their exit without holding anyone: a userfaultfd handler's
 * UFFDIO_COPY must not wait behind the call its fault blocks.
 */
enum { CALL_FREE, CALL_WATCH, CALL_SERIAL };

static int call_kind(struct rec_task *task, enum rec_sys sys)
{
	switch (sys) {
	case RSYS_CLONE:
	case RSYS_CLONE3:
	case RSYS_FORK:
		/* fork copies the mm; CLONE_VM clones do not touch it */
		return task->clone_flags & CLONE_VM ? CALL_FREE : CALL_SERIAL;
	case RSYS_VFORK:
	case RSYS_EXECVE:
	case RSYS_EXECVEAT:
	case RSYS_EXIT:
	case RSYS_EXIT_GROUP:
	case RSYS_NONE:
	case RSYS_NR:
		return CALL_FREE;
	case RSYS_PROCESS_MADVISE:
	case RSYS_PROCESS_MRELEASE:
	case RSYS_PROCESS_VM_WRITEV:
		return CALL_WATCH;
	case RSYS_IOCTL:
		return (uint32_t)task->args[1] == UFFDIO_REGISTER ||
		       (uint32_t)task->args[1] == UFFDIO_UNREGISTER ?
		       CALL_SERIAL : CALL_WATCH;
	default:
		return CALL_SERIAL;
	}
}

/* Is @fd of @task a userfaultfd (from the syscall or /dev/userfaultfd)? */
static bool is_uffd(struct rec_task *task, long fd)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%ld", (int)task->tid, fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = 0;
	return !strcmp(link, "anon_inode:[userfaultfd]");
}

/* Name under which a call the trace cannot describe is recorded. */
static const char *const sys_names[RSYS_NR] = {
	[RSYS_MBIND] = "mbind",
	[RSYS_SET_MEMPOLICY_HOME_NODE] = "set_mempolicy_home_node",
	[RSYS_REMAP_FILE_PAGES] = "remap_file_pages",
	[RSYS_PROCESS_MADVISE] = "process_madvise",
	[RSYS_PROCESS_MRELEASE] = "process_mrelease",
	[RSYS_PROCESS_VM_WRITEV] = "process_vm_writev",
	[RSYS_MAP_SHADOW_STACK] = "map_shadow_stack",
};

/*
 * Which ioctl or prctl this is, and its name; false when the recorder has
 * nothing to record for it (an ioctl on another kind of file).
 */
static bool request_call(struct recorder *r, struct rec_task *task,
			 enum rec_sys sys)
{
	const char *name;

	if (sys == RSYS_PRCTL) {
		name = rec_request_name(rec_prctls, (uint32_t)task->args[0]);
	} else {
		if (!is_uffd(task, (long)task->args[0]))
			return false;
		name = rec_request_name(rec_ioctls, (uint32_t)task->args[1]);
	}
	if (!name)
		return false;
	task->sysname = trace_file_id(r->t, name);
	return true;
}

static uint64_t page_down(struct recorder *r, uint64_t v)
{
	return v & ~(uint64_t)(r->page_size - 1);
}

/* Does this call populate pages (mm_populate(), GUP) without faults? */
static bool populating(struct rec_task *task)
{
	const uint64_t *a = task->args;

	switch (task->sys) {
	case RSYS_MLOCK:
		return true;
	case RSYS_MLOCK2:
		return !(a[2] & MLOCK_ONFAULT);
	case RSYS_MLOCKALL:
		return (a[0] & MCL_CURRENT) && !(a[0] & MCL_ONFAULT);
	case RSYS_MADVISE:
		return a[2] == MADV_POPULATE_READ ||
		       a[2] == MADV_POPULATE_WRITE;
	case RSYS_MPROTECT:
	case RSYS_PKEY_MPROTECT:
		/* mprotect_fixup(): a locked VMA made writable is populated */
		return a[2] & PROT_WRITE;
	default:
		return false;
	}
}

/*
 * The ranges a populating call covers: its argument range, or every VMA
 * for mlockall(); @fn is called for each.
 */
static void populated_ranges(struct recorder *r, struct rec_task *task,
			     void (*fn)(struct recorder *r,
					struct rec_task *task, uint64_t start,
					uint64_t end, uint64_t time),
			     uint64_t time)
{
	struct rec_vma *v = NULL;
	size_t n = 0, i;
	uint64_t start = page_down(r, task->args[0]);

	if (task->sys != RSYS_MLOCKALL) {
		fn(r, task, start, page_align(r, task->args[0] +
					      task->args[1]), time);
		return;
	}
	if (rec_read_maps(task->tid, &v, &n))
		return;
	for (i = 0; i < n; i++)
		if (v[i].start < (1ULL << 56))
			fn(r, task, v[i].start, v[i].end, time);
	free(v);
}

static void collect_range(struct recorder *r, struct rec_task *task,
			  uint64_t start, uint64_t end, uint64_t time)
{
	rec_before_collect(r, task, start, end);
}

/* Let @task run its call @task->sys, to the syscall-exit stop. */
static void start_call(struct recorder *r, struct rec_task *task)
{
	bool devzero;

	task->mm->busy = task;
	/* classify earlier faults before the call acts */
	rec_perf_force(r, task->mm);
	task->file = TRACE_NO_FILE;
	task->extra = 0;
	if (task->sys == RSYS_MMAP && !(task->args[3] & MAP_ANONYMOUS)) {
		task->file = fd_file(r, task, (long)task->args[4], &devzero);
		if (devzero)
			task->extra = MAP_ANONYMOUS;
	}
	if (task->sys == RSYS_SHMDT)
		task->shm_len = shm_len(r, task, task->args[0]);
	rec_before_free(&task->before);
	if (populating(task))
		populated_ranges(r, task, collect_range, 0);
	else
		rec_migrate_start(r, task);
	if (call_kind(task, task->sys) == CALL_SERIAL &&
	    (task->sys == RSYS_CLONE || task->sys == RSYS_CLONE3 ||
	     task->sys == RSYS_FORK))
		task->mm->fork_from = rec_now();
	task->in_syscall = true;
	resume(task, 0);
}

/* @task's serialized call is over: start the next waiting one. */
static void end_call(struct recorder *r, struct rec_task *task)
{
	struct rec_mm *mm = task->mm;
	struct rec_task *next;

	if (!mm || mm->busy != task)
		return;
	mm->busy = NULL;
	/* a fork that failed: its copy never came */
	mm->fork_from = 0;
	next = mm->wait_head;
	if (!next)
		return;
	mm->wait_head = next->wait_next;
	if (!mm->wait_head)
		mm->wait_tail = NULL;
	next->waiting = false;
	next->wait_next = NULL;
	start_call(r, next);
}

/* A task leaves (death, exec): drop it from its mm's queue. */
static void unqueue(struct recorder *r, struct rec_task *task)
{
	struct rec_mm *mm = task->mm;
	struct rec_task **pp, *prev = NULL;

	if (!mm)
		return;
	if (task->waiting) {
		for (pp = &mm->wait_head; *pp; prev = *pp,
		     pp = &(*pp)->wait_next) {
			if (*pp != task)
				continue;
			*pp = task->wait_next;
			if (mm->wait_tail == task)
				mm->wait_tail = prev;
			break;
		}
		task->waiting = false;
		task->wait_next = NULL;
	}
	end_call(r, task);
}

static void on_seccomp(struct recorder *r, struct rec_task *task)
{
	struct __ptrace_syscall_info info;
	struct rec_mm *mm = task->mm;
	enum rec_sys sys;
	long word;
	int kind;

	if (syscall_info(task->tid, &info) ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP ||
	    info.arch != rec_arch.audit_arch) {
		resume(task, 0);
		return;
	}
	sys = rec_arch_sys((long)info.seccomp.nr);
	r->nr_syscalls++;
	memcpy(task->args, info.seccomp.args, sizeof(task->args));
	task->sysname = TRACE_NO_FILE;
	switch (sys) {
	case RSYS_CLONE:
		task->clone_flags = task->args[0];
		break;
	case RSYS_CLONE3:
		/* struct clone_args begins with the u64 flags */
		errno = 0;
		word = ptrace(PTRACE_PEEKDATA, task->tid, task->args[0], 0);
		task->clone_flags = errno ? 0 : (uint64_t)word;
		break;
	case RSYS_FORK:
		task->clone_flags = SIGCHLD;
		break;
	case RSYS_VFORK:
		task->clone_flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
		break;
	case RSYS_EXECVE:
	case RSYS_EXECVEAT:
		/* faults so far hit the old mm, still readable now */
		if (mm)
			rec_perf_force(r, mm);
		break;
	case RSYS_EXIT_GROUP:
		task->group_exit = true;
		break;
	case RSYS_IOCTL:
	case RSYS_PRCTL:
		if (!request_call(r, task, sys))
			sys = RSYS_NONE;
		break;
	default:
		if (sys_names[sys])
			task->sysname = trace_file_id(r->t, sys_names[sys]);
		break;
	}
	kind = call_kind(task, sys);
	if (!mm || kind == CALL_FREE) {
		resume(task, 0);
		return;
	}
	task->sys = sys;
	if (kind == CALL_WATCH) {
		task->in_syscall = true;
		resume(task, 0);
		return;
	}
	if (mm->busy && mm->busy != task) {
		task->waiting = true;
		task->wait_next = NULL;
		if (mm->wait_tail)
			mm->wait_tail->wait_next = task;
		else
			mm->wait_head = task;
		mm->wait_tail = task;
		return;
	}
	start_call(r, task);
}

/* Read @n words of the tracee's memory at @addr; false if it cannot. */
static bool peek(struct rec_task *task, uint64_t addr, uint64_t *w, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		errno = 0;
		w[i] = (uint64_t)ptrace(PTRACE_PEEKDATA, task->tid,
					addr + 8 * i, 0);
		if (errno)
			return false;
	}
	return true;
}

/* A userfaultfd ioctl: (un)registration, or a fill recorded by name. */
static struct trace_event *emit_uffd(struct recorder *r,
				     struct rec_task *task, uint64_t now)
{
	uint32_t req = (uint32_t)task->args[1];
	struct trace_event *ev;
	uint64_t w[3];

	if (req != UFFDIO_REGISTER && req != UFFDIO_UNREGISTER) {
		ev = rec_emit(r, EV_SYSCALL, task->label, now);
		ev->file = task->sysname;
		return ev;
	}
	/* struct uffdio_register: range.start, range.len, mode */
	if (!peek(task, task->args[2], w, req == UFFDIO_REGISTER ? 3 : 2))
		return NULL;
	ev = rec_emit(r, req == UFFDIO_REGISTER ? EV_UFFD_REGISTER :
		      EV_UFFD_UNREGISTER, task->label, now);
	ev->addr = w[0];
	ev->len = w[1];
	if (req == UFFDIO_REGISTER)
		ev->flags = (uint32_t)w[2];
	return ev;
}

/* An event for a call on the range (args[0], args[1]). */
static struct trace_event *emit_range(struct recorder *r,
				      struct rec_task *task,
				      enum trace_ev type, uint64_t now)
{
	struct trace_event *ev = rec_emit(r, type, task->label, now);

	ev->addr = task->args[0];
	ev->len = task->args[1];
	return ev;
}

/*
 * MADV_PAGEOUT with swap space, as it turned out: reclaim skips folios
 * it cannot isolate from the LRU (those still in another CPU's batch:
 * madvise_pageout() drains only its own) and those mapped more than
 * once.  Pages still present after the call get `madvise cold`, what
 * madvise_cold_or_pageout_pte_range() alone did to them; the rest of the
 * range gets `pageout`.
 */
struct pageout_split {
	int64_t label;
	uint64_t now;
	uint64_t done;		/* the range is written up to here */
	uint64_t cold_end;	/* present pages from @done up to here */
};

static void pageout_emit(struct recorder *r, struct pageout_split *s,
			 enum trace_ev type, uint64_t end)
{
	struct trace_event *ev;

	if (end <= s->done)
		return;
	ev = rec_emit(r, type, s->label, s->now);
	ev->addr = s->done;
	ev->len = end - s->done;
	if (type == EV_MADVISE)
		ev->advice = MADV_COLD;
	ev->has_result = 1;
	ev->result = 0;
	s->done = end;
}

static void pageout_page(struct recorder *r, void *arg, uint64_t addr,
			 const struct page_state *ps)
{
	struct pageout_split *s = arg;

	if (!ps->present)
		return;
	if (addr != s->cold_end) {
		pageout_emit(r, s, EV_MADVISE, s->cold_end);
		pageout_emit(r, s, EV_PAGEOUT, addr);
	}
	s->cold_end = addr + r->page_size;
}

/* An advice that empties the range: its pages are no longer the trace's. */
static bool advice_empties(int advice)
{
	return advice == MADV_DONTNEED || advice == MADV_FREE ||
	       advice == MADV_REMOVE || advice == MADV_DONTNEED_LOCKED;
}

/*
 * madvise(@advice) of [@start, @start + @len) in the mm of @label, which
 * returned @rval.  A refused MADV_PAGEOUT is written as the call was
 * made; without free swap space, as what the kernel then did: MADV_COLD
 * (shrink_folio_list() fails add_to_swap() and puts each folio back).
 */
static void emit_madvise(struct recorder *r, int64_t label,
			 struct rec_mm *mm, uint64_t start, uint64_t len,
			 int advice, uint64_t now, int64_t rval)
{
	struct pageout_split s = {
		.label = label, .now = now, .done = start, .cold_end = start,
	};
	uint64_t end = start + page_align(r, len);
	bool swap = advice == MADV_PAGEOUT && rec_swap_free();
	struct trace_event *ev;

	if (swap && rval == 0) {
		/* Should the mm be gone meanwhile, the rest reads as reclaimed. */
		rec_present_pages(r, mm->pagemap_fd, start, end, pageout_page,
				  &s);
		pageout_emit(r, &s, EV_MADVISE, s.cold_end);
		pageout_emit(r, &s, EV_PAGEOUT, end);
		return;
	}
	if (advice == MADV_PAGEOUT && !swap)
		r->nr_pageout_noswap++;
	ev = rec_emit(r, swap ? EV_PAGEOUT : EV_MADVISE, label, now);
	ev->addr = start;
	ev->len = len;
	if (ev->type == EV_MADVISE)
		ev->advice = advice == MADV_PAGEOUT ? MADV_COLD : advice;
	ev->has_result = 1;
	ev->result = rval;
}

/* The live task of process @pid that the trace names it by, if traced. */
static struct rec_task *process_task(struct recorder *r, pid_t pid)
{
	struct rec_task *task = rec_task_find(r, pid);
	int i;

	if (task && task->mm && !task->exit_done && !task->dead)
		return task;
	/* its leader is gone: another thread of the group */
	for (i = 0; i < REC_HASH; i++)
		for (task = r->tasks[i]; task; task = task->hnext)
			if (task->tgid == pid && task->mm &&
			    !task->exit_done && !task->dead)
				return task;
	return NULL;
}

#ifndef PIDFD_SELF_THREAD
#define PIDFD_SELF_THREAD		-10000	/* Linux 6.15 uapi */
#define PIDFD_SELF_THREAD_GROUP		-10001
#endif

/* The process a pidfd of @task names, from its fdinfo's Pid: line. */
static pid_t pidfd_pid(struct rec_task *task, int fd)
{
	unsigned long long pid;
	char path[64];

	if (fd == PIDFD_SELF_THREAD || fd == PIDFD_SELF_THREAD_GROUP)
		return task->tgid;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)task->tid,
		 fd);
	if (proc_field(path, "Pid:", &pid) || pid > INT32_MAX)
		return 0;
	return (pid_t)pid;
}

/* process_madvise_remote_valid(): what may be done to another mm */
static bool remote_advice(int advice)
{
	return advice == MADV_COLD || advice == MADV_PAGEOUT ||
	       advice == MADV_WILLNEED || advice == MADV_COLLAPSE;
}

/*
 * process_madvise(pidfd, iov, vlen, advice, flags) that returned @rval:
 * each whole iovec the kernel advised, in order, as a madvise of the
 * process the pidfd names (vector_madvise() returns the bytes of those,
 * and stops at the first that fails; if that is the first, its error,
 * which it may return after advising some of its VMAs).  A call refused
 * before any advice, or on a process outside the trace, changes nothing
 * the trace holds and is not written.  False: the recorder cannot tell,
 * and the call is recorded by name.
 */
static bool emit_process_madvise(struct recorder *r, struct rec_task *task,
				 uint64_t now, int64_t rval)
{
	const uint64_t *a = task->args;
	uint64_t left = rval > 0 ? (uint64_t)rval : 0, *iov;
	struct rec_task *target;
	size_t vlen = a[2], i;
	int advice = (int)a[3];

	if (rval == -EBADF || rval == -ESRCH || rval == -EPERM ||
	    rval == -EFAULT || a[4] || !vlen)
		return true;
	target = process_task(r, pidfd_pid(task, (int)a[0]));
	if (!target)
		return true;
	if (target->mm != task->mm && !remote_advice(advice))
		return true;
	if (vlen > 1024)
		return false;
	iov = calloc(2 * vlen, sizeof(*iov));
	if (!iov || !peek(task, a[1], iov, (int)(2 * vlen))) {
		free(iov);
		return false;
	}
	for (i = 0; i < vlen; i++) {
		uint64_t start = iov[2 * i], len = iov[2 * i + 1];

		if (!len)
			continue;
		if (rval < 0) {
			/* the first iovec's error */
			emit_madvise(r, target->label, target->mm, start, len,
				     advice, now, rval);
			break;
		}
		if (len > left)
			break;
		left -= len;
		emit_madvise(r, target->label, target->mm, start, len, advice,
			     now, 0);
		if (advice_empties(advice))
			rec_pageset_del_range(&target->mm->seen,
					      page_down(r, start),
					      page_align(r, start + len),
					      r->page_size);
	}
	free(iov);
	return true;
}

/*
 * The pages a call unmapped or emptied are no longer the trace's anon
 * pages (mm->seen): a fault there later makes a new folio.
 */
static void forget_unmapped(struct recorder *r, struct rec_task *task,
			    int64_t rval)
{
	struct rec_pageset *seen = &task->mm->seen;
	const uint64_t *a = task->args;
	uint64_t start = page_down(r, a[0]), len = page_align(r, a[1]);

	if (rval < 0)
		return;
	switch (task->sys) {
	case RSYS_MUNMAP:
		break;
	case RSYS_MMAP:
		/* whatever was there before the mapping is gone */
		start = (uint64_t)rval;
		break;
	case RSYS_MREMAP:
		/* the moved pages are marked again at their new place */
		break;
	case RSYS_MADVISE:
		if (!advice_empties((int)a[2]))
			return;
		break;
	case RSYS_SHMDT:
		len = task->shm_len;
		break;
	case RSYS_BRK:
		/* a shrinking break unmaps its end */
		if (!task->mm->brk || (uint64_t)rval >= task->mm->brk)
			return;
		start = page_align(r, (uint64_t)rval);
		len = page_align(r, task->mm->brk) - start;
		break;
	default:
		return;
	}
	rec_pageset_del_range(seen, start, start + len, r->page_size);
}

static void on_syscall_exit(struct recorder *r, struct rec_task *task)
{
	struct __ptrace_syscall_info info;
	struct trace_event *ev = NULL;
	uint64_t now = rec_now(), *a = task->args;
	struct rec_mm *mm = task->mm;
	int64_t rval;

	task->in_syscall = false;
	if (syscall_info(task->tid, &info) ||
	    info.op != PTRACE_SYSCALL_INFO_EXIT || !mm) {
		task->sys = RSYS_NONE;
		resume(task, 0);
		end_call(r, task);
		return;
	}
	rval = info.exit.rval;
	switch (task->sys) {
	case RSYS_MMAP:
		ev = emit_range(r, task, EV_MMAP, now);
		ev->prot = (uint32_t)a[2];
		ev->flags = (uint32_t)a[3] | task->extra;
		if (!(ev->flags & MAP_ANONYMOUS)) {
			ev->file = task->file;
			ev->pgoff = a[5] / r->page_size;
		}
		break;
	case RSYS_MUNMAP:
		ev = emit_range(r, task, EV_MUNMAP, now);
		break;
	case RSYS_MPROTECT:
		ev = emit_range(r, task, EV_MPROTECT, now);
		ev->prot = (uint32_t)a[2];
		break;
	case RSYS_PKEY_MPROTECT:
		ev = emit_range(r, task, EV_PKEY_MPROTECT, now);
		ev->prot = (uint32_t)a[2];
		ev->advice = (int32_t)a[3];
		break;
	case RSYS_MADVISE:
		emit_madvise(r, task->label, mm, a[0], a[1], (int)a[2], now,
			     rval);
		break;
	case RSYS_PROCESS_MADVISE:
		if (emit_process_madvise(r, task, now, rval))
			break;
		ev = rec_emit(r, EV_SYSCALL, task->label, now);
		ev->file = task->sysname;
		break;
	case RSYS_MREMAP:
		ev = emit_range(r, task, EV_MREMAP, now);
		ev->new_len = a[2];
		ev->flags = (uint32_t)a[3];
		ev->new_addr = a[4];
		break;
	case RSYS_BRK:
		ev = rec_emit(r, EV_BRK, task->label, now);
		ev->addr = a[0];
		break;
	case RSYS_SHMAT:
		emit_shmat(r, task, rval, now);
		break;
	case RSYS_SHMDT:
		if (rval == 0 && task->shm_len) {
			ev = rec_emit(r, EV_MUNMAP, task->label, now);
			ev->addr = a[0];
			ev->len = task->shm_len;
		}
		break;
	case RSYS_MLOCK:
	case RSYS_MLOCK2:
		ev = emit_range(r, task, EV_MLOCK, now);
		if (task->sys == RSYS_MLOCK2)
			ev->flags = (uint32_t)a[2];
		break;
	case RSYS_MUNLOCK:
		ev = emit_range(r, task, EV_MUNLOCK, now);
		break;
	case RSYS_MLOCKALL:
		ev = rec_emit(r, EV_MLOCKALL, task->label, now);
		ev->flags = (uint32_t)a[0];
		/* apply_mlockall_flags(): later mappings populate */
		if (rval == 0)
			mm->mcl_future = (a[0] & MCL_FUTURE) &&
					 !(a[0] & MCL_ONFAULT);
		break;
	case RSYS_MUNLOCKALL:
		ev = rec_emit(r, EV_MUNLOCKALL, task->label, now);
		if (rval == 0)
			mm->mcl_future = false;
		break;
	case RSYS_MSEAL:
		ev = emit_range(r, task, EV_MSEAL, now);
		break;
	case RSYS_IOCTL:
		ev = emit_uffd(r, task, now);
		break;
	case RSYS_PRCTL:
		/* refused (no CONFIG_ANON_VMA_NAME, say): nothing changed */
		if (rval == 0) {
			ev = rec_emit(r, EV_SYSCALL, task->label, now);
			ev->file = task->sysname;
		}
		break;
	default:
		if (task->sysname != TRACE_NO_FILE) {
			ev = rec_emit(r, EV_SYSCALL, task->label, now);
			ev->file = task->sysname;
		}
		break;
	}
	if (ev) {
		ev->has_result = 1;
		ev->result = rval;
	}
	forget_unmapped(r, task, rval);
	/*
	 * Pages the kernel populated without a user fault: a new mapping
	 * with MAP_POPULATE or MAP_LOCKED (or any after mlockall's
	 * MCL_FUTURE), a locked mapping's growth by brk or mremap, and
	 * populating calls on existing ranges (what changed only).
	 */
	if (rval >= 0 && task->sys == RSYS_MMAP &&
	    ((a[3] & (MAP_POPULATE | MAP_LOCKED)) || mm->mcl_future))
		rec_emit_present(r, task, (uint64_t)rval,
				 (uint64_t)rval + page_align(r, a[1]), now);
	if (rval >= 0 && task->sys == RSYS_BRK) {
		if (mm->mcl_future && mm->brk && (uint64_t)rval > mm->brk)
			rec_emit_present(r, task, page_align(r, mm->brk),
					 page_align(r, (uint64_t)rval), now);
		mm->brk = (uint64_t)rval;
	}
	if (rval >= 0 && task->sys == RSYS_MREMAP) {
		/* pages moved without faults are still the trace's own */
		rec_seen_range(r, mm, (uint64_t)rval,
			       (uint64_t)rval + page_align(r, a[2]));
		if (a[2] > a[1])
			rec_emit_present(r, task, (uint64_t)rval +
					 page_align(r, a[1]), (uint64_t)rval +
					 page_align(r, a[2]), now);
	}
	if (rval == 0 && populating(task))
		populated_ranges(r, task, rec_emit_changed, now);
	/* even a failed call may have moved some pages */
	rec_migrate_end(r, task, now);
	rec_before_free(&task->before);
	task->sys = RSYS_NONE;
	periodic_checkpoint(r, task);
	resume(task, 0);
	end_call(r, task);
}

/* The task got its creation event: let it run if it is waiting. */
static void release(struct rec_task *task)
{
	task->attached = true;
	if (task->held) {
		task->held = false;
		resume(task, 0);
	}
}

static void on_reaped(struct recorder *r, pid_t tid, int status);

/*
 * Wait for a new task's first stop.  Until then it may still run kernel
 * code that writes its memory (the CLONE_CHILD_SETTID store of fork(),
 * rseq registration), faulting in kernel mode: only once it is stopped
 * are its pages final for the fork checkpoint and its samples settled.
 */
static void wait_first_stop(struct recorder *r, struct rec_task *child)
{
	int status;
	pid_t p;

	if (child->started)
		return;
	do {
		p = waitpid(child->tid, &status, __WALL);
	} while (p < 0 && errno == EINTR);
	if (p != child->tid) {
		rec_task_reaped(r, child);
		return;
	}
	if (WIFSTOPPED(status)) {
		child->started = true;
		child->held = true;
		child->stopped = true;
	} else {
		on_reaped(r, child->tid, status);
	}
}

static void on_clone_event(struct recorder *r, struct rec_task *task,
			   int event)
{
	unsigned long msg = 0;
	struct rec_task *child;
	uint64_t now, born, flags = task->clone_flags;
	struct trace_event *ev;
	struct rec_task *both[2];
	struct rec_mm *mm = task->mm;

	ptrace(PTRACE_GETEVENTMSG, task->tid, 0, &msg);
	if (event == PTRACE_EVENT_VFORK)
		flags |= CLONE_VM | CLONE_VFORK;
	child = rec_task_find(r, (pid_t)msg);
	if (!child || child->dead)
		child = rec_task_new(r, (pid_t)msg);
	if (!mm) {
		/* forked before its first exec: nothing to model */
		release(child);
		resume(task, 0);
		return;
	}
	child->tgid = flags & CLONE_THREAD ? task->tgid : child->tid;
	if (flags & CLONE_VM) {
		rec_mm_get(mm);
		rec_task_set_mm(r, child, mm);
	} else {
		/* every sample of the child hit this mm: born at 0 */
		rec_task_set_mm(r, child, rec_mm_new(r, child->tid, 0));
	}
	wait_first_stop(r, child);
	/*
	 * Stamped when the kernel created the child (PERF_RECORD_FORK, the
	 * samples' clock), not when the recorder got here: other threads'
	 * faults meanwhile fall on the right side of it.  The child's own
	 * early kernel-mode writes (CLONE_CHILD_SETTID, rseq) follow it.
	 */
	now = rec_now();
	born = rec_perf_birth(r, child->tid);
	if (!born || born > now)
		born = now;
	child->created_ns = born;
	child->attached = true;
	ev = rec_emit(r, flags & CLONE_VM ? EV_THREAD : EV_FORK, task->label,
		      born);
	ev->child = child->label;
	ev->flags = (uint32_t)flags;
	if (flags & CLONE_VM) {
		rec_perf_drain(r);
	} else {
		/*
		 * With the parent's other threads stopped, their faults
		 * since the fork's entry are placed before or after the
		 * copy (faults.c); then both address spaces are read.
		 */
		if (r->opts->checkpoints)
			freeze(r, mm);
		mm->fork_from = 0;
		mm->fork_time = born;
		mm->fork_child = child->mm;
		rec_perf_drain(r);
		mm->fork_time = 0;
		mm->fork_child = NULL;
		rec_pageset_copy(&child->mm->seen, &mm->seen);
		child->mm->brk = mm->brk;
		both[0] = task;
		both[1] = child;
		checkpoint(r, "fork", both, 2);
		thaw(r);
	}
	if (event == PTRACE_EVENT_VFORK) {
		task->in_vfork = true;
		child->vfork_parent = task;
	}
	release(child);
	resume(task, 0);
}

/* A vfork child exec'd or exited: its parent runs again. */
static void vfork_done(struct rec_task *task)
{
	if (task->vfork_parent)
		task->vfork_parent->in_vfork = false;
	task->vfork_parent = NULL;
}

static void on_exec_event(struct recorder *r, struct rec_task *task)
{
	unsigned long former = 0;
	struct rec_vma *v = NULL;
	struct trace_event *ev;
	struct rec_task *old;
	size_t n = 0, i;
	uint64_t now;
	char name[64];

	ptrace(PTRACE_GETEVENTMSG, task->tid, 0, &former);
	now = rec_now();
	vfork_done(task);
	if ((pid_t)former != task->tid && (old = rec_task_find(r,
	    (pid_t)former)) && !old->dead) {
		/*
		 * A non-leader thread exec'd and took the leader's tid: the
		 * leader's label ends, the exec'ing thread's label goes on.
		 */
		if (!task->exit_done && task->attached)
			rec_emit(r, EV_EXIT, task->label, now);
		task->label = old->label;
		task->exit_done = false;
		task->exited = false;
		unqueue(r, old);
		rec_task_reaped(r, old);
		old->exit_done = true;
	}
	unqueue(r, task);
	/*
	 * Samples taken since the execve() entry hit the old mm, now gone,
	 * or the new one while the kernel built it; the snapshot below
	 * covers the latter.  With the new mm's birth set first, the drain
	 * counts them all as stale.
	 */
	rec_task_set_mm(r, task, rec_mm_new(r, task->tid, now));
	rec_perf_drain(r);
	rec_emit(r, EV_EXEC, task->label, now);

	/*
	 * The new image's layout, as fixed mmaps right after the exec event
	 * (same time stamp); then what the kernel already populated.
	 */
	if (!rec_read_maps(task->tid, &v, &n)) {
		for (i = 0; i < n; i++) {
			const char *nm = v[i].name;
			bool special = nm[0] == '[' && strcmp(nm, "[heap]") &&
				       strcmp(nm, "[stack]");

			if (v[i].start >= (1ULL << 56))
				continue;	/* [vsyscall] */
			ev = rec_emit(r, EV_MMAP, task->label, now);
			ev->addr = v[i].start;
			ev->len = v[i].end - v[i].start;
			ev->prot = (v[i].perms[0] == 'r' ? PROT_READ : 0) |
				   (v[i].perms[1] == 'w' ? PROT_WRITE : 0) |
				   (v[i].perms[2] == 'x' ? PROT_EXEC : 0);
			ev->flags = MAP_FIXED | (v[i].perms[3] == 's' ?
						 MAP_SHARED : MAP_PRIVATE);
			if (special) {
				ev->file = trace_file_id(r->t, nm);
			} else if (v[i].ino) {
				rec_file_name(name, sizeof(name), v[i].maj,
					      v[i].min, v[i].ino);
				ev->file = trace_file_id(r->t, name);
				ev->pgoff = v[i].offset / r->page_size;
			} else {
				ev->flags |= MAP_ANONYMOUS;
				if (!strcmp(nm, "[stack]"))
					ev->flags |= MAP_GROWSDOWN;
			}
			ev->has_result = 1;
			ev->result = (int64_t)v[i].start;
		}
		for (i = 0; i < n; i++)
			if (v[i].start < (1ULL << 56))
				rec_emit_present(r, task, v[i].start,
						 v[i].end, now);
		free(v);
	}
	rec_checkpoint(r, "exec", &task, 1, now);
	resume(task, 0);
}

/* Does a task that has not reached its exit stop use @mm? */
static bool mm_running(struct recorder *r, struct rec_mm *mm)
{
	struct rec_task *t;
	int i;

	for (i = 0; i < REC_HASH; i++)
		for (t = r->tasks[i]; t; t = t->hnext)
			if (!t->dead && !t->exited && t->mm == mm)
				return true;
	return false;
}

/* Has thread group @tgid a thread that has not reached its exit stop? */
static bool group_running(struct recorder *r, pid_t tgid)
{
	struct rec_task *t;
	int i;

	for (i = 0; i < REC_HASH; i++)
		for (t = r->tasks[i]; t; t = t->hnext)
			if (!t->dead && !t->exited && t->tgid == tgid)
				return true;
	return false;
}

/* Is every live task using @mm in thread group @tgid? */
static bool mm_only_group(struct recorder *r, struct rec_mm *mm, pid_t tgid)
{
	struct rec_task *t;
	int i;

	for (i = 0; i < REC_HASH; i++)
		for (t = r->tasks[i]; t; t = t->hnext)
			if (!t->dead && t->mm == mm && t->tgid != tgid)
				return false;
	return true;
}

/*
 * PTRACE_EVENT_EXIT comes before the task drops its mm: the last chance
 * to see the address space.  It is checkpointed when this task is its
 * last user, or when the whole thread group is going (exit_group or a
 * fatal signal: the other threads are killed without an exit stop) and
 * no other group (a vfork child) shares it.
 */
static void on_exit_event(struct recorder *r, struct rec_task *task)
{
	unsigned long status = 0;
	struct rec_mm *mm = task->mm;
	bool group;
	uint64_t now;

	ptrace(PTRACE_GETEVENTMSG, task->tid, 0, &status);
	vfork_done(task);
	task->exited = true;
	group = task->group_exit || WIFSIGNALED((int)status);
	if (mm)
		rec_perf_force(r, mm);
	if (mm && task->attached && !mm->exit_cp &&
	    (!mm_running(r, mm) || (group && mm_only_group(r, mm,
							    task->tgid)))) {
		mm->exit_cp = true;
		checkpoint(r, "exit", &task, 1);
	}
	now = rec_now();
	/*
	 * A leader that ends before its threads (pthread_exit()) stays a
	 * zombie, and its process lives on: its exit is recorded when it
	 * is reaped, after the last thread.
	 */
	if (task->attached && !task->exit_done && mm &&
	    (group || task->tid != task->tgid ||
	     !group_running(r, task->tgid))) {
		rec_emit(r, EV_EXIT, task->label, now);
		task->exit_done = true;
	}
	unqueue(r, task);
	resume(task, 0);
}

static void on_reaped(struct recorder *r, pid_t tid, int status)
{
	struct rec_task *task = rec_task_find(r, tid);

	if (tid == r->root_pid && !r->root_done) {
		r->root_done = true;
		r->root_status = WIFEXITED(status) ? WEXITSTATUS(status) :
				 128 + WTERMSIG(status);
	}
	if (!task || task->dead)
		return;
	vfork_done(task);
	/* killed without an exit stop (SIGKILL) */
	if (task->attached && !task->exit_done && task->mm)
		rec_emit(r, EV_EXIT, task->label, rec_now());
	task->exit_done = true;
	task->in_syscall = false;
	unqueue(r, task);
	rec_task_reaped(r, task);
}

/*
 * A SIGSEGV or SIGBUS the kernel raised for an access (si_code > 0, not
 * kill() or raise()): the fault at si_addr failed, whatever its page
 * holds now.
 */
static void fault_signal(struct recorder *r, struct rec_task *task)
{
	siginfo_t si;

	if (ptrace(PTRACE_GETSIGINFO, task->tid, 0, &si) || si.si_code <= 0)
		return;
	rec_perf_failed(r, task, (uint64_t)(uintptr_t)si.si_addr);
}

static bool is_group_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static void on_stop(struct recorder *r, pid_t tid, int status)
{
	struct rec_task *task = rec_task_find(r, tid);
	int sig = WSTOPSIG(status), event = (unsigned int)status >> 16;

	if (!task || task->dead) {
		/* a new task whose parent's clone event is still to come */
		task = rec_task_new(r, tid);
		task->started = true;
		task->held = true;
		task->stopped = true;
		return;
	}
	task->stopped = true;
	task->last_stop_ns = rec_now();
	if (!task->started) {
		/* the initial stop of a task created by a clone event */
		task->started = true;
		resume(task, 0);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp(r, task);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone_event(r, task, event);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(r, task);
		return;
	case PTRACE_EVENT_EXIT:
		on_exit_event(r, task);
		return;
	case PTRACE_EVENT_STOP:
		if (is_group_stop_sig(sig)) {
			/* SIGCONT may wake it without a stop we see */
			task->stopped = false;
			task->listening = true;
			ptrace(PTRACE_LISTEN, tid, 0, 0);
		} else {
			resume(task, 0);
		}
		return;
	default:
		break;
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (task->in_syscall)
			on_syscall_exit(r, task);
		else
			resume(task, 0);
		return;
	}
	if (sig == SIGSEGV || sig == SIGBUS)
		fault_signal(r, task);
	/* signal-delivery stop: deliver it */
	resume(task, sig);
}

static void handle(struct recorder *r, pid_t tid, int status)
{
	if (WIFSTOPPED(status))
		on_stop(r, tid, status);
	else if (WIFEXITED(status) || WIFSIGNALED(status))
		on_reaped(r, tid, status);
}

/* Kill every live task; used on a second interrupt. */
static void kill_all(struct recorder *r)
{
	struct rec_task *task;
	int i;

	for (i = 0; i < REC_HASH; i++)
		for (task = r->tasks[i]; task; task = task->hnext)
			if (!task->dead)
				kill(task->tid, SIGKILL);
}

int rec_trace_loop(struct recorder *r)
{
	struct pollfd pfds[1 + 256];
	struct signalfd_siginfo si;
	int sfd, status, n, i, ready, timeout, interrupts = 0;
	bool drain;
	sigset_t set;
	pid_t tid;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	for (;;) {
		for (;;) {
			tid = waitpid(-1, &status, __WALL | WNOHANG);
			if (tid <= 0)
				break;
			handle(r, tid, status);
			/* stops met while threads were frozen, in order */
			for (i = 0; (size_t)i < r->nr_later; i++) {
				pid_t ltid = r->later[i].tid;

				handle(r, ltid, r->later[i].status);
			}
			r->nr_later = 0;
		}
		if (tid < 0 && errno == ECHILD)
			break;
		if (!r->nr_live && r->root_done)
			break;
		pfds[0].fd = sfd;
		pfds[0].events = POLLIN;
		pfds[0].revents = 0;
		n = 1 + rec_perf_pollfds(r, pfds + 1, 256);
		/* samples waiting to settle are looked at again soon */
		timeout = r->nr_batch ? 5 : -1;
		if (sfd < 0) {
			/* no signalfd: fall back to a short sleep */
			ready = poll(pfds + 1, n - 1, 10);
		} else {
			ready = poll(pfds, n, timeout);
			if (ready < 0 && errno != EINTR)
				break;
		}
		rec_perf_polled(r, pfds + 1, n - 1);
		drain = ready == 0 && r->nr_batch;
		for (i = 1; i < n; i++)
			if (pfds[i].revents & POLLIN)
				drain = true;
		if (drain)
			rec_perf_drain(r);
		rec_out_flush(r, false);
		while (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			/* pass an interrupt on; kill on the second one */
			if (++interrupts > 1)
				kill_all(r);
			else if (!r->root_done)
				kill(r->root_pid, (int)si.ssi_signo);
		}
	}
	if (sfd >= 0)
		close(sfd);
	return 0;
}
