// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page faults: one perf software page-fault event per CPU on the traced
 * tree (inherit=1, sample_period=1, TID|TIME|ADDR, CLOCK_MONOTONIC), each
 * with its mmap'd ring buffer.  The kernel refuses to mmap an inherited
 * event opened with cpu=-1, hence one event per CPU, as perf record does.
 *
 * Samples are drained at every ptrace stop, before the stopped call can
 * change the pages they name, and classified from the kernel's state then
 * (pagemap.c).  A batch may hold several faults on one page: the read
 * fault that mapped the zero page or the file page, then the write fault
 * that replaced it; only the last one is classified from the page, the
 * earlier ones are reads.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "traces/recorder/rec.h"

/* Highest user address on the 64-bit architectures supported. */
#define USER_ADDR_LIMIT	(1ULL << 56)

static int perf_open_cpu(pid_t pid, int cpu, bool kernel, size_t data_size)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_PAGE_FAULTS;
	a.sample_period = 1;
	a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR;
	a.disabled = 1;
	a.enable_on_exec = 1;
	a.inherit = 1;
	/*
	 * Faults taken in kernel mode on user addresses (copy_to_user into
	 * a fresh buffer) allocate anon folios too; keep them when allowed.
	 */
	a.exclude_kernel = !kernel;
	a.exclude_hv = 1;
	a.use_clockid = 1;
	a.clockid = CLOCK_MONOTONIC;
	a.watermark = 1;
	a.wakeup_watermark = data_size / 4;
	/*
	 * PERF_RECORD_FORK, written by copy_process() right after the mm
	 * was copied, stamped (sample_id_all) with the samples' clock: when
	 * a fork happened, in the order of the faults around it.
	 */
	a.task = 1;
	a.sample_id_all = 1;
	return (int)syscall(SYS_perf_event_open, &a, pid, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

/*
 * Data pages per ring, a power of two: 1024 (4 MiB) as root, capped at
 * 64 MiB over all CPUs; without root what perf_event_mlock_kb (516 KiB by
 * default) allows over all CPUs.
 */
static size_t ring_pages(struct recorder *r, int ncpu)
{
	size_t want, p = 1;

	if (r->has_pfns)
		want = 16384 / ncpu < 1024 ? 16384 / ncpu : 1024;
	else
		want = 129 / ncpu > 1 ? 129 / ncpu - 1 : 1;
	while (p * 2 <= want)
		p *= 2;
	return p;
}

int rec_perf_open(struct recorder *r, pid_t pid)
{
	int ncpu = (int)sysconf(_SC_NPROCESSORS_CONF), cpu, fd, err = 0;
	size_t pages;

	if (ncpu < 1)
		ncpu = 1;
	pages = ring_pages(r, ncpu);
	r->rings = calloc(ncpu, sizeof(*r->rings));
	r->rec_buf = malloc(65536);
	if (!r->rings || !r->rec_buf) {
		rec_warn("out of memory");
		return -1;
	}
	for (cpu = 0; cpu < ncpu; cpu++) {
		struct perf_ring *rg = &r->rings[r->nr_rings];

		fd = perf_open_cpu(pid, cpu, r->has_pfns,
				   pages * r->page_size);
		if (fd < 0) {
			/* an offline CPU: skip it */
			if (errno == ENODEV && cpu > 0)
				continue;
			err = errno;
			break;
		}
		rg->base = mmap(NULL, (pages + 1) * r->page_size,
				PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (rg->base == MAP_FAILED) {
			err = errno;
			close(fd);
			break;
		}
		rg->fd = fd;
		rg->data_size = pages * r->page_size;
		r->nr_rings++;
	}
	if (!err && r->nr_rings)
		return 0;
	if (err == EACCES || err == EPERM)
		rec_warn("perf_event_open(page-faults): %s (needs root or "
			 "kernel.perf_event_paranoid <= 2); --no-faults "
			 "records without faults", strerror(err));
	else
		rec_warn("perf unavailable: perf_event_open(page-faults): "
			 "%s; --no-faults records without faults",
			 strerror(err ? err : ENODEV));
	rec_perf_close(r);
	return -1;
}

void rec_perf_close(struct recorder *r)
{
	int i;

	for (i = 0; i < r->nr_rings; i++) {
		munmap(r->rings[i].base,
		       r->rings[i].data_size + r->page_size);
		close(r->rings[i].fd);
	}
	free(r->rings);
	r->rings = NULL;
	r->nr_rings = 0;
	free(r->rec_buf);
	r->rec_buf = NULL;
	free(r->batch);
	r->batch = NULL;
	r->nr_batch = r->cap_batch = 0;
	free(r->births);
	r->births = NULL;
	r->nr_births = r->cap_births = 0;
}

int rec_perf_pollfds(struct recorder *r, struct pollfd *pfds, int max)
{
	int i, n = 0;

	for (i = 0; i < r->nr_rings && n < max; i++) {
		if (r->rings[i].hup)
			continue;
		pfds[n].fd = r->rings[i].fd;
		pfds[n].events = POLLIN;
		pfds[n].revents = 0;
		n++;
	}
	return n;
}

/* An event whose task tree is gone polls HUP forever: stop polling it. */
void rec_perf_polled(struct recorder *r, const struct pollfd *pfds, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		if (!(pfds[i].revents & (POLLHUP | POLLERR)))
			continue;
		for (j = 0; j < r->nr_rings; j++)
			if (r->rings[j].fd == pfds[i].fd)
				r->rings[j].hup = true;
	}
}

static void *grow(void *p, size_t *cap, size_t size)
{
	size_t n = *cap ? *cap * 2 : 4096;

	p = realloc(p, n * size);
	if (!p) {
		rec_warn("out of memory");
		exit(2);
	}
	*cap = n;
	return p;
}

static void batch_push(struct recorder *r, uint32_t tid, uint64_t time,
		       uint64_t addr)
{
	struct rec_task *task = rec_task_find(r, (pid_t)tid);
	struct rec_sample *s;

	/* a task's faults are sequential: this one ended the earlier ones */
	if (task && !task->dead && time > task->last_sample_ns)
		task->last_sample_ns = time;

	if (r->nr_batch == r->cap_batch)
		r->batch = grow(r->batch, &r->cap_batch, sizeof(*r->batch));
	s = &r->batch[r->nr_batch];
	memset(s, 0, sizeof(*s));
	s->tid = (pid_t)tid;
	s->time = time;
	s->addr = addr;
	s->seq = (uint32_t)r->nr_batch;
	r->nr_batch++;
}

/* Copy @len bytes at ring offset @off, unwrapping the end of the ring. */
static void ring_copy(const struct perf_ring *rg, uint64_t off, void *dst,
		      size_t len)
{
	const unsigned char *data = (const unsigned char *)rg->base +
		((const struct perf_event_mmap_page *)rg->base)->data_offset;
	size_t at = off & (rg->data_size - 1), first = rg->data_size - at;

	if (first >= len) {
		memcpy(dst, data + at, len);
	} else {
		memcpy(dst, data + at, first);
		memcpy((unsigned char *)dst + first, data, len - first);
	}
}

static void ring_read(struct recorder *r, struct perf_ring *rg)
{
	struct perf_event_mmap_page *mp = rg->base;
	uint64_t head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = mp->data_tail;
	struct perf_event_header hdr;
	unsigned char *body;
	struct {
		uint32_t pid, tid;
		uint64_t time, addr;
	} smp;
	struct {
		uint64_t id, lost;
	} lost;
	struct {
		uint32_t pid, ppid, tid, ptid;
		uint64_t time;
	} fork;
	uint64_t stamp;

	while (tail < head) {
		ring_copy(rg, tail, &hdr, sizeof(hdr));
		if (hdr.size < sizeof(hdr))
			break;
		ring_copy(rg, tail, r->rec_buf, hdr.size);
		body = r->rec_buf + sizeof(hdr);
		if (hdr.type == PERF_RECORD_SAMPLE &&
		    hdr.size >= sizeof(hdr) + sizeof(smp)) {
			memcpy(&smp, body, sizeof(smp));
			batch_push(r, smp.tid, smp.time, smp.addr);
		} else if (hdr.type == PERF_RECORD_LOST &&
			   hdr.size >= sizeof(hdr) + sizeof(lost)) {
			memcpy(&lost, body, sizeof(lost));
			r->lost += lost.lost;
		} else if (hdr.type == PERF_RECORD_FORK &&
			   hdr.size >= sizeof(hdr) + sizeof(fork) + 8) {
			/* the sample_id's time, last: the event's clock */
			memcpy(&fork, body, sizeof(fork));
			memcpy(&stamp, r->rec_buf + hdr.size - 8, 8);
			if (r->nr_births == r->cap_births)
				r->births = grow(r->births, &r->cap_births,
						 sizeof(*r->births));
			r->births[r->nr_births].tid = (pid_t)fork.tid;
			r->births[r->nr_births++].time = stamp;
		}
		tail += hdr.size;
	}
	__atomic_store_n(&mp->data_tail, tail, __ATOMIC_RELEASE);
}

static int cmp_time(const void *a, const void *b)
{
	const struct rec_sample *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_page(const void *a, const void *b)
{
	const struct rec_sample *x = a, *y = b;

	if (x->mm != y->mm)
		return (uintptr_t)x->mm < (uintptr_t)y->mm ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return cmp_time(a, b);
}

static void classify_from(struct rec_sample *s, const struct page_state *ps)
{
	s->pfn = ps->pfn;
	if (s->forced && !ps->anon) {
		/* maybe still running: wait until it is known to be over */
		s->kind = REC_DEFER;
	} else if (ps->swapped || ps->swapin) {
		/*
		 * Swap: reclaim took the page since the fault, or the fault
		 * was a swap-in that left the folio in the swap cache (a
		 * read, or a write do_swap_page() found exclusive: the same
		 * mapping).  A page the trace made anon before is taken to
		 * be read (the model swaps it in, or finds it still
		 * mapped); any other, to be a new anon folio.
		 */
		s->kind = rec_pageset_has(&s->mm->seen, s->addr) ? REC_READ :
			  REC_WRITE;
		s->order = 0;
	} else if (!ps->present) {
		/* the access failed, or the page went with its mm */
		s->kind = REC_DROP;
	} else if (ps->anon) {
		s->kind = REC_WRITE;
		s->order = ps->order;
	} else {
		s->kind = REC_READ;
		s->order = ps->zero ? ps->order : 0;
	}
}

#define SPAN	256	/* pages of one mm whose states are read at once */

/*
 * Classify the last samples of b[from..to), all of one mm and within SPAN
 * pages of b[from] (sorted by address), with one read of their states.
 */
static void classify_span(struct recorder *r, struct rec_sample *b,
			  size_t from, size_t to)
{
	size_t k, idx, cnt = (b[to - 1].addr - b[from].addr) / r->page_size
			     + 1;
	struct page_state ps[SPAN];
	uint8_t need[SPAN];
	int got;

	memset(need, 0, cnt);
	for (k = from; k < to; k++)
		if (b[k].kind == REC_READ)
			need[(b[k].addr - b[from].addr) / r->page_size] = 1;
	got = rec_page_states(r, b[from].mm->pagemap_fd, b[from].addr, cnt,
			      ps, need);

	for (k = from; k < to; k++) {
		if (b[k].kind != REC_READ)
			continue;	/* not a settled last sample */
		idx = (b[k].addr - b[from].addr) / r->page_size;
		if ((int)idx < got)
			classify_from(&b[k], &ps[idx]);
		else
			b[k].kind = REC_DROP;
	}
}

/* How long a sample of a tid not seen by ptrace yet is kept. */
#define UNKNOWN_NS	(2000 * 1000 * 1000ULL)

/*
 * A sample is written when its fault starts; the page is looked at once
 * the fault is known to be over: its task was seen in a ptrace stop since,
 * or took a later fault (one task's faults are sequential).  A slow fault
 * (THP allocation under compaction, a userfaultfd handler) is waited for,
 * however long.  Returns 1 then.  Before a call that may change the mm's
 * pages (r->force_mm), a fault not known to be over is looked at anyway
 * (2): taken if its page holds an anon folio, else left to wait.
 */
static int settled(const struct recorder *r, const struct rec_sample *s)
{
	const struct rec_task *t = s->task;

	if (t->stopped || t->dead || t->last_stop_ns > s->time ||
	    t->last_sample_ns > s->time)
		return 1;
	return r->force_mm == s->mm ? 2 : 0;
}

/*
 * A write fault of another thread sampled before the fork's copy time may
 * have completed after the copy (it waited for the mmap lock dup_mmap()
 * held).  The child, stopped since, tells: it maps the folio the fault
 * left only if the fault came first.  Otherwise the fault follows the fork.
 */
static void place_around_fork(struct recorder *r, struct rec_sample *s)
{
	struct rec_mm *child = s->mm->fork_child;
	struct page_state ps;

	if (!r->has_pfns || !child || !s->pfn)
		return;
	if (rec_page_states(r, child->pagemap_fd, s->addr, 1, &ps, NULL) == 1 &&
	    ps.present && ps.pfn == s->pfn)
		return;
	s->time = s->mm->fork_time;
}

void rec_seen_folio(struct recorder *r, struct rec_mm *mm, uint64_t addr,
		    unsigned int order)
{
	uint64_t size = (uint64_t)r->page_size << order, a;

	if (!mm)
		return;
	addr &= ~(size - 1);
	for (a = addr; a < addr + size; a += r->page_size)
		rec_pageset_add(&mm->seen, a);
}

static void batch_process(struct recorder *r)
{
	struct rec_sample *b = r->batch, *s;
	size_t i, j, n = r->nr_batch, kept = 0;
	uint64_t now = rec_now();
	struct trace_event *ev;
	int st;

	for (i = 0; i < n; i++) {
		s = &b[i];
		s->addr &= ~(uint64_t)(r->page_size - 1);
		s->task = rec_task_find(r, s->tid);
		s->kind = REC_DROP;
		s->mm = NULL;
		s->last = false;
		s->forced = false;
		if (s->addr >= USER_ADDR_LIMIT || s->failed)
			continue;
		if ((!s->task && now - s->time < UNKNOWN_NS) ||
		    (s->task && !s->task->attached && !s->task->dead)) {
			/*
			 * A new task, faulting in kernel mode before its
			 * first stop: its clone event is still to come.
			 */
			s->kind = REC_DEFER;
			continue;
		}
		if (!s->task)
			continue;
		s->mm = s->task->mm;
		if (!s->mm || s->time < s->mm->born_ns) {
			/* before exec: the address space it hit is gone */
			s->kind = REC_STALE;
			s->mm = NULL;
		} else if (s->mm->fork_from && s->time >= s->mm->fork_from) {
			/* before or after the copy: the fork event says */
			s->kind = REC_DEFER;
			s->mm = NULL;
		}
	}
	qsort(b, n, sizeof(*b), cmp_page);
	for (i = 0; i < n; i++) {
		if (!b[i].mm)
			continue;
		b[i].last = i + 1 == n || b[i + 1].mm != b[i].mm ||
			    b[i + 1].addr != b[i].addr;
	}
	/*
	 * Classify each page once, from its last sample: REC_READ marks the
	 * settled last samples to look up, in spans of nearby pages.
	 */
	for (i = 0; i < n; i++) {
		if (!b[i].mm || !b[i].last)
			continue;
		st = settled(r, &b[i]);
		b[i].forced = st == 2;
		b[i].kind = st ? REC_READ : REC_DEFER;
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && b[i].mm && b[j].mm == b[i].mm &&
		     b[j].addr - b[i].addr < SPAN * (uint64_t)r->page_size;
		     j++)
			;
		if (b[i].mm)
			classify_span(r, b, i, j);
	}
	for (i = 0; i < n; i++)
		if (b[i].mm && b[i].last && b[i].kind == REC_WRITE &&
		    b[i].time < b[i].mm->fork_time)
			place_around_fork(r, &b[i]);
	/* earlier samples of a page, walking each group from its end */
	for (i = n; i-- > 0;) {
		if (!b[i].mm || b[i].last)
			continue;
		b[i].kind = b[i + 1].kind == REC_DROP ? REC_DROP :
			    b[i + 1].kind == REC_DEFER ? REC_DEFER :
			    REC_READ;
	}
	qsort(b, n, sizeof(*b), cmp_time);
	for (i = 0; i < n; i++) {
		s = &b[i];
		if (s->kind == REC_DEFER) {
			/* kept, in time order, for the next drain */
			b[kept++] = *s;
			continue;
		}
		if (s->kind == REC_STALE) {
			r->nr_stale++;
			continue;
		}
		if (s->kind == REC_DROP) {
			r->nr_dropped++;
			if (getenv("RMAPLAB_REC_DEBUG"))
				fprintf(stderr, "drop tid %d addr %#lx t %lu%s\n",
					s->tid, (unsigned long)s->addr,
					(unsigned long)s->time,
					s->failed ? " (signal)" : "");
			continue;
		}
		/* never before the task's creation event (see ptrace.c) */
		ev = rec_emit(r, EV_FAULT, s->task->label,
			      s->time > s->task->created_ns ? s->time :
			      s->task->created_ns);
		ev->addr = s->addr;
		ev->write = s->kind == REC_WRITE;
		ev->order = s->order;
		if (ev->write)
			rec_seen_folio(r, s->mm, s->addr, s->order);
		r->nr_faults++;
	}
	for (j = 0; j < kept; j++)
		b[j].seq = (uint32_t)j;
	r->nr_batch = kept;
}

/* Read the rings into the batch, classifying nothing. */
static void rings_read(struct recorder *r)
{
	int i;

	for (i = 0; i < r->nr_rings; i++)
		ring_read(r, &r->rings[i]);
}

void rec_perf_drain(struct recorder *r)
{
	rings_read(r);
	/* deferred samples from the last drain are still at the front */
	if (r->nr_batch)
		batch_process(r);
}

/* Drain before a call on @mm acts: its pending faults are looked at. */
void rec_perf_force(struct recorder *r, struct rec_mm *mm)
{
	r->force_mm = mm;
	rec_perf_drain(r);
	r->force_mm = NULL;
}

/* When the kernel created @tid (PERF_RECORD_FORK), or 0 if not known. */
uint64_t rec_perf_birth(struct recorder *r, pid_t tid)
{
	uint64_t time;
	size_t i;

	rings_read(r);
	for (i = r->nr_births; i-- > 0;) {
		if (r->births[i].tid != tid)
			continue;
		time = r->births[i].time;
		r->births[i] = r->births[--r->nr_births];
		return time;
	}
	return 0;
}

/*
 * @task got SIGSEGV or SIGBUS for an access at @addr: its latest fault,
 * if on that page, failed.  It is still unclassified (the task took no
 * fault and no stop since), and must not become a write because the page
 * happens to hold an anon folio (a write to a read-only one).
 */
void rec_perf_failed(struct recorder *r, struct rec_task *task,
		     uint64_t addr)
{
	struct rec_sample *last = NULL;
	size_t i;

	rings_read(r);
	for (i = 0; i < r->nr_batch; i++)
		if (r->batch[i].tid == task->tid && !r->batch[i].failed &&
		    (!last || r->batch[i].time >= last->time))
			last = &r->batch[i];
	if (last && (last->addr & ~(uint64_t)(r->page_size - 1)) ==
	    (addr & ~(uint64_t)(r->page_size - 1)))
		last->failed = true;
}

/* Is a fault of @mm at page @addr read but not yet emitted? */
bool rec_perf_pending(struct recorder *r, struct rec_mm *mm, uint64_t addr)
{
	struct rec_task *t;
	size_t i;

	rings_read(r);
	for (i = 0; i < r->nr_batch; i++) {
		if ((r->batch[i].addr & ~(uint64_t)(r->page_size - 1)) !=
		    addr)
			continue;
		t = rec_task_find(r, r->batch[i].tid);
		if (t && t->mm == mm)
			return true;
	}
	return false;
}
