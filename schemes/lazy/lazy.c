// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lazy scheme: parameters, state and the ops table.  Each hook decides
 * between the lazy path and the classic code it embeds; upgraded VMAs and
 * regular folios are classic's from then on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/world.h"
#include "lazy.h"

/*
 * Each default carries its evidence (core/scheme.h): S a mail says so, C a
 * mail says otherwise (the default is a repair), R nothing public decides.
 * Message ids are lkml.iu.edu hypermail ids (research/schemes.md §7).
 */
const struct scheme_param lazy_params[] = {
	{ "posted", "preset: the series as literally described, upgrade=vma,redirect=off,folio_refs=off (loses mappings; README, finding 5)",
	  "off", GRADE_R, "none: the three repairs are this model's (research/schemes.md §6)" },
	{ "max_pages", "N: only VMAs of at most N pages start lazy on first fault, larger ones get an anon_vma (0: no limit; \"enable only for small VMAs\", 2606.0/05023)",
	  "0", GRADE_S, "lkml.iu.edu 2605.3/05380 (cover letter: no limit)" },
	{ "file", "lazy|classic: MAP_PRIVATE file mappings start lazy on their first CoW fault, as wangtao says the series does, or get an anon_vma",
	  "lazy", GRADE_S, "lkml.iu.edu 2606.0/05958" },
	{ "walk", "range|point: a lazy walk looks up every VMA over the folio's range, or the one VMA at folio_address() (the series' \"only one VMA\")",
	  "range", GRADE_C, "lkml.iu.edu 2606.0/05958 (\"only one VMA\")" },
	{ "upgrade", "family|vma: fork and mremap upgrade every VMA of the root in one step, or only the VMA being forked or moved",
	  "family", GRADE_C, "lkml.iu.edu 2606.0/05023 (upgrades \"the parent VMA (pvma)\")" },
	{ "prepare", "alone|adopt: a first fault makes the VMA its own root and looks at no neighbour (patch 10), or first joins a compatible neighbour's identity as find_mergeable_anon_vma() does, so that separately faulted neighbours can merge",
	  "alone", GRADE_S, "patch 10 diff (research/schemes.md §2.2)" },
	{ "redirect", "on|off: a lazy folio whose root was upgraded without rewriting it (not copied by fork) is walked through the root's new anon_vma",
	  "on", GRADE_R, "none: mails rewrite only in try_dup_anon_rmap()/move_ptes(), lkml.iu.edu 2606.0/05023" },
	{ "folio_refs", "on|off: folios naming a root hold a reference on it, so the root VMA outlives its family while they exist; off: only VMAs do",
	  "on", GRADE_R, "none: mails name only VMA references, lkml.iu.edu 2606.0/05023" },
	{ "child", "tree|parent|classic: a fork child VMA rides on the parent's anon_vma until the child itself forks (ANON_VMA_TREE_PARENT), forever, or gets its own anon_vma as in mainline",
	  "tree", GRADE_S, "lkml.iu.edu 2606.0/07662 (quoting 2606.0/07329)" },
	{ "cow", "parent|own: a new folio (CoW copy or fault) in a child VMA still riding on its parent's anon_vma names that anon_vma, or the VMA first gets its own anon_vma",
	  "parent", GRADE_R, "none: unpublished (research/schemes.md §6)" },
	{ "vma_size", "N: vm_area_struct slab object size in bytes; 192 assumes the root pointer and refcount fit the padding",
	  "192", GRADE_R, "none: cover letter 2605.3/05380 gives only totals" },
	{ "reuse", "on|off: classic's fork-time anon_vma reuse, after upgrade",
	  "on", GRADE_S, "mm/rmap.c@c17ee635 (anon_vma_fork)" },
	{ "cleanup", "on|off: classic's Jan-2026 clean-up behaviour, after upgrade",
	  "off", GRADE_S, "Linux 6.18 predates the clean-up series (2026-01-18)" },
	{ NULL, NULL, NULL, GRADE_NONE, NULL },
};

void lazy_note_violation(struct lazy_state *ls, const char *fmt, ...)
{
	va_list ap;

	if (ls->violation[0])
		return;
	va_start(ap, fmt);
	vsnprintf(ls->violation, sizeof(ls->violation), fmt, ap);
	va_end(ap);
}

