// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel vectors (../shared/kernel-vectors): thirty random histories
 * run on a real 6.18.44 kernel.  Replayed through the model with the
 * classic scheme, the VMAs and the sharing of every anon frame must match
 * the .expected files, the invariants must hold after every event, and
 * the anon_vma and anon_vma_chain objects left at the end must be exactly
 * the kernel's.
 *
 * The counts are the .expected files' live objects; kernel-recount.txt
 * (beside this file), the same traces re-run with the tree's kernel-run
 * on this kernel, must agree with them.
 *
 * reuse=off must differ from the kernel somewhere, or the heuristic would
 * be untested by these vectors.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "core/oracle.h"
#include "traces/expected.h"
#include "traces/trace.h"
#include "env.h"

#define FIRST_VECTOR	1001
#define NR_VECTORS	30

static bool vector_path(char *buf, size_t len, int n, const char *ext)
{
	const char *src = getenv("RMAPLAB_SRCDIR");

	snprintf(buf, len, "%s/../shared/kernel-vectors/random-%d.%s",
		 src ? src : ".", n, ext);
	return access(buf, R_OK) == 0;
}

static struct task *task_of(struct world *w, int64_t pid)
{
	struct task *t = task_find(w, pid);

	return t ? t : task_spawn(w, pid);
}

/* Run one event; returns what the model returned (0 for void events). */
static long replay_one(struct world *w, const struct trace *tr,
		       const struct trace_event *ev)
{
	struct task *t = task_of(w, ev->pid), *child;
	struct file *file = NULL;

	switch (ev->type) {
	case EV_MMAP:
		if (ev->file != TRACE_NO_FILE)
			file = world_file(w, tr->files[ev->file]);
		return sys_mmap(t, ev->addr, ev->len, ev->prot, ev->flags,
				file, ev->pgoff);
	case EV_MUNMAP:
		return sys_munmap(t, ev->addr, ev->len);
	case EV_MPROTECT:
		return sys_mprotect(t, ev->addr, ev->len, ev->prot);
	case EV_MADVISE:
		return sys_madvise(t, ev->addr, ev->len, ev->advice);
	case EV_MREMAP:
		return sys_mremap(t, ev->addr, ev->len, ev->new_len,
				  ev->flags, ev->new_addr,
				  ev->result > 0 ? ev->result : 0);
	case EV_FAULT:
		return handle_mm_fault(t, ev->addr, ev->write, ev->order);
	case EV_FORK:
		return task_fork(t, ev->child, &child);
	case EV_EXIT:
		task_exit(t);
		return 0;
	default:
		cr_assert_fail("line %u: event %s not replayed here", ev->line,
			       trace_ev_name(ev->type));
	}
	return 0;
}

static void perms(const struct vm_area_struct *vma, char *p)
{
	p[0] = vma->vm_flags & VM_READ ? 'r' : '-';
	p[1] = vma->vm_flags & VM_WRITE ? 'w' : '-';
	p[2] = vma->vm_flags & VM_EXEC ? 'x' : '-';
	p[3] = vma->vm_flags & VM_MAYSHARE ? 's' : 'p';
	p[4] = '\0';
}

static void compare_maps(const char *n, const struct trace_checkpoint *cp)
{
	size_t i, j;

	for (i = 0; i < cp->nr_procs; i++) {
		const struct cp_proc *p = &cp->procs[i];
		struct task *t = task_find(W, p->pid);
		struct vm_area_struct *vma;

		cr_assert(t, "%s: pid %ld not alive in the model", n,
			  (long)p->pid);
		j = 0;
		for_each_vma(t->mm, vma) {
			char pm[5];

			perms(vma, pm);
			cr_assert(j < p->nr_vmas,
				  "%s: pid %ld: extra VMA %lx-%lx", n,
				  (long)p->pid, vma->vm_start, vma->vm_end);
			cr_assert(vma->vm_start == p->vmas[j].start &&
				  vma->vm_end == p->vmas[j].end &&
				  !strcmp(pm, p->vmas[j].perms),
				  "%s: pid %ld: VMA %lx-%lx %s, kernel %lx-%lx %s",
				  n, (long)p->pid, vma->vm_start, vma->vm_end,
				  pm, (unsigned long)p->vmas[j].start,
				  (unsigned long)p->vmas[j].end,
				  p->vmas[j].perms);
			j++;
		}
		cr_assert_eq(j, p->nr_vmas, "%s: pid %ld: %zu VMAs, kernel %zu",
			     n, (long)p->pid, j, p->nr_vmas);
	}
}

