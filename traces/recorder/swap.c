// SPDX-License-Identifier: GPL-2.0-only
/*
 * `record --memory-limit`: the traced program runs in a memory cgroup of
 * that limit, with swap to go to (a swap file of the recorder's own when
 * none is configured), so that the kernel reclaims its anon pages as it
 * runs.  The pieces are kernel-run's (traces/swapfile.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/procfs.h"
#include "traces/recorder/rec.h"
#include "traces/swapfile.h"

/* The swap file when none is configured: room for the limit's overflow. */
#define REC_SWAP_FILE_SIZE	(1ULL << 30)

bool rec_swap_free(void)
{
	unsigned long long kb = 0;
	int ret = proc_field("/proc/meminfo", "SwapFree:", &kb);

	return ret < 0 || (!ret && kb);
}

int rec_swap_start(struct recorder *r)
{
	char err[PATH_MAX + 128];

	if (!r->opts->memory_limit)
		return 0;
	r->swap = calloc(1, sizeof(*r->swap));
	if (!r->swap)
		return -1;
	if (geteuid() != 0) {
		rec_warn("--memory-limit: needs root (a memory cgroup, and "
			 "swapon when no swap is configured)");
		return -1;
	}
	if (!swap_configured() &&
	    swap_file_on(r->swap, "record", REC_SWAP_FILE_SIZE, err,
			 sizeof(err)))
		goto fail;
	if (swap_memcg_make(r->swap, "record", NULL, err, sizeof(err)) ||
	    swap_memcg_limit(r->swap, r->opts->memory_limit, err,
			     sizeof(err)))
		goto fail;
	return 0;
fail:
	rec_warn("--memory-limit: %s", err);
	rec_swap_stop(r);
	return -1;
}

int rec_swap_join(struct recorder *r, pid_t pid)
{
	char err[PATH_MAX + 128];

	if (!r->swap || !r->swap->cg_made)
		return 0;
	if (swap_memcg_join(r->swap, pid, err, sizeof(err))) {
		rec_warn("--memory-limit: %s", err);
		return -1;
	}
	return 0;
}

void rec_swap_stop(struct recorder *r)
{
	if (!r->swap)
		return;
	swap_setup_stop(r->swap);
	if (r->swap->cg_made || r->swap->on || r->swap->made)
		rec_warn("--memory-limit: could not remove %s%s%s",
			 r->swap->cg_made ? r->swap->cg : "",
			 r->swap->cg_made && r->swap->made ? " and " : "",
			 r->swap->made ? r->swap->file : "");
	free(r->swap);
	r->swap = NULL;
}
