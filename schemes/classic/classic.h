/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Classic anon_vma (mainline, Linux 6.18): anon_vma, anon_vma_chain, the
 * per-anon_vma interval tree keyed by vm_pgoff, the root rwsem and the
 * fork-time reuse heuristic.  See README.md for sources and choices.
 *
 * Everything here takes the scheme state explicitly so that another scheme
 * (lazy, which "upgrades" to a regular anon_vma on fork and mremap) can
 * embed a struct classic_state in its own private state and drive the same
 * code.  Such a scheme may keep foreign values in vma->anon_vma: it sets
 * classic_state.decode, and classic code then only touches VMAs whose
 * decoded anon_vma is a classic one (or whose chain is non-empty).
 */
#ifndef RMAPLAB_SCHEMES_CLASSIC_H
#define RMAPLAB_SCHEMES_CLASSIC_H

#include <stdbool.h>
#include <stdio.h>

#include "core/errbuf.h"
#include "core/itree.h"
#include "core/list.h"
#include "core/lock.h"
#include "core/mm.h"
#include "core/scheme.h"
#include "core/slab.h"

struct world;
struct classic_state;

/* folio->mapping tag bits (include/linux/page-flags.h). */
#define FOLIO_MAPPING_ANON	0x1UL
#define FOLIO_MAPPING_KSM_BIT	0x2UL	/* lazy reuses it, as ANON_VMA_LAZY */
#define FOLIO_MAPPING_FLAGS	0x3UL

/* Slab object sizes on x86_64 (research/schemes.md §1.1). */
#define ANON_VMA_SLAB_SIZE	104
#define ANON_VMA_CHAIN_SLAB_SIZE 64

/*
 * struct anon_vma of include/linux/rmap.h.  Only the root's rwsem is ever
 * taken, as anon_vma_lock_write() does.  The fields after rb_root are
 * model-only bookkeeping: they are not part of the 104-byte object the
 * accounting charges.
 */
struct anon_vma {
	struct anon_vma *root;
	struct rmap_lock rwsem;
	long refcount;
	unsigned long num_children;	/* anon_vmas with ->parent == this */
	unsigned long num_active_vmas;	/* VMAs with ->anon_vma == this */
	struct anon_vma *parent;
	struct itree_root rb_root;	/* of anon_vma_chain.rb */

	/* model only */
	struct classic_state *cs;
	struct list_head node;		/* classic_state.anon_vmas */
	unsigned long id;		/* creation order, for output */
	int wdepth;			/* nested write holds of this root */
	bool dead;			/* freed, kept for bug= variants only */
	/* checker scratch */
	unsigned long chk_stamp;
	long chk_active, chk_children, chk_refs;
	struct vm_area_struct *chk_vma;
};

/* struct anon_vma_chain of include/linux/rmap.h. */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* vma->anon_vma_chain, newest first */
	struct itree_node rb;		/* [vm_pgoff, vm_pgoff + pages - 1] */

	/* model only */
	bool in_tree;			/* false between pre and post update */
	unsigned long chk_stamp;
};

/* enum vma_operation of the 2026 clean-up (mm/internal.h), with FORK. */
enum classic_clone_op {
	CLASSIC_OP_SPLIT,
	CLASSIC_OP_MERGE_UNFAULTED,
	CLASSIC_OP_REMAP,
	CLASSIC_OP_FORK,
};

/* The clone a core anon_vma_clone() asks for (fork has its own op). */
static inline enum classic_clone_op classic_clone_op_of(enum vma_clone_op op)
{
	switch (op) {
	case VMA_OP_SPLIT:
		return CLASSIC_OP_SPLIT;
	case VMA_OP_MERGE_UNFAULTED:
		return CLASSIC_OP_MERGE_UNFAULTED;
	default:
		return CLASSIC_OP_REMAP;
	}
}

enum classic_bug {
	CLASSIC_BUG_NONE,
	/* test only: anon_vma_fork() leaves out the parent's own AVC */
	CLASSIC_BUG_SKIP_FORK_AVC,
};

struct classic_params {
	bool reuse;			/* fork-time anon_vma reuse */
	bool cleanup;			/* Jan-2026 clean-up series behaviour */
	enum classic_bug bug;
};

struct classic_state {
	struct world *w;
	struct classic_params p;
	int cls_anon_vma, cls_avc;	/* acct classes */
	int lock_rwsem;			/* lock class "anon_vma->rwsem" */

	struct list_head anon_vmas;	/* every live anon_vma */
	unsigned long nr_anon_vmas;
	unsigned long next_id;
	struct list_head zombies;	/* freed anon_vmas under bug= */
	struct kmem_cache anon_vma_cache, avc_cache;

	/*
	 * The first call-site invariant violation seen (§5 item 13 and the
	 * kernel's VM_WARN_ON_ONCE()s); check() reports it.
	 */
	char violation[256];

	unsigned long chk_stamp;	/* checker generation */

