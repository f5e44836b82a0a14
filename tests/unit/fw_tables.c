// SPDX-License-Identifier: MIT
/*
 * lib/fw table parsers on bad input (truncated, oversized, wrong checksum,
 * lying length, zero-length substructures: never a crash, always a clear
 * finding) and the DMAR/IVRS coverage queries.
 */
#include "fw_test.h"
#include "fw/acpi.h"
#include "fw/dmar.h"
#include "fw/ivrs.h"
#include "fw/tpm2.h"
#include "fw/wsmt.h"

static uint8_t *good(const char *name, size_t *len)
{
	char rel[64];
	uint8_t *b;

	snprintf(rel, sizeof(rel), "good/%s", name);
	b = load_fixture(rel, len);
	assert_non_null(b);
	return b;
}

static void fix_checksum(uint8_t *t, size_t len)
{
	t[9] = 0;
	t[9] = (uint8_t)(0x100 - acpi_checksum(t, len));
}

typedef void (*parse_fn)(const uint8_t *buf, size_t len, struct fw_report *r);

static void p_wsmt(const uint8_t *b, size_t l, struct fw_report *r)
{
	struct wsmt w;

	wsmt_parse(b, l, &w, r);
}

static void p_tpm2(const uint8_t *b, size_t l, struct fw_report *r)
{
	struct tpm2 t;

	tpm2_parse(b, l, &t, r);
}

static void p_dmar(const uint8_t *b, size_t l, struct fw_report *r)
{
	struct dmar d;

	dmar_parse(b, l, &d, r);
	dmar_covers(b, l, 0, 0, 2, 0, NULL, NULL);
}

static void p_ivrs(const uint8_t *b, size_t l, struct fw_report *r)
{
	struct ivrs v;

	ivrs_parse(b, l, &v, r);
	ivrs_covers(b, l, 0, 0x10);
}

/*
 * Every prefix of a good table (exactly sized, so ASan catches an
 * overread): a shorter buffer than Length is always a header finding.
 */
static void truncation_sweep(const char *name, parse_fn fn)
{
	size_t len, cut;
	uint8_t *b = good(name, &len);

	for (cut = 0; cut < len; cut++) {
		struct rep p;
		struct fw_report *r = rep_init(&p);
		uint8_t *e = exact_copy(b, cut);

		fn(cut ? e : NULL, cut, r);
		assert_true(rep_has(r, cut < ACPI_HDR_LEN ? "ACPI-H1" :
				    "ACPI-H2"));
		free(e);
	}
	free(b);
}

static void test_truncated(void **state)
{
	(void)state;
	truncation_sweep("wsmt.bin", p_wsmt);
	truncation_sweep("tpm2.bin", p_tpm2);
	truncation_sweep("dmar.bin", p_dmar);
	truncation_sweep("ivrs.bin", p_ivrs);
}

/*
 * Length honestly shortened to every value (checksum fixed): the walkers
 * see structures cut at every byte and must report, not overrun.
 */
static void shortened_sweep(const char *name, parse_fn fn, size_t min)
{
	size_t len, n;
	uint8_t *b = good(name, &len);

	for (n = ACPI_HDR_LEN; n < len; n++) {
		struct rep p;
		struct fw_report *r = rep_init(&p);
		uint8_t *e = exact_copy(b, n);

		e[4] = (uint8_t)n;
		e[5] = (uint8_t)(n >> 8);
		fix_checksum(e, n);
		fn(e, n, r);
		/* Cut inside the fixed part: always a fail finding. Cut
		 * elsewhere: a finding or not (a cut between structures
		 * is a valid shorter table), but never an overread. */
		if (n < min)
			assert_int_equal(fw_report_worst(r), FW_SEV_FAIL);
		free(e);
	}
	free(b);
}

static void test_shortened(void **state)
{
	(void)state;
	shortened_sweep("wsmt.bin", p_wsmt, 40);
	shortened_sweep("tpm2.bin", p_tpm2, 52);
	shortened_sweep("dmar.bin", p_dmar, 48);
	shortened_sweep("ivrs.bin", p_ivrs, 48);
}

static void test_oversized_buffer_uses_length(void **state)
{
	size_t len;
	uint8_t *b = good("dmar-synth.bin", &len);
	uint8_t *big = calloc(1, len + 64);
	struct rep p;
	struct fw_report *r = rep_init(&p);
	struct dmar d;

	(void)state;
	memcpy(big, b, len);
	memset(big + len, 0xff, 64); /* garbage after the table is ignored */
	assert_int_equal(dmar_parse(big, len + 64, &d, r), 0);
	assert_int_equal(fw_report_worst(r), FW_SEV_NOTE);
	assert_int_equal(d.n_drhd, 2);
	assert_true(d.walk_complete);
	free(big);
	free(b);
}

