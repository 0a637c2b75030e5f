// SPDX-License-Identifier: GPL-2.0-only
/*
 * Traced tasks and the address spaces they share.  A reaped task stays in
 * the table so that a later task reusing its tid gets a new trace label:
 * labels name one process or thread for the whole recording.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/recorder/rec.h"

static unsigned int tid_hash(pid_t tid)
{
	return (unsigned int)tid % REC_HASH;
}

struct rec_task *rec_task_find(struct recorder *r, pid_t tid)
{
	struct rec_task *task;

	for (task = r->tasks[tid_hash(tid)]; task; task = task->hnext)
		if (task->tid == tid)
			return task;
	return NULL;
}

/*
 * A new live task for @tid.  If an earlier, reaped task had the same tid,
 * its entry is reused with the next generation's label: tid + gen << 32.
 */
struct rec_task *rec_task_new(struct recorder *r, pid_t tid)
{
	struct rec_task *task = rec_task_find(r, tid);
	uint32_t gen = 0;

	if (task) {
		/* the old task must have been reaped for its tid to recur */
		rec_task_reaped(r, task);
		gen = task->gen + 1;
		if (task->mm)
			rec_mm_put(r, task->mm);
		rec_before_free(&task->before);
	} else {
		task = malloc(sizeof(*task));
		if (!task) {
			rec_warn("out of memory");
			exit(2);
		}
		task->hnext = r->tasks[tid_hash(tid)];
		r->tasks[tid_hash(tid)] = task;
	}
	{
		struct rec_task *next = task->hnext;

		memset(task, 0, sizeof(*task));
		task->hnext = next;
	}
	task->tid = tid;
	task->tgid = tid;
	task->gen = gen;
	task->label = (int64_t)tid + ((int64_t)gen << 32);
	task->file = TRACE_NO_FILE;
	r->nr_live++;
	return task;
}

/*
 * A new address space, first used by @tid (after exec or fork).  Its
 * pagemap is opened now: the file stays bound to this mm even when the
 * task later execs, so each mm keeps its own descriptor.
 */
struct rec_mm *rec_mm_new(struct recorder *r, pid_t tid, uint64_t now)
{
	struct rec_mm *mm = calloc(1, sizeof(*mm));
	char path[64];

	if (!mm) {
		rec_warn("out of memory");
		exit(2);
	}
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)tid);
	mm->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	mm->born_ns = now;
	mm->users = 1;
	mm->refs = 1;
	mm->id = ++r->nr_mm;
	return mm;
}

/* A live task starts using @mm. */
void rec_mm_get(struct rec_mm *mm)
{
	mm->users++;
	mm->refs++;
}

/*
 * A live task stops using @mm (exec or death).  The last one closes the
 * pagemap: the kernel frees the address space now, and samples still
 * queued for it can no longer be classified.
 */
void rec_mm_leave(struct recorder *r, struct rec_mm *mm)
{
	if (--mm->users > 0)
		return;
	if (mm->pagemap_fd >= 0)
		close(mm->pagemap_fd);
	mm->pagemap_fd = -1;
}

/* A task entry, live or dead, stops pointing at @mm. */
void rec_mm_put(struct recorder *r, struct rec_mm *mm)
{
	if (--mm->refs > 0)
		return;
	if (mm->pagemap_fd >= 0)
		close(mm->pagemap_fd);
	rec_pageset_free(&mm->seen);
	free(mm);
}

/* Point a live task at @mm (already counted by its creator). */
void rec_task_set_mm(struct recorder *r, struct rec_task *task,
		     struct rec_mm *mm)
{
	if (task->mm) {
		if (!task->dead)
			rec_mm_leave(r, task->mm);
		rec_mm_put(r, task->mm);
	}
	task->mm = mm;
}

void rec_task_reaped(struct recorder *r, struct rec_task *task)
{
	if (task->dead)
		return;
	task->dead = true;
	r->nr_live--;
	if (task->mm)
		rec_mm_leave(r, task->mm);
}

/*
 * The trace label of @task's process: checkpoints describe address spaces
 * of processes, whichever thread triggered them.  The leader's label names
 * the process until the leader's exit event (a leader may end before its
 * threads, pthread_exit()); then the label of a thread still running.
 */
int64_t rec_proc_label(struct recorder *r, struct rec_task *task)
{
	struct rec_task *leader = rec_task_find(r, task->tgid);

	if (leader && !leader->exit_done)
		return leader->label;
	return task->label;
}

void rec_tasks_free(struct recorder *r)
{
	struct rec_task *task, *next;
	int i;

	for (i = 0; i < REC_HASH; i++) {
		for (task = r->tasks[i]; task; task = next) {
			next = task->hnext;
			if (task->mm)
				rec_mm_put(r, task->mm);
			rec_before_free(&task->before);
			free(task);
		}
		r->tasks[i] = NULL;
	}
}
