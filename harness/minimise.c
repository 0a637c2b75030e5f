// SPDX-License-Identifier: GPL-2.0-only
/* The trace minimiser; see minimise.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unistd.h>

#include "harness/minimise.h"
#include "harness/replay.h"
#include "traces/kernel_run.h"

/*
 * Bounds, so that a recorded trace of tens of thousands of events ends in
 * reasonable time with the best trace found so far: candidate replays,
 * seconds, and the length above which a candidate is verified only at its
 * end (its last event is the one the finding was seen at) rather than
 * after every event.
 */
#define MINIMISE_MAX_TESTS	20000
#define MINIMISE_EVERY_EVENT	2000

struct mctx {
	const struct trace *in;
	const struct check_finding *target;
	const char *schemes[2];
	size_t nr_schemes;
	long *creator;		/* event -> fork/thread that made its pid */
	bool *mark;		/* scratch: kept events */
	size_t *map;		/* candidate event -> original event */
	size_t fail_at;		/* original index of the matched finding */
	unsigned long tests;
	time_t deadline;
	bool timed_out;
	bool fix_results;	/* candidate events carry fixed results */
	bool kernel;		/* candidates run on the live kernel */
	FILE *devnull;		/* kernel-run's result warnings */
	char krun_err[512];	/* kernel-run's last error */
	struct trace_event *fixed;	/* per original event, when fixing */
};

static void copy_checkpoint(struct trace *out, const struct trace *in,
			    const struct trace_event *ev)
{
	const struct trace_checkpoint *cp = &in->cps[ev->cp];
	struct trace_checkpoint *ncp;
	size_t i, j;

	ncp = trace_new_checkpoint(out, ev->pid, cp->reason);
	ncp->anon_vma = cp->anon_vma;
	ncp->anon_vma_chain = cp->anon_vma_chain;
	ncp->has_pfns = cp->has_pfns;
	out->ev[out->nr_ev - 1].time_ns = ev->time_ns;
	out->ev[out->nr_ev - 1].line = ev->line;
	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];
		struct cp_proc *np = checkpoint_add_proc(ncp, p->pid);

		for (j = 0; j < p->nr_vmas; j++)
			*cp_proc_add_vma(np) = p->vmas[j];
		for (j = 0; j < p->nr_pages; j++)
			*cp_proc_add_page(np) = p->pages[j];
	}
}

/*
 * @out: header and files of @in and the events @idx[0..n) (original
 * indices, ascending), taken from @evs when given (fixed results).
 */
static void build(struct trace *out, const struct trace *in,
		  const struct trace_event *evs, const size_t *idx, size_t n)
{
	size_t i;

	trace_init(out);
	out->hdr = in->hdr;
	snprintf(out->path, sizeof(out->path), "%s", in->path);
	for (i = 0; i < in->nr_files; i++)
		trace_file_id(out, in->files[i]);
	for (i = 0; i < n; i++) {
		const struct trace_event *ev = evs ? &evs[idx[i]] :
					       &in->ev[idx[i]];

		if (ev->type == EV_CHECKPOINT) {
			if (ev->cp < in->nr_cps)
				copy_checkpoint(out, in, ev);
			continue;
		}
		*trace_append(out) = *ev;
	}
}

/*
 * The events of @cand[0..*n) that can still happen: an event whose
 * process was made by a fork or thread event that is gone goes too, and
 * so, in turn, does everything that process made.  Checkpoints go.
 */
static void normalise(struct mctx *m, size_t *cand, size_t *n)
{
	size_t i, k = 0;

	memset(m->mark, 0, m->in->nr_ev * sizeof(*m->mark));
	for (i = 0; i < *n; i++) {
		size_t e = cand[i];
		long c = m->creator[e];

		if (m->in->ev[e].type == EV_CHECKPOINT)
			continue;
		if (c >= 0 && !m->mark[c])
			continue;
		m->mark[e] = true;
		cand[k++] = e;
	}
	*n = k;
}

/*
 * The label each event's pid got from the latest fork/thread before it,
 * in one pass: a table from label to that event, open addressing.
 */