static int parse_choice(const char *key, const char *val, const char *a,
			const char *b, bool *is_a, struct errbuf *err)
{
	if (val && !strcmp(val, a)) {
		*is_a = true;
		return 0;
	}
	if (val && !strcmp(val, b)) {
		*is_a = false;
		return 0;
	}
	return errbuf_set(err, "lazy: %s=%s: expected %s or %s", key,
			  val ? val : "", a, b);
}

static int parse_ulong(const char *key, const char *val, unsigned long *out,
		       struct errbuf *err)
{
	char *end;

	if (!val || !*val || *val == '-')
		return errbuf_set(err, "lazy: %s needs a number", key);
	errno = 0;
	*out = strtoul(val, &end, 0);
	if (errno || *end)
		return errbuf_set(err, "lazy: %s=%s: not a number", key, val);
	return 0;
}

static int parse_one(struct lazy_state *ls, char *tok, char *orig,
		     struct errbuf *err)
{
	struct lazy_params *p = &ls->p;
	char *val = strchr(tok, '=');
	unsigned long n;
	bool a;
	int i;

	if (val)
		*val++ = '\0';
	if (!strcmp(tok, "max_pages"))
		return parse_ulong(tok, val, &p->max_pages, err);
	if (!strcmp(tok, "vma_size")) {
		if (parse_ulong(tok, val, &n, err))
			return -1;
		if (n < 64 || n > 4096)
			return errbuf_set(err, "lazy: vma_size=%lu: expected 64..4096",
					  n);
		p->vma_size = n;
		return 0;
	}
	if (!strcmp(tok, "file")) {
		if (parse_choice(tok, val, "lazy", "classic", &a, err))
			return -1;
		p->file_lazy = a;
		return 0;
	}
	if (!strcmp(tok, "walk")) {
		if (parse_choice(tok, val, "range", "point", &a, err))
			return -1;
		p->walk = a ? LAZY_WALK_RANGE : LAZY_WALK_POINT;
		return 0;
	}
	if (!strcmp(tok, "upgrade")) {
		if (parse_choice(tok, val, "family", "vma", &a, err))
			return -1;
		p->upgrade = a ? LAZY_UPGRADE_FAMILY : LAZY_UPGRADE_VMA;
		return 0;
	}
	if (!strcmp(tok, "prepare")) {
		if (parse_choice(tok, val, "adopt", "alone", &a, err))
			return -1;
		p->adopt = a;
		return 0;
	}
	if (!strcmp(tok, "redirect")) {
		if (parse_choice(tok, val, "on", "off", &a, err))
			return -1;
		p->redirect = a;
		return 0;
	}
	if (!strcmp(tok, "child")) {
		if (val && !strcmp(val, "tree"))
			p->child = LAZY_CHILD_TREE;
		else if (val && !strcmp(val, "parent"))
			p->child = LAZY_CHILD_PARENT;
		else if (val && !strcmp(val, "classic"))
			p->child = LAZY_CHILD_CLASSIC;
		else
			return errbuf_set(err, "lazy: child=%s: expected tree, parent or classic",
					  val ? val : "");
		return 0;
	}
	if (!strcmp(tok, "cow")) {
		if (parse_choice(tok, val, "own", "parent", &a, err))
			return -1;
		p->cow_own = a;
		return 0;
	}
	if (!strcmp(tok, "folio_refs")) {
		if (parse_choice(tok, val, "on", "off", &a, err))
			return -1;
		p->folio_refs = a;
		return 0;
	}
	/* The series as the mails describe it, without this model's repairs. */
	if (!strcmp(tok, "posted")) {
		if (val && strcmp(val, "on"))
			return errbuf_set(err, "lazy: posted takes no value");
		p->upgrade = LAZY_UPGRADE_VMA;
		p->redirect = false;
		p->folio_refs = false;
		return 0;
	}
	/* The classic code's own parameters apply after upgrade. */
	for (i = 0; classic_params[i].name; i++)
		if (!strcmp(tok, classic_params[i].name))
			return classic_parse_params(&ls->cs, orig, err);
	return errbuf_set(err, "lazy: unknown parameter '%s' (known: posted, max_pages, file, walk, upgrade, prepare, redirect, folio_refs, child, cow, vma_size, reuse, cleanup)",
			  tok);
}

