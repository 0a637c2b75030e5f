// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lazy scheme's invariants (research/schemes.md §5), recomputed from
 * scratch over the whole world, then the classic checker over the
 * upgraded part:
 *
 * 14  every VMA of root R has vma_mapping_base(R) and R's mm, and sits on
 *     R's member list; R's counts equal what refers to it; R lives while
 *     anything refers to it (a folio naming a freed root is reported
 *     without dereferencing it), and a zombie is detached and referenced.
 * 15  every page of a lazy folio F is mapped in R's mm only, at
 *     vma_mapping_base(R) + (F.index + i) * PAGE_SIZE, by a VMA the walk
 *     of R reaches: one of R's family, or (redirect=on) a VMA linked to
 *     the anon_vma R's family became.
 * 16  a lazy VMA has no anon_vma_chain and maps no regular folio (nothing
 *     would find it); the accounting of references and zombies matches.
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/pgtable.h"
#include "core/world.h"
#include "lazy.h"

struct lchk {
	struct lazy_state *ls;
	struct errbuf *err;
	struct lazy_vma **roots;	/* every lazy_vma in use, by ->vma */
	size_t nr;
};

static int cmp_by_vma(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(struct lazy_vma *const *)a)->vma;
	uintptr_t y = (uintptr_t)(*(struct lazy_vma *const *)b)->vma;

	return x < y ? -1 : x > y;
}

/* The state of @vma if it is a live (or zombie) VMA this scheme knows. */
static struct lazy_vma *find(const struct lchk *c,
			     const struct vm_area_struct *vma)
{
	size_t lo = 0, hi = c->nr;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		uintptr_t v = (uintptr_t)c->roots[mid]->vma;

		if (v == (uintptr_t)vma)
			return c->roots[mid];
		if (v < (uintptr_t)vma)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool av_live(struct lazy_state *ls, const struct anon_vma *av)
{
	struct anon_vma *x;

	list_for_each_entry(x, &ls->cs.anon_vmas, node)
		if (x == av)
			return true;
	return false;
}

static bool vma_links(const struct vm_area_struct *vma,
		      const struct anon_vma *av)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->anon_vma == av)
			return true;
	return false;
}

#define VMA_FMT "pid %ld vma %lx-%lx"
#define VMA_ARG(v) mm_pid((v)->vm_mm), (v)->vm_start, (v)->vm_end

static int collect(struct lchk *c)
{
	struct lazy_state *ls = c->ls;
	struct lazy_vma *l;
	size_t i = 0;

	c->roots = calloc(ls->nr_used + 1, sizeof(*c->roots));
	if (!c->roots)
		return errbuf_set(c->err, "lazy: check: out of memory");
	list_for_each_entry(l, &ls->used, pool) {
		if (i == ls->nr_used || !l->vma)
			return errbuf_set(c->err, "lazy: lazy_vma pool list corrupt");
		l->chk_members = l->chk_folios = 0;
		c->roots[i++] = l;
	}
	if (i != ls->nr_used)
		return errbuf_set(c->err, "lazy: %lu lazy_vma in use, %zu on the list",
				  ls->nr_used, i);
	c->nr = i;
	qsort(c->roots, c->nr, sizeof(*c->roots), cmp_by_vma);
	return 0;
}

/* Item 14, the folio half: every lazy folio names a root that lives. */
static int check_folios(struct lchk *c)
{
	struct folio *f;

	list_for_each_entry(f, &c->ls->w->folios, lru) {
		struct vm_area_struct *root = folio_lazy_root(f);
		struct lazy_vma *r;

		if (!root)
			continue;
		r = find(c, root);
		if (!r)
			return errbuf_set(c->err, "lazy: folio pfn %lx names a root VMA that was freed",
					  f->pfn);
		r->chk_folios++;
	}
	return 0;
}