static void find_creators(struct mctx *m)
{
	const struct trace *t = m->in;
	size_t i, cap = 16, mask, h;
	struct {
		int64_t pid;
		long ev;
	} *tab;

	for (i = 0; i < t->nr_ev; i++)
		cap += t->ev[i].type == EV_FORK || t->ev[i].type == EV_THREAD;
	while (cap & (cap - 1))
		cap &= cap - 1;
	cap *= 4;
	mask = cap - 1;
	tab = calloc(cap, sizeof(*tab));
	if (!tab)
		abort();
	for (h = 0; h < cap; h++)
		tab[h].ev = -1;
	for (i = 0; i < t->nr_ev; i++) {
		const struct trace_event *e = &t->ev[i];

		for (h = (uint64_t)e->pid * 0x9e3779b97f4a7c15ULL & mask;
		     tab[h].ev >= 0 && tab[h].pid != e->pid;
		     h = (h + 1) & mask)
			;
		m->creator[i] = tab[h].ev;
		if (e->type != EV_FORK && e->type != EV_THREAD)
			continue;
		for (h = (uint64_t)e->child * 0x9e3779b97f4a7c15ULL & mask;
		     tab[h].ev >= 0 && tab[h].pid != e->child;
		     h = (h + 1) & mask)
			;
		tab[h].pid = e->child;
		tab[h].ev = i;
	}
	free(tab);
}

static bool want(const struct check_finding *f, void *arg)
{
	struct mctx *m = arg;
	const struct check_finding *t = m->target;

	if (f->kind != t->kind || f->cls != t->cls ||
	    strcmp(f->scheme, t->scheme))
		return false;
	if (t->kind == CHECK_CROSS && strcmp(f->other, t->other))
		return false;
	if (t->kind == CHECK_DIVERGENCE && m->map[f->event] != t->event)
		return false;
	m->fail_at = m->map[f->event];
	return true;
}

/* The same finding on a candidate the kernel ran: kind, class, scheme. */
static bool want_kernel(const struct check_finding *f, void *arg)
{
	const struct check_finding *t = ((struct mctx *)arg)->target;

	return f->kind == t->kind && f->cls == t->cls &&
	       !strcmp(f->scheme, t->scheme);
}

/*
 * Run the candidate on the live kernel and check the model against what
 * the kernel did with it: its results and its end state.
 */
static bool kernel_test(struct mctx *m, const size_t *idx, size_t n)
{
	struct krun_opts ko = {
		.no_objects = m->target->kind != CHECK_OBJECTS,
		.warn = m->devnull,
	};
	struct check_opts o = {
		.objects = m->target->kind == CHECK_OBJECTS,
		.want = want_kernel,
		.want_arg = m,
	};
	struct krun_result kr;
	struct check_result res;
	struct trace cand;
	char err[512];
	bool ok = false;

	m->tests++;
	build(&cand, m->in, NULL, idx, n);
	if (kernel_run(&cand, &ko, &kr, err, sizeof(err))) {
		snprintf(m->krun_err, sizeof(m->krun_err), "%s", err);
	} else {
		snprintf(kr.out.path, sizeof(kr.out.path), "%s", m->in->path);
		if (!check_trace(&kr.out, m->schemes, m->nr_schemes, &o, &res))
			ok = res.matched && !res.trace_error;
		check_result_free(&res);
		krun_result_free(&kr);
	}
	trace_free(&cand);
	return ok;
}

/*
 * May the running kernel stand in for the one that recorded @in?  The
 * same release, root, and kernel-run's environment; else why not.
 */
static bool kernel_available(const struct trace *in, bool objects,
			     char *why, size_t len)
{
	char release[64];

	if (!in->hdr.kernel[0]) {
		snprintf(why, len, "the trace does not name its kernel");
		return false;
	}
	krun_release(release, sizeof(release));
	if (strcmp(release, in->hdr.kernel)) {
		snprintf(why, len, "recorded on %s, running %s",
			 in->hdr.kernel, release);
		return false;
	}
	if (geteuid()) {
		snprintf(why, len, "not root");
		return false;
	}
	return !krun_check_env(objects, why, len);
}

