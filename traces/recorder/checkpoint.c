// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checkpoints: the kernel's own view of an address space at one moment,
 * /proc/PID/maps lines plus every present anon page with its PFN and
 * kpageflags, the ground truth a replay is compared against.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/recorder/rec.h"

/* File identity as the trace stores it: "MAJ:MIN:INODE", as maps shows. */
void rec_file_name(char *buf, size_t len, unsigned int maj,
		   unsigned int min, uint64_t ino)
{
	snprintf(buf, len, "%02x:%02x:%" PRIu64, maj, min, ino);
}

/* Parse /proc/PID/maps.  Returns 0, or -1 if the task is gone. */
int rec_read_maps(pid_t pid, struct rec_vma **vmas, size_t *nr)
{
	char path[64], line[4352];
	struct rec_vma *v = NULL, *p;
	size_t n = 0, cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		struct rec_vma m;
		int name_at = 0;
		size_t l;

		memset(&m, 0, sizeof(m));
		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64
			   " %x:%x %" SCNu64 " %n", &m.start, &m.end, m.perms,
			   &m.offset, &m.maj, &m.min, &m.ino, &name_at) < 7)
			continue;
		if (name_at > 0) {
			snprintf(m.name, sizeof(m.name), "%s", line + name_at);
			l = strlen(m.name);
			while (l && (m.name[l - 1] == '\n' ||
				     m.name[l - 1] == ' '))
				m.name[--l] = 0;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			p = realloc(v, cap * sizeof(*v));
			if (!p) {
				free(v);
				fclose(f);
				return -1;
			}
			v = p;
		}
		v[n++] = m;
	}
	fclose(f);
	*vmas = v;
	*nr = n;
	return 0;
}

struct scan_ctx {
	struct cp_proc *proc;
	size_t cap;
	int pagemap_fd;
	bool private;		/* the VMA being scanned is MAP_PRIVATE */
	bool oom;
};

static void scan_page(struct recorder *r, void *arg, uint64_t va,
		      const struct page_state *ps)
{
	struct scan_ctx *c = arg;
	struct cp_page *pg;
	void *p;

	/*
	 * anon folios only: not file, shmem or zero pages; and the swap
	 * entries of private mappings (anon memory in swap: shmem's swap
	 * lives in its page cache, not in PTEs)
	 */
	if (!(ps->anon || (ps->swapped && c->private)) || c->oom)
		return;
	if (c->proc->nr_pages == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;

		p = realloc(c->proc->pages, cap * sizeof(*pg));
		if (!p) {
			c->oom = true;
			return;
		}
		c->proc->pages = p;
		c->cap = cap;
	}
	pg = &c->proc->pages[c->proc->nr_pages++];
	memset(pg, 0, sizeof(*pg));
	pg->addr = va;
	pg->pfn = ps->pfn;
	pg->kflags = ps->kflags;
	pg->anon = ps->anon;
	pg->swap = ps->swapped;
	pg->swap_type = ps->swap_type;
}

static int snapshot_proc(struct recorder *r, struct rec_task *task,
			 struct cp_proc *proc)
{
	struct rec_vma *v = NULL;
	struct scan_ctx c = { .proc = proc };
	size_t n = 0, i;

	memset(proc, 0, sizeof(*proc));
	/* a process, whichever of its threads triggered the checkpoint */
	proc->pid = rec_proc_label(r, task);
	if (rec_read_maps(task->tid, &v, &n))
		return -1;
	proc->vmas = calloc(n ? n : 1, sizeof(*proc->vmas));
	if (!proc->vmas) {
		free(v);
		return -1;
	}
	c.pagemap_fd = task->mm ? task->mm->pagemap_fd : -1;
	for (i = 0; i < n; i++) {
		struct cp_vma *cv = &proc->vmas[proc->nr_vmas++];

		cv->start = v[i].start;
		cv->end = v[i].end;
		cv->offset = v[i].offset;
		memcpy(cv->perms, v[i].perms, sizeof(cv->perms));
		/* long paths are cut to the checkpoint's field */
		snprintf(cv->name, sizeof(cv->name), "%.*s",
			 (int)sizeof(cv->name) - 1, v[i].name);
		if (v[i].start >= (1ULL << 56))
			continue;	/* [vsyscall] */
		c.private = v[i].perms[3] == 'p';
		rec_mapped_pages(r, c.pagemap_fd, v[i].start, v[i].end,
				 scan_page, &c);
	}
	free(v);
	return c.oom ? -1 : 0;
}

