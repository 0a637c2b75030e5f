// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text report: a plain-text email body for linux-mm, every line
 * within 80 columns, with the memory tables in the form of the
 * ANON_VMA_LAZY cover letter and the timings in the form of mmtests'
 * compare-kernels.  It states what the data shows and nothing more.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/stats.h"
#include "reports/table.h"

#define W REPORT_WIDTH

/* "[PATCH 0/15] mm: introduce ANON_VMA_LAZY ...", 27 May 2026. */
const struct rpt_seed_row rpt_seed_boot[3] = {
	{ "vm_area_struct", "117035", "118176", "+1.0%" },
	{ "anon_vma_chain", "18865.8", "8112.06", "-57.0%" },
	{ "anon_vma", "20426.4", "613.75", "-97.0%" },
};

const struct rpt_seed_row rpt_seed_apps[3] = {
	{ "vm_area_struct", "196873", "197345", "+0.2%" },
	{ "anon_vma_chain", "31477.1", "15576.8", "-50.5%" },
	{ "anon_vma", "33280", "2648.12", "-92.0%" },
};

/* ---- helpers -------------------------------------------------------- */

double rpt_obj_kb(const struct rpt_obj *o, enum rpt_moment m)
{
	long n;

	if (!o)
		return 0;
	if (!o->size)
		return o->kb[m];
	n = m == RPT_END ? o->end : m == RPT_PEAK ? o->peak : o->snap;
	return (double)n * (double)o->size / 1024.0;
}

double rpt_rmap_kb(const struct rpt_run *r, enum rpt_moment m)
{
	double kb = 0;
	int i;

	for (i = 0; i < r->nr_objs; i++)
		if (strcmp(r->objs[i].name, "vm_area_struct"))
			kb += rpt_obj_kb(&r->objs[i], m);
	return kb;
}

static void fmt_kb(char *buf, size_t len, double kb)
{
	snprintf(buf, len, "%.1f", kb);
}

static bool row_has(const struct rpt_memtab *mt, const char *name)
{
	size_t i;

	for (i = 0; i < mt->nr; i++)
		if (!strcmp(mt->rows[i].object, name))
			return true;
	return false;
}

static void memtab_add(struct rpt_memtab *mt, const struct rpt_run *b,
		       const struct rpt_run *o, const char *name,
		       enum rpt_moment m)
{
	struct rpt_memrow *r;

	if (row_has(mt, name) || mt->nr == RPT_MAX_CLASSES)
		return;
	if (!rpt_obj_find(b, name) && !rpt_obj_find(o, name))
		return;
	r = &mt->rows[mt->nr++];
	memset(r, 0, sizeof(*r));
	snprintf(r->object, sizeof(r->object), "%s", name);
	r->base_kb = rpt_obj_kb(rpt_obj_find(b, name), m);
	r->kb = rpt_obj_kb(rpt_obj_find(o, name), m);
}

void rpt_memtab_build(const struct rpt_run *runs, int base, int other,
		      enum rpt_moment m, struct rpt_memtab *mt)
{
	static const char *const first[] = {
		"vm_area_struct", "anon_vma_chain", "anon_vma",
	};
	const struct rpt_run *b = &runs[base], *o = &runs[other];
	struct rpt_memrow *r;
	double tb = 0, to = 0;
	size_t i;
	int k;

	memset(mt, 0, sizeof(*mt));
	mt->base = base;
	mt->other = other;
	for (i = 0; i < 3; i++)
		memtab_add(mt, b, o, first[i], m);
	for (k = 0; k < b->nr_objs; k++)
		memtab_add(mt, b, o, b->objs[k].name, m);
	for (k = 0; k < o->nr_objs; k++)
		memtab_add(mt, b, o, o->objs[k].name, m);
	for (i = 0; i < mt->nr; i++) {
		tb += mt->rows[i].base_kb;
		to += mt->rows[i].kb;
	}
	r = &mt->rows[mt->nr++];
	memset(r, 0, sizeof(*r));
	snprintf(r->object, sizeof(r->object), "total");
	r->base_kb = tb;
	r->kb = to;
	for (i = 0; i < mt->nr; i++) {
		r = &mt->rows[i];
		fmt_kb(r->base_txt, sizeof(r->base_txt), r->base_kb);
		fmt_kb(r->txt, sizeof(r->txt), r->kb);
		/* Changes from the printed values, as a reader would. */
		rt_change(r->change, sizeof(r->change), atof(r->base_txt),
			  atof(r->txt));
	}
}

int rpt_zygote(const struct report_data *d)
{
	size_t i;

	for (i = 0; i < d->nr_traces; i++)
		if (d->traces[i].zygote)
			return (int)i;
	return -1;
}

static void section(FILE *f, const char *title)
{
	size_t i, n = strlen(title);

	fprintf(f, "\n%s\n", title);
	for (i = 0; i < n; i++)
		fputc('-', f);
	fputs("\n\n", f);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}


static double per(unsigned long v, unsigned long n)
{
	return n ? (double)v / (double)n : NAN;
}

static double precision(const struct rpt_walk *w)
{
	return w->candidates ? 1.0 - (double)w->misses /
		(double)w->candidates : NAN;
}

static void fmt_num(char *buf, size_t len, const char *fmt, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, fmt, v);
}

/* Main schemes after the baseline, for the cover-letter tables. */
static bool is_main(const struct report_data *d, size_t s)
{
	return s && !rpt_is_variant(d->schemes[s]);
}

static int idx_of(const struct report_data *d, const char *name)
{
	return rpt_scheme_index(d, name);
}

/* ---- the answer first ---------------------------------------------- */

static double rmap_locks_per(const struct report_data *d,
			     const struct rpt_run *r, const char *op);

/* " (R/C range LO..HI%)" of @fig for scheme @name, or "". */
static void lead_range(char *buf, size_t len, const struct report_data *d,
		       const char *name, int fig, const char *unit)
{
	const struct sens_scheme *s = d->sens_ran ?
		sens_find(&d->sens, name) : NULL;
	char rng[64];

	buf[0] = '\0';
	if (!s || s->nr < 2)
		return;
	sens_fmt_range(rng, sizeof(rng), s, fig, true);
	snprintf(buf, len, " [%s%s over R/C]", rng, unit);
}

/* Which schemes' walks found every mapping, which missed and how often. */
static void lead_verdict(FILE *f, const struct report_data *d)
{
	char ok[512] = "", bad[512] = "", kern[256] = "", ran[256];
	size_t i, lo = 0, lb = 0, lk;

	if (!d->check.ran) {
		rt_wrapf(f, W, "Verdict:  ", "          ", "not checked (%s).",
			 d->check.note);
	} else {
		for (i = 0; i < d->check.nr; i++) {
			const struct rpt_check_scheme *c = &d->check.s[i];
			unsigned long n = c->n[RPT_ORACLE];

			if (c->init_failed)
				continue;
			if (n && lb < sizeof(bad) - 64)
				lb += snprintf(bad + lb, sizeof(bad) - lb,
					       "%s%s %lu in %lu trace%s",
					       lb ? ", " : "", c->scheme, n,
					       c->failed[RPT_ORACLE],
					       c->failed[RPT_ORACLE] == 1 ?
					       "" : "s");
			else if (!n && lo < sizeof(ok) - 64)
				lo += snprintf(ok + lo, sizeof(ok) - lo,
					       "%s%s", lo ? ", " : "",
					       c->scheme);
		}
		for (i = 0, lk = 0; i < d->check.nr; i++) {
			const struct rpt_check_scheme *c = &d->check.s[i];

			if (!c->init_failed && c->n[RPT_KERNEL] &&
			    lk < sizeof(kern) - 64)
				lk += snprintf(kern + lk, sizeof(kern) - lk,
					       "%s%s %lu", lk ? ", " : "",
					       c->scheme, c->n[RPT_KERNEL]);
		}
		rt_wrapf(f, W, "Verdict:  ", "          ", "walks found every "
			 "mapping: %s; disagreed with the oracle: %s%s%s.",
			 lo ? ok : "none", lb ? bad : "none",
			 lk ? "; with the kernel's state: " : "",
			 lk ? kern : "");
	}
	/* The replay itself always runs; these are what ran beside it. */
	snprintf(ran, sizeof(ran), "%s%s%s%s",
		 d->check.ran ? ", oracle, kernel state" : "",
		 d->sens_ran ? ", sensitivity" : "",
		 d->depth.nr ? ", fork depth" : "",
		 d->contend.ran ? ", simulated contention" : "");
	rt_wrapf(f, W, "Checks:   ", "          ", "%s.",
		 ran[0] ? ran + 2 : "none beside the replay");
}

/* The few numbers that matter, each with its reading and its range. */
static void lead_numbers(FILE *f, const struct report_data *d)
{
	char buf[1024], rng[96], a[32], b[32];
	size_t s, len = 0;

	for (s = 1; s < d->nr_schemes && len < sizeof(buf) - 160; s++) {
		if (!is_main(d, s) || !d->total[s].available ||
		    !d->total[0].available)
			continue;
		rt_change(a, sizeof(a), rpt_rmap_kb(&d->total[0], RPT_SNAP),
			  rpt_rmap_kb(&d->total[s], RPT_SNAP));
		lead_range(rng, sizeof(rng), d, d->schemes[s], SENS_RMAP_KB,
			   "%");
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s %s%s",
				len ? ", " : "", d->schemes[s], a, rng);
	}
	if (len)
		rt_wrapf(f, W, "Memory:   ", "          ", "rmap metadata KB "
			 "vs %s (all but vm_area_struct): %s.", d->schemes[0],
			 buf);
	for (s = 0, len = 0; s < d->nr_schemes && len < sizeof(buf) - 160;
	     s++) {
		const struct rpt_run *r = &d->total[s];

		if (!r->available || rpt_is_variant(d->schemes[s]))
			continue;
		fmt_num(a, sizeof(a), "%.2f", per(r->walk.candidates,
						  r->walk.walks));
		fmt_num(b, sizeof(b), "%.0f%%", 100 * precision(&r->walk));
		lead_range(rng, sizeof(rng), d, d->schemes[s],
			   SENS_VMAS_WALK, "");
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s %s (%s)%s",
				len ? ", " : "", d->schemes[s], a, b, rng);
	}
	if (len)
		rt_wrapf(f, W, "Walks:    ", "          ", "VMAs visited per "
			 "walk (precision): %s.", buf);
	for (s = 0, len = 0; s < d->nr_schemes && len < sizeof(buf) - 160;
	     s++) {
		if (!d->total[s].available || rpt_is_variant(d->schemes[s]))
			continue;
		fmt_num(a, sizeof(a), "%.2f",
			rmap_locks_per(d, &d->total[s], "fork"));
		lead_range(rng, sizeof(rng), d, d->schemes[s],
			   SENS_LOCKS_FORK, "");
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s %s%s",
				len ? ", " : "", d->schemes[s], a, rng);
	}
	if (len)
		rt_wrapf(f, W, "Locks:    ", "          ", "rmap lock "
			 "acquisitions per fork: %s.", buf);
}

