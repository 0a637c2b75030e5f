/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sensitivity of the headline figures to the open choices of each scheme:
 * the figure under the scheme's defaults, and under every alternative
 * value of a parameter whose default is a reconstruction (R) or that a
 * source contradicts (C), one parameter changed at a time, plus the
 * scheme's named readings (presets: lazy:posted, cowctx:poc).  The
 * harness measures (harness/sensitivity.c); this prints.
 */
#ifndef RMAPLAB_REPORTS_SENSITIVITY_H
#define RMAPLAB_REPORTS_SENSITIVITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum sens_fig {
	SENS_ANON_VMA,		/* anon_vma KB, change vs the baseline, % */
	SENS_AVC,		/* anon_vma_chain KB, change, % */
	SENS_RMAP_KB,		/* every class but vm_area_struct, change, % */
	SENS_TOTAL_KB,		/* every class, change, % */
	SENS_VMAS_WALK,		/* candidate VMAs per walk */
	SENS_PRECISION,		/* share of candidates mapping the folio, % */
	SENS_LOCKS_FORK,	/* rmap lock acquisitions per fork */
	SENS_LOCKS_EXIT,	/* rmap lock acquisitions per exit */
	SENS_NR,
};

extern const char *const sens_fig_names[SENS_NR];

struct sens_run {
	char spec[96];			/* "lazy:cow=own" */
	char choice[64];		/* "cow=own"; "" for the default */
	char grade;			/* 'R' or 'C'; 0 for the default */
	bool preset;			/* a named reading, several choices */
	bool available;
	double v[SENS_NR];
	unsigned long missed;		/* mappings the walks did not find */
};

struct sens_scheme {
	char name[32];
	struct sens_run *runs;		/* runs[0]: the defaults */
	size_t nr;
	char fixed[256];		/* R/C parameters not varied, why */
};

struct sensitivity {
	char base[32];			/* the baseline scheme */
	double base_v[SENS_NR];		/* its own walk and lock figures */
	struct sens_scheme *s;
	size_t nr;
	char traces[64];		/* "7 traces" */
};

struct sens_range {
	bool any;			/* some alternative was measured */
	double lo, hi;			/* over the default and alternatives */
	const struct sens_run *most;	/* the one furthest from the default */
};

/*
 * The range of @fig over @s's default and its alternatives: R-graded ones
 * and presets, and C-graded ones too when @with_c.
 */
void sens_range(const struct sens_scheme *s, int fig, bool with_c,
		struct sens_range *out);
const struct sens_scheme *sens_find(const struct sensitivity *sv,
				    const char *scheme);
/* "-38.1" or "-40.2..-38.1", the figure's unit left to the caller. */
void sens_fmt_range(char *buf, size_t len, const struct sens_scheme *s,
		    int fig, bool with_c);
/* The section body: a table per scheme, then every alternative. */
void sensitivity_print(FILE *f, const struct sensitivity *sv, int width);
void sensitivity_free(struct sensitivity *sv);

#endif /* RMAPLAB_REPORTS_SENSITIVITY_H */
