// SPDX-License-Identifier: GPL-2.0-only
/* The replay engine; see replay.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "harness/replay.h"

static unsigned int page_shift_of(unsigned int page_size)
{
	unsigned int s = 0;

	while ((1U << s) < page_size)
		s++;
	return s;
}

static unsigned int kernel_version_override;

int replay_set_kernel_version(const char *release)
{
	kernel_version_override = kernel_version_parse(release);
	return kernel_version_override ? 0 : -1;
}

int replay_open(struct replay *r, const struct trace *t, const char *scheme,
		struct errbuf *err)
{
	unsigned int kver;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->t = t;
	if (scheme_lookup(scheme, &r->spec, err))
		return -1;
	if (!t->hdr.page_size || (t->hdr.page_size & (t->hdr.page_size - 1)))
		return errbuf_set(err, "%s: bad page size %u", t->path,
				  t->hdr.page_size);
	/* struct pte.idx and folio sizes hold PMD orders of these only */
	if (t->hdr.page_size < 4096 || t->hdr.page_size > 65536)
		return errbuf_set(err, "%s: page size %u: the model has 4, "
				  "16 and 64 KiB pages", t->path,
				  t->hdr.page_size);
	r->w = world_new(r->spec.scheme, r->spec.params,
			 page_shift_of(t->hdr.page_size), err);
	if (!r->w)
		return -1;
	/* The trace's kernel, up to the model's own release. */
	kver = kernel_version_override ? kernel_version_override :
	       kernel_version_parse(t->hdr.kernel);
	if (kver && kver < MODEL_KERNEL_VERSION)
		r->w->kernel_version = kver;
	/*
	 * TASK_SIZE: arm64 maps 48 bits; x86_64 47 bits, or 56 on a 5-level
	 * machine, which shows as the kernel mapping above 47 bits.
	 */
	if (!strcmp(t->hdr.arch, "aarch64")) {
		r->w->arch = ARCH_ARM64;
		r->w->task_size = 1UL << 48;
	}
	/*
	 * arm64 has protection keys from 6.12 only with FEAT_S1POE, which
	 * qemu's -cpu max (7.2) and most arm64 machines lack: key 0 alone.
	 */
	if (!strcmp(t->hdr.arch, "aarch64"))
		r->w->max_pkey = 1;
	for (i = 0; i < t->nr_ev; i++) {
		const struct trace_event *ev = &t->ev[i];
		uint64_t len = ev->type == EV_MMAP ? ev->len : ev->new_len;

		/* The readers refused results above 56 bits already. */
		if ((ev->type == EV_MMAP || ev->type == EV_MREMAP) &&
		    ev->has_result && ev->result > 0 &&
		    (uint64_t)ev->result + len > r->w->task_size &&
		    strcmp(t->hdr.arch, "aarch64"))
			r->w->task_size = (1UL << 56) - t->hdr.page_size;
	}
	if (!strcmp(t->hdr.thp, "always"))
		r->w->thp_mode = THP_ALWAYS;
	else if (!strcmp(t->hdr.thp, "never"))
		r->w->thp_mode = THP_NEVER;
	r->files = calloc(t->nr_files + 1, sizeof(*r->files));
	if (!r->files)
		abort();
	for (i = 0; i < t->nr_files; i++)
		r->files[i] = world_file(r->w, t->files[i]);
	r->nr_files = t->nr_files;
	return 0;
}

int replay_open_stream(struct replay *r, struct trace_reader *src,
		       const char *scheme, struct errbuf *err)
{
	if (replay_open(r, trace_reader_window(src), scheme, err))
		return -1;
	r->src = src;
	return 0;
}

/* Files a new block named: the world learns them in order. */
static void replay_add_files(struct replay *r)
{
	size_t i;

	if (r->t->nr_files <= r->nr_files)
		return;
	r->files = realloc(r->files, (r->t->nr_files + 1) *
			   sizeof(*r->files));
	if (!r->files)
		abort();
	for (i = r->nr_files; i < r->t->nr_files; i++)
		r->files[i] = world_file(r->w, r->t->files[i]);
	r->nr_files = r->t->nr_files;
}

