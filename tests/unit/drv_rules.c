// SPDX-License-Identifier: MIT
/*
 * vbs-drvcheck rules against fixtures built by gcc and mingw-w64 in
 * tests/unit/drv.mk: each rule triggered by its own fixture (a few of
 * them edited here where no toolchain writes the field: a section type,
 * flag or link), the clean fixtures pass, and every truncation or byte
 * corruption of a fixture is either analysed or rejected with a message,
 * never a crash (ASan/UBSan).
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
#include "fmt/elf.h"

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

/* The buffer must analyse and have exactly the wanted ids. */
static void expect_buf(const char *name, const uint8_t *buf, size_t len,
		       const char *const *ids, size_t nids)
{
	size_t i;

	assert_int_equal(drv_analyze(buf, len, &res), 0);
	for (i = 0; i < nids; i++)
		if (!drv_has(&res, ids[i]))
			fail_msg("%s: expected %s", name, ids[i]);
	if (res.count != nids) {
		for (i = 0; i < res.count; i++)
			print_error("%s: %s %s\n", name, res.findings[i].id,
				    res.findings[i].detail);
		fail_msg("%s: %zu findings, expected %zu", name, res.count, nids);
	}
}

/* Analyse a fixture; it must be valid and have exactly the wanted ids. */
static void expect(const char *name, const char *const *ids, size_t nids)
{
	struct blob b = load(name);

	expect_buf(name, b.buf, b.len, ids, nids);
	free(b.buf);
}

#define EXPECT(name, ...)                                                   \
	do {                                                                \
		static const char *const ids_[] = { __VA_ARGS__ };          \
		expect(name, ids_, sizeof(ids_) / sizeof(ids_[0]));         \
	} while (0)

#define EXPECT_BUF(name, buf, len, ...)                                     \
	do {                                                                \
		static const char *const ids_[] = { __VA_ARGS__ };          \
		expect_buf(name, buf, len, ids_,                            \
			   sizeof(ids_) / sizeof(ids_[0]));                 \
	} while (0)

