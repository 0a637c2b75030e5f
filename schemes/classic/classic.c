// SPDX-License-Identifier: GPL-2.0-only
/*
 * The classic scheme: state, parameters and the ops table that plugs the
 * anon_vma code of this directory into the core's hooks.
 */
#include <stdlib.h>
#include <string.h>

#include "core/world.h"
#include "classic.h"

/* Defaults and their evidence (core/scheme.h): mainline is the source. */
const struct scheme_param classic_params[] = {
	{ "reuse", "on|off: fork-time anon_vma reuse (maybe_reuse_anon_vma)",
	  "on", GRADE_S, "mm/rmap.c@c17ee635 (anon_vma_clone, anon_vma_fork)" },
	{ "cleanup", "on|off: behave as after the Jan-2026 anon_vma clean-up series (reuse visits newest first, fork allocates before cloning)",
	  "off", GRADE_S, "Linux 6.18 predates \"[PATCH v3 0/9] mm: clean up anon_vma implementation\" (2026-01-18)" },
	{ "bug", "test only: none|skip_fork_avc, a deliberately broken variant for the checker's tests",
	  "none", GRADE_S, "mm/rmap.c@c17ee635 (none: the kernel's code)" },
	{ NULL, NULL, NULL, GRADE_NONE, NULL },
};

void classic_state_init(struct classic_state *cs, struct world *w)
{
	memset(cs, 0, sizeof(*cs));
	cs->w = w;
	cs->p.reuse = true;
	cs->cls_anon_vma = acct_class(&w->acct, "anon_vma",
				      ANON_VMA_SLAB_SIZE);
	cs->cls_avc = acct_class(&w->acct, "anon_vma_chain",
				 ANON_VMA_CHAIN_SLAB_SIZE);
	cs->lock_rwsem = lock_class(&w->locks, "anon_vma->rwsem");
	INIT_LIST_HEAD(&cs->anon_vmas);
	INIT_LIST_HEAD(&cs->zombies);
	kmem_cache_init(&cs->anon_vma_cache, sizeof(struct anon_vma), 0);
	kmem_cache_init(&cs->avc_cache, sizeof(struct anon_vma_chain), 0);
}

static int parse_bool(const char *key, const char *val, bool *out,
		      struct errbuf *err)
{
	if (!val || !strcmp(val, "on") || !strcmp(val, "1") ||
	    !strcmp(val, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(val, "off") || !strcmp(val, "0") || !strcmp(val, "no")) {
		*out = false;
		return 0;
	}
	return errbuf_set(err, "classic: %s=%s: expected on or off", key, val);
}

static int parse_one(struct classic_state *cs, char *tok, struct errbuf *err)
{
	char *val = strchr(tok, '=');

	if (val)
		*val++ = '\0';
	if (!strcmp(tok, "reuse"))
		return parse_bool(tok, val, &cs->p.reuse, err);
	if (!strcmp(tok, "cleanup"))
		return parse_bool(tok, val, &cs->p.cleanup, err);
	if (!strcmp(tok, "bug")) {
		if (val && !strcmp(val, "none")) {
			cs->p.bug = CLASSIC_BUG_NONE;
			return 0;
		}
		if (val && !strcmp(val, "skip_fork_avc")) {
			cs->p.bug = CLASSIC_BUG_SKIP_FORK_AVC;
			return 0;
		}
		return errbuf_set(err, "classic: bug=%s: expected none or skip_fork_avc",
				  val ? val : "");
	}
	return errbuf_set(err, "classic: unknown parameter '%s' (known: reuse, cleanup, bug)",
			  tok);
}

int classic_parse_params(struct classic_state *cs, const char *params,
			 struct errbuf *err)
{
	char *copy, *tok, *save = NULL;
	int ret = 0;

	if (!params || !*params)
		return 0;
	copy = strdup(params);
	if (!copy)
		return errbuf_set(err, "classic: out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save))
		ret = parse_one(cs, tok, err);
	free(copy);
	return ret;
}

static void free_tree(struct classic_state *cs, struct itree_node *n)
{
	struct anon_vma_chain *avc;

	if (!n)
		return;
	free_tree(cs, n->left);
	free_tree(cs, n->right);
	avc = itree_entry(n, struct anon_vma_chain, rb);
	list_del(&avc->same_vma);
	classic_avc_free(cs, avc);
}

/*
 * Whatever the world still holds when it is torn down without every
 * process having exited: free AVCs through the trees, then anon_vmas.
 */
void classic_state_fini(struct classic_state *cs)
{
	struct anon_vma *av, *tmp;

	list_for_each_entry(av, &cs->anon_vmas, node) {
		free_tree(cs, av->rb_root.root);
		av->rb_root.root = NULL;
	}
	list_for_each_entry_safe(av, tmp, &cs->anon_vmas, node) {
		list_del(&av->node);
		acct_free(&cs->w->acct, cs->cls_anon_vma);
		rmap_lock_destroy(&av->rwsem);
		kmem_cache_free(&cs->anon_vma_cache, av);
	}
	list_for_each_entry_safe(av, tmp, &cs->zombies, node) {
		list_del(&av->node);
		kmem_cache_free(&cs->anon_vma_cache, av);
	}
	cs->nr_anon_vmas = 0;
	kmem_cache_destroy(&cs->anon_vma_cache);
	kmem_cache_destroy(&cs->avc_cache);
}

static struct classic_state *vma_cs(const struct vm_area_struct *vma)
{
	return vma->vm_mm->world->scheme_priv;
}

static int classic_init(struct world *w, const char *params,
			struct errbuf *err)
{
	struct classic_state *cs = malloc(sizeof(*cs));

