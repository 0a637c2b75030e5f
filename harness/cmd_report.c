// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include "harness/cmds.h"

int cmd_report(int argc, char **argv)
{
	fprintf(stderr, "rmaplab: report: not implemented yet\n");
	return 2;
}