int lazy_parse_params(struct lazy_state *ls, const char *params,
		      struct errbuf *err)
{
	char *copy, *tok, *save = NULL, *orig;
	int ret = 0;

	ls->p = (struct lazy_params){
		.file_lazy = true,
		.walk = LAZY_WALK_RANGE,
		.upgrade = LAZY_UPGRADE_FAMILY,
		.redirect = true,
		.folio_refs = true,
		/* 2606.0/07662: children ride on the parent until they fork. */
		.child = LAZY_CHILD_TREE,
		.vma_size = LAZY_VMA_SIZE_DEFAULT,
	};
	if (!params || !*params)
		return 0;
	copy = strdup(params);
	if (!copy)
		return errbuf_set(err, "lazy: out of memory");
	for (tok = strtok_r(copy, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		orig = strdup(tok);
		if (!orig) {
			ret = errbuf_set(err, "lazy: out of memory");
			break;
		}
		ret = parse_one(ls, tok, orig, err);
		free(orig);
	}
	free(copy);
	return ret;
}

/* vma->anon_vma as classic sees it: lazy tags are not anon_vmas. */
static struct anon_vma *decode_anon(void *anon)
{
	return lazy_tagged(anon) ? NULL : anon;
}

static void *encode_anon(struct anon_vma *av)
{
	return av;
}

static int lazy_init(struct world *w, const char *params, struct errbuf *err)
{
	struct lazy_state *ls = calloc(1, sizeof(*ls));

	if (!ls)
		return errbuf_set(err, "lazy: out of memory");
	classic_state_init(&ls->cs, w);
	ls->cs.decode = decode_anon;
	ls->cs.encode = encode_anon;
	ls->w = w;
	INIT_LIST_HEAD(&ls->used);
	INIT_LIST_HEAD(&ls->free);
	INIT_LIST_HEAD(&ls->zombies);
	if (lazy_parse_params(ls, params, err)) {
		classic_state_fini(&ls->cs);
		free(ls);
		return -1;
	}
	world_set_objsize(w, "vm_area_struct", ls->p.vma_size);
	/* A reference is a count in the root VMA: no object of its own. */
	ls->cls_ref = acct_class(&w->acct, "lazy_vma_ref", 0);
	ls->cls_zombie = acct_class(&w->acct, "lazy_zombie_vma",
				    ls->p.vma_size);
	ls->lock_ref = lock_class_kind(&w->locks, "lazy root vm_refcnt",
				       LOCK_KIND_ATOMIC);
	w->scheme_priv = ls;
	return 0;
}

static void lazy_fini(struct world *w)
{
	struct lazy_state *ls = w->scheme_priv;

	if (!ls)
		return;
	classic_state_fini(&ls->cs);
	lazy_pool_fini(ls);
	free(ls);
	w->scheme_priv = NULL;
}

static int op_mm_init(struct mm_struct *mm, struct mm_struct *parent)
{
	return 0;
}

static void op_mm_exit(struct mm_struct *mm)
{
	lazy_reap_mm(mm->world->scheme_priv, mm);
}

/* Does @vma start lazy on its first fault? */
static bool starts_lazy(struct lazy_state *ls, struct vm_area_struct *vma)
{
	if (vma->vm_file && !ls->p.file_lazy)
		return false;
	if (ls->p.max_pages && vma_pages(vma) > ls->p.max_pages)
		return false;
	/*
	 * A VMA whose earlier lazy family still refers to it (mremap
	 * DONTUNMAP left it empty, stale folios name it) cannot start a
	 * second family under the same name.
	 */
	return !lazy_is_referenced_root(vma);
}

/*
 * prepare=adopt: find_mergeable_anon_vma() done the lazy way.  A
 * compatible neighbour (next first, then prev) lends its identity: a lazy
 * one its root, which costs nothing; a regular one with a singular chain
 * its anon_vma, through classic's own search.  Returns true if it did.
 */
static bool adopt_neighbour(struct lazy_state *ls, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *n[2] = { vma_next(mm, vma), vma_prev(mm, vma) };
	int i;

	for (i = 0; i < 2; i++) {
		struct vm_area_struct *root;

		if (!n[i] || !(i ? classic_anon_vma_compatible(n[i], vma) :
			       classic_anon_vma_compatible(vma, n[i])))
			continue;
		root = lazy_root_of(n[i]);
		if (root) {
			ls->st.adoptions++;
			lazy_family_join(ls, vma, root);
			return true;
		}
		if (classic_vma_anon_vma(&ls->cs, n[i]) &&
		    list_is_singular(&n[i]->anon_vma_chain)) {
			ls->st.classic_prepares++;
			classic_anon_vma_prepare(&ls->cs, vma);
			return true;
		}
	}
	return false;
}

/*
 * __anon_vma_prepare() / __vmf_anon_prepare(): vma_prepare_anon_vma_lazy()
 * returns before any neighbour search, allocation or lock (patch 10).
 */
static int op_anon_vma_prepare(struct vm_area_struct *vma)
{
	struct lazy_state *ls = lazy_state_of(vma);

	if (vma->anon_vma)
		return 0;
	if (!starts_lazy(ls, vma)) {
		ls->st.classic_prepares++;
		return classic_anon_vma_prepare(&ls->cs, vma);
	}
	if (ls->p.adopt && adopt_neighbour(ls, vma))
		return 0;
	ls->st.lazy_faults++;
	lazy_make_root(ls, vma);
	return 0;
}

/* A copy of another VMA's rmap_priv says nothing about this one. */
static void drop_stale_priv(struct vm_area_struct *vma)
{
	if (!lazy_vma_of(vma))
		vma->rmap_priv = NULL;
}

/*
 * anon_vma_fork(): a lazy parent VMA is first upgraded (with its family),
 * and so is one riding on its own parent's anon_vma (child=tree: "upgrade
 * B to a regular anon_vma when B becomes a parent", 2606.0/07662).  The
 * child is then linked as classic links it, or shares the parent's
 * anon_vma and chain (ANON_VMA_TREE_PARENT: "Child VMAs ... do not
 * allocate anon_vma", patch 10).
 */
static int op_anon_vma_fork(struct vm_area_struct *dst,
			    struct vm_area_struct *src)
{
	struct lazy_state *ls = lazy_state_of(src);
	int ret;