/* Does the candidate @idx[0..n) still show the finding? */
static bool test(struct mctx *m, const size_t *idx, size_t n)
{
	struct check_opts o = {
		.every_event = n <= MINIMISE_EVERY_EVENT,
		.paranoid = n <= MINIMISE_EVERY_EVENT,
		.no_results = m->target->kind != CHECK_DIVERGENCE,
		.want = want,
		.want_arg = m,
	};
	struct check_result res;
	struct trace cand;
	bool ok;

	if (m->kernel)
		return kernel_test(m, idx, n);
	m->tests++;
	memcpy(m->map, idx, n * sizeof(*idx));
	build(&cand, m->in, m->fix_results ? m->fixed : NULL, idx, n);
	check_trace(&cand, m->schemes, m->nr_schemes, &o, &res);
	ok = res.matched && !res.trace_error;
	check_result_free(&res);
	trace_free(&cand);
	return ok;
}

/* Drop the events after the one the finding was seen at. */
static void cut(struct mctx *m, size_t *cur, size_t *n)
{
	while (*n && cur[*n - 1] > m->fail_at)
		(*n)--;
}

/* Zeller's ddmin, on original event indices; @cur shrinks in place. */
static void ddmin(struct mctx *m, size_t *cur, size_t *n)
{
	size_t *cand = calloc(*n + 1, sizeof(*cand));
	size_t parts = 2, chunk, start, k, i;
	bool reduced;

	if (!cand)
		abort();
	while (*n >= 2 && m->tests < MINIMISE_MAX_TESTS) {
		if (time(NULL) > m->deadline) {
			m->timed_out = true;
			break;
		}
		chunk = (*n + parts - 1) / parts;
		reduced = false;
		/* a part alone */
		for (start = 0; start < *n && !reduced; start += chunk) {
			k = 0;
			for (i = start; i < *n && i < start + chunk; i++)
				cand[k++] = cur[i];
			normalise(m, cand, &k);
			if (k && k < *n && test(m, cand, k)) {
				memcpy(cur, cand, k * sizeof(*cur));
				*n = k;
				cut(m, cur, n);
				parts = 2;
				reduced = true;
			}
		}
		/* everything but a part */
		for (start = 0; start < *n && !reduced; start += chunk) {
			k = 0;
			for (i = 0; i < *n; i++)
				if (i < start || i >= start + chunk)
					cand[k++] = cur[i];
			normalise(m, cand, &k);
			if (k && k < *n && test(m, cand, k)) {
				memcpy(cur, cand, k * sizeof(*cur));
				*n = k;
				cut(m, cur, n);
				parts = parts > 2 ? parts - 1 : 2;
				reduced = true;
			}
		}
		if (reduced)
			continue;
		if (parts >= *n)
			break;
		parts = 2 * parts < *n ? 2 * parts : *n;
	}
	free(cand);
}

/*
 * Replay @idx[0..*n) with the oracle scheme and make every result what
 * the model computes (m->fixed), dropping results that differ and faults
 * the model refuses.  The target divergence keeps its recorded result.
 */
static void fix_results(struct mctx *m, size_t *idx, size_t *n)
{
	struct replay r;
	struct trace t;
	struct errbuf err;
	size_t i, k = 0;

	for (i = 0; i < *n; i++)
		m->fixed[idx[i]] = m->in->ev[idx[i]];
	build(&t, m->in, NULL, idx, *n);
	if (replay_open(&r, &t, ORACLE_SPEC, &err)) {
		trace_free(&t);
		return;
	}
	r.quiet = true;
	for (i = 0; i < *n; i++) {
		unsigned long before = r.divergences;
		struct trace_event *ev = &m->fixed[idx[i]];

		if (replay_step(&r, &err) < 0)
			break;
		if (r.divergences == before ||
		    (m->target->kind == CHECK_DIVERGENCE &&
		     idx[i] == m->target->event)) {
			idx[k++] = idx[i];
			continue;
		}
		if (ev->type == EV_FAULT)
			continue;
		ev->has_result = 0;
		ev->result = 0;
		idx[k++] = idx[i];
	}
	for (; i < *n; i++)
		idx[k++] = idx[i];
	*n = k;
	replay_close(&r);
	trace_free(&t);
}

/* Ranges a kernel-state cut follows back through mremap. */
#define MAX_SPANS	64

