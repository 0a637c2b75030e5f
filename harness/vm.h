/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Running rmaplab inside a virtual machine on another kernel: the
 * `rmaplab vm` command and the --kernel option of kernel-run and record.
 * The work is done by the rmaplab-vm script (harness/vm/), which fetches
 * the kernel, builds the initramfs and drives qemu.
 */
#ifndef RMAPLAB_HARNESS_VM_H
#define RMAPLAB_HARNESS_VM_H

/* Where a guest path argument comes from or goes to. */
enum vm_arg {
	VM_ARG_PLAIN,			/* passed as it is */
	VM_ARG_IN,			/* a host file the guest reads */
	VM_ARG_OUT,			/* a guest result copied back */
};

/*
 * Run `rmaplab ARGV...` on @kernel: @kinds[i] says what argv[i] is.
 * Returns the guest command's exit status, or 2 with one line on stderr.
 */
int vm_run(const char *kernel, int argc, char **argv,
	   const enum vm_arg *kinds);

/*
 * A command given --kernel NAME (kernel-run, record): the same command in
 * a VM on NAME.  Words after an option in @outputs are results brought
 * back, after one in @valued passed as they are (both NULL-terminated);
 * other words that are not options, and words after "--" naming a host
 * file by a path with a '/', are staged into the guest.
 */
int vm_command(int argc, char **argv, const char *const *outputs,
	       const char *const *valued);

#endif /* RMAPLAB_HARNESS_VM_H */