/*
 * Sharing: the kernel's frames are synthesized pfns grouping (pid, addr)
 * pages.  For each model folio page, the walk's verified hits form one
 * group; both sides must give the same partition of the pages.  Compare
 * by mapping each (pid, addr) to the smallest (pid, addr) of its group.
 */
struct pa {
	long pid;
	unsigned long addr;
	unsigned long pfn;		/* kernel side only */
	long rep_pid;
	unsigned long rep_addr;
};

static int pa_cmp(const void *x, const void *y)
{
	const struct pa *a = x, *b = y;

	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return 0;
}

static bool pa_less(long p1, unsigned long a1, long p2, unsigned long a2)
{
	return p1 < p2 || (p1 == p2 && a1 < a2);
}

static size_t model_sharing(struct pa **out)
{
	struct rmap_hits all = { 0 };
	struct pa *v = NULL;
	size_t i = 0, nr, n = 0;

	oracle_scan(W, &all);
	nr = rmap_hits_sort(&all);
	v = calloc(nr + 1, sizeof(*v));
	cr_assert(v);
	while (i < nr) {
		struct folio *f = all.v[i].folio;
		unsigned int idx = all.v[i].idx;
		struct rmap_walk_control rwc = { 0 };
		struct rmap_hits got = { 0 };
		size_t j, k, first = n;
		long rp = LONG_MAX;
		unsigned long ra = ULONG_MAX;

		rmap_walk_verified(W, f, &got, &rwc);
		rmap_hits_sort(&got);
		for (k = 0; k < got.nr; k++) {
			long pid = mm_pid(got.v[k].mm);

			if (got.v[k].idx != idx)
				continue;
			v[n].pid = pid;
			v[n].addr = got.v[k].addr;
			if (pa_less(pid, got.v[k].addr, rp, ra)) {
				rp = pid;
				ra = got.v[k].addr;
			}
			n++;
		}
		for (k = first; k < n; k++) {
			v[k].rep_pid = rp;
			v[k].rep_addr = ra;
		}
		rmap_hits_free(&got);
		for (j = i; j < nr && all.v[j].folio == f &&
		     all.v[j].idx == idx; j++)
			;
		i = j;
	}
	rmap_hits_free(&all);
	qsort(v, n, sizeof(*v), pa_cmp);
	*out = v;
	return n;
}

static size_t kernel_sharing(const struct trace_checkpoint *cp,
			     struct pa **out)
{
	struct pa *v;
	size_t n = 0, i, j, k;

	for (i = 0; i < cp->nr_procs; i++)
		n += cp->procs[i].nr_pages;
	v = calloc(n + 1, sizeof(*v));
	cr_assert(v);
	n = 0;
	for (i = 0; i < cp->nr_procs; i++)
		for (j = 0; j < cp->procs[i].nr_pages; j++) {
			v[n].pid = cp->procs[i].pid;
			v[n].addr = cp->procs[i].pages[j].addr;
			v[n].pfn = cp->procs[i].pages[j].pfn;
			n++;
		}
	/* representative: the smallest (pid, addr) on the same frame */
	for (i = 0; i < n; i++) {
		v[i].rep_pid = v[i].pid;
		v[i].rep_addr = v[i].addr;
		for (k = 0; k < n; k++)
			if (v[k].pfn == v[i].pfn &&
			    pa_less(v[k].pid, v[k].addr, v[i].rep_pid,
				    v[i].rep_addr)) {
				v[i].rep_pid = v[k].pid;
				v[i].rep_addr = v[k].addr;
			}
	}
	qsort(v, n, sizeof(*v), pa_cmp);
	*out = v;
	return n;
}

