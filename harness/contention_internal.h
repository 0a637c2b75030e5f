/* SPDX-License-Identifier: GPL-2.0-only */
/* What the two modes of the contention driver share; see contention.h. */
#ifndef RMAPLAB_HARNESS_CONTENTION_INTERNAL_H
#define RMAPLAB_HARNESS_CONTENTION_INTERNAL_H

#include <hwloc.h>
#include <stddef.h>

#include "core/world.h"
#include "harness/contention.h"

/* What one worker replays, in trace order, once @start is applied. */
struct unit {
	size_t *ev;			/* event indices */
	size_t nr, cap;
	size_t start;			/* event to wait for or SIZE_MAX */
};

struct units {
	struct unit *v;
	size_t nr, cap;
};

void contend_build_units(const struct trace *t, struct units *u);
void contend_units_free(struct units *u);

struct pinning {
	hwloc_topology_t topo;
	int npu;
	bool ok;
	char binding[160];		/* "worker@3 walker@5 ..." */
	int bound_len;
};

/* Load the topology; a one-line summary into @desc. */
void contend_pin_init(struct pinning *p, char *desc, size_t len);
/* Bind the calling thread to PU @i (modulo); its OS index, or -1. */
int contend_pin_self(struct pinning *p, int i);
void contend_pin_fini(struct pinning *p);
/* Note thread @who ran on PU @pu; the caller serialises the threads. */
void contend_pin_note(struct pinning *p, const char *who, int pu);
/* Append "; " and the binding list to @desc if any thread was noted. */
void contend_pin_describe(const struct pinning *p, char *desc, size_t len);

/* One of the 4096 oldest live folios (the LRU's tail); w->nr_folios > 0. */
struct folio *contend_old_folio(struct world *w, uint64_t *seed);
/*
 * In an array of @nr records of @size bytes sorted by the size_t at
 * offset @off, the last whose value is at most @ev, or -1.
 */
long contend_last_at(const void *base, size_t nr, size_t size, size_t off,
		     size_t ev);

void contend_lock_class_add(struct lock_class *sum,
			    const struct lock_class *c);
/* Walk every live folio of @w once: found and present mappings. */
void contend_final_check(struct world *w, struct contend_result *res);

int contend_schedule(const struct trace *t, const char *scheme,
		     const struct contend_opts *o, struct contend_result *res,
		     struct errbuf *err);

#endif /* RMAPLAB_HARNESS_CONTENTION_INTERNAL_H */
