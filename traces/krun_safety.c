// SPDX-License-Identifier: GPL-2.0-only
/*
 * What keeps kernel-run from hurting the host it runs on: limits checked
 * on the trace before anything starts (processes alive at once, memory
 * mapped and populated, advice that damages memory), a pids and memory
 * cgroup around the workers where cgroup v1 allows, and signal handlers
 * that turn SIGINT, SIGTERM and SIGHUP into an orderly teardown (workers
 * killed, tracefs instances and temporary files removed).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "traces/internal.h"
#include "traces/krun_internal.h"
#include "traces/procfs.h"

#ifndef MADV_WILLNEED
#define MADV_WILLNEED 3
#endif
#define ADV_POPULATE_READ 22
#define ADV_POPULATE_WRITE 23
#define ADV_HWPOISON 100
#define ADV_SOFT_OFFLINE 101
#define MAP_POPULATE_BIT 0x8000

#define CGROUP_V1 "/sys/fs/cgroup"

static volatile sig_atomic_t stop_sig;
static const int stop_sigs[KRUN_NR_STOP_SIGS] = { SIGINT, SIGTERM, SIGHUP };

static void on_stop_signal(int sig)
{
	/* the first one wins; teardown runs in the controller's loop */
	if (!stop_sig)
		stop_sig = sig;
}

/* A batch's handlers stay for the runs inside it (and a signal between). */
static int signals_depth;

void krun_signals_install(struct sigaction *old)
{
	struct sigaction sa;
	int i;

	if (signals_depth++)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a wait in poll() returns EINTR and sees the flag */
	stop_sig = 0;
	for (i = 0; i < KRUN_NR_STOP_SIGS; i++)
		sigaction(stop_sigs[i], &sa, &old[i]);
}

void krun_signals_restore(const struct sigaction *old)
{
	int i;

	if (--signals_depth)
		return;
	for (i = 0; i < KRUN_NR_STOP_SIGS; i++)
		sigaction(stop_sigs[i], &old[i], NULL);
}

int krun_interrupted(void)
{
	return stop_sig;
}

/* ---- limits ---------------------------------------------------------- */

/* Half of MemAvailable, or 1 GiB when /proc/meminfo says nothing. */
uint64_t krun_default_max_mem(void)
{
	unsigned long long kb;

	if (proc_field("/proc/meminfo", "MemAvailable:", &kb) || !kb)
		return 1ULL << 30;
	return kb * 1024 / 2;
}

/* A set of process labels: open addressing, grown at half full. */
struct label_set {
	int64_t *key;
	bool *used;
	size_t cap, nr;
};

