// SPDX-License-Identifier: GPL-2.0-only
/*
 * Augmented AVL tree; see itree.h.  Recursive on purpose: depth is bounded
 * by 1.44 log2(n), and recursion keeps the rebalancing obviously correct.
 */
#include "itree.h"
#include "lock_work.h"

static inline int height(const struct itree_node *n)
{
	return n ? n->height : 0;
}

static inline bool key_less(const struct itree_node *a,
			    const struct itree_node *b)
{
	if (a->start != b->start)
		return a->start < b->start;
	return a->seq < b->seq;
}

static void update(struct itree_node *n)
{
	int hl = height(n->left), hr = height(n->right);
	unsigned long sl = n->last;

	n->height = (hl > hr ? hl : hr) + 1;
	if (n->left && n->left->subtree_last > sl)
		sl = n->left->subtree_last;
	if (n->right && n->right->subtree_last > sl)
		sl = n->right->subtree_last;
	n->subtree_last = sl;
}

static struct itree_node *rotate_right(struct itree_node *n)
{
	struct itree_node *l = n->left;

	n->left = l->right;
	l->right = n;
	update(n);
	update(l);
	return l;
}

static struct itree_node *rotate_left(struct itree_node *n)
{
	struct itree_node *r = n->right;

	n->right = r->left;
	r->left = n;
	update(n);
	update(r);
	return r;
}

static struct itree_node *balance(struct itree_node *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct itree_node *insert(struct itree_node *n, struct itree_node *x)
{
	if (!n)
		return x;
	if (key_less(x, n))
		n->left = insert(n->left, x);
	else
		n->right = insert(n->right, x);
	return balance(n);
}

void itree_insert(struct itree_root *root, struct itree_node *node)
{
	node->left = node->right = NULL;
	node->height = 1;
	node->subtree_last = node->last;
	node->seq = root->next_seq++;
	root->root = insert(root->root, node);
	root->count++;
	if (!root->vma_tree)
		lock_work_add(LW_LINK, 1);
}

static struct itree_node *remove_min(struct itree_node *n,
				     struct itree_node **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = remove_min(n->left, min);
	return balance(n);
}

static struct itree_node *remove(struct itree_node *n,
				 const struct itree_node *x, bool *found)
{
	struct itree_node *min;

	if (!n)
		return NULL;
	if (n == x) {
		*found = true;
		if (!n->right)
			return n->left;
		n->right = remove_min(n->right, &min);
		min->left = n->left;
		min->right = n->right;
		return balance(min);
	}
	if (key_less(x, n))
		n->left = remove(n->left, x, found);
	else
		n->right = remove(n->right, x, found);
	return balance(n);
}

void itree_remove(struct itree_root *root, struct itree_node *node)
{
	bool found = false;

	root->root = remove(root->root, node, &found);
	if (found) {
		root->count--;
		if (!root->vma_tree)
			lock_work_add(LW_UNLINK, 1);
	}
	node->left = node->right = NULL;
}

/*
 * Re-key @x to [start, last] where that keeps its place in the order:
 * descend to it with its old key, change it, and recompute the augmented
 * values on the way back up.  No rebalancing is needed.
 */
static bool update_path(struct itree_node *n, struct itree_node *x,
			unsigned long start, unsigned long last)
{
	bool found;

	if (!n)
		return false;
	if (n == x) {
		x->start = start;
		x->last = last;
		update(x);
		return true;
	}
	if (key_less(x, n))
		found = update_path(n->left, x, start, last);
	else
		found = update_path(n->right, x, start, last);
	if (found)
		update(n);
	return found;
}

void itree_rekey(struct itree_root *root, struct itree_node *node,
		 unsigned long start, unsigned long last)
{
	update_path(root->root, node, start, last);
}

/*
 * First node after @after (NULL: from the beginning) in order that
 * overlaps [s, l].  Subtrees whose subtree_last < s are skipped whole, and
 * once a node starts beyond l nothing to its right can overlap.
 */
static struct itree_node *first_after(struct itree_root *root,
				      struct itree_node *n,
				      const struct itree_node *after,
				      unsigned long s, unsigned long l)
{
	struct itree_node *r;

	while (n) {
		root->visits++;
		lock_work_add(LW_NODE, 1);
		if (n->subtree_last < s)
			return NULL;
		if (after && !key_less(after, n)) {
			n = n->right;
			continue;
		}
		r = first_after(root, n->left, after, s, l);
		if (r)
			return r;
		if (n->start > l)
			return NULL;
		if (n->last >= s)
			return n;
		n = n->right;
	}
	return NULL;
}

struct itree_node *itree_first(struct itree_root *root, unsigned long start,
			       unsigned long last)
{
	return first_after(root, root->root, NULL, start, last);
}

struct itree_node *itree_next(struct itree_root *root,
			      const struct itree_node *node,
			      unsigned long start, unsigned long last)
{
	return first_after(root, root->root, node, start, last);
}

struct itree_node *itree_min(struct itree_root *root)
{
	struct itree_node *n = root->root;

	while (n && n->left)
		n = n->left;
	return n;
}

struct itree_node *itree_max(struct itree_root *root)
{
	struct itree_node *n = root->root;

	while (n && n->right)
		n = n->right;
	return n;
}

struct itree_node *itree_succ(struct itree_root *root,
			      const struct itree_node *node)
{
	struct itree_node *n = root->root, *best = NULL;

	while (n) {
		root->visits++;
		lock_work_add(LW_NODE, 1);
		if (key_less(node, n)) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

struct itree_node *itree_pred(struct itree_root *root,
			      const struct itree_node *node)
{
	struct itree_node *n = root->root, *best = NULL;

	while (n) {
		root->visits++;
		lock_work_add(LW_NODE, 1);
		if (key_less(n, node)) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}

struct itree_node *itree_floor(struct itree_root *root, unsigned long addr)
{
	struct itree_node *n = root->root, *best = NULL;

	while (n) {
		root->visits++;
		lock_work_add(LW_NODE, 1);
		if (n->start <= addr) {
			best = n;
			n = n->right;
		} else {
			n = n->left;
		}
	}
	return best;
}
