// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck rules against fixtures built by gcc and GNU ld in
 * tests/unit/drv.mk: each rule triggered by its own fixture, the clean
 * fixtures pass, and every truncation or byte corruption of a fixture is
 * either analysed or rejected with a message, never a crash (ASan/UBSan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "analyze.h"

struct blob {
	uint8_t *buf;
	size_t len;
};

static struct blob load(const char *name)
{
	char path[512];
	struct blob b = { NULL, 0 };
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", DRV_FIXTURES, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("fixture %s missing (built by tests/unit/drv.mk)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(n > 0);
	b.len = (size_t)n;
	b.buf = malloc(b.len);
	assert_non_null(b.buf);
	assert_int_equal(fread(b.buf, 1, b.len, f), b.len);
	fclose(f);
	return b;
}

static struct drv_result res;

/* Analyse a fixture; it must be valid and have exactly the wanted ids. */
static void expect(const char *name, const char *const *ids, size_t nids)
{
	struct blob b = load(name);
	size_t i;

	assert_int_equal(drv_analyze(b.buf, b.len, &res), 0);
	for (i = 0; i < nids; i++)
		if (!drv_has(&res, ids[i]))
			fail_msg("%s: expected %s", name, ids[i]);
	if (res.count != nids) {
		for (i = 0; i < res.count; i++)
			print_error("%s: %s %s\n", name, res.findings[i].id,
				    res.findings[i].detail);
		fail_msg("%s: %zu findings, expected %zu", name, res.count, nids);
	}
	free(b.buf);
}

#define EXPECT(name, ...)                                                   \
	do {                                                                \
		static const char *const ids_[] = { __VA_ARGS__ };          \
		expect(name, ids_, sizeof(ids_) / sizeof(ids_[0]));         \
	} while (0)

/* gcc-built objects are unsigned: ELF-SIG is expected on each. */
static void elf_clean(void **s) { (void)s; EXPECT("elf_clean.o", "ELF-SIG"); }
static void elf_wx(void **s) { (void)s; EXPECT("elf_wx.o", "ELF-WX", "ELF-SIG"); }
static void elf_setx(void **s) { (void)s; EXPECT("elf_setx.o", "ELF-XMEM", "ELF-SIG"); }
static void elf_module_alloc(void **s)
{
	(void)s;
	EXPECT("elf_module_alloc.o", "ELF-XMEM", "ELF-SIG");
}
static void elf_vmalloc(void **s)
{
	(void)s;
	EXPECT("elf_vmalloc.o", "ELF-VMALLOC-PROT", "ELF-SIG");
}
static void elf_memrw(void **s) { (void)s; EXPECT("elf_memrw.o", "ELF-MEMRW", "ELF-SIG"); }
static void elf_textpoke(void **s)
{
	(void)s;
	EXPECT("elf_textpoke.o", "ELF-TEXTPOKE", "ELF-SIG");
}
static void elf_nosym(void **s) { (void)s; EXPECT("elf_nosym.o", "ELF-NOSYMTAB", "ELF-SIG"); }

/* A well-formed signature trailer removes ELF-SIG (not verified yet). */
static void elf_signed_trailer(void **s)
{
	static const char magic[] = "~Module signature appended~\n";
	struct blob b = load("elf_clean.o");
	size_t sig = 8, len = b.len + sig + 12 + sizeof(magic) - 1;
	uint8_t *buf = calloc(1, len);

	(void)s;
	assert_non_null(buf);
	memcpy(buf, b.buf, b.len);
	buf[b.len + sig + 11] = (uint8_t)sig; /* big-endian sig_len */
	memcpy(buf + b.len + sig + 12, magic, sizeof(magic) - 1);
	assert_int_equal(drv_analyze(buf, len, &res), 0);
	assert_int_equal(res.count, 0);
	/* A trailer whose length exceeds the file is itself a finding. */
	buf[b.len + sig + 8] = 0xff;
	assert_int_equal(drv_analyze(buf, len, &res), 0);
	assert_true(drv_has(&res, "ELF-SIG-BAD"));
	free(buf);
	free(b.buf);
}

static void elf_not_relocatable(void **s)
{
	struct blob b = load("elf_dyn.so");

	(void)s;
	assert_int_equal(drv_analyze(b.buf, b.len, &res), -1);
	assert_non_null(strstr(res.error, "relocatable"));
	free(b.buf);
}

static void pe_clean(void **s)
{
	struct blob b = load("pe_clean.sys");

	(void)s;
	assert_int_equal(drv_analyze(b.buf, b.len, &res), 0);
	assert_int_equal(res.format, DRV_FMT_PE);
	assert_int_equal(res.count, 0);
	free(b.buf);
}
static void pe_align(void **s) { (void)s; EXPECT("pe_align.sys", "PE-ALIGN", "PE-XALIGN"); }
static void pe_nonx(void **s) { (void)s; EXPECT("pe_nonx.sys", "PE-NXCOMPAT"); }
static void pe_wx(void **s) { (void)s; EXPECT("pe_wx.sys", "PE-WX"); }
/* Pool type at each call site (Capstone): NonPagedPool fails, Nx passes. */
static void pe_xpool(void **s)
{
	(void)s;
	EXPECT("pe_xpool.sys", "PE-XPOOL");
	assert_int_equal(res.findings[0].severity, DRV_FAIL);
	assert_non_null(strstr(res.findings[0].detail, "pool type 0,"));
}
static void pe_nxpool(void **s)
{
	struct blob b = load("pe_nxpool.sys");

	(void)s;
	assert_int_equal(drv_analyze(b.buf, b.len, &res), 0);
	assert_int_equal(res.count, 0);
	free(b.buf);
}
static void pe_varpool(void **s) { (void)s; EXPECT("pe_varpool.sys", "PE-XPOOL-UNKNOWN"); }
static void pe_xmap(void **s) { (void)s; EXPECT("pe_xmap.sys", "PE-XMAP"); }

static void not_a_driver(void **s)
{
	static const uint8_t text[] = "#!/bin/sh\necho hi\n";

	(void)s;
	assert_int_equal(drv_analyze(text, sizeof(text), &res), -1);
	assert_non_null(res.error);
	assert_int_equal(drv_analyze(text, 0, &res), -1);
}

/* Every prefix: analysed or rejected with a message; the header-less ones rejected. */
static void truncations(const char *name)
{
	struct blob b = load(name);
	size_t n;

	for (n = 0; n < b.len; n++) {
		uint8_t *copy = malloc(n ? n : 1); /* exact size: ASan sees overreads */

		memcpy(copy, b.buf, n);
		if (drv_analyze(copy, n, &res) != 0)
			assert_true(res.error && *res.error);
		else
			assert_true(n >= 64);
		free(copy);
	}
	free(b.buf);
}

static void truncated_elf(void **s) { (void)s; truncations("elf_setx.o"); }
static void truncated_pe(void **s) { (void)s; truncations("pe_xpool.sys"); }

/* Every byte of the headers set to each of a few hostile values. */
static void corruptions(const char *name, size_t limit)
{
	static const uint8_t values[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
	struct blob b = load(name);
	uint8_t *copy = malloc(b.len);
	size_t i, v;

	assert_non_null(copy);
	for (i = 0; i < b.len && i < limit; i++)
		for (v = 0; v < sizeof(values); v++) {
			memcpy(copy, b.buf, b.len);
			copy[i] = values[v];
			if (drv_analyze(copy, b.len, &res) != 0)
				assert_non_null(res.error);
		}
	free(copy);
	free(b.buf);
}

static void corrupt_elf(void **s) { (void)s; corruptions("elf_wx.o", 1u << 16); }
static void corrupt_pe(void **s) { (void)s; corruptions("pe_xmap.sys", 1u << 16); }
/* Headers and the code the disassembler reads (.text is in the first 2 KiB). */
static void corrupt_pe_code(void **s) { (void)s; corruptions("pe_xpool.sys", 0x800); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(elf_clean),
		cmocka_unit_test(elf_wx),
		cmocka_unit_test(elf_setx),
		cmocka_unit_test(elf_module_alloc),
		cmocka_unit_test(elf_vmalloc),
		cmocka_unit_test(elf_memrw),
		cmocka_unit_test(elf_textpoke),
		cmocka_unit_test(elf_nosym),
		cmocka_unit_test(elf_signed_trailer),
		cmocka_unit_test(elf_not_relocatable),
		cmocka_unit_test(pe_clean),
		cmocka_unit_test(pe_align),
		cmocka_unit_test(pe_nonx),
		cmocka_unit_test(pe_wx),
		cmocka_unit_test(pe_xpool),
		cmocka_unit_test(pe_nxpool),
		cmocka_unit_test(pe_varpool),
		cmocka_unit_test(pe_xmap),
		cmocka_unit_test(not_a_driver),
		cmocka_unit_test(truncated_elf),
		cmocka_unit_test(truncated_pe),
		cmocka_unit_test(corrupt_elf),
		cmocka_unit_test(corrupt_pe),
		cmocka_unit_test(corrupt_pe_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
