// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text form of a trace (traces/FORMAT.md): one event per line, plus
 * multi-line checkpoint blocks.  The reader is strict, since a line it
 * skipped would silently change what a replay does; the writer prints
 * exactly what the reader accepts, so text round trips are lossless.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "traces/binary_v2.h"
#include "traces/internal.h"
#include "traces/linux_abi.h"
#include "traces/trace.h"

#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif

#define MAX_TOKENS 32
#define MAX_OPTS 8
#define MAX_LINE 65536
#define HEADER_PREFIX "# rmaplab text trace"

struct tparser {
	const char *name;
	struct trace *t;
	char *err;
	size_t errlen;
	unsigned long lineno;
	/* Open checkpoint block, if any. */
	bool in_cp;
	uint32_t cp;
	unsigned long cp_line;
	bool have_proc;
	bool ended;			/* the end line was read */
	/*
	 * Text v2 (what rmaplab writes) always ends with "end N", so a cut
	 * file is told from a whole one.  v1, the hand-written form of the
	 * design's examples and the kernel vectors, may omit it.
	 */
	unsigned int version;
	bool cut;			/* the last line had no newline */
};

/* What follows the event name: positionals, key=value options, result. */
struct fields {
	char *pos[MAX_TOKENS];
	int npos;
	char *key[MAX_OPTS];
	char *val[MAX_OPTS];
	bool used[MAX_OPTS];
	int nopt;
	char *result;
};

static int perr(struct tparser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(struct tparser *p, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return trace_errf(p->err, p->errlen, "%s:%lu: %s", p->name,
			  p->lineno, what);
}

static int tokenize(struct tparser *p, char *s, char **tok, int *ntok)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == MAX_TOKENS)
			return perr(p, "too many fields");
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = 0;
	}
	*ntok = n;
	return 0;
}

/*
 * Split @tok (everything after the event name) into @f.  Options are the
 * key=value tokens after the positionals; "-> RESULT" ends the line.
 */
static int split_fields(struct tparser *p, char **tok, int n,
			struct fields *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < n; i++) {
		if (!strcmp(tok[i], "->")) {
			if (i + 2 != n)
				return perr(p, i + 1 == n ?
					    "missing RESULT after '->'" :
					    "junk after RESULT: '%s'",
					    tok[i + 2 < n ? i + 2 : i]);
			f->result = tok[i + 1];
			break;
		}
		if (strchr(tok[i], '=')) {
			char *eq = strchr(tok[i], '=');
			int j;

			if (f->nopt == MAX_OPTS)
				return perr(p, "too many options");
			*eq = 0;
			for (j = 0; j < f->nopt; j++)
				if (!strcmp(f->key[j], tok[i]))
					return perr(p, "duplicate option '%s='",
						    tok[i]);
			f->key[f->nopt] = tok[i];
			f->val[f->nopt++] = eq + 1;
			continue;
		}
		if (f->nopt)
			return perr(p, "unexpected '%s' after options",
				    tok[i]);
		f->pos[f->npos++] = tok[i];
	}
	return 0;
}

static char *take_opt(struct fields *f, const char *key)
{
	int i;

	for (i = 0; i < f->nopt; i++) {
		if (!strcmp(f->key[i], key)) {
			f->used[i] = true;
			return f->val[i];
		}
	}
	return NULL;
}

static int check_opts_used(struct tparser *p, struct fields *f,
			   const char *ev)
{
	int i;

	for (i = 0; i < f->nopt; i++)
		if (!f->used[i])
			return perr(p, "unknown option '%s=' for %s",
				    f->key[i], ev);
	return 0;
}

static int num(struct tparser *p, const char *s, const char *what,
	       uint64_t *v)
{
	if (trace_parse_u64(s, v))
		return perr(p, "bad %s '%s'", what, s);
	return 0;
}

static int parse_result(struct tparser *p, const char *s, int64_t *r)
{
	uint64_t v;
	int e;

	if (s[0] == '-' && s[1] == 'E') {
		e = errno_from_name(s + 1);
		if (!e)
			return perr(p, "unknown errno name '%s'", s + 1);
		*r = -e;
		return 0;
	}
	if (s[0] == '-') {
		if (trace_parse_u64(s + 1, &v) || v > (uint64_t)INT64_MAX + 1)
			return perr(p, "bad RESULT '%s'", s);
		*r = (int64_t)(0 - v);
		return 0;
	}
	if (trace_parse_u64(s, &v))
		return perr(p, "bad RESULT '%s'", s);
	*r = (int64_t)v;
	return 0;
}

static int want_pos(struct tparser *p, struct fields *f, int min, int max,
		    const char *usage)
{
	if (f->npos < min || f->npos > max)
		return perr(p, "expected '%s'", usage);
	return 0;
}

static int parse_pid(struct tparser *p, const char *s, const char *what,
		     int64_t *v)
{
	if (trace_parse_i64(s, v))
		return perr(p, "bad %s '%s'", what, s);
	return 0;
}

