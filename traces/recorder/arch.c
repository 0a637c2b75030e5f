// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recorder's syscall table for the architecture it is built for; the
 * numbers are that architecture's <asm/unistd.h>.  x86_64: the native
 * 64-bit ABI only.  aarch64: the generic syscall ABI has no fork or vfork
 * (the C library implements both with clone).
 */
#include <asm/unistd.h>
#include <linux/audit.h>

#include "traces/recorder/arch.h"

#if defined(__x86_64__)
#define REC_ARCH_NAME			"x86_64"
#define REC_AUDIT_ARCH			AUDIT_ARCH_X86_64
#define REC_NR_LEGACY(sym, name)	[RSYS_##sym] = __NR_##name,
#elif defined(__aarch64__)
#define REC_ARCH_NAME			"aarch64"
#define REC_AUDIT_ARCH			AUDIT_ARCH_AARCH64
#define REC_NR_LEGACY(sym, name)	[RSYS_##sym] = -1,
#else
#error "the recorder has syscall tables for x86_64 and aarch64 only"
#endif
#define REC_NR(sym, name)		[RSYS_##sym] = __NR_##name,

const struct rec_arch rec_arch = {
	.name = REC_ARCH_NAME,
	.audit_arch = REC_AUDIT_ARCH,
	.nr = {
		[RSYS_NONE] = -1,
		REC_SYSCALLS(REC_NR, REC_NR_LEGACY)
	},
};
