/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bundled corpus, which commands use when given no TRACE: every .rmt
 * and .trace under $RMAPLAB_CORPUS, else under traces/corpus/ of the
 * source tree ($RMAPLAB_SRCDIR, the current directory, or the tree a build
 * directory holding the binary sits in), sorted.  Without a recorded
 * corpus the kernel vectors (tests/data/kernel-vectors) stand in.
 *
 * The top directory holds this machine's recordings (x86_64); each
 * subdirectory another architecture's (arm64/4k, arm64/16k), known/ a
 * disagreement kept out.  corpus_find() takes the top directory alone,
 * for commands whose totals are in one architecture's object sizes;
 * corpus_find_all() every architecture, the top directory first, then
 * each subdirectory in name order.
 */
#ifndef RMAPLAB_HARNESS_CORPUS_H
#define RMAPLAB_HARNESS_CORPUS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The corpus traces, and with @vectors the kernel vectors after them; the
 * directory used goes to @dir when non-NULL.  NULL when there is none.
 */
char **corpus_find(bool vectors, size_t *nr, char *dir, size_t len);
char **corpus_find_all(bool vectors, size_t *nr, char *dir, size_t len);
void corpus_free(char **v, size_t nr);

#endif /* RMAPLAB_HARNESS_CORPUS_H */