/* Item 15 for one page of a lazy folio. */
static int check_lazy_page(struct lchk *c, struct vm_area_struct *vma,
			   unsigned long addr, const struct pte *pte)
{
	struct lazy_state *ls = c->ls;
	struct folio *f = pte->folio;
	struct vm_area_struct *root = folio_lazy_root(f);
	struct lazy_vma *r = find(c, root);
	unsigned long want;

	if (root->vm_mm != vma->vm_mm)
		return errbuf_set(c->err, "lazy: " VMA_FMT ": page at %lx (pfn %lx) names root VMA %lu of pid %ld: a lazy folio in two mms",
				  VMA_ARG(vma), addr, f->pfn, root->id,
				  mm_pid(root->vm_mm));
	want = vma_mapping_base(root) +
		((f->index + pte->idx) << vma->vm_mm->page_shift);
	if (want != addr)
		return errbuf_set(c->err, "lazy: " VMA_FMT ": page at %lx (pfn %lx index %lx+%u) is expected at %lx from root VMA %lu",
				  VMA_ARG(vma), addr, f->pfn, f->index,
				  pte->idx, want, root->id);
	if (lazy_root_of(vma) == root)
		return 0;
	if (r->upgraded && ls->p.redirect && !lazy_root_of(vma) &&
	    vma_links(vma, r->upgraded)) {
		if (!av_live(ls, r->upgraded))
			return errbuf_set(c->err, "lazy: root VMA %lu redirects to a freed anon_vma",
					  root->id);
		return 0;
	}
	return errbuf_set(c->err, "lazy: " VMA_FMT ": page at %lx (pfn %lx) of lazy root VMA %lu is in a VMA the walk of that root does not reach",
			  VMA_ARG(vma), addr, f->pfn, root->id);
}

/* Items 14 (VMA half), 15 and 16 for one VMA of an mm. */
static int check_vma(struct lchk *c, struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct lazy_vma *l = lazy_vma_of(vma), *r;
	struct vm_area_struct *root = NULL;
	unsigned long addr;
	struct pte *pte;

	if (lazy_tagged(vma->anon_vma)) {
		root = lazy_untag(vma->anon_vma);
		if (!l || l->root != root)
			return errbuf_set(c->err, "lazy: " VMA_FMT ": tagged with a root it is not a member of",
					  VMA_ARG(vma));
		r = find(c, root);
		if (!r)
			return errbuf_set(c->err, "lazy: " VMA_FMT ": its root VMA was freed",
					  VMA_ARG(vma));
		if (root->vm_mm != mm)
			return errbuf_set(c->err, "lazy: " VMA_FMT ": root VMA %lu is in pid %ld",
					  VMA_ARG(vma), root->id,
					  mm_pid(root->vm_mm));
		if (vma_mapping_base(vma) != vma_mapping_base(root))
			return errbuf_set(c->err, "lazy: " VMA_FMT ": mapping base %lx, its root VMA %lu has %lx",
					  VMA_ARG(vma), vma_mapping_base(vma),
					  root->id, vma_mapping_base(root));
		if (!list_empty(&vma->anon_vma_chain))
			return errbuf_set(c->err, "lazy: " VMA_FMT ": lazy and linked to anon_vmas",
					  VMA_ARG(vma));
		if (root->detached && !r->zombie)
			return errbuf_set(c->err, "lazy: " VMA_FMT ": root VMA %lu is detached but not kept as a zombie",
					  VMA_ARG(vma), root->id);
		r->chk_members++;
	} else if (l && l->root) {
		return errbuf_set(c->err, "lazy: " VMA_FMT ": member of root VMA %lu without the lazy tag",
				  VMA_ARG(vma), l->root->id);
	}
	/* ANON_VMA_TREE_PARENT rides on an anon_vma it is linked to. */
	if (l && l->tree_parent) {
		struct anon_vma *av = classic_vma_anon_vma(&c->ls->cs, vma);

		if (!av || root || list_empty(&vma->anon_vma_chain))
			return errbuf_set(c->err, "lazy: " VMA_FMT ": riding on its parent's anon_vma without one",
					  VMA_ARG(vma));
		if (c->ls->p.child != LAZY_CHILD_TREE)
			return errbuf_set(c->err, "lazy: " VMA_FMT ": riding until fork under child=%s",
					  VMA_ARG(vma),
					  c->ls->p.child == LAZY_CHILD_PARENT ?
					  "parent" : "classic");
	}

	for_each_present_pte(mm, pte, addr, vma->vm_start, vma->vm_end) {
		if (folio_lazy_root(pte->folio)) {
			if (check_lazy_page(c, vma, addr, pte))
				return -1;
		} else if (root && classic_folio_anon_vma(pte->folio)) {
			return errbuf_set(c->err, "lazy: " VMA_FMT ": page at %lx (pfn %lx) is a regular folio in a lazy VMA",
					  VMA_ARG(vma), addr, pte->folio->pfn);
		}
	}
	return 0;
}

