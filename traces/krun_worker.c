// SPDX-License-Identifier: GPL-2.0-only
/*
 * The worker side of kernel-run: one process per PID label of the trace,
 * doing one event at a time when the controller asks.
 *
 * A worker never allocates from the heap and, once prepared, writes only
 * to memory whose VMA already has an anon_vma.  The baseline tree (same
 * forks and exits, no mm events) then allocates exactly the anon_vma and
 * anon_vma_chain objects the main tree spends on the workers' own memory,
 * and the difference between the two trees is what the trace cost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "traces/krun_internal.h"

/* Where a probing access jumps back to when the kernel sends a signal. */
static sigjmp_buf *probe_env;
/* Highest protection key this worker allocated (pkey_mprotect). */
static int pkey_top;

static void probe_signal(int sig)
{
	siglongjmp(*probe_env, sig);
}

/*
 * Access @addr once; returns the signal the kernel sent (SIGSEGV, SIGBUS)
 * or 0.  A plain store or load makes one fault of the asked kind (a
 * read-modify-write would read-fault first).  Not instrumented: the
 * pretouch reads memory a sanitizer has not handed out.
 */
static int __attribute__((noinline, no_sanitize_address))
probe(uint64_t addr, int write, int keep)
{
	volatile char *p = (volatile char *)(uintptr_t)addr;
	sigjmp_buf env;
	int sig;

	probe_env = &env;
	sig = sigsetjmp(env, 1);
	if (!sig) {
		if (keep)
			*p = *p;
		else if (write)
			*p = 1;
		else
			(void)*p;
	} else {
		int k;

		/*
		 * x86 enters a signal handler with every key but 0 access-
		 * disabled in PKRU, and siglongjmp() skips the sigreturn
		 * that would restore it: give the keys back their rights.
		 */
		for (k = 1; k <= pkey_top; k++)
			pkey_set(k, 0);
	}
	return sig;
}

static int64_t sysret(long r)
{
	return r == -1 ? -(int64_t)errno : (int64_t)r;
}

#ifndef SYS_mseal
#define SYS_mseal 462
#endif

/*
 * pkey_mprotect() with a key the trace names: allocate keys (lowest
 * free first, as the kernel hands them out) until that one exists.
 */
static int64_t do_pkey_mprotect(const struct krun_cmd *cmd)
{
	long k;

	while (cmd->advice > pkey_top) {
		k = syscall(SYS_pkey_alloc, 0, 0);
		if (k < 0)
			break;
		pkey_top = k;
	}
	return sysret(syscall(SYS_pkey_mprotect, cmd->addr, cmd->len,
			      cmd->prot, cmd->advice));
}

static void send_reply(int sock, const struct krun_reply *rep)
{
	ssize_t n;

	do {
		n = send(sock, rep, sizeof(*rep), MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n != sizeof(*rep))
		_exit(1);
}

/* One command, and the descriptor passed with it (fork), if any. */
static ssize_t recv_cmd(int sock, struct krun_cmd *cmd, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = { .iov_base = cmd, .iov_len = sizeof(*cmd) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	do {
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(c), sizeof(int));
	return n == sizeof(*cmd) ? n : -1;
}

/*
 * Give every writable private VMA of this process an anon_vma now, while
 * nothing is traced, by writing back one byte it already holds: later
 * writes by the worker code (signal frames, errno, the probe pointer)
 * then never allocate one in one tree and not in the other.
 */
static void pretouch(void)
{
	char buf[4096], line[512];
	size_t ll = 0;
	ssize_t n, i;
	int fd;

	fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			unsigned long start, end;
			char perms[5];

			if (buf[i] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			if (sscanf(line, "%lx-%lx %4s", &start, &end,
				   perms) != 3)
				continue;
			if (perms[0] != 'r' || perms[1] != 'w' ||
			    perms[3] != 'p')
				continue;
			probe(start, 1, 1);
		}
	}
	close(fd);
}

void krun_worker_prepare(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* Children are reaped by the kernel; the controller polls pidfds. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	pretouch();
}

void krun_worker_main(int sock)
{
	struct krun_reply rep;
	struct krun_cmd cmd;
	pid_t pid;
	int fd;

	memset(&rep, 0, sizeof(rep));
	rep.pid = getpid();
	send_reply(sock, &rep);
	for (;;) {
		if (recv_cmd(sock, &cmd, &fd) <= 0)
			_exit(0);
		memset(&rep, 0, sizeof(rep));
		switch (cmd.op) {
		case KRUN_NOP:
			break;
		case KRUN_MMAP:
			rep.result = sysret(syscall(SYS_mmap, cmd.addr, cmd.len,
						    cmd.prot, cmd.flags, cmd.fd,
						    cmd.off));
			break;
		case KRUN_MUNMAP:
			rep.result = sysret(syscall(SYS_munmap, cmd.addr,
						    cmd.len));
			break;
		case KRUN_MPROTECT:
			rep.result = sysret(syscall(SYS_mprotect, cmd.addr,
						    cmd.len, cmd.prot));
			break;
		case KRUN_MADVISE:
			rep.result = sysret(syscall(SYS_madvise, cmd.addr,
						    cmd.len, cmd.advice));
			break;
		case KRUN_MREMAP:
			rep.result = sysret(syscall(SYS_mremap, cmd.addr,
						    cmd.len, cmd.new_len,
						    cmd.flags, cmd.new_addr));
			break;
		case KRUN_FAULT:
			rep.sig = probe(cmd.addr, cmd.write, 0);
			break;
		case KRUN_MLOCK:
			rep.result = sysret(syscall(SYS_mlock2, cmd.addr,
						    cmd.len, cmd.flags));
			break;
		case KRUN_MUNLOCK:
			rep.result = sysret(syscall(SYS_munlock, cmd.addr,
						    cmd.len));
			break;
		case KRUN_MLOCKALL:
			rep.result = sysret(syscall(SYS_mlockall, cmd.flags));
			break;
		case KRUN_MUNLOCKALL:
			rep.result = sysret(syscall(SYS_munlockall));
			break;
		case KRUN_MSEAL:
			rep.result = sysret(syscall(SYS_mseal, cmd.addr,
						    cmd.len, 0));
			break;
		case KRUN_PKEY_MPROTECT:
			rep.result = do_pkey_mprotect(&cmd);
			break;
		case KRUN_FORK:
			pid = fork();
			if (!pid) {
				close(sock);
				sock = fd;
				rep.pid = getpid();
				send_reply(sock, &rep);
				continue;
			}
			if (fd >= 0)
				close(fd);
			rep.result = pid < 0 ? -(int64_t)errno : 0;
			rep.pid = pid;
			break;
		case KRUN_EXIT:
			_exit(0);
		default:
			rep.result = -EINVAL;
			break;
		}
		send_reply(sock, &rep);
	}
}
