// SPDX-License-Identifier: GPL-2.0-only
/*
 * The seccomp filter that makes only mm and process syscalls stop the
 * tracee (SECCOMP_RET_TRACE); everything else runs at full speed, as with
 * strace --seccomp-bpf.  Raw classic BPF, so no library is needed.
 */
#include <errno.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "traces/recorder/rec.h"

enum rec_sys rec_arch_sys(long nr)
{
	int i;

	for (i = RSYS_NONE + 1; i < RSYS_NR; i++)
		if (rec_arch.nr[i] >= 0 && rec_arch.nr[i] == nr)
			return i;
	return RSYS_NONE;
}

#define BPF_MAX 64

/*
 * Install the filter on the calling thread; inherited over fork and exec.
 * A call from another ABI (i386 or x32 on x86_64) is let through: the
 * recorder follows native programs only.
 */
int rec_seccomp_install(void)
{
	struct sock_filter f[BPF_MAX];
	struct sock_fprog prog;
	int n = 0, i, nr_traced = 0, pos;

	for (i = RSYS_NONE + 1; i < RSYS_NR; i++)
		if (rec_arch.nr[i] >= 0)
			nr_traced++;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
			rec_arch.audit_arch, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			offsetof(struct seccomp_data, nr));
	/*
	 * One compare per traced call; a match jumps to the final
	 * RET_TRACE, which sits after the RET_ALLOW below the compares.
	 */
	pos = 0;
	for (i = RSYS_NONE + 1; i < RSYS_NR; i++) {
		if (rec_arch.nr[i] < 0)
			continue;
		pos++;
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ |
				BPF_K, (__u32)rec_arch.nr[i],
				nr_traced - pos + 1, 0);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			SECCOMP_RET_TRACE);

	prog.len = n;
	prog.filter = f;
	/* root may install a filter without giving up setuid transitions */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return -errno;
	return 0;
}
