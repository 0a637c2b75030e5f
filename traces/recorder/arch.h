/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The only architecture-specific part of the recorder: which system call
 * numbers it traces and the AUDIT_ARCH value its seccomp filter accepts.
 * Arguments and results are read with PTRACE_GET_SYSCALL_INFO, which the
 * kernel fills from each architecture's own registers, so no register
 * layout is needed here.
 */
#ifndef RMAPLAB_RECORDER_ARCH_H
#define RMAPLAB_RECORDER_ARCH_H

#include <stdint.h>

/* The system calls the recorder stops on. */
enum rec_sys {
	RSYS_NONE,
	RSYS_MMAP,
	RSYS_MUNMAP,
	RSYS_MPROTECT,
	RSYS_PKEY_MPROTECT,
	RSYS_MADVISE,
	RSYS_MREMAP,
	RSYS_BRK,
	RSYS_SHMAT,
	RSYS_SHMDT,
	RSYS_CLONE,
	RSYS_CLONE3,
	RSYS_FORK,
	RSYS_VFORK,
	RSYS_EXECVE,
	RSYS_EXECVEAT,
	RSYS_EXIT,
	RSYS_EXIT_GROUP,
	RSYS_MLOCK,
	RSYS_MLOCK2,
	RSYS_MUNLOCK,
	RSYS_MLOCKALL,
	RSYS_MUNLOCKALL,
	RSYS_MSEAL,
	/* recorded as migrate events for the pages they really moved */
	RSYS_MOVE_PAGES,
	RSYS_MIGRATE_PAGES,
	/*
	 * Calls the trace cannot describe, recorded by name (EV_SYSCALL) so
	 * that a replay says what it does not model.
	 */
	RSYS_MBIND,
	RSYS_SET_MEMPOLICY_HOME_NODE,
	RSYS_REMAP_FILE_PAGES,
	RSYS_PROCESS_MADVISE,
	RSYS_PROCESS_MRELEASE,
	RSYS_PROCESS_VM_WRITEV,
	RSYS_MAP_SHADOW_STACK,
	/* traced only for some requests: see seccomp.c */
	RSYS_IOCTL,
	RSYS_PRCTL,
	RSYS_NR,
};

/* Linux 6.10; the build host's headers may predate it (same on both). */
#ifndef __NR_mseal
#define __NR_mseal 462
#endif
/* Linux 6.6 (x86 shadow stacks; arm64 GCS from 6.13), same number. */
#ifndef __NR_map_shadow_stack
#define __NR_map_shadow_stack 453
#endif

struct rec_arch {
	const char *name;		/* trace header "arch" */
	uint32_t audit_arch;		/* AUDIT_ARCH_* of native calls */
	long nr[RSYS_NR];		/* syscall number, -1 if absent */
};

extern const struct rec_arch rec_arch;

/* Map a native syscall number to enum rec_sys (RSYS_NONE if untraced). */
enum rec_sys rec_arch_sys(long nr);

#endif /* RMAPLAB_RECORDER_ARCH_H */
