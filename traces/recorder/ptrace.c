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
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/recorder/rec.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif
#ifndef SHM_RDONLY
#define SHM_RDONLY		010000
#endif
#ifndef SHM_EXEC
#define SHM_EXEC		0100000
#endif

/* Resume @task, to its syscall-exit stop if it is inside a traced call. */
static void resume(struct rec_task *task, int sig)
{
	task->stopped = false;
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

static void periodic_checkpoint(struct recorder *r, struct rec_task *task,
				uint64_t now)
{
	if (r->opts->cp_every && r->since_cp >= r->opts->cp_every &&
	    task->mm)
		rec_checkpoint(r, "periodic", &task, 1, now);
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

/* Size of the SysV segment attached at @addr: its VMAs from @addr on. */
static uint64_t seg_len(const struct rec_vma *v, size_t n, uint64_t addr)
{
	uint64_t end;
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].start != addr || !v[i].ino)
			continue;
		end = v[i].end;
		while (i + 1 < n && v[i + 1].start == end &&
		       v[i + 1].ino == v[i].ino && v[i + 1].maj == v[i].maj &&
		       v[i + 1].min == v[i].min)
			end = v[++i].end;
		return end - addr;
	}
	return 0;
}

static uint64_t shm_len(struct rec_task *task, uint64_t addr)
{
	struct rec_vma *v = NULL;
	size_t n = 0;
	uint64_t len;

	if (rec_read_maps(task->tid, &v, &n))
		return 0;
	len = seg_len(v, n, addr);
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
	for (i = 0; i < n; i++)
		if (v[i].start == (uint64_t)rval)
			break;
	if (i < n) {
		ev = rec_emit(r, EV_MMAP, task->label, now);
		ev->len = seg_len(v, n, v[i].start);
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
 * Calls that change an mm's layout are serialized per mm: while one task
 * is inside one (from its seccomp stop to its syscall-exit stop), other
 * tasks of the mm that enter one are held at their seccomp stop.  The
 * kernel serializes most of them on mmap_lock anyway; here it makes the
 * time stamps, taken when the recorder handles the exit stop, follow the
 * order the kernel applied them in: otherwise a thread's munmap could be
 * stamped after another thread's mmap that reused the freed range.
 */
static bool serialized(enum rec_sys sys, uint64_t clone_flags)
{
	switch (sys) {
	case RSYS_CLONE:
	case RSYS_CLONE3:
	case RSYS_FORK:
		/* fork copies the mm; CLONE_VM clones do not touch it */
		return !(clone_flags & CLONE_VM);
	case RSYS_VFORK:
	case RSYS_EXECVE:
	case RSYS_EXECVEAT:
	case RSYS_EXIT:
	case RSYS_EXIT_GROUP:
	case RSYS_NONE:
	case RSYS_NR:
		return false;
	default:
		return true;
	}
}

/* Let @task run its call @task->sys, to the syscall-exit stop. */
static void start_call(struct recorder *r, struct rec_task *task)
{
	bool devzero;

	task->mm->busy = task;
	/* classify earlier faults before the call acts */
	rec_perf_drain(r);
	task->file = TRACE_NO_FILE;
	task->extra = 0;
	if (task->sys == RSYS_MMAP && !(task->args[3] & MAP_ANONYMOUS)) {
		task->file = fd_file(r, task, (long)task->args[4], &devzero);
		if (devzero)
			task->extra = MAP_ANONYMOUS;
	}
	if (task->sys == RSYS_SHMDT)
		task->shm_len = shm_len(task, task->args[0]);
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

	if (syscall_info(task->tid, &info) ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP ||
	    info.arch != rec_arch.audit_arch) {
		resume(task, 0);
		return;
	}
	sys = rec_arch_sys((long)info.seccomp.nr);
	r->nr_syscalls++;
	memcpy(task->args, info.seccomp.args, sizeof(task->args));
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
		rec_perf_drain(r);
		break;
	case RSYS_EXIT_GROUP:
		task->group_exit = true;
		break;
	default:
		break;
	}
	if (!mm || !serialized(sys, task->clone_flags)) {
		resume(task, 0);
		return;
	}
	task->sys = sys;
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

static void on_syscall_exit(struct recorder *r, struct rec_task *task)
{
	struct __ptrace_syscall_info info;
	struct trace_event *ev = NULL;
	uint64_t now = rec_now(), *a = task->args;
	int64_t rval;

	task->in_syscall = false;
	if (syscall_info(task->tid, &info) ||
	    info.op != PTRACE_SYSCALL_INFO_EXIT || !task->mm) {
		task->sys = RSYS_NONE;
		resume(task, 0);
		end_call(r, task);
		return;
	}
	rval = info.exit.rval;
	switch (task->sys) {
	case RSYS_MMAP:
		ev = rec_emit(r, EV_MMAP, task->label, now);
		ev->addr = a[0];
		ev->len = a[1];
		ev->prot = (uint32_t)a[2];
		ev->flags = (uint32_t)a[3] | task->extra;
		if (!(ev->flags & MAP_ANONYMOUS)) {
			ev->file = task->file;
			ev->pgoff = a[5] / r->page_size;
		}
		break;
	case RSYS_MUNMAP:
		ev = rec_emit(r, EV_MUNMAP, task->label, now);
		ev->addr = a[0];
		ev->len = a[1];
		break;
	case RSYS_MPROTECT:
	case RSYS_PKEY_MPROTECT:
		ev = rec_emit(r, EV_MPROTECT, task->label, now);
		ev->addr = a[0];
		ev->len = a[1];
		ev->prot = (uint32_t)a[2];
		break;
	case RSYS_MADVISE:
		ev = rec_emit(r, EV_MADVISE, task->label, now);
		ev->addr = a[0];
		ev->len = a[1];
		ev->advice = (int32_t)a[2];
		break;
	case RSYS_MREMAP:
		ev = rec_emit(r, EV_MREMAP, task->label, now);
		ev->addr = a[0];
		ev->len = a[1];
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
	default:
		break;
	}
	if (ev) {
		ev->has_result = 1;
		ev->result = rval;
	}
	/* pages the kernel populated without a user fault */
	if (rval >= 0 && task->sys == RSYS_MMAP &&
	    (a[3] & (MAP_POPULATE | MAP_LOCKED)))
		rec_emit_present(r, task, (uint64_t)rval,
				 (uint64_t)rval + page_align(r, a[1]), now);
	if (rval == 0 && task->sys == RSYS_MADVISE &&
	    (a[2] == MADV_POPULATE_READ || a[2] == MADV_POPULATE_WRITE))
		rec_emit_present(r, task, a[0], a[0] + page_align(r, a[1]),
				 now);
	task->sys = RSYS_NONE;
	periodic_checkpoint(r, task, now);
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
	uint64_t now, flags = task->clone_flags;
	struct trace_event *ev;
	struct rec_task *both[2];

	ptrace(PTRACE_GETEVENTMSG, task->tid, 0, &msg);
	if (event == PTRACE_EVENT_VFORK)
		flags |= CLONE_VM | CLONE_VFORK;
	child = rec_task_find(r, (pid_t)msg);
	if (!child || child->dead)
		child = rec_task_new(r, (pid_t)msg);
	if (!task->mm) {
		/* forked before its first exec: nothing to model */
		release(child);
		resume(task, 0);
		return;
	}
	child->tgid = flags & CLONE_THREAD ? task->tgid : child->tid;
	if (flags & CLONE_VM) {
		rec_mm_get(task->mm);
		rec_task_set_mm(r, child, task->mm);
	} else {
		/* every sample of the child hit this mm: born at 0 */
		rec_task_set_mm(r, child, rec_mm_new(r, child->tid, 0));
	}
	wait_first_stop(r, child);
	/* stamped once the child is stopped: after all its early faults */
	now = rec_now();
	child->created_ns = now;
	child->attached = true;
	ev = rec_emit(r, flags & CLONE_VM ? EV_THREAD : EV_FORK, task->label,
		      now);
	ev->child = child->label;
	ev->flags = (uint32_t)flags;
	/*
	 * The parent's faults before the call, and the child's early
	 * kernel-mode writes, which are stamped before this event and so
	 * are moved to its time (faults.c).
	 */
	rec_perf_drain(r);
	if (!(flags & CLONE_VM)) {
		both[0] = task;
		both[1] = child;
		rec_checkpoint(r, "fork", both, 2, now);
	}
	release(child);
	resume(task, 0);
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
	now = rec_now();
	rec_perf_drain(r);
	if (mm && task->attached && !mm->exit_cp) {
		group = task->group_exit || WIFSIGNALED((int)status);
		if (mm->users == 1 ||
		    (group && mm_only_group(r, mm, task->tgid))) {
			mm->exit_cp = true;
			rec_checkpoint(r, "exit", &task, 1, now);
		}
	}
	if (task->attached && !task->exit_done && mm)
		rec_emit(r, EV_EXIT, task->label, now);
	task->exit_done = true;
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
	/* killed without an exit stop (SIGKILL) */
	if (task->attached && !task->exit_done && task->mm)
		rec_emit(r, EV_EXIT, task->label, rec_now());
	task->exit_done = true;
	task->in_syscall = false;
	unqueue(r, task);
	rec_task_reaped(r, task);
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
	/* signal-delivery stop: deliver it */
	resume(task, sig);
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
			if (WIFSTOPPED(status))
				on_stop(r, tid, status);
			else if (WIFEXITED(status) || WIFSIGNALED(status))
				on_reaped(r, tid, status);
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