static void test_lying_length_and_checksum(void **state)
{
	size_t len;
	uint8_t *b = good("ivrs.bin", &len);
	struct rep p;
	struct fw_report *r = rep_init(&p);
	struct ivrs v;

	(void)state;
	b[4] = 0xff; b[5] = 0xff; b[6] = 0; b[7] = 0;   /* 65535 > len */
	fix_checksum(b, len);
	assert_int_equal(ivrs_parse(b, len, &v, r), FW_EBADF);
	assert_true(rep_has(r, "ACPI-H2"));
	b[4] = 10; b[5] = 0;                            /* < 36 */
	rep_init(&p);
	assert_int_equal(ivrs_parse(b, len, &v, r), FW_EBADF);
	assert_true(rep_has(r, "ACPI-H2"));
	assert_int_equal(ivrs_covers(b, len, 0, 0), FW_EBADF);
	free(b);

	b = good("tpm2.bin", &len);
	b[20] ^= 0x40;                                  /* checksum off */
	rep_init(&p);
	{
		struct tpm2 t;

		assert_int_equal(tpm2_parse(b, len, &t, r), 0);
		assert_true(rep_has(r, "ACPI-H3"));
		assert_false(t.hdr.checksum_ok);
	}
	free(b);
}

static void test_good_decodes(void **state)
{
	size_t len;
	uint8_t *b;
	struct rep p;
	struct fw_report *r = rep_init(&p);
	struct wsmt w;
	struct tpm2 t;
	struct ivrs v;

	(void)state;
	b = good("wsmt.bin", &len);
	assert_int_equal(wsmt_parse(b, len, &w, r), 0);
	assert_int_equal(w.flags, 7);
	assert_int_equal(w.verdict, WSMT_PASS);
	assert_string_equal(w.hdr.signature, "WSMT");
	assert_string_equal(w.hdr.oem_id, "OPNVBS");
	free(b);
	b = good("tpm2.bin", &len);
	assert_int_equal(tpm2_parse(b, len, &t, r), 0);
	assert_int_equal(t.start_method, TPM2_START_CRB);
	assert_string_equal(t.start_method_name, "crb");
	assert_true(t.crb);
	assert_true(t.has_log);
	assert_int_equal(t.laml, 0x10000);      /* QEMU: 64 KiB log area */
	assert_true(t.lasa != 0);
	assert_int_equal(t.control_area, 0xfed40040);
	free(b);
	b = good("ivrs-synth.bin", &len);
	assert_int_equal(ivrs_parse(b, len, &v, r), 0);
	assert_int_equal(v.n_ivhd, 2);
	assert_int_equal(v.n_ivmd, 1);
	assert_true(v.ivinfo & IVRS_IVINFO_DMA_REMAP);
	free(b);
	assert_int_equal(r->count, 0);
}

static void test_wsmt_verdicts(void **state)
{
	static const struct { uint32_t flags; enum wsmt_verdict v; } cases[] = {
		{ 7, WSMT_PASS }, { 1, WSMT_WARN }, { 3, WSMT_WARN },
		{ 5, WSMT_WARN }, { 0, WSMT_WARN }, { 6, WSMT_NOT_VALID },
		{ 2, WSMT_NOT_VALID }, { 0xf, WSMT_PASS },
	};
	size_t len, i;
	uint8_t *b = good("wsmt.bin", &len);

	(void)state;
	for (i = 0; i < VBS_ARRAY_SIZE(cases); i++) {
		struct rep p;
		struct fw_report *r = rep_init(&p);
		struct wsmt w;

		b[36] = (uint8_t)cases[i].flags;
		fix_checksum(b, len);
		wsmt_parse(b, len, &w, r);
		assert_int_equal(w.verdict, cases[i].v);
		assert_int_equal(w.missing, 7 & ~cases[i].flags);
	}
	free(b);
}

