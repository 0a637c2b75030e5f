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

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, char *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			abort();
	}
	l->v[l->n++] = p;
}

/*
 * Trace files of @dir: binary (.rmt) and, unless @only_text, also text
 * (.trace) traces, sorted; recorder scripts and notes are skipped.  With
 * @subdirs, then those of each subdirectory in name order, depth first,
 * except known/, which holds disagreements kept out of the corpus.
 */
static void list_into(struct list *l, const char *dir, bool only_text,
		      bool subdirs)
{
	struct list sub = { 0 };
	size_t first = l->n, i;
	struct dirent *de;
	struct stat st;
	char *p;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0)
			abort();
		if (!stat(p, &st) && S_ISDIR(st.st_mode) && subdirs &&
		    strcmp(de->d_name, "known")) {
			list_add(&sub, p);
			continue;
		}
		if ((!has_suffix(de->d_name, ".trace") &&
		     (only_text || !has_suffix(de->d_name, ".rmt"))) ||
		    stat(p, &st) || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		list_add(l, p);
	}
	closedir(d);
	if (l->n > first)
		qsort(l->v + first, l->n - first, sizeof(*l->v), path_cmp);
	if (sub.n)
		qsort(sub.v, sub.n, sizeof(*sub.v), path_cmp);
	for (i = 0; i < sub.n; i++) {
		list_into(l, sub.v[i], only_text, true);
		free(sub.v[i]);
	}
	free(sub.v);
}

static char **list_dir(const char *dir, bool only_text, bool subdirs,
		       size_t *nr)
{
	struct list l = { 0 };

	list_into(&l, dir, only_text, subdirs);
	*nr = l.n;
	if (!l.n) {
		free(l.v);
		return NULL;
	}
	return l.v;
}

/*
 * The corpus under source tree @root: traces/corpus, plus the kernel
 * vectors when @vectors; the kernel vectors alone when there is no corpus.
 */
static char **try_root(const char *root, bool vectors, bool subdirs,
		       size_t *nr, char *dir, size_t len)
{
	char kv[PATH_MAX];
	char **v, **k;
	size_t nk, i;

	snprintf(dir, len, "%s/traces/corpus", root);
	snprintf(kv, sizeof(kv), "%s/tests/data/kernel-vectors", root);
	v = list_dir(dir, false, subdirs, nr);
	if (!v) {
		snprintf(dir, len, "%s", kv);
		return list_dir(kv, true, false, nr);
	}
	if (vectors && (k = list_dir(kv, true, false, &nk))) {
		v = realloc(v, (*nr + nk) * sizeof(*v));
		if (!v)
			abort();
		for (i = 0; i < nk; i++)
			v[(*nr)++] = k[i];
		free(k);
	}
	return v;
}

static char **find(bool vectors, bool subdirs, size_t *nr, char *dir,
		   size_t len)
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
		v = list_dir(env, false, subdirs, nr);
		if (v)
			return v;
	}
	env = getenv("RMAPLAB_SRCDIR");
	if (env && *env && (v = try_root(env, vectors, subdirs, nr, dir,
						   len)))
		return v;
	if ((v = try_root(".", vectors, subdirs, nr, dir, len)))
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
		if (up >= 2 && (v = try_root(exe[0] ? exe : "/", vectors,
					      subdirs, nr, dir, len)))
			return v;
	}
	return NULL;
}

char **corpus_find(bool vectors, size_t *nr, char *dir, size_t len)
{
	return find(vectors, false, nr, dir, len);
}

char **corpus_find_all(bool vectors, size_t *nr, char *dir, size_t len)
{
	return find(vectors, true, nr, dir, len);
}

void corpus_free(char **v, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}
