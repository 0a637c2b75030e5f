// SPDX-License-Identifier: GPL-2.0-only
/*
 * A zygote-style workload, like Android's: one parent preloads (a heap of
 * small objects, a large "boot image" region, a file mapping it reads),
 * then forks N "apps" that stay alive together.  Each app dirties part of
 * the preloaded heap (CoW), loads its own memory, starts a render thread,
 * maps and unmaps a few regions, then waits until every app is up.
 *
 *   zygote [APPS [PRELOAD_KB [APP_KB]]]     default 24 6144 1024
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define OBJ_SIZE	96	/* a small preloaded object */
#define PG		4096

struct obj {
	struct obj *next;
	unsigned long id;
	char payload[OBJ_SIZE - 16];
};

static struct obj *objs;
static size_t nr_objs;
static char *image;
static size_t image_len;
static size_t pg;	/* the running kernel's page size */

static void preload(size_t kb, const char *file)
{
	struct obj *prev = NULL;
	volatile char sum = 0;
	struct stat st;
	size_t i;
	char *f;
	int fd;

	/* two thirds small heap objects, one third one big region */
	nr_objs = kb * 1024 * 2 / 3 / sizeof(struct obj);
	objs = NULL;
	for (i = 0; i < nr_objs; i++) {
		struct obj *o = malloc(sizeof(*o));

		if (!o)
			exit(1);
		o->id = i;
		memset(o->payload, (int)i, sizeof(o->payload));
		o->next = prev;
		prev = o;
	}
	objs = prev;
	/*
	 * Whole pages in each half: mprotect() rounds its length up, and an
	 * app writes to the first byte of the writable half.
	 */
	pg = (size_t)sysconf(_SC_PAGESIZE);
	image_len = kb * 1024 / 3 / (2 * pg) * (2 * pg);
	if (!image_len)
		image_len = 2 * pg;
	image = mmap(NULL, image_len, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (image == MAP_FAILED)
		exit(1);
	memset(image, 1, image_len);
	mprotect(image, image_len / 2, PROT_READ);	/* "relro" part */

	fd = open(file, O_RDONLY);
	if (fd >= 0 && !fstat(fd, &st) && st.st_size > 0) {
		f = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f != MAP_FAILED)
			for (i = 0; i < (size_t)st.st_size; i += PG)
				sum += f[i];
		close(fd);
	}
}

static void *render(void *arg)
{
	size_t len = 64 * PG;
	char *p;

	(void)arg;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		memset(p, 2, len);
		munmap(p, len / 2);
	}
	return NULL;
}

static void app(int n, size_t kb, int ready, int go)
{
	struct obj *o;
	pthread_t th;
	size_t len = kb * 1024;
	char *mem, c;

	/* dirty the objects on one page in 8 of the heap: CoW of a part */
	for (o = objs; o; o = o->next)
		if (((uintptr_t)o / PG) % 8 == (uintptr_t)n % 8)
			o->payload[0] = (char)n;
	image[image_len / 2 + (size_t)n * PG % (image_len / 2)] = (char)n;
	mem = malloc(len);
	if (!mem)
		exit(1);
	memset(mem, n, len);
	if (pthread_create(&th, NULL, render, NULL) == 0)
		pthread_join(th, NULL);
	mem = realloc(mem, len * 2);	/* mremap of a large chunk */
	if (mem)
		memset(mem + len, n, len);
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) < 0)
		exit(1);
	exit(0);
}

int main(int argc, char **argv)
{
	int apps = argc > 1 ? atoi(argv[1]) : 24;
	size_t pre_kb = argc > 2 ? strtoul(argv[2], NULL, 0) : 6144;
	size_t app_kb = argc > 3 ? strtoul(argv[3], NULL, 0) : 1024;
	int ready[2], go[2], i;
	char c;

	if (pipe(ready) || pipe(go))
		return 1;
	preload(pre_kb, argv[0]);
	for (i = 0; i < apps; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			close(ready[0]);
			close(go[1]);
			app(i, app_kb, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (i = 0; i < apps; i++)
		if (read(ready[0], &c, 1) != 1)
			return 1;
	close(go[1]);	/* every app is up: let them go */
	while (wait(NULL) > 0)
		;
	return 0;
}
