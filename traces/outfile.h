/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Output files that appear whole or not at all: written to a temporary
 * name in the same directory and renamed over the target when complete,
 * so a failed or interrupted command leaves any previous file untouched.
 * A target that exists and is a device or a pipe (/dev/null, /dev/stdout)
 * is written directly.  Errors are one line naming the file and errno's
 * text.
 */
#ifndef RMAPLAB_TRACES_OUTFILE_H
#define RMAPLAB_TRACES_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct outfile {
	FILE *f;
	char path[PATH_MAX];		/* the target */
	char tmp[PATH_MAX];		/* "DIR/NAME.partial-XXXXXX" */
	bool direct;			/* a device or pipe: written as is */
};

/* Open @path's temporary file; -1 with "PATH: why" in @err. */
int outfile_open(struct outfile *o, const char *path, char *err,
		 size_t errlen);
/*
 * Flush, sync and rename over the target.  @failed: the caller's own
 * writing failed (errno says why).  Returns 0, or -1 with the temporary
 * file removed and "PATH: write failed: why" in @err.
 */
int outfile_commit(struct outfile *o, bool failed, char *err,
		   size_t errlen);
/* Give up: close and remove the temporary file. */
void outfile_abort(struct outfile *o);

#endif /* RMAPLAB_TRACES_OUTFILE_H */