/* Does event @ev of a process touch [start, end)? */
static bool touches(const struct trace_event *ev, unsigned long start,
		    unsigned long end)
{
	unsigned long a, b;

	switch (ev->type) {
	case EV_MMAP:
		a = ev->has_result && ev->result >= 0 ? ev->result : ev->addr;
		b = a + ev->len;
		break;
	case EV_MREMAP:
		if (ev->has_result && ev->result >= 0 &&
		    ev->result < end && ev->result + ev->new_len > start)
			return true;
		/* fall through */
	case EV_MUNMAP:
	case EV_MPROTECT:
	case EV_MADVISE:
		a = ev->addr;
		b = ev->addr + (ev->len ? ev->len : 1);
		break;
	case EV_FAULT:
		a = ev->addr;
		b = ev->addr + 1;
		break;
	case EV_BRK:
		return true;	/* where the heap starts is not in the event */
	default:
		return true;	/* fork, thread, exec, exit: the processes */
	}
	return a < end && b > start;
}

/*
 * What the model holds in @pid's [start, end) after replaying @t with
 * @scheme: its VMAs and present pages, as text (caller frees), or NULL.
 */
static char *range_state(const struct trace *t, const char *scheme,
			 long pid, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;
	struct errbuf err;
	struct replay r;
	struct task *task;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (replay_open(&r, t, scheme, &err))
		return NULL;
	r.quiet = true;
	if (replay_all(&r, &err) < 0 || !(task = task_find(r.w, pid))) {
		replay_close(&r);
		return NULL;
	}
	f = open_memstream(&text, &len);
	if (!f)
		abort();
	for (vma = vma_first_overlap(task->mm, start, end); vma;
	     vma = vma_next_overlap(task->mm, vma, start, end)) {
		unsigned long a;

		/* clipped: what lies outside the range is not in question */
		fprintf(f, "%lx-%lx %lx %lx\n",
			vma->vm_start > start ? vma->vm_start : start,
			vma->vm_end < end ? vma->vm_end : end,
			vma->vm_flags, vma->vm_pgoff +
			((vma->vm_start > start ? 0 : start - vma->vm_start) >>
			 task->mm->page_shift));
		for (a = vma->vm_start > start ? vma->vm_start : start;
		     a < vma->vm_end && a < end; a += page_size(task->mm)) {
			struct pte *pte = pte_lookup(task->mm, a);

			if (pte && pte->folio)
				fprintf(f, " %lx order %u\n", a,
					pte->folio->order);
		}
	}
	fclose(f);
	replay_close(&r);
	return text;
}

/*
 * A disagreement with the kernel's recorded state: the recorded state is
 * of the whole history, so no shorter history can be checked against it
 * without a kernel.  Cut to the events of the process and its ancestors
 * that touch the disagreeing range (and their forks, execs and exits),
 * keep the checkpoint, and accept the cut when the model's state in the
 * range is what the whole history left there; else keep the prefix.
 */
static void kernel_cut(struct mctx *m, size_t *cur, size_t *n,
		       struct minimise_stats *st)
{
	const struct check_finding *t = m->target;
	const struct trace *in = m->in;
	size_t i, k = 0, end = t->event < in->nr_ev ? t->event : in->nr_ev - 1;
	bool *proc = calloc(in->nr_ev + 1, sizeof(*proc));
	struct trace whole, cut;
	char *want, *got;
	size_t until, ns = 1;
	int64_t p;
	struct {
		unsigned long start, end;
	} spans[MAX_SPANS];

