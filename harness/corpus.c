// SPDX-License-Identifier: GPL-2.0-only
/* The bundled corpus; see corpus.h. */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/corpus.h"

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Trace files of @dir: binary (.rmt) and, unless @only_text, also text
 * (.trace) traces; recorder scripts and notes are skipped.
 */
static char **list_dir(const char *dir, bool only_text, size_t *nr)
{
	char **v = NULL, *p;
	size_t n = 0, cap = 0;
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	*nr = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (!has_suffix(de->d_name, ".trace") &&
		    (only_text || !has_suffix(de->d_name, ".rmt")))
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			abort();
		if (stat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				abort();
		}
		v[n++] = p;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), path_cmp);
	*nr = n;
	return v;
}

/*
 * The corpus under source tree @root: traces/corpus, plus the kernel
 * vectors when @vectors; the kernel vectors alone when there is no corpus.
 */
static char **try_root(const char *root, bool vectors, size_t *nr,
		       char *dir, size_t len)
{
	char kv[PATH_MAX];
	char **v, **k;
	size_t nk, i;

	snprintf(dir, len, "%s/traces/corpus", root);
	snprintf(kv, sizeof(kv), "%s/tests/data/kernel-vectors", root);
	v = list_dir(dir, false, nr);
	if (!v) {
		snprintf(dir, len, "%s", kv);
		return list_dir(kv, true, nr);
	}
	if (vectors && (k = list_dir(kv, true, &nk))) {
		v = realloc(v, (*nr + nk) * sizeof(*v));
		if (!v)
			abort();
		for (i = 0; i < nk; i++)
			v[(*nr)++] = k[i];
		free(k);
	}
	return v;
}

char **corpus_find(bool vectors, size_t *nr, char *dir, size_t len)
{
	char exe[PATH_MAX], *slash, scratch[PATH_MAX];
	const char *env;
	char **v;
	ssize_t n;
	int up;

	if (!dir) {
		dir = scratch;
		len = sizeof(scratch);
	}
	*nr = 0;
	env = getenv("RMAPLAB_CORPUS");
	if (env && *env) {
		snprintf(dir, len, "%s", env);
		v = list_dir(env, false, nr);
		if (v)
			return v;
	}
	env = getenv("RMAPLAB_SRCDIR");
	if (env && *env && (v = try_root(env, vectors, nr, dir, len)))
		return v;
	if ((v = try_root(".", vectors, nr, dir, len)))
		return v;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	/*
	 * build/harness/rmaplab or build/harness/bench/bench_walk: the
	 * source tree is above the build directory.
	 */
	for (up = 0; up < 4; up++) {
		slash = strrchr(exe, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
		if (up >= 2 && (v = try_root(exe[0] ? exe : "/", vectors, nr,
					      dir, len)))
			return v;
	}
	return NULL;
}

void corpus_free(char **v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}