/* Zero-length structures must end the walk, not spin. */
static void test_zero_length_structures(void **state)
{
	uint8_t t[48 + 8] = { 'D', 'M', 'A', 'R' };
	struct rep p;
	struct fw_report *r = rep_init(&p);
	struct dmar d;
	struct ivrs v;

	(void)state;
	t[4] = sizeof(t);
	t[8] = 1;
	t[36] = 38;
	t[37] = 5;          /* structure @48: type 0, Length 0 */
	fix_checksum(t, sizeof(t));
	assert_int_equal(dmar_parse(t, sizeof(t), &d, r), 0);
	assert_true(rep_has(r, "DMAR-S3"));
	assert_true(rep_has(r, "DMAR-D1"));
	assert_false(d.walk_complete);
	assert_int_equal(dmar_covers(t, sizeof(t), 0, 0, 0, 0, NULL, NULL),
			 FW_NOT_COVERED);
	memcpy(t, "IVRS", 4);
	t[36] = 2;
	t[48] = 0x10;       /* IVHD, Length 0 */
	fix_checksum(t, sizeof(t));
	rep_init(&p);
	assert_int_equal(ivrs_parse(t, sizeof(t), &v, r), 0);
	assert_true(rep_has(r, "IVRS-B3"));
	assert_int_equal(ivrs_covers(t, sizeof(t), 0, 0), FW_NOT_COVERED);
}

/*
 * A platform for the DMAR coverage query: 00:1c.0 is a bridge to bus 2
 * (subordinate 3); 02:00.0 is a bridge to bus 3.
 */
static int bridges(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
		   uint8_t fn, uint8_t *sec, uint8_t *sub)
{
	(*(int *)ctx)++;
	if (seg != 0)
		return -1;
	if (bus == 0 && dev == 0x1c && fn == 0) {
		*sec = 2;
		*sub = 3;
		return 0;
	}
	if (bus == 2 && dev == 0 && fn == 0) {
		*sec = 3;
		*sub = 3;
		return 0;
	}
	return -1;
}

static void test_dmar_coverage(void **state)
{
	size_t len;
	uint8_t *b = good("dmar-synth.bin", &len);
	int calls = 0;

	(void)state;
	/* DRHD #1 has INCLUDE_PCI_ALL on segment 0: everything there. */
	assert_int_equal(dmar_covers(b, len, 0, 5, 1, 2, NULL, NULL),
			 FW_COVERED);
	assert_int_equal(dmar_covers(b, len, 1, 0, 2, 0, NULL, NULL),
			 FW_NOT_COVERED);
	/* Clear INCLUDE_PCI_ALL (DRHD #1 flags @ 48+32+4): only scopes. */
	assert_int_equal(b[48 + 32 + 4], DMAR_DRHD_INCLUDE_PCI_ALL);
	b[48 + 32 + 4] = 0;
	fix_checksum(b, len);
	assert_int_equal(dmar_covers(b, len, 0, 0, 2, 0, NULL, NULL),
			 FW_COVERED);          /* endpoint 00:02.0 */
	assert_int_equal(dmar_covers(b, len, 0, 0, 2, 1, NULL, NULL),
			 FW_NOT_COVERED);
	assert_int_equal(dmar_covers(b, len, 0, 0, 0x1c, 0, NULL, NULL),
			 FW_COVERED);          /* the bridge itself */
	assert_int_equal(dmar_covers(b, len, 0, 3, 0, 0, NULL, NULL),
			 FW_NOT_COVERED);      /* needs bus numbers */
	assert_int_equal(dmar_covers(b, len, 0, 3, 0, 0, bridges, &calls),
			 FW_COVERED);          /* below 00:1c.0 */
	assert_true(calls > 0);
	assert_int_equal(dmar_covers(b, len, 0, 4, 0, 0, bridges, &calls),
			 FW_NOT_COVERED);
	/* RMRR/SATC scopes (00:14.0) are not DRHD coverage. */
	assert_int_equal(dmar_covers(b, len, 0, 0, 0x14, 0, bridges, &calls),
			 FW_NOT_COVERED);
	free(b);
}

/* Two-hop endpoint path: start bus 0, 00:1c.0 -> bus 2, then 02:00.0. */
static void test_dmar_multihop(void **state)
{
	uint8_t t[48 + 16 + 10] = { 'D', 'M', 'A', 'R' };
	int calls = 0;

	(void)state;
	t[4] = sizeof(t);
	t[8] = 1;
	t[36] = 38;
	t[37] = 5;
	t[48] = 0; t[50] = 26;           /* DRHD, Length 26 */
	t[56] = 0x00; t[57] = 0x10; t[58] = 0xd9; t[59] = 0xfe;
	t[64] = 1; t[65] = 10;           /* endpoint scope, 2 hops */
	t[69] = 0;                       /* start bus */
	t[70] = 0x1c; t[71] = 0; t[72] = 0; t[73] = 0;
	fix_checksum(t, sizeof(t));
	assert_int_equal(dmar_covers(t, sizeof(t), 0, 2, 0, 0, bridges,
				     &calls), FW_COVERED);
	assert_int_equal(dmar_covers(t, sizeof(t), 0, 2, 0, 0, NULL, NULL),
			 FW_NOT_COVERED);
	assert_int_equal(dmar_covers(t, sizeof(t), 0, 0, 0x1c, 0, bridges,
				     &calls), FW_NOT_COVERED);
}

