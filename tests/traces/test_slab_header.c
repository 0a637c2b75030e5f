// SPDX-License-Identifier: GPL-2.0-only
/*
 * The recording kernel's slab object sizes in a trace header: the text
 * key slab=, the binary v2 header extension, and reading them from a
 * slabinfo file and sysfs (traces/slabinfo.c).
 */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/binary_v2.h"
#include "tutil.h"

static const char sized[] =
	"# rmaplab text trace v2   arch=aarch64 page_size=16384 "
	"kernel=6.12.9-test slab=vm_area_struct:176,anon_vma:200,"
	"anon_vma_chain:64\n"
	"1 mmap 0x100000000 0x8000 rw- private,anon,fixed -> 0x100000000\n"
	"1 fault 0x100000000 w\n"
	"end 2\n";

static void parse_ok(const char *text, struct trace *t)
{
	char err[256];

	cr_assert_eq(parse_str(text, t, err, sizeof(err)), 0, "%s", err);
}

static uint32_t le32(const char *p)
{
	const unsigned char *q = (const unsigned char *)p;

	return q[0] | q[1] << 8 | q[2] << 16 | (uint32_t)q[3] << 24;
}

Test(slab_header, text_round_trip)
{
	struct trace t, back;
	char what[128], *out;

	parse_ok(sized, &t);
	cr_assert_eq(t.hdr.nr_slab, 3);
	cr_assert_eq(trace_slab_size(&t.hdr, "anon_vma"), 200);
	cr_assert_eq(trace_slab_size(&t.hdr, "vm_area_struct"), 176);
	cr_assert_eq(trace_slab_size(&t.hdr, "mm_struct"), 0);
	out = write_text(&t, NULL);
	/* the writer's header line is the input's, in the input's order */
	cr_assert(!strncmp(out, sized, strchr(sized, '\n') - sized + 1),
		  "%s", out);
	parse_ok(out, &back);
	cr_assert_eq(trace_compare(&t, &back, what, sizeof(what)), 0, "%s",
		     what);
	/* a different size is a different header */
	back.hdr.slab[1].size = 104;
	cr_assert_eq(trace_compare(&t, &back, what, sizeof(what)), 1);
	free(out);
	trace_free(&t);
	trace_free(&back);
}

