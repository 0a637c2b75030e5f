/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cowctx: Lorenzo Stoakes' "CoW context" anon rmap.  The default is the
 * end-state reading (research/schemes.md §3.6: no anon_vma, mainline
 * merges, a walk that stops only when every mapping is found), which no
 * code implements; "poc" is the proof of concept as posted
 * (mm/cow_context.c on project/cow-context, CONFIG_COW_CONTEXT_ANON_RMAP=y).
 *
 * One context per mm; contexts form the fork tree.  A folio records the
 * context of the mm that faulted (or last reused) it and its anon pgoff.
 * A VMA that moved after its first fault has a non-zero offset
 * off(v) = (vm_start >> PAGE_SHIFT) - anon_pgoff(v), recorded in its
 * mm's context as a remap entry [anon_pgoff, anon_pgoff + pages - 1] -> off.
 * The walk visits the folio's context and every descendant, and looks up
 * each live mm's VMA tree at (index + off) for off = 0 and every remap
 * offset covering the folio.
 */
#ifndef RMAPLAB_SCHEMES_COWCTX_H
#define RMAPLAB_SCHEMES_COWCTX_H

#include <pthread.h>
#include <stdbool.h>

#include <urcu/list.h>

#include "core/errbuf.h"
#include "core/itree.h"
#include "core/list.h"
#include "core/lock.h"
#include "core/mm.h"
#include "core/scheme.h"
#include "core/world.h"

/* FOLIO_MAPPING_ANON: folio->mapping = context | this tag. */
#define COWCTX_MAPPING_ANON	0x1UL
#define COWCTX_MAPPING_FLAGS	0x3UL

/* When the walk may end before it has visited the whole subtree. */
enum cowctx_stop {
	COWCTX_STOP_FOUND,	/* every mapping (folio mapcount) found */
	COWCTX_STOP_NEVER,	/* always the whole subtree */
	COWCTX_STOP_POC,	/* the PoC: exclusive after offset 0 */
};

/* Which VMAs may merge (is_mergeable_anon_vma()'s answer). */
enum cowctx_merge {
	COWCTX_MERGE_CLASSIC,	/* as classic anon_vma would decide */
	COWCTX_MERGE_POC,	/* PoC with CONFIG_COW_CONTEXT_ANON_RMAP=y */
	COWCTX_MERGE_OFFSET,	/* any two VMAs of one mm, same anon offset */
};

struct cowctx_params {
	enum cowctx_stop stop;
	enum cowctx_merge merge;
	bool file_pgoff;	/* private file VMAs keyed by vm_pgoff (PoC) */
	bool folio_field;	/* context pointer beside folio->mapping */
	bool pinned_stop;	/* pinned walks (migration) stop as others */
};

/* Per world state, world->scheme_priv. */
struct cowctx_world {
	struct world *w;
	struct cowctx_params p;
	int cls_ctx, cls_remap, cls_folio_ref;
	int lk_rcu, lk_list, lk_unmap, lk_remap_mt;

	pthread_mutex_t lock;		/* guards the two lists below */
	struct list_head contexts;	/* every context not yet freed */
	struct list_head vmas;		/* every struct cowctx_vma */
	unsigned long next_ident;
	unsigned long nr_contexts;
	unsigned long check_gen;
};

extern const struct rmap_scheme cowctx_scheme;

/* cowctx.c */
int cowctx_parse_params(struct cowctx_params *p, const char *params,
			struct errbuf *err);

/*
 * struct cow_context of the PoC.  refcnt = [mm alive] + #children +
 * #folios whose mapping points here.  children/siblings are RCU lists
 * (liburcu) because walkers traverse them under the RCU read side only.
 */
struct cow_context {
	long refcnt;
	struct mm_struct *mm;		/* NULL once the mm has exited */
	struct itree_root remap;	/* remap entries (struct cowctx_vma) */
	struct cow_context *parent;
	struct cds_list_head children;
	struct cds_list_head siblings;
	struct rmap_lock list_write_lock;
	struct rmap_lock concurrent_unmap_lock;

	struct cowctx_world *cw;
	struct list_head all;		/* cw->contexts */
	unsigned long id;		/* mm id at creation, for messages */
	long owner;			/* process label at creation */
	unsigned long parent_mm_id;	/* fork parent's mm id, ~0UL: none */
	long check_folios;		/* check() scratch */
};

/*
 * What the scheme keeps per faulted VMA (vma->rmap_priv).  In the kernel
 * these are VMA fields: the anon-pgoff series puts the anon pgoff in a
 * hole of vm_area_struct, and the remap entry is a range in the
 * context's maple tree.  ident/fork_child only emulate classic's anon_vma
 * identity so that merges (and so VMA layouts) can match classic; they
 * cost nothing in the kernel design and are not accounted.
 */
struct cowctx_vma {
	struct vm_area_struct *vma;	/* owner (vm_area_dup() copies) */
	unsigned long ident;		/* emulated anon_vma */
	bool fork_child;		/* chain would not be singular */
	long pgoff_delta;		/* anon pgoff - vm_pgoff */