static void compare_sharing(const char *n, const struct trace_checkpoint *cp)
{
	struct pa *m, *k;
	size_t nm = model_sharing(&m), nk = kernel_sharing(cp, &k), i;

	for (i = 0; i < nm && i < nk; i++) {
		cr_assert(m[i].pid == k[i].pid && m[i].addr == k[i].addr,
			  "%s: page %ld:%lx in the model, %ld:%lx in the kernel",
			  n, m[i].pid, m[i].addr, k[i].pid, k[i].addr);
		cr_assert(m[i].rep_pid == k[i].rep_pid &&
			  m[i].rep_addr == k[i].rep_addr,
			  "%s: page %ld:%lx shares with %ld:%lx in the model, %ld:%lx in the kernel",
			  n, m[i].pid, m[i].addr, m[i].rep_pid, m[i].rep_addr,
			  k[i].rep_pid, k[i].rep_addr);
	}
	cr_assert_eq(nm, nk, "%s: %zu anon pages in the model, %zu in the kernel",
		     n, nm, nk);
	free(m);
	free(k);
}

/* kernel-recount.txt: the end counts of vector @n. */
static void recount(int n, long *av, long *avc)
{
	const char *src = getenv("RMAPLAB_SRCDIR");
	char path[PATH_MAX], line[256], name[32];
	long a, c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/classic/kernel-recount.txt",
		 src ? src : ".");
	f = fopen(path, "r");
	cr_assert(f, "%s: cannot open", path);
	*av = *avc = -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "random-%31s anon_vma %ld anon_vma_chain %ld",
			   name, &a, &c) == 3 && atoi(name) == n) {
			*av = a;
			*avc = c;
		}
	}
	fclose(f);
	cr_assert(*av >= 0, "%s: no line for random-%d", path, n);
}

/*
 * Replay @trace with @params, checking the invariants and every walk after
 * each event.  With @expected, compare the end state: VMAs, sharing and
 * (when @kav >= 0) the object counts.  Returns the model's end counts.
 */
static void replay(const char *trace, const char *params,
		   const char *expected, long kav, long kavc,
		   long *av, long *avc)
{
	struct trace_checkpoint cp;
	struct trace tr;
	char err[512];
	size_t i;

	trace_init(&tr);
	cr_assert_eq(trace_load(trace, &tr, err, sizeof(err)), 0, "%s", err);
	env_setup(params);
	for (i = 0; i < tr.nr_ev; i++) {
		const struct trace_event *ev = &tr.ev[i];
		long r = replay_one(W, &tr, ev);
		char what[64];

		if (ev->has_result)
			cr_assert_eq(r, (long)ev->result,
				     "%s line %u: model %ld, kernel %ld",
				     trace, ev->line, r, (long)ev->result);
		snprintf(what, sizeof(what), "line %u", ev->line);
		env_verify(what, true);
	}
	trace_free(&tr);
	*av = live("anon_vma");
	*avc = live("anon_vma_chain");
	if (!expected)
		return;
	memset(&cp, 0, sizeof(cp));
	cr_assert_eq(checkpoint_load_expected(expected, &cp, err,
					      sizeof(err)), 0, "%s", err);
	compare_maps(trace, &cp);
	compare_sharing(trace, &cp);
	if (kav < 0) {
		kav = cp.anon_vma;
		kavc = cp.anon_vma_chain;
	} else {
		cr_expect_eq(kavc, cp.anon_vma_chain,
			     "%s: recount has %ld AVCs, .expected %ld",
			     trace, kavc, (long)cp.anon_vma_chain);
	}
	checkpoint_free(&cp);
	cr_expect_eq(*av, kav, "%s: anon_vma %ld, kernel %ld", trace, *av,
		     kav);
	cr_expect_eq(*avc, kavc, "%s: anon_vma_chain %ld, kernel %ld", trace,
		     *avc, kavc);
}


TestSuite(classic_vectors, .fini = env_teardown);

ParameterizedTestParameters(classic_vectors, kernel)
{
	static int vec[NR_VECTORS];
	int i;

	for (i = 0; i < NR_VECTORS; i++)
		vec[i] = FIRST_VECTOR + i;
	return cr_make_param_array(int, vec, NR_VECTORS);
}

