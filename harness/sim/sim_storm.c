// SPDX-License-Identifier: GPL-2.0-only
/*
 * Generated fork storms for the simulation, written as text traces
 * (traces/FORMAT.md) and parsed, so they replay like any other trace:
 *
 *  zygote   one parent maps and writes 8 VMAs of 32 pages, then forks
 *           @size apps; in each of 64 rounds an app CoW-writes some
 *           inherited pages, mprotects part of an inherited VMA and back
 *           (split and merge: the shared root's lock, written), maps and
 *           frees memory of its own; then it forks a short-lived helper
 *           and exits.
 *  server   a listener with 4 VMAs forks one child per connection
 *           (@size of them); a child touches its buffers, maps a
 *           scratch area and exits (the exim case of 2011).
 *  chain    each process writes some pages and forks the next, @size
 *           deep, then the chain exits from the tail.
 *
 * The same @size and @seed always give the same trace.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/rnd.h"
#include "harness/sim/sim.h"

const char *const sim_storm_names[STORM_NR] = {
	[STORM_ZYGOTE] = "zygote",
	[STORM_SERVER] = "server",
	[STORM_CHAIN] = "chain",
};

int sim_storm_lookup(const char *name)
{
	int k;

	for (k = 0; k < STORM_NR; k++)
		if (!strcmp(name, sim_storm_names[k]))
			return k;
	return -1;
}

#define BASE	0x100000000UL		/* inherited VMAs */
#define OWN	0x200000000UL		/* a process's own memory */
#define VMA_PAGES 32
#define PG	4096UL
#define ZYGOTE_ROUNDS 64

/* VMA @i of the inherited area; a guard page keeps them apart. */
static unsigned long vma_at(int i)
{
	return BASE + (unsigned long)i * (VMA_PAGES + 1) * PG;
}

static void map_and_write(FILE *f, long pid, unsigned long addr,
			  unsigned long pages)
{
	unsigned long p;

	fprintf(f, "%ld mmap 0x%lx 0x%lx rw- private,anon,fixed -> 0x%lx\n",
		pid, addr, pages * PG, addr);
	for (p = 0; p < pages; p++)
		fprintf(f, "%ld fault 0x%lx w\n", pid, addr + p * PG);
}

static void cow_some(FILE *f, long pid, int nvmas, int n, uint64_t *s)
{
	int k;

	for (k = 0; k < n; k++)
		fprintf(f, "%ld fault 0x%lx w\n", pid,
			vma_at((int)(rnd_next(s) % nvmas)) +
			(rnd_next(s) % VMA_PAGES) * PG);
}

/*
 * The apps live at the same time, as on a phone: the trace forks them
 * all, then interleaves their rounds, then exits them, so the recorded
 * rmap state (what walks find) has every app mapped.
 */
static void zygote(FILE *f, unsigned int apps, uint64_t *s)
{
	unsigned long a;
	unsigned int i;
	int v, r;

	for (v = 0; v < 8; v++)
		map_and_write(f, 1, vma_at(v), VMA_PAGES);
	for (i = 0; i < apps; i++)
		fprintf(f, "1 fork %u\n", 1000 + i);
	for (r = 0; r < ZYGOTE_ROUNDS; r++) {
		for (i = 0; i < apps; i++) {
			long app = 1000 + i;

			cow_some(f, app, 8, 4, s);
			/* mprotect part of an inherited VMA, then undo it */
			a = vma_at((int)(rnd_next(s) % 8)) +
				(1 + rnd_next(s) % (VMA_PAGES - 4)) * PG;
			fprintf(f, "%ld mprotect 0x%lx 0x%lx r--\n", app, a,
				2 * PG);
			fprintf(f, "%ld mprotect 0x%lx 0x%lx rw-\n", app, a,
				2 * PG);
			map_and_write(f, app, OWN, 4);
			fprintf(f, "%ld munmap 0x%lx 0x%lx\n", app, OWN,
				4 * PG);
		}
	}
	for (i = 0; i < apps; i++) {
		long app = 1000 + i, helper = 100000 + i;

		fprintf(f, "%ld fork %ld\n", app, helper);
		cow_some(f, helper, 8, 2, s);
		fprintf(f, "%ld exit\n", helper);
		fprintf(f, "%ld exit\n", app);
	}
	fprintf(f, "1 exit\n");
}

static void server(FILE *f, unsigned int conns, uint64_t *s)
{
	unsigned int i;
	int v;

	for (v = 0; v < 4; v++)
		map_and_write(f, 1, vma_at(v), VMA_PAGES);
	for (i = 0; i < conns; i++) {
		long c = 1000 + i;

		fprintf(f, "1 fork %ld\n", c);
		cow_some(f, c, 4, 6, s);
		map_and_write(f, c, OWN, 8);
		fprintf(f, "%ld mremap 0x%lx 0x%lx 0x%lx maymove,fixed "
			"0x%lx -> 0x%lx\n", c, OWN, 8 * PG, 8 * PG,
			OWN + 0x10000000UL, OWN + 0x10000000UL);
		fprintf(f, "%ld exit\n", c);
	}
	fprintf(f, "1 exit\n");
}

static void chain(FILE *f, unsigned int depth, uint64_t *s)
{
	unsigned int i;
	int v;

	for (v = 0; v < 4; v++)
		map_and_write(f, 1, vma_at(v), VMA_PAGES);
	for (i = 1; i <= depth; i++) {
		fprintf(f, "%u fork %u\n", i, i + 1);
		cow_some(f, i + 1, 4, 4, s);
	}
	for (i = depth + 1; i >= 1; i--)
		fprintf(f, "%u exit\n", i);
}

void sim_storm_trace(struct trace *t, enum sim_storm kind, unsigned int size,
		     uint64_t seed)
{
	char *buf = NULL, err[256], name[64];
	uint64_t s = seed ? seed : 1;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	fprintf(f, "# rmaplab text trace v1   arch=x86_64 page_size=4096\n");
	if (kind == STORM_ZYGOTE)
		zygote(f, size, &s);
	else if (kind == STORM_SERVER)
		server(f, size, &s);
	else
		chain(f, size, &s);
	fclose(f);
	snprintf(name, sizeof(name), "storm:%s:%u", sim_storm_names[kind],
		 size);
	f = fmemopen(buf, len, "r");
	trace_init(t);
	if (!f || trace_parse_text(f, name, t, err, sizeof(err)))
		abort();	/* the generator writes only valid traces */
	fclose(f);
	free(buf);
}
