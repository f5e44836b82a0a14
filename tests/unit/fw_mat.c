// SPDX-License-Identifier: MIT
/* lib/fw/mat: the EFI Memory Attributes Table rules of readiness-spec §2.2. */
#include "fw_test.h"
#include "fw/mat.h"

#define RT EFI_MEMORY_RUNTIME
#define RO EFI_MEMORY_RO
#define XP EFI_MEMORY_XP

static uint8_t *good(const char *name, size_t *len)
{
	char rel[64];
	uint8_t *b;

	snprintf(rel, sizeof(rel), "good/%s", name);
	b = load_fixture(rel, len);
	assert_non_null(b);
	return b;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void test_good_table(void **state)
{
	size_t len, n, mlen, mn;
	uint8_t *b = good("mat.bin", &len), *m = good("memmap.bin", &mlen);
	static struct efi_md e[512], map[512];
	struct mat_hdr h;
	struct rep p;
	struct fw_report *r = rep_init(&p);
	size_t i, code = 0;

	(void)state;
	/* good/mat.bin: OVMF's entries as Linux printed them (SOURCES.txt) */
	assert_int_equal(mat_parse(b, len, 48, &h, e, 512, &n, r), 0);
	assert_int_equal(h.version, 1);
	assert_int_equal(h.desc_size, 48);
	assert_int_equal(h.num_entries, n);
	assert_int_equal(len, 16 + 48 * n);
	for (i = 0; i < n; i++) {
		assert_true(e[i].type == EFI_RUNTIME_SERVICES_CODE ||
			    e[i].type == EFI_RUNTIME_SERVICES_DATA);
		assert_true(e[i].attr & RT);
		assert_int_equal(e[i].phys, le64(b, 16 + 48 * i + 8));
		code += e[i].type == EFI_RUNTIME_SERVICES_CODE &&
			(e[i].attr & RO);
	}
	assert_true(code > 0);
	assert_int_equal(efi_memmap_parse(m, mlen, 48, map, 512, &mn), 0);
	assert_true(mn > 0);
	mat_check_entries(e, n, 0, r);
	mat_check_memmap(e, n, map, mn, r);
	assert_int_equal(r->count, 0);
	/* Without a memory map C1/C2 are unknown, not pass or fail. */
	mat_check_memmap(e, n, NULL, 0, r);
	assert_int_equal(r->count, 2);
	assert_int_equal(r->items[0].sev, FW_SEV_UNKNOWN);
	assert_string_equal(r->items[0].rule, "MAT-C1");
	assert_string_equal(r->items[1].rule, "MAT-C2");
	assert_int_equal(fw_report_worst(r), FW_SEV_UNKNOWN);
	/* ENOSPC: the first cap entries are decoded. */
	rep_init(&p);
	assert_int_equal(mat_parse(b, len, 48, &h, e, 3, &n, r), FW_ENOSPC);
	assert_int_equal(n, 3);
	assert_int_equal(mat_parse(b, len, 48, &h, NULL, 0, &n, r), FW_ENOSPC);
	assert_int_equal(mat_parse(b, len, 48, &h, NULL, 5, &n, r), FW_EINVAL);
	free(b);
	free(m);
}

static void test_header_rules(void **state)
{
	size_t len, n, cut;
	uint8_t *b = good("mat.bin", &len);
	static struct efi_md e[512];
	struct mat_hdr h;
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	/* Every truncation is H1 (header) or H3 (entries), never a read past. */
	for (cut = 0; cut < len; cut++) {
		uint8_t *x = exact_copy(b, cut);

		rep_init(&p);
		assert_int_equal(mat_parse(cut ? x : NULL, cut, 0, &h, e, 512,
					   &n, r), FW_EBADF);
		assert_true(rep_has(r, cut < 16 ? "MAT-H1" : "MAT-H3"));
		assert_int_equal(n, 0);
		free(x);
	}
	/* Version 2 with the CFG flag: fine. Version 3: unknown. */
	put32(b, 2);
	put32(b + 12, MAT_FLAG_RT_FORWARD_CONTROL_FLOW_GUARD);
	rep_init(&p);
	assert_int_equal(mat_parse(b, len, 48, &h, e, 512, &n, r), 0);
	assert_int_equal(r->count, 0);
	put32(b + 12, 3);
	assert_int_equal(mat_parse(b, len, 48, &h, e, 512, &n, r), 0);
	assert_true(rep_has(r, "MAT-H4"));
	put32(b, 3);
	rep_init(&p);
	assert_int_equal(mat_parse(b, len, 48, &h, e, 512, &n, r), FW_EBADF);
	assert_int_equal(fw_report_worst(r), FW_SEV_UNKNOWN);
	put32(b, 1);
	put32(b + 12, 0);
	/* DescriptorSize larger than the memory map's stride. */
	rep_init(&p);
	assert_int_equal(mat_parse(b, len, 40, &h, e, 512, &n, r), FW_EBADF);
	assert_true(rep_has(r, "MAT-H2"));
	/* Overflowing N * DescriptorSize, and N over 64 Ki. */
	put32(b + 4, 0xffffffffu);
	rep_init(&p);
	assert_int_equal(mat_parse(b, len, 0, &h, e, 512, &n, r), FW_EBADF);
	assert_true(rep_has(r, "MAT-H3"));
	put32(b + 4, 65536);
	put32(b + 8, 0x10000);
	rep_init(&p);
	assert_int_equal(mat_parse(b, len, 0, &h, e, 512, &n, r), FW_EBADF);
	assert_true(rep_has(r, "MAT-H3"));
	free(b);
}

static void test_entry_rules(void **state)
{
	struct efi_md e[] = {
		{ 5, 0x1000, 0, 1, RT | RO },                 /* ok */
		{ 6, 0x2000, 0, 1, RT | XP },                 /* ok */
		{ 6, 0x3000, 0, 0, RT | XP },                 /* E3: 0 pages */
		{ 6, 0xfffffffffffff000ull, 0, 2, RT | XP },  /* E3: wraps */
		{ 5, 0x5800, 0, 1, RT | RO },                 /* E3: misaligned */
	};
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	mat_check_entries(e, 2, 0, r);
	assert_int_equal(r->count, 0);
	mat_check_entries(e, VBS_ARRAY_SIZE(e), 0, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-E3"), 3);
	assert_int_equal(r->items[0].index, 2);
	assert_int_equal(fw_report_count_rule(r, "MAT-X2"), 1); /* e[4] */
	assert_int_equal(r->count, 4);
	/* arm64 64 KiB pages: 4 KiB-aligned entries are misaligned. */
	rep_init(&p);
	mat_check_entries(e, 2, 0x10000, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-E3"), 2);
	/* A page size that is no power of two is ignored (4 KiB). */
	rep_init(&p);
	mat_check_entries(e, 2, 12345, r);
	assert_int_equal(r->count, 0);
	mat_check_entries(NULL, 3, 0, r);
	assert_int_equal(r->count, 0);
}

/* Overlap is found whether or not the entries are sorted. */
static void test_overlap(void **state)
{
	struct efi_md sorted[] = {
		{ 5, 0x1000, 0, 4, RT | RO }, { 6, 0x4000, 0, 1, RT | XP },
		{ 6, 0x5000, 0, 1, RT | XP },
	};
	struct efi_md unsorted[] = {
		{ 6, 0x9000, 0, 1, RT | XP }, { 5, 0x1000, 0, 2, RT | RO },
		{ 6, 0x8000, 0, 2, RT | XP },
	};
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	mat_check_entries(sorted, 3, 0, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-X1"), 1);
	assert_int_equal(r->items[0].index, 1);
	rep_init(&p);
	mat_check_entries(unsorted, 3, 0, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-X1"), 1);
	assert_int_equal(fw_report_count_rule(r, "MAT-X2"), 1);
}

static void test_cross_check(void **state)
{
	struct efi_md map[] = {
		{ 5, 0x10000, 0, 4, RT }, { 6, 0x14000, 0, 4, RT },
		{ 4, 0x18000, 0, 4, 0 },
	};
	struct efi_md mat[] = {
		{ 5, 0x10000, 0, 2, RT | RO }, { 5, 0x12000, 0, 2, RT | XP },
		{ 6, 0x14000, 0, 4, RT | XP },
	};
	struct rep p;
	struct fw_report *r = rep_init(&p);

	(void)state;
	mat_check_memmap(mat, 3, map, 3, r);
	assert_int_equal(r->count, 0);
	/* An entry spanning two map regions: C1, and not double counted. */
	mat[1].pages = 3;
	mat_check_memmap(mat, 3, map, 3, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-C1"), 1);
	assert_int_equal(r->items[0].index, 1);
	assert_int_equal(fw_report_count_rule(r, "MAT-C2"), 0);
	/* A hole in the code region: C2 with the map index. */
	rep_init(&p);
	mat[1].pages = 1;
	mat_check_memmap(mat, 3, map, 3, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-C2"), 1);
	assert_int_equal(r->items[0].index, 0);
	/* A map region without RUNTIME does not host MAT entries. */
	rep_init(&p);
	mat[1].pages = 2;
	map[1].attr = 0;
	mat_check_memmap(mat, 3, map, 3, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-C1"), 1);
	assert_int_equal(r->items[0].index, 2);
	/* No MAT entries at all against a runtime map: C2 per region. */
	rep_init(&p);
	map[1].attr = RT;
	mat_check_memmap(NULL, 0, map, 3, r);
	assert_int_equal(fw_report_count_rule(r, "MAT-C2"), 2);
}

static void test_memmap_and_decode(void **state)
{
	uint8_t raw[100] = { 0 };
	struct efi_md m[4];
	size_t n;

	(void)state;
	assert_int_equal(efi_md_decode(raw, 39, 0, &m[0]), FW_EBADF);
	assert_int_equal(efi_md_decode(raw, 100, 61, &m[0]), FW_EBADF);
	assert_int_equal(efi_md_decode(raw, 100, 60, &m[0]), 0);
	assert_int_equal(efi_memmap_parse(raw, 100, 32, m, 4, &n), FW_EBADF);
	assert_int_equal(efi_memmap_parse(raw, 100, 48, m, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(efi_memmap_parse(raw, 100, 48, m, 1, &n), FW_ENOSPC);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_table),
		cmocka_unit_test(test_header_rules),
		cmocka_unit_test(test_entry_rules),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_cross_check),
		cmocka_unit_test(test_memmap_and_decode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