static int parse_mmap(struct tparser *p, struct trace_event *ev,
		      struct fields *f)
{
	const char *bad, *file, *off;

	if (want_pos(p, f, 4, 4, "PID mmap ADDR LEN PROT FLAGS "
		     "[file=NAME off=PGOFF] -> RESULT") ||
	    num(p, f->pos[0], "ADDR", &ev->addr) ||
	    num(p, f->pos[1], "LEN", &ev->len))
		return -1;
	if (trace_parse_prot(f->pos[2], &ev->prot))
		return perr(p, "bad PROT '%s'", f->pos[2]);
	if (trace_parse_flag_list(f->pos[3], trace_mmap_flag_names,
				  &ev->flags, &bad))
		return perr(p, "bad mmap flag '%s'", bad);
	file = take_opt(f, "file");
	off = take_opt(f, "off");
	if (file) {
		if (!trace_file_name_ok(file))
			return perr(p, "bad file name '%s'", file);
		if (ev->flags & MAP_ANONYMOUS)
			return perr(p, "anon mmap with file=");
		ev->file = trace_file_id(p->t, file);
	}
	if (off && num(p, off, "off= page offset", &ev->pgoff))
		return -1;
	return 0;
}

static int parse_range(struct tparser *p, struct trace_event *ev,
		       struct fields *f, int npos, const char *usage)
{
	return want_pos(p, f, npos, npos, usage) ||
	       num(p, f->pos[0], "ADDR", &ev->addr) ||
	       num(p, f->pos[1], "LEN", &ev->len) ? -1 : 0;
}

static int parse_mremap(struct tparser *p, struct trace_event *ev,
			struct fields *f)
{
	const char *bad;

	if (want_pos(p, f, 4, 5, "PID mremap OLD OLDLEN NEWLEN FLAGS "
		     "[NEWADDR] -> RESULT") ||
	    num(p, f->pos[0], "OLD address", &ev->addr) ||
	    num(p, f->pos[1], "OLDLEN", &ev->len) ||
	    num(p, f->pos[2], "NEWLEN", &ev->new_len))
		return -1;
	if (trace_parse_flag_list(f->pos[3], trace_mremap_flag_names,
				  &ev->flags, &bad))
		return perr(p, "bad mremap flag '%s'", bad);
	if (f->npos == 5 && num(p, f->pos[4], "NEWADDR", &ev->new_addr))
		return -1;
	if ((ev->flags & MREMAP_FIXED) && f->npos != 5)
		return perr(p, "mremap fixed needs NEWADDR");
	return 0;
}

static int parse_flag_word(struct tparser *p, struct trace_event *ev,
			   struct fields *f, const struct trace_flag_name *tab,
			   int idx, const char *usage, const char *what)
{
	const char *bad;

	if (f->npos <= idx)
		return perr(p, "expected '%s'", usage);
	if (trace_parse_flag_list(f->pos[idx], tab, &ev->flags, &bad))
		return perr(p, "bad %s '%s'", what, bad);
	return 0;
}

static int parse_mlock(struct tparser *p, struct trace_event *ev,
		       struct fields *f)
{
	const char *usage = "PID mlock ADDR LEN [onfault] -> RESULT";

	if (want_pos(p, f, 2, 3, usage) ||
	    num(p, f->pos[0], "ADDR", &ev->addr) ||
	    num(p, f->pos[1], "LEN", &ev->len))
		return -1;
	if (f->npos == 3)
		return parse_flag_word(p, ev, f, trace_mlock_flag_names, 2,
				       usage, "mlock flag");
	return 0;
}

static int parse_pkey_mprotect(struct tparser *p, struct trace_event *ev,
			       struct fields *f)
{
	int64_t pkey;

	if (parse_range(p, ev, f, 4,
			"PID pkey_mprotect ADDR LEN PROT PKEY -> RESULT"))
		return -1;
	if (trace_parse_prot(f->pos[2], &ev->prot))
		return perr(p, "bad PROT '%s'", f->pos[2]);
	if (parse_pid(p, f->pos[3], "PKEY", &pkey))
		return -1;
	if (pkey < INT32_MIN || pkey > INT32_MAX)
		return perr(p, "PKEY '%s' out of range", f->pos[3]);
	ev->advice = pkey;
	return 0;
}

static int parse_syscall(struct tparser *p, struct trace_event *ev,
			 struct fields *f)
{
	if (want_pos(p, f, 1, 1, "PID syscall NAME -> RESULT"))
		return -1;
	if (!trace_file_name_ok(f->pos[0]))
		return perr(p, "bad syscall name '%s'", f->pos[0]);
	ev->file = trace_file_id(p->t, f->pos[0]);
	return 0;
}

static int parse_fault(struct tparser *p, struct trace_event *ev,
		       struct fields *f)
{
	const char *order;
	uint64_t v;

