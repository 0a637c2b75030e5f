// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fork from a multi-threaded process, as a server that spawns helpers
 * while its worker threads run: writer threads keep dirtying a shared
 * heap while the main thread forks children; each child (one thread, a
 * copy of the heap) dirties part of it, starts a thread of its own, and
 * exits.  Which heap pages a child shares with its parent depends on
 * whether each write came before or after the fork's copy.
 *
 *   threadfork [WRITERS [FORKS [HEAP_KB]]]     default 4 12 2048
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG	4096

static char *heap;
static size_t heap_len;
static volatile int stop;
static size_t writers;

static void *writer(void *arg)
{
	size_t id = (size_t)arg, i, round = 0;

	while (!stop) {
		/* each writer its own interleaved set of pages */
		for (i = id * PG; i < heap_len; i += writers * PG)
			heap[i + round % PG] = (char)round;
		round++;
		usleep(200);
	}
	return NULL;
}

static void *child_thread(void *arg)
{
	char *p = malloc(64 * 1024);

	(void)arg;
	if (p)
		memset(p, 1, 64 * 1024);
	free(p);
	return NULL;
}

static void child(size_t k)
{
	pthread_t th;
	size_t i;

	for (i = (k % 8) * PG; i < heap_len; i += 8 * PG)
		heap[i] = (char)k;
	if (!pthread_create(&th, NULL, child_thread, NULL))
		pthread_join(th, NULL);
	_exit(0);
}

int main(int argc, char **argv)
{
	size_t forks, i;
	pthread_t *th;
	pid_t pid[64];

	writers = argc > 1 ? strtoul(argv[1], NULL, 0) : 4;
	forks = argc > 2 ? strtoul(argv[2], NULL, 0) : 12;
	heap_len = (argc > 3 ? strtoul(argv[3], NULL, 0) : 2048) * 1024;
	if (forks > 64 || !writers)
		return 1;
	heap = mmap(NULL, heap_len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	th = calloc(writers, sizeof(*th));
	if (heap == MAP_FAILED || !th)
		return 1;
	memset(heap, 0, heap_len);
	for (i = 0; i < writers; i++)
		if (pthread_create(&th[i], NULL, writer, (void *)i))
			return 1;
	/* children live in pairs: one forked while the other still runs */
	for (i = 0; i < forks; i++) {
		usleep(3000);
		pid[i] = fork();
		if (pid[i] == 0)
			child(i);
		if (i % 2)
			waitpid(pid[i - 1], NULL, 0);
	}
	for (i = 0; i < forks; i++)
		if (i % 2 == 0 || i == forks - 1)
			waitpid(pid[i], NULL, 0);
	stop = 1;
	for (i = 0; i < writers; i++)
		pthread_join(th[i], NULL);
	printf("threadfork: %zu writers, %zu forks\n", writers, forks);
	return 0;
}
