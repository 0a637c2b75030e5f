// SPDX-License-Identifier: GPL-2.0-only
/*
 * move_pages(), migrate_pages() and mbind(MPOL_MF_MOVE*): which anon pages
 * really moved.  The frames of the pages a call may move are read at its
 * entry and again at its exit; each run of pages now on another frame
 * becomes a `migrate` event of the process they belong to (the folio
 * moves for every process that maps it, as migrate_pages() moves it).  On
 * a machine with one NUMA node nothing ever moves and nothing is written.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "traces/recorder/rec.h"

#define MPOL_MF_MOVE		(1 << 1)
#define MPOL_MF_MOVE_ALL	(1 << 2)
/* move_pages() arrays read at most (the kernel takes them in chunks) */
#define MOVE_PAGES_MAX		(1 << 20)

/* The task whose mm a call on process @pid acts on (0: the caller). */
static struct rec_task *target(struct recorder *r, struct rec_task *task,
			       int64_t pid)
{
	struct rec_task *t;

	if (!pid || pid == task->tgid)
		return task;
	t = rec_task_find(r, (pid_t)pid);
	return t && t->mm && !t->exited ? t : NULL;
}

static void collect(struct recorder *r, struct rec_task *t, uint64_t start,
		    uint64_t end)
{
	rec_before_collect(r, t, start, end);
}

/* move_pages(): the page addresses of its array. */
static void collect_array(struct recorder *r, struct rec_task *task,
			  struct rec_task *t)
{
	uint64_t n = task->args[1], i, *v;
	char path[64];
	ssize_t got;
	int fd;

	if (!n || !task->args[3])	/* no nodes: a query, nothing moves */
		return;
	if (n > MOVE_PAGES_MAX)
		n = MOVE_PAGES_MAX;
	v = malloc(n * sizeof(*v));
	if (!v)
		return;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)task->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	got = fd < 0 ? -1 : pread(fd, v, n * sizeof(*v), task->args[2]);
	if (fd >= 0)
		close(fd);
	for (i = 0; got > 0 && i < (uint64_t)got / sizeof(*v); i++) {
		uint64_t page = v[i] & ~(uint64_t)(r->page_size - 1);

		collect(r, t, page, page + r->page_size);
	}
	free(v);
}

void rec_migrate_start(struct recorder *r, struct rec_task *task)
{
	struct rec_vma *v = NULL;
	struct rec_task *t;
	size_t n = 0, i;
	uint64_t psz = r->page_size;

	task->migrating = NULL;
	switch (task->sys) {
	case RSYS_MOVE_PAGES:
		t = target(r, task, (int64_t)(int)task->args[0]);
		if (t)
			collect_array(r, task, t);
		break;
	case RSYS_MIGRATE_PAGES:
		t = target(r, task, (int64_t)(int)task->args[0]);
		if (!t || rec_read_maps(t->tid, &v, &n))
			return;
		for (i = 0; i < n; i++)
			if (v[i].start < (1ULL << 56))
				collect(r, t, v[i].start, v[i].end);
		free(v);
		break;
	case RSYS_MBIND:
		if (!(task->args[5] & (MPOL_MF_MOVE | MPOL_MF_MOVE_ALL)))
			return;
		t = task;
		collect(r, t, task->args[0] & ~(psz - 1),
			(task->args[0] + task->args[1] + psz - 1) &
			~(psz - 1));
		break;
	default:
		return;
	}
	task->migrating = t;
}

static void emit_run(struct recorder *r, struct rec_task *t, uint64_t start,
		     uint64_t end, uint64_t now)
{
	struct trace_event *ev;

	if (end <= start)
		return;
	ev = rec_emit(r, EV_MIGRATE, rec_proc_label(r, t), now);
	ev->addr = start;
	ev->len = end - start;
	ev->has_result = 1;
	ev->result = 0;
	r->nr_migrated += (end - start) / r->page_size;
}

void rec_migrate_end(struct recorder *r, struct rec_task *task, uint64_t now)
{
	struct rec_task *t = task->migrating;
	const struct rec_before *b = &task->before;
	uint64_t run_start = 0, run_end = 0;
	struct page_state ps;
	size_t i;

	task->migrating = NULL;
	if (!t || !t->mm)
		return;
	for (i = 0; i < b->n; i++) {
		const struct rec_before_page *p = &b->pg[i];
		bool moved;

		if (!p->anon)
			continue;
		moved = rec_page_states(r, t->mm->pagemap_fd, p->addr, 1, &ps,
					NULL) == 1 && ps.anon && ps.pfn != p->pfn;
		if (moved && p->addr == run_end) {
			run_end += r->page_size;
			continue;
		}
		emit_run(r, t, run_start, run_end, now);
		run_start = run_end = 0;
		if (moved) {
			run_start = p->addr;
			run_end = p->addr + r->page_size;
		}
	}
	emit_run(r, t, run_start, run_end, now);
}
