/* SPDX-License-Identifier: GPL-2.0-only */
/* One-line error messages carried back to whoever reports them. */
#ifndef RMAPLAB_CORE_ERRBUF_H
#define RMAPLAB_CORE_ERRBUF_H

#include <stdarg.h>
#include <stdio.h>

struct errbuf {
	char msg[512];
};

static inline int errbuf_set(struct errbuf *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline int errbuf_set(struct errbuf *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

#endif /* RMAPLAB_CORE_ERRBUF_H */
