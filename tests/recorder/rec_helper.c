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
 *   rec_helper forkw N  a thread writes on while the main thread forks N
 *                       times, each child writing too (order around fork)
 *   rec_helper shm      SysV segment id 0 (own IPC namespace) attached
 *                       twice side by side, and a 5000-byte one whose
 *                       second page is unmapped before it is detached
 *   rec_helper segv     a write to a read-only anon page: SIGSEGV
 *   rec_helper lock     MAP_POPULATE, MAP_LOCKED, mlock, mlock2(ONFAULT),
 *                       munlock, mlockall(MCL_FUTURE), munlockall, mseal,
 *                       MADV_POPULATE_WRITE, pkey_mprotect
 *   rec_helper leader   the main thread exits first (pthread_exit); its
 *                       thread maps, writes, and ends the process
 *   rec_helper procmem  write an untouched page through /proc/self/mem
 *   rec_helper uffd     userfaultfd: register, a copy, a thread's fault
 *                       resolved 20 ms later by a copy, unregister
 *   rec_helper swapfork MB  (run under a memory limit below MB) write
 *                       MB/6 MiB at WBASE, fork a child that waits, write MB
 *                       MiB at XBASE (the kernel reclaims, shared pages
 *                       included), fork a child that exits at once, let
 *                       the first read the first half of WBASE and write
 *                       its third quarter, then read its first quarter
 *   rec_helper pageout  write 16 pages, MADV_COLD the first 4,
 *                       MADV_PAGEOUT pages 4..11, fork, read page 4
 *   rec_helper pageout-moved  write 16 pages on one CPU, MADV_PAGEOUT
 *                       them from another (exit 77 with one CPU): the
 *                       folios still in the first CPU's LRU batch stay
 *                       mapped; then fork
 *   rec_helper procmadvise  write 16 pages, fork a child that writes
 *                       pages 8..15 and waits; process_madvise() of the
 *                       child: MADV_PAGEOUT of pages 8..11 and 12..15 (one
 *                       call, two iovecs), MADV_COLD of pages 0..3; then
 *                       MADV_DONTNEED of its own page 7 through
 *                       PIDFD_SELF (Linux 6.15; refused before, which
 *                       changes nothing); the child reads page 8, exits
 *   rec_helper movepages N  write 8 pages at WBASE, fork, move_pages()
 *                       pages 0..3 to node N, migrate_pages() from every
 *                       node to N
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE	((char *)0x700000000000UL)
#define TBASE	((char *)0x700100000000UL)
#define RBASE	((char *)0x700200000000UL)
#define SBASE	((char *)0x700300000000UL)
#define LBASE	((char *)0x700400000000UL)
#define WBASE	((char *)0x700500000000UL)
#define XBASE	((char *)0x700600000000UL)
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

/* Two threads: one writes 64 pages round after round, one forks. */
#define FW_PAGES 64
static volatile int fw_stop;

static void *fw_writer(void *arg)
{
	char *p = arg;
	unsigned int round = 0, i;

	while (!fw_stop) {
		for (i = 0; i < FW_PAGES; i++)
			p[i * PG] = (char)(round + i);
		round++;
	}
	return NULL;
}

