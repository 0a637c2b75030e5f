// SPDX-License-Identifier: GPL-2.0-only
/* The trace minimiser; see minimise.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/minimise.h"
#include "harness/replay.h"

/*
 * Bounds, so that a recorded trace of tens of thousands of events ends in
 * reasonable time with the best trace found so far: candidate replays,
 * seconds, and the length above which a candidate is verified only at its
 * end (its last event is the one the finding was seen at) rather than
 * after every event.
 */
#define MINIMISE_MAX_TESTS	20000
#define MINIMISE_MAX_SECONDS	120
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

/* The label each event's pid got from the latest fork/thread before it. */
static void find_creators(struct mctx *m)
{
	const struct trace *t = m->in;
	size_t i, j;

	for (i = 0; i < t->nr_ev; i++) {
		m->creator[i] = -1;
		for (j = i; j-- > 0;) {
			const struct trace_event *e = &t->ev[j];

			if ((e->type == EV_FORK || e->type == EV_THREAD) &&
			    e->child == t->ev[i].pid) {
				m->creator[i] = j;
				break;
			}
		}
	}
}

static bool want(const struct check_finding *f, void *arg)
{
	struct mctx *m = arg;
	const struct check_finding *t = m->target;

	if (f->kind != t->kind || strcmp(f->scheme, t->scheme))
		return false;
	if (t->kind == CHECK_CROSS && strcmp(f->other, t->other))
		return false;
	if (t->kind == CHECK_DIVERGENCE && m->map[f->event] != t->event)
		return false;
	m->fail_at = m->map[f->event];
	return true;
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
			if (k < *n && test(m, cand, k)) {
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
	if (replay_open(&r, &t, "oracle", &err)) {
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

int minimise_trace(const struct trace *in, const struct check_finding *target,
		   struct trace *out, struct minimise_stats *st)
{
	struct mctx m = { .in = in, .target = target };
	size_t *cur, *saved, n = 0, nsaved, i;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	st->from = in->nr_ev;
	m.deadline = time(NULL) + MINIMISE_MAX_SECONDS;
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
		/* Ground truth for the whole history: cut only. */
		for (i = 0; i < in->nr_ev && i <= target->event; i++)
			cur[n++] = i;
		build(out, in, NULL, cur, n);
		st->cut_only = true;
		st->reproduced = true;
		goto done;
	}

	/* A cross finding compares against the first scheme: keep order. */
	if (target->kind == CHECK_CROSS)
		m.schemes[m.nr_schemes++] = target->other;
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
	fprintf(f, "# reproduces: %s %s: %s\n", target->scheme,
		check_kind_name(target->kind), target->what);
	if (st->cut_only)
		fprintf(f, "# a disagreement with the kernel's recorded "
			"state: the history up to it is kept whole\n");
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
