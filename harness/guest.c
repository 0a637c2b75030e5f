// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab-guest: the part of rmaplab that runs on the kernel under test,
 * statically linked so that it runs in a bare initramfs or on a device
 * (kernel-run and record need only libc; the model stays on the host).
 */
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--version") ||
			 !strcmp(argv[1], "-V"))) {
		printf("rmaplab-guest %s (record and kernel-run, static)\n",
		       RMAPLAB_VERSION);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "kernel-run"))
		return cmd_kernel_run(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "record"))
		return cmd_record(argc - 1, argv + 1);
	fprintf(argc > 1 ? stderr : stdout,
		"usage: rmaplab-guest kernel-run|record ARGS\n"
		"The static part of rmaplab for a VM or a device; see "
		"`rmaplab help kernel-run`.\n");
	return argc > 1 ? 2 : 0;
}
