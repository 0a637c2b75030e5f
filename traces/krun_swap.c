// SPDX-License-Identifier: GPL-2.0-only
/*
 * Swap on the real kernel (swapfile.h): a swap file rmaplab makes,
 * enables and removes itself, a memory cgroup whose limit makes the
 * kernel reclaim (kernel-run squeezes it around its main tree; the
 * recorder holds the traced program under it), and kernel-run's pagemap
 * reads of single pages.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <unistd.h>

#include "traces/internal.h"
#include "traces/krun_internal.h"
#include "traces/procfs.h"

#define SWAP_FILE_SIZE	(256ULL << 20)
#define CG_V1		"/sys/fs/cgroup/memory"
#define CG_V2		"/sys/fs/cgroup"

static int write_str(const char *dir, const char *file, const char *val)
{
	char path[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/*
 * What mkswap writes: a version-1 header in the first page (version,
 * last page, no bad pages) and the SWAPSPACE2 magic at its end.
 */
static int make_swap_file(const char *path, const char *who, uint64_t size,
			  char *err, size_t errlen)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned char *hdr = calloc(1, psz);
	uint32_t v[3] = { 1, size / psz - 1, 0 };
	int fd, ret = -1;

	if (!hdr)
		abort();
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		trace_errf(err, errlen, "%s: %s: %s", who, path,
			   strerror(errno));
		goto out;
	}
	memcpy(hdr + 1024, v, sizeof(v));
	memcpy(hdr + psz - 10, "SWAPSPACE2", 10);
	if (fallocate(fd, 0, 0, size) ||
	    pwrite(fd, hdr, psz, 0) != psz || fsync(fd)) {
		trace_errf(err, errlen, "%s: swap file %s: %s", who, path,
			   strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(hdr);
	return ret;
}

/* The memory controller on the unified hierarchy (v2)? */
static bool memcg_v2(void)
{
	char buf[256] = "";
	FILE *f = fopen(CG_V2 "/cgroup.controllers", "re");
	bool v2;

	if (!f)
		return false;
	v2 = fgets(buf, sizeof(buf), f) && strstr(buf, "memory");
	fclose(f);
	return v2;
}

int swap_file_on(struct swap_setup *s, const char *who, uint64_t size,
		 char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(s->file, sizeof(s->file), "%s/rmaplab-swap-%s-%d",
		 tmp && *tmp ? tmp : "/tmp", who, (int)getpid());
	if (make_swap_file(s->file, who, size, err, errlen))
		return -1;
	s->made = true;
	if (swapon(s->file, SWAP_FLAG_PREFER |
		   (32767 & SWAP_FLAG_PRIO_MASK))) {
		trace_errf(err, errlen, "%s: swapon %s: %s (run as root, on "
			   "a file system that can hold swap)", who, s->file,
			   strerror(errno));
		return -1;
	}
	s->on = true;
	return 0;
}

bool swap_configured(void)
{
	unsigned long long kb;

	return !proc_field("/proc/meminfo", "SwapTotal:", &kb) && kb;
}

int swap_memcg_make(struct swap_setup *s, const char *who,
		    const char *parent, char *err, size_t errlen)
{
	s->v2 = memcg_v2();
	/*
	 * Inside the run's memory cgroup (a v1 one, named as this would be)
	 * when it has one: a process is in one cgroup of a hierarchy, and
	 * the other tree must stay out of the squeeze.
	 */
	if (parent && *parent) {
		s->v2 = false;
		snprintf(s->cg, sizeof(s->cg), "%s/swap", parent);
	} else {
		snprintf(s->cg, sizeof(s->cg), "%s/rmaplab-%s-%d",
			 s->v2 ? CG_V2 : CG_V1, who, (int)getpid());
	}
	if (mkdir(s->cg, 0755)) {
		trace_errf(err, errlen, "%s: memory cgroup %s: %s", who,
			   s->cg, strerror(errno));
		return -1;
	}
	s->cg_made = true;
	if (!s->v2)
		write_str(s->cg, "memory.swappiness", "200");
	return 0;
}

int swap_memcg_limit(struct swap_setup *s, uint64_t bytes, char *err,
		     size_t errlen)
{
	const char *file = s->v2 ? "memory.max" : "memory.limit_in_bytes";
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)bytes);
	if (write_str(s->cg, file, buf))
		return trace_errf(err, errlen, "%s/%s: %s", s->cg, file,
				  strerror(errno));
	return 0;
}

int swap_memcg_join(struct swap_setup *s, pid_t pid, char *err,
		    size_t errlen)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%d\n", (int)pid);
	if (write_str(s->cg, "cgroup.procs", buf))
		return trace_errf(err, errlen, "%s/cgroup.procs: %s", s->cg,
				  strerror(errno));
	return 0;
}

void swap_setup_stop(struct swap_setup *s)
{
	if (s->cg_made) {
		krun_cgroup_rmdir(s->cg);
		s->cg_made = false;
	}
	if (s->on && swapoff(s->file) == 0)
		s->on = false;
	if (s->made && !s->on && unlink(s->file) == 0)
		s->made = false;
}

int krun_swap_start(struct krun_swap *s, const char *parent_memcg,
		    char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (swap_file_on(s, "kernel-run", SWAP_FILE_SIZE, err, errlen) ||
	    swap_memcg_make(s, "kernel-run", parent_memcg, err, errlen)) {
		krun_swap_stop(s);
		return -1;
	}
	return 0;
}

int krun_swap_join(struct krun_swap *s, pid_t pid, char *err, size_t errlen)
{
	char why[PATH_MAX + 64];

	if (swap_memcg_join(s, pid, why, sizeof(why)))
		return trace_errf(err, errlen, "kernel-run: %s", why);
	return 0;
}

/*
 * Make the kernel reclaim what it can of the cgroup: v2 memory.reclaim,
 * v1 memory.force_empty (which cannot empty a cgroup with tasks, but
 * reclaims until nothing more goes) and a limit far below the usage (the
 * write fails with EBUSY once nothing more can go), then no limit.
 */
void krun_swap_squeeze(struct krun_swap *s)
{
	if (s->v2) {
		write_str(s->cg, "memory.reclaim", "1G");
		return;
	}
	/* force_empty drains every CPU's LRU batches before reclaiming. */
	write_str(s->cg, "memory.force_empty", "0");
	write_str(s->cg, "memory.limit_in_bytes", "4096");
	write_str(s->cg, "memory.limit_in_bytes", "-1");
}

void krun_swap_stop(struct krun_swap *s)
{
	swap_setup_stop(s);
}

int krun_pagemap_ent(pid_t pid, uint64_t addr, uint64_t *ent)
{
	char path[64];
	int fd, ret = -1;
	long psz = sysconf(_SC_PAGESIZE);

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (pread(fd, ent, 8, addr / psz * 8) == 8)
		ret = 0;
	close(fd);
	return ret;
}

int krun_kpageflags(uint64_t pfn, uint64_t *flags)
{
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	int ret = -1;

	*flags = 0;
	if (fd < 0)
		return -1;
	if (pread(fd, flags, 8, pfn * 8) == 8)
		ret = 0;
	close(fd);
	return ret;
}

bool krun_pfn_anon(uint64_t pfn)
{
	uint64_t flags;

	return !krun_kpageflags(pfn, &flags) && krun_kflags_anon(flags);
}

int krun_mem_read(pid_t pid, uint64_t addr)
{
	char path[64], c;
	int fd, ret = -1;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (pread(fd, &c, 1, addr) == 1)
		ret = 0;
	close(fd);
	return ret;
}

