// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "harness/cmds.h"

int cmd_compare(int argc, char **argv)
{
	fprintf(stderr, "rmaplab: compare: not implemented yet\n");
	return 2;
}

