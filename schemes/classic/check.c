// SPDX-License-Identifier: GPL-2.0-only
/*
 * The classic scheme's invariants (research/schemes.md §5, items 8-13),
 * recomputed from scratch over every mm of the world:
 *
 *  8  vma->anon_vma set iff its chain is non-empty; the anon_vma is in the
 *     chain; every AVC sits in its anon_vma's interval tree keyed by the
 *     VMA's current [vm_pgoff, vm_pgoff + pages - 1]; every tree node is
 *     an AVC of a live VMA's chain (and the tree is ordered and augmented
 *     correctly).
 *  9  one root per chain, root->root == root; a singular chain is {root}.
 * 10  equal vma->anon_vma implies equal chain sets (the 2022 "degree"
 *     double-reuse bug broke this).
 * 11  every PTE mapping a classic anon folio lies in a VMA linked to the
 *     folio's anon_vma, at the address vma_address() gives.
 * 12  num_active_vmas, num_children and refcount equal their definitions;
 *     live object counts equal the accounting.
 * 13  anon_vma adoption only from singular chains (asserted at the call
 *     sites, reported here).
 *
 * The checker never dereferences a pointer before proving it points at a
 * live object, so a broken variant is reported, not crashed on.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/pgtable.h"
#include "core/world.h"
#include "classic.h"

struct chk {
	struct classic_state *cs;
	struct errbuf *err;
	const void **avs;
	size_t nr_avs;
	const void **vmas;
	size_t nr_vmas, cap_vmas;
	unsigned long tree_stamp;
	unsigned long tree_avcs, chain_avcs;
};

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

static bool in_set(const void **set, size_t nr, const void *p)
{
	return p && nr && bsearch(&p, set, nr, sizeof(*set), cmp_ptr);
}

static bool av_live(const struct chk *c, const struct anon_vma *av)
{
	return in_set(c->avs, c->nr_avs, av);
}

static bool vma_live(const struct chk *c, const struct vm_area_struct *vma)
{
	return in_set(c->vmas, c->nr_vmas, vma);
}

#define VMA_FMT "pid %ld vma %lx-%lx"
#define VMA_ARG(v) mm_pid((v)->vm_mm), (v)->vm_start, (v)->vm_end

static bool key_before(const struct itree_node *a, const struct itree_node *b)
{
	return a->start < b->start ||
		(a->start == b->start && a->seq < b->seq);
}

/* In-order walk of one anon_vma's tree: structure, ownership, liveness. */
static int check_tree(struct chk *c, struct anon_vma *av,
		      struct itree_node *n, const struct itree_node **prev,
		      unsigned long *count, int depth)
{
	struct anon_vma_chain *avc;
	unsigned long sl;

	if (!n)
		return 0;
	if (depth > 128)
		return errbuf_set(c->err, "classic: anon_vma %lu: interval tree too deep (cycle?)",
				  av->id);
	if (check_tree(c, av, n->left, prev, count, depth + 1))
		return -1;
	if (*prev && !key_before(*prev, n))
		return errbuf_set(c->err, "classic: anon_vma %lu: interval tree out of order",
				  av->id);
	sl = n->last;
	if (n->left && n->left->subtree_last > sl)
		sl = n->left->subtree_last;
	if (n->right && n->right->subtree_last > sl)
		sl = n->right->subtree_last;
	if (sl != n->subtree_last)
		return errbuf_set(c->err, "classic: anon_vma %lu: interval tree subtree_last stale",
				  av->id);
	*prev = n;
	avc = itree_entry(n, struct anon_vma_chain, rb);
	if (avc->anon_vma != av)
		return errbuf_set(c->err, "classic: anon_vma %lu: tree holds an AVC of another anon_vma",
				  av->id);
	if (!avc->in_tree)
		return errbuf_set(c->err, "classic: anon_vma %lu: AVC in tree marked as removed",
				  av->id);
	if (!vma_live(c, avc->vma))
		return errbuf_set(c->err, "classic: anon_vma %lu: tree holds an AVC of a VMA in no mm",
				  av->id);
	avc->chk_stamp = c->tree_stamp;
	(*count)++;
	return check_tree(c, av, n->right, prev, count, depth + 1);
}

