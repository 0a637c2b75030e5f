// SPDX-License-Identifier: GPL-2.0-only
/* Sensitivity tables; see sensitivity.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reports/sensitivity.h"
#include "reports/table.h"

const char *const sens_fig_names[SENS_NR] = {
	[SENS_ANON_VMA] = "anon_vma KB, change %",
	[SENS_AVC] = "anon_vma_chain KB, change %",
	[SENS_RMAP_KB] = "rmap KB (no VMAs), change %",
	[SENS_TOTAL_KB] = "total KB (with VMAs), change %",
	[SENS_VMAS_WALK] = "VMAs visited per walk",
	[SENS_PRECISION] = "precision %",
	[SENS_LOCKS_FORK] = "rmap locks per fork",
	[SENS_LOCKS_EXIT] = "rmap locks per exit",
};

static bool counts(const struct sens_run *r, bool with_c)
{
	return r->available && (r->grade != 'C' || with_c);
}

void sens_range(const struct sens_scheme *s, int fig, bool with_c,
		struct sens_range *out)
{
	double def = s->nr ? s->runs[0].v[fig] : NAN, d, best = -1;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->lo = out->hi = def;
	if (!s->nr || isnan(def))
		return;
	for (i = 1; i < s->nr; i++) {
		const struct sens_run *r = &s->runs[i];

		if (!counts(r, with_c) || isnan(r->v[fig]))
			continue;
		out->any = true;
		if (r->v[fig] < out->lo)
			out->lo = r->v[fig];
		if (r->v[fig] > out->hi)
			out->hi = r->v[fig];
		d = fabs(r->v[fig] - def);
		if (d > best) {
			best = d;
			out->most = r;
		}
	}
}

const struct sens_scheme *sens_find(const struct sensitivity *sv,
				    const char *scheme)
{
	size_t i;

	for (i = 0; i < sv->nr; i++)
		if (!strcmp(sv->s[i].name, scheme))
			return &sv->s[i];
	return NULL;
}

static void fmt1(char *buf, size_t len, int fig, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (fig <= SENS_TOTAL_KB)
		snprintf(buf, len, "%+.1f", v);
	else
		snprintf(buf, len, "%.*f", fig == SENS_PRECISION ? 1 : 2, v);
}

void sens_fmt_range(char *buf, size_t len, const struct sens_scheme *s,
		    int fig, bool with_c)
{
	struct sens_range r;
	char a[32], b[32];

	sens_range(s, fig, with_c, &r);
	fmt1(a, sizeof(a), fig, r.lo);
	fmt1(b, sizeof(b), fig, r.hi);
	if (!strcmp(a, b))
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s..%s", a, b);
}

static void scheme_table(FILE *f, const struct sensitivity *sv,
			 const struct sens_scheme *s, int width)
{
	struct rt_table t;
	struct sens_range r;
	char buf[64];
	int fig;

	rt_init(&t, 5, RT_NUMERIC);
	rt_title(&t, "%s (defaults: %s) against %s, %s", s->name,
		 s->runs[0].spec, sv->base, sv->traces);
	rt_head(&t, 0, "Figure");
	rt_head(&t, 1, "default");
	rt_head(&t, 2, "range, R");
	rt_head(&t, 3, "range, R+C");
	rt_head(&t, 4, "moved most by");
	for (fig = 0; fig < SENS_NR; fig++) {
		rt_row(&t);
		rt_cell(&t, 0, "%s", sens_fig_names[fig]);
		fmt1(buf, sizeof(buf), fig, s->runs[0].v[fig]);
		rt_cell(&t, 1, "%s", buf);
		sens_fmt_range(buf, sizeof(buf), s, fig, false);
		rt_cell(&t, 2, "%s", buf);
		sens_fmt_range(buf, sizeof(buf), s, fig, true);
		rt_cell(&t, 3, "%s", buf);
		sens_range(s, fig, true, &r);
		if (r.most && r.most->v[fig] != s->runs[0].v[fig])
			rt_cell(&t, 4, "%s%s", r.most->choice,
				r.most->grade == 'C' ? " (C)" : "");
		else
			rt_cell(&t, 4, "-");
	}
	rt_print(f, &t, width);
	rt_free(&t);
}

static void detail_table(FILE *f, const struct sens_scheme *s, int width)
{
	static const char *const shorts[SENS_NR] = {
		"anon_vma %", "avc %", "rmap %", "total %", "VMAs/walk",
		"precision", "lk/fork", "lk/exit",
	};
	struct rt_table t;
	char buf[32];
	size_t i;
	int fig;

	rt_init(&t, 2 + SENS_NR + 1, RT_NUMERIC);
	rt_title(&t, "%s, one choice at a time", s->name);
	rt_head(&t, 0, "Choice");
	rt_head(&t, 1, "grade");
	for (fig = 0; fig < SENS_NR; fig++)
		rt_head(&t, 2 + fig, "%s", shorts[fig]);
	rt_head(&t, 2 + SENS_NR, "missed");
	for (i = 0; i < s->nr; i++) {
		const struct sens_run *r = &s->runs[i];

		rt_row(&t);
		rt_cell(&t, 0, "%s", i ? r->choice : "(defaults)");
		rt_cell(&t, 1, "%s", !i ? "-" : r->preset ? "preset" :
			r->grade == 'C' ? "C" : "R");
		if (!r->available) {
			rt_cell(&t, 2, "n/a");
			continue;
		}
		for (fig = 0; fig < SENS_NR; fig++) {
			fmt1(buf, sizeof(buf), fig, r->v[fig]);
			rt_cell(&t, 2 + fig, "%s", buf);
		}
		rt_cell(&t, 2 + SENS_NR, "%lu", r->missed);
	}
	rt_print(f, &t, width);
	rt_free(&t);
}

void sensitivity_print(FILE *f, const struct sensitivity *sv, int width)
{
	size_t i;

	if (!width)
		width = RT_WIDTH;
	rt_wrapf(f, width, "", "", "How far each headline figure moves over "
		 "the choices the public record leaves open. Each scheme is "
		 "measured with its defaults and then with one parameter "
		 "changed at a time, for every parameter whose default is a "
		 "reconstruction (R) or contradicted by a source (C), and "
		 "with its named readings (presets). Memory changes are "
		 "against %s at each trace's moment; %s itself: %.2f VMAs "
		 "per walk, precision %.1f%%, %.2f rmap locks per fork, "
		 "%.2f per exit. Parameters and grades: `rmaplab schemes`.",
		 sv->base, sv->base, sv->base_v[SENS_VMAS_WALK],
		 sv->base_v[SENS_PRECISION], sv->base_v[SENS_LOCKS_FORK],
		 sv->base_v[SENS_LOCKS_EXIT]);
	for (i = 0; i < sv->nr; i++) {
		const struct sens_scheme *s = &sv->s[i];

		fputc('\n', f);
		if (s->nr < 2) {
			rt_wrapf(f, width, "", "", "%s: no R or C choice to "
				 "vary%s%s.", s->name, s->fixed[0] ? "; " : "",
				 s->fixed);
			continue;
		}
		scheme_table(f, sv, s, width);
		fputc('\n', f);
		detail_table(f, s, width);
		if (s->fixed[0])
			rt_wrapf(f, width, "", "", "Not varied: %s.", s->fixed);
	}
}

void sensitivity_free(struct sensitivity *sv)
{
	size_t i;

	for (i = 0; i < sv->nr; i++)
		free(sv->s[i].runs);
	free(sv->s);
	memset(sv, 0, sizeof(*sv));
}
