// SPDX-License-Identifier: GPL-2.0-only
/* The world: tasks, mms, files and accounting of one replay. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folio.h"
#include "pgtable.h"
#include "vma.h"

struct mm_struct *mm_alloc(struct world *w, long owner)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		abort();
	mm->world = w;
	mm->page_shift = w->page_shift;
	mm->pgd = pgtable_new(w->pt_cache, w->page_shift);
	mm->mm_users = 1;
	mm->id = w->next_mm_id++;
	mm->owner = owner;
	list_add_tail(&mm->mmlist, &w->mms);
	acct_alloc(&w->acct, w->cls_mm);
	return mm;
}

void mm_free(struct mm_struct *mm)
{
	struct world *w = mm->world;

	list_del(&mm->mmlist);
	/* exit_mmap() zapped it all; a new mm has nothing mapped. */
	pgtable_free_cleared(mm->pgd);
	acct_free(&w->acct, w->cls_mm);
	free(mm);
}

long mm_pid(const struct mm_struct *mm)
{
	return mm->owner;
}

struct world *world_new(const struct rmap_scheme *scheme, const char *params,
			unsigned int page_shift, struct errbuf *err)
{
	struct world *w = calloc(1, sizeof(*w));

	if (!w)
		abort();
	w->scheme = scheme;
	w->page_shift = page_shift;
	w->pt_cache = pgtable_cache_new();
	/* A PMD maps one page table page of pointers: 512 on 4K pages. */
	w->pmd_order = page_shift - 3;
	w->max_map_count = 65530;
	w->kernel_version = MODEL_KERNEL_VERSION;
	/* TASK_SIZE_MAX of 4-level x86_64: 47 bits less a guard page */
	w->task_size = (1UL << 47) - (1UL << page_shift);
	w->max_pkey = 16;
	w->thp_mode = THP_MADVISE;
	w->next_pfn = 0x100000;
	INIT_LIST_HEAD(&w->mms);
	INIT_LIST_HEAD(&w->folios);
	folio_cache_init(&w->folio_cache);
	kmem_cache_init(&w->vma_cache, sizeof(struct vm_area_struct), 0);
	pthread_mutex_init(&w->locks.stat_lock, NULL);
	w->cls_vma = acct_class(&w->acct, "vm_area_struct", 192);
	w->cls_mm = acct_class(&w->acct, "mm_struct", 0);
	w->cls_folio = acct_class(&w->acct, "folio", 0);
	w->lock_mmap = lock_class(&w->locks, "mmap_lock");
	w->lock_ptl = lock_class_kind(&w->locks, "page_table_lock",
				     LOCK_KIND_SPIN);
	if (scheme->init(w, params ? params : "", err)) {
		pgtable_cache_free(w->pt_cache);
		free(w);
		return NULL;
	}
	return w;
}

unsigned int kernel_version_parse(const char *release)
{
	unsigned int major, minor, sub = 0;

	if (!release || sscanf(release, "%u.%u.%u", &major, &minor, &sub) < 2 ||
	    major > 255 || minor > 255)
		return 0;
	/* LINUX_VERSION_CODE caps the sublevel at 255 the same way. */
	return KERNEL_VERSION(major, minor, sub > 255 ? 255 : sub);
}

void world_unsupported(struct world *w, const char *feature)
{
	if (!w->nr_unsupported++)
		snprintf(w->unsupported, sizeof(w->unsupported), "%s",
			 feature);
}

void world_free(struct world *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->nr_tasks; i++)
		task_exit(&w->tasks[i]);
	swap_fini(w);
	w->scheme->fini(w);
	kmem_cache_destroy(&w->folio_cache);
	kmem_cache_destroy(&w->vma_cache);
	for (i = 0; i < w->nr_files; i++)
		free(w->files[i]);
	free(w->files);
	free(w->files_hash);
	free(w->tasks);
	free(w->pid_slot);
	pgtable_cache_free(w->pt_cache);
	pthread_mutex_destroy(&w->locks.stat_lock);
	free(w);
}

int world_set_objsize(struct world *w, const char *name, size_t size)
{
	if (acct_find(&w->acct, name) < 0)
		return -1;
	acct_set_size(&w->acct, name, size);
	return 0;
}

/*
 * Tasks live in an array in creation order; a hash of pid labels finds
 * the newest task of a label (a label may be reused after an exit).
 */
static size_t pid_hash(long pid, size_t cap)
{
	return ((unsigned long)pid * 0x9e3779b97f4a7c15UL) & (cap - 1);
}

static struct pid_slot *pid_lookup(struct world *w, long pid)
{
	size_t h = pid_hash(pid, w->pid_cap);

	while (w->pid_slot[h].idx && w->pid_slot[h].pid != pid)
		h = (h + 1) & (w->pid_cap - 1);
	return &w->pid_slot[h];
}