	/*
	 * For embedding schemes: map vma->anon_vma to a classic anon_vma (or
	 * NULL when the VMA holds a foreign identity) and back.  NULL means
	 * vma->anon_vma is a struct anon_vma *.
	 */
	struct anon_vma *(*decode)(void *vma_anon_vma);
	void *(*encode)(struct anon_vma *anon_vma);
};

/* classic.c: state and parameters */
void classic_state_init(struct classic_state *cs, struct world *w);
/* "reuse=on|off,cleanup=on|off,bug=skip_fork_avc"; -1 on error. */
int classic_parse_params(struct classic_state *cs, const char *params,
			 struct errbuf *err);
void classic_state_fini(struct classic_state *cs);
extern const struct scheme_param classic_params[];

static inline struct anon_vma *classic_vma_anon_vma(
	const struct classic_state *cs, const struct vm_area_struct *vma)
{
	if (!vma->anon_vma)
		return NULL;
	return cs->decode ? cs->decode(vma->anon_vma) : vma->anon_vma;
}

static inline void classic_vma_set_anon_vma(const struct classic_state *cs,
					    struct vm_area_struct *vma,
					    struct anon_vma *av)
{
	vma->anon_vma = (av && cs->encode) ? cs->encode(av) : av;
}

/* anon_vma.c: objects, refcounts, locks */
struct anon_vma *classic_anon_vma_alloc(struct classic_state *cs);
void classic_get_anon_vma(struct anon_vma *av);
void classic_put_anon_vma(struct classic_state *cs, struct anon_vma *av);
struct anon_vma_chain *classic_avc_alloc(struct classic_state *cs);
void classic_avc_free(struct classic_state *cs, struct anon_vma_chain *avc);
/* anon_vma_chain_link(): add to vma's chain and av's interval tree. */
void classic_avc_link(struct classic_state *cs, struct vm_area_struct *vma,
		      struct anon_vma_chain *avc, struct anon_vma *av);
/* anon_vma_lock_write() / unlock on av's root; nests within one op. */
void classic_lock_write(struct classic_state *cs, struct anon_vma *av);
void classic_unlock_write(struct classic_state *cs, struct anon_vma *av);
void classic_note_violation(struct classic_state *cs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* anon_vma.c: the VMA side */
struct anon_vma *classic_find_mergeable_anon_vma(struct classic_state *cs,
						 struct vm_area_struct *vma);
int classic_anon_vma_prepare(struct classic_state *cs,
			     struct vm_area_struct *vma);
int classic_anon_vma_clone(struct classic_state *cs,
			   struct vm_area_struct *dst,
			   struct vm_area_struct *src,
			   enum classic_clone_op op);
int classic_anon_vma_fork(struct classic_state *cs,
			  struct vm_area_struct *dst,
			  struct vm_area_struct *src);
struct anon_vma *classic_anon_vma_attach_new(struct classic_state *cs,
					     struct vm_area_struct *vma,
					     struct anon_vma *pav,
					     struct anon_vma *av,
					     struct anon_vma_chain *avc);
void classic_unlink_anon_vmas(struct classic_state *cs,
			      struct vm_area_struct *vma);
void classic_vma_pre_update(struct classic_state *cs,
			    struct vm_area_struct *vma);
void classic_vma_post_update(struct classic_state *cs,
			     struct vm_area_struct *vma);

/* merge.c: mm/vma.c's anon_vma merge rules */
bool classic_vma_is_fork_child(const struct classic_state *cs,
			       const struct vm_area_struct *vma);
bool classic_anon_vma_compatible(const struct vm_area_struct *a,
				 const struct vm_area_struct *b);
bool classic_anon_mergeable(struct classic_state *cs,
			    struct vm_area_struct *tgt, void *src_anon,
			    struct vm_area_struct *src,
			    struct vm_area_struct *copied_from);
bool classic_anon_compatible(struct classic_state *cs,
			     struct vm_area_struct *prev,
			     struct vm_area_struct *next);

/* walk.c: folios and rmap_walk_anon() */
bool classic_folio_mapped(const struct folio *folio);
/* folio_anon_vma(): the anon_vma of a regular anon folio, else NULL. */
struct anon_vma *classic_folio_anon_vma(const struct folio *folio);
void classic_folio_add_new_anon(struct classic_state *cs,
				struct folio *folio,
				struct vm_area_struct *vma,
				unsigned long addr, bool exclusive);
void classic_folio_move_anon(struct classic_state *cs, struct folio *folio,
			     struct vm_area_struct *vma);
void classic_rmap_walk(struct classic_state *cs, struct folio *folio,
		       struct rmap_walk_control *rwc);
/* The walk proper, over @av's tree (rmap_walk_anon() after the lookup). */
void classic_rmap_walk_anon_vma(struct classic_state *cs,
				struct anon_vma *av, struct folio *folio,
				struct rmap_walk_control *rwc);

/* check.c: research/schemes.md §5 items 8-13 */
int classic_check(struct classic_state *cs, struct errbuf *err);
/* One line per live anon_vma, for tests and the README's examples. */
void classic_dump(struct classic_state *cs, FILE *f);

extern const struct rmap_scheme classic_scheme;

#endif /* RMAPLAB_SCHEMES_CLASSIC_H */
