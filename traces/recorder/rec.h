/* SPDX-License-Identifier: GPL-2.0-only */
/* Internal state shared by the recorder's files. */
#ifndef RMAPLAB_RECORDER_REC_H
#define RMAPLAB_RECORDER_REC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "traces/trace.h"
#include "traces/recorder/arch.h"
#include "traces/recorder/recorder.h"

/*
 * A set of page addresses (open addressing; 0 marks an empty slot, so a
 * page is stored as addr | 1).  pageset.c.
 */
struct rec_pageset {
	uint64_t *slot;
	size_t size, used;
};

void rec_pageset_add(struct rec_pageset *s, uint64_t addr);
bool rec_pageset_has(const struct rec_pageset *s, uint64_t addr);
void rec_pageset_del_range(struct rec_pageset *s, uint64_t start,
			   uint64_t end, uint64_t page_size);
int rec_pageset_copy(struct rec_pageset *dst, const struct rec_pageset *src);
void rec_pageset_free(struct rec_pageset *s);

/* Anon or zero pages present in a range before a call: pagemap.c. */
struct rec_before {
	struct rec_before_page {
		uint64_t addr, pfn;
		bool anon;
	} *pg;
	size_t n, cap;
};

/*
 * One address space as the recorder sees it.  Tasks share one when they
 * were cloned with CLONE_VM (threads, vfork children before exec).
 */
struct rec_mm {
	uint64_t born_ns;	/* fault samples older than this are stale */
	int pagemap_fd;		/* /proc/PID/pagemap opened on this mm */
	int users;		/* live tasks using it */
	int refs;		/* task entries pointing at it, live or not */
	bool exit_cp;		/* its exit checkpoint was taken */
	struct rec_task *busy;	/* task inside a serialized call */
	struct rec_task *wait_head, *wait_tail;	/* held at their entry */
	unsigned long id;	/* for messages */
	/*
	 * Anon pages the trace made present (write faults, synthetic ones
	 * included): a checkpoint page outside it was filled by the kernel
	 * without a fault the recorder saw.
	 */
	struct rec_pageset seen;
	bool mcl_future;	/* mlockall(MCL_FUTURE): mappings populate */
	uint64_t brk;		/* last break brk() returned */
	/*
	 * A fork of this mm is in progress since @fork_from (its entry):
	 * other threads' faults from then on wait for the fork event, which
	 * places each before or after the copy (faults.c).
	 */
	uint64_t fork_from;
	uint64_t fork_time;	/* while placing them: the copy's time */
	struct rec_mm *fork_child;
};

/* One traced task (thread or process). */
struct rec_task {
	pid_t tid;
	int64_t label;		/* trace PID label, unique in the trace */
	uint32_t gen;		/* how many earlier tasks had this tid */
	pid_t tgid;		/* thread group */
	uint64_t created_ns;	/* time of its EV_FORK / EV_THREAD */
	bool group_exit;	/* called exit_group() */
	struct rec_mm *mm;
	struct rec_task *hnext;	/* hash chain */
	bool attached;		/* its creation was recorded */
	bool started;		/* its initial ptrace stop arrived */
	bool held;		/* stopped until its creation is recorded */
	bool in_syscall;	/* resumed to the exit stop of sys */
	bool exit_done;		/* EV_EXIT emitted */
	bool exited;		/* its exit stop came: it runs no more */
	bool dead;		/* reaped */
	bool stopped;		/* in a ptrace stop: its faults are done */
	bool waiting;		/* held at a seccomp stop, in mm's queue */
	struct rec_task *wait_next;
	enum rec_sys sys;	/* syscall in progress */
	uint64_t args[6];
	uint32_t file;		/* mmap in progress: file identity */
	uint32_t extra;		/* mmap: flags added by the recorder */
	uint64_t shm_len;	/* shmdt in progress: segment size */
	uint64_t clone_flags;	/* last clone family call */
	uint32_t sysname;	/* EV_SYSCALL in progress: name's file id */
	struct rec_before before;	/* populating call in progress */
	struct rec_task *migrating;	/* a move_pages()... on its mm */
	uint64_t last_stop_ns;	/* last ptrace stop seen */
	uint64_t last_sample_ns;	/* its latest fault sample */
	bool listening;		/* in a group stop (PTRACE_LISTEN) */
	bool frozen;		/* interrupted for a checkpoint */
	bool in_vfork;		/* waiting for its vfork child */
	struct rec_task *vfork_parent;	/* vfork child: parent to wake */
};

struct perf_ring {
	int fd;
	void *base;
	size_t data_size;
	bool hup;
};

