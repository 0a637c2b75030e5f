// SPDX-License-Identifier: GPL-2.0-only
/*
 * lazy:posted, the series as its mails literally describe it: fork and
 * mremap upgrade "the parent VMA (pvma)" alone (upgrade=vma), folio->
 * mapping is rewritten only where try_dup_anon_rmap() copies or
 * move_ptes() moves a PTE (redirect=off), and only VMAs hold the root
 * (folio_refs=off).  Each history below loses a mapping under the posted
 * reading (asserted: these are findings) and none under the repaired
 * default.  Each is the harness minimiser's output from a kernel vector.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>

#include "env.h"

TestSuite(lazy_posted, .fini = env_teardown);

/* Run @history under @params without failing on a miss; the misses. */
static unsigned long misses_of(const char *params, void (*history)(void))
{
	env_setup(params);
	env_strict = false;
	history();
	return env_misses();
}

/*
 * folio_refs=off (random-1004): the MAP_FIXED mmap unmaps the root's upper
 * part, the root (upper piece) becomes a zombie held by the lower piece
 * only; fork's upgrade drops that last reference and frees the root
 * before try_dup_anon_rmap() can rewrite the folio, which now names a
 * freed VMA.
 *
 *   1 mmap 0x100000000 0xb000 rw- private,anon,fixed
 *   1 fault 0x100000000 w
 *   1 mmap 0x100006000 0x10000 rw- private,anon,fixed
 *   1 fork 4
 */
static void root_freed_under_folio(void)
{
	ev_mmap(1, AT(0), 11, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_mmap(1, AT(6), 16, "rw-");
	ev_fork(1, 4);
}

/*
 * redirect=off (random-1002, on an anonymous mapping here): mremap of an
 * unfaulted page upgrades the family, nothing moves, the folio keeps
 * naming a root no VMA belongs to.
 *
 *   1 mmap 0x100000000 0x2000 rw- private,anon,fixed
 *   1 fault 0x100000000 w
 *   1 mremap 0x100001000 0x1000 0x1000 maymove,fixed 0x200000000
 */
static void unmoved_folio(void)
{
	ev_mmap(1, AT(0), 2, "rw-");
	ev_fault(1, AT(0), true, 0);
	ev_move(1, AT(1), 1, 1, FAR);
}

/*
 * upgrade=vma (random-1024, smaller): fork upgrades the VMA it copies;
 * the large folio is rewritten to that VMA's anon_vma, which the DONTCOPY
 * sibling is not linked to.
 *
 *   1 mmap 0x100000000 0x4000 rw- private,anon,fixed
 *   1 fault 0x100000000 w order=2
 *   1 madvise 0x100002000 0x2000 dontfork
 *   1 fork 2
 */
static void dontcopy_sibling(void)
{
	ev_mmap(1, AT(0), 4, "rw-");
	ev_fault(1, AT(0), true, 2);
	ev_madvise(1, AT(2), 2, MADV_DONTFORK);
	ev_fork(1, 2);
}

static void (*const histories[])(void) = {
	root_freed_under_folio, unmoved_folio, dontcopy_sibling,
};

Test(lazy_posted, finding_posted_loses_mappings)
{
	size_t i;

	for (i = 0; i < sizeof(histories) / sizeof(histories[0]); i++) {
		cr_expect_gt(misses_of("posted", histories[i]), 0,
			     "history %zu", i);
		cr_expect_eq(misses_of("", histories[i]), 0, "history %zu",
			     i);
	}
}

/*
 * Every repair is needed: taking any one of them from the repaired
 * default loses the mapping of its history.
 */
Test(lazy_posted, finding_every_repair_is_needed)
{
	cr_expect_gt(misses_of("folio_refs=off", root_freed_under_folio), 0);
	cr_expect_gt(misses_of("redirect=off", unmoved_folio), 0);
	cr_expect_gt(misses_of("upgrade=vma", dontcopy_sibling), 0);
}
