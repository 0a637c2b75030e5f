/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The report as a mail: one message in mbox form, which `git send-email
 * FILE` sends as it is.  Who it goes to is the user's to say (--to,
 * --cc); only the list has a default.
 */
#ifndef RMAPLAB_REPORTS_MBOX_H
#define RMAPLAB_REPORTS_MBOX_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "reports/report_data.h"

#define RPT_MAIL_TO	"linux-mm@kvack.org"

struct rpt_mail {
	const char *from;
	const char *to;			/* NULL: RPT_MAIL_TO */
	const char *const *cc;
	size_t nr_cc;
	const char *subject;		/* NULL: rpt_mail_subject() */
	time_t date;
};

/* "[DISCUSSION] anon rmap: classic vs lazy vs cowctx" for @schemes. */
void rpt_mail_subject(char *buf, size_t len, const char (*schemes)[RPT_NAME],
		      size_t nr);

/*
 * The message: the mbox "From " line, the headers, a blank line and
 * @body, whose lines starting with "From " are quoted (">From ").
 * 0, or -1 on a write error.
 */
int rpt_write_mbox(FILE *f, const struct rpt_mail *m, const char *subject,
		   const char *body, size_t len);

#endif /* RMAPLAB_REPORTS_MBOX_H */
