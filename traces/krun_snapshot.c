// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the kernel shows of a process, for kernel-run's checkpoints: the
 * /proc/PID/maps lines inside the trace's address ranges and, for every
 * present page of those VMAs, the page frame from /proc/PID/pagemap with
 * its /proc/kpageflags and /proc/kpagecount entries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/kernel-page-flags.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/internal.h"
#include "traces/kpageflags.h"
#include "traces/krun_internal.h"

#define PM_PRESENT	(1ULL << 63)
#define PM_SWAP		(1ULL << 62)
#define PM_GUARD_REGION	(1ULL << 58)	/* a guard marker, PM_SWAP set too */
#define PM_SWP_TYPE_BITS 5	/* swap entries: type, then offset */
#define PM_PFN_MASK	((1ULL << 55) - 1)
/* The running kernel's page size: pagemap has one entry per page. */
#define PAGE_SZ		((uint64_t)sysconf(_SC_PAGESIZE))
#define CHUNK		512

void krun_ranges_add(struct krun_ranges *rs, uint64_t start, uint64_t end)
{
	size_t i, j;

	if (start >= end)
		return;
	/* Insert in order, then fold every range that touches the new one. */
	for (i = 0; i < rs->nr && rs->r[i][0] < start; i++)
		;
	trace_grow((void **)&rs->r, &rs->cap, rs->nr, sizeof(*rs->r));
	memmove(&rs->r[i + 1], &rs->r[i], (rs->nr - i) * sizeof(*rs->r));
	rs->r[i][0] = start;
	rs->r[i][1] = end;
	rs->nr++;
	if (i && rs->r[i - 1][1] >= start)
		i--;
	for (j = i + 1; j < rs->nr && rs->r[j][0] <= rs->r[i][1]; j++)
		if (rs->r[j][1] > rs->r[i][1])
			rs->r[i][1] = rs->r[j][1];
	memmove(&rs->r[i + 1], &rs->r[j], (rs->nr - j) * sizeof(*rs->r));
	rs->nr -= j - i - 1;
}

bool krun_ranges_overlap(const struct krun_ranges *rs, uint64_t start,
			 uint64_t end)
{
	size_t i;

	for (i = 0; i < rs->nr; i++)
		if (rs->r[i][0] < end && start < rs->r[i][1])
			return true;
	return false;
}

void krun_ranges_free(struct krun_ranges *rs)
{
	free(rs->r);
	memset(rs, 0, sizeof(*rs));
}

bool krun_kflags_anon(uint64_t kflags)
{
	kflags = kpageflags_fix(kflags);
	/* The zero pages and KSM pages are not anon folios rmap tracks. */
	return (kflags & (1ULL << KPF_ANON)) &&
	       !(kflags & (1ULL << KPF_ZERO_PAGE)) &&
	       !(kflags & (1ULL << KPF_KSM));
}

static int pread_u64(int fd, uint64_t *v, size_t n, uint64_t idx)
{
	size_t want = n * sizeof(*v);
	ssize_t got;

	got = pread(fd, v, want, idx * sizeof(*v));
	if (got < 0)
		return -1;
	/* Past the end of kpageflags: treat as no flags. */
	memset((char *)v + got, 0, want - got);
	return 0;
}

struct kpage {
	int flags_fd, count_fd;
};

static int kpage_open(struct kpage *k, char *err, size_t errlen)
{
	k->flags_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	k->count_fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	if (k->flags_fd < 0 || k->count_fd < 0) {
		int e = errno;

		if (k->flags_fd >= 0)
			close(k->flags_fd);
		if (k->count_fd >= 0)
			close(k->count_fd);
		return trace_errf(err, errlen,
				  "kernel-run: /proc/kpageflags: %s (run as "
				  "root)", strerror(e));
	}
	return 0;
}

static void kpage_close(struct kpage *k)
{
	close(k->flags_fd);
	close(k->count_fd);
}

static void vma_name(struct cp_vma *v, const char *path,
		     const struct krun_files *files)
{
	size_t dl = strlen(files->dir), i;

	if (dl && !strncmp(path, files->dir, dl) && path[dl] == '/') {
		for (i = 0; i < files->nr; i++) {
			size_t nl = strlen(files->names[i]);

			/* The temp files carry the trace's names. */
			if (!strncmp(path + dl + 1, files->names[i], nl) &&
			    (!path[dl + 1 + nl] || path[dl + 1 + nl] == ' ')) {
				snprintf(v->name, sizeof(v->name), "%s",
					 files->names[i]);
				return;
			}
		}
	}
	snprintf(v->name, sizeof(v->name), "%s", path);
}

/*
 * The pages of [@start, @end).  Frames come in runs (a large folio is
 * thousands of consecutive ones): their kpageflags and kpagecount are
 * read a run at a time, a read a page costing seconds under TCG.
 */
