// SPDX-License-Identifier: GPL-2.0-only
/*
 * Damaged binary traces, version 1 (still read; written by the tests
 * only): every truncation and every flipped byte gives one
 * error line naming the file, never a crash or a partial trace.
 */
#include "tests/traces/tutil.h"

#include <unistd.h>

#include <criterion/criterion.h>

#include "traces/internal.h"

/* Layout of the small trace below (traces/FORMAT.md). */
#define HDR_SIZE 200
#define EV_REC 104		/* 8-byte record header + 96 */
#define EV_OFF(n) (HDR_SIZE + ((n) - 1) * EV_REC)
#define END_OFF EV_OFF(4)
#define CRC_OFF (END_OFF + 8 + 24)

static const char small[] =
	"1 mmap 0x1000 0x1000 rw- private,anon -> 0x1000\n"
	"1 fault 0x1000 w\n"
	"1 exit\n";

static const char full[] =
	"# rmaplab text trace v1   arch=x86_64 page_size=4096 "
	"kernel=6.18.44 thp=madvise recorder=rmaplab-0.1\n"
	"1 mmap 0x1000 0x4000 rw- private file=f1 off=3 -> 0x1000\n"
	"1 fault 0x1000 w\n"
	"1 fork 2\n"
	"2 mremap 0x1000 0x1000 0x1000 maymove,fixed 0x9000 -> 0x9000\n"
	"2 checkpoint fork anon_vma=1 anon_vma_chain=2\n"
	"  proc 1\n"
	"    vma 00001000-00005000 rw-p 00003000 f1\n"
	"    page 0x1000 anon pfn=0x77 kflags=0x1000 count=2\n"
	"  proc 2\n"
	"    vma 00002000-00005000 rw-p 00004000\n"
	"end\n"
	"2 exit\n";

static char *build(const char *text, size_t *len)
{
	struct trace t;
	char err[512] = "";
	char *bin;

	cr_assert_eq(parse_str(text, &t, err, sizeof(err)), 0, "%s", err);
	bin = write_binary_v1(&t, len);
	trace_free(&t);
	return bin;
}

static int parse(const void *buf, size_t len, char *err, size_t errlen)
{
	struct trace t;
	int ret = trace_parse_binary(buf, len, "dmg.rmt", &t, err, errlen);

	/* Refused or not, the trace is freeable; refused means empty. */
	if (ret)
		cr_expect_eq(t.nr_ev, 0);
	trace_free(&t);
	return ret;
}

static void fix_crc(unsigned char *bin)
{
	uint32_t crc = trace_crc32(bin, END_OFF);
	int i;

	for (i = 0; i < 4; i++)
		bin[CRC_OFF + i] = crc >> (8 * i);
}

static void expect_error(const void *buf, size_t len, const char *want)
{
	char err[512] = "";

	cr_expect_eq(parse(buf, len, err, sizeof(err)), -1);
	cr_expect_str_eq(err, want);
}

Test(binary, layout_assumed_by_these_tests)
{
	size_t len;
	char *bin = build(small, &len);

	cr_expect_eq(len, END_OFF + 8 + 32);
	cr_expect_eq(bin[EV_OFF(2) + 8], EV_FAULT);
	cr_expect_eq(bin[END_OFF], 3);
	free(bin);
}

Test(binary, truncated_everywhere)
{
	size_t len, cut;
	char *bin = build(full, &len);
	char err[512];

	for (cut = 0; cut < len; cut++) {
		err[0] = 0;
		cr_assert_eq(parse(bin, cut, err, sizeof(err)), -1,
			     "cut at %zu accepted", cut);
		cr_expect(!strncmp(err, "dmg.rmt: ", 9), "%s", err);
		cr_expect(strstr(err, "truncated") != NULL,
			  "cut at %zu: %s", cut, err);
	}
	expect_error(bin, 100, "dmg.rmt: truncated header (100 bytes)");
	free(bin);
}

