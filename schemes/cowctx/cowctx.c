// SPDX-License-Identifier: GPL-2.0-only
/*
 * cowctx: the ops table, parameters and per-world state.  See README.md
 * for the sources and the reconstruction choices.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cowctx.h"

/*
 * Defaults and their evidence (core/scheme.h).  The defaults make the
 * end-state reading (no anon_vma, mainline merges, a walk that stops only
 * when it has found every mapping); the PoC's code contradicts some of
 * them, which is what `poc` selects.
 */
static const struct scheme_param cowctx_params[] = {
	{ "poc", "preset: the PoC as posted with CONFIG_COW_CONTEXT_ANON_RMAP=y, stop=poc,merge=poc,file_pgoff=file,folio_ctx=field",
	  "off", GRADE_R, "none: no code implements the end state (mm/rmap.c@d91a1a12 is the PoC)" },
	{ "stop", "found|never|poc: end the walk when every mapping was found, never before the whole subtree, or the PoC's exclusive-folio shortcut",
	  "found", GRADE_C, "mm/cow_context.c@a4ac1966 (walk_context() stops early)" },
	{ "merge", "classic|poc|offset: merge as anon_vma would, as the PoC with CONFIG_COW_CONTEXT_ANON_RMAP=y (every faulted VMA a fork child), or any same-offset VMAs",
	  "classic", GRADE_C, "mm/rmap.c@d91a1a12 + mm/vma.c@3459185e (=y: vma_is_fork_child() for every faulted VMA)" },
	{ "file_pgoff", "anon|file: private file VMAs use the anon pgoff (mm-stable 2026), or vm_pgoff as the PoC",
	  "anon", GRADE_S, "lkml.iu.edu 2606.3/09131 (anon pgoff series, now in mm-stable)" },
	{ "folio_ctx", "mapping|field: the folio's context is folio->mapping, or, as the PoC, a separate per-folio pointer holding a context reference beside folio->mapping (counted as cow_folio_ref, 0 B: where it is stored is not shown)",
	  "mapping", GRADE_R, "none: Stoakes' end state (LSF/MM 2026 topic) names one folio-level pointer; PoC mm/rmap.c@783e3bdb keeps both" },
	{ "pinned", "whole|stop: a walk of a folio the caller pinned (remove_migration_ptes(), mapcount 0) visits the whole subtree, since the mapcount cannot say when it is done, or applies stop=found's rule as any walk",
	  "whole", GRADE_R, "none: the PoC has no migration path of its own" },
	{ NULL, NULL, NULL, GRADE_NONE, NULL },
};

static bool flag_value(const char *v, bool *out)
{
	if (!v || !strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "yes")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "no")) {
		*out = false;
		return true;
	}
	return false;
}

static int parse_one(struct cowctx_params *p, char *tok, struct errbuf *err)
{
	char *v = strchr(tok, '=');
	bool on;

	if (v)
		*v++ = '\0';
	if (!strcmp(tok, "poc")) {
		if (!flag_value(v, &on))
			goto bad_value;
		p->stop = on ? COWCTX_STOP_POC : COWCTX_STOP_FOUND;
		p->merge = on ? COWCTX_MERGE_POC : COWCTX_MERGE_CLASSIC;
		p->file_pgoff = on;
		p->folio_field = on;
	} else if (!strcmp(tok, "folio_ctx") && v) {
		if (!strcmp(v, "mapping"))
			p->folio_field = false;
		else if (!strcmp(v, "field"))
			p->folio_field = true;
		else
			goto bad_value;
	} else if (!strcmp(tok, "stop") && v) {
		if (!strcmp(v, "found"))
			p->stop = COWCTX_STOP_FOUND;
		else if (!strcmp(v, "never"))
			p->stop = COWCTX_STOP_NEVER;
		else if (!strcmp(v, "poc"))
			p->stop = COWCTX_STOP_POC;
		else
			goto bad_value;
	} else if (!strcmp(tok, "merge") && v) {
		if (!strcmp(v, "classic"))
			p->merge = COWCTX_MERGE_CLASSIC;
		else if (!strcmp(v, "poc"))
			p->merge = COWCTX_MERGE_POC;
		else if (!strcmp(v, "offset"))
			p->merge = COWCTX_MERGE_OFFSET;
		else
			goto bad_value;
	} else if (!strcmp(tok, "pinned") && v) {
		if (!strcmp(v, "whole"))
			p->pinned_stop = false;
		else if (!strcmp(v, "stop"))
			p->pinned_stop = true;
		else
			goto bad_value;
	} else if (!strcmp(tok, "file_pgoff") && v) {
		if (!strcmp(v, "anon"))
			p->file_pgoff = false;
		else if (!strcmp(v, "file"))
			p->file_pgoff = true;
		else
			goto bad_value;
	} else {
		errbuf_set(err, "cowctx: unknown parameter '%s' (known: poc, "
			   "stop=found|never|poc, merge=classic|poc|offset, "
			   "file_pgoff=anon|file, folio_ctx=mapping|field, "
			   "pinned=whole|stop)", tok);
		return -EINVAL;
	}
	return 0;

bad_value:
	errbuf_set(err, "cowctx: bad value '%s' for parameter '%s'",
		   v ? v : "", tok);
	return -EINVAL;
}