	if (!proc)
		abort();
	for (i = 0; i <= end; i++)
		cur[(*n)++] = i;
	st->cut_only = true;
	st->reproduced = true;
	if (t->pid < 0 || t->start >= t->end) {
		free(proc);
		return;
	}
	/*
	 * The process's events and its threads', then its parent's up to
	 * the fork that made it, and so on up the tree.
	 */
	find_creators(m);
	p = t->pid;
	until = end;
	for (;;) {
		size_t last = SIZE_MAX;
		int64_t group[64];
		size_t ng = 1, g;

		group[0] = p;
		for (i = 0; i <= until; i++) {
			const struct trace_event *e = &in->ev[i];
			bool in_group = false;

			if (e->type == EV_CHECKPOINT)
				continue;
			for (g = 0; g < ng && !in_group; g++)
				in_group = e->pid == group[g];
			if (!in_group)
				continue;
			proc[i] = true;
			if (e->pid == p)
				last = i;
			if (e->type == EV_THREAD && ng < 64)
				group[ng++] = e->child;
		}
		if (last == SIZE_MAX || m->creator[last] < 0)
			break;
		until = m->creator[last];
		p = in->ev[until].pid;
	}
	/*
	 * Backwards: what touches the range, and what touches the ranges
	 * that mremap moved into it.
	 */
	spans[0].start = t->start;
	spans[0].end = t->end;
	for (i = end + 1; i-- > 0;) {
		const struct trace_event *e = &in->ev[i];
		bool keep = false;

		for (k = 0; proc[i] && k < ns && !keep; k++)
			keep = touches(e, spans[k].start, spans[k].end);
		proc[i] = keep || (e->type == EV_CHECKPOINT && i == end);
		if (keep && e->type == EV_MREMAP && ns < MAX_SPANS) {
			spans[ns].start = e->addr;
			spans[ns].end = e->addr + e->len;
			ns++;
		}
	}
	k = 0;
	for (i = 0; i <= end; i++)
		if (proc[i])
			cur[k++] = i;
	free(proc);
	for (i = 0; i <= end; i++)
		m->map[i] = i;
	build(&whole, in, NULL, m->map, end + 1);
	build(&cut, in, NULL, cur, k);
	want = range_state(&whole, t->scheme, t->pid, t->start, t->end);
	got = range_state(&cut, t->scheme, t->pid, t->start, t->end);
	m->tests += 2;
	if (want && got && !strcmp(want, got) && k < *n) {
		*n = k;
		st->range_cut = true;
	}
	free(want);
	free(got);
	trace_free(&whole);
	trace_free(&cut);
}

/*
 * Delta debugging with the live kernel as the oracle: every candidate is
 * run by kernel-run and the model checked against the kernel's own end
 * state.  -1 when the history up to the finding does not show it on this
 * kernel (st->why says so).
 */
static int kernel_minimise(struct mctx *m, size_t *cur, size_t *n,
			   struct minimise_stats *st)
{
	size_t i, end = m->target->event;

	m->devnull = fopen("/dev/null", "w");
	m->kernel = true;
	m->fail_at = m->in->nr_ev;	/* the end state: nothing to cut */
	find_creators(m);
	for (i = 0; i < m->in->nr_ev && i <= end; i++)
		cur[(*n)++] = i;
	normalise(m, cur, n);
	if (!test(m, cur, *n)) {
		snprintf(st->why, sizeof(st->why), "%.150s%.150s",
			 m->krun_err[0] ? "kernel-run: " : "it does not show "
			 "when this kernel runs the history", m->krun_err);
		m->kernel = false;
		if (m->devnull)
			fclose(m->devnull);
		return -1;
	}
	ddmin(m, cur, n);
	st->on_kernel = true;
	st->reproduced = true;
	st->cut_only = false;
	m->kernel = false;
	if (m->devnull)
		fclose(m->devnull);
	return 0;
}

int minimise_trace(const struct trace *in, const struct check_finding *target,
		   struct trace *out, struct minimise_stats *st)
{
	return minimise_trace_within(in, target, out, st,
				     MINIMISE_DEFAULT_SECONDS);
}

