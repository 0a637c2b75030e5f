// SPDX-License-Identifier: GPL-2.0-only
/*
 * Syscall table of the recorder for aarch64.  The generic syscall ABI has
 * no fork or vfork: the C library implements both with clone.
 */
#ifdef __aarch64__
#include <asm/unistd.h>
#include <linux/audit.h>

#include "traces/recorder/arch.h"

const struct rec_arch rec_arch = {
	.name = "aarch64",
	.audit_arch = AUDIT_ARCH_AARCH64,
	.nr = {
		[RSYS_NONE] = -1,
		[RSYS_MMAP] = __NR_mmap,
		[RSYS_MUNMAP] = __NR_munmap,
		[RSYS_MPROTECT] = __NR_mprotect,
		[RSYS_PKEY_MPROTECT] = __NR_pkey_mprotect,
		[RSYS_MADVISE] = __NR_madvise,
		[RSYS_MREMAP] = __NR_mremap,
		[RSYS_BRK] = __NR_brk,
		[RSYS_SHMAT] = __NR_shmat,
		[RSYS_SHMDT] = __NR_shmdt,
		[RSYS_CLONE] = __NR_clone,
		[RSYS_CLONE3] = __NR_clone3,
		[RSYS_FORK] = -1,
		[RSYS_VFORK] = -1,
		[RSYS_EXECVE] = __NR_execve,
		[RSYS_EXECVEAT] = __NR_execveat,
		[RSYS_EXIT] = __NR_exit,
		[RSYS_EXIT_GROUP] = __NR_exit_group,
		[RSYS_MLOCK] = __NR_mlock,
		[RSYS_MLOCK2] = __NR_mlock2,
		[RSYS_MUNLOCK] = __NR_munlock,
		[RSYS_MLOCKALL] = __NR_mlockall,
		[RSYS_MUNLOCKALL] = __NR_munlockall,
		[RSYS_MSEAL] = __NR_mseal,
		[RSYS_MOVE_PAGES] = __NR_move_pages,
		[RSYS_MIGRATE_PAGES] = __NR_migrate_pages,
		[RSYS_MBIND] = __NR_mbind,
		[RSYS_SET_MEMPOLICY_HOME_NODE] = __NR_set_mempolicy_home_node,
		[RSYS_REMAP_FILE_PAGES] = __NR_remap_file_pages,
		[RSYS_PROCESS_MADVISE] = __NR_process_madvise,
		[RSYS_PROCESS_MRELEASE] = __NR_process_mrelease,
		[RSYS_PROCESS_VM_WRITEV] = __NR_process_vm_writev,
		[RSYS_MAP_SHADOW_STACK] = __NR_map_shadow_stack,
		[RSYS_IOCTL] = __NR_ioctl,
		[RSYS_PRCTL] = __NR_prctl,
	},
};
#endif
