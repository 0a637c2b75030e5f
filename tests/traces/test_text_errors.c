// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every malformed text trace is refused with exactly one line,
 * "FILE:LINE: what", naming the first bad line; nothing is skipped.
 */
#include "tests/traces/tutil.h"

#include <unistd.h>

#include <criterion/criterion.h>

struct bad_case {
	const char *text;
	const char *err;
};

#define HDR "# rmaplab text trace v1   arch=x86_64 page_size=4096\n"
#define MMAP_USAGE "expected 'PID mmap ADDR LEN PROT FLAGS " \
	"[file=NAME off=PGOFF] -> RESULT'"

static const struct bad_case cases[] = {
	{ "1 mmapp 0x1000 0x1000 rw- private,anon -> 0x1000\n",
	  "t.trace:1: unknown event 'mmapp'" },
	{ HDR "1 exit\n\nx exit\n", "t.trace:4: bad PID 'x'" },
	{ HDR "# comment\n1\n", "t.trace:3: missing event after PID" },
	{ "1 mmap 0x1000 0x1000 rwz private,anon -> 0x1000\n",
	  "t.trace:1: bad PROT 'rwz'" },
	{ "1 mmap 0x1000 0x1000 rw-- private,anon\n",
	  "t.trace:1: bad PROT 'rw--'" },
	{ "1 mmap 0x1000 0x1000 rw- private,anno\n",
	  "t.trace:1: bad mmap flag 'anno'" },
	{ "1 mmap 0x1000 0x1000 rw- private,,anon\n",
	  "t.trace:1: bad mmap flag ',anon'" },
	{ "1 mmap 0x1000 0x1000 rw- private,\n",
	  "t.trace:1: bad mmap flag ','" },
	{ "1 mmap 0x1000 0x1000 rw-\n", "t.trace:1: " MMAP_USAGE },
	{ "1 mmap 0xg000 0x1000 rw- private,anon\n",
	  "t.trace:1: bad ADDR '0xg000'" },
	{ "1 mmap 0x10000000000000000 0x1000 rw- private,anon\n",
	  "t.trace:1: bad ADDR '0x10000000000000000'" },
	{ "1 mmap 0x1000 -4096 rw- private,anon\n",
	  "t.trace:1: bad LEN '-4096'" },
	{ "1 mmap 0x1000 0x1000 rw- private,anon file=f1 -> 0x1000\n",
	  "t.trace:1: anon mmap with file=" },
	{ "1 mmap 0x1000 0x1000 rw- private file=f1 off=x\n",
	  "t.trace:1: bad off= page offset 'x'" },
	{ "1 mmap 0x1000 0x1000 rw- private,anon foo=1\n",
	  "t.trace:1: unknown option 'foo=' for mmap" },
	{ "1 munmap 0x1000\n", "t.trace:1: expected 'PID munmap ADDR LEN'" },
	{ "1 munmap 0x1000 0x1000 0x1000\n",
	  "t.trace:1: expected 'PID munmap ADDR LEN'" },
	{ "1 munmap 0x1000 0x1000 -> -ENOTANERR\n",
	  "t.trace:1: unknown errno name 'ENOTANERR'" },
	{ "1 munmap 0x1000 0x1000 ->\n",
	  "t.trace:1: missing RESULT after '->'" },
	{ "1 munmap 0x1000 0x1000 -> 0 0\n",
	  "t.trace:1: junk after RESULT: '0'" },
	{ "1 munmap 0x1000 0x1000 -> zero\n", "t.trace:1: bad RESULT 'zero'" },
	{ "1 mprotect 0x1000 0x1000 rw+\n", "t.trace:1: bad PROT 'rw+'" },
	{ "1 madvise 0x1000 0x1000 dontneedd\n",
	  "t.trace:1: unknown madvise advice 'dontneedd'" },
	{ "1 madvise 0x1000 0x1000\n",
	  "t.trace:1: expected 'PID madvise ADDR LEN ADVICE'" },
	{ "1 mremap 0x1000 0x1000 0x2000 maymove,fixed -> 0x5000\n",
	  "t.trace:1: mremap fixed needs NEWADDR" },
	{ "1 mremap 0x1000 0x1000 0x2000 moveable\n",
	  "t.trace:1: bad mremap flag 'moveable'" },
	{ "1 mremap 0x1000 0x1000 0x2000\n",
	  "t.trace:1: expected 'PID mremap OLD OLDLEN NEWLEN FLAGS "
	  "[NEWADDR] -> RESULT'" },
	{ "1 brk\n", "t.trace:1: expected 'PID brk ADDR -> RESULT'" },
	{ "1 mmap 0x200000000000000 0x1000 rw- private,anon,fixed "
	  "-> 0x200000000000000\n",
	  "t.trace:1: mmap result 0x200000000000000 is above the top of user "
	  "space (0xfffffffffff000)" },
	{ "1 mlock 0x1000 0x1000 always\n", "t.trace:1: bad mlock flag "
	  "'always'" },
	{ "1 mlockall\n", "t.trace:1: expected 'PID mlockall FLAGS'" },
	{ "1 mlockall never\n", "t.trace:1: bad mlockall flag 'never'" },
	{ "1 pkey_mprotect 0x1000 0x1000 r-- key\n", "t.trace:1: bad PKEY "
	  "'key'" },
	{ "1 uffd_register 0x1000 0x1000 missing,lost\n",
	  "t.trace:1: bad userfaultfd mode 'lost'" },
	{ "1 syscall\n", "t.trace:1: expected 'PID syscall NAME -> RESULT'" },
	{ "1 fault 0x1000 x\n",
	  "t.trace:1: fault access must be r or w, not 'x'" },
	{ "1 fault 0x1000 w order=99\n",
	  "t.trace:1: order 99 out of range (max 20)" },
	{ "1 fault 0x1000 w order=nine\n", "t.trace:1: bad order 'nine'" },
	{ "1 fault 0x1000 w -> 0\n", "t.trace:1: fault takes no '-> RESULT'" },
	{ "1 fault 0x1000 w order=1 order=2\n",
	  "t.trace:1: duplicate option 'order='" },
	{ "1 fault 0x1000 order=1 w\n",
	  "t.trace:1: unexpected 'w' after options" },
	{ "1 fault 0x1000 w t=soon\n", "t.trace:1: bad time t= 'soon'" },
	{ "1 exit now\n", "t.trace:1: expected 'PID exit'" },
	{ "1 exit -> 0\n", "t.trace:1: exit takes no '-> RESULT'" },
	{ "1 exec 2\n", "t.trace:1: expected 'PID exec'" },
	{ "1 fork\n", "t.trace:1: expected 'PID fork CHILD'" },
	{ "1 fork x\n", "t.trace:1: bad CHILD 'x'" },
	{ "1 thread\n", "t.trace:1: expected 'PID thread TID'" },
	{ "1 fork 2 flags=0x100000000\n",
	  "t.trace:1: clone flags '0x100000000' out of range" },
	{ "# rmaplab text trace v3\n",
	  "t.trace:1: unsupported text trace version 'v3'" },
	{ "# rmaplab text trace v1 page_size=4095\n",
	  "t.trace:1: bad page_size '4095'" },
	{ "# rmaplab text trace v1 color=red\n",
	  "t.trace:1: unknown header field 'color'" },
	{ "# rmaplab text trace v1 arch\n",
	  "t.trace:1: bad header field 'arch'" },
	{ "1 checkpoint end\n  proc 1\n",
	  "t.trace:1: checkpoint has no 'end'" },
	{ "1 checkpoint end\n  vma 1000-2000 rw-p 00000000\nend\n",
	  "t.trace:2: 'vma' before 'proc' in checkpoint" },
	{ "1 checkpoint end\n  page 0x1000 anon\nend\n",
	  "t.trace:2: 'page' before 'proc' in checkpoint" },
	{ "vma 1000-2000 rw-p 00000000\n",
	  "t.trace:1: 'vma' outside a checkpoint" },
	{ "1 exit\nend\n", "t.trace:2: 'end' outside a checkpoint" },
	{ "1 checkpoint end\nproc 1\nvma 2000-1000 rw-p 0\nend\n",
	  "t.trace:3: vma end not above start" },
	{ "1 checkpoint end\nproc 1\nvma 1000-2000 rwxq 0\nend\n",
	  "t.trace:3: bad vma perms 'rwxq'" },
	{ "1 checkpoint end\nproc 1\nvma 0x1000-2000 rw-p 0\nend\n",
	  "t.trace:3: bad vma range '0x1000-2000'" },
	{ "1 checkpoint end\nproc 1\nvma 1000-2000 rw-p zz\nend\n",
	  "t.trace:3: bad vma offset 'zz'" },
	{ "1 checkpoint end\nproc 1\npage 0x1000 anonymous\nend\n",
	  "t.trace:3: page kind must be anon, file or swap, not 'anonymous'" },
	{ "1 checkpoint end\nproc 1\npage 0x1000 anon pfn=0x1 mapcount=2\n"
	  "end\n", "t.trace:3: unknown option 'mapcount=' for page" },
	{ "1 checkpoint end\nproc 1\nproc 1\nend\n",
	  "t.trace:4: process 1 twice in checkpoint" },
	{ "1 checkpoint End\n", "t.trace:1: bad checkpoint reason 'End'" },
	{ "1 checkpoint end pfns=maybe\nend\n",
	  "t.trace:1: pfns= must be yes or no, not 'maybe'" },
	{ "1 checkpoint end anon_vma=-1\nend\n",
	  "t.trace:1: bad anon_vma count '-1'" },
	{ "1 checkpoint end\nproc 1\n1 exit\nend\n",
	  "t.trace:3: expected proc, vma, page or end in checkpoint "
	  "(started at line 1), not '1'" },
	{ "1 checkpoint end\nend 1\n", "t.trace:2: junk after 'end'" },
	{ "1 checkpoint end -> 0\nend\n",
	  "t.trace:1: checkpoint takes no '-> RESULT'" },
	{ "1 exit\n1 exit 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 "
	  "21 22 23 24 25 26 27 28 29 30 31\n", "t.trace:2: too many fields" },
};

