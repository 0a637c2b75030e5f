// SPDX-License-Identifier: GPL-2.0-only
/*
 * Record a trace for the simulation (sim.h): replay it once, single
 * threaded, with the core's lock observer on.  Every lock operation
 * becomes a step carrying the work (lock_work.h) done since the previous
 * step, so the simulation can price it later; the footprint and each
 * lock instance's domain (processes, process subtrees, rmap entries,
 * VMAs sharing it) are counted on the way.
 *
 * mmap_lock and the per-VMA lock are not rmap locks the schemes take:
 * the core only counts them.  The recorder takes them around each event
 * the way 6.18 does (mmap_write_lock for the syscalls that change the
 * VMA tree, the read side for MADV_DONTNEED / MADV_FREE, both mms on
 * fork; lock_vma_under_rcu() for faults), one instance per mm and VMA.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/oracle.h"
#include "harness/measure.h"
#include "harness/replay.h"
#include "harness/rnd.h"
#include "harness/u64map.h"
#include "harness/sim/sim_internal.h"

/* ---- recording ------------------------------------------------------ */

/* Synthetic instance ids: rmap_lock ids are small counters. */
#define ID_MMAP		(1ULL << 62)
#define ID_VMA		(2ULL << 62)

/* Pair keys: instance in bits 30..59, the other side below. */
#define PAIR(tag, inst, x) (((uint64_t)(tag) << 60) | \
			    ((uint64_t)(inst) << 30) | ((x) & 0x3fffffff))

struct recorder {
	struct sim_recording *rec;
	struct world *w;
	struct u64map ids, pairs;
	unsigned long mark[LW_NR];	/* lock_work_now at the last step */
	struct sim_sched *cur;		/* schedule being recorded */
	size_t unit;			/* of the current event */
	long pid;
	bool in_walk;
	uint32_t walk_inst[16];		/* instances the walk took */
	int nr_walk_inst;
	int cls_map[LOCK_MAX_CLASSES];	/* world class -> sim class */
	int cls_vma, cls_mmap;		/* the per-VMA lock, mmap_lock */
	unsigned long ev_mark[LW_NR];	/* lock_work_now at event start */
	struct {
		uint32_t inst;
		long links;		/* linked - unlinked at acquisition */
	} held[16];
	int nr_held;
};

static int sim_class(struct sim_recording *rec, const char *name,
		     enum lock_kind kind)
{
	int i;

	for (i = 0; i < rec->nr_classes; i++)
		if (!strcmp(rec->cls_name[i], name))
			return i;
	if (rec->nr_classes == SIM_MAX_CLASSES)
		return SIM_MAX_CLASSES - 1;
	i = rec->nr_classes++;
	snprintf(rec->cls_name[i], sizeof(rec->cls_name[i]), "%s", name);
	rec->cls_kind[i] = kind;
	return i;
}

static uint32_t inst_of(struct recorder *r, uint64_t id, int cls)
{
	struct sim_recording *rec = r->rec;
	bool added;
	uint32_t i;

	i = u64map_get_or_add(&r->ids, id, (uint32_t)rec->nr_inst, &added);
	if (!added)
		return i;
	if (rec->nr_inst == rec->cap_inst) {
		rec->cap_inst = rec->cap_inst ? 2 * rec->cap_inst : 4096;
		rec->inst = realloc(rec->inst, rec->cap_inst *
				    sizeof(*rec->inst));
		if (!rec->inst)
			abort();
	}
	memset(&rec->inst[i], 0, sizeof(rec->inst[i]));
	rec->inst[i].cls = (uint8_t)cls;
	rec->nr_inst++;
	return i;
}

static void step(struct recorder *r, uint32_t inst, int cls,
		 enum sim_what what)
{
	struct sim_recording *rec = r->rec;
	struct sim_step *s;
	int k;

	if (rec->nr_steps == rec->cap_steps) {
		rec->cap_steps = rec->cap_steps ? 2 * rec->cap_steps : 65536;
		rec->steps = realloc(rec->steps, rec->cap_steps *
				     sizeof(*rec->steps));
		if (!rec->steps)
			abort();
	}
	s = &rec->steps[rec->nr_steps++];
	s->inst = inst;
	s->what = (uint8_t)what;
	s->cls = (uint8_t)cls;
	s->pad = 0;
	for (k = 0; k < LW_NR; k++) {
		s->work[k] = (uint32_t)(lock_work_now[k] - r->mark[k]);
		r->mark[k] = lock_work_now[k];
	}
	r->cur->nr++;
}

