// SPDX-License-Identifier: GPL-2.0-only
/*
 * mremap and mprotect of anonymous memory around a fork: VMAs split and
 * merged by mprotect, grown in place, moved (with and without
 * MREMAP_DONTUNMAP), shrunk, and moved while the pages are shared with a
 * child, which moves and splits its copy too.  Last, a move of a range
 * that spans two VMAs (6.17 moves both; earlier kernels refuse: EFAULT).
 * Sizes are in the running kernel's pages.
 *
 *   remap [ROUNDS [PAGES]]     default 4 32
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static size_t pg;

static char *map(size_t pages)
{
	char *p = mmap(NULL, pages * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		exit(1);
	return p;
}

/* A free range of @pages, reserved and released: a target for a move. */
static char *hole(size_t pages)
{
	char *p = map(pages);

	munmap(p, pages * pg);
	return p;
}

static void touch(char *p, size_t pages, int v)
{
	size_t i;

	for (i = 0; i < pages; i++)
		p[i * pg] = (char)v;
}

/* The child's part: CoW some pages, split by mprotect, move it all. */
static void child(char *p, size_t pages)
{
	char *q;

	touch(p, pages / 2, 7);
	q = mremap(p, pages * pg, pages * pg, MREMAP_MAYMOVE | MREMAP_FIXED,
		   hole(pages));
	if (q == MAP_FAILED)
		_exit(1);
	mprotect(q + pg, pg, PROT_READ);
	mprotect(q + pg, pg, PROT_READ | PROT_WRITE);	/* merge back */
	touch(q, pages, 8);
	_exit(0);
}

static void round_of(int r, size_t pages)
{
	char *a = map(pages), *b, *c, *c2;
	pid_t pid;
	int status;

	touch(a, pages, r);
	/* split in three, then merge again */
	mprotect(a + pages / 4 * pg, pages / 4 * pg, PROT_READ);
	mprotect(a + pages / 4 * pg, pages / 4 * pg, PROT_READ | PROT_WRITE);
	/* grow in place when the next range is free, else move */
	b = mremap(a, pages * pg, 2 * pages * pg, MREMAP_MAYMOVE);
	if (b == MAP_FAILED)
		exit(1);
	touch(b + pages * pg, pages, r);
	/* move half of it away: the pages keep their anon_vma */
	c = mremap(b, pages * pg, pages * pg, MREMAP_MAYMOVE | MREMAP_FIXED,
		   hole(pages));
	if (c == MAP_FAILED)
		exit(1);
	/* share the rest with a child, which moves its copy */
	pid = fork();
	if (pid == 0)
		child(b + pages * pg, pages);
	if (pid > 0)
		waitpid(pid, &status, 0);
	/*
	 * A move that leaves the old range mapped, empty; unmapped after, so
	 * that no later move lands next to it (see traces/corpus/README.md,
	 * arm64: a 6.12 merge the model does not make).
	 */
	b += pages * pg;
	c2 = mremap(b, pages * pg, pages * pg,
		    MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP,
		    hole(pages));
	if (c2 != MAP_FAILED) {
		touch(c2, pages / 2, r + 1);
		c2 = mremap(c2, pages * pg, pages / 2 * pg, 0);	/* shrink */
		munmap(c2, pages / 2 * pg);
	}
	munmap(b, pages * pg);
	munmap(c + pages / 2 * pg, pg);	/* a hole */
	munmap(c, pages * pg);
}

/* Two VMAs, one move over both: 6.17+ moves them, older kernels fail. */
static void multi_vma_move(size_t pages)
{
	char *a = map(pages);

	touch(a, pages, 9);
	mprotect(a, pages / 2 * pg, PROT_READ);
	if (mremap(a, pages * pg, pages * pg, MREMAP_MAYMOVE | MREMAP_FIXED,
		   hole(pages)) == MAP_FAILED)
		munmap(a, pages * pg);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 4, r;
	size_t pages = argc > 2 ? strtoul(argv[2], NULL, 0) : 32;

	pg = (size_t)sysconf(_SC_PAGESIZE);
	if (pages < 4)
		pages = 4;
	for (r = 0; r < rounds; r++)
		round_of(r, pages);
	multi_vma_move(pages);
	return 0;
}