int minimise_trace_within(const struct trace *in,
			  const struct check_finding *target,
			  struct trace *out, struct minimise_stats *st,
			  unsigned int seconds)
{
	struct mctx m = { .in = in, .target = target };
	size_t *cur, *saved, n = 0, nsaved, i;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	st->from = in->nr_ev;
	m.deadline = time(NULL) + seconds;
	cur = calloc(in->nr_ev + 1, sizeof(*cur));
	saved = calloc(in->nr_ev + 1, sizeof(*saved));
	m.creator = calloc(in->nr_ev + 1, sizeof(*m.creator));
	m.mark = calloc(in->nr_ev + 1, sizeof(*m.mark));
	m.map = calloc(in->nr_ev + 1, sizeof(*m.map));
	m.fixed = calloc(in->nr_ev + 1, sizeof(*m.fixed));
	if (!cur || !saved || !m.creator || !m.mark || !m.map || !m.fixed)
		abort();

	if (check_kind_is_kernel(target->kind) &&
	    target->kind != CHECK_DIVERGENCE) {
		m.schemes[m.nr_schemes++] = target->scheme;
		if (kernel_available(in, target->kind == CHECK_OBJECTS,
				     st->why, sizeof(st->why))) {
			ret = kernel_minimise(&m, cur, &n, st);
			if (!ret) {
				build(out, in, NULL, cur, n);
				goto done;
			}
			ret = 0;
			n = 0;
		}
		kernel_cut(&m, cur, &n, st);
		build(out, in, NULL, cur, n);
		goto done;
	}

	/* The checker compares every scheme with its own oracle world. */
	m.schemes[m.nr_schemes++] = target->scheme;
	find_creators(&m);
	/* Nothing after the event the finding was seen at matters. */
	for (i = 0; i < in->nr_ev && i <= target->event; i++)
		cur[n++] = i;
	normalise(&m, cur, &n);
	if (!test(&m, cur, n)) {
		for (i = 0; i < in->nr_ev; i++)
			cur[i] = i;
		build(out, in, NULL, cur, in->nr_ev);
		ret = -1;
		goto done;
	}
	cut(&m, cur, &n);
	ddmin(&m, cur, &n);
	st->reproduced = true;

	memcpy(saved, cur, n * sizeof(*cur));
	nsaved = n;
	fix_results(&m, cur, &n);
	m.fix_results = true;
	if (test(&m, cur, n)) {
		st->results_fixed = true;
		build(out, in, m.fixed, cur, n);
	} else {
		build(out, in, NULL, saved, nsaved);
	}
done:
	st->to = out->nr_ev;
	st->tests = m.tests;
	st->stopped_early = m.timed_out || m.tests >= MINIMISE_MAX_TESTS;
	free(cur);
	free(saved);
	free(m.creator);
	free(m.mark);
	free(m.map);
	free(m.fixed);
	return ret;
}

int minimise_write(FILE *f, const struct trace *t,
		   const struct check_finding *target,
		   const struct minimise_stats *st)
{
	char *text = NULL, *nl;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int ret;

	if (!m)
		return -1;
	ret = trace_write_text(m, t);
	fclose(m);
	if (ret) {
		free(text);
		return -1;
	}
	nl = strchr(text, '\n');
	nl = nl ? nl + 1 : text + len;
	fwrite(text, 1, nl - text, f);
	fprintf(f, "# rmaplab check: %s trace, %zu of %zu events (%lu "
		"replays%s)\n", st->cut_only ? "cut" : "minimal", st->to,
		st->from, st->tests,
		st->stopped_early ? ", stopped at the time limit" : "");
	fprintf(f, "# reproduces: %s %s%s: %s\n", target->scheme,
		target->cls == CHECK_DESIGN ? "design finding " : "",
		check_kind_name(target->kind), target->what);
	if (st->on_kernel)
		fprintf(f, "# a disagreement with the kernel: minimised "
			"with this kernel running every candidate "
			"(kernel-run); the kernel's end state is not "
			"written, run kernel-run on this trace to see it\n");
	else if (st->range_cut)
		fprintf(f, "# a disagreement with the kernel's recorded "
			"state: cut to the events of process %ld and its "
			"ancestors touching 0x%lx-0x%lx; the model holds "
			"there what the whole history left; not confirmed on "
			"a kernel (%s)\n", target->pid, target->start,
			target->end, st->why[0] ? st->why : "not tried");
	else if (st->cut_only)
		fprintf(f, "# a disagreement with the kernel's recorded "
			"state: the history up to it is kept whole; not "
			"confirmed on a kernel (%s)\n",
			st->why[0] ? st->why : "not tried");
	else if (st->results_fixed)
		fprintf(f, "# results: as the oracle scheme computes them; "
			"results that changed were dropped\n");
	else
		fprintf(f, "# results: as recorded (making them "
			"self-consistent loses the disagreement)\n");
	fputs(nl, f);
	free(text);
	return ferror(f) ? -1 : 0;
}