/* An event took instance @i: its sharers. */
static void note_sharer(struct recorder *r, uint32_t i, bool write)
{
	struct sim_inst *in = &r->rec->inst[i];
	bool added;

	in->acq[write]++;
	u64map_get_or_add(&r->pairs, PAIR(1, i, r->unit), 0, &added);
	in->units += added;
	u64map_get_or_add(&r->pairs, PAIR(2, i, (uint64_t)r->pid), 0, &added);
	in->procs += added;
}

static long links_now(void)
{
	return (long)(lock_work_now[LW_LINK] - lock_work_now[LW_UNLINK]);
}

/* rmap entries linked while the hold of @i lasted join its domain. */
static void held_end(struct recorder *r, uint32_t i)
{
	struct sim_inst *in;
	int k;

	for (k = r->nr_held - 1; k >= 0; k--)
		if (r->held[k].inst == i)
			break;
	if (k < 0)
		return;
	if (i != SIM_NO_INST) {
		in = &r->rec->inst[i];
		in->links += links_now() - r->held[k].links;
		if (in->links > in->links_max)
			in->links_max = in->links;
	}
	memmove(&r->held[k], &r->held[k + 1],
		(r->nr_held - k - 1) * sizeof(r->held[0]));
	r->nr_held--;
}

static void observe(void *arg, unsigned long id, int wcls,
		    enum lock_event ev)
{
	struct recorder *r = arg;
	int cls = r->cls_map[wcls];
	uint32_t i = SIM_NO_INST;
	bool write = ev == LOCK_EV_WRITE || ev == LOCK_EV_WRITE_UNLOCK ||
		ev == LOCK_EV_COUNT_WRITE;

	/* The recorder takes mmap_lock itself (see above). */
	if (cls < 0 || !r->cur)
		return;
	if (id)
		i = inst_of(r, id, cls);
	switch (ev) {
	case LOCK_EV_READ:
	case LOCK_EV_WRITE:
		step(r, i, cls, write ? SIM_ACQ_WRITE : SIM_ACQ_READ);
		if (r->nr_held < 16) {
			r->held[r->nr_held].inst = i;
			r->held[r->nr_held++].links = links_now();
		}
		if (r->in_walk && r->nr_walk_inst < 16)
			r->walk_inst[r->nr_walk_inst++] = i;
		else if (!r->in_walk)
			note_sharer(r, i, write);
		break;
	case LOCK_EV_READ_UNLOCK:
	case LOCK_EV_WRITE_UNLOCK:
		step(r, i, cls, SIM_RELEASE);
		held_end(r, i);
		break;
	case LOCK_EV_COUNT_READ:
	case LOCK_EV_COUNT_WRITE:
		/* in a walk, held until the walk ends (lock_scope_end()) */
		if (r->in_walk)
			step(r, SIM_NO_INST, cls, write ? SIM_ACQ_WRITE :
			     SIM_ACQ_READ);
		else
			step(r, SIM_NO_INST, cls, write ? SIM_POINT_WRITE :
			     SIM_POINT_READ);
		break;
	}
}

static void sched_begin(struct recorder *r, struct sim_sched *s,
			enum mm_op op)
{
	memset(s, 0, sizeof(*s));
	s->first = (uint32_t)r->rec->nr_steps;
	s->op = (uint8_t)op;
	memcpy(r->mark, lock_work_now, sizeof(r->mark));
	r->cur = s;
	r->nr_held = 0;
}

static void sched_end(struct recorder *r, struct sim_sched *s)
{
	int k;

	for (k = 0; k < LW_NR; k++)
		s->tail[k] = (uint32_t)(lock_work_now[k] - r->mark[k]);
	r->cur = NULL;
}

static struct mm_struct *mm_of(struct world *w, long pid)
{
	struct task *t = task_find(w, pid);

	return t ? t->mm : NULL;
}

static unsigned long mm_key(struct mm_struct *mm)
{
	return mm ? mm->id + 1 : 0;
}

/* Footprint of a lock the recorder takes: the whole event is its hold. */
static void own_lock_fp(struct recorder *r, int cls, bool write,
			bool release)
{
	struct sim_fp_class *fc = &r->rec->fp.cls[cls];
	int k;

	if (!release) {
		fc->acq[write][r->cur->op]++;
		return;
	}
	for (k = 0; k < LW_NR; k++)
		fc->work[write][k] += lock_work_now[k] - r->ev_mark[k];
}

/*
 * mmap_lock of the mm with id @mm_id in @write mode around the event
 * (see above); ids, not pointers: an exit frees the mm before the
 * release is recorded.
 */