static int forkw(int n)
{
	char *p = map_fixed(BASE, FW_PAGES * PG);
	pthread_t th;
	pid_t pid;
	int i, j;

	if (pthread_create(&th, NULL, fw_writer, p))
		return 101;
	for (i = 0; i < n; i++) {
		usleep(2000);
		pid = fork();
		if (pid == 0) {
			for (j = 0; j < FW_PAGES; j += 4)
				p[j * PG] = 1;
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	}
	fw_stop = 1;
	pthread_join(th, NULL);
	return 0;
}

static char *attach(int id, char *at)
{
	char *p = shmat(id, at, 0);

	if (p != at) {
		perror("shmat");
		_exit(104);
	}
	return p;
}

/*
 * SBASE: 0 1 2 | 3 4 5 | . . . . | 10 11
 *        id 0    id 0            id 1 (5000 bytes)
 */
static int shm(void)
{
	int id0, id1;

	if (unshare(CLONE_NEWIPC))
		return 105;
	id0 = shmget(IPC_PRIVATE, 3 * PG, IPC_CREAT | 0600);
	id1 = shmget(IPC_PRIVATE, 5000, IPC_CREAT | 0600);
	if (id0 != 0 || id1 < 0)
		return 106;
	attach(id0, SBASE)[0] = 1;
	attach(id0, SBASE + 3 * PG)[PG] = 2;
	attach(id1, SBASE + 10 * PG)[PG] = 3;
	shmctl(id0, IPC_RMID, NULL);
	shmctl(id1, IPC_RMID, NULL);
	/* shmdt still unmaps the segment's size: only the kernel says it */
	munmap(SBASE + 11 * PG, PG);
	if (shmdt(SBASE + 3 * PG) || shmdt(SBASE) || shmdt(SBASE + 10 * PG))
		return 107;
	return 0;
}

static int segv(void)
{
	volatile char *p = map_fixed(BASE, PG);

	p[0] = 1;
	mprotect((void *)p, PG, PROT_READ);
	signal(SIGSEGV, SIG_DFL);
	p[0] = 2;
	return 108;
}

/*
 * LBASE: 0..3 populate, 8..11 locked, 16..19 mlock 16..17, 24..27 mlock2
 * onfault, 32..35 after mlockall(MCL_FUTURE), 40..43 MADV_POPULATE_WRITE
 * of 40..41, 48 sealed, 56 pkey_mprotect
 */
static int lock(void)
{
	int prot = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS |
		   MAP_FIXED_NOREPLACE;
	char *p;

	if (mmap(LBASE, 4 * PG, prot, anon | MAP_POPULATE, -1, 0) != LBASE ||
	    mmap(LBASE + 8 * PG, 4 * PG, prot, anon | MAP_LOCKED, -1, 0) !=
	    LBASE + 8 * PG)
		return 109;
	/* raw syscalls: a sanitizer build's interceptors skip these */
	p = map_fixed(LBASE + 16 * PG, 4 * PG);
	if (syscall(SYS_mlock, p, 2 * PG) || syscall(SYS_munlock, p, PG))
		return 110;
	p = map_fixed(LBASE + 24 * PG, 4 * PG);
	if (syscall(SYS_mlock2, p, 4 * PG, 1 /* MLOCK_ONFAULT */))
		return 111;
	if (syscall(SYS_mlockall, MCL_FUTURE))
		return 112;
	p = mmap(LBASE + 32 * PG, 4 * PG, prot, anon, -1, 0);
	syscall(SYS_munlockall);
	if (p != LBASE + 32 * PG)
		return 113;
	p = map_fixed(LBASE + 40 * PG, 4 * PG);
	if (madvise(p, 2 * PG, 23 /* MADV_POPULATE_WRITE */))
		return 114;
	p = map_fixed(LBASE + 48 * PG, PG);
	syscall(462 /* mseal */, p, PG, 0);
	p = map_fixed(LBASE + 56 * PG, PG);
	syscall(SYS_pkey_mprotect, p, PG, PROT_READ, -1);
	return 0;
}

static void *last_thread(void *arg)
{
	char *p = map_fixed(TBASE, 2 * PG);

	usleep(10000);
	p[0] = 1;
	return NULL;
}

static int leader(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, last_thread, NULL))
		return 123;
	pthread_exit(NULL);
}

static int procmem(void)
{
	char *p = map_fixed(BASE, 2 * PG), c = 7;
	int fd = open("/proc/self/mem", O_RDWR);

	p[0] = 1;
	if (fd < 0 || pwrite(fd, &c, 1, (off_t)(unsigned long)(p + PG)) != 1)
		return 115;
	close(fd);
	return 0;
}

static void *uffd_toucher(void *arg)
{
	((volatile char *)arg)[0] = 5;
	return NULL;
}

static int uffd_copy(int uffd, char *dst, char *src)
{
	struct uffdio_copy cp = {
		.dst = (unsigned long)dst, .src = (unsigned long)src,
		.len = PG, .mode = 0,
	};

	return ioctl(uffd, UFFDIO_COPY, &cp);
}

