/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-memory form of an rmaplab trace, shared by the text and binary
 * readers and writers, the recorder, kernel-run and the replay engine.
 * traces/ stands alone: nothing here knows the mm model.
 *
 * Numbers keep the Linux ABI values: prot is PROT_*, mmap flags MAP_*,
 * madvise advice MADV_*, mremap flags MREMAP_*, mlock2 flags MLOCK_*,
 * mlockall flags MCL_*, userfaultfd modes UFFDIO_REGISTER_MODE_*.  A result is the value the
 * kernel returned: an address, 0, or -errno.
 */
#ifndef RMAPLAB_TRACES_TRACE_H
#define RMAPLAB_TRACES_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum trace_ev {
	EV_MMAP,
	EV_MUNMAP,
	EV_MPROTECT,
	EV_MADVISE,
	EV_MREMAP,
	EV_BRK,
	EV_FAULT,
	EV_FORK,		/* child = new process label */
	EV_THREAD,		/* child = new thread label, same mm */
	EV_EXEC,
	EV_EXIT,
	EV_CHECKPOINT,		/* cp = index into trace->cps */
	EV_MLOCK,		/* flags = MLOCK_ONFAULT */
	EV_MUNLOCK,
	EV_MLOCKALL,		/* flags = MCL_* */
	EV_MUNLOCKALL,
	EV_MSEAL,
	EV_PKEY_MPROTECT,	/* prot, advice = pkey */
	EV_UFFD_REGISTER,	/* flags = UFFDIO_REGISTER_MODE_* */
	EV_UFFD_UNREGISTER,
	EV_SYSCALL,		/* file = the syscall's name in trace->files */
	EV_RECLAIM,		/* kernel reclaim of the anon folios there */
	EV_PAGEOUT,		/* madvise(MADV_PAGEOUT) as reclaim does it */
	EV_MIGRATE,		/* move_pages(MPOL_MF_MOVE_ALL) to new frames */
	EV_NR,
};

#define TRACE_NO_FILE UINT32_MAX

struct trace_event {
	uint8_t type;			/* enum trace_ev */
	uint8_t write;			/* fault: 1 write, 0 read */
	uint8_t order;			/* fault: folio order the kernel used */
	uint8_t has_result;
	uint32_t prot;			/* PROT_* */
	uint32_t flags;			/* MAP_* or MREMAP_* */
	int32_t advice;			/* MADV_* */
	uint32_t file;			/* index in trace->files, or NO_FILE */
	uint32_t cp;			/* checkpoint index */
	int64_t pid;
	int64_t child;
	uint64_t addr, len;		/* brk: addr is the request */
	uint64_t new_len, new_addr;	/* mremap */
	uint64_t pgoff;			/* file offset in pages */
	int64_t result;
	uint64_t time_ns;		/* recorder clock; 0 if none */
	uint32_t line;			/* text source line, 0 if binary */
};

/* One VMA as /proc/PID/maps shows it. */
struct cp_vma {
	uint64_t start, end;
	uint64_t offset;		/* bytes, as printed */
	char perms[5];			/* "rw-p" */
	char name[59];			/* path or [heap] etc., may be empty */
};

/*
 * One present page of a process at a checkpoint, or a swap entry (@swap:
 * pagemap's swap bit; @pfn then holds the swap offset and @swap_type the
 * swap device, so that (type, offset) names one slot).
 */
struct cp_page {
	uint64_t addr;
	uint64_t pfn;			/* 0 when recorded without root */
	uint64_t kflags;		/* /proc/kpageflags bits; 0 for swap */
	bool anon;
	bool swap;
	uint8_t swap_type;		/* swap: MAX_SWAPFILES is 32 at most */
	uint32_t count;			/* /proc/kpagecount, 0 if unknown */
};

/* Swap types a checkpoint may name (5 bits in a swap PTE). */
#define CP_SWAP_TYPES	32

/* One key for a swap slot: its type above any offset a swap file has. */
static inline uint64_t cp_swap_slot(const struct cp_page *pg)
{
	return (uint64_t)pg->swap_type << 58 | pg->pfn;
}

struct cp_proc {
	int64_t pid;
	struct cp_vma *vmas;
	size_t nr_vmas;
	struct cp_page *pages;
	size_t nr_pages;
};

/*
 * The real kernel's state at one moment, for every process it names.
 * Object counts are -1 when unknown.
 */
struct trace_checkpoint {
	char reason[16];		/* fork, exec, exit, periodic, end */
	struct cp_proc *procs;
	size_t nr_procs;
	int64_t anon_vma, anon_vma_chain;
	bool has_pfns;
};

/* Slab caches a header can name, and the length of a cache's name. */
#define TRACE_MAX_SLAB		16
#define TRACE_SLAB_NAME		32

/*
 * One slab cache of the recording kernel: its object size as the objsize
 * column of /proc/slabinfo gives it (struct kmem_cache's size: the object
 * with its alignment and metadata, what one object costs).
 */
