// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel-vectors ".expected" end state, read into and written from a
 * struct trace_checkpoint.  kernel-run writes these files; the tests and
 * `rmaplab check` compare the model against them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "traces/expected.h"
#include "traces/internal.h"

/* /proc/kpageflags bit for anonymous pages (KPF_ANON). */
#define KPF_ANON_BIT 12

enum section { SEC_NONE, SEC_MAPS, SEC_SHARING, SEC_OBJECTS };

struct share_ent {
	int64_t pid;
	uint64_t addr;
	uint64_t pfn;
	bool swap;			/* a swap entry; pfn: its line */
	unsigned long line;
};

struct ereader {
	const char *name;
	unsigned long lineno;
	char *err;
	size_t errlen;
	struct trace_checkpoint *cp;
	struct share_ent *ents;
	size_t nr_ents, cap_ents;
	uint64_t next_pfn;
};

static int rerr(struct ereader *r, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rerr(struct ereader *r, unsigned long line, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return trace_errf(r->err, r->errlen, "%s:%lu: %s", r->name, line,
			  what);
}

static struct cp_proc *find_proc(struct trace_checkpoint *cp, int64_t pid)
{
	size_t i;

	for (i = 0; i < cp->nr_procs; i++)
		if (cp->procs[i].pid == pid)
			return &cp->procs[i];
	return NULL;
}

static int hexfield(const char *s, size_t n, uint64_t *v)
{
	char buf[20];

	if (!n || n > 16 || (n > 1 && s[1] == 'x'))
		return -1;
	memcpy(buf, "0x", 2);
	memcpy(buf + 2, s, n);
	buf[n + 2] = 0;
	return trace_parse_u64(buf, v);
}

/* "start-end perms offset", as the first four /proc/PID/maps fields. */
static int read_vma(struct ereader *r, char *line)
{
	struct cp_proc *p = &r->cp->procs[r->cp->nr_procs - 1];
	char range[40], perms[8], off[24], *dash;
	struct cp_vma *v;
	uint64_t start, end, offset;
	int n = 0;

	if (sscanf(line, "%39s %7s %23s %n", range, perms, off, &n) != 3 ||
	    line[n])
		return rerr(r, r->lineno, "expected 'start-end perms "
			    "offset', got '%s'", line);
	dash = strchr(range, '-');
	if (!dash || hexfield(range, dash - range, &start) ||
	    hexfield(dash + 1, strlen(dash + 1), &end) || end <= start)
		return rerr(r, r->lineno, "bad vma range '%s'", range);
	if (!trace_perms_ok(perms))
		return rerr(r, r->lineno, "bad vma perms '%s'", perms);
	if (hexfield(off, strlen(off), &offset))
		return rerr(r, r->lineno, "bad vma offset '%s'", off);
	v = cp_proc_add_vma(p);
	v->start = start;
	v->end = end;
	v->offset = offset;
	memcpy(v->perms, perms, 5);
	return 0;
}

static int read_sharing(struct ereader *r, char *line)
{
	char *save = NULL, *tok, *colon;
	uint64_t pfn = ++r->next_pfn;
	struct share_ent *e;
	int64_t pid;
	uint64_t addr;
	bool swap = !strncmp(line, "swap ", 5);

	/* "swap PID:ADDR...": swap entries sharing one slot. */
	if (swap)
		line += 5;
	for (tok = strtok_r(line, " \t", &save); tok;
	     tok = strtok_r(NULL, " \t", &save)) {
		colon = strchr(tok, ':');
		if (!colon)
			return rerr(r, r->lineno, "expected PID:ADDR, got '%s'",
				    tok);
		*colon = 0;
		if (trace_parse_i64(tok, &pid) ||
		    strncmp(colon + 1, "0x", 2) ||
		    trace_parse_u64(colon + 1, &addr))
			return rerr(r, r->lineno, "bad PID:ADDR '%s:%s'", tok,
				    colon + 1);
		if (!find_proc(r->cp, pid))
			return rerr(r, r->lineno, "sharing names process %"
				    PRId64 " which has no '== %" PRId64
				    "' section", pid, pid);
		trace_grow((void **)&r->ents, &r->cap_ents, r->nr_ents,
			   sizeof(*r->ents));
		e = &r->ents[r->nr_ents++];
		e->pid = pid;
		e->addr = addr;
		e->pfn = pfn;
		e->swap = swap;
		e->line = r->lineno;
	}
	return 0;
}

static int read_objects(struct ereader *r, char *line)
{
	char key[32];
	uint64_t v;
	char val[32];
	int n = 0;

	if (sscanf(line, "%31s %31s %n", key, val, &n) != 2 || line[n] ||
	    trace_parse_u64(val, &v) || v > INT64_MAX)
		return rerr(r, r->lineno, "expected 'NAME COUNT', got '%s'",
			    line);
	if (!strcmp(key, "anon_vma") && r->cp->anon_vma < 0)
		r->cp->anon_vma = v;
	else if (!strcmp(key, "anon_vma_chain") && r->cp->anon_vma_chain < 0)
		r->cp->anon_vma_chain = v;
	else
		return rerr(r, r->lineno, "unknown or repeated object '%s'",
			    key);
	return 0;
}

static int cmp_ent(const void *a, const void *b)
{
	const struct share_ent *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Pages go to their processes in address order, each listed once. */
static int distribute_pages(struct ereader *r)
{
	struct cp_page *pg;
	size_t i;

	qsort(r->ents, r->nr_ents, sizeof(*r->ents), cmp_ent);
	for (i = 0; i < r->nr_ents; i++) {
		struct share_ent *e = &r->ents[i];

		if (i && e->pid == e[-1].pid && e->addr == e[-1].addr)
			return rerr(r, e->line, "page %" PRId64 ":0x%" PRIx64
				    " listed twice", e->pid, e->addr);
		pg = cp_proc_add_page(find_proc(r->cp, e->pid));
		pg->addr = e->addr;
		pg->pfn = e->pfn;
		if (e->swap) {
			pg->swap = true;
			continue;
		}
		pg->kflags = 1ull << KPF_ANON_BIT;
		pg->anon = true;
	}
	return 0;
}

static int read_line(struct ereader *r, char *line, enum section *sec)
{
	int64_t pid;

	if (!strncmp(line, "== ", 3)) {
		if (*sec != SEC_NONE && *sec != SEC_MAPS)
			return rerr(r, r->lineno, "'== PID' after '-- %s'",
				    *sec == SEC_SHARING ? "sharing" :
				    "objects");
		if (trace_parse_i64(line + 3, &pid))
			return rerr(r, r->lineno, "bad PID '%s'", line + 3);
		if (find_proc(r->cp, pid))
			return rerr(r, r->lineno, "process %" PRId64
				    " listed twice", pid);
		checkpoint_add_proc(r->cp, pid);
		*sec = SEC_MAPS;
		return 0;
	}
	if (!strcmp(line, "-- sharing")) {
		if (*sec == SEC_SHARING || *sec == SEC_OBJECTS)
			return rerr(r, r->lineno, "misplaced '-- sharing'");
		*sec = SEC_SHARING;
		return 0;
	}
	if (!strcmp(line, "-- objects")) {
		if (*sec == SEC_OBJECTS)
			return rerr(r, r->lineno, "repeated '-- objects'");
		*sec = SEC_OBJECTS;
		return 0;
	}
	switch (*sec) {
	case SEC_MAPS:
		return read_vma(r, line);
	case SEC_SHARING:
		return read_sharing(r, line);
	case SEC_OBJECTS:
		return read_objects(r, line);
	default:
		return rerr(r, r->lineno, "expected '== PID', got '%s'", line);
	}
}

int checkpoint_read_expected(FILE *f, const char *name,
			     struct trace_checkpoint *cp,
			     char *err, size_t errlen)
{
	struct ereader r = {
		.name = name, .err = err, .errlen = errlen, .cp = cp,
	};
	enum section sec = SEC_NONE;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	memset(cp, 0, sizeof(*cp));
	strcpy(cp->reason, "end");
	cp->anon_vma = -1;
	cp->anon_vma_chain = -1;
	cp->has_pfns = true;
	while ((len = getline(&line, &cap, f)) >= 0) {
		r.lineno++;
		if ((size_t)len != strlen(line)) {
			ret = rerr(&r, r.lineno, "NUL byte in line");
			break;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = 0;
		if (!len)
			continue;
		ret = read_line(&r, line, &sec);
		if (ret)
			break;
	}
	free(line);
	if (!ret && ferror(f))
		ret = trace_errf(err, errlen, "%s: read error", name);
	if (!ret)
		ret = distribute_pages(&r);
	free(r.ents);
	if (ret)
		checkpoint_free(cp);
	return ret;
}

int checkpoint_load_expected(const char *path, struct trace_checkpoint *cp,
			     char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		memset(cp, 0, sizeof(*cp));
		return trace_errf(err, errlen, "%s: %s", path,
				  strerror(errno));
	}
	ret = checkpoint_read_expected(f, path, cp, err, errlen);
	fclose(f);
	return ret;
}

struct out_ent {
	uint64_t pfn;		/* swap: cp_swap_slot() */
	bool swap;
	char *text;		/* "PID:0xADDR" */
};

static int cmp_out_pfn(const void *a, const void *b)
{
	const struct out_ent *x = a, *y = b;

	if (x->swap != y->swap)
		return x->swap < y->swap ? -1 : 1;
	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return strcmp(x->text, y->text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int checkpoint_write_expected(FILE *f, const struct trace_checkpoint *cp)
{
	struct out_ent *ents = NULL;
	size_t nr = 0, nr_lines = 0, i, j, k;
	char **lines;
	uint64_t solo = 0;

	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];

		fprintf(f, "== %" PRId64 "\n", p->pid);
		for (j = 0; j < p->nr_vmas; j++)
			fprintf(f, "%08" PRIx64 "-%08" PRIx64 " %.4s %08"
				PRIx64 "\n", p->vmas[j].start,
				p->vmas[j].end, p->vmas[j].perms,
				p->vmas[j].offset);
		for (j = 0; j < p->nr_pages; j++)
			nr += p->pages[j].anon || p->pages[j].swap;
	}

	/*
	 * Pages without a known frame (no pfns, or pfn 0) cannot be shown to
	 * share: each gets a line of its own, numbered above every real pfn.
	 */
	ents = trace_xcalloc(nr, sizeof(*ents));
	nr = 0;
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];

		for (j = 0; j < p->nr_pages; j++) {
			const struct cp_page *pg = &p->pages[j];
			char *s;

			if (!pg->anon && !pg->swap)
				continue;
			if (asprintf(&s, "%" PRId64 ":0x%" PRIx64, p->pid,
				     pg->addr) < 0)
				s = trace_xstrdup("?");
			ents[nr].text = s;
			ents[nr].swap = pg->swap;
			ents[nr].pfn = cp->has_pfns && pg->pfn ? pg->pfn : 0;
			if (pg->swap && pg->pfn)
				ents[nr].pfn = cp_swap_slot(pg);
			if (!ents[nr].pfn)
				ents[nr].pfn = UINT64_MAX - solo++;
			nr++;
		}
	}
	qsort(ents, nr, sizeof(*ents), cmp_out_pfn);
	lines = trace_xcalloc(nr, sizeof(*lines));
	for (i = 0; i < nr; i = k) {
		size_t len = 0;
		char *s;

		for (k = i; k < nr && ents[k].pfn == ents[i].pfn &&
			    ents[k].swap == ents[i].swap; k++)
			len += strlen(ents[k].text) + 1;
		s = trace_xcalloc(len + 5, 1);
		/* Swap entries sharing a slot: "swap PID:ADDR...". */
		if (ents[i].swap)
			strcpy(s, "swap ");
		for (j = i; j < k; j++) {
			if (j > i)
				strcat(s, " ");
			strcat(s, ents[j].text);
		}
		lines[nr_lines++] = s;
	}
	qsort(lines, nr_lines, sizeof(*lines), cmp_str);

	fprintf(f, "-- sharing\n");
	for (i = 0; i < nr_lines; i++) {
		fprintf(f, "%s\n", lines[i]);
		free(lines[i]);
	}
	for (i = 0; i < nr; i++)
		free(ents[i].text);
	free(lines);
	free(ents);

	fprintf(f, "-- objects\n");
	if (cp->anon_vma >= 0)
		fprintf(f, "anon_vma %" PRId64 "\n", cp->anon_vma);
	if (cp->anon_vma_chain >= 0)
		fprintf(f, "anon_vma_chain %" PRId64 "\n", cp->anon_vma_chain);
	return ferror(f) ? -1 : 0;
}

int trace_append_expected(struct trace *t, const char *path,
			  char *err, size_t errlen)
{
	struct trace_checkpoint tmp, *cp;

	if (checkpoint_load_expected(path, &tmp, err, errlen))
		return -1;
	cp = trace_new_checkpoint(t, 0, "end");
	checkpoint_free(cp);
	*cp = tmp;
	return 0;
}