/*
 * Anon pages of @proc the trace did not make present: filled by the
 * kernel without a fault the recorder saw (a write through /proc/PID/mem
 * or process_vm_writev, a userfaultfd copy, khugepaged, a kernel-mode
 * fault not sampled without root).  Counted, remembered as seen, and
 * returned in @runs as runs of pages, for faults emitted after the
 * checkpoint so the trace goes on from the kernel's state.
 */
static size_t unseen_pages(struct recorder *r, struct rec_task *task,
			   const struct cp_proc *proc, uint64_t (**runs)[2],
			   size_t *nr_runs)
{
	struct rec_mm *mm = task->mm;
	size_t i, n = 0, cap = 0;
	uint64_t addr;
	void *p;

	*runs = NULL;
	*nr_runs = 0;
	if (!mm)
		return 0;
	for (i = 0; i < proc->nr_pages; i++) {
		addr = proc->pages[i].addr;
		/* a swap entry is no page to fault in */
		if (proc->pages[i].swap ||
		    rec_pageset_has(&mm->seen, addr) ||
		    rec_perf_pending(r, mm, addr))
			continue;
		rec_pageset_add(&mm->seen, addr);
		n++;
		if (*nr_runs && (*runs)[*nr_runs - 1][1] == addr) {
			(*runs)[*nr_runs - 1][1] = addr + r->page_size;
			continue;
		}
		if (*nr_runs == cap) {
			cap = cap ? cap * 2 : 16;
			p = realloc(*runs, cap * sizeof(**runs));
			if (!p)
				continue;
			*runs = p;
		}
		(*runs)[*nr_runs][0] = addr;
		(*runs)[(*nr_runs)++][1] = addr + r->page_size;
	}
	return n;
}

/*
 * Take a checkpoint of the address spaces of @tasks (one entry per task,
 * labelled with its process's label) and emit EV_CHECKPOINT at @time.
 * Its reason gets "-unseen" when it shows anon pages no recorded fault
 * put there; faults for them follow it.
 */
int rec_checkpoint(struct recorder *r, const char *reason,
		   struct rec_task **tasks, int nr, uint64_t time)
{
	struct trace *t = r->t;
	struct trace_checkpoint *cp;
	struct trace_event *ev;
	uint64_t (*runs[2])[2] = { NULL, NULL };
	size_t nr_runs[2] = { 0, 0 }, unseen = 0, k;
	struct rec_task *owner[2] = { NULL, NULL };
	void *p;
	int i;

	if (!r->opts->checkpoints || nr <= 0)
		return 0;
	p = realloc(t->cps, (t->nr_cps + 1) * sizeof(*t->cps));
	if (!p)
		return -1;
	t->cps = p;
	cp = &t->cps[t->nr_cps];
	memset(cp, 0, sizeof(*cp));
	cp->anon_vma = -1;
	cp->anon_vma_chain = -1;
	cp->has_pfns = r->has_pfns;
	cp->procs = calloc(nr, sizeof(*cp->procs));
	if (!cp->procs)
		return -1;
	rec_kcache_reset(r, true);
	for (i = 0; i < nr; i++) {
		struct cp_proc *proc = &cp->procs[cp->nr_procs];

		/* a task that vanished meanwhile is left out */
		if (snapshot_proc(r, tasks[i], proc)) {
			free(proc->vmas);
			free(proc->pages);
			continue;
		}
		if (cp->nr_procs < 2) {
			owner[cp->nr_procs] = tasks[i];
			unseen += unseen_pages(r, tasks[i], proc,
					       &runs[cp->nr_procs],
					       &nr_runs[cp->nr_procs]);
		}
		cp->nr_procs++;
	}
	rec_kcache_reset(r, false);
	snprintf(cp->reason, sizeof(cp->reason), "%s%s", reason,
		 unseen ? "-unseen" : "");
	ev = rec_emit(r, EV_CHECKPOINT, rec_proc_label(r, tasks[0]), time);
	ev->cp = (uint32_t)t->nr_cps;
	t->nr_cps++;
	r->nr_cps++;
	if (unseen) {
		r->nr_unseen += unseen;
		r->nr_unseen_cps++;
	}
	for (i = 0; i < 2; i++) {
		for (k = 0; k < nr_runs[i]; k++)
			rec_emit_present(r, owner[i], runs[i][k][0],
					 runs[i][k][1], time);
		free(runs[i]);
	}
	r->since_cp = 0;
	r->cp_pending = true;
	return 0;
}
