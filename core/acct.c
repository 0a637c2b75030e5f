// SPDX-License-Identifier: GPL-2.0-only
/* Object and operation accounting; see acct.h. */
#include <string.h>

#include "acct.h"

const char *const mm_op_names[OP_NR] = {
	[OP_NONE] = "none",
	[OP_MMAP] = "mmap",
	[OP_MUNMAP] = "munmap",
	[OP_MPROTECT] = "mprotect",
	[OP_MADVISE] = "madvise",
	[OP_MREMAP] = "mremap",
	[OP_BRK] = "brk",
	[OP_FAULT] = "fault",
	[OP_FORK] = "fork",
	[OP_EXEC] = "exec",
	[OP_EXIT] = "exit",
	[OP_MLOCK] = "mlock",
	[OP_MSEAL] = "mseal",
	[OP_UFFD] = "uffd",
	[OP_WALK] = "walk",
};

int acct_find(const struct acct *a, const char *name)
{
	int i;

	for (i = 0; i < a->nr; i++)
		if (!strcmp(a->cls[i].name, name))
			return i;
	return -1;
}

int acct_class(struct acct *a, const char *name, size_t size)
{
	int i = acct_find(a, name);

	if (i >= 0)
		return i;
	if (a->nr == ACCT_MAX_CLASSES)
		return ACCT_MAX_CLASSES - 1;	/* never in practice */
	i = a->nr++;
	memset(&a->cls[i], 0, sizeof(a->cls[i]));
	a->cls[i].name = name;
	a->cls[i].size = size;
	return i;
}

void acct_set_size(struct acct *a, const char *name, size_t size)
{
	int i = acct_find(a, name);

	if (i >= 0)
		a->cls[i].size = size;
}
