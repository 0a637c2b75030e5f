// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmaplab dump TRACE		any trace (text or binary) as text on stdout
 * rmaplab undump -o OUT TRACE	any trace as binary, written to OUT
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness/cmds.h"
#include "traces/trace.h"

static int load(const char *path, struct trace *t)
{
	char err[512];

	if (trace_load(path, t, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

int cmd_dump(int argc, char **argv)
{
	struct trace t;
	int ret = 0;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: rmaplab dump TRACE\n");
		return 2;
	}
	if (load(argv[1], &t))
		return 2;
	if (trace_write_text(stdout, &t) || fflush(stdout)) {
		fprintf(stderr, "rmaplab: dump: write error: %s\n",
			strerror(errno));
		ret = 2;
	}
	trace_free(&t);
	return ret;
}

int cmd_undump(int argc, char **argv)
{
	const char *out = NULL, *in = NULL;
	struct trace t;
	FILE *f;
	int i, ret = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc && !out)
			out = argv[++i];
		else if (argv[i][0] != '-' && !in)
			in = argv[i];
		else
			goto usage;
	}
	if (!out || !in)
		goto usage;
	if (load(in, &t))
		return 2;
	f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		trace_free(&t);
		return 2;
	}
	if (trace_write_binary(f, &t)) {
		fprintf(stderr, "%s: write error\n", out);
		ret = 2;
	}
	if (fclose(f) && !ret) {
		fprintf(stderr, "%s: %s\n", out, strerror(errno));
		ret = 2;
	}
	trace_free(&t);
	return ret;
usage:
	fprintf(stderr, "usage: rmaplab undump -o OUT.rmt TRACE\n");
	return 2;
}