struct trace_slab {
	char name[TRACE_SLAB_NAME];	/* "anon_vma" */
	uint32_t size;			/* bytes, 1 .. 1 GiB */
};

struct trace_header {
	uint32_t version;
	char arch[16];			/* x86_64, aarch64 */
	uint32_t page_size;
	char kernel[64];		/* uname -r (traces/FORMAT.md) */
	char thp[16];			/* always, madvise, never */
	char recorder[64];		/* tool and version, or "text" */
	char clock[16];			/* monotonic, none */
	/* the recording kernel's slab object sizes, when it read them */
	struct trace_slab slab[TRACE_MAX_SLAB];
	uint32_t nr_slab;
};

/* The object size @h records for cache @name, 0 when it has none. */
uint32_t trace_slab_size(const struct trace_header *h, const char *name);
/*
 * Record (or replace) cache @name's size in @h; -1 when the name or size
 * is not one a trace can hold, or @h is full.
 */
int trace_slab_set(struct trace_header *h, const char *name, uint32_t size);
/* A cache name a trace can hold: 1..31 of [A-Za-z0-9_.-]. */
bool trace_slab_name_ok(const char *s);

/*
 * The caches a recorder looks for (NULL-ended): every object class the
 * model accounts, by its kernel name; those the kernel has are recorded.
 * tests/measure keeps it in step with the scheme table's classes.
 */
extern const char *const trace_slab_caches[];

/*
 * Every cache of a /proc/slabinfo file (version 2.x): @fn(name, objsize,
 * @arg) for each, in file order; a non-zero return from @fn stops the
 * walk and is returned.  -1 with one line in @err when the file cannot be
 * read or is not slabinfo 2.x.
 */
int trace_slabinfo_each(const char *path,
			int (*fn)(const char *name, unsigned long objsize,
				  void *arg),
			void *arg, char *err, size_t errlen);

/*
 * Read the running kernel's object size of every trace_slab_caches[]
 * cache into @h: from @slabinfo (/proc/slabinfo), else, for a cache that
 * slab merging took out of it or when it cannot be read (not root), from
 * @sysfs/NAME/slab_size (/sys/kernel/slab, the same quantity).  Caches
 * found in neither are left out.  Returns how many were recorded.
 */
int trace_read_slab_sizes(struct trace_header *h, const char *slabinfo,
			  const char *sysfs);

struct trace {
	struct trace_header hdr;
	char **files;			/* file identities ("f0", dev:ino) */
	size_t nr_files, cap_files;
	struct trace_event *ev;
	size_t nr_ev, cap_ev;
	struct trace_checkpoint *cps;
	size_t nr_cps;
	char path[256];
	/* a reader found no end mark (text 'end N' line, v2 end block) */
	bool incomplete;
	/* files index: open addressing over file ids + 1 (0: empty slot) */
	uint32_t *files_hash;
	size_t files_hash_cap;
};

/*
 * Load a whole trace, text or binary (detected by magic).  On error returns -1
 * with one line in @err: "FILE:LINE: what" for text, "FILE: event N: what"
 * for binary.  Callers print it and exit with status 2.  On error @t is
 * left empty (trace_free() on it is harmless).  The text and binary forms
 * are specified in traces/FORMAT.md.
 */
int trace_load(const char *path, struct trace *t, char *err, size_t errlen);

/*
 * With TRACE_SALVAGE, a trace without its end mark (or with a damaged
 * block) loads up to its last whole block and says so: t->incomplete is
 * set and @err holds the reason, which the caller prints.  Without it,
 * such a trace is an error (one line, exit status 2).
 */
#define TRACE_SALVAGE	1u
int trace_load_flags(const char *path, unsigned int flags, struct trace *t,
		     char *err, size_t errlen);

/*
 * A cursor over a trace file, for tools that replay it once: it holds one
 * window of events at a time (one block of a v2 file; all of a text or
 * v1 file), so memory is bounded by a block.  trace_reader_next() moves
 * to the next window: 1, or 0 at the end, -1 with one line in @err.  The
 * window is a struct trace: header, the files table so far, the window's
 * events and checkpoints (ev->cp indexes the window's cps).
 */
struct trace_reader;
int trace_reader_open(const char *path, unsigned int flags,
		      struct trace_reader **r, char *err, size_t errlen);
int trace_reader_next(struct trace_reader *r, char *err, size_t errlen);
const struct trace *trace_reader_window(const struct trace_reader *r);
/* Index in the whole trace of the window's first event. */
size_t trace_reader_base(const struct trace_reader *r);
/* NULL, or (with TRACE_SALVAGE) why the trace stopped short. */
const char *trace_reader_incomplete(const struct trace_reader *r);
void trace_reader_close(struct trace_reader *r);

/*
 * The binary writer, version 2, block by block: trace_writer_put() takes
 * events in order (their files and checkpoints from @t, which may have
 * forgotten what was put before), and writes a block whenever one is
 * full and at every checkpoint.  trace_writer_close() writes the end
 * block (and @t's header again, when it changed and @f can seek) and
 * frees @w; it returns -1 with errno after any write error.
 */
