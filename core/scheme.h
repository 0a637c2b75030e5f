/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rmap scheme interface.
 *
 * A scheme owns rmap metadata only: what it allocates on first fault,
 * fork, split, merge, remap, unmap and exit; what it stores in
 * folio->mapping; how it walks; what it locks.  The core calls these hooks
 * at the places the kernel calls the corresponding rmap functions, named
 * beside each hook, and never knows which scheme runs.
 *
 * Hooks returning int return 0 or a negative errno (-ENOMEM); the model
 * has no allocation failure unless a scheme injects one.
 */
#ifndef RMAPLAB_CORE_SCHEME_H
#define RMAPLAB_CORE_SCHEME_H

#include <stdbool.h>
#include <stddef.h>

#include "mm.h"

struct world;
struct errbuf;

/* Why anon_vma_clone() is called (the 2026 clean-up's enum vma_operation). */
enum vma_clone_op {
	VMA_OP_SPLIT,
	VMA_OP_MERGE_UNFAULTED,
	VMA_OP_REMAP,
};

/*
 * One walk.  The scheme calls rmap_one() for every candidate VMA with the
 * address vma_address() gives; the core verifies the candidate against
 * the page table the way page_vma_mapped_walk() does and records what it
 * found.  rmap_one() returns false to stop the walk (as try_to_unmap_one
 * can); the core's verifier never does.
 *
 * The scheme fills the cost counters it knows (VMAs and tree nodes it
 * visited, locks it took, scheme-specific "contexts"); the core counts
 * candidates and the ones that did not map the folio.
 */
struct rmap_walk_control {
	bool (*rmap_one)(struct folio *folio, struct vm_area_struct *vma,
			 unsigned long addr, void *arg);
	void *arg;
	bool try_lock;			/* rwc->try_lock: give up if contended */
	/*
	 * The caller holds the folio's rmap identity (migration's
	 * folio_get_anon_vma()), so a folio nothing maps is still walked:
	 * remove_migration_ptes() of the new folio, mapcount 0.
	 */
	bool pinned;
	bool contended;			/* set by the scheme when it gave up */

	unsigned long candidates;	/* rmap_one() calls (core) */
	unsigned long misses;		/* candidates mapping nothing (core) */
	unsigned long nodes;		/* tree nodes / VMAs visited (scheme) */
	unsigned long contexts;		/* scheme-specific containers visited */
	unsigned long locks;		/* locks taken (scheme) */
	unsigned long retries;		/* walk restarts (scheme) */
};

/*
 * How well the public record settles a parameter's default: a primary
 * source says so (S), a source contradicts it (C), or nothing public
 * decides and the choice is a reconstruction (R).
 */
enum param_grade {
	GRADE_NONE = 0,			/* not yet graded */
	GRADE_S = 'S',
	GRADE_C = 'C',
	GRADE_R = 'R',
};

/* A parameter of a scheme: "reuse=off", "max_pages=512", "poc". */
struct scheme_param {
	const char *name;
	const char *help;
	const char *def;		/* default value as text */
	enum param_grade grade;		/* evidence for the default */
	const char *source;		/* message id or file@commit */
};

/*
 * What a scheme claims about itself; the checker judges every scheme by
 * these, never by its name.
 *
 * SCHEME_MAINLINE_LAYOUT: its VMA layout and syscall results are
 *	mainline's, so a difference from a kernel recording is a model
 *	error (classic, and the oracle built on its bookkeeping).
 * SCHEME_KERNEL_OBJECTS: its anon_vma / anon_vma_chain classes count what
 *	the kernel's slabs hold, so the counts are compared with a
 *	recording's.
 * SCHEME_LAYOUT_BY_DESIGN: it may change what user space sees (merges
 *	and so /proc/PID/maps, mremap results) by design; a difference from
 *	the kernel is a design finding, not a model error.
 */
#define SCHEME_MAINLINE_LAYOUT		(1U << 0)
#define SCHEME_KERNEL_OBJECTS		(1U << 1)
#define SCHEME_LAYOUT_BY_DESIGN		(1U << 2)

/* The architectures whose slab object sizes are known. */
enum slab_arch {
	SLAB_X86_64,
	SLAB_AARCH64,
	SLAB_ARCH_NR,
};

/*
 * An object class a scheme accounts (acct_class()): a short name for
 * table columns and its slab objsize per architecture (0: not known).
 */
struct scheme_objclass {
	const char *name;
	const char *abbrev;
	unsigned int size[SLAB_ARCH_NR];
};

struct rmap_scheme {
	const char *name;
	const char *summary;
	const struct scheme_param *params;	/* NULL-terminated by name */
	unsigned int caps;			/* SCHEME_* above */
	const struct scheme_objclass *objclasses; /* NULL-terminated */

	/*
	 * Instance life: parse "key=value,flag" parameters into private
	 * state hung off world->scheme_priv; register object classes and
	 * lock classes with the world's accounting.  Errors go to @err.
	 */
	int (*init)(struct world *w, const char *params, struct errbuf *err);
	void (*fini)(struct world *w);

	/* mm_init() / dup_mm() / exit_mmap(): per-mm state (cowctx). */
	int (*mm_init)(struct mm_struct *mm, struct mm_struct *parent);
	void (*mm_exit)(struct mm_struct *mm);

	/* __anon_vma_prepare(): first anon folio in a VMA, sets anon_vma. */
	int (*anon_vma_prepare)(struct vm_area_struct *vma);