static int snap_pages(struct cp_proc *p, int pm_fd, struct kpage *k,
		      uint64_t start, uint64_t end, bool private)
{
	uint64_t ent[CHUNK], flags[CHUNK], count[CHUNK];
	uint64_t addr, n, i, r = 0, run = 0;

	for (addr = start; addr < end; addr += n * PAGE_SZ) {
		n = (end - addr) / PAGE_SZ;
		if (n > CHUNK)
			n = CHUNK;
		if (pread_u64(pm_fd, ent, n, addr / PAGE_SZ))
			return -1;
		for (i = 0; i < n; i++) {
			struct cp_page *pg;

			/*
			 * A swap entry of a private mapping: anon memory in
			 * swap (one swap device: the offset names it).
			 */
			if ((ent[i] & PM_SWAP) && private &&
			    !(ent[i] & PM_GUARD_REGION)) {
				pg = cp_proc_add_page(p);
				pg->addr = addr + i * PAGE_SZ;
				pg->swap = true;
				pg->pfn = (ent[i] & PM_PFN_MASK) >>
					  PM_SWP_TYPE_BITS;
				continue;
			}
			if (!(ent[i] & PM_PRESENT))
				continue;
			pg = cp_proc_add_page(p);
			pg->addr = addr + i * PAGE_SZ;
			pg->pfn = ent[i] & PM_PFN_MASK;
			/* the next frame of the run read last, or a new run */
			if (++r >= run) {
				for (run = 1; i + run < n; run++)
					if (!(ent[i + run] & PM_PRESENT) ||
					    (ent[i + run] & PM_PFN_MASK) !=
					    pg->pfn + run)
						break;
				r = 0;
				if (pread_u64(k->flags_fd, flags, run,
					      pg->pfn) ||
				    pread_u64(k->count_fd, count, run,
					      pg->pfn))
					return -1;
			}
			pg->kflags = kpageflags_fix(flags[r]);
			pg->count = count[r] > UINT32_MAX ? UINT32_MAX :
				    count[r];
			pg->anon = krun_kflags_anon(flags[r]);
		}
	}
	return 0;
}

int krun_snapshot(struct cp_proc *p, pid_t pid, const struct krun_ranges *rs,
		  const struct krun_files *files, char *err, size_t errlen)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	struct kpage k;
	int pm_fd, ret = -1;
	FILE *maps;

	if (kpage_open(&k, err, errlen))
		return -1;
	kpageflags_refresh();
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "re");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	pm_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (!maps || pm_fd < 0) {
		trace_errf(err, errlen, "kernel-run: /proc/%d: %s", (int)pid,
			   strerror(errno));
		goto out;
	}
	while (getline(&line, &cap, maps) > 0) {
		unsigned long long start, end, off;
		char perms[8];
		struct cp_vma *v;
		int pos = 0;
		char *name;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &start, &end,
			   perms, &off, &pos) != 4 || !pos)
			continue;
		if (!krun_ranges_overlap(rs, start, end))
			continue;
		name = line + pos;
		name += strspn(name, " ");
		name[strcspn(name, "\n")] = 0;
		v = cp_proc_add_vma(p);
		v->start = start;
		v->end = end;
		v->offset = off;
		snprintf(v->perms, sizeof(v->perms), "%.4s", perms);
		vma_name(v, name, files);
		if (snap_pages(p, pm_fd, &k, start, end, perms[3] == 'p')) {
			trace_errf(err, errlen, "kernel-run: pagemap of %d: %s",
				   (int)pid, strerror(errno));
			goto out;
		}
	}
	ret = 0;
out:
	free(line);
	if (maps)
		fclose(maps);
	if (pm_fd >= 0)
		close(pm_fd);
	kpage_close(&k);
	return ret;
}

/* Scan back from @pfn to the head of its compound folio. */
static int folio_head(int fd, uint64_t pfn, uint64_t *head)
{
	uint64_t fl[CHUNK], base, lim = 1ULL << TRACE_MAX_ORDER;
	size_t i;

	while (lim) {
		base = pfn >= CHUNK - 1 ? pfn - (CHUNK - 1) : 0;
		if (pread_u64(fd, fl, pfn - base + 1, base))
			return -1;
		for (i = pfn - base + 1; i-- > 0;) {
			if (fl[i] & (1ULL << KPF_COMPOUND_HEAD)) {
				*head = base + i;
				return 0;
			}
			if (!(fl[i] & (1ULL << KPF_COMPOUND_TAIL)))
				return -1;
		}
		if (!base)
			return -1;
		pfn = base - 1;
		lim = lim > CHUNK ? lim - CHUNK : 0;
	}
	return -1;
}

static int folio_nr_pages(int fd, uint64_t head, uint64_t *nr)
{
	uint64_t fl[CHUNK], pfn = head + 1;
	size_t i;

	*nr = 1;
	while (*nr < (1ULL << TRACE_MAX_ORDER)) {
		if (pread_u64(fd, fl, CHUNK, pfn))
			return -1;
		for (i = 0; i < CHUNK; i++) {
			if (!(fl[i] & (1ULL << KPF_COMPOUND_TAIL)))
				return 0;
			(*nr)++;
		}
		pfn += CHUNK;
	}
	return 0;
}

int krun_folio_order(pid_t pid, uint64_t addr, uint8_t *order,
		     char *err, size_t errlen)
{
	uint64_t ent, flags, pfn, head, nr;
	char path[64];
	struct kpage k;
	int fd, ret = -1;

	*order = 0;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return trace_errf(err, errlen, "kernel-run: %s: %s", path,
				  strerror(errno));
	if (kpage_open(&k, err, errlen)) {
		close(fd);
		return -1;
	}
	if (pread_u64(fd, &ent, 1, addr / PAGE_SZ)) {
		trace_errf(err, errlen, "kernel-run: %s: %s", path,
			   strerror(errno));
		goto out;
	}
	ret = 0;
	if (!(ent & PM_PRESENT))
		goto out;
	pfn = ent & PM_PFN_MASK;
	if (pread_u64(k.flags_fd, &flags, 1, pfn) || !krun_kflags_anon(flags))
		goto out;
	if (!(flags & ((1ULL << KPF_COMPOUND_HEAD) |
		       (1ULL << KPF_COMPOUND_TAIL))))
		goto out;
	/* Large folios are naturally aligned: count head plus tails. */
	if (folio_head(k.flags_fd, pfn, &head) ||
	    folio_nr_pages(k.flags_fd, head, &nr))
		goto out;
	while (nr > 1) {
		nr >>= 1;
		(*order)++;
	}
out:
	close(fd);
	kpage_close(&k);
	return ret;
}