/*
 * At most LEAD_LINES lines: what was compared, on what, the verdicts and
 * the numbers that matter; the sections below give the why.
 */
static void lead(FILE *f, const struct report_data *d)
{
	char buf[1024], pg[24];
	unsigned long events = 0;
	size_t i, len = 0, nr_arch;
	struct rpt_arch *a;

	/* No blank line under the title: every line here is the answer. */
	fputs("rmaplab: anon rmap designs on recorded mm histories\n", f);
	fputs("===================================================\n", f);
	for (i = 0; i < d->nr_schemes && len < sizeof(buf) - 64; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s%s",
				i ? ", " : "", d->schemes[i],
				i ? "" : " (baseline)");
	rt_wrapf(f, W, "Compared: ", "          ", "%s; default readings "
		 "(About).", buf);
	for (i = 0; i < d->nr_traces; i++)
		events += d->traces[i].events;
	/* by arch, "x86_64 10, aarch64 4, aarch64 16K 4", if more than one */
	nr_arch = rpt_arches(d, &a);
	for (i = 0, len = 0; nr_arch > 1 && i < nr_arch &&
	     len < sizeof(buf) - 64; i++) {
		if (a[i].page_size != 4096)
			snprintf(pg, sizeof(pg), " %luK",
				 a[i].page_size / 1024);
		else
			pg[0] = '\0';
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s%s %zu",
				i ? ", " : "", a[i].arch, pg,
				a[i].nr_traces);
	}
	rpt_arches_free(a, nr_arch, d->nr_schemes);
	if (nr_arch <= 1)
		snprintf(buf, sizeof(buf), "%s", d->nr_traces == 1 &&
			 strlen(d->traces[0].name) <= 40 ?
			 d->traces[0].name : "Setup names them");
	rt_wrapf(f, W, "On:       ", "          ", "%zu trace%s, %lu events "
		 "(%s).", d->nr_traces, d->nr_traces == 1 ? "" : "s", events,
		 buf);
	lead_verdict(f, d);
	lead_numbers(f, d);
}

/* ---- header, intro, setup ------------------------------------------- */

static void intro(FILE *f, const struct report_data *d)
{
	section(f, "About");
	rt_wrap(f, W, "", "",
		"This compares designs of the anonymous reverse map on the "
		"same mm histories, replayed through rmaplab, a user-space "
		"model of the Linux 6.18 mm: classic (mainline anon_vma), "
		"lazy (ANON_VMA_LAZY, the series posted on 27 May 2026, in "
		"the reading its author endorsed for fork beyond the first "
		"generation, repaired where the design as described loses "
		"mappings; lazy:posted is the literal reading) and cowctx "
		"(the end-state reading of the CoW context design presented "
		"at LSF/MM 2026: no anon_vma, mainline merges, a walk that "
		"stops only when it has found every mapping; no code "
		"implements it; cowctx:poc is the proof of concept as "
		"posted). It is meant as input for evaluating the CoW "
		"context design, not as a patch.");
	fputc('\n', f);
	rt_wrap(f, W, "", "",
		"All numbers come from the model, not from a running kernel: "
		"memory is live objects times the kernel's slab object size, "
		"walk times are the model's walks on this machine, lock "
		"counts are what the model's locking takes. The model's VMA "
		"layouts and sharing sets are checked against the real "
		"kernel where the traces carry its state (see Correctness). "
		"Every number is for the reading named beside it; where a "
		"choice the sources leave open moves a number, Sensitivity "
		"gives its range.");
	if (d->email)
		fputs("\nComments welcome, in particular on what the model "
		      "gets wrong.\n", f);
}

static void setup(FILE *f, const struct report_data *d)
{
	const struct rpt_setup *s = &d->setup;
	const char *ind = "           ";
	char buf[1024];
	size_t i, len = 0;

	section(f, "Setup");
	rt_wrapf(f, W, "Machine:   ", ind, "%s, %u CPUs, %.1f GiB", s->cpu,
		 s->cores, (double)s->mem_kb / (1024.0 * 1024.0));
	rt_wrapf(f, W, "Kernel:    ", ind, "%s %s, %lu-byte pages, THP "
		 "enabled [%s], defrag [%s]", s->kernel, s->arch,
		 s->page_size, s->thp, s->thp_defrag);
	rt_wrapf(f, W, "Compiler:  ", ind, "%s; %s", s->compiler, s->cflags);
	rt_wrapf(f, W, "rmaplab:   ", ind, "commit %s", s->commit);
	rt_wrap(f, W, "Counters:  ", ind, s->counters);
	rt_wrapf(f, W, "Memory:    ", ind, "live objects x slab object size "
		 "(bytes: %s)", s->objsizes);
	for (i = 0; i < d->nr_traces && len < sizeof(buf) - 200; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s (%lu)",
				i ? ", " : "", d->traces[i].name,
				d->traces[i].events);
	if (i < d->nr_traces)
		snprintf(buf + len, sizeof(buf) - len, ", ... (%zu more)",
			 d->nr_traces - i);
	rt_wrapf(f, W, "Traces:    ", ind, "%zu%s%s, events in brackets: "
		 "%s", d->nr_traces, d->from_corpus ? " from " : "",
		 d->from_corpus ? d->corpus_dir : "", buf);
	len = 0;
	buf[0] = '\0';
	for (i = 0; i < d->nr_schemes; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s%s",
				i ? ", " : "", d->schemes[i],
				i ? "" : " (baseline)");
	rt_wrap(f, W, "Schemes:   ", ind, buf);
	rt_wrapf(f, W, "Repeats:   ", ind, "every trace replayed %u times "
		 "per scheme; each folio's walk timed %u times, median kept",
		 s->repeats, s->walk_repeat);
	if (s->command[0])
		rt_wrap(f, W, "Command:   ", ind, s->command);
}

/* ---- correctness ---------------------------------------------------- */

/* Longest minimal trace quoted in the mail; longer ones stay in a file. */
#define MAX_MINIMAL_EVENTS 40

/*
 * A trace line as the mail quotes it: the header keeps what replay
 * needs (arch, page size, THP mode), events lose the recorder's
 * timestamps (t=), which replay does not use.  Comment lines: "".
 */
static void mail_line(const char *p, size_t n, char *out, size_t len)
{
	bool head = n >= 20 && !strncmp(p, "# rmaplab text trace", 20);
	size_t o = 0, i = 0, w, k = 0;

	out[0] = '\0';
	if (*p == '#' && !head)
		return;
	while (i < n) {
		while (i < n && p[i] == ' ')
			i++;
		for (w = i; w < n && p[w] != ' '; w++)
			;
		if (w > i) {
			bool keep;

			if (head)
				keep = k < 5 || !strncmp(p + i, "arch=", 5) ||
				       !strncmp(p + i, "page_size=", 10) ||
				       !strncmp(p + i, "thp=", 4);
			else
				keep = strncmp(p + i, "t=", 2) != 0;

			if (keep && o + (w - i) + 2 < len) {
				o += snprintf(out + o, len - o, "%s%.*s",
					      o ? (head && k == 5 ? "   " :
						   " ") : "", (int)(w - i),
					      p + i);
			}
			k++;
		}
		i = w;
	}
}

static void minimal_trace(FILE *f, const struct rpt_finding *c)
{
	const char *p, *nl;
	char line[512];
	bool fits = c->minimal_to <= MAX_MINIMAL_EVENTS;

	if (!c->minimal) {
		if (c->minimal_note[0])
			rt_wrap(f, W, "", "", c->minimal_note);
		return;
	}
	for (p = c->minimal; fits && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		mail_line(p, (size_t)(nl - p), line, sizeof(line));
		if (strlen(line) > W)
			fits = false;
		if (!*nl)
			break;
	}
	fputc('\n', f);
	rt_wrapf(f, W, "", "", "%s trace (%zu of %zu events)%s%s%s",
		 c->minimal_cut_only ? "Cut" : "Minimal", c->minimal_to,
		 c->minimal_from, c->minimal_file[0] ? ", in " : "",
		 c->minimal_file, fits ? "; without the recorder's "
		 "timestamps:" : ": too long to quote here.");
	if (!fits)
		return;
	fputc('\n', f);
	for (p = c->minimal; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		mail_line(p, (size_t)(nl - p), line, sizeof(line));
		if (line[0])
			fprintf(f, "%s\n", line);
		if (!*nl)
			break;
	}
}

static const char *const category_name[RPT_CATEGORIES] = {
	[RPT_ORACLE] = "the oracle",
	[RPT_KERNEL] = "the kernel's recorded state",
};

static void category_cell(struct rt_table *t, int col,
			  const struct rpt_check_scheme *cs,
			  enum rpt_category k)
{
	if (!cs->n[k])
		rt_cell(t, col, "ok");
	else
		rt_cell(t, col, "%lu (%lu)", cs->n[k], cs->failed[k]);
}

static void findings(FILE *f, const struct rpt_check_scheme *cs,
		     enum rpt_category k)
{
	const struct rpt_finding *fi = &cs->first[k];
	char kinds[512];
	size_t len = 0;
	int i;

	if (!cs->n[k])
		return;
	kinds[0] = '\0';
	for (i = 0; i < cs->nr_kinds && len < sizeof(kinds); i++)
		if (cs->kinds[i].kernel == (k == RPT_KERNEL) &&
		    cs->kinds[i].n)
			len += snprintf(kinds + len, sizeof(kinds) - len,
					"%s%s %lu", len ? ", " : "",
					cs->kinds[i].name, cs->kinds[i].n);
	fputc('\n', f);
	rt_wrapf(f, W, "", "", "%s against %s: %s, in %lu trace%s.",
		 cs->scheme, category_name[k], kinds, cs->failed[k],
		 cs->failed[k] == 1 ? "" : "s");
	if (!fi->kind[0])
		return;
	rt_wrapf(f, W, "", "", "First in the smallest such trace (%s, %s): "
		 "%s", base_name(fi->trace), fi->kind, fi->what);
	minimal_trace(f, fi);
}

/*
 * One row per user of the rmap (reclaim's aging and unmap, swap-in,
 * migration): per scheme, the mappings its walks had to find and how
 * many they missed.
 */
