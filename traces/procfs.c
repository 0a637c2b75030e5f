// SPDX-License-Identifier: GPL-2.0-only
/* Keyed numbers of /proc files (procfs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/procfs.h"

int proc_field(const char *path, const char *key, unsigned long long *v)
{
	size_t klen = strlen(key);
	char line[256], *end;
	FILE *f = fopen(path, "re");
	int ret = 1;

	if (!f)
		return -1;
	while (ret && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen))
			continue;
		*v = strtoull(line + klen, &end, 10);
		if (end != line + klen)
			ret = 0;
	}
	fclose(f);
	return ret;
}
