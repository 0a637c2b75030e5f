/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The world: every process (task) of a replay, the mms they use, every live
 * folio, and the accounting.  The functions below are the model's system
 * call and fault entry points; each returns what the kernel would return
 * (a result, or -errno) and leaves the model in the state the kernel would
 * be in, including the partly applied effects of failed calls.
 */
#ifndef RMAPLAB_CORE_WORLD_H
#define RMAPLAB_CORE_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acct.h"
#include "errbuf.h"
#include "lock.h"
#include "mm.h"
#include "scheme.h"
#include "slab.h"
#include "swap.h"

struct task {
	long pid;			/* the trace's label */
	long tgid;			/* label of its thread-group leader */
	struct mm_struct *mm;
	bool alive;
};

/* Architectures whose kernels differ in what the model covers. */
enum world_arch {
	ARCH_X86_64,
	ARCH_ARM64,
};

enum thp_mode {
	THP_NEVER,
	THP_MADVISE,
	THP_ALWAYS,
};

struct world {
	const struct rmap_scheme *scheme;
	void *scheme_priv;
	unsigned int page_shift;
	unsigned int pmd_order;		/* order of a PMD-mapped THP */

	struct task *tasks;
	size_t nr_tasks, cap_tasks;
	/* pid label -> newest task index + 1 (0: empty), open addressing */
	struct pid_slot {
		long pid;
		size_t idx;
	} *pid_slot;
	size_t pid_cap;
	/*
	 * Index + 1 of the two tasks task_find() found last, newest first:
	 * a trace's events come in runs by one task, a parent's and its
	 * child's in turn.  An alive task is its label's only one.
	 */
	size_t last_task[2];

	struct list_head mms;
	struct list_head folios;
	/* Order-0 folios (aligned: folio.c) and VMAs to reuse. */
	struct kmem_cache folio_cache, vma_cache;
	struct pgtable_cache *pt_cache;	/* page tables to reuse */
	unsigned long nr_folios;
	unsigned long next_pfn;
	unsigned long next_mm_id, next_vma_id, next_file_id;

	struct file **files;		/* named files of the trace */
	size_t nr_files, cap_files;
	uint32_t *files_hash;		/* open addressing: index + 1 */
	size_t files_hash_cap;

	int max_map_count;		/* vm.max_map_count */
	unsigned int kernel_version;	/* behave as: KERNEL_VERSION(6, 18, 0) */
	/*
	 * TASK_SIZE: the top of user space (x86_64: 47 bits less a guard
	 * page; 56 bits on a 5-level machine for hints above 47 bits).
	 */
	unsigned long task_size;
	/*
	 * arch_max_pkey() of the machine, keys the model takes as allocated
	 * (x86_64 with PKU: 16; 1, key 0 alone, where the hardware has none).
	 */
	int max_pkey;
	enum world_arch arch;		/* the trace's machine */
	enum thp_mode thp_mode;		/* /sys/kernel/mm/transparent_hugepage */

	struct acct acct;
	int cls_vma, cls_folio, cls_mm;
	struct lock_stats locks;
	int lock_mmap, lock_ptl;	/* mmap_lock, page table lock classes */

	/*
	 * Features the model does not implement that the replay met (an
	 * advice, a flag, a kernel state): the first one's name and how many.
	 * The replay engine reads and clears them after each event.
	 */
	char unsupported[64];
	unsigned long nr_unsupported;

	/*
	 * Swap and the rmap's users (core/swap.h): the swap device, the
	 * folios being migrated (a migration entry's offset indexes it),
	 * each user's walks and misses, and the first miss not yet read by
	 * the checker (which reads and clears it after each event).
	 */
	struct swap_device swap;
	struct folio **migrating;
	size_t nr_migrating, cap_migrating;
	struct folio *migration_target;	/* remove_migration_ptes()'s folio */
	struct rmap_use_stats use[RMAP_USE_NR];
	char use_failure[512];
	unsigned long nr_use_failures;
};

/*
 * The model is Linux 6.18's; where an older release the trace was recorded
 * on behaved differently, the core asks which one it is modelling.
 */
#define KERNEL_VERSION(a, b, c)	(((a) << 16) + ((b) << 8) + (c))
#define MODEL_KERNEL_VERSION	KERNEL_VERSION(6, 18, 0)