	if (want_pos(p, f, 2, 2, "PID fault ADDR r|w [order=N]") ||
	    num(p, f->pos[0], "ADDR", &ev->addr))
		return -1;
	if (!strcmp(f->pos[1], "w"))
		ev->write = 1;
	else if (strcmp(f->pos[1], "r"))
		return perr(p, "fault access must be r or w, not '%s'",
			    f->pos[1]);
	order = take_opt(f, "order");
	if (order) {
		if (num(p, order, "order", &v))
			return -1;
		if (v > TRACE_MAX_ORDER)
			return perr(p, "order %" PRIu64
				    " out of range (max %d)", v,
				    TRACE_MAX_ORDER);
		ev->order = v;
	}
	return 0;
}


static int parse_child(struct tparser *p, struct trace_event *ev,
		       struct fields *f, const char *usage)
{
	const char *fl;
	uint64_t v;

	if (want_pos(p, f, 1, 1, usage) ||
	    parse_pid(p, f->pos[0], "CHILD", &ev->child))
		return -1;
	fl = take_opt(f, "flags");
	if (fl) {
		if (num(p, fl, "clone flags", &v))
			return -1;
		if (v > UINT32_MAX)
			return perr(p, "clone flags '%s' out of range", fl);
		ev->flags = v;
	}
	return 0;
}

static int parse_reason(struct tparser *p, const char *s, char *out,
			size_t len)
{
	if (!trace_reason_ok(s) || strlen(s) >= len)
		return perr(p, "bad checkpoint reason '%s'", s);
	strcpy(out, s);
	return 0;
}

static int parse_count(struct tparser *p, const char *s, const char *what,
		       int64_t *v)
{
	uint64_t x;

	if (num(p, s, what, &x))
		return -1;
	if (x > INT64_MAX)
		return perr(p, "%s '%s' out of range", what, s);
	*v = x;
	return 0;
}

static int parse_checkpoint(struct tparser *p, struct trace_event **evp,
			    struct fields *f)
{
	struct trace_checkpoint *cp;
	struct trace_event *ev = *evp;
	int64_t pid = ev->pid;
	const char *s;
	char reason[16];

	if (want_pos(p, f, 1, 1, "PID checkpoint REASON [anon_vma=N] "
		     "[anon_vma_chain=N] [pfns=no]") ||
	    parse_reason(p, f->pos[0], reason, sizeof(reason)))
		return -1;
	/* The event appended by the caller becomes the checkpoint event. */
	p->t->nr_ev--;
	cp = trace_new_checkpoint(p->t, pid, reason);
	*evp = ev = &p->t->ev[p->t->nr_ev - 1];
	s = take_opt(f, "anon_vma");
	if (s && parse_count(p, s, "anon_vma count", &cp->anon_vma))
		return -1;
	s = take_opt(f, "anon_vma_chain");
	if (s && parse_count(p, s, "anon_vma_chain count",
			     &cp->anon_vma_chain))
		return -1;
	s = take_opt(f, "pfns");
	if (s) {
		if (!strcmp(s, "no"))
			cp->has_pfns = false;
		else if (strcmp(s, "yes"))
			return perr(p, "pfns= must be yes or no, not '%s'", s);
	}
	p->in_cp = true;
	p->cp = ev->cp;
	p->cp_line = p->lineno;
	p->have_proc = false;
	return 0;
}

/* Which events are system calls that may carry "-> RESULT". */
static bool takes_result(enum trace_ev type)
{
	switch (type) {
	case EV_FAULT:
	case EV_EXIT:
	case EV_CHECKPOINT:
	case EV_RECLAIM:
		return false;
	default:
		return true;
	}
}