	drop_stale_priv(dst);
	if (lazy_root_of(src))
		lazy_upgrade(ls, src);
	if (lazy_is_tree_parent(src))
		lazy_upgrade_tree_parent(ls, src);
	if (ls->p.child != LAZY_CHILD_CLASSIC && dst->anon_vma &&
	    classic_vma_anon_vma(&ls->cs, src)) {
		dst->anon_vma = NULL;
		ret = classic_anon_vma_clone(&ls->cs, dst, src,
					     CLASSIC_OP_SPLIT);
		if (ls->p.child == LAZY_CHILD_TREE)
			lazy_set_tree_parent(ls, dst, true);
		return ret;
	}
	return classic_anon_vma_fork(&ls->cs, dst, src);
}

/*
 * anon_vma_clone(): a split or merged piece at the same mapping base joins
 * the root's family and holds a reference on it; a piece elsewhere (mremap
 * copy_vma, or a merge into an unfaulted VMA at the destination) needs the
 * family upgraded first, then is cloned as classic does.
 */
static int op_anon_vma_clone(struct vm_area_struct *dst,
			     struct vm_area_struct *src,
			     enum vma_clone_op op)
{
	struct lazy_state *ls = lazy_state_of(src);
	struct vm_area_struct *root = lazy_root_of(src);

	drop_stale_priv(dst);
	if (root) {
		if (vma_mapping_base(dst) == vma_mapping_base(src) &&
		    dst->vm_mm == src->vm_mm) {
			if (lazy_root_of(dst) != root)
				lazy_family_join(ls, dst, root);
			return 0;
		}
		lazy_upgrade(ls, src);
	}
	if (lazy_tagged(dst->anon_vma) && !lazy_root_of(dst))
		dst->anon_vma = NULL;	/* vm_area_dup()'s copy of the tag */
	/* A piece of a VMA riding on its parent's anon_vma rides too. */
	if (lazy_is_tree_parent(src) && dst->vm_mm == src->vm_mm)
		lazy_set_tree_parent(ls, dst, true);
	return classic_anon_vma_clone(&ls->cs, dst, src,
				      classic_clone_op_of(op));
}

static void op_unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct lazy_state *ls = lazy_state_of(vma);