static void take_mmap(struct recorder *r, unsigned long mm_id, bool write,
		      bool release, bool sharer)
{
	uint32_t i;

	if (!mm_id)
		return;
	i = inst_of(r, ID_MMAP | mm_id, r->cls_mmap);
	own_lock_fp(r, r->cls_mmap, write, release);
	if (release) {
		step(r, i, r->cls_mmap, SIM_RELEASE);
		return;
	}
	step(r, i, r->cls_mmap, write ? SIM_ACQ_WRITE : SIM_ACQ_READ);
	if (sharer)
		note_sharer(r, i, write);
}

static bool madvise_reads(int32_t advice)
{
	/* madvise_need_mmap_write(): these only need the read side */
	return advice == MADV_DONTNEED || advice == MADV_FREE;
}

struct event_locks {
	unsigned long mm;		/* mm id + 1, 0: none */
	bool late;			/* the event creates its process */
	bool write;
	uint32_t vma;			/* a fault's VMA lock, or NO_INST */
};

static void event_lock(struct recorder *r, const struct trace_event *ev,
		       struct event_locks *el)
{
	unsigned long saved[LW_NR];
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	memset(el, 0, sizeof(*el));
	el->vma = SIM_NO_INST;
	el->write = true;
	switch (ev->type) {
	case EV_FAULT:
		/* lock_vma_under_rcu(): the lookup is not the event's work */
		mm = mm_of(r->w, ev->pid);
		if (!mm)
			return;
		memcpy(saved, lock_work_now, sizeof(saved));
		vma = vma_lookup(mm, ev->addr);
		memcpy(lock_work_now, saved, sizeof(saved));
		if (vma) {
			el->vma = inst_of(r, ID_VMA | vma->id, r->cls_vma);
			own_lock_fp(r, r->cls_vma, false, false);
			step(r, el->vma, r->cls_vma, SIM_ACQ_READ);
			note_sharer(r, el->vma, false);
			return;
		}
		el->mm = mm_key(mm);
		el->write = false;	/* stack expansion path */
		break;
	case EV_THREAD:
	case EV_CHECKPOINT:
		return;
	case EV_MADVISE:
		el->write = !madvise_reads(ev->advice);
		/* fall through */
	default:
		el->mm = mm_key(mm_of(r->w, ev->pid));
		el->late = !el->mm;
		break;
	}
	take_mmap(r, el->mm, el->write, false, true);
}

/*
 * The first event of a process creates it (and its mm): the mmap_lock
 * acquisition goes in front of the event's steps once the mm exists.
 */
static void take_mmap_late(struct recorder *r, const struct trace_event *ev,
			   struct event_locks *el)
{
	struct sim_recording *rec = r->rec;
	unsigned long saved[LW_NR];
	struct sim_step s;
	uint32_t first = r->cur->first;

	el->mm = mm_key(mm_of(r->w, ev->pid));
	if (!el->mm)
		return;
	memcpy(saved, r->mark, sizeof(saved));
	memcpy(r->mark, lock_work_now, sizeof(r->mark));
	take_mmap(r, el->mm, el->write, false, true);
	memcpy(r->mark, saved, sizeof(saved));
	s = rec->steps[rec->nr_steps - 1];
	memmove(&rec->steps[first + 1], &rec->steps[first],
		(rec->nr_steps - 1 - first) * sizeof(s));
	rec->steps[first] = s;
}

static void event_unlock(struct recorder *r, const struct trace_event *ev,
			 struct event_locks *el)
{
	if (el->late)
		take_mmap_late(r, ev, el);
	if (el->vma != SIM_NO_INST) {
		own_lock_fp(r, r->cls_vma, false, true);
		step(r, el->vma, r->cls_vma, SIM_RELEASE);
	}
	if (el->mm)
		take_mmap(r, el->mm, el->write, true, true);
	/* fork: the child's mm was write-locked while it was copied */
	if (ev->type == EV_FORK) {
		unsigned long child = mm_key(mm_of(r->w, ev->child));

		if (child && child != el->mm) {
			/* the child's subtree is the mm's sharer */
			take_mmap(r, child, true, false, false);
			take_mmap(r, child, true, true, false);
		}
	}
}

static struct sim_sched *new_walk(struct sim_recording *rec)
{
	if (rec->nr_walks == rec->cap_walks) {
		rec->cap_walks = rec->cap_walks ? 2 * rec->cap_walks : 1024;
		rec->walks = realloc(rec->walks, rec->cap_walks *
				     sizeof(*rec->walks));
		if (!rec->walks)
			abort();
	}
	return &rec->walks[rec->nr_walks++];
}

