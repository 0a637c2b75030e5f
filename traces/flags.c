// SPDX-License-Identifier: GPL-2.0-only
/*
 * Names of the Linux ABI flag words a trace carries (PROT_*, MAP_*,
 * MREMAP_*, MADV_*) and numbers as the text form spells them.  Bits without
 * a name are written as a hex element so no value is ever lost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "traces/internal.h"
#include "traces/trace.h"

#include "traces/linux_abi.h"

const struct trace_flag_name trace_mmap_flag_names[] = {
	{ "shared_validate", MAP_SHARED_VALIDATE },
	{ "private", MAP_PRIVATE },
	{ "shared", MAP_SHARED },
	{ "anon", MAP_ANONYMOUS },
	{ "fixed", MAP_FIXED },
	{ "fixed_noreplace", MAP_FIXED_NOREPLACE },
	{ "growsdown", MAP_GROWSDOWN },
	{ "noreserve", MAP_NORESERVE },
	{ "norserve", MAP_NORESERVE },	/* DESIGN.md's spelling, read only */
	{ "populate", MAP_POPULATE },
	{ "nonblock", MAP_NONBLOCK },
	{ "stack", MAP_STACK },
	{ "hugetlb", MAP_HUGETLB },
	{ "locked", MAP_LOCKED },
	{ "denywrite", MAP_DENYWRITE },
	{ "executable", MAP_EXECUTABLE },
	{ "sync", MAP_SYNC },
	{ "droppable", MAP_DROPPABLE },
	{ "uninitialized", MAP_UNINITIALIZED },
#ifdef MAP_32BIT
	{ "32bit", MAP_32BIT },
#endif
	{ NULL, 0 },
};

const struct trace_flag_name trace_mremap_flag_names[] = {
	{ "maymove", MREMAP_MAYMOVE },
	{ "fixed", MREMAP_FIXED },
	{ "dontunmap", MREMAP_DONTUNMAP },
	{ NULL, 0 },
};

const struct trace_flag_name trace_advice_names[] = {
	{ "normal", MADV_NORMAL },
	{ "random", MADV_RANDOM },
	{ "sequential", MADV_SEQUENTIAL },
	{ "willneed", MADV_WILLNEED },
	{ "dontneed", MADV_DONTNEED },
	{ "free", MADV_FREE },
	{ "remove", MADV_REMOVE },
	{ "dontfork", MADV_DONTFORK },
	{ "dofork", MADV_DOFORK },
	{ "mergeable", MADV_MERGEABLE },
	{ "unmergeable", MADV_UNMERGEABLE },
	{ "hugepage", MADV_HUGEPAGE },
	{ "nohugepage", MADV_NOHUGEPAGE },
	{ "dontdump", MADV_DONTDUMP },
	{ "dodump", MADV_DODUMP },
	{ "wipeonfork", MADV_WIPEONFORK },
	{ "keeponfork", MADV_KEEPONFORK },
	{ "cold", MADV_COLD },
	{ "pageout", MADV_PAGEOUT },
	{ "populate_read", MADV_POPULATE_READ },
	{ "populate_write", MADV_POPULATE_WRITE },
	{ "dontneed_locked", MADV_DONTNEED_LOCKED },
	{ "collapse", MADV_COLLAPSE },
	{ "hwpoison", MADV_HWPOISON },
	{ "soft_offline", MADV_SOFT_OFFLINE },
	{ "guard_install", MADV_GUARD_INSTALL },
	{ "guard_remove", MADV_GUARD_REMOVE },
	{ NULL, 0 },
};

const struct trace_flag_name trace_mlock_flag_names[] = {
	{ "onfault", MLOCK_ONFAULT },
	{ NULL, 0 },
};

const struct trace_flag_name trace_mlockall_flag_names[] = {
	{ "current", MCL_CURRENT },
	{ "future", MCL_FUTURE },
	{ "onfault", MCL_ONFAULT },
	{ NULL, 0 },
};

const struct trace_flag_name trace_uffd_mode_names[] = {
	{ "missing", UFFD_MODE_MISSING },
	{ "wp", UFFD_MODE_WP },
	{ "minor", UFFD_MODE_MINOR },
	{ NULL, 0 },
};

/* Strict: the whole string, 0x-hex or decimal, no sign, no overflow. */
int trace_parse_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	unsigned int base = 10, d;
	const char *p = s;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (!*p)
		return -1;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return -1;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
	}
	*v = x;
	return 0;
}

int trace_parse_i64(const char *s, int64_t *v)
{
	uint64_t x;
	bool neg = s[0] == '-';

	if (trace_parse_u64(s + neg, &x))
		return -1;
	if (neg) {
		if (x > (uint64_t)INT64_MAX + 1)
			return -1;
		*v = (int64_t)(0 - x);
	} else {
		if (x > INT64_MAX)
			return -1;
		*v = (int64_t)x;
	}
	return 0;
}