int cowctx_parse_params(struct cowctx_params *p, const char *params,
			struct errbuf *err)
{
	char *buf, *tok, *save = NULL;
	int ret = 0;

	p->stop = COWCTX_STOP_FOUND;
	p->merge = COWCTX_MERGE_CLASSIC;
	p->file_pgoff = false;
	p->folio_field = false;
	p->pinned_stop = false;
	if (!params || !*params)
		return 0;
	buf = strdup(params);
	if (!buf)
		abort();
	for (tok = strtok_r(buf, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save))
		ret = parse_one(p, tok, err);
	free(buf);
	return ret;
}

static int cowctx_init(struct world *w, const char *params,
		       struct errbuf *err)
{
	struct cowctx_world *cw = calloc(1, sizeof(*cw));
	int ret;

	if (!cw)
		abort();
	ret = cowctx_parse_params(&cw->p, params, err);
	if (ret) {
		free(cw);
		return ret;
	}
	cw->w = w;
	pthread_mutex_init(&cw->lock, NULL);
	INIT_LIST_HEAD(&cw->contexts);
	INIT_LIST_HEAD(&cw->vmas);
	/*
	 * struct cow_context of the PoC is 96 bytes on x86_64 (refcount,
	 * mm, maple tree head, parent, two list heads, rcu_head, two
	 * spinlocks): kmalloc-96.  A remap entry is a range of the
	 * context's maple tree: two of a 256-byte node's 16 slots (the
	 * range and the gap before it) = 32 bytes.
	 */
	cw->cls_ctx = acct_class(&w->acct, "cow_context", 96);
	cw->cls_remap = acct_class(&w->acct, "cow_remap", 32);
	/*
	 * folio_ctx=field: the PoC's per-folio context pointer beside
	 * folio->mapping (folio_set_cow_context(), mm/rmap.c@783e3bdb),
	 * each holding a reference.  struct folio @1be9d553 has no field
	 * for it and no version read shows where it lives: counted at 0
	 * bytes; --objsize cow_folio_ref=8 prices a new word per folio.
	 */
	if (cw->p.folio_field)
		cw->cls_folio_ref = acct_class(&w->acct, "cow_folio_ref", 0);
	/* The PoC's lock types (research/schemes.md §3) */
	cw->lk_rcu = lock_class_kind(&w->locks, "cow_context.rcu_read",
				     LOCK_KIND_RCU);
	cw->lk_list = lock_class_kind(&w->locks,
				      "cow_context.list_write_lock",
				      LOCK_KIND_SPIN);
	cw->lk_unmap = lock_class_kind(&w->locks,
				       "cow_context.concurrent_unmap_lock",
				       LOCK_KIND_SPIN);
	cw->lk_remap_mt = lock_class_kind(&w->locks, "cow_context.remap_mt",
					  LOCK_KIND_SPIN);
	w->scheme_priv = cw;
	return 0;
}

static void cowctx_fini(struct world *w)
{
	struct cowctx_world *cw = w->scheme_priv;

	if (!cw)
		return;
	cowctx_vma_free_all(cw);
	cowctx_free_all(cw);
	pthread_mutex_destroy(&cw->lock);
	free(cw);
	w->scheme_priv = NULL;
}

/* No kernel slab measured: the sizes are the model's (cowctx_init()). */
static const struct scheme_objclass cowctx_objclasses[] = {
	{ "cow_context", "ctx", { 0, 0 } },
	{ "cow_remap", "remap", { 0, 0 } },
	{ NULL, NULL, { 0 } },
};

const struct rmap_scheme cowctx_scheme = {
	.name = "cowctx",
	.summary = "CoW context (LSF/MM 2026), end-state reading: one "
		   "context per mm in the fork tree, per-context remap "
		   "offsets, walk = subtree, no anon_vma, mainline merges; "
		   "poc: the proof of concept as posted",
	.params = cowctx_params,
	.caps = SCHEME_LAYOUT_BY_DESIGN,
	.objclasses = cowctx_objclasses,
	.init = cowctx_init,
	.fini = cowctx_fini,
	.mm_init = cowctx_mm_init,
	.mm_exit = cowctx_mm_exit,
	.anon_vma_prepare = cowctx_anon_vma_prepare,
	.anon_vma_fork = cowctx_anon_vma_fork,
	.anon_vma_clone = cowctx_anon_vma_clone,
	.unlink_anon_vmas = cowctx_unlink_anon_vmas,
	.vma_pre_update = cowctx_vma_pre_update,
	.vma_post_update = cowctx_vma_post_update,
	.vma_release = cowctx_vma_release,
	.anon_mergeable = cowctx_anon_mergeable,
	.anon_compatible = cowctx_anon_compatible,
	.folio_add_new_anon = cowctx_folio_add_new_anon,
	.folio_dup_anon = cowctx_folio_dup_anon,
	.folio_move_anon = cowctx_folio_move_anon,
	.vma_moved = cowctx_vma_moved,
	.folio_moved = cowctx_folio_moved,
	.folio_split = cowctx_folio_split,
	/* The new folio of a migration keeps the context, with a reference. */
	.folio_migrate = cowctx_folio_split,
	.folio_free = cowctx_folio_free,
	.rmap_walk = cowctx_rmap_walk,
	.check = cowctx_check,
};