/* Item 11 for one VMA; its chain's anon_vmas carry @stamp. */
static int check_ptes(struct chk *c, struct vm_area_struct *vma,
		      unsigned long stamp, bool linked)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int shift = mm->page_shift;
	unsigned long addr;
	struct pte *pte;

	for_each_present_pte(mm, pte, addr, vma->vm_start, vma->vm_end) {
		struct anon_vma *fav;
		unsigned long want;
		struct folio *f;

		f = pte->folio;
		fav = classic_folio_anon_vma(f);
		if (!fav)
			continue;
		if (!av_live(c, fav))
			return errbuf_set(c->err, "classic: " VMA_FMT ": page at %lx (pfn %lx) points at a freed anon_vma",
					  VMA_ARG(vma), addr, f->pfn);
		if (!linked || fav->chk_stamp != stamp)
			return errbuf_set(c->err, "classic: " VMA_FMT ": page at %lx (pfn %lx) has anon_vma %lu, which the VMA is not linked to",
					  VMA_ARG(vma), addr, f->pfn, fav->id);
		want = vma->vm_start +
			((f->index + pte->idx - vma->vm_pgoff) << shift);
		if (want != addr)
			return errbuf_set(c->err, "classic: " VMA_FMT ": page at %lx (pfn %lx index %lx+%u) is expected at %lx",
					  VMA_ARG(vma), addr, f->pfn, f->index,
					  pte->idx, want);
	}
	return 0;
}

/* Items 10: @vma's chain as a set equals that of @ref (same anon_vma). */
static int check_same_chain(struct chk *c, struct vm_area_struct *ref,
			    struct vm_area_struct *vma)
{
	unsigned long stamp = ++c->cs->chk_stamp;
	struct anon_vma_chain *avc;
	size_t n_ref = 0, n = 0;

	list_for_each_entry(avc, &ref->anon_vma_chain, same_vma) {
		avc->anon_vma->chk_stamp = stamp;
		n_ref++;
	}
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		if (avc->anon_vma->chk_stamp != stamp)
			return errbuf_set(c->err, "classic: " VMA_FMT " and " VMA_FMT " share anon_vma %lu but only the first links anon_vma %lu",
					  VMA_ARG(vma), VMA_ARG(ref),
					  classic_vma_anon_vma(c->cs, vma)->id,
					  avc->anon_vma->id);
		n++;
	}
	if (n != n_ref)
		return errbuf_set(c->err, "classic: " VMA_FMT " and " VMA_FMT " share anon_vma %lu but link %zu and %zu anon_vmas",
				  VMA_ARG(vma), VMA_ARG(ref),
				  classic_vma_anon_vma(c->cs, vma)->id, n, n_ref);
	return 0;
}

