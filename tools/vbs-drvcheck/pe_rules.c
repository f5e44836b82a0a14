// SPDX-License-Identifier: MIT
/*
 * PE relocation rules (docs/drvcheck.md, PE-RELOC-*, PE-DYNBASE,
 * PE-IAT-X): what the loader must write into the image when it places a
 * driver, and where. Microsoft PE Format: "Characteristics" (COFF file
 * header), "DLL Characteristics", "The .reloc Section (Image Only)" (base
 * relocation blocks: Page RVA, Block Size, then 16-bit entries of type in
 * bits 15:12 and page offset in bits 11:0), "Import Address Table".
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define COFF_CHARACTERISTICS 18u
#define FILE_RELOCS_STRIPPED 0x0001u
#define OPT_IMAGE_BASE 24u
#define OPT_DLL_CHARACTERISTICS 70u
#define DLLCHAR_DYNAMIC_BASE 0x0040u
#define RELOC_BLOCK_HDR 8u
#define REL_BASED_ABSOLUTE 0u
#define REL_BASED_DIR64 10u
#define IMPORT_DESC_LEN 20u
#define IMPORT_FIRST_THUNK 16u
#define MAX_IMPORT_DLLS 4096u

static const char *const reloc_type_names[16] = {
	"ABSOLUTE", "HIGH", "LOW", "HIGHLOW", "HIGHADJ", "type 5",
	"type 6", "type 7", "type 8", "type 9", "DIR64", "type 11",
	"type 12", "type 13", "type 14", "type 15",
};

struct reloc_scan {
	const struct pe_view *pe;
	struct drv_result *res;
	uint32_t *exec_fixups;       /* DIR64 fixups per executable section */
	struct pe_section last;      /* the section of the previous fixup */
	int last_idx;
	uint32_t type_count[16];
	uint32_t type_first[16];     /* RVA of the first fixup of each type */
};

static void header_flags(const struct pe_view *pe, struct drv_result *res)
{
	uint16_t ch = le16(pe->buf, pe->coff + COFF_CHARACTERISTICS);
	uint16_t dll = le16(pe->buf, pe->opt + OPT_DLL_CHARACTERISTICS);

	if (ch & FILE_RELOCS_STRIPPED)
		drv_add(res, "PE-RELOC-STRIPPED", DRV_FAIL,
			"IMAGE_FILE_RELOCS_STRIPPED: the image can only run at its preferred base 0x%llx, but the kernel places every driver where it chooses",
			(unsigned long long)le64(pe->buf, pe->opt + OPT_IMAGE_BASE));
	if (!(dll & DLLCHAR_DYNAMIC_BASE))
		drv_add(res, "PE-DYNBASE", DRV_NOTE,
			"DllCharacteristics 0x%04x lacks IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE (drivers are relocated regardless)",
			dll);
}

/* One fixup of a block: its type tallied, its target inside a section. */
static int fixup(struct reloc_scan *rs, uint32_t page, uint16_t entry)
{
	uint32_t type = entry >> 12, rva;
	uint32_t width = type == REL_BASED_DIR64 ? 8 : 4;

	if (type == REL_BASED_ABSOLUTE)
		return 0; /* padding */
	if (page > UINT32_MAX - (entry & 0xfffu))
		return -1;
	rva = page + (entry & 0xfffu);
	if (!rs->type_count[type]++)
		rs->type_first[type] = rva;
	/* Fixups come in page order: the previous section usually holds it. */
	if (rs->last_idx < 0 || !drv_pe_section_holds(&rs->last, rva, width))
		rs->last_idx = drv_pe_section_at(rs->pe, rva, width, &rs->last);
	if (rs->last_idx < 0)
		return -1;
	if (type == REL_BASED_DIR64 && (rs->last.flags & DRV_SCN_MEM_EXECUTE))
		rs->exec_fixups[rs->last_idx]++;
	return 0;
}

/* Walk the blocks; returns NULL or why the table is malformed. */
static const char *walk_blocks(struct reloc_scan *rs, size_t off,
			       uint32_t size, uint32_t *bad_rva)
{
	const struct pe_view *pe = rs->pe;
	uint32_t done = 0;

	while (size - done >= RELOC_BLOCK_HDR) {
		uint32_t page = le32(pe->buf, off + done);
		uint32_t block = le32(pe->buf, off + done + 4);
		uint32_t k, n;

		*bad_rva = page;
		if (block < RELOC_BLOCK_HDR || block > size - done)
			return "a block's size runs past the relocation directory";
		if (page & 0xfffu)
			return "a block's page RVA is not page aligned";
		n = (block - RELOC_BLOCK_HDR) / 2;
		for (k = 0; k < n; k++) {
			uint16_t e = le16(pe->buf, off + done + RELOC_BLOCK_HDR + 2 * k);

			if (fixup(rs, page, e)) {
				*bad_rva = page + (e & 0xfffu);
				return "a fixup lies outside every section";
			}
		}
		done += block;
	}
	return NULL;
}