static void rmap_users(FILE *f, const struct rpt_check *c)
{
	static const char *const users[RPT_USERS] = {
		"aging (folio_referenced)", "unmap (try_to_unmap)",
		"swap-in (walk back)", "migration",
	};
	unsigned long total = 0;
	struct rt_table t;
	size_t s;
	int u;

	for (s = 0; s < c->nr; s++)
		for (u = 0; u < RPT_USERS; u++)
			total += c->s[s].use_walks[u];
	fputc('\n', f);
	if (!total) {
		rt_wrap(f, W, "", "", "The rmap's users: none of the traces "
			"reclaims, swaps in or migrates, so no aging, unmap, "
			"swap-in or migration walk was checked.");
		return;
	}
	rt_wrap(f, W, "", "", "The rmap's users, walking through each "
		"scheme: mappings to find, and missed (M/N).");
	fputc('\n', f);
	rt_init(&t, (int)c->nr + 1, RT_RULED);
	rt_head(&t, 0, "User");
	for (s = 0; s < c->nr; s++)
		rt_head(&t, (int)s + 1, "%s", c->s[s].scheme);
	for (u = 0; u < RPT_USERS; u++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", users[u]);
		for (s = 0; s < c->nr; s++) {
			const struct rpt_check_scheme *cs = &c->s[s];

			if (cs->init_failed || !cs->use_walks[u])
				rt_cell(&t, (int)s + 1, "-");
			else
				rt_cell(&t, (int)s + 1, "%lu/%lu",
					cs->use_misses[u],
					cs->use_mappings[u]);
		}
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

static void correctness(FILE *f, const struct report_data *d)
{
	const struct rpt_check *c = &d->check;
	struct rt_table t;
	size_t s;
	bool any = false;

	section(f, "Correctness");
	if (!c->ran) {
		rt_wrapf(f, W, "", "", "The checker did not run: %s",
			 c->note);
		return;
	}
	rt_wrap(f, W, "", "",
		"Every trace was replayed with every scheme, and every check "
		"ran for every scheme. At each "
		"checkpoint and at the end, every live folio's rmap walk was "
		"compared with a brute-force scan of all page tables "
		"(mappings missed, mappings reported that no PTE backs), "
		"mapcounts with the PTEs, each scheme's mapping sets with "
		"the oracle's; after every event the VMAs it touched with "
		"the oracle's; and, where a "
		"trace carries the kernel's state, the VMA layout, the sets "
		"of processes sharing each anon page, the folio sizes and "
		"the syscall results with the real kernel's. A difference "
		"a scheme makes from mainline by design is a design finding, "
		"not a disagreement.");
	if (c->note[0]) {
		fputc('\n', f);
		rt_wrap(f, W, "", "", c->note);
	}
	fputc('\n', f);
	rt_init(&t, 6, RT_RULED);
	rt_head(&t, 0, "Scheme");
	rt_head(&t, 1, "traces");
	rt_head(&t, 2, "checkpts");
	rt_head(&t, 3, "folios");
	rt_head(&t, 4, "vs oracle");
	rt_head(&t, 5, "vs kernel");
	for (s = 0; s < c->nr; s++) {
		const struct rpt_check_scheme *cs = &c->s[s];

		rt_row(&t);
		rt_cell(&t, 0, "%s", cs->scheme);
		if (cs->init_failed) {
			rt_cell(&t, 4, "not run");
			continue;
		}
		rt_cell(&t, 1, "%lu", cs->traces);
		rt_cell(&t, 2, "%lu", cs->checkpoints);
		rt_cell(&t, 3, "%lu", cs->folios);
		category_cell(&t, 4, cs, RPT_ORACLE);
		category_cell(&t, 5, cs, RPT_KERNEL);
	}
	rt_print(f, &t, W);
	rt_free(&t);
	fputc('\n', f);
	rt_wrap(f, W, "", "", "checkpts: checkpoints with the kernel's "
		"state; folios: folios checked, summed over the verification "
		"points (checkpoints and the end); N (T): N disagreements in "
		"T traces.");
	if (c->trace_errors)
		rt_wrapf(f, W, "", "", "%lu traces could not be checked "
			 "(bad input; see stderr).", c->trace_errors);
	if (c->kernel_avc_seen)
		rt_wrapf(f, W, "", "", "Object counts: %s's anon_vma_chain "
			 "count equals the kernel's at %lu of %lu trace ends "
			 "that record it.", d->schemes[0],
			 c->kernel_avc_equal, c->kernel_avc_seen);
	for (s = 0; s < c->nr; s++) {
		const struct rpt_check_scheme *cs = &c->s[s];

		if (cs->init_failed) {
			fputc('\n', f);
			rt_wrapf(f, W, "", "", "%s could not be run: %s",
				 cs->scheme, cs->init_err);
			continue;
		}
		any |= cs->n[RPT_ORACLE] || cs->n[RPT_KERNEL];
		findings(f, cs, RPT_ORACLE);
		findings(f, cs, RPT_KERNEL);
	}
	if (!any) {
		fputc('\n', f);
		rt_wrap(f, W, "", "", "No scheme disagreed with the oracle, "
			"with another scheme or with the kernel.");
	}
	rmap_users(f, c);
}

/* ---- memory --------------------------------------------------------- */

static void print_memtab(FILE *f, const struct report_data *d,
			 const struct rpt_memtab *mt)
{
	struct rt_table t;
	size_t i;

	rt_init(&t, 4, RT_LETTER);
	rt_head(&t, 0, "Object");
	rt_head(&t, 1, "%s (active KB)", d->schemes[mt->base]);
	rt_head(&t, 2, "%s (active KB)", d->schemes[mt->other]);
	rt_head(&t, 3, "Change");
	for (i = 0; i < mt->nr; i++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", mt->rows[i].object);
		rt_cell(&t, 1, "%s", mt->rows[i].base_txt);
		rt_cell(&t, 2, "%s", mt->rows[i].txt);
		rt_cell(&t, 3, "%s", mt->rows[i].change);
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

/* The baseline against every main scheme, each in the letter's form. */
static void memtabs(FILE *f, const struct report_data *d,
		    const struct rpt_run *runs, enum rpt_moment m)
{
	struct rpt_memtab mt;
	bool first = true;
	size_t s;

	for (s = 1; s < d->nr_schemes; s++) {
		if (!is_main(d, s))
			continue;
		if (!first)
			fputc('\n', f);
		first = false;
		if (!runs[0].available || !runs[s].available) {
			rt_wrapf(f, W, "", "", "%s: not available (%s)",
				 runs[s].available ? d->schemes[0] :
				 d->schemes[s], runs[s].available ?
				 runs[0].why : runs[s].why);
			continue;
		}
		rpt_memtab_build(runs, 0, (int)s, m, &mt);
		print_memtab(f, d, &mt);
	}
	if (first && d->nr_schemes) {
		/* Only one main scheme: its own column. */
		rpt_memtab_build(runs, 0, 0, m, &mt);
		print_memtab(f, d, &mt);
	}
}

static void moment_line(FILE *f, const struct rpt_trace *t)
{
	if (t->snap_end)
		rt_wrapf(f, W, "", "", "%s, at the end (%lu events):",
			 t->name, t->events);
	else
		rt_wrapf(f, W, "", "", "%s, after event %lu of %lu (no "
			 "folio is left at the end; the most folios were live "
			 "then):", t->name, t->snap_event, t->events);
}

static void seed_table(FILE *f, const char *title,
		       const struct rpt_seed_row *rows)
{
	struct rt_table t;
	int i;

	fprintf(f, "%s\n\n", title);
	rt_init(&t, 4, RT_LETTER);
	rt_head(&t, 0, "Object");
	rt_head(&t, 1, "Before (active KB)");
	rt_head(&t, 2, "After (active KB)");
	rt_head(&t, 3, "Change");
	for (i = 0; i < 3; i++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", rows[i].object);
		rt_cell(&t, 1, "%s", rows[i].before);
		rt_cell(&t, 2, "%s", rows[i].after);
		rt_cell(&t, 3, "%s", rows[i].change);
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

static const char *memrow_change(const struct rpt_memtab *mt,
				 const char *object)
{
	size_t i;

	for (i = 0; i < mt->nr; i++)
		if (!strcmp(mt->rows[i].object, object))
			return mt->rows[i].change;
	return "-";
}

/*
 * "-48.5..-34.6 (cow=own moves it most)" for @fig of scheme @name over its
 * R and C choices, or "" when none was measured.  A range across zero
 * says the sign depends on that choice.
 */
static void sens_claim(char *buf, size_t len, const struct report_data *d,
		       const char *name, int fig)
{
	const struct sens_scheme *s = d->sens_ran ?
		sens_find(&d->sens, name) : NULL;
	struct sens_range r;
	char rng[64];

	buf[0] = '\0';
	if (!s || s->nr < 2)
		return;
	sens_range(s, fig, true, &r);
	sens_fmt_range(rng, sizeof(rng), s, fig, true);
	if (!r.most || r.lo == r.hi) {
		snprintf(buf, len, "%s (no R or C choice moves it)", rng);
		return;
	}
	snprintf(buf, len, "%s (%s%s moves it most%s)", rng, r.most->choice,
		 r.most->grade == 'C' ? ", C" : "",
		 r.lo < 0 && r.hi > 0 ? "; its sign depends on that choice" :
		 "");
}

/* @what over the R and C choices of each scheme, as a paragraph. */
static void sens_para(FILE *f, const struct report_data *d,
		      const char *first, const char *what, int fig)
{
	char buf[1024], c[256];
	size_t s, len = 0;

	for (s = 0; s < d->nr_schemes && len < sizeof(buf) - 300; s++) {
		if (rpt_is_variant(d->schemes[s]))
			continue;
		sens_claim(c, sizeof(c), d, d->schemes[s], fig);
		if (c[0])
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%s %s", len ? "; " : "",
					d->schemes[s], c);
	}
	if (len)
		rt_wrapf(f, W, first, first[0] ? "  " : "", "Over each "
			 "scheme's R and C choices (Sensitivity), %s: %s.",
			 what, buf);
}

/*
 * Below the headline tables: which reading each column is, and how far
 * the same changes move, over all traces, with the open choices.
 */
static void headline_ranges(FILE *f, const struct report_data *d)
{
	char buf[1536], a[256], b[256], c[256];
	size_t s, len = 0;

	for (s = 1; s < d->nr_schemes && len < sizeof(buf) - 800; s++) {
		if (!is_main(d, s))
			continue;
		sens_claim(a, sizeof(a), d, d->schemes[s], SENS_ANON_VMA);
		sens_claim(b, sizeof(b), d, d->schemes[s], SENS_AVC);
		sens_claim(c, sizeof(c), d, d->schemes[s], SENS_TOTAL_KB);
		if (a[0])
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%s: anon_vma %s, anon_vma_chain "
					"%s, total %s", len ? "; " : "",
					d->schemes[s], a, b, c);
	}
	if (!len)
		return;
	fputc('\n', f);
	rt_wrapf(f, W, "", "", "Each column is the scheme's default reading "
		 "(see About). Over all traces, not this one, the "
		 "same changes in %% move with the choices the sources leave "
		 "open (Sensitivity): %s.", buf);
}

static void headline(FILE *f, const struct report_data *d)
{
	int z = rpt_zygote(d), lazy = idx_of(d, "lazy");
	int cow = idx_of(d, "cowctx");
	struct rpt_memtab ml, mc;
	const struct rpt_trace *t;
	struct rt_table tab;
	int i;

	/*
	 * The cover letter measured Android, whose zygote forks every app:
	 * its numbers mean something only beside a trace of that shape
	 * (rpt_trace.zygote, from the history's fork fan-out).
	 */
	if (z < 0)
		return;
	section(f, "Headline: a zygote-style trace beside the ANON_VMA_LAZY "
		"numbers");
	rt_wrap(f, W, "", "",
		"The ANON_VMA_LAZY cover letter (27 May 2026) gave slab "
		"active KB of a whole system before and after the series:");
	fputc('\n', f);
	seed_table(f, "After boot:", rpt_seed_boot);
	fputc('\n', f);
	seed_table(f, "After launching 24 apps:", rpt_seed_apps);
	fputc('\n', f);
	t = &d->traces[z];
	if (lazy < 0 || !t->runs[0].available || !t->runs[lazy].available) {
		rt_wrapf(f, W, "", "", "%s is in this set, but the report "
			 "did not run %s and lazy on it.", t->name,
			 d->schemes[0]);
		return;
	}
	rt_wrapf(f, W, "", "", "rmaplab, %s (a parent that preloads, then "
		 "forks apps that stay alive together, as Android's zygote "
		 "does), replayed through the model:", t->name);
	fputc('\n', f);
	moment_line(f, t);
	fputc('\n', f);
	rpt_memtab_build(t->runs, 0, lazy, RPT_SNAP, &ml);
	print_memtab(f, d, &ml);
	if (cow >= 0 && t->runs[cow].available) {
		fputc('\n', f);
		rpt_memtab_build(t->runs, 0, cow, RPT_SNAP, &mc);
		print_memtab(f, d, &mc);
	}
	fputc('\n', f);
	fputs("Change against the baseline, side by side:\n\n", f);
	rt_init(&tab, cow >= 0 ? 5 : 4, RT_LETTER);
	rt_head(&tab, 0, "Object");
	rt_head(&tab, 1, "seed: boot");
	rt_head(&tab, 2, "seed: 24 apps");
	rt_head(&tab, 3, "zygote: lazy");
	if (cow >= 0)
		rt_head(&tab, 4, "zygote: cowctx");
	for (i = 0; i < 3; i++) {
		rt_row(&tab);
		rt_cell(&tab, 0, "%s", rpt_seed_boot[i].object);
		rt_cell(&tab, 1, "%s", rpt_seed_boot[i].change);
		rt_cell(&tab, 2, "%s", rpt_seed_apps[i].change);
		rt_cell(&tab, 3, "%s", memrow_change(&ml,
						     rpt_seed_boot[i].object));
		if (cow >= 0 && t->runs[cow].available)
			rt_cell(&tab, 4, "%s",
				memrow_change(&mc, rpt_seed_boot[i].object));
	}
	rt_print(f, &tab, W);
	rt_free(&tab);
	fputc('\n', f);
	rt_wrap(f, W, "", "",
		"The cover letter measured a whole Android system on a real "
		"kernel; this is one recorded program in the model, so only "
		"the direction and rough size of each change can be "
		"compared, not the KB.");
	headline_ranges(f, d);
}

static void memory_per_trace_summary(FILE *f, const struct report_data *d)
{
	struct rt_table t;
	char buf[32];
	size_t i, s;
	int col;

	rt_init(&t, 2 + 2 * (int)d->nr_schemes, RT_RULED);
	rt_head(&t, 0, "Trace");
	rt_head(&t, 1, "events");
	col = 2;
	for (s = 0; s < d->nr_schemes; s++) {
		if (s && !is_main(d, s))
			continue;
		/* KB, said above: the corpus's arm64/16k/ names need room */
		rt_head(&t, col++, "%s", d->schemes[s]);
		if (s)
			rt_head(&t, col++, "Change");
	}
	for (i = 0; i < d->nr_traces; i++) {
		const struct rpt_trace *tr = &d->traces[i];
		double base = rpt_rmap_kb(&tr->runs[0], RPT_SNAP), v;

		rt_row(&t);
		rt_cell(&t, 0, "%s", tr->name);
		rt_cell(&t, 1, "%lu", tr->events);
		col = 2;
		for (s = 0; s < d->nr_schemes; s++) {
			if (s && !is_main(d, s))
				continue;
			if (!tr->runs[s].available) {
				rt_cell(&t, col++, "n/a");
				if (s)
					rt_cell(&t, col++, "n/a");
				continue;
			}
			v = rpt_rmap_kb(&tr->runs[s], RPT_SNAP);
			rt_cell(&t, col++, "%.1f", v);
			if (s) {
				rt_change(buf, sizeof(buf), base, v);
				rt_cell(&t, col++, "%s", buf);
			}
		}
	}
	t.ncols = col;
	rt_print(f, &t, W);
	rt_free(&t);
}

/* @mt's KB and change of row @object, or "-" when it has none. */
static void arch_cells(struct rt_table *t, int col,
		       const struct rpt_memtab *mt, const char *object,
		       bool base)
{
	size_t i;

	for (i = 0; i < mt->nr; i++) {
		if (strcmp(mt->rows[i].object, object))
			continue;
		rt_cell(t, col, "%s", base ? mt->rows[i].base_txt :
			mt->rows[i].txt);
		if (!base)
			rt_cell(t, col + 1, "%s", mt->rows[i].change);
		return;
	}
	rt_cell(t, col, "-");
	if (!base)
		rt_cell(t, col + 1, "-");
}

/*
 * Object sizes of @runs' classes, "vm_area_struct 176, anon_vma 104",
 * those read from a kernel's slabinfo (@slab) or the model's own.
 */
static size_t arch_sizes(char *buf, size_t len, const struct report_data *d,
			 const struct rpt_run *runs, bool slab)
{
	const char *seen[RPT_MAX_CLASSES * 4];
	size_t s, n = 0, i, used = 0;
	int k;

	buf[0] = '\0';
	for (s = 0; s < d->nr_schemes; s++) {
		for (k = 0; runs[s].available && k < runs[s].nr_objs; k++) {
			const struct rpt_obj *o = &runs[s].objs[k];

			for (i = 0; i < n; i++)
				if (!strcmp(seen[i], o->name))
					break;
			if (i < n || n == sizeof(seen) / sizeof(seen[0]) ||
			    used >= len || o->slab != slab)
				continue;
			seen[n++] = o->name;
			used += snprintf(buf + used, len - used, "%s%s %lu",
					 used ? ", " : "", o->name, o->size);
		}
	}
	return used;
}

/*
 * One table per architecture and page size: its traces' moments summed,
 * in its own slab object sizes, the baseline beside every main scheme.
 */
static void memory_arches(FILE *f, const struct report_data *d)
{
	struct rpt_memtab mt[RT_MAX_COLS / 2];
	struct rpt_arch *a;
	size_t n = rpt_arches(d, &a), i, s, k, nt;
	struct rt_table t;
	char name[64], sizes[512];
	int col;

	section(f, "Memory per architecture");
	rt_wrap(f, W, "", "",
		"Each trace's objects count in the slab object sizes of the "
		"kernel it was recorded on: that kernel's /proc/slabinfo as "
		"the trace recorded it, else the table of its architecture; "
		"the sums over all traces above add each trace in its own "
		"sizes. Per architecture, page size and object sizes, the "
		"sum of its traces' moments:");
	for (i = 0; i < n; i++) {
		const struct rpt_run *r = a[i].runs;

		rpt_arch_name(name, sizeof(name), &a[i]);
		arch_sizes(sizes, sizeof(sizes), d, r, true);
		fputc('\n', f);
		rt_wrapf(f, W, "", "", "%s: %zu trace%s, %lu events. Object "
			 "sizes (bytes) from %s: %s.", name, a[i].nr_traces,
			 a[i].nr_traces == 1 ? "" : "s", a[i].events,
			 a[i].objsize_source, sizes[0] ? sizes : "none");
		if (arch_sizes(sizes, sizeof(sizes), d, r, false))
			rt_wrapf(f, W, "", "", "The model's own (no kernel "
				 "slab measured): %s.", sizes);
		fputc('\n', f);
		if (!r[0].available) {
			rt_wrapf(f, W, "", "", "%s: not available (%s)",
				 d->schemes[0], r[0].why);
			continue;
		}
		for (s = 1, nt = 0; s < d->nr_schemes &&
		     nt < sizeof(mt) / sizeof(mt[0]); s++)
			if (is_main(d, s) && r[s].available)
				rpt_memtab_build(r, 0, (int)s, RPT_SNAP,
						 &mt[nt++]);
		if (!nt)
			rpt_memtab_build(r, 0, 0, RPT_SNAP, &mt[nt++]);
		rt_init(&t, 2 + 2 * (int)nt, RT_LETTER);
		rt_head(&t, 0, "Object");
		rt_head(&t, 1, "%s KB", d->schemes[0]);
		for (k = 0; k < nt; k++) {
			rt_head(&t, 2 + 2 * (int)k, "%s KB",
				d->schemes[mt[k].other]);
			rt_head(&t, 3 + 2 * (int)k, "Change");
		}
		/* the rows of every table, in the first one's order */
		for (k = 0; k < nt; k++) {
			size_t row;

			for (row = 0; row + 1 < mt[k].nr; row++) {
				const char *obj = mt[k].rows[row].object;
				size_t seen;

				for (seen = 0; seen < k; seen++)
					if (row_has(&mt[seen], obj))
						break;
				if (seen < k)
					continue;
				rt_row(&t);
				rt_cell(&t, 0, "%s", obj);
				arch_cells(&t, 1, &mt[k], obj, true);
				for (col = 0; col < (int)nt; col++)
					arch_cells(&t, 2 + 2 * col, &mt[col],
						   obj, false);
			}
		}
		rt_row(&t);
		rt_cell(&t, 0, "total");
		arch_cells(&t, 1, &mt[0], "total", true);
		for (col = 0; col < (int)nt; col++)
			arch_cells(&t, 2 + 2 * col, &mt[col], "total", false);
		rt_print(f, &t, W);
		rt_free(&t);
	}
	rpt_arches_free(a, n, d->nr_schemes);
}

#define MAX_TRACE_TABLES 8

static void memory(FILE *f, const struct report_data *d)
{
	size_t i;

	section(f, "Memory");
	rt_wrap(f, W, "", "",
		"Active KB: live objects times the slab object size, as "
		"/proc/slabinfo's active_objs times objsize. Each table is "
		"one moment of a trace, the one its walks ran on: the end, "
		"or, when no folio is left at the end (the recorded program "
		"exited), the event after which the most folios were live, "
		"the same event for every scheme. total: every class in the "
		"table.");
	headline(f, d);
	section(f, "Memory per workload");
	if (d->nr_traces > MAX_TRACE_TABLES) {
		rt_wrapf(f, W, "", "", "%zu traces: per trace, KB of every "
			 "class but vm_area_struct (the rmap metadata) for "
			 "each scheme; the tables per trace are in report.json "
			 "and memory.csv.", d->nr_traces);
		fputc('\n', f);
		memory_per_trace_summary(f, d);
	} else {
		for (i = 0; i < d->nr_traces; i++) {
			moment_line(f, &d->traces[i]);
			fputc('\n', f);
			memtabs(f, d, d->traces[i].runs, RPT_SNAP);
			fputc('\n', f);
		}
	}
	if (d->nr_traces > 1) {
		if (d->nr_traces > MAX_TRACE_TABLES)
			fputc('\n', f);
		rt_wrapf(f, W, "", "", "All %zu traces (the sum of each "
			 "trace's moment above):", d->nr_traces);
		fputc('\n', f);
		memtabs(f, d, d->total, RPT_SNAP);
	}
	memory_arches(f, d);
}

/* ---- walks ---------------------------------------------------------- */

enum trow { TR_MIN, TR_AMEAN, TR_STDDEV, TR_MAX };

static const double *rep_values(const struct rpt_run *r, int which)
{
	return which == 0 ? r->walk.p50_ns : which == 1 ? r->walk.p99_ns :
		r->walk.mean_ns;
}

/* "159.00 (  0.00%)" or "152.00 *  -4.40%*" against the baseline. */
static void timing_cell(char *buf, size_t len, const double *v, size_t n,
			const double *b, size_t nb, enum trow row, bool rate)
{
	double x, base, p;
	char pct[24];

	switch (row) {
	case TR_MIN:
		x = rs_min(v, n);
		base = rs_min(b, nb);
		break;
	case TR_MAX:
		x = rs_max(v, n);
		base = rs_max(b, nb);
		break;
	case TR_STDDEV:
		snprintf(buf, len, "%.2f", rs_stddev(v, n));
		return;
	default:
		x = rate ? rs_hmean(v, n) : rs_amean(v, n);
		base = rate ? rs_hmean(b, nb) : rs_amean(b, nb);
		break;
	}
	if (isnan(x)) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(pct, sizeof(pct), "%7.2f%%", base ? 100.0 * (x - base) /
		 base : 0.0);
	p = row == TR_AMEAN && v != b ? rs_welch_p(v, n, b, nb) : NAN;
	if (!isnan(p) && p < 0.05)
		snprintf(buf, len, "%.2f *%s*", x, pct);
	else
		snprintf(buf, len, "%.2f (%s)", x, pct);
}

static void walk_timing(FILE *f, const struct report_data *d)
{
	static const char *const what[] = { "p50", "p99", "mean" };
	static const char *const rows[] = { "Min", "Amean", "Stddev",
		"Max" };
	const struct rpt_run *b = &d->total[0];
	double *rate[64] = { NULL };
	struct rt_table t;
	char buf[64];
	size_t s, n;
	int k, r;

	rt_init(&t, 1 + (int)d->nr_schemes, RT_PLAIN);
	rt_head(&t, 0, "%s", "");
	for (s = 0; s < d->nr_schemes; s++)
		rt_head(&t, 1 + (int)s, "%s", d->schemes[s]);
	for (k = 0; k < 3; k++) {
		for (r = 0; r < 4; r++) {
			rt_row(&t);
			rt_cell(&t, 0, "%-7s%s", rows[r], what[k]);
			for (s = 0; s < d->nr_schemes; s++) {
				const struct rpt_run *x = &d->total[s];

				if (!x->available || !b->available) {
					rt_cell(&t, 1 + (int)s, "n/a");
					continue;
				}
				timing_cell(buf, sizeof(buf),
					    rep_values(x, k), x->walk.nr_rep,
					    rep_values(b, k), b->walk.nr_rep,
					    r, false);
				rt_cell(&t, 1 + (int)s, "%s", buf);
			}
		}
	}
	/* Replay rate: events per second of replay, a rate, so Hmean. */
	for (s = 0; s < d->nr_schemes && s < 64; s++) {
		const struct rpt_run *x = &d->total[s];

		rate[s] = calloc(x->walk.nr_rep + 1, sizeof(double));
		if (!rate[s])
			abort();
		for (n = 0; n < x->walk.nr_rep && x->replay_ns; n++)
			rate[s][n] = x->replay_ns[n] > 0 ? (double)x->events /
				(x->replay_ns[n] / 1e9) : NAN;
	}
	rt_row(&t);
	rt_cell(&t, 0, "%-7s%s", "Hmean", "events/s");
	for (s = 0; s < d->nr_schemes && s < 64; s++) {
		const struct rpt_run *x = &d->total[s];

		if (!x->available || !b->available) {
			rt_cell(&t, 1 + (int)s, "n/a");
			continue;
		}
		timing_cell(buf, sizeof(buf), rate[s], x->walk.nr_rep,
			    rate[0], b->walk.nr_rep, TR_AMEAN, true);
		rt_cell(&t, 1 + (int)s, "%s", buf);
	}
	for (s = 0; s < d->nr_schemes && s < 64; s++)
		free(rate[s]);
	rt_print(f, &t, W);
	rt_free(&t);
}

static void walk_counts(FILE *f, const struct report_data *d,
			const struct rpt_run *runs)
{
	static const char *const rows[] = {
		"folios walked", "mappings found/present", "VMAs visited",
		"  not mapping the folio", "precision", "tree nodes",
		"contexts", "locks taken", "retries (total)",
	};
	struct rt_table t;
	char buf[64];
	size_t s;
	int r;

	rt_init(&t, 1 + (int)d->nr_schemes, RT_RULED);
	rt_head(&t, 0, "Per walk");
	for (s = 0; s < d->nr_schemes; s++)
		rt_head(&t, 1 + (int)s, "%s", d->schemes[s]);
	for (r = 0; r < 9; r++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", rows[r]);
		for (s = 0; s < d->nr_schemes; s++) {
			const struct rpt_walk *w = &runs[s].walk;

			if (!runs[s].available) {
				rt_cell(&t, 1 + (int)s, "n/a");
				continue;
			}
			switch (r) {
			case 0:
				snprintf(buf, sizeof(buf), "%lu", w->walks);
				break;
			case 1:
				snprintf(buf, sizeof(buf), "%lu/%lu",
					 w->found, w->expected);
				break;
			case 2:
				fmt_num(buf, sizeof(buf), "%.2f",
					per(w->candidates, w->walks));
				break;
			case 3:
				fmt_num(buf, sizeof(buf), "%.2f",
					per(w->misses, w->walks));
				break;
			case 4:
				fmt_num(buf, sizeof(buf), "%.1f%%",
					100.0 * precision(w));
				break;
			case 5:
				fmt_num(buf, sizeof(buf), "%.2f",
					per(w->nodes, w->walks));
				break;
			case 6:
				fmt_num(buf, sizeof(buf), "%.2f",
					per(w->contexts, w->walks));
				break;
			case 7:
				fmt_num(buf, sizeof(buf), "%.2f",
					per(w->locks, w->walks));
				break;
			default:
				snprintf(buf, sizeof(buf), "%lu", w->retries);
				break;
			}
			rt_cell(&t, 1 + (int)s, "%s", buf);
		}
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

static void walks(FILE *f, const struct report_data *d)
{
	section(f, "rmap walk cost");
	rt_wrapf(f, W, "", "",
		 "At each trace's snapshot (the moment of its memory "
		 "tables), every live folio is walked with each scheme's "
		 "rmap walk, every candidate VMA verified "
		 "against the page tables as rmap_one() callers do. Each "
		 "folio's walk is timed %u times and the median kept; p50, "
		 "p99 and mean are over all folios of all traces, one value "
		 "per replay. Below: Min, Amean, Stddev and Max of those "
		 "values over the %u replays, compare-kernels style; in "
		 "brackets the change against %s (of the value: on the "
		 "p50, p99 and mean rows, in ns, negative is faster; on the "
		 "events/s row positive is faster), *...* where Welch's t-test gives p < 0.05. "
		 "Times in ns, software clock (CLOCK_MONOTONIC).",
		 d->setup.walk_repeat, d->setup.repeats, d->schemes[0]);
	fputc('\n', f);
	walk_timing(f, d);
	fputc('\n', f);
	rt_wrap(f, W, "", "",
		"Per walk, deterministic (counted, not timed): VMAs visited "
		"are the candidates the walk handed to rmap_one(); those not "
		"mapping the folio are wasted work; precision is the share "
		"that did map it.");
	fputc('\n', f);
	walk_counts(f, d, d->total);
	fputc('\n', f);
	sens_para(f, d, "", "VMAs visited per walk", SENS_VMAS_WALK);
	sens_para(f, d, "", "precision in %", SENS_PRECISION);
}

static void depth(FILE *f, const struct report_data *d)
{
	static const char *const what[] = {
		"mean walk ns per folio (median of the replays)",
		"VMAs visited per walk",
		"precision (candidates that map the folio)",
		"rmap metadata at the end, KB (all classes but "
		"vm_area_struct)",
	};
	struct rt_table t;
	char buf[32];
	size_t i, s;
	int k;

	section(f, "Walk cost versus fork depth");
	if (!d->depth.nr) {
		rt_wrap(f, W, "", "", "Not measured in this run.");
		return;
	}
	rt_wrap(f, W, "", "", d->depth.shape);
	for (k = 0; k < 4; k++) {
		fputc('\n', f);
		rt_wrap(f, W, "", "", what[k]);
		fputc('\n', f);
		rt_init(&t, 1 + (int)d->nr_schemes, RT_RULED);
		rt_head(&t, 0, "depth");
		for (s = 0; s < d->nr_schemes; s++)
			rt_head(&t, 1 + (int)s, "%s", d->schemes[s]);
		for (i = 0; i < d->depth.nr; i++) {
			const struct rpt_depth_point *p = &d->depth.pts[i];

			rt_row(&t);
			rt_cell(&t, 0, "%u", p->depth);
			for (s = 0; s < d->nr_schemes; s++) {
				const struct rpt_run *r = &p->runs[s];

				if (!r->available) {
					rt_cell(&t, 1 + (int)s, "n/a");
					continue;
				}
				if (k == 0)
					fmt_num(buf, sizeof(buf), "%.0f",
						rs_median(r->walk.mean_ns,
							  r->walk.nr_rep));
				else if (k == 1)
					fmt_num(buf, sizeof(buf), "%.2f",
						per(r->walk.candidates,
						    r->walk.walks));
				else if (k == 2)
					fmt_num(buf, sizeof(buf), "%.1f%%",
						100 * precision(&r->walk));
				else
					snprintf(buf, sizeof(buf), "%.1f",
						 rpt_rmap_kb(r, RPT_END));
				rt_cell(&t, 1 + (int)s, "%s", buf);
			}
		}
		rt_print(f, &t, W);
		rt_free(&t);
	}
}

/* ---- locks ---------------------------------------------------------- */

/* Contentions and wait of every class at one CPU count. */
static void sim_sum(const struct rpt_sim_point *p, unsigned long *cont,
		    double *wait)
{
	int i;

	*cont = 0;
	*wait = 0;
	for (i = 0; i < p->nr; i++) {
		*cont += p->ls[i].contentions;
		*wait += p->ls[i].wait_total;
	}
}

/* Per CPU count and scheme: throughput, or contentions of every class. */
static void scaling_table(FILE *f, const struct report_data *d,
			  const struct rpt_contend_run *r0, bool contentions)
{
	const struct rpt_contend *c = &d->contend;
	struct rt_table t;
	unsigned long n;
	size_t s, p;
	double w;

	fputc('\n', f);
	rt_init(&t, 1 + (int)d->nr_schemes, RT_NUMERIC);
	rt_title(&t, contentions ? "Contentions, all lock classes" :
		 "Throughput, events per virtual ms");
	rt_head(&t, 0, "CPUs");
	for (s = 0; s < d->nr_schemes; s++)
		rt_head(&t, 1 + (int)s, "%s", d->schemes[s]);
	for (p = 0; p < r0->nr_pts; p++) {
		rt_row(&t);
		rt_cell(&t, 0, "%u", r0->pts[p].cpus);
		for (s = 0; s < d->nr_schemes; s++) {
			const struct rpt_contend_run *r = &c->runs[s];

			if (!r->available || p >= r->nr_pts) {
				rt_cell(&t, 1 + (int)s, "n/a");
			} else if (contentions) {
				sim_sum(&r->pts[p], &n, &w);
				rt_cell(&t, 1 + (int)s, "%lu", n);
			} else {
				rt_cell(&t, 1 + (int)s, "%.0f",
					r->pts[p].ops_per_sec / 1e3);
			}
		}
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

static void footprint(FILE *f, const struct report_data *d)
{
	const struct rpt_contend *c = &d->contend;
	struct rt_table t;
	size_t s;
	int i;

	rt_wrapf(f, W, "", "", "Lock footprint, counted in one replay of %s "
		 "(deterministic): per lock class and mode (W write, R "
		 "read), acquisitions and, per acquisition, what the holder "
		 "touched: tree nodes visited, rmap entries (AVCs, remap "
		 "entries) linked and unlinked, VMAs handed to rmap_one(). "
		 "mmap_lock and vma_lock are taken around each event as 6.18 "
		 "does; the rest are the schemes' own.", c->fp_trace);
	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_contend_run *r = &c->runs[s];

		if (!r->available)
			continue;
		fputc('\n', f);
		rt_init(&t, 6, RT_RULED);
		rt_title(&t, "%s", r->scheme);
		rt_head(&t, 0, "class, mode");
		rt_head(&t, 1, "acq");
		rt_head(&t, 2, "nodes");
		rt_head(&t, 3, "linked");
		rt_head(&t, 4, "unlinked");
		rt_head(&t, 5, "VMAs");
		for (i = 0; i < r->nr_fp; i++) {
			const struct rpt_footprint *p = &r->fp[i];

			rt_row(&t);
			rt_cell(&t, 0, "%s %s", p->name, p->write ? "W" : "R");
			rt_cell(&t, 1, "%lu", p->acq);
			rt_cell(&t, 2, "%.1f", p->nodes);
			rt_cell(&t, 3, "%.2f", p->linked);
			rt_cell(&t, 4, "%.2f", p->unlinked);
			rt_cell(&t, 5, "%.2f", p->vmas);
		}
		rt_print(f, &t, W);
		rt_free(&t);
	}
	fputc('\n', f);
	rt_wrapf(f, W, "", "", "Lock domains: instances of each class, the "
		 "processes whose events took one instance (median / most), "
		 "and the share of the events' write acquisitions that hit "
		 "an instance shared by more than one independent process "
		 "subtree, or by every subtree (%lu in %s).",
		 c->runs[0].fp_units, c->fp_trace);
	rt_init(&t, 4, RT_RULED);
	rt_head(&t, 0, "scheme, class");
	rt_head(&t, 1, "instances");
	rt_head(&t, 2, "procs");
	rt_head(&t, 3, "W shared / all");
	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_contend_run *r = &c->runs[s];

		for (i = 0; r->available && i < r->nr_fp; i++) {
			const struct rpt_footprint *p = &r->fp[i];

			/* one line per class: its first mode */
			if (!p->instances || (i && !strcmp(p->name,
							  r->fp[i - 1].name)))
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s %s", r->scheme, p->name);
			rt_cell(&t, 1, "%lu", p->instances);
			rt_cell(&t, 2, "%lu / %lu", p->procs_p50, p->procs_max);
			if (p->shared_pct < 0)
				rt_cell(&t, 3, "-");
			else
				rt_cell(&t, 3, "%.0f%% / %.0f%%",
					p->shared_pct, p->all_pct);
		}
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

static void contention(FILE *f, const struct report_data *d)
{
	const struct rpt_contend *c = &d->contend;
	const struct rpt_contend_run *r0 = NULL;
	char buf[1024];
	struct rt_table t;
	size_t s, len;
	int i, k;

	fputc('\n', f);
	if (!c->ran) {
		rt_wrapf(f, W, "", "", "No contention simulation%s%s.",
			 c->note[0] ? ": " : "", c->note);
		return;
	}
	for (s = 0; s < d->nr_schemes && !r0; s++)
		if (c->runs[s].available)
			r0 = &c->runs[s];
	footprint(f, d);
	fputc('\n', f);
	rt_wrapf(f, W, "", "", "Contention, simulated (harness/sim/): %s "
		 "(%lu events, %lu process subtrees) on 1 to %u virtual "
		 "CPUs, each running one subtree at a time in trace order, "
		 "while %u reclaim walker%s on %s own CPU%s walk%s %.0f "
		 "folios per virtual second (%u%% blocking try_to_unmap / "
		 "migration walks, the rest folio_referenced() with "
		 "down_read_trylock()). The lock schedule is recorded from "
		 "one replay; locks behave as in 6.18: rwsem with FIFO "
		 "waiters, readers queued behind a waiting writer, trylock "
		 "failing on waiters, writer optimistic spinning and "
		 "handoff; queued spinlocks; RCU readers that never wait. "
		 "Costs are virtual: a per-object table (below), plus a "
		 "cache-line transfer when a lock was last taken on another "
		 "CPU. Virtual time, seeded choices: the same input gives "
		 "the same figures on any machine.", c->trace, c->events,
		 c->units, r0 && r0->nr_pts ?
		 r0->pts[r0->nr_pts - 1].cpus : 0, c->walkers,
		 c->walkers == 1 ? "" : "s", c->walkers == 1 ? "its" : "their",
		 c->walkers == 1 ? "" : "s", c->walkers == 1 ? "s" : "",
		 c->walk_rate, c->blocking_pct);
	if (!r0)
		return;
	scaling_table(f, d, r0, false);
	rt_wrapf(f, W, "", "", "At %u CPUs at most %u ran a subtree at "
		 "once (%s): the workload has no more runnable subtrees, so "
		 "the curves flatten there.", r0->pts[r0->nr_pts - 1].cpus,
		 r0->pts[r0->nr_pts - 1].max_busy, r0->scheme);
	scaling_table(f, d, r0, true);
	fputc('\n', f);
	rt_init(&t, 5, RT_RULED);
	rt_title(&t, "lock_stat at %u virtual CPUs, contended classes "
		 "(times in us)", r0->pts[r0->nr_pts - 1].cpus);
	rt_head(&t, 0, "scheme, class");
	rt_head(&t, 1, "contentions");
	rt_head(&t, 2, "waittime-total");
	rt_head(&t, 3, "acquisitions");
	rt_head(&t, 4, "holdtime-total");
	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_contend_run *r = &c->runs[s];
		const struct rpt_sim_point *pt;

		if (!r->available || !r->nr_pts)
			continue;
		pt = &r->pts[r->nr_pts - 1];
		for (i = 0; i < pt->nr; i++) {
			const struct rpt_lockstat *l = &pt->ls[i];

			if (!l->contentions)
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s %s-%s", r->scheme, l->name,
				l->write ? "W" : "R");
			rt_cell(&t, 1, "%lu", l->contentions);
			rt_cell(&t, 2, "%.1f", l->wait_total / 1e3);
			rt_cell(&t, 3, "%lu", l->acquisitions);
			rt_cell(&t, 4, "%.1f", l->hold_total / 1e3);
		}
	}
	if (t.nr_rows)
		rt_print(f, &t, W);
	else
		rt_wrap(f, W, "", "", "No lock was contended.");
	rt_free(&t);
	/* walks that gave up; RCU frees */
	buf[0] = '\0';
	len = 0;
	for (s = 0; s < d->nr_schemes && len < sizeof(buf) - 120; s++) {
		const struct rpt_contend_run *r = &c->runs[s];
		const struct rpt_sim_point *pt;

		if (!r->available) {
			len += snprintf(buf + len, sizeof(buf) - len,
					"%s%s not run (%s)", len ? "; " : "",
					r->scheme, r->why);
			continue;
		}
		pt = &r->pts[r->nr_pts - 1];
		len += snprintf(buf + len, sizeof(buf) - len,
				"%s%s %lu of %lu, %lu RCU-deferred frees%s",
				len ? "; " : "", r->scheme, pt->walks_gave_up,
				pt->walks, r->rcu_deferred_frees,
				r->found == r->present ? "" :
				" (MAPPINGS LOST)");
	}
	fputc('\n', f);
	rt_wrapf(f, W, "", "", "Walks that gave up at a failed trylock (not "
		 "counted as contentions, as in lock_stat), at the largest "
		 "CPU count: %s.", buf);
	/* the ranking as in-lock costs scale */
	len = 0;
	buf[0] = '\0';
	for (k = 0; k < RPT_SCALES && len < sizeof(buf) - 200; k++) {
		size_t order[64], n = 0, a, b, tmp;

		for (s = 0; s < d->nr_schemes && n < 64; s++)
			if (c->runs[s].available)
				order[n++] = s;
		for (a = 1; a < n; a++)
			for (b = a; b > 0 && c->runs[order[b]].scale_ops[k] >
			     c->runs[order[b - 1]].scale_ops[k]; b--) {
				tmp = order[b];
				order[b] = order[b - 1];
				order[b - 1] = tmp;
			}
		len += snprintf(buf + len, sizeof(buf) - len, "%s%gx: ",
				k ? "; " : "", c->scales[k]);
		for (a = 0; a < n && len < sizeof(buf) - 80; a++)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
					a ? " > " : "",
					c->runs[order[a]].scheme);
	}
	rt_wrapf(f, W, "", "", "Sensitivity: schemes ranked by simulated "
		 "throughput at %u CPUs as every in-lock cost is scaled: "
		 "%s.", r0->pts[r0->nr_pts - 1].cpus, buf);
	fputc('\n', f);
	rt_wrap(f, W, "", "", "The simulated curves have not been compared "
		"with real `perf lock contention` or /proc/lock_stat figures "
		"on a many-core machine (none was available); the costs are "
		"order-of-magnitude estimates, not measurements of this "
		"machine:");
	if (c->costs)
		fputs(c->costs, f);
}

static void locks(FILE *f, const struct report_data *d)
{
	const char *names[RPT_MAX_LOCKS * 4];
	unsigned long contended = 0;
	const struct rpt_lock *l;
	struct rt_table t;
	int nr = 0, i, k, op;
	size_t s;

	section(f, "Lock statistics");
	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &d->total[s];

		for (i = 0; r->available && i < r->nr_locks; i++) {
			for (k = 0; k < nr; k++)
				if (!strcmp(names[k], r->locks[i].name))
					break;
			if (k == nr && nr < RPT_MAX_LOCKS * 4)
				names[nr++] = r->locks[i].name;
			for (op = 0; op < d->nr_ops; op++)
				contended += r->locks[i].contended[op];
		}
	}
	rt_wrap(f, W, "", "",
		"Acquisitions per operation (read + write), all traces: how "
		"often each lock class was taken per operation of that kind. "
		"Counted, not timed, so the same on any machine.");
	fputc('\n', f);
	rt_init(&t, 1 + (int)d->nr_schemes, RT_RULED);
	rt_head(&t, 0, "Lock class, operation");
	for (s = 0; s < d->nr_schemes; s++)
		rt_head(&t, 1 + (int)s, "%s", d->schemes[s]);
	for (k = 0; k < nr; k++) {
		for (op = 0; op < d->nr_ops; op++) {
			bool any = false;

			for (s = 0; s < d->nr_schemes; s++) {
				const struct rpt_run *r = &d->total[s];

				for (i = 0; r->available && i < r->nr_locks;
				     i++) {
					l = &r->locks[i];
					if (!strcmp(l->name, names[k]) &&
					    (l->rd[op] || l->wr[op]))
						any = true;
				}
			}
			if (!any)
				continue;
			rt_row(&t);
			rt_cell(&t, 0, "%s %s", names[k], d->op_names[op]);
			for (s = 0; s < d->nr_schemes; s++) {
				const struct rpt_run *r = &d->total[s];
				char buf[32];

				l = NULL;
				for (i = 0; r->available && i < r->nr_locks;
				     i++)
					if (!strcmp(r->locks[i].name, names[k]))
						l = &r->locks[i];
				if (!r->available) {
					snprintf(buf, sizeof(buf), "n/a");
				} else if (!l) {
					snprintf(buf, sizeof(buf), "-");
				} else if (r->op_count[op]) {
					snprintf(buf, sizeof(buf), "%.2f",
						 (double)(l->rd[op] +
							  l->wr[op]) /
						 (double)r->op_count[op]);
				} else {
					snprintf(buf, sizeof(buf), "%lu total",
						 l->rd[op] + l->wr[op]);
				}
				rt_cell(&t, 1 + (int)s, "%s", buf);
			}
		}
	}
	if (!t.nr_rows) {
		rt_row(&t);
		rt_cell(&t, 0, "(no lock taken)");
	}
	rt_print(f, &t, W);
	rt_free(&t);
	fputc('\n', f);
	if (!contended)
		rt_wrap(f, W, "", "",
			"These replays are single threaded: no acquisition "
			"above was contended and no wait was measured.");
	else
		rt_wrapf(f, W, "", "", "Contended acquisitions: %lu (wait "
			 "times per operation in report.json and "
			 "locks.csv).", contended);
	contention(f, d);
}

/* ---- variants ------------------------------------------------------- */

static const struct rpt_check_scheme *check_of(const struct report_data *d,
					       const char *scheme)
{
	size_t i;

	for (i = 0; i < d->check.nr; i++)
		if (!strcmp(d->check.s[i].scheme, scheme))
			return &d->check.s[i];
	return NULL;
}

static void variants(FILE *f, const struct report_data *d)
{
	struct rt_table t;
	char a[32], b[32];
	bool any = false;
	size_t s;
	int base;

	section(f, "Variants");
	for (s = 0; s < d->nr_schemes; s++) {
		if (d->scheme_desc && d->scheme_desc[s][0])
			rt_wrapf(f, W, "", "  ", "%s: %s", d->schemes[s],
				 d->scheme_desc[s]);
		any |= rpt_is_variant(d->schemes[s]);
	}
	if (!any) {
		fputc('\n', f);
		rt_wrap(f, W, "", "", "No variant was run.");
		return;
	}
	fputc('\n', f);
	rt_wrap(f, W, "", "",
		"Each variant against its scheme (the baseline when its "
		"scheme was not run), all traces, as \"scheme -> variant\": "
		"rmap metadata KB (every class but vm_area_struct, at each "
		"trace's moment), VMAs visited per walk, precision; and the "
		"variant's disagreements with the oracle (N in T traces).");
	fputc('\n', f);
	rt_init(&t, 5, RT_RULED);
	rt_head(&t, 0, "Variant");
	rt_head(&t, 1, "rmap KB");
	rt_head(&t, 2, "VMAs/walk");
	rt_head(&t, 3, "precision");
	rt_head(&t, 4, "vs oracle");
	for (s = 0; s < d->nr_schemes; s++) {
		const struct rpt_run *v = &d->total[s], *o;
		const struct rpt_check_scheme *c;

		if (!rpt_is_variant(d->schemes[s]))
			continue;
		base = rpt_variant_base(d, s);
		if (base < 0)
			base = 0;
		o = &d->total[base];
		rt_row(&t);
		rt_cell(&t, 0, "%s", d->schemes[s]);
		if (!v->available || !o->available) {
			rt_cell(&t, 1, "n/a (%s)", d->schemes[base]);
			continue;
		}
		rt_cell(&t, 1, "%.1f -> %.1f", rpt_rmap_kb(o, RPT_SNAP),
			rpt_rmap_kb(v, RPT_SNAP));
		fmt_num(a, sizeof(a), "%.2f", per(o->walk.candidates,
						  o->walk.walks));
		fmt_num(b, sizeof(b), "%.2f", per(v->walk.candidates,
						  v->walk.walks));
		rt_cell(&t, 2, "%s -> %s", a, b);
		fmt_num(a, sizeof(a), "%.1f%%", 100 * precision(&o->walk));
		fmt_num(b, sizeof(b), "%.1f%%", 100 * precision(&v->walk));
		rt_cell(&t, 3, "%s -> %s", a, b);
		c = check_of(d, d->schemes[s]);
		if (!c || !d->check.ran)
			rt_cell(&t, 4, "-");
		else if (!c->n[RPT_ORACLE])
			rt_cell(&t, 4, "ok");
		else
			rt_cell(&t, 4, "%lu (%lu)", c->n[RPT_ORACLE],
				c->failed[RPT_ORACLE]);
	}
	rt_print(f, &t, W);
	rt_free(&t);
}

/* ---- summary -------------------------------------------------------- */

static unsigned long allocs_in(const struct rpt_run *r, const char *cls,
			       const struct report_data *d, const char *op)
{
	const struct rpt_obj *o = rpt_obj_find(r, cls);
	int i;

	for (i = 0; o && i < d->nr_ops; i++)
		if (!strcmp(d->op_names[i], op))
			return o->allocs[i];
	return 0;
}

static double rmap_locks_per(const struct report_data *d,
			     const struct rpt_run *r, const char *op)
{
	unsigned long n = 0;
	int i, k;

	for (k = 0; k < d->nr_ops; k++) {
		if (strcmp(d->op_names[k], op))
			continue;
		for (i = 0; i < r->nr_locks; i++)
			if (strcmp(r->locks[i].name, "mmap_lock"))
				n += r->locks[i].rd[k] + r->locks[i].wr[k];
		return per(n, r->op_count[k]);
	}
	return NAN;
}

static void summary_check(FILE *f, const struct report_data *d)
{
	char ok[512], bad[512];
	size_t i, lo, lb;
	unsigned long traces = 0;
	int k;

	if (!d->check.ran)
		return;
	for (i = 0; i < d->check.nr; i++)
		if (d->check.s[i].traces > traces)
			traces = d->check.s[i].traces;
	for (k = 0; k < RPT_CATEGORIES; k++) {
		lo = lb = 0;
		ok[0] = bad[0] = '\0';
		for (i = 0; i < d->check.nr; i++) {
			const struct rpt_check_scheme *c = &d->check.s[i];

			if (c->init_failed)
				continue;
			if (c->n[k] && lb < sizeof(bad))
				lb += snprintf(bad + lb, sizeof(bad) - lb,
					       "%s%s %lu in %lu trace%s",
					       lb ? ", " : "", c->scheme,
					       c->n[k], c->failed[k],
					       c->failed[k] == 1 ? "" : "s");
			else if (!c->n[k] && lo < sizeof(ok))
				lo += snprintf(ok + lo, sizeof(ok) - lo,
					       "%s%s", lo ? ", " : "",
					       c->scheme);
		}
		if (k == RPT_ORACLE) {
			if (lo)
				rt_wrapf(f, W, "- ", "  ", "Walks against the "
					 "page tables: %s found every mapping, "
					 "and nothing else, at every check of "
					 "%lu traces.", ok, traces);
			if (lb)
				rt_wrapf(f, W, "- ", "  ", "Disagreements with "
					 "the oracle: %s (kinds and a minimal "
					 "trace under Correctness).", bad);
		} else if (lb) {
			rt_wrapf(f, W, "- ", "  ", "Disagreements with the "
				 "kernel's recorded state: %s (kinds per "
				 "scheme under Correctness).", bad);
		} else if (lo) {
			rt_wrapf(f, W, "- ", "  ", "The model agreed with the "
				 "kernel's recorded state for %s.", ok);
		}
	}
}

static void summary_memory(FILE *f, const struct report_data *d)
{
	const struct rpt_run *b = &d->total[0];
	struct rpt_memtab mt;
	size_t s, i;

	if (!b->available)
		return;
	for (s = 1; s < d->nr_schemes; s++) {
		const struct rpt_run *r = &d->total[s];
		char own[256] = "", chg[32];
		size_t lo = 0;
		double bk, rk;

		if (!is_main(d, s) || !r->available)
			continue;
		rpt_memtab_build(d->total, 0, (int)s, RPT_SNAP, &mt);
		for (i = 0; i + 1 < mt.nr; i++) {
			const char *n = mt.rows[i].object;

			if (rpt_obj_find(b, n) || !mt.rows[i].kb)
				continue;
			lo += snprintf(own + lo, sizeof(own) - lo, "%s%s "
				       "%.1f KB", lo ? ", " : "", n,
				       mt.rows[i].kb);
			if (lo >= sizeof(own))
				lo = sizeof(own) - 1;
		}
		bk = rpt_rmap_kb(b, RPT_SNAP);
		rk = rpt_rmap_kb(r, RPT_SNAP);
		rt_change(chg, sizeof(chg), bk, rk);
		rt_wrapf(f, W, "- ", "  ", "Memory, %s against %s (all "
			 "traces, each at its moment): anon_vma %s, "
			 "anon_vma_chain %s, vm_area_struct %s; all rmap "
			 "metadata (every class but vm_area_struct) %.1f -> "
			 "%.1f KB (%s)%s%s.", d->schemes[s], d->schemes[0],
			 memrow_change(&mt, "anon_vma"),
			 memrow_change(&mt, "anon_vma_chain"),
			 memrow_change(&mt, "vm_area_struct"), bk, rk, chg,
			 lo ? "; of that, its own objects: " : "", own);
		{
			char c1[256], c2[256], c3[256], c4[256];

			sens_claim(c1, sizeof(c1), d, d->schemes[s],
				   SENS_ANON_VMA);
			sens_claim(c2, sizeof(c2), d, d->schemes[s], SENS_AVC);
			sens_claim(c3, sizeof(c3), d, d->schemes[s],
				   SENS_RMAP_KB);
			sens_claim(c4, sizeof(c4), d, d->schemes[s],
				   SENS_TOTAL_KB);
			if (c1[0])
				rt_wrapf(f, W, "  ", "  ", "Over %s's R and C "
					 "choices (Sensitivity), change in %%: "
					 "anon_vma %s; anon_vma_chain %s; rmap "
					 "metadata %s; total with VMAs %s.",
					 d->schemes[s], c1, c2, c3, c4);
		}
		rt_wrapf(f, W, "  ", "  ", "Where anon_vmas were allocated "
			 "(all traces): fault %lu vs %lu, fork %lu vs %lu, "
			 "mremap %lu vs %lu (%s vs %s).",
			 allocs_in(b, "anon_vma", d, "fault"),
			 allocs_in(r, "anon_vma", d, "fault"),
			 allocs_in(b, "anon_vma", d, "fork"),
			 allocs_in(r, "anon_vma", d, "fork"),
			 allocs_in(b, "anon_vma", d, "mremap"),
			 allocs_in(r, "anon_vma", d, "mremap"),
			 d->schemes[0], d->schemes[s]);
	}
}

static void summary_walk(FILE *f, const struct report_data *d)
{
	char buf[1024], a[32], b[32], sig[512] = "";
	size_t s, len = 0, ls = 0;
	const struct rpt_run *base = &d->total[0];

	for (s = 0; s < d->nr_schemes && len < sizeof(buf) - 100; s++) {
		const struct rpt_run *r = &d->total[s];

		if (!r->available)
			continue;
		fmt_num(a, sizeof(a), "%.2f", per(r->walk.candidates,
						  r->walk.walks));
		fmt_num(b, sizeof(b), "%.1f%%", 100 * precision(&r->walk));
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s %s (%s)",
				len ? ", " : "", d->schemes[s], a, b);
		if (s && base->available && r->walk.nr_rep > 1) {
			double p = rs_welch_p(r->walk.p50_ns, r->walk.nr_rep,
					      base->walk.p50_ns,
					      base->walk.nr_rep);

			if (!isnan(p) && p < 0.05 && ls < sizeof(sig) - 80)
				ls += snprintf(sig + ls, sizeof(sig) - ls,
					       "%s%s %+.1f%%", ls ? ", " : "",
					       d->schemes[s], 100 *
					       (rs_amean(r->walk.p50_ns,
							 r->walk.nr_rep) /
						rs_amean(base->walk.p50_ns,
							 base->walk.nr_rep) -
						1));
		}
	}
	rt_wrapf(f, W, "- ", "  ", "Walks: VMAs visited per walk "
		 "(precision): %s.", buf);
	sens_para(f, d, "  ", "VMAs visited per walk", SENS_VMAS_WALK);
	sens_para(f, d, "  ", "precision in %", SENS_PRECISION);
	if (ls)
		rt_wrapf(f, W, "  ", "  ", "Median walk time against %s, "
			 "significant at p < 0.05: %s; the other differences "
			 "are within the noise of %u replays.", d->schemes[0],
			 sig, d->setup.repeats);
	else if (d->setup.repeats > 1)
		rt_wrapf(f, W, "  ", "  ", "No median walk time differs "
			 "from %s's significantly (p < 0.05) over %u "
			 "replays.", d->schemes[0], d->setup.repeats);
	else
		rt_wrap(f, W, "  ", "  ", "One replay only: no significance "
			"test of the walk times.");
}

static void summary_depth(FILE *f, const struct report_data *d)
{
	const struct rpt_depth_point *lo, *hi;
	char buf[1024], a[32], b[32];
	size_t s, len = 0;

	if (d->depth.nr < 2)
		return;
	lo = &d->depth.pts[0];
	hi = &d->depth.pts[d->depth.nr - 1];
	for (s = 0; s < d->nr_schemes && len < sizeof(buf) - 100; s++) {
		if (!lo->runs[s].available || !hi->runs[s].available)
			continue;
		fmt_num(a, sizeof(a), "%.2f", per(lo->runs[s].walk.candidates,
						  lo->runs[s].walk.walks));
		fmt_num(b, sizeof(b), "%.2f", per(hi->runs[s].walk.candidates,
						  hi->runs[s].walk.walks));
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s %s -> %s",
				len ? ", " : "", d->schemes[s], a, b);
	}
	rt_wrapf(f, W, "- ", "  ", "Fork depth %u -> %u, VMAs visited per "
		 "walk: %s.", lo->depth, hi->depth, buf);
}

static void summary_locks(FILE *f, const struct report_data *d)
{
	static const char *const ops[] = { "fork", "fault", "exit" };
	char buf[1024], a[32];
	size_t s, len = 0;
	int k;

	for (k = 0; k < 3; k++) {
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s:",
				k ? "; " : "", ops[k]);
		for (s = 0; s < d->nr_schemes && len < sizeof(buf) - 80;
		     s++) {
			if (!d->total[s].available ||
			    rpt_is_variant(d->schemes[s]))
				continue;
			fmt_num(a, sizeof(a), "%.2f",
				rmap_locks_per(d, &d->total[s], ops[k]));
			len += snprintf(buf + len, sizeof(buf) - len,
					" %s %s", d->schemes[s], a);
		}
	}
	rt_wrapf(f, W, "- ", "  ", "rmap lock acquisitions per operation "
		 "(every class but mmap_lock): %s.", buf);
	sens_para(f, d, "  ", "rmap locks per fork", SENS_LOCKS_FORK);
	sens_para(f, d, "  ", "rmap locks per exit", SENS_LOCKS_EXIT);
}

static void sensitivity(FILE *f, const struct report_data *d)
{
	section(f, "Sensitivity");
	if (!d->sens_ran) {
		rt_wrapf(f, W, "", "", "Not measured: %s.", d->sens_note);
		return;
	}
	sensitivity_print(f, &d->sens, W);
}

static void summary(FILE *f, const struct report_data *d)
{
	section(f, "Summary");
	summary_check(f, d);
	summary_memory(f, d);
	summary_walk(f, d);
	summary_depth(f, d);
	summary_locks(f, d);
	fputc('\n', f);
	rt_wrap(f, W, "", "",
		"These are the model's numbers for the histories above; they "
		"say nothing about workloads that were not recorded, and "
		"the walk and replay times are of the model on this "
		"machine, not of a kernel.");
}

static void charts(FILE *f, const struct report_data *d)
{
	char buf[2048];
	size_t i, len = 0;

	section(f, "Charts and data");
	if (!d->charts.ran) {
		rt_wrapf(f, W, "", "", "Charts skipped: %s. The data is in "
			 "report.json and the CSV files.", d->charts.note);
		return;
	}
	for (i = 0; i < d->charts.nr && len < sizeof(buf) - 80; i++)
		len += snprintf(buf + len, sizeof(buf) - len, "%s%s",
				i ? ", " : "", d->charts.files[i]);
	rt_wrapf(f, W, "", "", "Charts (gnuplot, PNG and SVG): %s%s%s. The "
		 "data: report.json (schema in reports/README.md) and one "
		 "CSV file per table.", buf, d->charts.skipped[0] ? "; " : "",
		 d->charts.skipped);
}

void report_write_text(FILE *f, const struct report_data *d)
{
	lead(f, d);
	intro(f, d);
	setup(f, d);
	correctness(f, d);
	memory(f, d);
	walks(f, d);
	depth(f, d);
	locks(f, d);
	variants(f, d);
	sensitivity(f, d);
	summary(f, d);
	charts(f, d);
}
