// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rmap's users (reclaim, swap-in, migration) on the minimal traces
 * the scheme READMEs quote: each scheme variant either finds every
 * mapping or has the finding written here, with the mapping it loses.
 * An expected finding is a test: a fix that changes it must change this
 * file and the README together.
 */
#include "hutil.h"

#define HDR "# rmaplab text trace v1 arch=x86_64 page_size=4096 thp=madvise\n"
#define MAP "1 mmap 0x100000000 0x2000 rw- private,anon,fixed -> 0x100000000\n"

/* A shared folio reclaimed; child, then parent, swap in (cache hit). */
static const char swapin_cache[] = HDR MAP
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"
	"1 reclaim 0x100000000 0x1000\n"
	"2 fault 0x100000000 r\n"
	"1 fault 0x100000000 r\n";

/* The same after a second pass freed the folio: a new one is read. */
static const char swapin_new[] = HDR MAP
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"
	"1 reclaim 0x100000000 0x1000\n"
	"1 reclaim 0x100001000 0x1000\n"
	"2 fault 0x100000000 r\n"
	"1 fault 0x100000000 r\n";

/* Paged out before the fork: the child's entry is a copy. */
static const char pageout_fork[] = HDR MAP
	"1 fault 0x100000000 w\n"
	"1 pageout 0x100000000 0x1000\n"
	"1 fork 2\n"
	"2 fault 0x100000000 r\n";

/* Migration of a folio parent and child map. */
static const char migrate_shared[] = HDR MAP
	"1 fault 0x100000000 w\n"
	"1 fork 2\n"
	"1 migrate 0x100000000 0x1000\n";

struct verdict {
	const char *scheme;
	enum check_kind kind;
	const char *what;		/* in the finding, when not ok */
};

static void expect(const char *name, const char *text,
		   const struct verdict *v, size_t n)
{
	const struct check_opts o = { .every_event = true, .paranoid = true };
	struct check_result res;
	struct trace t;
	size_t i;

	parse_text(&t, name, text);
	for (i = 0; i < n; i++) {
		res = check1(&t, v[i].scheme, &o);
		cr_assert(!res.s[0].init_failed, "%s", res.s[0].init_err);
		cr_expect_eq(res.s[0].first.kind, v[i].kind, "%s %s: %s",
			     name, v[i].scheme, res.s[0].first.what);
		if (v[i].what)
			cr_expect(strstr(res.s[0].first.what, v[i].what),
				  "%s %s: %s", name, v[i].scheme,
				  res.s[0].first.what);
		check_result_free(&res);
	}
	trace_free(&t);
}

#define N(v)	(sizeof(v) / sizeof((v)[0]))

Test(rmap_users, swap_in_from_the_swap_cache)
{
	static const struct verdict v[] = {
		{ "classic", CHECK_OK, NULL },
		{ "oracle", CHECK_OK, NULL },
		{ "lazy", CHECK_OK, NULL },
		{ "lazy:redirect=off", CHECK_OK, NULL },
		{ "lazy:upgrade=vma", CHECK_OK, NULL },
		{ "cowctx", CHECK_OK, NULL },
		{ "cowctx:poc", CHECK_RMAP_USER,
		  "just swapped in, finds 0 of its 1 mappings (mapped at "
		  "2:0x100000000)" },
	};

	expect("swapin-cache", swapin_cache, v, N(v));
}

Test(rmap_users, swap_in_of_a_new_folio)
{
	static const struct verdict v[] = {
		{ "classic", CHECK_OK, NULL },
		{ "lazy", CHECK_OK, NULL },
		{ "lazy:redirect=off", CHECK_OK, NULL },
		/* filed under the child's context: the parent is not below */
		{ "cowctx", CHECK_RMAP_USER,
		  "finds 1 of its 2 mappings (mapped at 1:0x100000000 "
		  "2:0x100000000)" },
		{ "cowctx:stop=never", CHECK_RMAP_USER,
		  "finds 1 of its 2 mappings" },
		{ "cowctx:poc", CHECK_RMAP_USER,
		  "finds 1 of its 2 mappings" },
	};

	expect("swapin-new", swapin_new, v, N(v));
}

Test(rmap_users, swap_in_after_fork_of_a_swap_entry)
{
	static const struct verdict v[] = {
		{ "classic", CHECK_OK, NULL },
		{ "cowctx", CHECK_OK, NULL },
		/* the folio still names the parent's lazy root */
		{ "lazy", CHECK_INVARIANT, "a lazy folio in two mms" },
		{ "lazy:redirect=off", CHECK_RMAP_USER,
		  "finds 0 of its 1 mappings (mapped at 2:0x100000000)" },
		{ "lazy:upgrade=vma", CHECK_RMAP_USER,
		  "finds 0 of its 1 mappings (mapped at 2:0x100000000)" },
		{ "lazy:posted", CHECK_RMAP_USER,
		  "finds 0 of its 1 mappings (mapped at 2:0x100000000)" },
		{ "cowctx:poc", CHECK_RMAP_USER,
		  "finds 0 of its 1 mappings (mapped at 2:0x100000000)" },
	};

	expect("pageout-fork", pageout_fork, v, N(v));
}

Test(rmap_users, migration_of_a_shared_folio)
{
	static const struct verdict v[] = {
		{ "classic", CHECK_OK, NULL },
		{ "oracle", CHECK_OK, NULL },
		{ "lazy", CHECK_OK, NULL },
		{ "lazy:redirect=off", CHECK_OK, NULL },
		{ "lazy:posted", CHECK_OK, NULL },
		{ "cowctx", CHECK_OK, NULL },
		/* mapcount 0: the stop rule ends the walk at once */
		{ "cowctx:pinned=stop", CHECK_RMAP_USER,
		  "restored 0 of 2 migration entries; left at 1:0x100000000 "
		  "2:0x100000000" },
		/* parent's mapping restored, mapcount 1: "exclusive", stop */
		{ "cowctx:poc", CHECK_RMAP_USER,
		  "restored 1 of 2 migration entries; left at "
		  "2:0x100000000" },
	};

	expect("migrate-shared", migrate_shared, v, N(v));
}
