// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every history the real kernel ran (tests/data/kernel-vectors, and the
 * generated ones kept in tests/data/kernel-histories), replayed through
 * every scheme: classic's VMA lines must be the kernel's /proc/PID/maps,
 * every scheme's sharing sets the kernel's page-frame sharing, and
 * classic's object counts the kernel's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness/output.h"
#include "harness/replay.h"
#include "tests/common/slurp.h"
#include "traces/expected.h"
#include "traces/gen_random.h"
#include "traces/kernel_run.h"

/* The .expected text up to "-- objects" and the two counts after it. */
struct expected {
	char *state;
	long anon_vma, avc;
};

static void load_expected(const char *path, struct expected *e)
{
	char *obj;

	e->state = slurp(path, NULL);
	obj = strstr(e->state, "-- objects\n");
	cr_assert(obj, "%s: no objects", path);
	cr_assert(sscanf(obj, "-- objects\nanon_vma %ld\nanon_vma_chain %ld",
			 &e->anon_vma, &e->avc) == 2);
	*obj = '\0';
}

/* Maps lines cut to the four fields the expected files keep. */
static char *model_state(struct world *w, bool maps)
{
	char *raw = NULL, *out = NULL, *line, *save;
	size_t rlen = 0, olen = 0;
	FILE *m = open_memstream(&raw, &rlen), *o;
	char a[64], perms[8], off[32];

	if (maps)
		print_maps(m, w, false);
	fprintf(m, "-- sharing\n");
	print_sharing(m, w, NULL);
	fclose(m);
	o = open_memstream(&out, &olen);
	for (line = strtok_r(raw, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] != '=' && line[0] != '-' &&
		    sscanf(line, "%63s %7s %31s", a, perms, off) == 3 &&
		    strchr(a, '-') && !strchr(a, ':'))
			fprintf(o, "%s %s %s\n", a, perms, off);
		else
			fprintf(o, "%s\n", line);
	}
	fclose(o);
	free(raw);
	return out;
}

static long live_of(struct world *w, const char *name)
{
	int id = acct_find(&w->acct, name);

	cr_assert(id >= 0);
	return w->acct.cls[id].live;
}

