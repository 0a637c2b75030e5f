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
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
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

/*
 * userfaultfd ioctls: registration changes the VMAs' flags (recorded);
 * the others fill or move pages without a fault (recorded by name).
 * Older uapi headers lack MOVE (6.8) and POISON (6.6).
 */
struct uffdio_move_arg { __u64 dst, src, len, mode; __s64 move; };
struct uffdio_poison_arg { __u64 start, len, mode; __s64 updated; };

const struct rec_request rec_ioctls[] = {
	{ UFFDIO_REGISTER, "uffdio_register" },
	{ UFFDIO_UNREGISTER, "uffdio_unregister" },
	{ UFFDIO_COPY, "uffdio_copy" },
	{ UFFDIO_ZEROPAGE, "uffdio_zeropage" },
	{ _IOWR(UFFDIO, 0x05, struct uffdio_move_arg), "uffdio_move" },
	{ UFFDIO_CONTINUE, "uffdio_continue" },
	{ _IOWR(UFFDIO, 0x08, struct uffdio_poison_arg), "uffdio_poison" },
	{ 0, NULL },
};

/*
 * prctl options that change VMAs (anon names split them) or make a whole
 * process KSM-mergeable: the trace cannot describe either.
 */
const struct rec_request rec_prctls[] = {
	{ 0x53564d41, "prctl_set_vma" },	/* PR_SET_VMA */
	{ 67, "prctl_set_memory_merge" },	/* PR_SET_MEMORY_MERGE */
	{ 0, NULL },
};

const char *rec_request_name(const struct rec_request *tab, uint32_t req)
{
	for (; tab->name; tab++)
		if (tab->req == req)
			return tab->name;
	return NULL;
}

#define BPF_MAX 96

/*
 * A tiny assembler for the filter: jumps name labels, resolved once the
 * program is laid out (classic BPF jumps are forward, 8-bit offsets).
 */
enum { L_NONE, L_TRACE, L_IOCTL, L_PRCTL, L_NR };

struct bpf_prog {
	struct sock_filter f[BPF_MAX];
	uint8_t jt[BPF_MAX], jf[BPF_MAX];
	int at[L_NR];
	int n;
};

static void ins(struct bpf_prog *p, struct sock_filter i, int jt, int jf)
{
	p->jt[p->n] = (uint8_t)jt;
	p->jf[p->n] = (uint8_t)jf;
	p->f[p->n++] = i;
}

static void ld(struct bpf_prog *p, uint32_t off)
{
	ins(p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, off),
	    L_NONE, L_NONE);
}

static void ret(struct bpf_prog *p, uint32_t v)
{
	ins(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, v), L_NONE,
	    L_NONE);
}

/* if (A == @k) goto @label; */
static void jeq(struct bpf_prog *p, uint32_t k, int label)
{
	ins(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0,
					    0), label, L_NONE);
}

/* The low 32 bits of argument @i (both supported ABIs are little-endian). */
#define ARG_LO(i)	(offsetof(struct seccomp_data, args) + 8 * (i))

static void requests(struct bpf_prog *p, int arg,
		     const struct rec_request *tab)
{
	ld(p, ARG_LO(arg));
	for (; tab->name; tab++)
		jeq(p, tab->req, L_TRACE);
	ret(p, SECCOMP_RET_ALLOW);
}

/*
 * Install the filter on the calling thread; inherited over fork and exec.
 * A call from another ABI (i386 or x32 on x86_64) is let through: the
 * recorder follows native programs only.  ioctl and prctl stop only for
 * the requests above: the others are frequent and irrelevant.
 */
int rec_seccomp_install(void)
{
	struct bpf_prog p = { .n = 0 };
	struct sock_fprog prog;
	int i;

	ld(&p, offsetof(struct seccomp_data, arch));
	ins(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
					     rec_arch.audit_arch, 1, 0),
	    L_NONE, L_NONE);
	ret(&p, SECCOMP_RET_ALLOW);
	ld(&p, offsetof(struct seccomp_data, nr));
	for (i = RSYS_NONE + 1; i < RSYS_NR; i++) {
		if (rec_arch.nr[i] < 0)
			continue;
		jeq(&p, (uint32_t)rec_arch.nr[i], i == RSYS_IOCTL ? L_IOCTL :
		    i == RSYS_PRCTL ? L_PRCTL : L_TRACE);
	}
	ret(&p, SECCOMP_RET_ALLOW);
	p.at[L_IOCTL] = p.n;
	requests(&p, 1, rec_ioctls);
	p.at[L_PRCTL] = p.n;
	requests(&p, 0, rec_prctls);
	p.at[L_TRACE] = p.n;
	ret(&p, SECCOMP_RET_TRACE);
	for (i = 0; i < p.n; i++) {
		if (p.jt[i])
			p.f[i].jt = (uint8_t)(p.at[p.jt[i]] - i - 1);
		if (p.jf[i])
			p.f[i].jf = (uint8_t)(p.at[p.jf[i]] - i - 1);
	}

	prog.len = (unsigned short)p.n;
	prog.filter = p.f;
	/* root may install a filter without giving up setuid transitions */
	if (geteuid() != 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return -errno;
	return 0;
}
