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
	bool oom;
};

static void scan_run(struct recorder *r, void *arg, uint64_t start,
		     uint64_t end)
{
	struct scan_ctx *c = arg;
	struct page_state ps[256];
	struct cp_page *pg;
	uint64_t addr;
	int n, i;

	for (addr = start; addr < end; addr += (uint64_t)n * r->page_size) {
		size_t want = (end - addr) / r->page_size;

		if (want > 256)
			want = 256;
		n = rec_page_states(r, c->pagemap_fd, addr, want, ps, NULL);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++) {
			/* anon folios only: not file, shmem or zero pages */
			if (!ps[i].anon)
				continue;
			if (c->proc->nr_pages == c->cap) {
				size_t cap = c->cap ? c->cap * 2 : 256;
				void *p = realloc(c->proc->pages,
						  cap * sizeof(*pg));

				if (!p) {
					c->oom = true;
					return;
				}
				c->proc->pages = p;
				c->cap = cap;
			}
			pg = &c->proc->pages[c->proc->nr_pages++];
			memset(pg, 0, sizeof(*pg));
			pg->addr = addr + (uint64_t)i * r->page_size;
			pg->pfn = ps[i].pfn;
			pg->kflags = ps[i].kflags;
			pg->anon = ps[i].anon;
		}
	}
}

static int snapshot_proc(struct recorder *r, struct rec_task *task,
			 struct cp_proc *proc)
{
	struct rec_vma *v = NULL;
	struct scan_ctx c = { .proc = proc };
	size_t n = 0, i;

	memset(proc, 0, sizeof(*proc));
	proc->pid = task->label;
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
		rec_present_runs(r, c.pagemap_fd, v[i].start, v[i].end,
				 scan_run, &c);
	}
	free(v);
	return c.oom ? -1 : 0;
}

/*
 * Take a checkpoint of the address spaces of @tasks (one entry per task,
 * labelled with its trace label) and emit EV_CHECKPOINT at @time.
 */
int rec_checkpoint(struct recorder *r, const char *reason,
		   struct rec_task **tasks, int nr, uint64_t time)
{
	struct trace *t = r->t;
	struct trace_checkpoint *cp;
	struct trace_event *ev;
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
	snprintf(cp->reason, sizeof(cp->reason), "%s", reason);
	cp->anon_vma = -1;
	cp->anon_vma_chain = -1;
	cp->has_pfns = r->has_pfns;
	cp->procs = calloc(nr, sizeof(*cp->procs));
	if (!cp->procs)
		return -1;
	rec_kcache_reset(r, true);
	for (i = 0; i < nr; i++) {
		/* a task that vanished meanwhile is left out */
		if (snapshot_proc(r, tasks[i], &cp->procs[cp->nr_procs])) {
			free(cp->procs[cp->nr_procs].vmas);
			free(cp->procs[cp->nr_procs].pages);
			continue;
		}
		cp->nr_procs++;
	}
	rec_kcache_reset(r, false);
	ev = rec_emit(r, EV_CHECKPOINT, tasks[0]->label, time);
	ev->cp = (uint32_t)t->nr_cps;
	t->nr_cps++;
	r->nr_cps++;
	r->since_cp = 0;
	return 0;
}