/* "rw-" style, or a number when bits beyond PROT_EXEC are set. */
int trace_parse_prot(const char *s, uint32_t *prot)
{
	uint64_t v;

	if (s[0] >= '0' && s[0] <= '9') {
		if (trace_parse_u64(s, &v) || v > UINT32_MAX)
			return -1;
		*prot = v;
		return 0;
	}
	if (strlen(s) != 3)
		return -1;
	*prot = 0;
	if (s[0] == 'r')
		*prot |= PROT_READ;
	else if (s[0] != '-')
		return -1;
	if (s[1] == 'w')
		*prot |= PROT_WRITE;
	else if (s[1] != '-')
		return -1;
	if (s[2] == 'x')
		*prot |= PROT_EXEC;
	else if (s[2] != '-')
		return -1;
	return 0;
}

int trace_format_prot(char *buf, size_t len, uint32_t prot)
{
	if (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return snprintf(buf, len, "0x%" PRIx32, prot);
	return snprintf(buf, len, "%c%c%c",
			prot & PROT_READ ? 'r' : '-',
			prot & PROT_WRITE ? 'w' : '-',
			prot & PROT_EXEC ? 'x' : '-');
}

/*
 * A comma list of names from @tab and numbers, or "0".  On an unknown
 * element *@bad points at it within @s (the caller's copy stays intact).
 */
int trace_parse_flag_list(const char *s, const struct trace_flag_name *tab,
			  uint32_t *out, const char **bad)
{
	const char *p = s;
	uint32_t v = 0;

	*bad = s;
	if (!*s)
		return -1;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const struct trace_flag_name *f;
		char el[32];
		uint64_t x;

		*bad = p;
		if (!n || n >= sizeof(el))
			return -1;
		memcpy(el, p, n);
		el[n] = 0;
		for (f = tab; f->name; f++)
			if (!strcmp(f->name, el))
				break;
		if (f->name) {
			v |= f->value;
		} else {
			if (el[0] < '0' || el[0] > '9' ||
			    trace_parse_u64(el, &x) || x > UINT32_MAX)
				return -1;
			v |= x;
		}
		p += n;
		if (*p == ',') {
			p++;
			if (!*p) {
				*bad = p - 1;
				return -1;
			}
		}
	}
	*out = v;
	return 0;
}

static int format_flag_list(char *buf, size_t len, uint32_t flags,
			    const struct trace_flag_name *tab)
{
	const struct trace_flag_name *f;
	size_t n = 0;
	int r;

	if (!flags)
		return snprintf(buf, len, "0");
	buf[0] = 0;
	for (f = tab; f->name && flags; f++) {
		if (!f->value || (flags & f->value) != f->value)
			continue;
		r = snprintf(buf + n, len > n ? len - n : 0, "%s%s",
			     n ? "," : "", f->name);
		n += r;
		flags &= ~f->value;
	}
	if (flags) {
		r = snprintf(buf + n, len > n ? len - n : 0, "%s0x%" PRIx32,
			     n ? "," : "", flags);
		n += r;
	}
	return n;
}

int trace_format_mmap_flags(char *buf, size_t len, uint32_t flags)
{
	return format_flag_list(buf, len, flags, trace_mmap_flag_names);
}

int trace_format_mremap_flags(char *buf, size_t len, uint32_t flags)
{
	return format_flag_list(buf, len, flags, trace_mremap_flag_names);
}

int trace_format_mlock_flags(char *buf, size_t len, uint32_t flags)
{
	return format_flag_list(buf, len, flags, trace_mlock_flag_names);
}

int trace_format_mlockall_flags(char *buf, size_t len, uint32_t flags)
{
	return format_flag_list(buf, len, flags, trace_mlockall_flag_names);
}

int trace_format_uffd_modes(char *buf, size_t len, uint32_t flags)
{
	return format_flag_list(buf, len, flags, trace_uffd_mode_names);
}

int trace_parse_advice(const char *s, int32_t *advice)
{
	const struct trace_flag_name *f;
	int64_t v;

	for (f = trace_advice_names; f->name; f++) {
		if (!strcmp(f->name, s)) {
			*advice = f->value;
			return 0;
		}
	}
	if (((s[0] >= '0' && s[0] <= '9') || s[0] == '-') &&
	    !trace_parse_i64(s, &v) && v >= INT32_MIN && v <= INT32_MAX) {
		*advice = v;
		return 0;
	}
	return -1;
}

int trace_format_advice(char *buf, size_t len, int32_t advice)
{
	const struct trace_flag_name *f;

	for (f = trace_advice_names; f->name; f++)
		if ((int32_t)f->value == advice)
			return snprintf(buf, len, "%s", f->name);
	return snprintf(buf, len, "%" PRId32, advice);
}