/* Item 14, the root half, and the accounting. */
static int check_roots(struct lchk *c)
{
	struct lazy_state *ls = c->ls;
	const struct acct *a = &ls->w->acct;
	long zombies = 0, refs = 0;
	size_t i;

	for (i = 0; i < c->nr; i++) {
		struct lazy_vma *r = c->roots[i], *m;
		unsigned long n = 0;

		if (r->nr_members != r->chk_members)
			return errbuf_set(c->err, "lazy: root VMA %lu counts %lu members, %lu VMAs name it",
					  r->vma->id, r->nr_members,
					  r->chk_members);
		if (r->folio_refs != r->chk_folios)
			return errbuf_set(c->err, "lazy: root VMA %lu counts %lu folios, %lu folios name it",
					  r->vma->id, r->folio_refs,
					  r->chk_folios);
		list_for_each_entry(m, &r->members, member) {
			if (m->root != r->vma)
				return errbuf_set(c->err, "lazy: root VMA %lu lists a member of another root",
						  r->vma->id);
			if (m->vma != r->vma)
				refs++;
			n++;
		}
		if (n != r->nr_members)
			return errbuf_set(c->err, "lazy: root VMA %lu lists %lu members, counts %lu",
					  r->vma->id, n, r->nr_members);
		if (r->zombie) {
			if (!r->vma->detached)
				return errbuf_set(c->err, "lazy: zombie root VMA %lu is still mapped",
						  r->vma->id);
			if (!r->nr_members && !r->folio_refs)
				return errbuf_set(c->err, "lazy: zombie root VMA %lu is referenced by nothing (leak)",
						  r->vma->id);
			zombies++;
		} else if (r->vma->detached) {
			return errbuf_set(c->err, "lazy: VMA %lu was released but its lazy state lives on",
					  r->vma->id);
		}
		if (r->upgraded && r->folio_refs && ls->p.redirect &&
		    !av_live(ls, r->upgraded))
			return errbuf_set(c->err, "lazy: root VMA %lu: its folios redirect to a freed anon_vma",
					  r->vma->id);
	}
	if (a->cls[ls->cls_zombie].live != zombies)
		return errbuf_set(c->err, "lazy: %ld zombie VMAs accounted, %ld kept",
				  a->cls[ls->cls_zombie].live, zombies);
	if (a->cls[ls->cls_ref].live != refs)
		return errbuf_set(c->err, "lazy: %ld root references accounted, %ld held",
				  a->cls[ls->cls_ref].live, refs);
	return 0;
}

static int check_all(struct lchk *c)
{
	struct lazy_state *ls = c->ls;
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	if (ls->violation[0])
		return errbuf_set(c->err, "lazy: %s", ls->violation);
	if (collect(c) || check_folios(c))
		return -1;
	list_for_each_entry(mm, &ls->w->mms, mmlist)
		for_each_vma(mm, vma)
			if (check_vma(c, vma))
				return -1;
	if (check_roots(c))
		return -1;
	if (classic_check(&ls->cs, c->err)) {
		char msg[sizeof(c->err->msg)];

		snprintf(msg, sizeof(msg), "%s", c->err->msg);
		return errbuf_set(c->err, "lazy (upgraded): %.480s", msg);
	}
	return 0;
}

int lazy_check(struct lazy_state *ls, struct errbuf *err)
{
	struct lchk c = { .ls = ls, .err = err };
	int ret = check_all(&c);

	free(c.roots);
	return ret;
}

void lazy_dump(struct lazy_state *ls, FILE *f)
{
	struct lazy_vma *r, *m;

	list_for_each_entry(r, &ls->used, pool) {
		if (!r->nr_members && !r->folio_refs)
			continue;
		fprintf(f, "root%lu pid %ld %lx-%lx base=%lx%s folios=%lu",
			r->root_id, mm_pid(r->vma->vm_mm), r->vma->vm_start,
			r->vma->vm_end, vma_mapping_base(r->vma),
			r->zombie ? " zombie" : "", r->folio_refs);
		if (r->upgraded && r->folio_refs)
			fprintf(f, " upgraded=av%lu", r->upgraded->id);
		fprintf(f, " members:");
		list_for_each_entry(m, &r->members, member)
			fprintf(f, " %lx-%lx", m->vma->vm_start, m->vma->vm_end);
		fputc('\n', f);
	}
}