/*
 * The next event: 1 with *@evp, 0 at the end of the trace, -1 when the
 * streamed trace could not be read (its one line in @err).
 */
static int replay_fetch(struct replay *r, const struct trace_event **evp,
			struct errbuf *err)
{
	int ret;

	while (r->next - r->base >= r->t->nr_ev) {
		if (!r->src)
			return 0;
		ret = trace_reader_next(r->src, err->msg, sizeof(err->msg));
		if (ret <= 0)
			return ret;
		r->base = trace_reader_base(r->src);
		replay_add_files(r);
	}
	*evp = &r->t->ev[r->next - r->base];
	return 1;
}

void replay_close(struct replay *r)
{
	world_free(r->w);
	free(r->files);
	r->w = NULL;
	r->files = NULL;
}

/* "FILE:LINE" or "FILE: event N" of the event being applied. */
const char *replay_where(struct replay *r)
{
	const struct trace_event *ev = &r->t->ev[r->next - r->base];

	if (ev->line)
		trace_where(r->t, ev, r->where, sizeof(r->where));
	else
		snprintf(r->where, sizeof(r->where), "%s: event %zu",
			 r->t->path, r->next + 1);
	return r->where;
}

static void result_str(char *buf, size_t len, long v)
{
	const char *name;

	if (v < 0 && v > -4096) {
		name = errno_name((int)-v);
		if (name) {
			snprintf(buf, len, "-%s", name);
			return;
		}
		snprintf(buf, len, "%ld", v);
		return;
	}
	snprintf(buf, len, "0x%lx", (unsigned long)v);
}

static void diverge(struct replay *r, const struct trace_event *ev,
		    long model)
{
	char m[32], k[32], msg[512];

	/* Format only what someone will read: the first few, or all. */
	if (r->divergences++ >= (r->describe ? r->describe : 1) && r->quiet) {
		snprintf(r->last_divergence, sizeof(r->last_divergence),
			 "%s: a result differs from the kernel's (%s)",
			 replay_where(r), r->spec.name);
		return;
	}
	result_str(m, sizeof(m), model);
	result_str(k, sizeof(k), (long)ev->result);
	if (ev->type == EV_FAULT)
		snprintf(msg, sizeof(msg), "%s: %s fault by %lld at 0x%llx "
			 "would raise SIGSEGV in the model (%s): no VMA there "
			 "allows it", replay_where(r), ev->write ? "write" :
			 "read", (long long)ev->pid,
			 (unsigned long long)ev->addr, r->spec.name);
	else
		snprintf(msg, sizeof(msg), "%s: %s by %lld returned %s in "
			 "the model (%s), %s in the trace", replay_where(r),
			 trace_ev_name(ev->type), (long long)ev->pid, m,
			 r->spec.name, k);
	if (r->divergences == 1)
		snprintf(r->first_divergence, sizeof(r->first_divergence),
			 "%s", msg);
	snprintf(r->last_divergence, sizeof(r->last_divergence), "%s", msg);
	if (!r->quiet)
		fprintf(stderr, "%s\n", msg);
}

void replay_print_unsupported(FILE *f, const char *path,
			      const struct replay_unsupported *u)
{
	fprintf(f, "unsupported: %s: event %zu: %s\n", path, u->event + 1,
		u->feature);
}

void replay_note_unsupported(struct replay *r, size_t event,
			     const char *feature)
{
	struct replay_unsupported *u;
	size_t i;

	r->unsupported++;
	for (i = 0; i < r->nr_unsup; i++)
		if (!strcmp(r->unsup[i].feature, feature)) {
			r->unsup[i].count++;
			return;
		}
	if (r->nr_unsup == REPLAY_MAX_UNSUPPORTED)
		return;
	u = &r->unsup[r->nr_unsup++];
	snprintf(u->feature, sizeof(u->feature), "%s", feature);
	u->event = event;
	u->count = 1;
	if (!r->quiet)
		replay_print_unsupported(stderr, r->t->path, u);
}