static int parse_event(struct tparser *p, char **tok, int n)
{
	struct trace_event *ev;
	struct fields f;
	const char *t;
	char what[128];
	int64_t pid;
	int type, ret;

	if (parse_pid(p, tok[0], "PID", &pid))
		return -1;
	if (n < 2)
		return perr(p, "missing event after PID");
	for (type = 0; type < EV_NR; type++)
		if (!strcmp(tok[1], trace_ev_name(type)))
			break;
	if (type == EV_NR)
		return perr(p, "unknown event '%s'", tok[1]);
	if (split_fields(p, tok + 2, n - 2, &f))
		return -1;
	ev = trace_append(p->t);
	ev->type = type;
	ev->pid = pid;
	ev->line = p->lineno;

	switch (type) {
	case EV_MMAP:
		ret = parse_mmap(p, ev, &f);
		break;
	case EV_MUNMAP:
		ret = parse_range(p, ev, &f, 2, "PID munmap ADDR LEN");
		break;
	case EV_MPROTECT:
		ret = parse_range(p, ev, &f, 3, "PID mprotect ADDR LEN PROT");
		if (!ret && trace_parse_prot(f.pos[2], &ev->prot))
			ret = perr(p, "bad PROT '%s'", f.pos[2]);
		break;
	case EV_MADVISE:
		ret = parse_range(p, ev, &f, 3, "PID madvise ADDR LEN ADVICE");
		if (!ret && trace_parse_advice(f.pos[2], &ev->advice))
			ret = perr(p, "unknown madvise advice '%s'", f.pos[2]);
		break;
	case EV_MREMAP:
		ret = parse_mremap(p, ev, &f);
		break;
	case EV_BRK:
		ret = want_pos(p, &f, 1, 1, "PID brk ADDR -> RESULT") ||
		      num(p, f.pos[0], "ADDR", &ev->addr) ? -1 : 0;
		break;
	case EV_FAULT:
		ret = parse_fault(p, ev, &f);
		break;
	case EV_FORK:
		ret = parse_child(p, ev, &f, "PID fork CHILD");
		break;
	case EV_THREAD:
		ret = parse_child(p, ev, &f, "PID thread TID");
		break;
	case EV_EXEC:
		ret = want_pos(p, &f, 0, 0, "PID exec");
		break;
	case EV_EXIT:
		ret = want_pos(p, &f, 0, 0, "PID exit");
		break;
	case EV_CHECKPOINT:
		ret = parse_checkpoint(p, &ev, &f);
		break;
	case EV_MLOCK:
		ret = parse_mlock(p, ev, &f);
		break;
	case EV_MUNLOCK:
		ret = parse_range(p, ev, &f, 2, "PID munlock ADDR LEN");
		break;
	case EV_MLOCKALL:
		ret = want_pos(p, &f, 1, 1, "PID mlockall FLAGS") ||
		      parse_flag_word(p, ev, &f, trace_mlockall_flag_names, 0,
				      "PID mlockall FLAGS", "mlockall flag");
		break;
	case EV_MUNLOCKALL:
		ret = want_pos(p, &f, 0, 0, "PID munlockall");
		break;
	case EV_MSEAL:
		ret = parse_range(p, ev, &f, 2, "PID mseal ADDR LEN");
		break;
	case EV_PKEY_MPROTECT:
		ret = parse_pkey_mprotect(p, ev, &f);
		break;
	case EV_UFFD_REGISTER:
		ret = parse_range(p, ev, &f, 3,
				  "PID uffd_register ADDR LEN MODES") ||
		      parse_flag_word(p, ev, &f, trace_uffd_mode_names, 2,
				      "PID uffd_register ADDR LEN MODES",
				      "userfaultfd mode");
		break;
	case EV_UFFD_UNREGISTER:
		ret = parse_range(p, ev, &f, 2, "PID uffd_unregister ADDR LEN");
		break;
	case EV_SYSCALL:
		ret = parse_syscall(p, ev, &f);
		break;
	case EV_RECLAIM:
		ret = parse_range(p, ev, &f, 2, "PID reclaim ADDR LEN");
		break;
	case EV_PAGEOUT:
		ret = parse_range(p, ev, &f, 2, "PID pageout ADDR LEN");
		break;
	case EV_MIGRATE:
		ret = parse_range(p, ev, &f, 2, "PID migrate ADDR LEN");
		break;
	default:
		ret = -1;
	}
	if (ret)
		return -1;
	ev->line = p->lineno;
	t = take_opt(&f, "t");
	if (t && num(p, t, "time t=", &ev->time_ns))
		return -1;
	if (check_opts_used(p, &f, tok[1]))
		return -1;
	if (f.result) {
		if (!takes_result(type))
			return perr(p, "%s takes no '-> RESULT'", tok[1]);
		if (parse_result(p, f.result, &ev->result))
			return -1;
		ev->has_result = 1;
		if (trace_result_check(p->t, ev, what, sizeof(what)))
			return perr(p, "%s", what);
	}
	return 0;
}

static struct cp_proc *cur_proc(struct tparser *p)
{
	struct trace_checkpoint *cp = &p->t->cps[p->cp];

	return &cp->procs[cp->nr_procs - 1];
}

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 16)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static uint64_t hexval(const char *s, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 16 + (s[i] <= '9' ? s[i] - '0' : s[i] - 'a' + 10);
	return v;
}

/*
 * "vma START-END PERMS OFFSET [NAME]": the first four /proc/PID/maps
 * fields, then the name as the rest of the line (it may hold spaces and
 * '#', so comments do not apply here).
 */