/* The finding with this id (the first one). */
static const struct drv_finding *finding(const char *id)
{
	size_t i;

	for (i = 0; i < res.count; i++)
		if (strcmp(res.findings[i].id, id) == 0)
			return &res.findings[i];
	fail_msg("no %s finding", id);
	return NULL;
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	size_t i;

	for (i = 0; i < 4; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put32(p, off, (uint32_t)v);
	put32(p, off + 4, (uint32_t)(v >> 32));
}

/* ELF: the index of a named section, and the file offset of its header. */
static uint32_t elf_section(const struct blob *b, const char *name)
{
	struct vbs_elf e;
	uint32_t i;

	assert_int_equal(vbs_elf_open(&e, b->buf, b->len), VBS_ELF_OK);
	for (i = 0; i < e.shnum; i++)
		if (strcmp(vbs_elf_section_name(&e, i), name) == 0)
			return i;
	fail_msg("no section %s", name);
	return 0;
}

static size_t elf_shdr_off(const struct blob *b, uint32_t idx)
{
	struct vbs_elf e;

	assert_int_equal(vbs_elf_open(&e, b->buf, b->len), VBS_ELF_OK);
	return (size_t)e.shoff + (size_t)idx * 64;
}

static struct vbs_elf_shdr elf_shdr(const struct blob *b, uint32_t idx)
{
	struct vbs_elf e;
	struct vbs_elf_shdr sh;

	assert_int_equal(vbs_elf_open(&e, b->buf, b->len), VBS_ELF_OK);
	assert_int_equal(vbs_elf_shdr(&e, idx, &sh), VBS_ELF_OK);
	return sh;
}

/* PE: the file offset of a named section's header. */
static size_t pe_section_hdr(const struct blob *b, const char *name)
{
	size_t lfanew = b->buf[0x3c] | (size_t)b->buf[0x3d] << 8;
	size_t nsect = b->buf[lfanew + 6] | (size_t)b->buf[lfanew + 7] << 8;
	size_t optlen = b->buf[lfanew + 20] | (size_t)b->buf[lfanew + 21] << 8;
	size_t i, sh;

	for (i = 0; i < nsect; i++) {
		sh = lfanew + 24 + optlen + i * 40;
		if (strncmp((const char *)b->buf + sh, name, 8) == 0)
			return sh;
	}
	fail_msg("no PE section %s", name);
	return 0;
}

/* gcc-built objects are unsigned: ELF-SIG is expected on each. */
static void elf_clean(void **s) { (void)s; EXPECT("elf_clean.o", "ELF-SIG"); }
static void elf_wx(void **s) { (void)s; EXPECT("elf_wx.o", "ELF-WX", "ELF-SIG"); }
static void elf_setx(void **s) { (void)s; EXPECT("elf_setx.o", "ELF-XMEM", "ELF-SIG"); }
static void elf_module_alloc(void **s)
{
	(void)s;
	EXPECT("elf_module_alloc.o", "ELF-XMEM", "ELF-SIG");
}
/* Protections at the call site: 0x163 (no NX) fails, NX passes, a parameter warns. */
static void elf_vmalloc(void **s)
{
	(void)s;
	EXPECT("elf_vmalloc.o", "ELF-VMALLOC-PROT", "ELF-SIG");
	assert_int_equal(finding("ELF-VMALLOC-PROT")->severity, DRV_FAIL);
	assert_non_null(strstr(finding("ELF-VMALLOC-PROT")->detail,
			       "__vmalloc_node_range at .text+0x"));
	assert_non_null(strstr(finding("ELF-VMALLOC-PROT")->detail,
			       "prot 0x163 (argument 6)"));
}
static void elf_vmalloc_nx(void **s) { (void)s; EXPECT("elf_vmalloc_nx.o", "ELF-SIG"); }
static void elf_vmalloc_var(void **s)
{
	(void)s;
	EXPECT("elf_vmalloc_var.o", "ELF-VMALLOC-PROT", "ELF-SIG");
	assert_int_equal(finding("ELF-VMALLOC-PROT")->severity, DRV_WARN);
	assert_non_null(strstr(finding("ELF-VMALLOC-PROT")->detail,
			       "vmap at .text+0x"));
}
/* The import alone, with no call found (here: the call's relocation removed). */
static void elf_vmalloc_nocall(void **s)
{
	struct blob b = load("elf_vmalloc.o");
	uint32_t rela = elf_section(&b, ".rela.text");

	(void)s;
	/* sh_info 0: the relocations no longer apply to .text. */
	put32(b.buf, elf_shdr_off(&b, rela) + 44, 0);
	EXPECT_BUF("elf_vmalloc.o, no call", b.buf, b.len, "ELF-VMALLOC-PROT",
		   "ELF-SIG");
	assert_non_null(strstr(finding("ELF-VMALLOC-PROT")->detail,
			       "no direct call"));
	free(b.buf);
}
static void elf_memrw(void **s) { (void)s; EXPECT("elf_memrw.o", "ELF-MEMRW", "ELF-SIG"); }
static void elf_textpoke(void **s)
{
	(void)s;
	EXPECT("elf_textpoke.o", "ELF-TEXTPOKE", "ELF-SIG");
}
/* Relocations the x86-64 module loader refuses (gcc-built). */
static void elf_gotpcrel(void **s)
{
	(void)s;
	EXPECT("elf_gotpcrel.o", "ELF-RELOC-TYPE", "ELF-SIG");
	assert_non_null(strstr(finding("ELF-RELOC-TYPE")->detail,
			       "R_X86_64_REX_GOTPCRELX (42)"));
}
static void elf_abs32(void **s)
{
	(void)s;
	EXPECT("elf_abs32.o", "ELF-RELOC-RANGE", "ELF-SIG");
	assert_int_equal(finding("ELF-RELOC-RANGE")->severity, DRV_FAIL);
}

/* An SHT_REL section for .text: refused on x86-64. */
static void elf_rel_section(void **s)
{
	struct blob b = load("elf_clean.o");
	uint32_t rela = elf_section(&b, ".rela.text");

	(void)s;
	put32(b.buf, elf_shdr_off(&b, rela) + 4, 9); /* SHT_REL */
	EXPECT_BUF("elf_clean.o, SHT_REL", b.buf, b.len, "ELF-RELOC-REL",
		   "ELF-SIG");
	free(b.buf);
}

/* Malformed entries: bytes not zero, past the section, bad symbol index. */
static void elf_reloc_bad(void **s)
{
	static const char *const why[] = { "not zero", "past the end",
					   "symbol index" };
	size_t k;

	(void)s;
	for (k = 0; k < 3; k++) {
		struct blob b = load("elf_clean.o");
		uint32_t rela = elf_section(&b, ".rela.text");
		struct vbs_elf_shdr rsh = elf_shdr(&b, rela);
		struct vbs_elf_shdr text = elf_shdr(&b, rsh.info);
		uint64_t at = 0;
		size_t i;

		assert_true(rsh.size >= 24);
		for (i = 0; i < 8; i++)
			at |= (uint64_t)b.buf[rsh.offset + i] << (8 * i);
		if (k == 0)
			b.buf[text.offset + at] = 0x01;
		else if (k == 1)
			put64(b.buf, rsh.offset, text.size);
		else
			put32(b.buf, rsh.offset + 12, 0xffffff);
		EXPECT_BUF("elf_clean.o, broken relocation", b.buf, b.len,
			   "ELF-RELOC-BAD", "ELF-SIG");
		assert_non_null(strstr(finding("ELF-RELOC-BAD")->detail, why[k]));
		free(b.buf);
	}
}

/*
 * Livepatch relocation sections (made by gas, sh_info and sh_link set
 * here): the one for a module object is applied late, the vmlinux one
 * at load.
 */
static void elf_livepatch(void **s)
{
	struct blob b = load("elf_klp.o");
	uint32_t text = elf_section(&b, ".text");
	uint32_t symtab = elf_section(&b, ".symtab");
	uint32_t late = elf_section(&b, ".klp.rela.nf_conntrack..text");
	uint32_t early = elf_section(&b, ".klp.rela.vmlinux..text");

	(void)s;
	/* As assembled they target section 0, which the kernel skips. */
	EXPECT_BUF("elf_klp.o", b.buf, b.len, "ELF-SIG");
	put32(b.buf, elf_shdr_off(&b, early) + 40, symtab);
	put32(b.buf, elf_shdr_off(&b, early) + 44, text);
	EXPECT_BUF("elf_klp.o, vmlinux", b.buf, b.len, "ELF-SIG");
	put32(b.buf, elf_shdr_off(&b, late) + 40, symtab);
	put32(b.buf, elf_shdr_off(&b, late) + 44, text);
	EXPECT_BUF("elf_klp.o, module", b.buf, b.len, "ELF-RELOC-LATE",
		   "ELF-SIG");
	assert_non_null(strstr(finding("ELF-RELOC-LATE")->detail, "nf_conntrack"));
	free(b.buf);
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
	assert_non_null(strstr(res.findings[0].detail,
			       "ExAllocatePoolWithTag at RVA 0x"));
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
/* ExAllocatePool2/3 flags at the call: NON_PAGED_EXECUTE fails, NON_PAGED and PAGED pass. */
static void pe_pool2(void **s)
{
	(void)s;
	EXPECT("pe_pool2.sys", "PE-XPOOL");
	assert_non_null(strstr(finding("PE-XPOOL")->detail,
			       "ExAllocatePool2 at RVA 0x"));
	assert_non_null(strstr(finding("PE-XPOOL")->detail,
			       "POOL_FLAG_NON_PAGED_EXECUTE"));
}
static void pe_pool2nx(void **s)
{
	struct blob b = load("pe_pool2nx.sys");

	(void)s;
	assert_int_equal(drv_analyze(b.buf, b.len, &res), 0);
	assert_int_equal(res.count, 0);
	free(b.buf);
}

/* Base relocations: HIGHLOW refused, DIR64 in code noted, none at all refused. */
static void pe_reloc32(void **s)
{
	(void)s;
	EXPECT("pe_reloc32.sys", "PE-RELOC-TYPE");
	assert_non_null(strstr(finding("PE-RELOC-TYPE")->detail, "HIGHLOW"));
}
static void pe_relocx(void **s)
{
	(void)s;
	EXPECT("pe_relocx.sys", "PE-RELOC-X");
	assert_int_equal(finding("PE-RELOC-X")->severity, DRV_NOTE);
	assert_non_null(strstr(finding("PE-RELOC-X")->detail, "'.text'"));
}
static void pe_stripped(void **s)
{
	(void)s;
	/* ld's --disable-reloc-section also drops DYNAMIC_BASE. */
	EXPECT("pe_stripped.sys", "PE-RELOC-STRIPPED", "PE-DYNBASE");
}
static void pe_nodynbase(void **s)
{
	(void)s;
	EXPECT("pe_nodynbase.sys", "PE-DYNBASE");
	assert_int_equal(finding("PE-DYNBASE")->severity, DRV_NOTE);
}
/* A malformed block (its size past the directory) is refused. */
static void pe_reloc_bad(void **s)
{
	struct blob b = load("pe_relocx.sys");
	size_t sh = pe_section_hdr(&b, ".reloc");
	size_t raw = b.buf[sh + 20] | (size_t)b.buf[sh + 21] << 8 |
		     (size_t)b.buf[sh + 22] << 16 | (size_t)b.buf[sh + 23] << 24;

	(void)s;
	put32(b.buf, raw + 4, 0x10000); /* the first block's SizeOfBlock */
	EXPECT_BUF("pe_relocx.sys, broken .reloc", b.buf, b.len, "PE-RELOC-BAD");
	free(b.buf);
}
/* The section holding the IAT made read-execute (Driver Verifier 0x2005). */
static void pe_iat_x(void **s)
{
	struct blob b = load("pe_nxpool.sys");
	size_t sh = pe_section_hdr(&b, ".idata");

	(void)s;
	put32(b.buf, sh + 36, 0x60000020); /* CODE | EXECUTE | READ */
	EXPECT_BUF("pe_nxpool.sys, IAT in code", b.buf, b.len, "PE-IAT-X");
	free(b.buf);
}

/*
 * A section name of escape and non-ASCII bytes is quoted as printable
 * ASCII: no terminal escape in the text output, valid UTF-8 in --json.
 */
static void pe_hostile_name(void **s)
{
	static const uint8_t name[8] = { 0x1b, '[', '2', 'J', 0xff, 0xfe, 0x01, 'x' };
	struct blob b = load("pe_wx.sys");
	size_t sh = pe_section_hdr(&b, ".wxtext");
	const char *d;

	(void)s;
	memcpy(b.buf + sh, name, sizeof(name));
	EXPECT_BUF("pe_wx.sys, hostile section name", b.buf, b.len, "PE-WX");
	d = finding("PE-WX")->detail;
	assert_non_null(strstr(d, "'?[2J???x'"));
	for (; *d; d++)
		assert_true(*d >= 0x20 && *d <= 0x7e);
	free(b.buf);
}

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

static void truncated_elf(void **s)
{
	(void)s;
	truncations("elf_setx.o");
	truncations("elf_vmalloc_nx.o"); /* relocations and the call-site sweep */
}
static void truncated_pe(void **s)
{
	(void)s;
	truncations("pe_xpool.sys");
	truncations("pe_relocx.sys");
}

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

static void corrupt_elf(void **s)
{
	(void)s;
	corruptions("elf_wx.o", 1u << 16);
	corruptions("elf_vmalloc_nx.o", 1u << 16);
}
static void corrupt_pe(void **s)
{
	(void)s;
	corruptions("pe_xmap.sys", 1u << 16);
	corruptions("pe_relocx.sys", 1u << 16);
}
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
		cmocka_unit_test(elf_vmalloc_nx),
		cmocka_unit_test(elf_vmalloc_var),
		cmocka_unit_test(elf_vmalloc_nocall),
		cmocka_unit_test(elf_gotpcrel),
		cmocka_unit_test(elf_abs32),
		cmocka_unit_test(elf_rel_section),
		cmocka_unit_test(elf_reloc_bad),
		cmocka_unit_test(elf_livepatch),
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
		cmocka_unit_test(pe_pool2),
		cmocka_unit_test(pe_pool2nx),
		cmocka_unit_test(pe_reloc32),
		cmocka_unit_test(pe_relocx),
		cmocka_unit_test(pe_stripped),
		cmocka_unit_test(pe_nodynbase),
		cmocka_unit_test(pe_reloc_bad),
		cmocka_unit_test(pe_iat_x),
		cmocka_unit_test(pe_hostile_name),
		cmocka_unit_test(not_a_driver),
		cmocka_unit_test(truncated_elf),
		cmocka_unit_test(truncated_pe),
		cmocka_unit_test(corrupt_elf),
		cmocka_unit_test(corrupt_pe),
		cmocka_unit_test(corrupt_pe_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