static void test_ivrs_coverage(void **state)
{
	size_t len;
	uint8_t *b = good("ivrs-synth.bin", &len);

	(void)state;
	assert_int_equal(ivrs_covers(b, len, 0, 0x0002), FW_IS_IOMMU);
	assert_int_equal(ivrs_covers(b, len, 0, 0x0000), FW_COVERED); /* SELECT */
	assert_int_equal(ivrs_covers(b, len, 0, ivrs_devid(0, 1, 0)),
			 FW_COVERED);                       /* START */
	assert_int_equal(ivrs_covers(b, len, 0, ivrs_devid(0, 0x1f, 6)),
			 FW_COVERED);                       /* END */
	assert_int_equal(ivrs_covers(b, len, 0, ivrs_devid(0, 0x1f, 7)),
			 FW_NOT_COVERED);
	assert_int_equal(ivrs_covers(b, len, 0, 0x0100), FW_COVERED); /* ALIAS */
	assert_int_equal(ivrs_covers(b, len, 0, 0x0200), FW_COVERED); /* EXT */
	assert_int_equal(ivrs_covers(b, len, 0, 0x0300), FW_NOT_COVERED);
	assert_int_equal(ivrs_covers(b, len, 1, 0x1234), FW_COVERED); /* ALL */
	assert_int_equal(ivrs_covers(b, len, 2, 0x1234), FW_NOT_COVERED);
	assert_int_equal(ivrs_devid(3, 0x1f, 7), 0x03ff);
	free(b);
}

/*
 * The bases from QEMU (good/SOURCES.txt): its intel-iommu DMAR lists
 * endpoint scopes instead of INCLUDE_PCI_ALL, its amd-iommu IVRS SELECT
 * entries; the IOMMU itself is 00:01.0.
 */
static void test_qemu_coverage(void **state)
{
	size_t len;
	uint8_t *b = good("dmar.bin", &len);
	struct dmar d;

	(void)state;
	assert_int_equal(dmar_parse(b, len, &d, NULL), 0);
	if (d.n_include_all == 0) {     /* a QEMU capture, not the synth */
		assert_int_equal(dmar_covers(b, len, 0, 0, 0x1f, 2, NULL, NULL),
				 FW_COVERED);
		assert_int_equal(dmar_covers(b, len, 0, 0, 0x1f, 1, NULL, NULL),
				 FW_NOT_COVERED);
	}
	free(b);
	b = good("ivrs.bin", &len);
	{
		struct ivrs v;

		assert_int_equal(ivrs_parse(b, len, &v, NULL), 0);
		assert_true(v.n_ivhd >= 1);
		if (v.n_ivhd == 1) {
			assert_int_equal(ivrs_covers(b, len, 0, 0x0008),
					 FW_IS_IOMMU);
			assert_int_equal(ivrs_covers(b, len, 0,
						     ivrs_devid(0, 0x1f, 0)),
					 FW_COVERED);
			assert_int_equal(ivrs_covers(b, len, 0,
						     ivrs_devid(0, 2, 0)),
					 FW_NOT_COVERED);
		}
	}
	free(b);
}

static void test_broken_coverage_tables(void **state)
{
	static const char *const ivrs_bad[] = {
		"broken/IVRS-E1.bin", "broken/IVRS-E3.bin", "broken/IVRS-E4.bin",
		"broken/IVRS-B2.bin", "broken/IVRS-B3.bin", "broken/IVRS-E5.bin",
	};
	size_t i, len;

	(void)state;
	for (i = 0; i < VBS_ARRAY_SIZE(ivrs_bad); i++) {
		uint8_t *b = load_fixture(ivrs_bad[i], &len);
		uint8_t *e;
		unsigned d;

		assert_non_null(b);
		e = exact_copy(b, len);
		for (d = 0; d < 0x400; d += 7)
			assert_true(ivrs_covers(e, len, 0, (uint16_t)d) >= 0);
		free(e);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_shortened),
		cmocka_unit_test(test_oversized_buffer_uses_length),
		cmocka_unit_test(test_lying_length_and_checksum),
		cmocka_unit_test(test_good_decodes),
		cmocka_unit_test(test_wsmt_verdicts),
		cmocka_unit_test(test_zero_length_structures),
		cmocka_unit_test(test_dmar_coverage),
		cmocka_unit_test(test_dmar_multihop),
		cmocka_unit_test(test_ivrs_coverage),
		cmocka_unit_test(test_qemu_coverage),
		cmocka_unit_test(test_broken_coverage_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
