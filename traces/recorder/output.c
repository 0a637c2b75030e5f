// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recorder's output: events go to the file as the recording runs, so
 * memory stays bounded however long it runs and a recorder killed
 * outright leaves every block written so far readable.
 *
 * Events are emitted out of order (fault samples come in batches), and
 * the trace is in time order.  After a drain of the perf rings at time
 * T, no event stamped before T is still to come, except samples held
 * for a task the recorder does not know yet: everything stamped before
 * both is written, in time order, and dropped from memory.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "traces/recorder/rec.h"

/* Events held before they are written out (a few MB at most). */
#define REC_OUT_EVENTS	16384

int rec_out_open(struct recorder *r)
{
	const struct recorder_opts *o = r->opts;

	if (!o->out)
		return 0;
	if (o->out_text)
		return trace_write_text_header(o->out, r->t);
	r->out = trace_writer_open(o->out, &r->t->hdr);
	return trace_writer_error(r->out) ? -1 : 0;
}

static int put(struct recorder *r, const struct trace_event *ev)
{
	if (r->opts->out_text)
		return trace_write_event_text(r->opts->out, r->t, ev);
	return trace_writer_put(r->out, r->t, ev);
}

/*
 * Forget the first @n events (written) and the checkpoints only they
 * used; the others move down, and the events keep pointing at theirs.
 */
static void forget(struct recorder *r, size_t n)
{
	struct trace *t = r->t;
	struct trace_checkpoint *keep;
	size_t i, nr_cps = 0;

	for (i = 0; i < n; i++)
		if (t->ev[i].type == EV_CHECKPOINT)
			checkpoint_free(&t->cps[t->ev[i].cp]);
	memmove(t->ev, t->ev + n, (t->nr_ev - n) * sizeof(*t->ev));
	t->nr_ev -= n;
	r->nr_written += n;
	if (!t->nr_cps)
		return;
	/* sorting may have put checkpoints out of their index order */
	keep = calloc(t->nr_cps, sizeof(*keep));
	if (!keep) {
		rec_warn("out of memory");
		exit(2);
	}
	for (i = 0; i < t->nr_ev; i++) {
		if (t->ev[i].type != EV_CHECKPOINT)
			continue;
		keep[nr_cps] = t->cps[t->ev[i].cp];
		t->ev[i].cp = nr_cps++;
	}
	memcpy(t->cps, keep, nr_cps * sizeof(*keep));
	free(keep);
	t->nr_cps = nr_cps;
}

void rec_out_flush(struct recorder *r, bool all)
{
	struct trace *t = r->t;
	uint64_t mark = UINT64_MAX;
	size_t i, n;

	if (!r->opts->out || r->out_failed)
		return;
	if (!all && t->nr_ev < REC_OUT_EVENTS && !r->cp_pending)
		return;
	if (!all) {
		mark = rec_now();
		rec_perf_drain(r);
		for (i = 0; i < r->nr_batch; i++)
			if (r->batch[i].time <= mark)
				mark = r->batch[i].time - 1;
	}
	rec_sort_events(t);
	for (n = 0; n < t->nr_ev && t->ev[n].time_ns <= mark; n++) {
		if (t->ev[n].time_ns < r->out_mark && !r->out_late++)
			rec_warn("an event %" PRIu64 " ns older than events "
				 "already written: written late",
				 r->out_mark - t->ev[n].time_ns);
		if (put(r, &t->ev[n])) {
			r->out_failed = true;
			return;
		}
	}
	if (n && t->ev[n - 1].time_ns > r->out_mark)
		r->out_mark = t->ev[n - 1].time_ns;
	/* a checkpoint is on disk when taken */
	if (r->cp_pending && !r->opts->out_text &&
	    trace_writer_flush(r->out))
		r->out_failed = true;
	if (r->opts->out_text && fflush(r->opts->out))
		r->out_failed = true;
	r->cp_pending = false;
	forget(r, n);
}

int rec_out_close(struct recorder *r)
{
	int ret;

	if (!r->opts->out)
		return 0;
	rec_out_flush(r, true);
	if (r->opts->out_text)
		ret = r->out_failed ||
		      trace_write_text_end(r->opts->out, r->nr_written) ?
		      -1 : 0;
	else
		ret = trace_writer_close(r->out, r->t) || r->out_failed ?
		      -1 : 0;
	r->out = NULL;
	return ret;
}