static inline bool kernel_at_least(const struct world *w, unsigned int major,
				   unsigned int minor)
{
	return w->kernel_version >= KERNEL_VERSION(major, minor, 0);
}

/*
 * A fix a stable series @major.@minor took from @sub on, which the model's
 * own release does not have: true only inside that series.
 */
static inline bool kernel_stable_has(const struct world *w, unsigned int major,
				     unsigned int minor, unsigned int sub)
{
	return w->kernel_version >= KERNEL_VERSION(major, minor, sub) &&
	       w->kernel_version < KERNEL_VERSION(major, minor + 1, 0);
}

/*
 * KERNEL_VERSION of a release string ("6.12.118+deb12-amd64"), or 0 when
 * it names none.
 */
unsigned int kernel_version_parse(const char *release);

struct world *world_new(const struct rmap_scheme *scheme, const char *params,
			unsigned int page_shift, struct errbuf *err);
void world_free(struct world *w);

/*
 * The replay used @feature ("madvise MADV_COLLAPSE", "mlock"), which the
 * model does not implement: never a divergence, never a silent pass.
 */
void world_unsupported(struct world *w, const char *feature);

/* Set an object size by class name ("anon_vma=104"); 0 or -1. */
int world_set_objsize(struct world *w, const char *name, size_t size);

struct task *task_find(struct world *w, long pid);
/* Has a task with this label existed and exited? */
bool task_exited(struct world *w, long pid);
/* A process first seen in a trace: a task with a fresh, empty mm. */
struct task *task_spawn(struct world *w, long pid);

/* Protection and flags use the Linux values (PROT_*, MAP_*, MADV_*). */
#define MAP_PLACED	0x80000000U	/* model: the kernel chose addr */

long sys_mmap(struct task *t, unsigned long addr, unsigned long len,
	      unsigned int prot, unsigned int flags, struct file *file,
	      unsigned long pgoff);
long sys_munmap(struct task *t, unsigned long addr, unsigned long len);
long sys_mprotect(struct task *t, unsigned long addr, unsigned long len,
		  unsigned int prot);
long sys_madvise(struct task *t, unsigned long addr, unsigned long len,
		 int advice);
/*
 * @placed: where the kernel put a MAYMOVE move it chose the address for
 * (the trace's result); ignored when the model decides to grow in place.
 */
long sys_mremap(struct task *t, unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned int flags,
		unsigned long new_addr, unsigned long placed);
long sys_brk(struct task *t, unsigned long brk);
/* mlock2(); mlock() is @flags 0. */
long sys_mlock(struct task *t, unsigned long start, unsigned long len,
	       unsigned int flags);
long sys_munlock(struct task *t, unsigned long start, unsigned long len);
long sys_mlockall(struct task *t, unsigned int flags);
long sys_munlockall(struct task *t);
long sys_mseal(struct task *t, unsigned long start, unsigned long len,
	       unsigned long flags);
long sys_pkey_mprotect(struct task *t, unsigned long start,
		       unsigned long len, unsigned int prot, int pkey);
/* UFFDIO_REGISTER (@modes: UFFDIO_REGISTER_MODE_*) / UFFDIO_UNREGISTER */
long sys_uffd_register(struct task *t, unsigned long start,
		       unsigned long len, unsigned int modes);
long sys_uffd_unregister(struct task *t, unsigned long start,
			 unsigned long len);

/*
 * A user page fault.  @order: the folio order the kernel used for a new
 * anon folio (0 unless the trace says a large folio was allocated).
 * Returns 0, or -EFAULT where the kernel would have raised SIGSEGV.
 */
int handle_mm_fault(struct task *t, unsigned long addr, bool write,
		    unsigned int order);

int task_fork(struct task *parent, long child_pid, struct task **child);
int task_clone_thread(struct task *t, long tid, struct task **thread);
int task_exec(struct task *t);
void task_exit(struct task *t);

/* Named file identity ("f0"); created on first use. */
struct file *world_file(struct world *w, const char *name);
/* A fresh shmem object for a MAP_SHARED|MAP_ANONYMOUS mapping. */
struct file *world_shmem_file(struct world *w);

/* Label of the process an mm belongs to (its creator's tgid). */
long mm_pid(const struct mm_struct *mm);

#endif /* RMAPLAB_CORE_WORLD_H */