static int parse_vma(struct tparser *p, char *s)
{
	struct cp_vma *v;
	char *range, *perms, *off, *dash, *name, *end;

	if (!p->have_proc)
		return perr(p, "'vma' before 'proc' in checkpoint");
	range = s;
	s += strcspn(s, " \t");
	if (*s)
		*s++ = 0;
	s += strspn(s, " \t");
	perms = s;
	s += strcspn(s, " \t");
	if (*s)
		*s++ = 0;
	s += strspn(s, " \t");
	off = s;
	s += strcspn(s, " \t");
	if (*s)
		*s++ = 0;
	s += strspn(s, " \t");
	name = s;
	end = name + strlen(name);
	while (end > name && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = 0;

	dash = strchr(range, '-');
	if (!dash || !is_hex(range, dash - range) ||
	    !is_hex(dash + 1, strlen(dash + 1)))
		return perr(p, "bad vma range '%s'", range);
	if (!trace_perms_ok(perms))
		return perr(p, "bad vma perms '%s'", perms);
	if (!is_hex(off, strlen(off)))
		return perr(p, "bad vma offset '%s'", off);
	if (strlen(name) >= sizeof(v->name))
		return perr(p, "vma name longer than %zu bytes",
			    sizeof(v->name) - 1);
	if (!trace_vma_name_ok(name))
		return perr(p, "bad vma name '%s'", name);
	v = cp_proc_add_vma(cur_proc(p));
	v->start = hexval(range, dash - range);
	v->end = hexval(dash + 1, strlen(dash + 1));
	v->offset = hexval(off, strlen(off));
	memcpy(v->perms, perms, 5);
	strcpy(v->name, name);
	if (v->end <= v->start)
		return perr(p, "vma end not above start");
	return 0;
}

static int parse_page(struct tparser *p, char **tok, int n)
{
	struct cp_page *pg;
	struct fields f;
	uint64_t addr, pfn = 0, kflags = 0, count = 0, type = 0;
	const char *s;
	bool anon, swap;

	if (!p->have_proc)
		return perr(p, "'page' before 'proc' in checkpoint");
	if (split_fields(p, tok + 1, n - 1, &f))
		return -1;
	if (f.result)
		return perr(p, "page takes no '-> RESULT'");
	if (want_pos(p, &f, 2, 2, "page ADDR anon|file|swap [pfn=N] "
		     "[off=N] [type=N] [kflags=N] [count=N]") ||
	    num(p, f.pos[0], "page address", &addr))
		return -1;
	swap = false;
	if (!strcmp(f.pos[1], "anon"))
		anon = true;
	else if (!strcmp(f.pos[1], "file"))
		anon = false;
	else if (!strcmp(f.pos[1], "swap"))
		anon = false, swap = true;
	else
		return perr(p, "page kind must be anon, file or swap, not "
			    "'%s'", f.pos[1]);
	s = take_opt(&f, swap ? "off" : "pfn");
	if (s && num(p, s, swap ? "swap offset" : "pfn", &pfn))
		return -1;
	if (swap) {
		/* a swap entry has a device, no page flags */
		s = take_opt(&f, "type");
		if (s && num(p, s, "swap type", &type))
			return -1;
		if (type >= CP_SWAP_TYPES)
			return perr(p, "swap type '%s' out of range", s);
	} else {
		s = take_opt(&f, "kflags");
		if (s && num(p, s, "kflags", &kflags))
			return -1;
		s = take_opt(&f, "count");
		if (s && num(p, s, "count", &count))
			return -1;
		if (count > UINT32_MAX)
			return perr(p, "count '%s' out of range", s);
	}
	if (check_opts_used(p, &f, "page"))
		return -1;
	pg = cp_proc_add_page(cur_proc(p));
	pg->addr = addr;
	pg->pfn = pfn;
	pg->kflags = kflags;
	pg->anon = anon;
	pg->swap = swap;
	pg->swap_type = (uint8_t)type;
	pg->count = count;
	return 0;
}

static int parse_cp_line(struct tparser *p, char **tok, int n)
{
	struct trace_checkpoint *cp = &p->t->cps[p->cp];
	int64_t pid;

	if (!strcmp(tok[0], "end")) {
		if (n != 1)
			return perr(p, "junk after 'end'");
		p->in_cp = false;
		if (trace_cp_check_pids(cp, &pid))
			return perr(p, "process %" PRId64 " twice in "
				    "checkpoint", pid);
		return 0;
	}
	if (!strcmp(tok[0], "proc")) {
		if (n != 2)
			return perr(p, "expected 'proc PID'");
		if (parse_pid(p, tok[1], "PID", &pid))
			return -1;
		checkpoint_add_proc(cp, pid);
		p->have_proc = true;
		return 0;
	}
	if (!strcmp(tok[0], "page"))
		return parse_page(p, tok, n);
	return perr(p, "expected proc, vma, page or end in checkpoint "
		    "(started at line %lu), not '%s'", p->cp_line, tok[0]);
}

/* "slab=vm_area_struct:176,anon_vma:104": each cache once */
static int parse_slab(struct tparser *p, char *v)
{
	struct trace_header *h = &p->t->hdr;
	char *item, *next, *colon;
	uint64_t size;

	if (h->nr_slab)
		return perr(p, "header field 'slab' twice");
	for (item = v; item; item = next) {
		next = strchr(item, ',');
		if (next)
			*next++ = 0;
		colon = strchr(item, ':');
		if (!colon)
			return perr(p, "bad slab entry '%s' (expected "
				    "NAME:SIZE)", item);
		*colon = 0;
		if (!trace_slab_name_ok(item))
			return perr(p, "bad slab cache name '%s'", item);
		if (trace_slab_size(h, item))
			return perr(p, "slab cache '%s' twice", item);
		if (trace_parse_u64(colon + 1, &size) || !size ||
		    size > (1u << 30))
			return perr(p, "bad slab size '%s' for %s", colon + 1,
				    item);
		if (h->nr_slab == TRACE_MAX_SLAB)
			return perr(p, "more than %d slab caches",
				    TRACE_MAX_SLAB);
		trace_slab_set(h, item, (uint32_t)size);
	}
	if (!h->nr_slab)
		return perr(p, "empty slab field");
	return 0;
}

/* "# rmaplab text trace v2   arch=x86_64 page_size=4096 ..." */
static int parse_header(struct tparser *p, char *line)
{
	struct trace_header *h = &p->t->hdr;
	char *tok[MAX_TOKENS];
	int n, i;

	if (tokenize(p, line + strlen(HEADER_PREFIX), tok, &n))
		return -1;
	if (!n || (strcmp(tok[0], "v1") && strcmp(tok[0], "v2")))
		return perr(p, "unsupported text trace version '%s'",
			    n ? tok[0] : "");
	p->version = tok[0][1] - '0';
	for (i = 1; i < n; i++) {
		char *eq = strchr(tok[i], '='), *v;
		char *dst = NULL;
		size_t dlen = 0;
		uint64_t ps;

		if (!eq)
			return perr(p, "bad header field '%s'", tok[i]);
		*eq = 0;
		v = eq + 1;
		if (!strcmp(tok[i], "page_size")) {
			if (trace_parse_u64(v, &ps) || ps < 1024 ||
			    ps > (1u << 30) || (ps & (ps - 1)))
				return perr(p, "bad page_size '%s'", v);
			h->page_size = ps;
			continue;
		}
		if (!strcmp(tok[i], "slab")) {
			if (parse_slab(p, v))
				return -1;
			continue;
		}
		if (!strcmp(tok[i], "arch")) {
			dst = h->arch;
			dlen = sizeof(h->arch);
		} else if (!strcmp(tok[i], "kernel")) {
			dst = h->kernel;
			dlen = sizeof(h->kernel);
		} else if (!strcmp(tok[i], "thp")) {
			dst = h->thp;
			dlen = sizeof(h->thp);
		} else if (!strcmp(tok[i], "recorder")) {
			dst = h->recorder;
			dlen = sizeof(h->recorder);
		} else if (!strcmp(tok[i], "clock")) {
			dst = h->clock;
			dlen = sizeof(h->clock);
		} else {
			return perr(p, "unknown header field '%s'", tok[i]);
		}
		if (strlen(v) >= dlen || !trace_hdr_str_ok(v))
			return perr(p, "bad header %s '%s'", tok[i], v);
		strcpy(dst, v);
	}
	return 0;
}

/* "end EVENTS": the writer's last line, so a cut trace shows. */
static int parse_end(struct tparser *p, const char *count)
{
	uint64_t n;

	if (trace_parse_u64(count, &n))
		return perr(p, "bad event count '%s' in the end line", count);
	if (n != p->t->nr_ev)
		return perr(p, "end line says %" PRIu64 " events, the trace "
			    "has %zu: events lost", n, p->t->nr_ev);
	p->ended = true;
	return 0;
}

static int parse_line(struct tparser *p, char *line, size_t len)
{
	char *tok[MAX_TOKENS], *s, *hash;
	int n;

	if (strlen(line) != len)
		return perr(p, "NUL byte in line");
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = 0;
	if (p->lineno == 1 && !strncmp(line, HEADER_PREFIX,
				       strlen(HEADER_PREFIX)))
		return parse_header(p, line);
	s = line + strspn(line, " \t");
	if (p->in_cp && !strncmp(s, "vma", 3) && (s[3] == ' ' ||
						  s[3] == '\t'))
		return parse_vma(p, s + 4 + strspn(s + 4, " \t"));
	hash = strchr(s, '#');
	if (hash)
		*hash = 0;
	if (tokenize(p, s, tok, &n))
		return -1;
	if (!n)
		return 0;
	if (p->in_cp)
		return parse_cp_line(p, tok, n);
	if (p->ended)
		return perr(p, "'%s' after the end line", tok[0]);
	if (!strcmp(tok[0], "end") && n == 2)
		return parse_end(p, tok[1]);
	if (!strcmp(tok[0], "proc") || !strcmp(tok[0], "vma") ||
	    !strcmp(tok[0], "page") || !strcmp(tok[0], "end"))
		return perr(p, "'%s' outside a checkpoint", tok[0]);
	return parse_event(p, tok, n);
}

/*
 * One line, at most MAX_LINE bytes: a file that is not text (/dev/zero)
 * is refused at its first NUL byte or overlong line, never buffered.
 * Returns the length, 0 at the end of the file, -1 on a bad line.
 */
static ssize_t read_line(struct tparser *p, FILE *f, char *line)
{
	size_t len = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF) {
		if (!c) {
			p->lineno++;
			return perr(p, "NUL byte in line");
		}
		if (len == MAX_LINE - 1) {
			p->lineno++;
			return perr(p, "line longer than %d bytes", MAX_LINE);
		}
		line[len++] = c;
		if (c == '\n')
			break;
	}
	if (len && line[len - 1] != '\n')
		p->cut = true;
	line[len] = 0;
	return len;
}