	if (lazy_root_of(vma)) {
		lazy_family_leave(ls, vma);
		vma->anon_vma = NULL;
		return;
	}
	if (lazy_tagged(vma->anon_vma)) {
		lazy_note_violation(ls, "VMA %lu carries a lazy tag but is in no family",
				    vma->id);
		vma->anon_vma = NULL;
		return;
	}
	lazy_set_tree_parent(ls, vma, false);
	classic_unlink_anon_vmas(&ls->cs, vma);
}

/*
 * A lazy VMA has no interval tree to re-key; its vma_mapping_base() must
 * come through unchanged, which is the series' whole premise.
 */
static void op_vma_pre_update(struct vm_area_struct *vma)
{
	struct lazy_state *ls = lazy_state_of(vma);
	struct lazy_vma *l;

	if (!lazy_root_of(vma)) {
		classic_vma_pre_update(&ls->cs, vma);
		return;
	}
	l = lazy_vma_of(vma);
	l->base_before = vma_mapping_base(vma);
	l->updating = true;
}

static void op_vma_post_update(struct vm_area_struct *vma)
{
	struct lazy_state *ls = lazy_state_of(vma);
	struct lazy_vma *l;

	if (!lazy_root_of(vma)) {
		classic_vma_post_update(&ls->cs, vma);
		return;
	}
	l = lazy_vma_of(vma);
	if (l->updating && l->base_before != vma_mapping_base(vma))
		lazy_note_violation(ls, "vma_mapping_base of VMA %lu moved from %lx to %lx",
				    vma->id, l->base_before,
				    vma_mapping_base(vma));
	l->updating = false;
}

static bool op_vma_release(struct vm_area_struct *vma)
{
	return lazy_vma_release(lazy_state_of(vma), vma);
}

/*
 * is_mergeable_anon_vma() with patch 14: one root is one identity (the
 * lazy tag names it, so equal roots compare equal); an unfaulted side
 * adopts the root; distinct roots, or lazy against regular, never merge;
 * regular against regular keeps classic's rules.
 */
static bool op_anon_mergeable(struct vm_area_struct *tgt, void *src_anon,
			      struct vm_area_struct *src,
			      struct vm_area_struct *copied_from,
			      struct vm_area_struct *owner)
{
	struct lazy_state *ls = lazy_state_of(tgt);

	if (lazy_tagged(tgt->anon_vma) || lazy_tagged(src_anon)) {
		if (tgt->anon_vma && src_anon)
			return tgt->anon_vma == src_anon;
		return true;
	}
	return classic_anon_mergeable(&ls->cs, tgt, src_anon, src,
				      copied_from);
}

static bool op_anon_compatible(struct vm_area_struct *prev,
			       struct vm_area_struct *next)
{
	return classic_anon_compatible(&lazy_state_of(prev)->cs, prev, next);
}

/* __folio_set_anon(): a lazy VMA's folio names the root VMA. */
static void op_folio_add_new_anon(struct folio *folio,
				  struct vm_area_struct *vma,
				  unsigned long addr, bool exclusive)
{
	struct lazy_state *ls = lazy_state_of(vma);
	struct vm_area_struct *root = lazy_root_of(vma);

	if (!root) {
		if (ls->p.cow_own && lazy_is_tree_parent(vma))
			lazy_upgrade_tree_parent(ls, vma);
		classic_folio_add_new_anon(&ls->cs, folio, vma, addr,
					   exclusive);
		return;
	}
	folio->index = linear_page_index(vma, addr);
	lazy_folio_get_root(ls, folio, root);
}

/* try_dup_anon_rmap(): fork copies a PTE of a still-lazy folio. */
static void op_folio_dup_anon(struct folio *folio,
			      struct vm_area_struct *dst,
			      struct vm_area_struct *src)
{
	struct lazy_state *ls = lazy_state_of(src);

