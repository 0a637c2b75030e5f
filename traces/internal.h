/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers private to traces/: allocation and the flag-name tables. */
#ifndef RMAPLAB_TRACES_INTERNAL_H
#define RMAPLAB_TRACES_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Allocation failure is not an input error: every size read from a file is
 * checked against the file's length first, so running out of memory means
 * the machine did, and there is nothing better to do than stop.
 */
void *trace_xrealloc(void *p, size_t nmemb, size_t size);
void *trace_xcalloc(size_t nmemb, size_t size);
char *trace_xstrdup(const char *s);

/* Grow *@p (an array of @size-byte items holding @nr) to hold @nr + 1. */
void trace_grow(void **p, size_t *cap, size_t nr, size_t size);

int trace_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct trace_flag_name {
	const char *name;
	uint32_t value;
};

/* Tables end with a NULL name; multi-bit names come first. */
extern const struct trace_flag_name trace_mmap_flag_names[];
extern const struct trace_flag_name trace_mremap_flag_names[];
extern const struct trace_flag_name trace_mlock_flag_names[];
extern const struct trace_flag_name trace_mlockall_flag_names[];
extern const struct trace_flag_name trace_uffd_mode_names[];
extern const struct trace_flag_name trace_advice_names[];

int trace_parse_prot(const char *s, uint32_t *prot);
int trace_parse_flag_list(const char *s, const struct trace_flag_name *tab,
			  uint32_t *out, const char **bad);
int trace_parse_advice(const char *s, int32_t *advice);
struct trace;
struct trace_event;
/* An address result no kernel can return; 0 or -1 with @what. */
int trace_result_check(const struct trace *t, const struct trace_event *ev,
		       char *what, size_t len);
int trace_parse_u64(const char *s, uint64_t *v);
int trace_parse_i64(const char *s, int64_t *v);

/* CRC-32 of the binary format's end record (zlib's crc32()). */
uint32_t trace_crc32(const void *buf, size_t n);

/* Strings every reader accepts, so any trace can be written as text. */
bool trace_reason_ok(const char *s);
bool trace_file_name_ok(const char *s);
bool trace_vma_name_ok(const char *s);
bool trace_perms_ok(const char *s);
/* Header values: no blanks or control bytes ('#' is fine). */
bool trace_hdr_str_ok(const char *s);

#endif /* RMAPLAB_TRACES_INTERNAL_H */
