// SPDX-License-Identifier: GPL-2.0-only
/* kpageflags_fix(); see kpageflags.h. */
#include <stdbool.h>
#include <stdio.h>

#include "traces/kpageflags.h"

#define KPF_KSM		21

static int ksm_pages = -1;	/* unknown until the first refresh */

void kpageflags_refresh(void)
{
	FILE *f = fopen("/sys/kernel/mm/ksm/pages_shared", "r");
	unsigned long n = 0;

	if (f && fscanf(f, "%lu", &n) != 1)
		n = 1;
	if (f)
		fclose(f);
	ksm_pages = n != 0;
}

uint64_t kpageflags_fix(uint64_t kflags)
{
	if (ksm_pages < 0)
		kpageflags_refresh();
	if (!ksm_pages)
		kflags &= ~(1ULL << KPF_KSM);
	return kflags;
}