int trace_parse_text(FILE *f, const char *name, struct trace *t,
		     char *err, size_t errlen)
{
	struct tparser p = {
		.name = name, .t = t, .err = err, .errlen = errlen,
		.version = 1,		/* no header: written by hand */
	};
	char *line = trace_xrealloc(NULL, MAX_LINE, 1);
	ssize_t len;
	int ret = 0;

	trace_init(t);
	while ((len = read_line(&p, f, line)) > 0) {
		p.lineno++;
		ret = parse_line(&p, line, len);
		if (ret)
			break;
	}
	if (len < 0)
		ret = -1;
	free(line);
	if (!ret && ferror(f))
		ret = trace_errf(err, errlen, "%s: read error: %s", name,
				 strerror(errno));
	if (!ret && p.in_cp) {
		p.lineno = p.cp_line;
		ret = perr(&p, "checkpoint has no 'end'");
	}
	if (ret) {
		trace_free(t);
		return -1;
	}
	/* An empty file is no trace; a v1 one may end without "end". */
	t->incomplete = !p.ended && (p.version != 1 || p.cut || !p.lineno);
	snprintf(t->path, sizeof(t->path), "%s", name);
	return 0;
}

/* Header strings are single tokens in the text form. */
static void put_hdr_field(FILE *f, const char *key, const char *v,
			  const char *dflt)
{
	const char *c;

	if (dflt && !strcmp(v, dflt))
		return;
	fprintf(f, " %s=", key);
	for (c = v; *c; c++)
		fputc((unsigned char)*c <= 0x20 || *c == 0x7f ? '_' : *c, f);
}

