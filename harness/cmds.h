/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rmaplab subcommands.  Each returns the process exit status:
 * 0 success, 1 a check failed / disagreement found, 2 bad input or usage,
 * 3 the trace uses a feature the model does not implement.  Each has its
 * help next to its option parsing (struct cmd_doc, harness/help.h).
 */
#ifndef RMAPLAB_HARNESS_CMDS_H
#define RMAPLAB_HARNESS_CMDS_H

#include "harness/help.h"

int cmd_run(int argc, char **argv);
int cmd_dump(int argc, char **argv);
int cmd_undump(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_kernel_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_contend(int argc, char **argv);
int cmd_schemes(int argc, char **argv);
int cmd_vm(int argc, char **argv);

extern const struct cmd_doc run_doc, dump_doc, undump_doc, record_doc,
	import_doc, kernel_run_doc, check_doc, compare_doc, report_doc,
	contend_doc, schemes_doc, convert_doc, generate_doc,
	vm_doc;

#endif /* RMAPLAB_HARNESS_CMDS_H */