/* A fault sample before it becomes an event. */
struct rec_sample {
	uint64_t time;
	uint64_t addr;
	pid_t tid;
	uint32_t seq;
	struct rec_mm *mm;
	struct rec_task *task;
	bool last;		/* last sample of its (mm, page) in a batch */
	bool failed;		/* the access raised SIGSEGV/SIGBUS */
	bool forced;		/* classified before its fault is known done */
	uint8_t kind;		/* REC_* below */
	uint8_t order;
	uint64_t pfn;		/* of the page when classified */
};

/* A PERF_RECORD_FORK: when the kernel created task @tid. */
struct rec_birth {
	pid_t tid;
	uint64_t time;
};

/* What becomes of a sample: dropped, a fault, stale (before exec), later. */
enum { REC_DROP, REC_READ, REC_WRITE, REC_STALE, REC_DEFER };

#define REC_HASH 1024
struct swap_setup;

/* PMD order of 64 KiB pages, the largest base page Linux has */
#define REC_MAX_PMD_ORDER 13

struct recorder {
	const struct recorder_opts *opts;
	struct trace *t;
	struct rec_task *tasks[REC_HASH];
	unsigned long nr_live;	/* tasks not reaped */
	unsigned long nr_mm;
	pid_t root_pid;
	int root_status;	/* shell-style exit status of the root */
	bool root_done;
	bool has_pfns;		/* root: PFNs and kpageflags readable */
	int kpageflags_fd;
	struct kcache_ent *kcache;	/* pagemap.c, during a checkpoint */
	size_t kcache_size, kcache_used;
	bool kcache_on;
	long page_size;
	unsigned int pmd_order;	/* folio order of a PMD-mapped THP */

	/* perf */
	struct perf_ring *rings;
	int nr_rings;
	struct rec_sample *batch;
	size_t nr_batch, cap_batch;
	unsigned char *rec_buf;	/* one record, unwrapped */
	uint64_t lost;
	struct rec_mm *force_mm;	/* drain before a call on this mm */
	struct rec_birth *births;
	size_t nr_births, cap_births;

	/* stops met while freezing threads, handled after the thaw */
	struct { pid_t tid; int status; } *later;
	size_t nr_later, cap_later;

	/* statistics, printed at the end */
	unsigned long nr_syscalls, nr_faults, nr_dropped, nr_stale;
	unsigned long since_cp;
	unsigned long nr_cps;

	/* output.c: events go out as the recording runs */
	struct trace_writer *out;
	size_t nr_written;	/* events written and forgotten */
	uint64_t out_mark;	/* time of the last event written */
	unsigned long out_late;	/* events older than that mark */
	bool cp_pending;	/* a checkpoint to put on disk */
	bool out_failed;
	int out_errno;
	unsigned long nr_pageout_noswap;	/* MADV_PAGEOUT as MADV_COLD */
	unsigned long nr_migrated;	/* pages migrate events moved */
	struct swap_setup *swap;	/* --memory-limit */
	unsigned long nr_unseen;	/* pages filled without a seen fault */
	unsigned long nr_unseen_cps;
};

/* recorder.c */
struct trace_event *rec_emit(struct recorder *r, enum trace_ev type,
			     int64_t label, uint64_t time);
uint64_t rec_now(void);
void rec_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void rec_sort_events(struct trace *t);

/* output.c */
int rec_out_open(struct recorder *r);
/* Write what no later event can precede (everything: @all); cheap
 * unless enough events or a checkpoint wait. */
void rec_out_flush(struct recorder *r, bool all);
int rec_out_close(struct recorder *r);

/* tasks.c */
struct rec_task *rec_task_find(struct recorder *r, pid_t tid);
struct rec_task *rec_task_new(struct recorder *r, pid_t tid);
struct rec_mm *rec_mm_new(struct recorder *r, pid_t tid, uint64_t now);
void rec_mm_get(struct rec_mm *mm);
void rec_mm_leave(struct recorder *r, struct rec_mm *mm);
void rec_mm_put(struct recorder *r, struct rec_mm *mm);
void rec_task_set_mm(struct recorder *r, struct rec_task *task,
		     struct rec_mm *mm);
void rec_task_reaped(struct recorder *r, struct rec_task *task);
int64_t rec_proc_label(struct recorder *r, struct rec_task *task);
void rec_tasks_free(struct recorder *r);

/* seccomp.c */
int rec_seccomp_install(void);

/* An ioctl or prctl request the filter stops on, and its trace name. */
struct rec_request {
	uint32_t req;
	const char *name;
};