static void put_result(FILE *f, const struct trace_event *ev)
{
	const char *name;

	if (!ev->has_result)
		return;
	if (ev->result == 0) {
		fprintf(f, " -> 0");
		return;
	}
	if (ev->result < 0 && ev->result >= -4095) {
		name = errno_name(-ev->result);
		if (name)
			fprintf(f, " -> -%s", name);
		else
			fprintf(f, " -> %" PRId64, ev->result);
		return;
	}
	fprintf(f, " -> 0x%" PRIx64, (uint64_t)ev->result);
}

static void write_checkpoint(FILE *f, const struct trace_checkpoint *cp)
{
	if (cp->anon_vma >= 0)
		fprintf(f, " anon_vma=%" PRId64, cp->anon_vma);
	if (cp->anon_vma_chain >= 0)
		fprintf(f, " anon_vma_chain=%" PRId64, cp->anon_vma_chain);
	if (!cp->has_pfns)
		fprintf(f, " pfns=no");
}

static void write_checkpoint_body(FILE *f, const struct trace_checkpoint *cp)
{
	size_t i, j;

	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *pr = &cp->procs[i];

		fprintf(f, "  proc %" PRId64 "\n", pr->pid);
		for (j = 0; j < pr->nr_vmas; j++) {
			const struct cp_vma *v = &pr->vmas[j];

			fprintf(f, "    vma %08" PRIx64 "-%08" PRIx64
				" %.4s %08" PRIx64 "%s%s\n", v->start,
				v->end, v->perms, v->offset,
				v->name[0] ? " " : "", v->name);
		}
		for (j = 0; j < pr->nr_pages; j++) {
			const struct cp_page *pg = &pr->pages[j];

			if (pg->swap) {
				fprintf(f, "    page 0x%" PRIx64 " swap off=0x%"
					PRIx64, pg->addr, pg->pfn);
				if (pg->swap_type)
					fprintf(f, " type=%u", pg->swap_type);
				fputc('\n', f);
				continue;
			}
			fprintf(f, "    page 0x%" PRIx64 " %s pfn=0x%" PRIx64
				" kflags=0x%" PRIx64, pg->addr,
				pg->anon ? "anon" : "file", pg->pfn,
				pg->kflags);
			if (pg->count)
				fprintf(f, " count=%" PRIu32, pg->count);
			fputc('\n', f);
		}
	}
	fprintf(f, "end\n");
}

