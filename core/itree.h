/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An intrusive, augmented AVL interval tree.
 *
 * One balanced tree serves every ordered structure of the model: an mm's
 * VMA tree (the kernel's maple tree: disjoint [vm_start, vm_end - 1]), the
 * anon_vma interval tree keyed by [vm_pgoff, vm_pgoff + pages - 1], and
 * cowctx's remap ranges.  Nodes are ordered by (start, seq), where seq is
 * handed out at insertion, so equal starts keep insertion order exactly as
 * the kernel's interval tree places an equal key to the right: mremap's
 * need_rmap_locks reasoning depends on that order.
 *
 * Queries are O(log n + k).  Every node a query touches is counted in
 * root->visits, which the harness reports as "tree nodes visited".
 */
#ifndef RMAPLAB_CORE_ITREE_H
#define RMAPLAB_CORE_ITREE_H

#include <stdbool.h>
#include <stddef.h>

#include "list.h"

struct itree_node {
	struct itree_node *left, *right;
	unsigned long start, last;	/* closed interval */
	unsigned long subtree_last;	/* max(last) below and at this node */
	unsigned long seq;
	int height;
};

struct itree_root {
	struct itree_node *root;
	unsigned long next_seq;
	unsigned long count;
	unsigned long visits;
	bool vma_tree;			/* inserts are not rmap links */
};

#define ITREE_ROOT_INIT { NULL, 0, 0, 0, false }

/* Caller sets node->start and node->last first. */
void itree_insert(struct itree_root *root, struct itree_node *node);
void itree_remove(struct itree_root *root, struct itree_node *node);

/*
 * Change @node's interval in place.  Only for changes that keep its place
 * in the order (disjoint intervals such as VMAs never pass each other);
 * otherwise remove and insert again.
 */
void itree_rekey(struct itree_root *root, struct itree_node *node,
		 unsigned long start, unsigned long last);

/* First node in (start, seq) order overlapping [start, last], or NULL. */
struct itree_node *itree_first(struct itree_root *root, unsigned long start,
			       unsigned long last);
/* Next node after @node in order overlapping [start, last], or NULL. */
struct itree_node *itree_next(struct itree_root *root,
			      const struct itree_node *node,
			      unsigned long start, unsigned long last);

/* In-order neighbours, regardless of intervals. */
struct itree_node *itree_min(struct itree_root *root);
struct itree_node *itree_max(struct itree_root *root);
struct itree_node *itree_succ(struct itree_root *root,
			      const struct itree_node *node);
struct itree_node *itree_pred(struct itree_root *root,
			      const struct itree_node *node);
/* Last node whose start is <= addr, or NULL. */
struct itree_node *itree_floor(struct itree_root *root, unsigned long addr);

static inline bool itree_empty(const struct itree_root *root)
{
	return root->root == NULL;
}

#define itree_entry(ptr, type, member) container_of(ptr, type, member)

#endif /* RMAPLAB_CORE_ITREE_H */
