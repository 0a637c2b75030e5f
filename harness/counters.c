// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event counters through libpfm4 and perf_event_open(); see counters.h.
 * Only the perfmon header is included: it carries its own copy of the
 * perf_event ABI, which clashes with <linux/perf_event.h>.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness/counters.h"

static const struct {
	const char *name;		/* what the output calls it */
	const char *pfm;		/* libpfm4 event string */
	bool hw;
} events[] = {
	{ "cycles", "cycles", true },
	{ "instructions", "instructions", true },
	{ "cache-misses", "perf::PERF_COUNT_HW_CACHE_MISSES", true },
	{ "task-clock", "perf::task-clock", false },
	{ "page-faults", "perf::page-faults", false },
	{ "context-switches", "perf::context-switches", false },
};

/*
 * Encode @pfm for this thread, user and kernel (or user only when
 * @user_only: perf_event_paranoid 2 allows only that to non-root).
 */
static int open_event(const char *pfm, bool user_only, int *err)
{
	struct perf_event_attr attr;
	pfm_perf_encode_arg_t arg;
	int ret, fd;

	memset(&attr, 0, sizeof(attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = &attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(pfm, user_only ? PFM_PLM3 :
					PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT,
					&arg);
	if (ret != PFM_SUCCESS) {
		*err = -ret;
		return -1;
	}
	attr.disabled = 1;
	attr.read_format = 0;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0)
		*err = errno;
	return fd;
}

int counters_open(struct counter_set *cs)
{
	static bool pfm_ok, pfm_tried;
	int hw_errno = 0, err, fd, len;
	size_t i;

	memset(cs, 0, sizeof(*cs));
	if (!pfm_tried) {
		pfm_tried = true;
		pfm_ok = pfm_initialize() == PFM_SUCCESS;
	}
	if (!pfm_ok) {
		snprintf(cs->note, sizeof(cs->note),
			 "none (libpfm4 did not initialise)");
		return 0;
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		/* Software events only when the hardware ones failed. */
		if (!events[i].hw && cs->hw)
			break;
		err = 0;
		fd = open_event(events[i].pfm, false, &err);
		if (fd < 0 && (err == EACCES || err == EPERM))
			fd = open_event(events[i].pfm, true, &err);
		if (fd < 0) {
			if (events[i].hw && !hw_errno)
				hw_errno = err;
			continue;
		}
		snprintf(cs->c[cs->nr].name, sizeof(cs->c[cs->nr].name), "%s",
			 events[i].name);
		cs->c[cs->nr].fd = fd;
		cs->c[cs->nr].hw = events[i].hw;
		cs->hw |= events[i].hw;
		cs->nr++;
	}
	len = snprintf(cs->note, sizeof(cs->note), "%s:",
		       cs->hw ? "hw" : "sw only");
	for (i = 0; i < (size_t)cs->nr && len < (int)sizeof(cs->note); i++)
		len += snprintf(cs->note + len, sizeof(cs->note) - len, "%s%s",
				i ? "," : " ", cs->c[i].name);
	if (!cs->hw && len < (int)sizeof(cs->note))
		snprintf(cs->note + len, sizeof(cs->note) - len,
			 " (no PMU: cycles %s)", hw_errno ?
			 strerror(hw_errno) : "not encodable");
	return cs->nr;
}

void counters_start(struct counter_set *cs)
{
	int i;

	for (i = 0; i < cs->nr; i++) {
		ioctl(cs->c[i].fd, PERF_EVENT_IOC_RESET, 0);
		ioctl(cs->c[i].fd, PERF_EVENT_IOC_ENABLE, 0);
	}
}

void counters_stop(struct counter_set *cs)
{
	uint64_t v;
	int i;

	for (i = 0; i < cs->nr; i++) {
		ioctl(cs->c[i].fd, PERF_EVENT_IOC_DISABLE, 0);
		if (read(cs->c[i].fd, &v, sizeof(v)) == sizeof(v))
			cs->c[i].value = v;
		else
			cs->c[i].value = 0;
	}
}

void counters_close(struct counter_set *cs)
{
	int i;

	for (i = 0; i < cs->nr; i++)
		close(cs->c[i].fd);
	cs->nr = 0;
}
