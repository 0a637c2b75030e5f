// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab-record: `rmaplab record` alone, built static by the
 * recorder_only meson option, to copy onto a machine (a phone, a board)
 * where the rest of rmaplab is not built.  The traces it writes are read
 * by rmaplab elsewhere.
 */
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"

int main(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--version") ||
			 !strcmp(argv[1], "-V"))) {
		printf("rmaplab-record %s (the recorder of rmaplab, static)\n",
		       RMAPLAB_VERSION);
		return 0;
	}
	return cmd_record(argc, argv);
}