/* Items 8, 9, 11 for one VMA, and its share of the item 10/12 counts. */
static int check_vma(struct chk *c, struct vm_area_struct *vma)
{
	struct classic_state *cs = c->cs;
	struct anon_vma *av = classic_vma_anon_vma(cs, vma), *root;
	struct anon_vma_chain *avc;
	unsigned long stamp;
	bool has_active = false;
	size_t len = 0;

	if (vma->anon_vma && !av)
		return 0;		/* an embedding scheme's own identity */
	if (av && !av_live(c, av))
		return errbuf_set(c->err, "classic: " VMA_FMT ": anon_vma is not a live anon_vma",
				  VMA_ARG(vma));
	if (!av) {
		if (!list_empty(&vma->anon_vma_chain))
			return errbuf_set(c->err, "classic: " VMA_FMT ": AVCs but no anon_vma",
					  VMA_ARG(vma));
		return check_ptes(c, vma, 0, false);
	}
	if (list_empty(&vma->anon_vma_chain))
		return errbuf_set(c->err, "classic: " VMA_FMT ": anon_vma %lu but no AVCs",
				  VMA_ARG(vma), av->id);
	root = av->root;
	if (!av_live(c, root) || root->root != root)
		return errbuf_set(c->err, "classic: " VMA_FMT ": anon_vma %lu has a bad root",
				  VMA_ARG(vma), av->id);

	stamp = ++cs->chk_stamp;
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *x = avc->anon_vma;

		if (!av_live(c, x))
			return errbuf_set(c->err, "classic: " VMA_FMT ": AVC to a freed anon_vma",
					  VMA_ARG(vma));
		if (avc->vma != vma)
			return errbuf_set(c->err, "classic: " VMA_FMT ": AVC of another VMA on its chain",
					  VMA_ARG(vma));
		if (avc->chk_stamp != c->tree_stamp)
			return errbuf_set(c->err, "classic: " VMA_FMT ": AVC to anon_vma %lu is not in its interval tree",
					  VMA_ARG(vma), x->id);
		if (avc->rb.start != vma->vm_pgoff ||
		    avc->rb.last != vma->vm_pgoff + vma_pages(vma) - 1)
			return errbuf_set(c->err, "classic: " VMA_FMT ": AVC to anon_vma %lu keyed [%lx, %lx], VMA pgoffs are [%lx, %lx]",
					  VMA_ARG(vma), x->id, avc->rb.start,
					  avc->rb.last, vma->vm_pgoff,
					  vma->vm_pgoff + vma_pages(vma) - 1);
		if (x->root != root)
			return errbuf_set(c->err, "classic: " VMA_FMT ": anon_vmas %lu and %lu of one chain have different roots",
					  VMA_ARG(vma), av->id, x->id);
		if (x->chk_stamp == stamp)
			return errbuf_set(c->err, "classic: " VMA_FMT ": anon_vma %lu twice in one chain",
					  VMA_ARG(vma), x->id);
		x->chk_stamp = stamp;
		if (x == av)
			has_active = true;
		len++;
	}
	if (!has_active)
		return errbuf_set(c->err, "classic: " VMA_FMT ": its anon_vma %lu is not in its chain",
				  VMA_ARG(vma), av->id);
	if (len == 1 && av != root)
		return errbuf_set(c->err, "classic: " VMA_FMT ": singular chain of non-root anon_vma %lu",
				  VMA_ARG(vma), av->id);
	c->chain_avcs += len;
	av->chk_active++;

	if (check_ptes(c, vma, stamp, true))
		return -1;
	if (!av->chk_vma) {
		av->chk_vma = vma;
		return 0;
	}
	return check_same_chain(c, av->chk_vma, vma);
}

/* Item 12: counters and refcounts against their definitions. */
static int check_counts(struct chk *c)
{
	struct classic_state *cs = c->cs;
	const struct acct *a = &cs->w->acct;
	struct anon_vma *av;

	list_for_each_entry(av, &cs->anon_vmas, node) {
		if (!av_live(c, av->parent))
			return errbuf_set(c->err, "classic: anon_vma %lu: parent is freed",
					  av->id);
		if (!av_live(c, av->root) || av->root->root != av->root)
			return errbuf_set(c->err, "classic: anon_vma %lu: root is freed or not a root",
					  av->id);
		if (!itree_empty(&av->rb_root))
			av->parent->chk_children++;
		if (av->root != av)
			av->root->chk_refs++;
		if (av->wdepth)
			return errbuf_set(c->err, "classic: anon_vma %lu: still write-locked",
					  av->id);
	}
	list_for_each_entry(av, &cs->anon_vmas, node) {
		long ref = !itree_empty(&av->rb_root) +
			(av->root == av ? av->chk_refs : 0);

		if ((long)av->num_active_vmas != av->chk_active)
			return errbuf_set(c->err, "classic: anon_vma %lu: num_active_vmas %lu, %ld VMAs use it",
					  av->id, av->num_active_vmas,
					  av->chk_active);
		if ((long)av->num_children != av->chk_children)
			return errbuf_set(c->err, "classic: anon_vma %lu: num_children %lu, counted %ld",
					  av->id, av->num_children,
					  av->chk_children);
		if (av->refcount != ref)
			return errbuf_set(c->err, "classic: anon_vma %lu: refcount %ld, expected %ld",
					  av->id, av->refcount, ref);
		if (ref <= 0)
			return errbuf_set(c->err, "classic: anon_vma %lu: unreferenced but not freed",
					  av->id);
	}
	if (a->cls[cs->cls_anon_vma].live != (long)cs->nr_anon_vmas)
		return errbuf_set(c->err, "classic: %ld anon_vmas accounted, %lu live",
				  a->cls[cs->cls_anon_vma].live,
				  cs->nr_anon_vmas);
	if (a->cls[cs->cls_avc].live != (long)c->tree_avcs)
		return errbuf_set(c->err, "classic: %ld anon_vma_chains accounted, %lu in trees",
				  a->cls[cs->cls_avc].live, c->tree_avcs);
	if (c->tree_avcs != c->chain_avcs)
		return errbuf_set(c->err, "classic: %lu AVCs in trees but %lu on VMA chains",
				  c->tree_avcs, c->chain_avcs);
	return 0;
}

