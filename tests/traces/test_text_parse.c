// SPDX-License-Identifier: GPL-2.0-only
/* The text grammar: every event kind and field lands where trace.h says. */
#include "tests/traces/tutil.h"

#include <errno.h>
#include <sys/mman.h>

#include <criterion/criterion.h>

static struct trace t;

static void parse_ok(const char *text)
{
	char err[512] = "";

	cr_assert_eq(parse_str(text, &t, err, sizeof(err)), 0, "%s", err);
}

static void fini(void)
{
	trace_free(&t);
}

TestSuite(text_parse, .fini = fini);

Test(text_parse, header_defaults)
{
	parse_ok("1 exit\n");
	cr_expect_str_eq(t.hdr.arch, "x86_64");
	cr_expect_eq(t.hdr.page_size, 4096);
	cr_expect_str_eq(t.hdr.recorder, "text");
	cr_expect_eq(t.hdr.version, 1);
	cr_expect_str_eq(t.path, "t.trace");
}

Test(text_parse, header_fields)
{
	parse_ok("# rmaplab text trace v1   arch=aarch64 page_size=65536 "
		 "kernel=6.18.44 thp=madvise recorder=rmaplab-0.1 "
		 "clock=monotonic\n");
	cr_expect_str_eq(t.hdr.arch, "aarch64");
	cr_expect_eq(t.hdr.page_size, 65536);
	cr_expect_str_eq(t.hdr.kernel, "6.18.44");
	cr_expect_str_eq(t.hdr.thp, "madvise");
	cr_expect_str_eq(t.hdr.recorder, "rmaplab-0.1");
	cr_expect_str_eq(t.hdr.clock, "monotonic");
	cr_expect_eq(t.nr_ev, 0);
}

Test(text_parse, header_only_on_first_line)
{
	/* Later, the same words are an ordinary comment. */
	parse_ok("1 exit\n# rmaplab text trace v9 junk\n");
	cr_expect_eq(t.nr_ev, 1);
}

