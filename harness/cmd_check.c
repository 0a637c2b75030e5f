// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "harness/cmds.h"

int cmd_check(int argc, char **argv)
{
	fprintf(stderr, "rmaplab: check: not implemented yet\n");
	return 2;
}

