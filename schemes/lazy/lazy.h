/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ANON_VMA_LAZY as posted (tao, "[PATCH 0/15] mm: introduce ANON_VMA_LAZY
 * for deferred anon_vma creation", 2026-05-27): no anon_vma until fork or
 * mremap; folios of a lazy VMA point at a refcounted "root" VMA, the VMA
 * of the first fault; an rmap walk finds the mappings through the root's
 * mm VMA tree at vma_mapping_base(root) + index; fork and mremap upgrade
 * the family to a regular anon_vma and drive the classic code from then
 * on.  See README.md for what comes from which mail and what is
 * reconstructed.
 *
 * The classic scheme's state is embedded: vma->anon_vma holds either a
 * classic struct anon_vma * or a lazy tag (root VMA | LAZY_TAG); the
 * decode hook tells the classic code which is which.
 */
#ifndef RMAPLAB_SCHEMES_LAZY_H
#define RMAPLAB_SCHEMES_LAZY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/errbuf.h"
#include "core/list.h"
#include "core/mm.h"
#include "core/scheme.h"
#include "schemes/classic/classic.h"

struct world;

/*
 * The anon_vma_tree_t type bit of a lazy VMA (ANON_VMA_TREE_VMA) in
 * vma->anon_vma, and FOLIO_MAPPING_ANON_VMA_LAZY in folio->mapping, which
 * the series puts on the KSM bit (patch 05).
 */
#define LAZY_TAG		FOLIO_MAPPING_KSM_BIT

/* vm_area_struct slab object: the root pointer fits the padding. */
#define LAZY_VMA_SIZE_DEFAULT	192

enum lazy_walk {
	LAZY_WALK_RANGE,	/* every VMA over the folio's range */
	LAZY_WALK_POINT,	/* the one VMA at folio_address() */
};

enum lazy_upgrade {
	LAZY_UPGRADE_FAMILY,	/* every VMA of the root in one step */
	LAZY_UPGRADE_VMA,	/* only the VMA being forked or moved */
};

/* What a fork child VMA gets (anon_vma_fork()). */
enum lazy_child {
	LAZY_CHILD_TREE,	/* ANON_VMA_TREE_PARENT until the child forks */
	LAZY_CHILD_PARENT,	/* the parent's anon_vma, for good */
	LAZY_CHILD_CLASSIC,	/* its own anon_vma, as mainline */
};

struct lazy_params {
	unsigned long max_pages;	/* 0: any size starts lazy */
	bool file_lazy;			/* MAP_PRIVATE file CoW starts lazy */
	enum lazy_walk walk;
	enum lazy_upgrade upgrade;
	bool adopt;			/* first fault joins a neighbour */
	bool redirect;			/* stale lazy folios walk the upgrade */
	bool folio_refs;		/* folios hold references on the root */
	enum lazy_child child;
	bool cow_own;			/* a TREE_PARENT VMA's new folio upgrades */
	size_t vma_size;
};

/*
 * What the series adds to a VMA (a root pointer, CONFIG_VMA_REF's
 * refcount), kept beside the VMA in vma->rmap_priv.  Model bookkeeping:
 * the bytes are charged through the vm_area_struct object size.
 *
 * A VMA plays two parts.  As a member of a lazy family it has @root (itself
 * for the VMA of the first fault).  As a root it counts its members and
 * the folios whose mapping names it; it outlives its unmapping as a
 * zombie while either count is non-zero.
 *
 * vm_area_dup() and dup_mmap() copy rmap_priv, so a copy may point at
 * another VMA's lazy_vma: @vma says whose it is.  lazy_vma objects are
 * never freed before the world is, so reading @vma through a stale copy is
 * always safe.
 */
struct lazy_vma {
	struct vm_area_struct *vma;	/* owner; NULL while free */
	struct list_head pool;		/* lazy_state.used or .free */

	/* member side */
	struct vm_area_struct *root;
	struct list_head member;	/* root's lazy_vma.members */

	/* root side */
	struct list_head members;
	unsigned long nr_members;	/* including the root itself */
	unsigned long folio_refs;	/* folios with mapping == root */
	struct anon_vma *upgraded;	/* the family's regular anon_vma */
	bool zombie;			/* released by the core, kept */
	bool pinned;			/* upgrade in progress: keep */
	struct list_head zombie_node;	/* lazy_state.zombies */
	unsigned long root_id;		/* creation order as a root */

	/* vma_pre_update() .. vma_post_update() */
	unsigned long base_before;
	bool updating;

	/*
	 * ANON_VMA_TREE_PARENT: a fork child's VMA riding on its parent's
	 * anon_vma (a copy of the parent's chain, no anon_vma of its own)
	 * until its own process forks (child=tree).
	 */
	bool tree_parent;

	/* checker scratch */
	unsigned long chk_members, chk_folios;
};

struct lazy_stats {
	unsigned long lazy_faults;	/* VMAs that became lazy roots */
	unsigned long classic_prepares;	/* first faults that went classic */
	unsigned long adoptions;	/* first faults joining a neighbour */
	unsigned long upgrades;		/* families (or VMAs) upgraded */
	unsigned long upgraded_vmas;
	unsigned long folio_rewrites;	/* mapping lazy -> regular */
	unsigned long redirects;	/* walks of stale lazy folios */
	unsigned long parent_upgrades;	/* TREE_PARENT VMAs given an anon_vma */
	unsigned long lost_roots;	/* roots freed under folios naming them */
	unsigned long zombies;		/* root VMAs kept after release */
	unsigned long walks, retries;
};

struct lazy_state {
	struct classic_state cs;	/* the upgraded world */
	struct world *w;
	struct lazy_params p;

	int cls_ref;			/* acct "lazy_vma_ref" */
	int cls_zombie;			/* acct "lazy_zombie_vma" */
	int lock_ref;			/* lock class of the root's refcount */

	struct list_head used, free;	/* lazy_vma pool */
	struct list_head zombies;
	unsigned long nr_used;
	unsigned long next_root_id;

	struct lazy_stats st;
	char violation[256];		/* first call-site invariant broken */
};

static inline struct lazy_state *lazy_state_of(const struct vm_area_struct *vma)
{
	return vma->vm_mm->world->scheme_priv;
}

static inline bool lazy_tagged(const void *anon)
{
	return ((uintptr_t)anon & LAZY_TAG) != 0;
}

static inline void *lazy_tag(const struct vm_area_struct *root)
{
	return (void *)((uintptr_t)root | LAZY_TAG);
}

static inline struct vm_area_struct *lazy_untag(const void *anon)
{
	return (struct vm_area_struct *)((uintptr_t)anon & ~LAZY_TAG);
}

/* vma_mapping_base(): vm_start - vm_pgoff * PAGE_SIZE (may wrap). */
static inline unsigned long vma_mapping_base(const struct vm_area_struct *vma)
{
	return vma->vm_start - (vma->vm_pgoff << vma->vm_mm->page_shift);
}

/* The lazy root a folio's mapping names, or NULL. */
static inline struct vm_area_struct *folio_lazy_root(const struct folio *folio)
{
	if ((folio->mapping & FOLIO_MAPPING_FLAGS) != LAZY_TAG)
		return NULL;
	return (struct vm_area_struct *)(folio->mapping & ~FOLIO_MAPPING_FLAGS);
}

/* lazy.c */
extern const struct scheme_param lazy_params[];
int lazy_parse_params(struct lazy_state *ls, const char *params,
		      struct errbuf *err);
void lazy_note_violation(struct lazy_state *ls, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* root.c: lazy_vma objects, families, refcounts and zombies */
struct lazy_vma *lazy_vma_of(const struct vm_area_struct *vma);
struct lazy_vma *lazy_vma_get(struct lazy_state *ls,
			      struct vm_area_struct *vma);
void lazy_vma_put_idle(struct lazy_state *ls, struct lazy_vma *l);
/* The lazy root @vma belongs to, or NULL. */
struct vm_area_struct *lazy_root_of(const struct vm_area_struct *vma);
bool lazy_is_referenced_root(const struct vm_area_struct *vma);
void lazy_make_root(struct lazy_state *ls, struct vm_area_struct *vma);
void lazy_family_join(struct lazy_state *ls, struct vm_area_struct *vma,
		      struct vm_area_struct *root);
/* Leave the family; vma->anon_vma is left for the caller to set. */
void lazy_family_leave(struct lazy_state *ls, struct vm_area_struct *vma);
/* Free or forget a root nothing refers to any more. */
void lazy_root_maybe_free(struct lazy_state *ls,
			  struct vm_area_struct *root);
void lazy_folio_get_root(struct lazy_state *ls, struct folio *folio,
			 struct vm_area_struct *root);
void lazy_folio_put_root(struct lazy_state *ls, struct folio *folio);
/* vma_release(): false when @vma stays as a zombie root. */
bool lazy_vma_release(struct lazy_state *ls, struct vm_area_struct *vma);
void lazy_reap_mm(struct lazy_state *ls, struct mm_struct *mm);
void lazy_pool_fini(struct lazy_state *ls);

/* upgrade.c */
struct anon_vma *lazy_upgrade(struct lazy_state *ls,
			      struct vm_area_struct *vma);
bool lazy_is_tree_parent(const struct vm_area_struct *vma);
void lazy_set_tree_parent(struct lazy_state *ls, struct vm_area_struct *vma,
			  bool on);
void lazy_upgrade_tree_parent(struct lazy_state *ls,
			      struct vm_area_struct *vma);
void lazy_folio_make_regular(struct lazy_state *ls, struct folio *folio,
			     struct vm_area_struct *vma);

/* walk.c */
void lazy_rmap_walk(struct lazy_state *ls, struct folio *folio,
		    struct rmap_walk_control *rwc);

/* check.c: research/schemes.md §5 items 14-16, then classic's 8-13 */
int lazy_check(struct lazy_state *ls, struct errbuf *err);
/* One line per lazy root, for tests and the README's examples. */
void lazy_dump(struct lazy_state *ls, FILE *f);

extern const struct rmap_scheme lazy_scheme;

#endif /* RMAPLAB_SCHEMES_LAZY_H */