Test(text_errors, each_bad_line_named_exactly)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct trace t;
		char err[512] = "";
		int ret = parse_str(cases[i].text, &t, err, sizeof(err));

		cr_expect_eq(ret, -1, "case %zu accepted: %s", i,
			     cases[i].text);
		cr_expect_str_eq(err, cases[i].err, "case %zu: %s", i,
				 cases[i].text);
		/* A refused trace is left empty. */
		cr_expect_eq(t.nr_ev, 0);
		cr_expect_eq(t.nr_files, 0);
		trace_free(&t);
	}
}

Test(text_errors, nul_byte_in_line)
{
	static const char text[] = "1 exit\n1 e\0xit\n";
	char err[512] = "";
	struct trace t;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	cr_assert_not_null(f);
	cr_expect_eq(trace_parse_text(f, "t.trace", &t, err, sizeof(err)), -1);
	cr_expect_str_eq(err, "t.trace:2: NUL byte in line");
	fclose(f);
	trace_free(&t);
}

Test(text_errors, missing_file_names_the_path)
{
	struct trace t;
	char err[512] = "";

	cr_expect_eq(trace_load("/nonexistent/x.trace", &t, err, sizeof(err)),
		     -1);
	cr_expect_str_eq(err,
			 "/nonexistent/x.trace: No such file or directory");
	trace_free(&t);
}

Test(text_errors, load_names_the_file)
{
	char path[] = "/tmp/rmaplab-test-XXXXXX";
	int fd = mkstemp(path);
	struct trace t;
	char err[512] = "", want[600];
	FILE *f;

	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fputs(HDR "1 mmap 0x1000 0x1000 rw- private,anon -> 0x1000\n"
	      "1 fault 0x1000 q\n", f);
	fclose(f);
	cr_expect_eq(trace_load(path, &t, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s:3: fault access must be r or w, not 'q'", path);
	cr_expect_str_eq(err, want);
	unlink(path);
	trace_free(&t);
}