Test(text_parse, mmap_fields)
{
	const struct trace_event *ev;

	parse_ok("1 mmap 0x100000000 0x4000 rw- private,anon,fixed "
		 "-> 0x100000000\n"
		 "7 mmap 4096 8192 r-x shared,fixed_noreplace,growsdown,"
		 "norserve file=f2 off=1194 -> -ENOMEM\n"
		 "2 mmap 0 0x1000 --- private,noreserve file=f2\n"
		 "2 mmap 0 0x1000 0x8 private,0x4000000 file=f3\n");
	cr_assert_eq(t.nr_ev, 4);
	ev = &t.ev[0];
	cr_expect_eq(ev->type, EV_MMAP);
	cr_expect_eq(ev->pid, 1);
	cr_expect_eq(ev->addr, 0x100000000ull);
	cr_expect_eq(ev->len, 0x4000);
	cr_expect_eq(ev->prot, PROT_READ | PROT_WRITE);
	cr_expect_eq(ev->flags, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	cr_expect_eq(ev->file, TRACE_NO_FILE);
	cr_expect_eq(ev->has_result, 1);
	cr_expect_eq(ev->result, 0x100000000ll);
	cr_expect_eq(ev->line, 1);

	ev = &t.ev[1];
	cr_expect_eq(ev->pid, 7);
	cr_expect_eq(ev->addr, 4096);
	cr_expect_eq(ev->len, 8192);
	cr_expect_eq(ev->prot, PROT_READ | PROT_EXEC);
	cr_expect_eq(ev->flags, MAP_SHARED | MAP_FIXED_NOREPLACE |
		     MAP_GROWSDOWN | MAP_NORESERVE);
	cr_expect_eq(ev->pgoff, 1194);
	cr_expect_eq(ev->result, -ENOMEM);
	cr_assert_neq(ev->file, TRACE_NO_FILE);
	cr_expect_str_eq(t.files[ev->file], "f2");

	/* Files are interned: f2 again is the same index. */
	cr_expect_eq(t.ev[2].file, ev->file);
	cr_expect_eq(t.ev[2].prot, PROT_NONE);
	cr_expect_eq(t.ev[2].has_result, 0);
	cr_expect_eq(t.ev[2].flags, MAP_PRIVATE | MAP_NORESERVE);
	cr_expect_eq(t.nr_files, 2);

	/* Bits without a name travel as numbers. */
	cr_expect_eq(t.ev[3].prot, 0x8);
	cr_expect_eq(t.ev[3].flags, MAP_PRIVATE | 0x4000000);
}

Test(text_parse, munmap_mprotect_madvise)
{
	static const struct {
		const char *name;
		int value;
	} adv[] = {
		{ "dontneed", MADV_DONTNEED }, { "free", MADV_FREE },
		{ "dontfork", MADV_DONTFORK }, { "dofork", MADV_DOFORK },
		{ "wipeonfork", MADV_WIPEONFORK },
		{ "keeponfork", MADV_KEEPONFORK },
		{ "hugepage", MADV_HUGEPAGE },
		{ "nohugepage", MADV_NOHUGEPAGE },
	};
	char buf[128];
	size_t i;

	parse_ok("3 munmap 0x1000 0x2000\n"
		 "3 mprotect 0x1000 0x2000 r-- -> -ENOMEM\n");
	cr_expect_eq(t.ev[0].type, EV_MUNMAP);
	cr_expect_eq(t.ev[0].addr, 0x1000);
	cr_expect_eq(t.ev[0].len, 0x2000);
	cr_expect_eq(t.ev[1].type, EV_MPROTECT);
	cr_expect_eq(t.ev[1].prot, PROT_READ);
	cr_expect_eq(t.ev[1].result, -ENOMEM);
	trace_free(&t);

	for (i = 0; i < sizeof(adv) / sizeof(adv[0]); i++) {
		snprintf(buf, sizeof(buf), "1 madvise 0x1000 0x1000 %s\n",
			 adv[i].name);
		parse_ok(buf);
		cr_expect_eq(t.ev[0].type, EV_MADVISE);
		cr_expect_eq(t.ev[0].advice, adv[i].value, "%s", adv[i].name);
		trace_free(&t);
	}
}

Test(text_parse, mremap_and_brk)
{
	parse_ok("2 mremap 0x100000000 0x4000 0x4000 maymove,fixed "
		 "0x200000000 -> 0x200000000\n"
		 "2 mremap 0x1000 0x1000 0x2000 0 -> -ENOMEM\n"
		 "2 mremap 0x1000 0x1000 0x1000 maymove,fixed,dontunmap "
		 "0x9000 -> 0x9000\n"
		 "2 brk 0x5000000 -> 0x5000000\n");
	cr_expect_eq(t.ev[0].type, EV_MREMAP);
	cr_expect_eq(t.ev[0].addr, 0x100000000ull);
	cr_expect_eq(t.ev[0].len, 0x4000);
	cr_expect_eq(t.ev[0].new_len, 0x4000);
	cr_expect_eq(t.ev[0].flags, MREMAP_MAYMOVE | MREMAP_FIXED);
	cr_expect_eq(t.ev[0].new_addr, 0x200000000ull);
	cr_expect_eq(t.ev[1].flags, 0);
	cr_expect_eq(t.ev[1].new_len, 0x2000);
	cr_expect_eq(t.ev[1].result, -ENOMEM);
	cr_expect_eq(t.ev[2].flags,
		     MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP);
	cr_expect_eq(t.ev[3].type, EV_BRK);
	cr_expect_eq(t.ev[3].addr, 0x5000000);
	cr_expect_eq(t.ev[3].result, 0x5000000);
}

Test(text_parse, faults_processes_comments)
{
	parse_ok("\n# whole-line comment\n"
		 "1 fault 0x1000 r\n"
		 "1 fault 0x200000 w order=9   # trailing comment\n"
		 "\t1 fork 2\n"
		 "2 thread 3 flags=0x3d0f00\n"
		 "3 exec\n"
		 "2 exit\n"
		 "-1 fault 0x2000 w t=123456\n");
	cr_assert_eq(t.nr_ev, 7);
	cr_expect_eq(t.ev[0].type, EV_FAULT);
	cr_expect_eq(t.ev[0].write, 0);
	cr_expect_eq(t.ev[0].line, 3);
	cr_expect_eq(t.ev[1].write, 1);
	cr_expect_eq(t.ev[1].order, 9);
	cr_expect_eq(t.ev[2].type, EV_FORK);
	cr_expect_eq(t.ev[2].child, 2);
	cr_expect_eq(t.ev[3].type, EV_THREAD);
	cr_expect_eq(t.ev[3].pid, 2);
	cr_expect_eq(t.ev[3].child, 3);
	cr_expect_eq(t.ev[3].flags, 0x3d0f00);
	cr_expect_eq(t.ev[4].type, EV_EXEC);
	cr_expect_eq(t.ev[4].pid, 3);
	cr_expect_eq(t.ev[5].type, EV_EXIT);
	cr_expect_eq(t.ev[6].pid, -1);
	cr_expect_eq(t.ev[6].time_ns, 123456);
}

Test(text_parse, checkpoint_block)
{
	const struct trace_checkpoint *cp;

	parse_ok("1 fault 0x1000 w\n"
		 "1 checkpoint fork anon_vma=3 anon_vma_chain=5 t=99\n"
		 "  proc 1\n"
		 "    vma 00001000-00003000 rw-p 00000000\n"
		 "    vma 7ffd0000-7fff0000 rw-p 00000000 [stack]\n"
		 "    vma 00400000-00401000 r-xp 00000000 /usr/bin/my prog #2\n"
		 "    page 0x1000 anon pfn=0x1234 kflags=0x1028 count=2\n"
		 "  proc 2   # child\n"
		 "    page 0x1000 anon pfn=0x1234 kflags=0x1028\n"
		 "end\n"
		 "0 checkpoint end pfns=no\n"
		 "end\n"
		 "1 exit\n");
	cr_assert_eq(t.nr_ev, 4);
	cr_assert_eq(t.nr_cps, 2);
	cr_expect_eq(t.ev[1].type, EV_CHECKPOINT);
	cr_expect_eq(t.ev[1].cp, 0);
	cr_expect_eq(t.ev[1].pid, 1);
	cr_expect_eq(t.ev[1].time_ns, 99);
	cr_expect_eq(t.ev[1].line, 2);
	cr_expect_eq(t.ev[3].type, EV_EXIT);
	cr_expect_eq(t.ev[3].line, 13);

	cp = &t.cps[0];
	cr_expect_str_eq(cp->reason, "fork");
	cr_expect_eq(cp->anon_vma, 3);
	cr_expect_eq(cp->anon_vma_chain, 5);
	cr_expect(cp->has_pfns);
	cr_assert_eq(cp->nr_procs, 2);
	cr_expect_eq(cp->procs[0].pid, 1);
	cr_assert_eq(cp->procs[0].nr_vmas, 3);
	cr_expect_eq(cp->procs[0].vmas[0].start, 0x1000);
	cr_expect_eq(cp->procs[0].vmas[0].end, 0x3000);
	cr_expect_str_eq(cp->procs[0].vmas[0].perms, "rw-p");
	cr_expect_str_eq(cp->procs[0].vmas[0].name, "");
	cr_expect_str_eq(cp->procs[0].vmas[1].name, "[stack]");
	/* The name is the rest of the line: blanks and '#' included. */
	cr_expect_str_eq(cp->procs[0].vmas[2].name, "/usr/bin/my prog #2");
	cr_assert_eq(cp->procs[0].nr_pages, 1);
	cr_expect_eq(cp->procs[0].pages[0].pfn, 0x1234);
	cr_expect_eq(cp->procs[0].pages[0].kflags, 0x1028);
	cr_expect_eq(cp->procs[0].pages[0].count, 2);
	cr_expect(cp->procs[0].pages[0].anon);
	cr_expect_eq(cp->procs[1].pid, 2);
	cr_expect_eq(cp->procs[1].pages[0].pfn, 0x1234);

	cp = &t.cps[1];
	cr_expect_str_eq(cp->reason, "end");
	cr_expect_not(cp->has_pfns);
	cr_expect_eq(cp->anon_vma, -1);
	cr_expect_eq(cp->nr_procs, 0);
}

Test(text_parse, results)
{
	parse_ok("1 munmap 0x1000 0x1000 -> 0\n"
		 "1 munmap 0x1000 0x1000 -> -EINVAL\n"
		 "1 munmap 0x1000 0x1000 -> -22\n"
		 "1 mmap 0 0x1000 rw- private,anon -> 0x7f0000000000\n");
	cr_expect_eq(t.ev[0].has_result, 1);
	cr_expect_eq(t.ev[0].result, 0);
	cr_expect_eq(t.ev[1].result, -EINVAL);
	cr_expect_eq(t.ev[2].result, -22);
	cr_expect_eq(t.ev[3].result, 0x7f0000000000ll);
}

Test(text_parse, errno_names)
{
	cr_expect_str_eq(errno_name(ENOMEM), "ENOMEM");
	cr_expect_str_eq(errno_name(-EFAULT), "EFAULT");
	cr_expect_eq(errno_from_name("EEXIST"), EEXIST);
	cr_expect_eq(errno_from_name("ENOPE"), 0);
}
