// SPDX-License-Identifier: GPL-2.0-only
/* Whole-or-nothing output files; see outfile.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/internal.h"
#include "traces/outfile.h"

static mode_t process_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

int outfile_open(struct outfile *o, const char *path, char *err,
		 size_t errlen)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd, n;

	memset(o, 0, sizeof(*o));
	n = snprintf(o->path, sizeof(o->path), "%s", path);
	if (n < 0 || (size_t)n >= sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%.*s%s.partial-XXXXXX",
		     slash ? (int)(slash - path + 1) : 0, path,
		     slash ? slash + 1 : path) >= (int)sizeof(o->tmp)) {
		trace_errf(err, errlen, "%.200s: %s", path,
			 strerror(ENAMETOOLONG));
		return -1;
	}
	/* a device or a pipe (/dev/null, /dev/stdout) is written as is */
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return trace_errf(err, errlen, "%s: %s", path,
					  strerror(EISDIR));
		o->direct = true;
		o->f = fopen(path, "w");
		if (!o->f)
			return trace_errf(err, errlen, "%s: %s", path,
					  strerror(errno));
		return 0;
	}
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		trace_errf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* mkstemp makes 0600; the file gets what fopen() would give it */
	fchmod(fd, 0666 & ~process_umask());
	o->f = fdopen(fd, "w");
	if (!o->f) {
		trace_errf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (!o->f)
		return;
	fclose(o->f);
	o->f = NULL;
	if (!o->direct)
		unlink(o->tmp);
}

int outfile_commit(struct outfile *o, bool failed, char *err,
		   size_t errlen)
{
	int e = failed ? (errno ? errno : EIO) : 0;

	if (!e && (fflush(o->f) || ferror(o->f)))
		e = errno ? errno : EIO;
	/* on disk before it takes the name: a crash leaves old or new */
	if (!e && !o->direct && fsync(fileno(o->f)) && errno != EINVAL)
		e = errno;
	if (fclose(o->f) && !e)
		e = errno ? errno : EIO;
	o->f = NULL;
	if (!e && !o->direct && rename(o->tmp, o->path))
		e = errno;
	if (!e)
		return 0;
	if (!o->direct)
		unlink(o->tmp);
	trace_errf(err, errlen, "%s: write failed: %s", o->path, strerror(e));
	return -1;
}