	/* The remap entry, when the VMA is faulted and moved. */
	struct itree_node node;		/* in ctx->remap */
	struct cow_context *ctx;	/* tree it is in, NULL if none */
	long off;			/* offset it was entered with */
	struct list_head all;		/* cw->vmas */
	unsigned long check_gen;	/* check() scratch */
};

static inline struct cowctx_world *mm_cw(const struct mm_struct *mm)
{
	return mm->world->scheme_priv;
}

static inline struct cow_context *mm_ctx(const struct mm_struct *mm)
{
	return mm->rmap_priv;
}

static inline struct cow_context *folio_ctx(const struct folio *folio)
{
	if ((folio->mapping & COWCTX_MAPPING_FLAGS) != COWCTX_MAPPING_ANON)
		return NULL;
	return (struct cow_context *)(folio->mapping & ~COWCTX_MAPPING_FLAGS);
}

/* The VMA's own state, ignoring a pointer vm_area_dup() copied. */
static inline struct cowctx_vma *vma_cv(const struct vm_area_struct *vma)
{
	struct cowctx_vma *cv = vma->rmap_priv;

	return cv && cv->vma == vma ? cv : NULL;
}

/* context.c */
struct cow_context *cowctx_alloc(struct cowctx_world *cw,
				 struct mm_struct *mm);
void cowctx_get(struct cow_context *ctx);
void cowctx_put(struct cow_context *ctx);
void cowctx_free_all(struct cowctx_world *cw);
int cowctx_mm_init(struct mm_struct *mm, struct mm_struct *parent);
void cowctx_mm_exit(struct mm_struct *mm);
/* The RCU list helpers the walk and the checker share. */
struct cow_context *cowctx_first_child(struct cow_context *ctx);
struct cow_context *cowctx_next_sibling(struct cow_context *ctx);
void cowctx_rcu_read_lock(void);
void cowctx_rcu_read_unlock(void);

/* folio.c */
void cowctx_folio_add_new_anon(struct folio *folio,
			       struct vm_area_struct *vma,
			       unsigned long addr, bool exclusive);
void cowctx_folio_dup_anon(struct folio *folio, struct vm_area_struct *dst,
			   struct vm_area_struct *src);
void cowctx_folio_move_anon(struct folio *folio, struct vm_area_struct *vma);
void cowctx_folio_moved(struct folio *folio, struct vm_area_struct *old,
			struct vm_area_struct *new_vma);
void cowctx_folio_free(struct folio *folio);
void cowctx_folio_split(struct folio *folio, struct folio *new);
int cowctx_folio_mapcount(const struct folio *folio);
bool cowctx_folio_maybe_mapped_shared(const struct folio *folio);

/* vma.c */
unsigned long cowctx_anon_pgoff(const struct vm_area_struct *vma);
long cowctx_vma_off(const struct vm_area_struct *vma);
bool cowctx_vma_tracked(const struct vm_area_struct *vma);
int cowctx_anon_vma_prepare(struct vm_area_struct *vma);
int cowctx_anon_vma_fork(struct vm_area_struct *dst,
			 struct vm_area_struct *src);
int cowctx_anon_vma_clone(struct vm_area_struct *dst,
			  struct vm_area_struct *src, enum vma_clone_op op);
void cowctx_unlink_anon_vmas(struct vm_area_struct *vma);
void cowctx_vma_pre_update(struct vm_area_struct *vma);
void cowctx_vma_post_update(struct vm_area_struct *vma);
bool cowctx_vma_release(struct vm_area_struct *vma);
void cowctx_vma_moved(struct vm_area_struct *old,
		      struct vm_area_struct *new_vma);
bool cowctx_anon_mergeable(struct vm_area_struct *tgt, void *src_anon,
			   struct vm_area_struct *src,
			   struct vm_area_struct *copied_from,
			   struct vm_area_struct *owner);
bool cowctx_anon_compatible(struct vm_area_struct *prev,
			    struct vm_area_struct *next);
void cowctx_vma_free_all(struct cowctx_world *cw);

/* remap.c */
void cowctx_remap_sync(struct vm_area_struct *vma);
void cowctx_remap_remove(struct cowctx_vma *cv);
void cowctx_remap_drain(struct cow_context *ctx);
/*
 * The distinct offsets of a context's remap entries overlapping a pgoff
 * range, sorted; starts on the stack like the PoC's unique_multi array.
 */
#define COWCTX_OFFS_STACK	16
struct cowctx_offs {
	long *v;
	unsigned int nr, cap;
	long stack[COWCTX_OFFS_STACK];
};

void cowctx_offs_init(struct cowctx_offs *o);
void cowctx_offs_fini(struct cowctx_offs *o);
void cowctx_remap_offsets(struct cow_context *ctx, unsigned long pgoff,
			  unsigned long last, struct cowctx_offs *o);

/* walk.c */
void cowctx_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc);
/* The walk without lock or tree-visit accounting (for check()). */
void cowctx_rmap_walk_quiet(struct folio *folio,
			    struct rmap_walk_control *rwc);

/* check.c */
int cowctx_check(struct world *w, struct errbuf *err);

#endif /* RMAPLAB_SCHEMES_COWCTX_H */
