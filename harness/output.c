// SPDX-License-Identifier: GPL-2.0-only
/* Output of `rmaplab run`; see output.h. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "core/pgtable.h"
#include "harness/output.h"

static int task_pid_cmp(const void *a, const void *b)
{
	const struct task *x = *(const struct task *const *)a;
	const struct task *y = *(const struct task *const *)b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

void print_maps(FILE *f, struct world *w, bool show_pgoff)
{
	struct task **procs = calloc(w->nr_tasks + 1, sizeof(*procs));
	struct vm_area_struct *vma;
	size_t i, n = 0;

	if (!procs)
		abort();
	for (i = 0; i < w->nr_tasks; i++)
		if (w->tasks[i].alive && w->tasks[i].pid == w->tasks[i].tgid)
			procs[n++] = &w->tasks[i];
	qsort(procs, n, sizeof(*procs), task_pid_cmp);
	for (i = 0; i < n; i++) {
		struct mm_struct *mm = procs[i]->mm;

		fprintf(f, "== %ld\n", procs[i]->pid);
		for_each_vma(mm, vma) {
			unsigned long long off = 0;

			/* Like show_map_vma(): anon VMAs print offset 0. */
			if (vma->vm_file || show_pgoff)
				off = (unsigned long long)vma->vm_pgoff <<
					mm->page_shift;
			fprintf(f, "%08lx-%08lx %c%c%c%c %08llx 00:00 0\n",
				vma->vm_start, vma->vm_end,
				vma->vm_flags & VM_READ ? 'r' : '-',
				vma->vm_flags & VM_WRITE ? 'w' : '-',
				vma->vm_flags & VM_EXEC ? 'x' : '-',
				vma->vm_flags & VM_MAYSHARE ? 's' : 'p', off);
		}
	}
	free(procs);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Join "PID:0xADDR" entries of one page, sorted, into a line. */
static char *page_line(struct rmap_hit *h, size_t n)
{
	char **ent = calloc(n, sizeof(*ent));
	size_t i, len = 1;
	char *line;

	if (!ent)
		abort();
	for (i = 0; i < n; i++) {
		if (asprintf(&ent[i], "%ld:0x%lx", mm_pid(h[i].mm),
			     h[i].addr) < 0)
			abort();
		len += strlen(ent[i]) + 1;
	}
	qsort(ent, n, sizeof(*ent), str_cmp);
	line = calloc(1, len);
	if (!line)
		abort();
	for (i = 0; i < n; i++) {
		if (i)
			strcat(line, " ");
		strcat(line, ent[i]);
		free(ent[i]);
	}
	free(ent);
	return line;
}

/*
 * "swap PID:0xADDR...": the swap entries naming one slot, as the kernel
 * end state lists them; appended to @lines.
 */
static size_t swap_lines(struct world *w, char ***lines, size_t n,
			 size_t *cap)
{
	struct swap_device *sd = &w->swap;
	char ***ent;
	size_t *nent, off, i, len;
	struct mm_struct *mm;
	unsigned long addr;
	struct pte *pte;

	if (!sd->nr)
		return n;
	ent = calloc(sd->nr, sizeof(*ent));
	nent = calloc(sd->nr, sizeof(*nent));
	if (!ent || !nent)
		abort();
	list_for_each_entry(mm, &w->mms, mmlist) {
		for_each_pte_entry(mm, pte, addr, 0, ~0UL) {
			if (is_swap_pte(pte) && swp_offset(pte) < sd->nr) {
				off = swp_offset(pte);
				ent[off] = realloc(ent[off], (nent[off] + 1) *
						   sizeof(**ent));
				if (!ent[off] ||
				    asprintf(&ent[off][nent[off]++],
					     "%ld:0x%lx", mm_pid(mm),
					     addr) < 0)
					abort();
			}
			if (addr + page_size(mm) < addr)
				break;
		}
	}
	for (off = 0; off < sd->nr; off++) {
		char *line;

		if (!nent[off])
			continue;
		qsort(ent[off], nent[off], sizeof(**ent), str_cmp);
		for (i = 0, len = 6; i < nent[off]; i++)
			len += strlen(ent[off][i]) + 1;
		line = calloc(1, len);
		if (!line)
			abort();
		strcpy(line, "swap");
		for (i = 0; i < nent[off]; i++) {
			strcat(line, " ");
			strcat(line, ent[off][i]);
			free(ent[off][i]);
		}
		free(ent[off]);
		if (n == *cap) {
			*cap = *cap ? 2 * *cap : 256;
			*lines = realloc(*lines, *cap * sizeof(**lines));
			if (!*lines)
				abort();
		}
		(*lines)[n++] = line;
	}
	free(ent);
	free(nent);
	return n;
}

char **sharing_lines(struct world *w, bool oracle, size_t *nr,
		     struct rmap_walk_control *rwc)
{
	struct rmap_walk_control local;
	struct rmap_hits hits = { 0 };
	struct folio *folio;
	char **lines = NULL;
	size_t i, j, n = 0, cap = 0;

	if (oracle) {
		oracle_scan(w, &hits);
	} else {
		list_for_each_entry(folio, &w->folios, lru) {
			memset(&local, 0, sizeof(local));
			rmap_walk_verified(w, folio, &hits, &local);
			if (rwc) {
				rwc->candidates += local.candidates;
				rwc->misses += local.misses;
				rwc->nodes += local.nodes;
				rwc->contexts += local.contexts;
				rwc->locks += local.locks;
				rwc->retries += local.retries;
			}
		}
	}
	rmap_hits_sort(&hits);
	for (i = 0; i < hits.nr; i = j) {
		for (j = i + 1; j < hits.nr; j++)
			if (hits.v[j].folio != hits.v[i].folio ||
			    hits.v[j].idx != hits.v[i].idx)
				break;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			lines = realloc(lines, cap * sizeof(*lines));
			if (!lines)
				abort();
		}
		lines[n++] = page_line(&hits.v[i], j - i);
	}
	rmap_hits_free(&hits);
	n = swap_lines(w, &lines, n, &cap);
	if (n)
		qsort(lines, n, sizeof(*lines), str_cmp);
	*nr = n;
	return lines;
}

void print_sharing(FILE *f, struct world *w, struct rmap_walk_control *rwc)
{
	size_t i, n;
	char **lines = sharing_lines(w, false, &n, rwc);

	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
}

void print_stats(FILE *f, struct world *w)
{
	unsigned long allocs, frees;
	int i, op;

	for (i = 0; i < w->acct.nr; i++) {
		const struct obj_class *c = &w->acct.cls[i];

		if (!c->size)
			continue;
		allocs = frees = 0;
		for (op = 0; op < OP_NR; op++) {
			allocs += c->allocs[op];
			frees += c->frees[op];
		}
		fprintf(f, "stat %s %ld %ld %ld %lu %lu\n", c->name, c->live,
			c->peak, c->live * (long)c->size, allocs, frees);
	}
}