/*
 * The core names the call ("madvise", "mmap flags"); the event says which
 * advice or flags: "madvise cold", "mmap flags private,anon,populate".
 */
static void unsupported_name(const struct trace_event *ev, const char *core,
			     char *buf, size_t len)
{
	char what[64];

	if (ev->type == EV_MADVISE && !strcmp(core, "madvise"))
		trace_format_advice(what, sizeof(what), ev->advice);
	else if (ev->type == EV_MMAP && !strcmp(core, "mmap flags"))
		trace_format_mmap_flags(what, sizeof(what), ev->flags);
	else
		what[0] = '\0';
	snprintf(buf, len, "%s%s%s", core, what[0] ? " " : "", what);
}

static void check_result(struct replay *r, const struct trace_event *ev,
			 long model)
{
	/* The model did not do what the kernel did: nothing to compare. */
	if (r->w->nr_unsupported)
		return;
	if (ev->has_result && model != (long)ev->result)
		diverge(r, ev, model);
}

/*
 * The task an event runs in.  A label never seen before is a process the
 * trace starts with (an empty test range, as the kernel vectors have);
 * a label that has exited cannot act again.
 */
static struct task *event_task(struct replay *r,
			       const struct trace_event *ev,
			       struct errbuf *err)
{
	struct world *w = r->w;
	struct task *t = task_find(w, ev->pid);

	if (t)
		return t;
	if (task_exited(w, ev->pid)) {
		errbuf_set(err, "%s: process %lld has exited",
			   replay_where(r), (long long)ev->pid);
		return NULL;
	}
	t = task_spawn(w, ev->pid);
	if (!t)
		errbuf_set(err, "%s: cannot create process %lld",
			   replay_where(r),
			   (long long)ev->pid);
	return t;
}

static long do_mmap(struct replay *r, struct task *t,
		    const struct trace_event *ev)
{
	struct file *file = ev->file == TRACE_NO_FILE ? NULL :
		r->files[ev->file];
	unsigned int flags = ev->flags;
	unsigned long addr = ev->addr;

	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
		/*
		 * The kernel chose the address; the model must find it
		 * free (MAP_FIXED_NOREPLACE says so) and map there.
		 */
		if (!ev->has_result || ev->result < 0)
			return ev->has_result ? ev->result : -EINVAL;
		addr = ev->result;
		flags |= MAP_FIXED_NOREPLACE;
	}
	return sys_mmap(t, addr, ev->len, ev->prot, flags, file, ev->pgoff);
}