Test(slab_header, binary_v2_round_trip)
{
	char name[] = "/tmp/rmaplab-slab-XXXXXX", err[256], what[128];
	struct trace t, back, file;
	char *bin, *text;
	size_t len;
	FILE *f;
	int fd;

	parse_ok(sized, &t);
	bin = write_binary(&t, &len);
	/* version 2, header size: 204 + count + 3 entries + CRC */
	cr_assert_eq(le32(bin + 8), 2);
	cr_assert_eq(le32(bin + 12), 204 + 4 + 3 * 36 + 4);
	cr_assert_eq(le32(bin + 12), TRACE_V2_SLAB_HDR(3));
	cr_assert_eq(le32(bin + 204), 3);
	cr_assert_str_eq(bin + 208, "vm_area_struct");
	cr_assert_eq(le32(bin + 208 + 32), 176);
	cr_assert_eq(trace_parse_binary(bin, len, "x.rmt", &back, err,
					sizeof(err)), 0, "%s", err);
	cr_assert_eq(trace_compare(&t, &back, what, sizeof(what)), 0, "%s",
		     what);
	/* the streaming reader reads the longer header from a file too */
	fd = mkstemp(name);
	cr_assert(fd >= 0);
	f = fdopen(fd, "w");
	cr_assert_eq(fwrite(bin, 1, len, f), len);
	fclose(f);
	cr_assert_eq(trace_load(name, &file, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(trace_compare(&t, &file, what, sizeof(what)), 0, "%s",
		     what);
	text = write_text(&file, NULL);
	cr_assert(strstr(text, " slab=vm_area_struct:176,anon_vma:200,"
			 "anon_vma_chain:64\n"), "%s", text);
	free(text);
	remove(name);
	free(bin);
	trace_free(&t);
	trace_free(&back);
	trace_free(&file);
}

/* Without sizes a v2 file is byte for byte what it was before them. */
Test(slab_header, unsized_header_unchanged)
{
	struct trace t, back;
	char err[256], *bin;
	size_t len;

	parse_ok("1 mmap 0x100000000 0x1000 rw- private,anon,fixed "
		 "-> 0x100000000\n", &t);
	bin = write_binary(&t, &len);
	cr_assert_eq(le32(bin + 12), TRACE_V2_HDR_SIZE);
	cr_assert_eq(trace_parse_binary(bin, len, "x.rmt", &back, err,
					sizeof(err)), 0, "%s", err);
	cr_assert_eq(back.hdr.nr_slab, 0);
	free(bin);
	trace_free(&t);
	trace_free(&back);
}

/* The extension's CRC covers its bytes: no damage goes unseen. */
Test(slab_header, damaged_extension_refused)
{
	struct trace t, back;
	char err[256], *bin;
	size_t len, i;

	parse_ok(sized, &t);
	bin = write_binary(&t, &len);
	for (i = TRACE_V2_HDR_SIZE; i < TRACE_V2_SLAB_HDR(3); i++) {
		bin[i] ^= 0x10;
		cr_assert_eq(trace_parse_binary(bin, len, "d.rmt", &back, err,
						sizeof(err)), -1,
			     "flipped byte %zu accepted", i);
		cr_assert(strstr(err, "d.rmt: "), "%s", err);
		bin[i] ^= 0x10;
	}
	/* cut inside the extension */
	cr_assert_eq(trace_parse_binary(bin, TRACE_V2_HDR_SIZE + 10, "c.rmt",
					&back, err, sizeof(err)), -1);
	cr_assert(strstr(err, "truncated header"), "%s", err);
	free(bin);
	trace_free(&t);
}

Test(slab_header, bad_text_refused)
{
	static const struct {
		const char *field, *msg;
	} bad[] = {
		{ "slab=anon_vma", "bad slab entry" },
		{ "slab=anon_vma:0", "bad slab size" },
		{ "slab=anon_vma:104,anon_vma:96", "twice" },
		{ "slab=kmalloc/96:96", "bad slab cache name" },
		{ "slab=", "bad slab entry" },
		{ "slab=anon_vma:104,", "bad slab entry" },
		{ "slab=anon_vma:2000000000", "bad slab size" },
		{ "slab=a:1 slab=b:2", "twice" },
		{ "slab=a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1,j:1,k:1,l:1,"
		  "m:1,n:1,o:1,p:1,q:1", "more than 16" },
	};
	char text[512], err[256];
	struct trace t;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "# rmaplab text trace v1   "
			 "arch=x86_64 page_size=4096 %s\n", bad[i].field);
		cr_assert_eq(parse_str(text, &t, err, sizeof(err)), -1,
			     "accepted: %s", bad[i].field);
		cr_expect(strstr(err, bad[i].msg) && !strncmp(err,
			  "t.trace:1: ", 11), "%s: %s", bad[i].field, err);
	}
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/*
 * slabinfo lists vm_area_struct and anon_vma; anon_vma_chain was merged
 * away (find_mergeable()) and only its sysfs alias knows its size.
 */
Test(slab_header, read_from_slabinfo_then_sysfs)
{
	char dir[] = "/tmp/rmaplab-slabfs-XXXXXX", si[300], p[300];
	struct trace_header h = { 0 };

	cr_assert(mkdtemp(dir));
	snprintf(si, sizeof(si), "%s/slabinfo", dir);
	put(si, "slabinfo - version: 2.1\n"
	    "# name            <active_objs> <num_objs> <objsize> "
	    "<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
	    "<sharedfactor> : slabdata <active_slabs> <num_slabs> "
	    "<sharedavail>\n"
	    "vm_area_struct      1090   1512    184   21    1 : tunables "
	    "0    0    0 : slabdata     72     72      0\n"
	    "anon_vma             429    429    112   39    1 : tunables "
	    "0    0    0 : slabdata     11     11      0\n");
	snprintf(p, sizeof(p), "%s/anon_vma_chain", dir);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/anon_vma_chain/slab_size", dir);
	put(p, "72\n");
	/* sysfs's anon_vma differs: slabinfo, when it lists it, wins */
	snprintf(p, sizeof(p), "%s/anon_vma", dir);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/anon_vma/slab_size", dir);
	put(p, "999\n");

	cr_assert_eq(trace_read_slab_sizes(&h, si, dir), 3);
	cr_expect_eq(trace_slab_size(&h, "vm_area_struct"), 184);
	cr_expect_eq(trace_slab_size(&h, "anon_vma"), 112);
	cr_expect_eq(trace_slab_size(&h, "anon_vma_chain"), 72);

	/* no readable slabinfo (not root): sysfs alone */
	memset(&h, 0, sizeof(h));
	snprintf(p, sizeof(p), "%s/none", dir);
	cr_assert_eq(trace_read_slab_sizes(&h, p, dir), 2);
	cr_expect_eq(trace_slab_size(&h, "anon_vma"), 999);
	cr_expect_eq(trace_slab_size(&h, "vm_area_struct"), 0);

	snprintf(p, sizeof(p), "%s/anon_vma/slab_size", dir);
	remove(p);
	snprintf(p, sizeof(p), "%s/anon_vma", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/anon_vma_chain/slab_size", dir);
	remove(p);
	snprintf(p, sizeof(p), "%s/anon_vma_chain", dir);
	rmdir(p);
	remove(si);
	rmdir(dir);
}
