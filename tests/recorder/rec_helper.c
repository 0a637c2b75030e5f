// SPDX-License-Identifier: GPL-2.0-only
/*
 * A program with known mm activity for the recorder tests.  Addresses are
 * fixed so the tests can name them, and chosen clear of what an ASan
 * build maps (shadow below 0x10007fff8000, allocator at 0x600000000000).
 *
 *   rec_helper basic    map, fault, mprotect, fork + CoW, munmap; exit 3
 *   rec_helper thread   a thread maps and writes its own region
 *   rec_helper crash    write a page, then die of SIGSEGV
 *   rec_helper remap    mremap a written region to a fixed place
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE	((char *)0x700000000000UL)
#define TBASE	((char *)0x700100000000UL)
#define RBASE	((char *)0x700200000000UL)
#define PG	4096

static char *map_fixed(char *at, size_t len)
{
	char *p = mmap(at, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
		       -1, 0);

	if (p != at) {
		perror("mmap");
		_exit(100);
	}
	return p;
}

/*
 * 0   1   2   3
 * w   r   ro  .      parent, then fork
 * W           w      child: CoW of page 0, new page 3
 */
static int basic(void)
{
	char *p = map_fixed(BASE, 4 * PG);
	volatile char c;
	pid_t pid;

	p[0] = 1;
	c = p[PG];
	(void)c;
	mprotect(p + 2 * PG, PG, PROT_READ);
	pid = fork();
	if (pid == 0) {
		p[0] = 2;
		p[3 * PG] = 3;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	munmap(p, 4 * PG);
	return 3;
}

static void *thread_fn(void *arg)
{
	char *p = map_fixed(TBASE, 2 * PG);

	p[PG] = 1;
	return NULL;
}

static int thread(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, thread_fn, NULL))
		return 101;
	pthread_join(th, NULL);
	return 0;
}

static int crash(void)
{
	char *p = map_fixed(BASE, PG);

	p[0] = 1;
	/* the default action, even in a sanitizer build that catches it */
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	return 102;
}

static int remap(void)
{
	char *p = map_fixed(BASE, 2 * PG), *q;

	p[0] = 1;
	p[PG] = 2;
	q = mremap(p, 2 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, RBASE);
	if (q != RBASE)
		return 103;
	q[3 * PG] = 3;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "basic"))
		return basic();
	if (!strcmp(argv[1], "thread"))
		return thread();
	if (!strcmp(argv[1], "crash"))
		return crash();
	if (!strcmp(argv[1], "remap"))
		return remap();
	return 2;
}