/* Every history of tests/data/@sub: the end state and live objects. */
static void check_dir(const char *sub, const char *scheme)
{
	const char *src = getenv("RMAPLAB_SRCDIR");
	char dir[512], path[1024];
	struct dirent *d;
	DIR *dh;
	int n = 0;

	cr_assert(src, "RMAPLAB_SRCDIR not set");
	snprintf(dir, sizeof(dir), "%s/tests/data/%s", src, sub);
	dh = opendir(dir);
	cr_assert(dh, "no %s", dir);
	while ((d = readdir(dh))) {
		bool classic = !strcmp(scheme, "classic");
		struct expected e;
		struct trace t;
		struct replay r;
		struct errbuf err;
		char *state, *want, msg[512];
		size_t len = strlen(d->d_name);

		if (len < 7 || strcmp(d->d_name + len - 6, ".trace"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		trace_init(&t);
		cr_assert(!trace_load(path, &t, msg, sizeof(msg)), "%s", msg);
		cr_assert(!replay_open(&r, &t, scheme, &err), "%s", err.msg);
		r.quiet = true;
		cr_assert(replay_all(&r, &err) == 0, "%s", err.msg);
		cr_expect_eq(r.divergences, 0, "%s", r.first_divergence);

		memcpy(path + strlen(path) - 6, ".expected", 10);
		load_expected(path, &e);
		state = model_state(r.w, classic);
		want = e.state;
		if (!classic)
			want = strstr(want, "-- sharing\n");
		cr_expect_str_eq(state, want, "%s/%s: %s differs from "
				 "the kernel", sub, d->d_name, scheme);
		if (classic) {
			cr_expect_eq(live_of(r.w, "anon_vma_chain"),
				     e.avc, "%s: anon_vma_chain", d->d_name);
			cr_expect_eq(live_of(r.w, "anon_vma"),
				     e.anon_vma, "%s: anon_vma", d->d_name);
		}
		free(state);
		free(e.state);
		replay_close(&r);
		trace_free(&t);
		n++;
	}
	closedir(dh);
	cr_assert_gt(n, 0);
}

/* The same for each main scheme: what the kernel did, each must reproduce. */
static void check_dir_each_scheme(const char *sub)
{
	static const char *const schemes[] = { "classic", "lazy", "cowctx" };
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		check_dir(sub, schemes[i]);
}

Test(kernel_histories, vectors_classic)
{
	check_dir("kernel-vectors", "classic");
}

Test(kernel_histories, vectors_lazy)
{
	check_dir("kernel-vectors", "lazy");
}

Test(kernel_histories, vectors_cowctx)
{
	check_dir("kernel-vectors", "cowctx");
}

Test(kernel_histories, generated_classic)
{
	check_dir("kernel-histories", "classic");
}

Test(kernel_histories, generated_lazy)
{
	check_dir("kernel-histories", "lazy");
}

Test(kernel_histories, generated_cowctx)
{
	check_dir("kernel-histories", "cowctx");
}

/* With reclaim, pageout and swap-in: maps, frame and swap-slot sharing. */
Test(kernel_histories, swap_classic)
{
	check_dir("kernel-histories-swap", "classic");
}

/*
 * Fresh histories through the real kernel (as root, with tracefs): each is
 * generated, run by kernel-run, and replayed through every scheme, which
 * must end in the kernel's state.  RMAPLAB_LONG=N runs N histories.
 */
Test(kernel_histories, live_kernel, .timeout = 600)
{
	const char *schemes[] = { "classic", "lazy", "cowctx" };
	const char *longrun = getenv("RMAPLAB_LONG");
	unsigned long seed, nr = longrun ? strtoul(longrun, NULL, 0) : 12;
	struct krun_opts opts = { .warn = NULL };
	char err[512];
	size_t s;

#if defined(__SANITIZE_ADDRESS__)
	cr_skip_test("ASan's shadow memory covers the trace's addresses");
#endif
	if (krun_check_env(true, err, sizeof(err)))
		cr_skip_test("%s", err);
	opts.warn = fopen("/dev/null", "w");
	for (seed = 910000; seed < 910000 + nr; seed++) {
		struct krun_result res;
		struct trace t;
		char *want = NULL;
		size_t wlen = 0;
		FILE *m;

		gen_random(&t, seed, 120);
		cr_assert(!kernel_run(&t, &opts, &res, err, sizeof(err)),
			  "seed %lu: %s", seed, err);
		m = open_memstream(&want, &wlen);
		checkpoint_write_expected(m, krun_final(&res));
		fclose(m);
		cr_assert(strstr(want, "-- objects\n"));
		*strstr(want, "-- objects\n") = '\0';
		for (s = 0; s < 3; s++) {
			bool classic = s == 0;
			struct replay r;
			struct errbuf e;
			char *state, *w = want;

			cr_assert(!replay_open(&r, &res.out, schemes[s], &e));
			r.quiet = true;
			cr_assert(replay_all(&r, &e) == 0, "%s", e.msg);
			cr_expect_eq(r.divergences, 0, "seed %lu: %s", seed,
				     r.first_divergence);
			state = model_state(r.w, classic);
			if (!classic)
				w = strstr(w, "-- sharing\n");
			cr_expect_str_eq(state, w, "seed %lu: %s differs from "
					 "the kernel", seed, schemes[s]);
			if (classic) {
				const struct trace_checkpoint *cp =
					krun_final(&res);

				cr_expect_eq(live_of(r.w, "anon_vma"),
					     cp->anon_vma, "seed %lu", seed);
				cr_expect_eq(live_of(r.w, "anon_vma_chain"),
					     cp->anon_vma_chain, "seed %lu",
					     seed);
			}
			free(state);
			replay_close(&r);
		}
		free(want);
		krun_result_free(&res);
		trace_free(&t);
	}
	fclose(opts.warn);
}

/*
 * Histories the Debian 6.12 kernels ran in a VM (`rmaplab kernel-run
 * --kernel NAME --generate`): arm64 with 16 KiB pages (a PMD maps 32 MiB,
 * THPs are order 11), arm64 with 4 KiB pages (no protection keys) and
 * amd64.
 */
Test(kernel_histories, arm64_16k)
{
	check_dir_each_scheme("kernel-histories-arm64-16k");
}

Test(kernel_histories, arm64_4k)
{
	check_dir_each_scheme("kernel-histories-arm64-4k");
}

Test(kernel_histories, debian_6_12_amd64)
{
	check_dir_each_scheme("kernel-histories-6.12-amd64");
}

/*
 * Histories Debian's 6.1.192 ran in a VM, each through a 6.1 difference
 * (traces/KERNEL_RUN.md): mseal() -ENOSYS, MAP_DROPPABLE -EINVAL,
 * MAP_STACK without VM_NOHUGEPAGE, a read-only unfaulted VMA keeping
 * VM_ACCOUNT, 6.1.191's MREMAP_DONTUNMAP fixes; on arm64 also
 * pkey_mprotect() -ENOSYS, userfaultfd write protection -EINVAL and
 * MADV_POPULATE_WRITE past a hole.
 */
Test(kernel_histories, debian_6_1_amd64)
{
	check_dir_each_scheme("kernel-histories-6.1-amd64");
}

Test(kernel_histories, debian_6_1_arm64)
{
	check_dir_each_scheme("kernel-histories-6.1-arm64");
}