int replay_step(struct replay *r, struct errbuf *err)
{
	const struct trace_event *ev;
	struct task *t, *child;
	long ret;

	ret = replay_fetch(r, &ev, err);
	if (ret <= 0)
		return ret;
	if (ev->type == EV_CHECKPOINT) {
		r->next++;
		return 1;
	}
	t = event_task(r, ev, err);
	if (!t)
		return -1;

	switch (ev->type) {
	case EV_MMAP:
		if (ev->file != TRACE_NO_FILE && ev->file >= r->t->nr_files)
			return errbuf_set(err, "%s: bad file index",
					  replay_where(r));
		check_result(r, ev, do_mmap(r, t, ev));
		break;
	case EV_MUNMAP:
		check_result(r, ev, sys_munmap(t, ev->addr, ev->len));
		break;
	case EV_MPROTECT:
		check_result(r, ev, sys_mprotect(t, ev->addr, ev->len,
						 ev->prot));
		break;
	case EV_MADVISE:
		check_result(r, ev, sys_madvise(t, ev->addr, ev->len,
						ev->advice));
		break;
	case EV_MREMAP:
		ret = sys_mremap(t, ev->addr, ev->len, ev->new_len, ev->flags,
				 ev->new_addr,
				 (ev->has_result && ev->result >= 0) ?
				 (unsigned long)ev->result : 0);
		check_result(r, ev, ret);
		break;
	case EV_BRK:
		if (!t->mm->brk_known) {
			/*
			 * The model never saw where the binary's bss ends:
			 * the first brk of an mm only tells it the break.
			 */
			if (ev->has_result && ev->result >= 0) {
				t->mm->start_brk = t->mm->brk = ev->result;
				t->mm->brk_known = true;
			}
			break;
		}
		check_result(r, ev, sys_brk(t, ev->addr));
		break;
	case EV_FAULT:
		/* Anon folios are at most PMD-sized (struct pte.idx too). */
		if (ev->order > r->w->pmd_order)
			return errbuf_set(err, "%s: folio order %u is above "
					  "the PMD order %u of %u-byte pages",
					  replay_where(r), ev->order,
					  r->w->pmd_order, r->t->hdr.page_size);
		ret = handle_mm_fault(t, ev->addr, ev->write, ev->order);
		if (ret == -EFAULT && !r->w->nr_unsupported) {
			struct trace_event e = *ev;

			e.result = 0;
			diverge(r, &e, ret);
		}
		break;
	case EV_FORK:
		if (task_find(r->w, ev->child))
			return errbuf_set(err, "%s: fork to %lld, "
					  "which is alive", replay_where(r),
					  (long long)ev->child);
		if (task_fork(t, ev->child, &child))
			return errbuf_set(err, "%s: fork failed",
					  replay_where(r));
		break;
	case EV_THREAD:
		if (task_find(r->w, ev->child))
			return errbuf_set(err, "%s: thread %lld is "
					  "alive already", replay_where(r),
					  (long long)ev->child);
		task_clone_thread(t, ev->child, &child);
		break;
	case EV_EXEC:
		task_exec(t);
		break;
	case EV_EXIT:
		task_exit(t);
		break;
	case EV_MLOCK:
		check_result(r, ev, sys_mlock(t, ev->addr, ev->len,
					      ev->flags));
		break;
	case EV_MUNLOCK:
		check_result(r, ev, sys_munlock(t, ev->addr, ev->len));
		break;
	case EV_MLOCKALL:
		check_result(r, ev, sys_mlockall(t, ev->flags));
		break;
	case EV_MUNLOCKALL:
		check_result(r, ev, sys_munlockall(t));
		break;
	case EV_MSEAL:
		check_result(r, ev, sys_mseal(t, ev->addr, ev->len, 0));
		break;
	case EV_PKEY_MPROTECT:
		check_result(r, ev, sys_pkey_mprotect(t, ev->addr, ev->len,
						      ev->prot, ev->advice));
		break;
	case EV_UFFD_REGISTER:
		check_result(r, ev, sys_uffd_register(t, ev->addr, ev->len,
						      ev->flags));
		break;
	case EV_UFFD_UNREGISTER:
		check_result(r, ev, sys_uffd_unregister(t, ev->addr,
							ev->len));
		break;
	case EV_SYSCALL: {
		char what[64];

		snprintf(what, sizeof(what), "syscall %s",
			 ev->file < r->t->nr_files ? r->t->files[ev->file] :
			 "?");
		world_unsupported(r->w, what);
		break;
	}
	case EV_RECLAIM:
		sys_reclaim(t, ev->addr, ev->len);
		break;
	case EV_PAGEOUT:
		check_result(r, ev, sys_madvise(t, ev->addr, ev->len,
						MADV_PAGEOUT));
		break;
	case EV_MIGRATE:
		check_result(r, ev, sys_migrate(t, ev->addr, ev->len));
		break;
	default:
		/* An event the trace format has and the model does not. */
		if (ev->type < EV_NR) {
			replay_note_unsupported(r, r->next,
						trace_ev_name(ev->type));
			break;
		}
		return errbuf_set(err, "%s: unknown event type %u",
				  replay_where(r),
				  ev->type);
	}
	if (r->w->nr_unsupported) {
		char feature[96];

		unsupported_name(ev, r->w->unsupported, feature,
				 sizeof(feature));
		replay_note_unsupported(r, r->next, feature);
		r->w->nr_unsupported = 0;
		r->w->unsupported[0] = '\0';
	}
	r->next++;
	return 1;
}

int replay_all(struct replay *r, struct errbuf *err)
{
	int ret;

	while ((ret = replay_step(r, err)) > 0)
		;
	return ret;
}