	/*
	 * anon_vma_fork(): dup_mmap() of a VMA.  @dst is the child's copy,
	 * with anon_vma copied from @src like vm_area_dup() does and an
	 * empty anon_vma_chain; the scheme decides what it gets.  As in
	 * dup_mmap(), not called for a VM_WIPEONFORK VMA: its copy starts
	 * with anon_vma and rmap_priv cleared, like a new VMA.
	 */
	int (*anon_vma_fork)(struct vm_area_struct *dst,
			     struct vm_area_struct *src);

	/*
	 * anon_vma_clone(): @dst takes @src's rmap identity on split,
	 * remap (copy_vma) and merge of an unfaulted target (dup_anon_vma).
	 * Called whether or not src is faulted.
	 */
	int (*anon_vma_clone)(struct vm_area_struct *dst,
			      struct vm_area_struct *src,
			      enum vma_clone_op op);

	/* unlink_anon_vmas(): @vma leaves the mm (unmap, merge, exit). */
	void (*unlink_anon_vmas)(struct vm_area_struct *vma);

	/*
	 * anon_vma_interval_tree_pre/post_update_vma(): @vma's vm_start,
	 * vm_end or vm_pgoff is about to change / has changed.
	 */
	void (*vma_pre_update)(struct vm_area_struct *vma);
	void (*vma_post_update)(struct vm_area_struct *vma);

	/*
	 * vm_area_free(): return true to let the core free @vma now; a
	 * scheme that keeps VMAs alive (lazy's root VMAs) returns false and
	 * calls vm_area_free() itself later.
	 */
	bool (*vma_release)(struct vm_area_struct *vma);

	/*
	 * is_mergeable_anon_vma(): may @tgt absorb a range whose anon
	 * identity is @src_anon?  @src is vmg->middle (the VMA being
	 * modified; NULL for a new range), @copied_from copy_vma()'s source,
	 * as the kernel's rules use them.  @owner is the VMA the range's
	 * identity comes from whatever the path (middle, copy_vma()'s source,
	 * or the VMA mremap grows in place; NULL for a fresh mapping), for
	 * schemes whose identity is not all in vma->anon_vma.
	 */
	bool (*anon_mergeable)(struct vm_area_struct *tgt, void *src_anon,
			       struct vm_area_struct *src,
			       struct vm_area_struct *copied_from,
			       struct vm_area_struct *owner);
	/* are_anon_vmas_compatible(): prev and next merging into one. */
	bool (*anon_compatible)(struct vm_area_struct *prev,
				struct vm_area_struct *next);

	/* folio_add_new_anon_rmap(): set mapping and index. */
	void (*folio_add_new_anon)(struct folio *folio,
				   struct vm_area_struct *vma,
				   unsigned long addr, bool exclusive);
	/*
	 * folio_try_dup_anon_rmap_*(): fork copies a PTE (or PMD).  May be
	 * NULL: mainline's mapping stays as it is.
	 */
	void (*folio_dup_anon)(struct folio *folio,
			       struct vm_area_struct *dst,
			       struct vm_area_struct *src);
	/* folio_move_anon_rmap(): CoW reuse in @vma. */
	void (*folio_move_anon)(struct folio *folio,
				struct vm_area_struct *vma);
	/*
	 * move_ptes() moved a PTE of @folio from @old to @new_vma during
	 * mremap; lazy rewrites folio->mapping here.  Before any PTE moves,
	 * vma_moved() tells the scheme the move is happening (lazy's
	 * upgrade, cowctx's remap entry); @new_vma already has its bounds.
	 */
	void (*vma_moved)(struct vm_area_struct *old,
			  struct vm_area_struct *new_vma);
	void (*folio_moved)(struct folio *folio,
			    struct vm_area_struct *old,
			    struct vm_area_struct *new_vma);
	/*
	 * __folio_split(): @new is one of the order-0 folios a large folio
	 * was split into, carrying a copy of @folio's mapping, rmap_priv and
	 * (advanced) index.  A scheme whose folios hold references takes
	 * one for @new here.  May be NULL.
	 */
	void (*folio_split)(struct folio *folio, struct folio *new);
	/*
	 * folio_add_anon_rmap_ptes() / _pmd(): an anon folio (mapping
	 * already set) is mapped again at @addr of @vma: do_swap_page() on
	 * a swap-cache hit, remove_migration_pte().  May be NULL: mainline
	 * changes no rmap identity there.
	 */
	void (*folio_add_anon)(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long addr, bool exclusive);
	/*
	 * __folio_migrate_mapping(): @dst replaces @src, carrying a copy of
	 * its mapping, index and rmap_priv, before remove_migration_ptes()
	 * walks @dst (mapcount 0).  A scheme whose folios hold references
	 * takes one for @dst here; @src is freed after.  May be NULL.
	 */
	void (*folio_migrate)(struct folio *src, struct folio *dst);
	/*
	 * The last mapping is gone; the folio is freed.  May be NULL: a
	 * folio holding no reference has nothing to drop.
	 */
	void (*folio_free)(struct folio *folio);

	/* rmap_walk_anon(). */
	void (*rmap_walk)(struct folio *folio, struct rmap_walk_control *rwc);

	/*
	 * Scheme invariants over the whole world (research/schemes.md §5);
	 * return 0, or -1 with one line in @err.
	 */
	int (*check)(struct world *w, struct errbuf *err);
};

#endif /* RMAPLAB_CORE_SCHEME_H */