static int uffd(void)
{
	static char src[PG] __attribute__((aligned(PG)));
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg;
	struct uffdio_range range;
	struct uffd_msg msg;
	char *p = map_fixed(BASE, 2 * PG);
	pthread_t th;
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);

	if (fd < 0 || ioctl(fd, UFFDIO_API, &api))
		return 116;
	reg.range.start = (unsigned long)p;
	reg.range.len = 2 * PG;
	reg.mode = UFFDIO_REGISTER_MODE_MISSING;
	if (ioctl(fd, UFFDIO_REGISTER, &reg))
		return 117;
	src[0] = 9;
	if (uffd_copy(fd, p, src))
		return 118;
	if (pthread_create(&th, NULL, uffd_toucher, p + PG))
		return 119;
	if (read(fd, &msg, sizeof(msg)) != sizeof(msg))
		return 120;
	usleep(20000);
	if (uffd_copy(fd, p + PG, src))
		return 121;
	pthread_join(th, NULL);
	range.start = (unsigned long)p;
	range.len = 2 * PG;
	if (ioctl(fd, UFFDIO_UNREGISTER, &range))
		return 122;
	return 0;
}

/* Touch every page of [p, p + len): write, or read into *sum. */
static void touch(char *p, size_t len, bool write, volatile char *sum)
{
	size_t i;

	for (i = 0; i < len; i += PG) {
		if (write)
			p[i] = (char)(i / PG + 1);
		else
			*sum += p[i];
	}
}

/* An anon region of base pages: no THP, whatever the system says. */
static char *map_small(char *at, size_t len)
{
	char *p = map_fixed(at, len);

	madvise(p, len, MADV_NOHUGEPAGE);
	return p;
}

static int swapfork(size_t mb)
{
	size_t wlen = ((mb << 20) / 6) & ~(size_t)(PG - 1), xlen = mb << 20;
	volatile char sum = 0;
	int go[2], status;
	char *w, *x, c;
	pid_t a, b;

	w = map_small(WBASE, wlen);
	touch(w, wlen, true, &sum);
	if (pipe(go))
		return 100;
	a = fork();
	if (a < 0)
		return 100;
	if (a == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(101);
		/* swap-ins of shared entries: reads, then writes (CoW) */
		touch(w, wlen / 2, false, &sum);
		touch(w + wlen / 2, wlen / 4, true, &sum);
		_exit(0);
	}
	close(go[0]);
	x = map_small(XBASE, xlen);
	touch(x, xlen, true, &sum);
	/* the fork checkpoint shows what the kernel reclaimed meanwhile */
	b = fork();
	if (b == 0)
		_exit(0);
	if (b < 0 || waitpid(b, &status, 0) != b)
		return 100;
	if (write(go[1], "g", 1) != 1 || waitpid(a, &status, 0) != a ||
	    !WIFEXITED(status) || WEXITSTATUS(status))
		return 102;
	touch(w, wlen / 4, false, &sum);
	return 0;
}

/*
 * Stay on the CPU we run on.  MADV_PAGEOUT drains only its own CPU's
 * batches of new folios (up to 31 each, not yet on the LRU), so pages
 * faulted on another CPU may not be isolated and stay mapped: the
 * recorder then writes them as `madvise ... cold` (pageout-moved tests
 * that), and `pageout` checks the whole range's event.
 */
static void stay_on_this_cpu(void)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int pageout(void)
{
	volatile char sum = 0;
	char *p = map_small(WBASE, 16 * PG);
	pid_t pid;

	stay_on_this_cpu();
	touch(p, 16 * PG, true, &sum);
	madvise(p, 4 * PG, MADV_COLD);
	madvise(p + 4 * PG, 8 * PG, MADV_PAGEOUT);
	pid = fork();
	if (pid == 0) {
		touch(p + 4 * PG, PG, false, &sum);
		_exit(0);
	}
	return pid > 0 && waitpid(pid, NULL, 0) == pid ? 0 : 100;
}