	if (!folio_lazy_root(folio))
		return;
	if (lazy_root_of(src))
		lazy_note_violation(ls, "fork copies a PTE of VMA %lu, which is still lazy",
				    src->id);
	lazy_folio_make_regular(ls, folio, src);
}

/*
 * folio_move_anon_rmap(): CoW reuse makes the folio this VMA's.  A lazy
 * VMA names its root; a regular folio never goes back to lazy, so a lazy
 * VMA reusing one is upgraded first.
 */
static void op_folio_move_anon(struct folio *folio,
			       struct vm_area_struct *vma)
{
	struct lazy_state *ls = lazy_state_of(vma);
	struct vm_area_struct *root = lazy_root_of(vma);

	if (root && folio_lazy_root(folio)) {
		if (folio_lazy_root(folio) != root) {
			lazy_folio_put_root(ls, folio);
			lazy_folio_get_root(ls, folio, root);
		}
		return;
	}
	if (root)
		lazy_upgrade(ls, vma);
	if (folio_lazy_root(folio)) {
		lazy_folio_make_regular(ls, folio, vma);
		return;
	}
	if (ls->p.cow_own && lazy_is_tree_parent(vma))
		lazy_upgrade_tree_parent(ls, vma);
	classic_folio_move_anon(&ls->cs, folio, vma);
}

/* move_vma(): a lazy VMA changes its mapping base, so upgrade first. */
static void op_vma_moved(struct vm_area_struct *old,
			 struct vm_area_struct *new_vma)
{
	struct lazy_state *ls = lazy_state_of(old);

	if (lazy_root_of(old))
		lazy_upgrade(ls, old);
	if (lazy_root_of(new_vma))
		lazy_upgrade(ls, new_vma);
}

/* move_ptes(): the moved folio names the destination's anon_vma. */
static void op_folio_moved(struct folio *folio, struct vm_area_struct *old,
			   struct vm_area_struct *new_vma)
{
	lazy_folio_make_regular(lazy_state_of(new_vma), folio, new_vma);
}

/* __folio_split(): each new order-0 folio names the root too. */
static void op_folio_split(struct folio *folio, struct folio *new)
{
	struct vm_area_struct *root = folio_lazy_root(new);

	if (root)
		lazy_folio_get_root(folio->world->scheme_priv, new, root);
}

static void op_folio_free(struct folio *folio)
{
	if (folio_lazy_root(folio))
		lazy_folio_put_root(folio->world->scheme_priv, folio);
}

static void op_rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	lazy_rmap_walk(folio->world->scheme_priv, folio, rwc);
}

static int op_check(struct world *w, struct errbuf *err)
{
	return lazy_check(w->scheme_priv, err);
}

/* A zombie is a vm_area_struct kept for its folios: no slab of its own. */
static const struct scheme_objclass lazy_objclasses[] = {
	{ "lazy_zombie_vma", "zombie", { 0, 0 } },
	{ "lazy_vma_ref", "ref", { 0, 0 } },
	{ NULL, NULL, { 0 } },
};

const struct rmap_scheme lazy_scheme = {
	.name = "lazy",
	.summary = "ANON_VMA_LAZY (May 2026 series), repaired reading: no anon_vma until fork or mremap, folios name a refcounted root VMA, walk by the root's VMA tree; posted: as literally described",
	.params = lazy_params,
	/* Merge rules of its own: /proc/PID/maps may differ (README.md). */
	.caps = SCHEME_LAYOUT_BY_DESIGN,
	.objclasses = lazy_objclasses,
	.init = lazy_init,
	.fini = lazy_fini,
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
	.folio_dup_anon = op_folio_dup_anon,
	.folio_move_anon = op_folio_move_anon,
	.vma_moved = op_vma_moved,
	.folio_moved = op_folio_moved,
	.folio_split = op_folio_split,
	/* __folio_migrate_mapping(): the new folio names the root too. */
	.folio_migrate = op_folio_split,
	.folio_free = op_folio_free,
	.rmap_walk = op_rmap_walk,
	.check = op_check,
};