Test(binary, truncated_at_record_boundary)
{
	size_t len;
	char *bin = build(small, &len);

	expect_error(bin, END_OFF,
		     "dmg.rmt: truncated: no end record after 3 events");
	expect_error(bin, EV_OFF(2) + 50,
		     "dmg.rmt: truncated in event 2 (record at offset 304 "
		     "needs 96 bytes, 42 left)");
	expect_error(bin, EV_OFF(2) + 3,
		     "dmg.rmt: truncated in the record after event 1 "
		     "(offset 304)");
	free(bin);
}

Test(binary, every_flipped_byte_detected)
{
	static const unsigned char masks[] = { 0x01, 0x80, 0xff };
	size_t len, off, m;
	char *bin = build(full, &len);
	char err[512];

	for (off = 0; off < len; off++) {
		for (m = 0; m < sizeof(masks); m++) {
			bin[off] ^= masks[m];
			err[0] = 0;
			cr_assert_eq(parse(bin, len, err, sizeof(err)), -1,
				     "flip 0x%02x at %zu accepted", masks[m],
				     off);
			cr_expect(!strncmp(err, "dmg.rmt: ", 9), "%s", err);
			bin[off] ^= masks[m];
		}
	}
	err[0] = 0;
	cr_expect_eq(parse(bin, len, err, sizeof(err)), 0, "%s", err);
	free(bin);
}

Test(binary, random_damage_never_crashes)
{
	size_t len, i;
	char *bin = build(full, &len);
	char *copy = malloc(len);
	char err[512];
	unsigned int seed = 12345;

	for (i = 0; i < 3000; i++) {
		size_t n = 1 + rand_r(&seed) % 4, cut = len, k;

		memcpy(copy, bin, len);
		for (k = 0; k < n; k++)
			copy[HDR_SIZE + rand_r(&seed) % (len - HDR_SIZE)] =
				rand_r(&seed);
		if (i % 3 == 0)
			cut = HDR_SIZE + rand_r(&seed) % (len - HDR_SIZE);
		if (!memcmp(copy, bin, cut) && cut == len)
			continue;
		cr_expect_eq(parse(copy, cut, err, sizeof(err)), -1,
			     "damage %zu accepted", i);
	}
	free(copy);
	free(bin);
}

Test(binary, wrong_magic_version_size)
{
	size_t len;
	char *bin = build(small, &len);

	bin[1] = 'X';
	expect_error(bin, len, "dmg.rmt: not an rmaplab trace (bad magic)");
	bin[1] = 'R';
	bin[8] = 3;
	expect_error(bin, len, "dmg.rmt: unsupported binary trace version 3 "
		     "(this reader knows 1 and 2)");
	bin[8] = 2;	/* a v1 header size under version 2 */
	expect_error(bin, len, "dmg.rmt: bad header size 200");
	bin[8] = 1;
	bin[12] = 100;
	expect_error(bin, len, "dmg.rmt: bad header size 100");
	bin[12] = (char)HDR_SIZE;
	bin[17] = 0x11;		/* page size 0x1100 */
	expect_error(bin, len, "dmg.rmt: bad page size 4352");
	free(bin);
}

Test(binary, trailing_data)
{
	size_t len;
	char *bin = build(small, &len);
	char *more = calloc(len + 3, 1);

	memcpy(more, bin, len);
	expect_error(more, len + 3, "dmg.rmt: trailing data after the end "
		     "record (3 bytes)");
	free(more);
	free(bin);
}

