/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Swap for runs on the real kernel (krun_swap.c): a swap file made,
 * enabled and removed by rmaplab itself (as root), and a memory cgroup
 * whose limit makes the kernel reclaim.  kernel-run squeezes the cgroup
 * at its reclaim events; `rmaplab record --memory-limit` holds the
 * traced program under a limit.
 */
#ifndef RMAPLAB_TRACES_SWAPFILE_H
#define RMAPLAB_TRACES_SWAPFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct swap_setup {
	char file[256];
	char cg[PATH_MAX + 8];
	bool made, on, cg_made, v2;
};

/*
 * A swap file of @size bytes in $TMPDIR (else /tmp), named after @who
 * and this process, swapped on at the highest priority.  0, or -1 with
 * one line in @err (prefixed "@who: ").
 */
int swap_file_on(struct swap_setup *s, const char *who, uint64_t size,
		 char *err, size_t errlen);
/* Swap space is configured (SwapTotal in /proc/meminfo is not 0). */
bool swap_configured(void);
/*
 * A memory cgroup for @who: a child "swap" of @parent when given (v1),
 * else rmaplab-@who-PID on the unified hierarchy when the memory
 * controller is there (v2), on the v1 memory hierarchy otherwise.
 * Swappiness 200 (v1; anon first).  0, or -1 with one line in @err.
 */
int swap_memcg_make(struct swap_setup *s, const char *who,
		    const char *parent, char *err, size_t errlen);
/* The limit: v2 memory.max, v1 memory.limit_in_bytes. */
int swap_memcg_limit(struct swap_setup *s, uint64_t bytes, char *err,
		     size_t errlen);
/* Put process @pid into the cgroup. */
int swap_memcg_join(struct swap_setup *s, pid_t pid, char *err,
		    size_t errlen);
/* Remove the cgroup (once empty), swapoff and remove the file. */
void swap_setup_stop(struct swap_setup *s);

#endif /* RMAPLAB_TRACES_SWAPFILE_H */
