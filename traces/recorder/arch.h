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

/*
 * The system calls the recorder stops on, one X-macro list for the enum
 * and every architecture's table: CALL(RSYS_ suffix, __NR_ suffix), or
 * LEGACY() for a call the generic syscall ABI (aarch64) does not have.
 */
#define REC_SYSCALLS(CALL, LEGACY)					\
	CALL(MMAP, mmap)						\
	CALL(MUNMAP, munmap)						\
	CALL(MPROTECT, mprotect)					\
	CALL(PKEY_MPROTECT, pkey_mprotect)				\
	CALL(MADVISE, madvise)						\
	CALL(MREMAP, mremap)						\
	CALL(BRK, brk)							\
	CALL(SHMAT, shmat)						\
	CALL(SHMDT, shmdt)						\
	CALL(CLONE, clone)						\
	CALL(CLONE3, clone3)						\
	LEGACY(FORK, fork)						\
	LEGACY(VFORK, vfork)						\
	CALL(EXECVE, execve)						\
	CALL(EXECVEAT, execveat)					\
	CALL(EXIT, exit)						\
	CALL(EXIT_GROUP, exit_group)					\
	CALL(MLOCK, mlock)						\
	CALL(MLOCK2, mlock2)						\
	CALL(MUNLOCK, munlock)						\
	CALL(MLOCKALL, mlockall)					\
	CALL(MUNLOCKALL, munlockall)					\
	CALL(MSEAL, mseal)						\
	/* recorded as migrate events for the pages they moved */	\
	CALL(MOVE_PAGES, move_pages)					\
	CALL(MIGRATE_PAGES, migrate_pages)				\
	/*								\
	 * Calls the trace cannot describe, recorded by name		\
	 * (EV_SYSCALL) so that a replay says what it does not model.	\
	 */								\
	CALL(MBIND, mbind)						\
	CALL(SET_MEMPOLICY_HOME_NODE, set_mempolicy_home_node)		\
	CALL(REMAP_FILE_PAGES, remap_file_pages)			\
	CALL(PROCESS_MADVISE, process_madvise)				\
	CALL(PROCESS_MRELEASE, process_mrelease)			\
	CALL(PROCESS_VM_WRITEV, process_vm_writev)			\
	CALL(MAP_SHADOW_STACK, map_shadow_stack)			\
	/* traced only for some requests: see seccomp.c */		\
	CALL(IOCTL, ioctl)						\
	CALL(PRCTL, prctl)

#define REC_SYS_ENUM(sym, name)	RSYS_##sym,
enum rec_sys {
	RSYS_NONE,
	REC_SYSCALLS(REC_SYS_ENUM, REC_SYS_ENUM)
	RSYS_NR,
};
#undef REC_SYS_ENUM

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