/* Damage the checksum cannot catch (it was recomputed) is still refused. */
Test(binary, bad_event_fields_named_by_event)
{
	size_t len;
	char *bin = build(small, &len);
	unsigned char *b = (unsigned char *)bin;

	b[EV_OFF(2) + 8 + 2] = 99;	/* order */
	fix_crc(b);
	expect_error(bin, len, "dmg.rmt: event 2: folio order 99 out of "
		     "range");
	b[EV_OFF(2) + 8 + 2] = 0;

	b[EV_OFF(3) + 8] = 77;		/* type */
	fix_crc(b);
	expect_error(bin, len, "dmg.rmt: event 3: unknown event type 77");
	b[EV_OFF(3) + 8] = EV_EXIT;

	b[EV_OFF(3) + 8 + 8] = 1;	/* flags on exit */
	fix_crc(b);
	expect_error(bin, len, "dmg.rmt: event 3: exit event with fields "
		     "it does not use set");
	b[EV_OFF(3) + 8 + 8] = 0;

	memset(b + EV_OFF(1) + 8 + 16, 0, 4);
	b[EV_OFF(1) + 8 + 16] = 5;	/* file index, no files table */
	fix_crc(b);
	expect_error(bin, len, "dmg.rmt: event 1: file index 5 not in files "
		     "table");
	memset(b + EV_OFF(1) + 8 + 16, 0xff, 4);

	b[END_OFF] = 9;
	fix_crc(b);
	expect_error(bin, len, "dmg.rmt: event 4: unknown record type 9");
	b[END_OFF] = 3;
	fix_crc(b);
	{
		char err[512] = "";

		cr_expect_eq(parse(bin, len, err, sizeof(err)), 0, "%s", err);
	}
	free(bin);
}

Test(binary, lost_record_detected_by_counts)
{
	size_t len;
	char *bin = build(small, &len);
	unsigned char *b = (unsigned char *)bin;

	/* Drop event 2 whole: the records still parse, the counts do not. */
	memmove(b + EV_OFF(2), b + EV_OFF(3), len - EV_OFF(3));
	len -= EV_REC;
	{
		uint32_t crc = trace_crc32(b, END_OFF - EV_REC);
		int i;

		for (i = 0; i < 4; i++)
			b[CRC_OFF - EV_REC + i] = crc >> (8 * i);
	}
	expect_error(bin, len, "dmg.rmt: end record counts (3 events, 0 "
		     "checkpoints, 0 files) do not match the file (2, 0, 0): "
		     "records lost");
	free(bin);
}

Test(binary, checksum_catches_header_damage)
{
	size_t len;
	char *bin = build(small, &len);

	bin[24] = 'y';		/* arch "x86_64" -> "y86_64" */
	expect_error(bin, len, "dmg.rmt: checksum mismatch: file damaged");
	free(bin);
}

/* trace_load on damaged files: binary by magic, garbage text refused. */
Test(binary, load_damaged_files)
{
	char path[] = "/tmp/rmaplab-dmg-XXXXXX";
	size_t len, cuts[] = { 4, 150, 250, 0 }, i;
	char *bin = build(full, &len);
	char err[512], want[600];
	struct trace t;
	int fd;
	FILE *f;

	cuts[3] = len - 1;
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		fd = mkstemp(path);
		cr_assert_geq(fd, 0);
		f = fdopen(fd, "wb");
		fwrite(bin, 1, cuts[i], f);
		fclose(f);
		err[0] = 0;
		cr_expect_eq(trace_load(path, &t, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: ", path);
		cr_expect(!strncmp(err, want, strlen(want)), "%s", err);
		cr_expect(strstr(err, "truncated") != NULL, "%s", err);
		trace_free(&t);
		unlink(path);
		strcpy(path, "/tmp/rmaplab-dmg-XXXXXX");
	}

	/* Without its first magic byte it is read as text, and refused. */
	bin[0] = '1';
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "wb");
	fwrite(bin, 1, len, f);
	fclose(f);
	err[0] = 0;
	cr_expect_eq(trace_load(path, &t, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: ", path);
	cr_expect(!strncmp(err, want, strlen(want)), "%s", err);
	trace_free(&t);
	unlink(path);
	free(bin);
}