static void report_relocs(const struct reloc_scan *rs)
{
	struct pe_section s;
	uint32_t t, i;

	for (t = 1; t < 16; t++) {
		if (!rs->type_count[t] || t == REL_BASED_DIR64)
			continue;
		drv_add(rs->res, "PE-RELOC-TYPE", DRV_FAIL,
			"%u base relocation(s) of type %s, the first at RVA 0x%x: a 32-bit absolute address cannot reach the kernel's address range (x64 takes DIR64 only)",
			rs->type_count[t], reloc_type_names[t], rs->type_first[t]);
	}
	for (i = 0; i < rs->pe->nsect; i++) {
		if (!rs->exec_fixups[i])
			continue;
		drv_pe_section(rs->pe, i, &s);
		drv_add(rs->res, "PE-RELOC-X", DRV_NOTE,
			"%u DIR64 fixup(s) in executable section '%s': written by the loader before the pages become executable",
			rs->exec_fixups[i], s.name);
	}
}

static void base_relocs(const struct pe_view *pe, struct drv_result *res)
{
	struct reloc_scan rs = { .pe = pe, .res = res, .last_idx = -1 };
	struct pe_section s;
	uint32_t rva, size, bad_rva = 0;
	const char *why;
	size_t off;

	drv_pe_dir(pe, DRV_PE_DIR_BASERELOC, &rva, &size);
	if (!size)
		return;
	if (drv_pe_rva_to_off(pe, rva, &off) || !span_ok(pe->len, off, size) ||
	    drv_pe_section_at(pe, rva, size, &s) < 0) {
		drv_add(res, "PE-RELOC-BAD", DRV_FAIL,
			"the base relocation directory (RVA 0x%x, %u bytes) is not inside one section's bytes",
			rva, size);
		return;
	}
	rs.exec_fixups = calloc(pe->nsect ? pe->nsect : 1, sizeof(uint32_t));
	if (!rs.exec_fixups) {
		drv_add(res, "PE-RELOC-BAD", DRV_UNKNOWN,
			"out of memory: base relocations not checked");
		return;
	}
	why = walk_blocks(&rs, off, size, &bad_rva);
	if (why)
		drv_add(res, "PE-RELOC-BAD", DRV_FAIL,
			"malformed base relocations at RVA 0x%x: %s; the loader refuses the image",
			bad_rva, why);
	report_relocs(&rs);
	free(rs.exec_fixups);
}

/* Driver Verifier's code integrity check 0x2005: IAT in an executable section. */
static void iat_in_code(const struct pe_view *pe, uint32_t rva, uint32_t *seen,
			struct drv_result *res)
{
	struct pe_section s;

	if (!rva || drv_pe_section_at(pe, rva, 8, &s) < 0 ||
	    !(s.flags & DRV_SCN_MEM_EXECUTE) || *seen == s.va + 1)
		return;
	*seen = s.va + 1;
	drv_add(res, "PE-IAT-X", DRV_FAIL,
		"the import address table (RVA 0x%x) lies in executable section '%s': the loader writes it, so code pages would have to be writable",
		rva, s.name);
}

static void iat_sections(const struct pe_view *pe, struct drv_result *res)
{
	uint32_t rva, size, i, seen = 0;
	size_t off;

	drv_pe_dir(pe, DRV_PE_DIR_IAT, &rva, &size);
	if (size)
		iat_in_code(pe, rva, &seen, res);
	drv_pe_dir(pe, DRV_PE_DIR_IMPORT, &rva, &size);
	if (!rva)
		return;
	for (i = 0; i < MAX_IMPORT_DLLS; i++) {
		uint64_t at = (uint64_t)rva + (uint64_t)i * IMPORT_DESC_LEN;
		uint32_t lookup, thunk;

		if (at > UINT32_MAX || drv_pe_rva_to_off(pe, (uint32_t)at, &off) ||
		    !span_ok(pe->len, off, IMPORT_DESC_LEN))
			return;
		lookup = le32(pe->buf, off);
		thunk = le32(pe->buf, off + IMPORT_FIRST_THUNK);
		if (!lookup && !thunk)
			return;
		iat_in_code(pe, thunk, &seen, res);
	}
}

void drv_pe_relocs(const struct pe_view *pe, struct drv_result *res)
{
	header_flags(pe, res);
	base_relocs(pe, res);
	iat_sections(pe, res);
}
