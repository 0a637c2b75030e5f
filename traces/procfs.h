/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef RMAPLAB_TRACES_PROCFS_H
#define RMAPLAB_TRACES_PROCFS_H

/*
 * The number after @key ("SwapFree:", "Pid:") at the start of a line of
 * the /proc file @path, as /proc/meminfo and /proc/PID/fdinfo/FD write
 * them.  Returns 0 with *@v, 1 when no line has it, -1 when the file
 * cannot be read.
 */
int proc_field(const char *path, const char *key, unsigned long long *v);

#endif