static int collect(struct chk *c)
{
	struct classic_state *cs = c->cs;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct anon_vma *av;
	size_t i = 0;

	c->avs = calloc(cs->nr_anon_vmas + 1, sizeof(*c->avs));
	if (!c->avs)
		return errbuf_set(c->err, "classic: check: out of memory");
	list_for_each_entry(av, &cs->anon_vmas, node) {
		if (i == cs->nr_anon_vmas)
			return errbuf_set(c->err, "classic: anon_vma list longer than its count");
		c->avs[i++] = av;
		av->chk_active = av->chk_children = av->chk_refs = 0;
		av->chk_vma = NULL;
	}
	c->nr_avs = i;
	if (c->nr_avs > 1)
		qsort(c->avs, c->nr_avs, sizeof(*c->avs), cmp_ptr);

	list_for_each_entry(mm, &cs->w->mms, mmlist) {
		for_each_vma(mm, vma) {
			if (c->nr_vmas == c->cap_vmas) {
				size_t cap = c->cap_vmas ? 2 * c->cap_vmas : 256;
				const void **v = realloc(c->vmas,
							 cap * sizeof(*v));

				if (!v)
					return errbuf_set(c->err, "classic: check: out of memory");
				c->vmas = v;
				c->cap_vmas = cap;
			}
			c->vmas[c->nr_vmas++] = vma;
		}
	}
	if (c->nr_vmas > 1)
		qsort(c->vmas, c->nr_vmas, sizeof(*c->vmas), cmp_ptr);
	return 0;
}

static int check_all(struct chk *c)
{
	struct classic_state *cs = c->cs;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct anon_vma *av;

	if (cs->violation[0])
		return errbuf_set(c->err, "classic: %s", cs->violation);
	if (collect(c))
		return -1;

	c->tree_stamp = ++cs->chk_stamp;
	list_for_each_entry(av, &cs->anon_vmas, node) {
		const struct itree_node *prev = NULL;
		unsigned long count = 0;

		if (check_tree(c, av, av->rb_root.root, &prev, &count, 0))
			return -1;
		if (count != av->rb_root.count)
			return errbuf_set(c->err, "classic: anon_vma %lu: tree count %lu, %lu nodes",
					  av->id, av->rb_root.count, count);
		c->tree_avcs += count;
	}
	list_for_each_entry(mm, &cs->w->mms, mmlist)
		for_each_vma(mm, vma)
			if (check_vma(c, vma))
				return -1;
	return check_counts(c);
}

int classic_check(struct classic_state *cs, struct errbuf *err)
{
	struct chk c = { .cs = cs, .err = err };
	int ret = check_all(&c);

	free(c.avs);
	free(c.vmas);
	return ret;
}

static void dump_one(struct anon_vma *av, FILE *f)
{
	unsigned long visits = av->rb_root.visits;
	struct itree_node *n;

	fprintf(f, "av%lu root=av%lu parent=av%lu children=%lu active=%lu ref=%ld tree:",
		av->id, av->root->id, av->parent->id, av->num_children,
		av->num_active_vmas, av->refcount);
	for (n = itree_min(&av->rb_root); n; n = itree_succ(&av->rb_root, n)) {
		struct anon_vma_chain *avc =
			itree_entry(n, struct anon_vma_chain, rb);

		fprintf(f, " %ld:%lx-%lx", mm_pid(avc->vma->vm_mm),
			avc->vma->vm_start, avc->vma->vm_end);
	}
	fputc('\n', f);
	av->rb_root.visits = visits;	/* a dump is not a walk */
}

void classic_dump(struct classic_state *cs, FILE *f)
{
	struct anon_vma *av;

	list_for_each_entry(av, &cs->anon_vmas, node)
		dump_one(av, f);
}
