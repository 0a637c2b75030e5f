/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rmaplab subcommands.  Each returns the process exit status:
 * 0 success, 1 a check failed / disagreement found, 2 bad input or usage.
 */
#ifndef RMAPLAB_HARNESS_CMDS_H
#define RMAPLAB_HARNESS_CMDS_H

int cmd_run(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_undump(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_kernel_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_contend(int argc, char **argv);
int cmd_schemes(int argc, char **argv);

#endif /* RMAPLAB_HARNESS_CMDS_H */
