// SPDX-License-Identifier: GPL-2.0-only
/* The report as one mbox message; see mbox.h. */
#include <string.h>

#include "reports/mbox.h"
#include "reports/table.h"

/* Header lines fold before 78 columns (RFC 5322). */
#define HDR_WIDTH	78

void rpt_mail_subject(char *buf, size_t len, const char (*schemes)[RPT_NAME],
		      size_t nr)
{
	size_t i, n;

	n = snprintf(buf, len, "[DISCUSSION] anon rmap:");
	for (i = 0; i < nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? " vs " : " ",
			      schemes[i]);
}

/* "Cc: a, b," folded before HDR_WIDTH, continuation lines indented. */
static void address_list(FILE *f, const char *name, const char *const *v,
			 size_t nr)
{
	size_t i, col;

	col = fprintf(f, "%s:", name);
	for (i = 0; i < nr; i++) {
		size_t n = strlen(v[i]) + 2;

		if (i && col + n > HDR_WIDTH) {
			fputs("\n", f);
			col = 0;
		}
		col += fprintf(f, " %s%s", v[i], i + 1 < nr ? "," : "");
	}
	fputc('\n', f);
}

int rpt_write_mbox(FILE *f, const struct rpt_mail *m, const char *subject,
		   const char *body, size_t len)
{
	const char *to = m->to ? m->to : RPT_MAIL_TO;
	const char *p = body, *end = body + len, *nl, *q;
	char date[64];
	struct tm tm;

	/* git format-patch's separator line, which send-email expects */
	fputs("From rmaplab Mon Sep 17 00:00:00 2001\n", f);
	fprintf(f, "From: %s\n", m->from);
	localtime_r(&m->date, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	fprintf(f, "Date: %s\n", date);
	rt_wrap(f, HDR_WIDTH, "Subject: ", " ", subject);
	address_list(f, "To", &to, 1);
	if (m->nr_cc)
		address_list(f, "Cc", m->cc, m->nr_cc);
	fputs("MIME-Version: 1.0\n"
	      "Content-Type: text/plain; charset=UTF-8\n"
	      "Content-Transfer-Encoding: 8bit\n\n", f);
	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			nl = end;
		/* mboxrd: a body line must not read as a new message */
		for (q = p; q < nl && *q == '>'; q++)
			;
		if (nl - q >= 5 && !memcmp(q, "From ", 5))
			fputc('>', f);
		fwrite(p, 1, nl - p, f);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
