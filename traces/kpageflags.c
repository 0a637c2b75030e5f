// SPDX-License-Identifier: GPL-2.0-only
/* kpageflags_fix(); see kpageflags.h. */
#include <stdbool.h>
#include <stdio.h>

#include "traces/kpageflags.h"

#define KPF_KSM		21

static bool ksm_pages_exist(void)
{
	FILE *f = fopen("/sys/kernel/mm/ksm/pages_shared", "r");
	unsigned long n = 0;

	if (!f)
		return false;
	if (fscanf(f, "%lu", &n) != 1)
		n = 1;
	fclose(f);
	return n != 0;
}

uint64_t kpageflags_fix(uint64_t kflags)
{
	/* Asked again for each page that claims KSM: ksmd may have begun. */
	if ((kflags & (1ULL << KPF_KSM)) && !ksm_pages_exist())
		kflags &= ~(1ULL << KPF_KSM);
	return kflags;
}