int trace_write_event_text(FILE *f, const struct trace *t,
			   const struct trace_event *ev)
{
	const struct trace_checkpoint *cp = NULL;
	char a[64], b[160];

	fprintf(f, "%" PRId64 " %s", ev->pid, trace_ev_name(ev->type));
	switch (ev->type) {
	case EV_MMAP:
		trace_format_prot(a, sizeof(a), ev->prot);
		trace_format_mmap_flags(b, sizeof(b), ev->flags);
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64 " %s %s", ev->addr,
			ev->len, a, b);
		if (ev->file != TRACE_NO_FILE && ev->file < t->nr_files)
			fprintf(f, " file=%s off=%" PRIu64,
				t->files[ev->file], ev->pgoff);
		else if (ev->pgoff)
			fprintf(f, " off=%" PRIu64, ev->pgoff);
		break;
	case EV_MUNMAP:
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64, ev->addr, ev->len);
		break;
	case EV_MPROTECT:
		trace_format_prot(a, sizeof(a), ev->prot);
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64 " %s", ev->addr,
			ev->len, a);
		break;
	case EV_MADVISE:
		trace_format_advice(a, sizeof(a), ev->advice);
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64 " %s", ev->addr,
			ev->len, a);
		break;
	case EV_MREMAP:
		trace_format_mremap_flags(a, sizeof(a), ev->flags);
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " %s",
			ev->addr, ev->len, ev->new_len, a);
		if (ev->new_addr || (ev->flags & MREMAP_FIXED))
			fprintf(f, " 0x%" PRIx64, ev->new_addr);
		break;
	case EV_BRK:
		fprintf(f, " 0x%" PRIx64, ev->addr);
		break;
	case EV_FAULT:
		fprintf(f, " 0x%" PRIx64 " %c", ev->addr,
			ev->write ? 'w' : 'r');
		if (ev->order)
			fprintf(f, " order=%u", ev->order);
		break;
	case EV_FORK:
	case EV_THREAD:
		fprintf(f, " %" PRId64, ev->child);
		if (ev->flags)
			fprintf(f, " flags=0x%" PRIx32, ev->flags);
		break;
	case EV_EXEC:
	case EV_EXIT:
		break;
	case EV_MLOCK:
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64, ev->addr, ev->len);
		if (ev->flags) {
			trace_format_mlock_flags(a, sizeof(a), ev->flags);
			fprintf(f, " %s", a);
		}
		break;
	case EV_MUNLOCK:
	case EV_MSEAL:
	case EV_UFFD_UNREGISTER:
	case EV_RECLAIM:
	case EV_PAGEOUT:
	case EV_MIGRATE:
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64, ev->addr, ev->len);
		break;
	case EV_MLOCKALL:
		trace_format_mlockall_flags(a, sizeof(a), ev->flags);
		fprintf(f, " %s", a);
		break;
	case EV_MUNLOCKALL:
		break;
	case EV_PKEY_MPROTECT:
		trace_format_prot(a, sizeof(a), ev->prot);
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64 " %s %" PRId32,
			ev->addr, ev->len, a, ev->advice);
		break;
	case EV_UFFD_REGISTER:
		trace_format_uffd_modes(a, sizeof(a), ev->flags);
		fprintf(f, " 0x%" PRIx64 " 0x%" PRIx64 " %s", ev->addr,
			ev->len, a);
		break;
	case EV_SYSCALL:
		if (ev->file >= t->nr_files)
			return -1;
		fprintf(f, " %s", t->files[ev->file]);
		break;
	case EV_CHECKPOINT:
		if (ev->cp >= t->nr_cps)
			return -1;
		cp = &t->cps[ev->cp];
		fprintf(f, " %s", cp->reason);
		write_checkpoint(f, cp);
		break;
	default:
		return -1;
	}
	if (ev->time_ns)
		fprintf(f, " t=%" PRIu64, ev->time_ns);
	put_result(f, ev);
	fputc('\n', f);
	if (cp)
		write_checkpoint_body(f, cp);
	return ferror(f) ? -1 : 0;
}

int trace_write_text_header(FILE *f, const struct trace *t)
{
	const struct trace_header *h = &t->hdr;
	uint32_t i;

	fprintf(f, "# rmaplab text trace v2  ");
	put_hdr_field(f, "arch", h->arch, NULL);
	fprintf(f, " page_size=%" PRIu32, h->page_size);
	put_hdr_field(f, "kernel", h->kernel, "");
	put_hdr_field(f, "thp", h->thp, "");
	put_hdr_field(f, "recorder", h->recorder, "text");
	put_hdr_field(f, "clock", h->clock, "none");
	for (i = 0; i < h->nr_slab && i < TRACE_MAX_SLAB; i++)
		fprintf(f, "%s%s:%" PRIu32, i ? "," : " slab=",
			h->slab[i].name, h->slab[i].size);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

int trace_write_text_end(FILE *f, size_t nr_ev)
{
	fprintf(f, "end %zu\n", nr_ev);
	return ferror(f) ? -1 : 0;
}

int trace_write_text(FILE *f, const struct trace *t)
{
	size_t i;

	if (trace_write_text_header(f, t))
		return -1;
	for (i = 0; i < t->nr_ev; i++)
		if (trace_write_event_text(f, t, &t->ev[i]))
			return -1;
	return trace_write_text_end(f, t->nr_ev);
}