extern const struct rec_request rec_ioctls[], rec_prctls[];
const char *rec_request_name(const struct rec_request *tab, uint32_t req);

/* ptrace.c */
int rec_trace_loop(struct recorder *r);

/* faults.c */
int rec_perf_open(struct recorder *r, pid_t pid);
void rec_perf_drain(struct recorder *r);
void rec_perf_close(struct recorder *r);
struct pollfd;
int rec_perf_pollfds(struct recorder *r, struct pollfd *pfds, int max);
void rec_perf_polled(struct recorder *r, const struct pollfd *pfds, int n);
void rec_perf_force(struct recorder *r, struct rec_mm *mm);
uint64_t rec_perf_birth(struct recorder *r, pid_t tid);
void rec_perf_failed(struct recorder *r, struct rec_task *task,
		     uint64_t addr);
bool rec_perf_pending(struct recorder *r, struct rec_mm *mm, uint64_t addr);
void rec_seen_folio(struct recorder *r, struct rec_mm *mm, uint64_t addr,
		    unsigned int order);

/* pagemap.c */
#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_FILE		(1ULL << 61)
#define PM_GUARD_REGION	(1ULL << 58)
#define PM_EXCLUSIVE	(1ULL << 56)
#define PM_PFN_MASK	((1ULL << 55) - 1)
#define PM_SWP_TYPE_BITS 5	/* a swap entry's frame: type, then offset */

struct page_state {
	uint64_t pm;		/* pagemap entry */
	uint64_t pfn;		/* swapped: the swap offset (root only) */
	uint64_t kflags;
	bool present, anon, zero;
	/*
	 * @swapped: a swap entry (pagemap's swap bit, not a file page, not
	 * a guard region) of swap device @swap_type.  @swapin: a present
	 * anon page of a clean swap-cache folio, which only a swap-in maps
	 * (reclaim unmaps a folio before writing it back).
	 */
	bool swapped, swapin;
	uint8_t swap_type;
	unsigned int order;	/* folio order of an anon or zero page */
};

int rec_page_states(struct recorder *r, int pagemap_fd, uint64_t addr,
		    size_t nr, struct page_state *ps, const uint8_t *need);
void rec_kcache_reset(struct recorder *r, bool on);
typedef void (*rec_run_fn)(struct recorder *r, void *arg, uint64_t start,
			   uint64_t end);
int rec_present_runs(struct recorder *r, int pagemap_fd, uint64_t start,
		     uint64_t end, rec_run_fn fn, void *arg);
typedef void (*rec_page_fn)(struct recorder *r, void *arg, uint64_t addr,
			    const struct page_state *ps);
int rec_present_pages(struct recorder *r, int pagemap_fd, uint64_t start,
		      uint64_t end, rec_page_fn fn, void *arg);
/* As rec_present_pages(), swap entries included. */
int rec_mapped_pages(struct recorder *r, int pagemap_fd, uint64_t start,
		     uint64_t end, rec_page_fn fn, void *arg);
void rec_emit_present(struct recorder *r, struct rec_task *task,
		      uint64_t start, uint64_t end, uint64_t time);
int rec_before_collect(struct recorder *r, struct rec_task *task,
		       uint64_t start, uint64_t end);
void rec_emit_changed(struct recorder *r, struct rec_task *task,
		      uint64_t start, uint64_t end, uint64_t time);
void rec_before_free(struct rec_before *b);
void rec_seen_range(struct recorder *r, struct rec_mm *mm, uint64_t start,
		    uint64_t end);

/* migrate.c: the pages move_pages(), migrate_pages(), mbind() moved */
void rec_migrate_start(struct recorder *r, struct rec_task *task);
void rec_migrate_end(struct recorder *r, struct rec_task *task, uint64_t now);

/* swap.c: --memory-limit, and whether MADV_PAGEOUT can swap */
bool rec_swap_free(void);
int rec_swap_start(struct recorder *r);
int rec_swap_join(struct recorder *r, pid_t pid);
void rec_swap_stop(struct recorder *r);

/* checkpoint.c */
struct rec_vma {
	uint64_t start, end, offset;
	unsigned int maj, min;
	uint64_t ino;
	char perms[5];
	char name[256];
};

int rec_read_maps(pid_t pid, struct rec_vma **vmas, size_t *nr);
int rec_checkpoint(struct recorder *r, const char *reason,
		   struct rec_task **tasks, int nr, uint64_t time);
void rec_file_name(char *buf, size_t len, unsigned int maj,
		   unsigned int min, uint64_t ino);

#endif /* RMAPLAB_RECORDER_REC_H */