	if (!cs)
		return errbuf_set(err, "classic: out of memory");
	classic_state_init(cs, w);
	if (classic_parse_params(cs, params, err)) {
		free(cs);
		return -1;
	}
	w->scheme_priv = cs;
	return 0;
}

static void classic_fini(struct world *w)
{
	struct classic_state *cs = w->scheme_priv;

	if (!cs)
		return;
	classic_state_fini(cs);
	free(cs);
	w->scheme_priv = NULL;
}

static int op_mm_init(struct mm_struct *mm, struct mm_struct *parent)
{
	return 0;
}

static void op_mm_exit(struct mm_struct *mm)
{
}

static int op_anon_vma_prepare(struct vm_area_struct *vma)
{
	return classic_anon_vma_prepare(vma_cs(vma), vma);
}

static int op_anon_vma_fork(struct vm_area_struct *dst,
			    struct vm_area_struct *src)
{
	return classic_anon_vma_fork(vma_cs(src), dst, src);
}

static int op_anon_vma_clone(struct vm_area_struct *dst,
			     struct vm_area_struct *src,
			     enum vma_clone_op op)
{
	return classic_anon_vma_clone(vma_cs(src), dst, src,
				      classic_clone_op_of(op));
}

static void op_unlink_anon_vmas(struct vm_area_struct *vma)
{
	classic_unlink_anon_vmas(vma_cs(vma), vma);
}

static void op_vma_pre_update(struct vm_area_struct *vma)
{
	classic_vma_pre_update(vma_cs(vma), vma);
}

static void op_vma_post_update(struct vm_area_struct *vma)
{
	classic_vma_post_update(vma_cs(vma), vma);
}

static bool op_vma_release(struct vm_area_struct *vma)
{
	return true;
}

static bool op_anon_mergeable(struct vm_area_struct *tgt, void *src_anon,
			      struct vm_area_struct *src,
			      struct vm_area_struct *copied_from,
			      struct vm_area_struct *owner)
{
	return classic_anon_mergeable(vma_cs(tgt), tgt, src_anon, src,
				      copied_from);
}

static bool op_anon_compatible(struct vm_area_struct *prev,
			       struct vm_area_struct *next)
{
	return classic_anon_compatible(vma_cs(prev), prev, next);
}

static void op_folio_add_new_anon(struct folio *folio,
				  struct vm_area_struct *vma,
				  unsigned long addr, bool exclusive)
{
	classic_folio_add_new_anon(vma_cs(vma), folio, vma, addr, exclusive);
}

static void op_folio_move_anon(struct folio *folio,
			       struct vm_area_struct *vma)
{
	classic_folio_move_anon(vma_cs(vma), folio, vma);
}

/* move_ptes(): index stays valid because mremap keeps vm_pgoff. */
static void op_vma_moved(struct vm_area_struct *old,
			 struct vm_area_struct *new_vma)
{
}

static void op_folio_moved(struct folio *folio, struct vm_area_struct *old,
			   struct vm_area_struct *new_vma)
{
}

static void op_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	struct anon_vma *av = classic_folio_anon_vma(folio);

	/*
	 * An unmapped folio's anon_vma may be gone: do not touch it, unless
	 * the caller holds it (migration's folio_get_anon_vma()).
	 */
	if (av && (classic_folio_mapped(folio) || rwc->pinned))
		classic_rmap_walk(av->cs, folio, rwc);
}

static int op_check(struct world *w, struct errbuf *err)
{
	return classic_check(w->scheme_priv, err);
}

/* Slab objsizes: research/machine.md §3g (x86_64); same on aarch64. */
static const struct scheme_objclass classic_objclasses[] = {
	{ "anon_vma", "av",
	  { ANON_VMA_SLAB_SIZE, ANON_VMA_SLAB_SIZE } },
	{ "anon_vma_chain", "avc",
	  { ANON_VMA_CHAIN_SLAB_SIZE, ANON_VMA_CHAIN_SLAB_SIZE } },
	{ NULL, NULL, { 0 } },
};

const struct rmap_scheme classic_scheme = {
	.name = "classic",
	.summary = "mainline anon_vma (Linux 6.18): anon_vma + anon_vma_chain, interval tree by vm_pgoff, root rwsem, fork-time reuse",
	.params = classic_params,
	.caps = SCHEME_MAINLINE_LAYOUT | SCHEME_KERNEL_OBJECTS,
	.objclasses = classic_objclasses,
	.init = classic_init,
	.fini = classic_fini,
	.mm_init = op_mm_init,
	.mm_exit = op_mm_exit,
	.anon_vma_prepare = op_anon_vma_prepare,
	.anon_vma_fork = op_anon_vma_fork,
	.anon_vma_clone = op_anon_vma_clone,
	.unlink_anon_vmas = op_unlink_anon_vmas,
	.vma_pre_update = op_vma_pre_update,
	.vma_post_update = op_vma_post_update,
	.vma_release = op_vma_release,
	.anon_mergeable = op_anon_mergeable,
	.anon_compatible = op_anon_compatible,
	.folio_add_new_anon = op_folio_add_new_anon,
	/* folio_try_dup_anon_rmap_*(): the mapping stays as it is. */
	.folio_dup_anon = NULL,
	.folio_move_anon = op_folio_move_anon,
	.vma_moved = op_vma_moved,
	.folio_moved = op_folio_moved,
	/* Folios hold no reference on their anon_vma. */
	.folio_free = NULL,
	.rmap_walk = op_rmap_walk,
	.check = op_check,
};
