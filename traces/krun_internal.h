/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pieces of kernel-run shared by its files: the controller (kernel_run.c),
 * the worker processes (krun_worker.c), the /proc snapshot
 * (krun_snapshot.c) and the tracefs object count (krun_objects.c).
 */
#ifndef RMAPLAB_TRACES_KRUN_INTERNAL_H
#define RMAPLAB_TRACES_KRUN_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "traces/swapfile.h"
#include "traces/trace.h"

/* What the controller asks a worker to do: one message per event. */
enum krun_op {
	KRUN_NOP,		/* baseline tree: reply, touch nothing */
	KRUN_MMAP,
	KRUN_MUNMAP,
	KRUN_MPROTECT,
	KRUN_MADVISE,
	KRUN_MREMAP,
	KRUN_FAULT,
	KRUN_FORK,		/* carries the child's socket, SCM_RIGHTS */
	KRUN_EXIT,		/* no reply: the process just goes */
	KRUN_MLOCK,		/* mlock2(addr, len, flags) */
	KRUN_MUNLOCK,
	KRUN_MLOCKALL,		/* flags = MCL_* */
	KRUN_MUNLOCKALL,
	KRUN_MSEAL,
	KRUN_PKEY_MPROTECT,	/* advice = pkey */
	KRUN_UFFD_REGISTER,	/* flags = UFFDIO_REGISTER_MODE_* */
	KRUN_UFFD_UNREGISTER,
};

struct krun_cmd {
	uint32_t op;
	uint32_t prot;
	uint32_t flags;
	int32_t advice;
	int32_t fd;		/* mmap: file descriptor, -1 for anon */
	uint32_t write;		/* fault */
	uint64_t addr, len, new_len, new_addr;
	uint64_t off;		/* mmap: byte offset */
};

struct krun_reply {
	int64_t result;		/* syscall return or -errno */
	int32_t sig;		/* fault: signal caught, 0 when none */
	int32_t pid;		/* fork: child's pid; hello: own pid */
};

/*
 * Body of a worker process, forked by the controller (a root) or by
 * another worker (fork event).  @sock is its end of the channel to the
 * controller.  Never returns.
 */
void krun_worker_main(int sock) __attribute__((noreturn));
/* Before the first command: signal handlers, pre-touched private memory. */
void krun_worker_prepare(void);

/* A sorted set of disjoint [start, end) address ranges. */
struct krun_ranges {
	uint64_t (*r)[2];
	size_t nr, cap;
};

void krun_ranges_add(struct krun_ranges *rs, uint64_t start, uint64_t end);
bool krun_ranges_overlap(const struct krun_ranges *rs, uint64_t start,
			 uint64_t end);
void krun_ranges_free(struct krun_ranges *rs);

/* Map a temp file path back to the trace's file name, for cp_vma.name. */
struct krun_files {
	char dir[256];
	char **names;		/* trace names */
	int *fds;
	size_t nr;
};

/*
 * Fill @p with what /proc/@pid/maps and pagemap show inside @rs: every
 * VMA overlapping a range, every present page of those VMAs with its pfn,
 * /proc/kpageflags bits and /proc/kpagecount.
 */
int krun_snapshot(struct cp_proc *p, pid_t pid, const struct krun_ranges *rs,
		  const struct krun_files *files, char *err, size_t errlen);
/*
 * The order of the anon folio mapped at @addr in @pid (0 for a small or
 * non-anon folio, or when nothing is mapped there).
 */
int krun_folio_order(pid_t pid, uint64_t addr, uint8_t *order,
		     char *err, size_t errlen);
/* True when /proc/kpageflags says an anon folio that rmap tracks. */
bool krun_kflags_anon(uint64_t kflags);

/* Live anon_vma / anon_vma_chain objects of one process tree. */
struct krun_objs;

/*
 * Start counting for the trees rooted at @roots in a private tracefs
 * instance named after @tag (set_event_pid with event-fork follows their
 * children).
 */
struct krun_objs *krun_objs_start(const pid_t *roots, size_t nr,
				  const char *tag, char *err, size_t errlen);
/* Consume everything traced so far; then read the counts. */
int krun_objs_sync(struct krun_objs *o, char *err, size_t errlen);
/*
 * Consume what has been traced, without waiting: the ring buffer does not
 * overwrite, so a long stretch without a sync would fill it.
 */
int krun_objs_drain(struct krun_objs *o, char *err, size_t errlen);
void krun_objs_counts(const struct krun_objs *o, int64_t *anon_vma,
		      int64_t *anon_vma_chain);
/* Stop tracing, remove the instance (park it while keeping). */
void krun_objs_stop(struct krun_objs *o);
/*
 * @keep: krun_objs_stop() parks instances for the next krun_objs_start()
 * of the same tag; false removes the parked ones.
 */
void krun_objs_keep(bool keep);

/* krun_safety.c: limits, cgroup, signals */
struct krun_limits {
	unsigned long max_procs;
	uint64_t max_mem;
	bool allow_destructive;
};

uint64_t krun_default_max_mem(void);
/* One linear pass over @in: -1 with "WHERE: kernel-run refuses: why". */
int krun_check_limits(const struct trace *in, const struct krun_limits *l,
		      char *err, size_t errlen);

struct krun_cgroup {
	char pids[PATH_MAX];	/* v1 cgroup directories, "" if none */
	char mem[PATH_MAX];
};

/* -1 when no controller could be set up: the run goes on without. */
int krun_cgroup_setup(struct krun_cgroup *cg, const struct krun_limits *l,
		      int nr_trees);
void krun_cgroup_add(struct krun_cgroup *cg, pid_t pid);
void krun_cgroup_remove(struct krun_cgroup *cg);
/* rmdir @dir (retried while busy, "" is none) and clear it. */
void krun_cgroup_rmdir(char *dir);

#define KRUN_NR_STOP_SIGS 3
struct sigaction;
/*
 * @old: KRUN_NR_STOP_SIGS dispositions, saved and put back; nested calls
 * (a run inside a batch) leave the outer ones in place.
 */
void krun_signals_install(struct sigaction *old);
void krun_signals_restore(const struct sigaction *old);
/*
 * Swap for reclaim and pageout events (krun_swap.c): a swap file, swapon,
 * and a memory cgroup holding the main tree's processes: a child of the
 * run's memory cgroup @parent_memcg where there is one (its limit still
 * holds), else its own.
 */
#define krun_swap swap_setup

int krun_swap_start(struct krun_swap *s, const char *parent_memcg,
		    char *err, size_t errlen);
int krun_swap_join(struct krun_swap *s, pid_t pid, char *err, size_t errlen);
/* Reclaim all the cgroup's memory the kernel can (a squeeze). */
void krun_swap_squeeze(struct krun_swap *s);
/* swapoff, remove the file and the cgroup (once nothing is in it). */
void krun_swap_stop(struct krun_swap *s);
/* /proc/@pid/pagemap's entry for @addr. */
int krun_pagemap_ent(pid_t pid, uint64_t addr, uint64_t *ent);
/* One byte of @pid's memory read through /proc/PID/mem (a read fault). */
int krun_mem_read(pid_t pid, uint64_t addr);
/* /proc/kpageflags of @pfn. */
int krun_kpageflags(uint64_t pfn, uint64_t *flags);
/* Is @pfn an anon folio the rmap tracks (kpageflags)? */
bool krun_pfn_anon(uint64_t pfn);

#endif /* RMAPLAB_TRACES_KRUN_INTERNAL_H */