struct trace_writer;
struct trace_writer *trace_writer_open(FILE *f, const struct trace_header *h);
void trace_writer_set_level(struct trace_writer *w, int zstd_level);
int trace_writer_put(struct trace_writer *w, const struct trace *t,
		     const struct trace_event *ev);
int trace_writer_flush(struct trace_writer *w);
int trace_writer_close(struct trace_writer *w, const struct trace *t);
int trace_writer_error(const struct trace_writer *w);
int trace_write_binary_level(FILE *f, const struct trace *t, int zstd_level);
/*
 * zstd level for files kept on disk (convert, generate): slower to
 * write, faster to read than the recorder's 3.
 */
#define TRACE_KEEP_LEVEL 19
/* The old fixed-record format, kept to make v1 test fixtures. */
int trace_write_binary_v1(FILE *f, const struct trace *t);
int trace_parse_text(FILE *f, const char *name, struct trace *t,
		     char *err, size_t errlen);
int trace_write_text(FILE *f, const struct trace *t);
/* The pieces of trace_write_text(): header line, and the "end N" line. */
int trace_write_text_header(FILE *f, const struct trace *t);
int trace_write_text_end(FILE *f, size_t nr_ev);
int trace_write_event_text(FILE *f, const struct trace *t,
			   const struct trace_event *ev);
int trace_write_binary(FILE *f, const struct trace *t);
void trace_init(struct trace *t);
void trace_free(struct trace *t);

struct trace_event *trace_append(struct trace *t);
/* An event with no field set (file: TRACE_NO_FILE), to copy from. */
extern const struct trace_event trace_blank_event;
uint32_t trace_file_id(struct trace *t, const char *name);

const char *trace_ev_name(enum trace_ev type);

/*
 * Largest folio order a trace may name: PUD-sized folios on 64 KiB pages
 * stay below it, and replay may compute 1 << order without overflow.
 */
#define TRACE_MAX_ORDER 20

/*
 * Append an EV_CHECKPOINT event for @pid (0 when no process triggered it)
 * and its empty checkpoint; returns the checkpoint, whose procs the caller
 * fills.  Pointers into t->cps are invalidated by the next call.
 */
struct trace_checkpoint *trace_new_checkpoint(struct trace *t, int64_t pid,
					      const char *reason);
/* Append an empty process to @cp; the pointer lives until the next call. */
struct cp_proc *checkpoint_add_proc(struct trace_checkpoint *cp,
				    int64_t pid);
struct cp_vma *cp_proc_add_vma(struct cp_proc *p);
struct cp_page *cp_proc_add_page(struct cp_proc *p);
void checkpoint_free(struct trace_checkpoint *cp);

/*
 * Compare two traces as replay sees them: header, events and checkpoint
 * contents; file names rather than file indices; the text line numbers
 * are ignored.  Returns 0 when equal, else 1 with the first difference
 * described in @what.
 */
int trace_compare(const struct trace *a, const struct trace *b,
		  char *what, size_t len);

/*
 * Check one event's fields for values no reader may let through (type,
 * booleans, order, file and checkpoint indices, fields its type does not
 * use left non-zero).  Returns 0 or -1 with a description in @what.
 */
int trace_event_check(const struct trace *t, const struct trace_event *ev,
		      char *what, size_t len);

/*
 * Where @ev came from, for error messages: "FILE:LINE" for an event read
 * from text, "FILE: event N" (N counts from 1) otherwise.
 */
int trace_where(const struct trace *t, const struct trace_event *ev,
		char *buf, size_t len);

/*
 * Copy @in to @out with the fields its event type does not use cleared
 * (file = TRACE_NO_FILE), as the binary writer stores events.
 */
void trace_event_normalize(struct trace_event *out,
			   const struct trace_event *in);

/* Binary reader (v1 or v2), for a whole file already in memory. */
int trace_parse_binary(const void *buf, size_t size, const char *name,
		       struct trace *t, char *err, size_t errlen);
int trace_parse_binary_v2(const void *buf, size_t size, const char *name,
			  struct trace *t, char *err, size_t errlen);
/* True when @buf starts like a binary trace (first magic byte). */
bool trace_is_binary(const void *buf, size_t size);

/* Text forms of the flag words, shared by the writers and the tests. */
int trace_format_prot(char *buf, size_t len, uint32_t prot);
int trace_format_mmap_flags(char *buf, size_t len, uint32_t flags);
int trace_format_mremap_flags(char *buf, size_t len, uint32_t flags);
int trace_format_advice(char *buf, size_t len, int32_t advice);
int trace_format_mlock_flags(char *buf, size_t len, uint32_t flags);
int trace_format_mlockall_flags(char *buf, size_t len, uint32_t flags);
int trace_format_uffd_modes(char *buf, size_t len, uint32_t flags);
/* errno name <-> number, for "-> -ENOMEM". */
const char *errno_name(int err);
int errno_from_name(const char *name);

#endif /* RMAPLAB_TRACES_TRACE_H */