/*
 * Walk two of the oldest live folios (the inactive LRU's tail), as
 * reclaim would, and keep their schedules; the VMAs they found join the
 * domains of the instances the walk took.
 */
static void sample_walks(struct recorder *r, size_t event, uint64_t *seed)
{
	struct world *w = r->w;
	struct rmap_hits hits = { 0 };
	struct rmap_walk_control rwc;
	unsigned long saved[LW_NR];
	struct vm_area_struct *vma;
	struct folio *folio;
	struct sim_sched *s;
	bool added;
	size_t h;
	int n, j;

	for (n = 0; n < 2 && w->nr_folios; n++) {
		folio = contend_old_folio(w, seed);
		s = new_walk(r->rec);
		sched_begin(r, s, OP_WALK);
		s->event = event;
		memset(&rwc, 0, sizeof(rwc));
		hits.nr = 0;
		r->in_walk = true;
		r->nr_walk_inst = 0;
		rmap_walk_verified(w, folio, &hits, &rwc);
		r->in_walk = false;
		sched_end(r, s);
		memcpy(saved, lock_work_now, sizeof(saved));
		for (h = 0; h < hits.nr; h++) {
			vma = vma_lookup(hits.v[h].mm, hits.v[h].addr);
			if (!vma)
				continue;
			for (j = 0; j < r->nr_walk_inst; j++) {
				uint32_t i = r->walk_inst[j];

				if (i == SIM_NO_INST)
					continue;
				u64map_get_or_add(&r->pairs,
						  PAIR(3, i, vma->id), 0,
						  &added);
				r->rec->inst[i].vmas += added;
			}
		}
		memcpy(lock_work_now, saved, sizeof(saved));
	}
	rmap_hits_free(&hits);
}

/* ---- footprint ------------------------------------------------------ */

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a,
		y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

static void footprint(struct sim_recording *rec, const struct world *w,
		      const int *cls_map)
{
	struct sim_footprint *fp = &rec->fp;
	unsigned long *procs = calloc(rec->nr_inst + 1, sizeof(*procs));
	size_t i, n;
	int c, k, m, op;

	if (!procs)
		abort();
	fp->units = rec->units.nr;
	fp->walks_sampled = rec->nr_walks;
	fp->nr_acct = w->acct.nr;
	for (k = 0; k < w->acct.nr; k++)
		snprintf(fp->acct_names[k], sizeof(fp->acct_names[k]), "%s",
			 w->acct.cls[k].name);
	fp->nr_classes = rec->nr_classes;
	for (c = 0; c < rec->nr_classes; c++) {
		snprintf(fp->cls[c].name, sizeof(fp->cls[c].name), "%s",
			 rec->cls_name[c]);
		fp->cls[c].kind = rec->cls_kind[c];
	}
	/* acquisitions and in-lock work: the core's footprint */
	for (k = 0; k < w->locks.nr; k++) {
		struct sim_fp_class *fc;

		if (cls_map[k] < 0)
			continue;
		fc = &fp->cls[cls_map[k]];
		for (m = 0; m < 2; m++) {
			for (op = 0; op < OP_NR; op++) {
				fc->acq[m][op] += m ?
					w->locks.cls[k].acquire_write[op] :
					w->locks.cls[k].acquire_read[op];
				for (i = 0; i < LW_NR; i++)
					fc->work[m][i] +=
						w->locks.fp[k].work[m][op][i];
			}
			for (i = 0; i < ACCT_MAX_CLASSES; i++)
				fc->freed[m][i] += w->locks.fp[k].freed[m][i];
		}
	}
	/* the recorder's own mmap_lock and VMA locks: from the steps */
	for (c = 0; c < rec->nr_classes; c++) {
		struct sim_fp_class *fc = &fp->cls[c];

		for (n = 0, i = 0; i < rec->nr_inst; i++) {
			const struct sim_inst *in = &rec->inst[i];

			if (in->cls != c)
				continue;
			procs[n++] = in->procs;
			fc->instances++;
			if (in->procs > fc->procs_max)
				fc->procs_max = in->procs;
			if (in->units > fc->units_max)
				fc->units_max = in->units;
			if ((unsigned long)in->links_max > fc->links_max)
				fc->links_max = in->links_max;
			if (in->vmas > fc->vmas_max)
				fc->vmas_max = in->vmas;
			fc->procs_mean += in->procs;
			fc->vmas_mean += in->vmas;
			for (m = 0; m < 2; m++) {
				fc->acq_events[m] += in->acq[m];
				if (in->units > 1)
					fc->acq_shared[m] += in->acq[m];
				if (in->units == rec->units.nr)
					fc->acq_all_units[m] += in->acq[m];
			}
		}
		if (!n)
			continue;
		fc->procs_mean /= (double)n;
		fc->vmas_mean /= (double)n;
		qsort(procs, n, sizeof(*procs), cmp_ul);
		fc->procs_p50 = procs[(n - 1) / 2];
		fc->procs_p90 = procs[(n * 9 + 9) / 10 - 1];
	}
	free(procs);
}