static size_t label_slot(const struct label_set *s, int64_t label)
{
	uint64_t h = (uint64_t)label * 0x9e3779b97f4a7c15ULL;
	size_t i = (h >> 20) & (s->cap - 1);

	while (s->used[i] && s->key[i] != label)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Add @label; false when it was there already. */
static bool label_add(struct label_set *s, int64_t label)
{
	size_t i;

	if (2 * (s->nr + 1) > s->cap) {
		struct label_set n = { .cap = s->cap ? s->cap * 2 : 256 };

		n.key = trace_xcalloc(n.cap, sizeof(*n.key));
		n.used = trace_xcalloc(n.cap, sizeof(*n.used));
		for (i = 0; i < s->cap; i++)
			if (s->used[i])
				label_add(&n, s->key[i]);
		free(s->key);
		free(s->used);
		*s = n;
	}
	i = label_slot(s, label);
	if (s->used[i])
		return false;
	s->used[i] = true;
	s->key[i] = label;
	s->nr++;
	return true;
}

static int refuse(const struct trace *in, const struct trace_event *ev,
		  char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int refuse(const struct trace *in, const struct trace_event *ev,
		  char *err, size_t errlen, const char *fmt, ...)
{
	char where[300], what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	trace_where(in, ev, where, sizeof(where));
	return trace_errf(err, errlen, "%s: kernel-run refuses: %s", where,
			  what);
}

int krun_check_limits(const struct trace *in, const struct krun_limits *l,
		      char *err, size_t errlen)
{
	struct label_set seen = { 0 };
	uint64_t populated = 0, bytes, psize = in->hdr.page_size;
	size_t live = 0, i;
	int ret = -1;

	for (i = 0; i < in->nr_ev; i++) {
		const struct trace_event *ev = &in->ev[i];

		if (ev->type == EV_CHECKPOINT)
			continue;
		if (label_add(&seen, ev->pid))
			live++;
		if (ev->type == EV_FORK && label_add(&seen, ev->child))
			live++;
		if (ev->type == EV_EXIT && live)
			live--;
		if (live > l->max_procs) {
			refuse(in, ev, err, errlen, "%zu processes at once, "
			       "over the limit of %lu (--max-procs)", live,
			       l->max_procs);
			goto out;
		}
		bytes = 0;
		switch (ev->type) {
		case EV_MMAP:
			if (ev->len > l->max_mem) {
				refuse(in, ev, err, errlen, "a mapping of %"
				       PRIu64 " bytes, over the memory limit "
				       "of %" PRIu64 " (--max-mem)", ev->len,
				       l->max_mem);
				goto out;
			}
			if (ev->flags & MAP_POPULATE_BIT)
				bytes = ev->len;
			break;
		case EV_MREMAP:
			if (ev->new_len > l->max_mem) {
				refuse(in, ev, err, errlen, "a mapping of %"
				       PRIu64 " bytes, over the memory limit "
				       "of %" PRIu64 " (--max-mem)",
				       ev->new_len, l->max_mem);
				goto out;
			}
			break;
		case EV_MADVISE:
			if ((ev->advice == ADV_HWPOISON ||
			     ev->advice == ADV_SOFT_OFFLINE) &&
			    !l->allow_destructive) {
				refuse(in, ev, err, errlen, "madvise %s takes "
				       "the host's memory out of service "
				       "(--allow-destructive)",
				       ev->advice == ADV_HWPOISON ?
				       "hwpoison" : "soft_offline");
				goto out;
			}
			if (ev->advice == ADV_POPULATE_READ ||
			    ev->advice == ADV_POPULATE_WRITE ||
			    ev->advice == MADV_WILLNEED)
				bytes = ev->len;
			break;
		case EV_FAULT:
			bytes = psize << ev->order;
			break;
		default:
			break;
		}
		/* an upper bound: nothing populated is counted as freed */
		populated += bytes;
		if (populated > l->max_mem || bytes > l->max_mem) {
			refuse(in, ev, err, errlen, "up to %" PRIu64 " bytes "
			       "populated, over the memory limit of %" PRIu64
			       " (--max-mem)", populated, l->max_mem);
			goto out;
		}
	}
	ret = 0;
out:
	free(seen.key);
	free(seen.used);
	return ret;
}

/* ---- cgroup ------------------------------------------------------------ */

static int put(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "we");
	if (!f)
		return -1;
	ret = fputs(val, f) < 0;
	if (fclose(f))
		ret = 1;
	return ret ? -1 : 0;
}

static int cg_make(char *dir, size_t len, const char *ctrl)
{
	struct stat st;

	snprintf(dir, len, "%s/%s/cgroup.procs", CGROUP_V1, ctrl);
	if (stat(dir, &st)) {
		dir[0] = 0;
		return -1;
	}
	snprintf(dir, len, "%s/%s/rmaplab-krun-%d", CGROUP_V1, ctrl,
		 (int)getpid());
	if (mkdir(dir, 0755) && errno != EEXIST) {
		dir[0] = 0;
		return -1;
	}
	return 0;
}

int krun_cgroup_setup(struct krun_cgroup *cg, const struct krun_limits *l,
		      int nr_trees)
{
	char val[32];

	memset(cg, 0, sizeof(*cg));
	if (!cg_make(cg->pids, sizeof(cg->pids), "pids")) {
		/* every tree's processes, and a root per tree to spare */
		snprintf(val, sizeof(val), "%lu",
			 l->max_procs * nr_trees + nr_trees);
		if (put(cg->pids, "pids.max", val)) {
			rmdir(cg->pids);
			cg->pids[0] = 0;
		}
	}
	if (!cg_make(cg->mem, sizeof(cg->mem), "memory")) {
		snprintf(val, sizeof(val), "%" PRIu64, l->max_mem);
		if (put(cg->mem, "memory.limit_in_bytes", val)) {
			rmdir(cg->mem);
			cg->mem[0] = 0;
		}
	}
	return cg->pids[0] || cg->mem[0] ? 0 : -1;
}

void krun_cgroup_add(struct krun_cgroup *cg, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	if (cg->pids[0])
		put(cg->pids, "cgroup.procs", val);
	if (cg->mem[0])
		put(cg->mem, "cgroup.procs", val);
}

/* Workers are gone by now; a dying one may hold its cgroup a moment. */
void krun_cgroup_rmdir(char *dir)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	if (!dir[0])
		return;
	for (i = 0; i < 100 && rmdir(dir) && errno == EBUSY; i++)
		nanosleep(&ts, NULL);
	dir[0] = 0;
}

void krun_cgroup_remove(struct krun_cgroup *cg)
{
	krun_cgroup_rmdir(cg->pids);
	krun_cgroup_rmdir(cg->mem);
}