static void pid_index(struct world *w, long pid, size_t idx)
{
	struct pid_slot *slot;
	size_t i;

	if (2 * (w->nr_tasks + 1) > w->pid_cap) {
		free(w->pid_slot);
		w->pid_cap = w->pid_cap ? 2 * w->pid_cap : 64;
		w->pid_slot = calloc(w->pid_cap, sizeof(*w->pid_slot));
		if (!w->pid_slot)
			abort();
		for (i = 0; i < w->nr_tasks; i++) {
			slot = pid_lookup(w, w->tasks[i].pid);
			slot->pid = w->tasks[i].pid;
			slot->idx = i + 1;
		}
	}
	slot = pid_lookup(w, pid);
	slot->pid = pid;
	slot->idx = idx + 1;
}

/* The task at index @nr - 1 is the one found last. */
static void task_seen(struct world *w, size_t nr)
{
	if (w->last_task[0] != nr) {
		w->last_task[1] = w->last_task[0];
		w->last_task[0] = nr;
	}
}

struct task *task_find(struct world *w, long pid)
{
	struct task *t;
	size_t idx;
	int i;

	for (i = 0; i < 2 && w->last_task[i]; i++) {
		t = &w->tasks[w->last_task[i] - 1];
		if (t->pid == pid && t->alive)
			return t;
	}
	if (!w->pid_cap)
		return NULL;
	idx = pid_lookup(w, pid)->idx;
	if (!idx || !w->tasks[idx - 1].alive)
		return NULL;
	task_seen(w, idx);
	return &w->tasks[idx - 1];
}

bool task_exited(struct world *w, long pid)
{
	size_t idx;

	if (!w->pid_cap)
		return false;
	idx = pid_lookup(w, pid)->idx;
	return idx && !w->tasks[idx - 1].alive;
}

struct task *task_add(struct world *w, long pid, struct mm_struct *mm)
{
	struct task *t;

	if (w->nr_tasks == w->cap_tasks) {
		w->cap_tasks = w->cap_tasks ? 2 * w->cap_tasks : 16;
		w->tasks = realloc(w->tasks, w->cap_tasks * sizeof(*t));
		if (!w->tasks)
			abort();
	}
	pid_index(w, pid, w->nr_tasks);
	t = &w->tasks[w->nr_tasks++];
	t->pid = pid;
	t->tgid = pid;
	t->mm = mm;
	t->alive = true;
	/* a new task acts next, most likely */
	task_seen(w, w->nr_tasks);
	return t;
}

struct task *task_spawn(struct world *w, long pid)
{
	struct mm_struct *mm = mm_alloc(w, pid);

	if (w->scheme->mm_init(mm, NULL)) {
		mm_free(mm);
		return NULL;
	}
	return task_add(w, pid, mm);
}

static size_t file_slot(const struct world *w, const char *name)
{
	uint64_t h = 14695981039346656037ull;	/* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 1099511628211ull;
	return h & (w->files_hash_cap - 1);
}

/* A trace may name a million files: looked up by hash, not by scan. */
static void files_hash_grow(struct world *w)
{
	size_t i, j;

	free(w->files_hash);
	w->files_hash_cap = w->files_hash_cap ? 2 * w->files_hash_cap : 64;
	w->files_hash = calloc(w->files_hash_cap, sizeof(*w->files_hash));
	if (!w->files_hash)
		abort();
	for (i = 0; i < w->nr_files; i++) {
		j = file_slot(w, w->files[i]->name);
		while (w->files_hash[j])
			j = (j + 1) & (w->files_hash_cap - 1);
		w->files_hash[j] = i + 1;
	}
}

struct file *world_file(struct world *w, const char *name)
{
	struct file *f;
	uint32_t id;
	size_t i;

	if (2 * (w->nr_files + 1) > w->files_hash_cap)
		files_hash_grow(w);
	i = file_slot(w, name);
	for (; (id = w->files_hash[i]); i = (i + 1) & (w->files_hash_cap - 1))
		if (!strcmp(w->files[id - 1]->name, name))
			return w->files[id - 1];
	f = calloc(1, sizeof(*f));
	if (!f)
		abort();
	f->id = w->next_file_id++;
	f->refcount = 1;	/* the world's own reference */
	snprintf(f->name, sizeof(f->name), "%s", name);
	if (w->nr_files == w->cap_files) {
		w->cap_files = w->cap_files ? 2 * w->cap_files : 16;
		w->files = realloc(w->files,
				   w->cap_files * sizeof(*w->files));
		if (!w->files)
			abort();
	}
	/* keyed by the name stored: a long name is cut as before */
	i = file_slot(w, f->name);
	while (w->files_hash[i])
		i = (i + 1) & (w->files_hash_cap - 1);
	w->files_hash[i] = w->nr_files + 1;
	w->files[w->nr_files++] = f;
	return f;
}

struct file *world_shmem_file(struct world *w)
{
	struct file *f = calloc(1, sizeof(*f));

	if (!f)
		abort();
	f->id = w->next_file_id++;
	f->shmem_anon = true;
	snprintf(f->name, sizeof(f->name), "/dev/zero");
	return f;
}