/* ---- entry ---------------------------------------------------------- */

static void units_index(const struct units *u, size_t nr_ev, size_t *of)
{
	size_t i, k;

	for (i = 0; i < nr_ev; i++)
		of[i] = SIZE_MAX;
	for (k = 0; k < u->nr; k++)
		for (i = 0; i < u->v[k].nr; i++)
			of[u->v[k].ev[i]] = k;
}

struct sim_recording *sim_record(const struct trace *t, const char *scheme,
				 struct errbuf *err)
{
	struct sim_recording *rec = calloc(1, sizeof(*rec));
	unsigned long every = t->nr_ev / 2000 ? t->nr_ev / 2000 : 1;
	struct recorder r = { .rec = rec };
	struct event_locks el;
	struct walk_stats ws = { 0 };
	uint64_t seed = 12345;
	struct replay rp;
	size_t idx, *unit_of;
	int ret = 0, k;

	if (!rec)
		abort();
	rec->nr_ev = t->nr_ev;
	rec->ev = calloc(t->nr_ev + 1, sizeof(*rec->ev));
	unit_of = calloc(t->nr_ev + 1, sizeof(*unit_of));
	if (!rec->ev || !unit_of)
		abort();
	contend_build_units(t, &rec->units);
	units_index(&rec->units, t->nr_ev, unit_of);
	if (replay_open(&rp, t, scheme, err)) {
		free(unit_of);
		sim_recording_free(rec);
		return NULL;
	}
	rp.quiet = true;
	r.w = rp.w;
	/* classes in the world's order, mmap_lock taken by the recorder */
	for (k = 0; k < r.w->locks.nr; k++)
		r.cls_map[k] = sim_class(rec, r.w->locks.cls[k].name,
					 r.w->locks.cls[k].kind);
	r.cls_mmap = r.cls_map[r.w->lock_mmap];
	r.cls_map[r.w->lock_mmap] = -1;
	r.cls_vma = sim_class(rec, "vma_lock", LOCK_KIND_ATOMIC);
	r.w->locks.observe = observe;
	r.w->locks.observe_arg = &r;
	while ((idx = rp.next) < t->nr_ev) {
		const struct trace_event *ev = &t->ev[idx];

		sched_begin(&r, &rec->ev[idx], measure_event_op(ev->type));
		r.unit = unit_of[idx];
		r.pid = (long)ev->pid;
		memcpy(r.ev_mark, lock_work_now, sizeof(r.ev_mark));
		event_lock(&r, ev, &el);
		ret = replay_step(&rp, err);
		event_unlock(&r, ev, &el);
		sched_end(&r, &rec->ev[idx]);
		if (ret <= 0)
			break;
		if ((idx + 1) % every == 0)
			sample_walks(&r, idx, &seed);
	}
	r.w->locks.observe = NULL;
	if (ret >= 0) {
		footprint(rec, r.w, r.cls_map);
		rec->fp.events = t->nr_ev;
		rec->rcu_frees = r.w->locks.rcu_frees;
		measure_walks(r.w, 1, &ws);
		rec->found = ws.found;
		rec->present = ws.expected;
		walk_stats_free(&ws);
	}
	replay_close(&rp);
	u64map_free(&r.ids);
	u64map_free(&r.pairs);
	free(unit_of);
	if (ret < 0) {
		sim_recording_free(rec);
		return NULL;
	}
	return rec;
}

void sim_recording_free(struct sim_recording *rec)
{
	if (!rec)
		return;
	free(rec->steps);
	free(rec->ev);
	free(rec->walks);
	free(rec->inst);
	contend_units_free(&rec->units);
	free(rec);
}

const struct sim_footprint *sim_footprint(const struct sim_recording *rec)
{
	return &rec->fp;
}

void sim_recording_check(const struct sim_recording *rec,
			 unsigned long *found, unsigned long *present)
{
	*found = rec->found;
	*present = rec->present;
}