static int pageout_moved(void)
{
	volatile char sum = 0;
	char *p = map_small(WBASE, 16 * PG);
	cpu_set_t set;
	int cpu;
	pid_t pid;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 77;
	stay_on_this_cpu();
	cpu = sched_getcpu();
	touch(p, 16 * PG, true, &sum);
	/* then any CPU but this one */
	CPU_CLR(cpu, &set);
	if (cpu < 0 || !CPU_COUNT(&set) ||
	    sched_setaffinity(0, sizeof(set), &set))
		return 77;
	madvise(p, 16 * PG, MADV_PAGEOUT);
	pid = fork();
	if (pid == 0)
		_exit(0);
	return pid > 0 && waitpid(pid, NULL, 0) == pid ? 0 : 100;
}

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise	440
#endif
#define PIDFD_SELF_GROUP	-10001

static int procmadvise(void)
{
	volatile char sum = 0;
	char *p = map_small(WBASE, 16 * PG), c;
	struct iovec out[2] = {
		{ p + 8 * PG, 4 * PG }, { p + 12 * PG, 4 * PG },
	}, cold = { p, 4 * PG }, own = { p + 7 * PG, PG };
	int ready[2], go[2], pidfd;
	pid_t pid;

	stay_on_this_cpu();
	touch(p, 16 * PG, true, &sum);
	if (pipe(ready) || pipe(go))
		return 100;
	pid = fork();
	if (pid == 0) {
		touch(p + 8 * PG, 8 * PG, true, &sum);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		touch(p + 8 * PG, PG, false, &sum);
		_exit(0);
	}
	if (pid < 0 || read(ready[0], &c, 1) != 1)
		return 100;
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0 ||
	    syscall(SYS_process_madvise, pidfd, out, 2, MADV_PAGEOUT, 0) !=
	    8 * PG ||
	    syscall(SYS_process_madvise, pidfd, &cold, 1, MADV_COLD, 0) !=
	    4 * PG)
		return 101;
	syscall(SYS_process_madvise, PIDFD_SELF_GROUP, &own, 1,
		MADV_DONTNEED, 0);
	if (write(go[1], "g", 1) != 1)
		return 100;
	return waitpid(pid, NULL, 0) == pid ? 0 : 100;
}

static int movepages(int node)
{
	volatile char sum = 0;
	char *p = map_small(WBASE, 8 * PG);
	void *pages[4];
	int nodes[4], status[4], i;
	unsigned long all = ~0UL, to = 1UL << node;
	pid_t pid;

	touch(p, 8 * PG, true, &sum);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	for (i = 0; i < 4; i++) {
		pages[i] = p + i * PG;
		nodes[i] = node;
	}
	/* MPOL_MF_MOVE_ALL (root): shared pages move too */
	if (syscall(SYS_move_pages, 0, 4UL, pages, nodes, status, 1 << 2))
		perror("move_pages");
	if (syscall(SYS_migrate_pages, 0, 8 * sizeof(long) - 1, &all,
		    &to) < 0)
		perror("migrate_pages");
	kill(pid, SIGKILL);
	return waitpid(pid, NULL, 0) == pid ? 0 : 100;
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
	if (!strcmp(argv[1], "forkw"))
		return forkw(argc > 2 ? atoi(argv[2]) : 20);
	if (!strcmp(argv[1], "shm"))
		return shm();
	if (!strcmp(argv[1], "segv"))
		return segv();
	if (!strcmp(argv[1], "lock"))
		return lock();
	if (!strcmp(argv[1], "leader"))
		return leader();
	if (!strcmp(argv[1], "procmem"))
		return procmem();
	if (!strcmp(argv[1], "uffd"))
		return uffd();
	if (!strcmp(argv[1], "swapfork"))
		return swapfork(argc > 2 ? strtoul(argv[2], NULL, 0) : 48);
	if (!strcmp(argv[1], "pageout"))
		return pageout();
	if (!strcmp(argv[1], "pageout-moved"))
		return pageout_moved();
	if (!strcmp(argv[1], "procmadvise"))
		return procmadvise();
	if (!strcmp(argv[1], "movepages"))
		return movepages(argc > 2 ? atoi(argv[2]) : 0);
	return 2;
}