ParameterizedTest(int *n, classic_vectors, kernel)
{
	char trace[PATH_MAX], expected[PATH_MAX];
	long av, avc, kav, kavc;

	if (!vector_path(trace, sizeof(trace), *n, "trace"))
		cr_skip_test("no kernel vectors at %s", trace);
	vector_path(expected, sizeof(expected), *n, "expected");
	recount(*n, &kav, &kavc);
	replay(trace, "", expected, -1, -1, &av, &avc);
	cr_expect_eq(av, kav, "random-%d: model and .expected have %ld "
		     "anon_vmas, kernel-recount.txt %ld", *n, av, kav);
	cr_expect_eq(avc, kavc, "random-%d: model and .expected have %ld "
		     "anon_vma_chains, kernel-recount.txt %ld", *n, avc, kavc);
}

/*
 * tests/classic/traces: hand-made histories aimed at the reuse heuristic,
 * neighbour adoption and mremap, each with the .expected end state that
 * kernel-run recorded for it on this kernel.
 */
static const char *const own_traces[] = {
	"fork-daemon", "fork-middle", "fork-star", "prepare-neighbours",
	"remap-fork", "reuse-order-1", "reuse-order-2", "reuse-order-3",
};
#define NR_OWN (sizeof(own_traces) / sizeof(own_traces[0]))

static void own_paths(const char *name, char *trace, char *expected)
{
	const char *src = getenv("RMAPLAB_SRCDIR");

	snprintf(trace, PATH_MAX, "%s/tests/classic/traces/%s.trace",
		 src ? src : ".", name);
	snprintf(expected, PATH_MAX, "%s/tests/classic/traces/%s.expected",
		 src ? src : ".", name);
}

ParameterizedTestParameters(classic_vectors, own)
{
	static int idx[NR_OWN];
	size_t i;

	for (i = 0; i < NR_OWN; i++)
		idx[i] = i;
	return cr_make_param_array(int, idx, NR_OWN);
}

ParameterizedTest(int *i, classic_vectors, own)
{
	char trace[PATH_MAX], expected[PATH_MAX];
	long av, avc;

	own_paths(own_traces[*i], trace, expected);
	replay(trace, "", expected, -1, -1, &av, &avc);
}

/*
 * The variants must not match the kernel where they behave differently:
 * reuse=off on the daemon chain, and the clean-up's visiting order on at
 * least one of the reuse-order histories (all three differ today).
 */
static long end_anon_vmas(const char *name, const char *params)
{
	char trace[PATH_MAX], expected[PATH_MAX];
	long av, avc;

	own_paths(name, trace, expected);
	replay(trace, params, NULL, -1, -1, &av, &avc);
	env_teardown();
	return av;
}

Test(classic_vectors, variants_differ)
{
	cr_expect_eq(end_anon_vmas("fork-daemon", ""), 3);
	cr_expect_eq(end_anon_vmas("fork-daemon", "reuse=off"), 11);
	cr_expect_eq(end_anon_vmas("reuse-order-1", ""), 7);
	cr_expect_eq(end_anon_vmas("reuse-order-1", "cleanup=on"), 8);
	cr_expect_eq(end_anon_vmas("reuse-order-2", ""), 8);
	cr_expect_eq(end_anon_vmas("reuse-order-2", "cleanup=on"), 7);
}

/*
 * The variants' own code paths (clone_2026, no reuse) under the same
 * histories: every invariant and every walk after every event.
 */
static void all_vectors(const char *params)
{
	char trace[PATH_MAX];
	long av, avc;
	size_t i;
	int n;

	for (n = FIRST_VECTOR; n < FIRST_VECTOR + NR_VECTORS; n++) {
		if (!vector_path(trace, sizeof(trace), n, "trace"))
			cr_skip_test("no kernel vectors at %s", trace);
		replay(trace, params, NULL, -1, -1, &av, &avc);
		env_teardown();
	}
	for (i = 0; i < NR_OWN; i++) {
		char expected[PATH_MAX];

		own_paths(own_traces[i], trace, expected);
		replay(trace, params, NULL, -1, -1, &av, &avc);
		env_teardown();
	}
}

Test(classic_vectors, invariants_cleanup)
{
	all_vectors("cleanup=on");
}

Test(classic_vectors, invariants_no_reuse)
{
	all_vectors("reuse=off");
}
