/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A strict JSON syntax checker (RFC 8259) for the tests: the writer's
 * output must parse back.  Also finds the number stored under a key path
 * for spot checks.
 */
#ifndef RMAPLAB_TESTS_MEASURE_JSON_CHECK_H
#define RMAPLAB_TESTS_MEASURE_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* true when @s (@n bytes) is one valid JSON value; else @where is set. */
bool json_valid(const char *s, size_t n, size_t *where);

#endif
