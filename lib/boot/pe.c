// SPDX-License-Identifier: MIT
/*
 * PE/COFF structural check (lib/boot/pe.h). Offsets: Microsoft PE Format
 * specification, "MS-DOS Stub" (e_lfanew @0x3c), "COFF File Header
 * (Object and Image)", "Optional Header Windows-Specific Fields (Image
 * Only)" (SizeOfHeaders @60 of PE32+), "Section Table (Section Headers)".
 */
#include "boot/pe.h"

#define PE_LFANEW_OFF 0x3cu
#define COFF_HDR_LEN 20u           /* after the 4-byte signature */
#define COFF_MACHINE_AMD64 0x8664u
#define OPT_MAGIC_PE32PLUS 0x20bu
#define OPT_SIZE_OF_HEADERS 60u
#define SECTION_LEN 40u
#define SECTION_RAW_SIZE 16u
#define SECTION_RAW_PTR 20u

static int fail(struct vbs_pe_result *out, enum vbs_pe_error e,
		uint64_t needed)
{
	out->error = e;
	out->needed = needed;
	return -1;
}

/* Every section's raw data [PointerToRawData, +SizeOfRawData) in the file. */
static int check_sections(const uint8_t *buf, size_t len, size_t table,
			  uint32_t count, struct vbs_pe_result *out)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		size_t sh = table + (size_t)i * SECTION_LEN;
		uint32_t size = le32(buf, sh + SECTION_RAW_SIZE);
		uint32_t ptr = le32(buf, sh + SECTION_RAW_PTR);
		uint64_t end = (uint64_t)ptr + size; /* 32+32 bits: no wrap */

		if (size == 0)
			continue; /* uninitialised data (.bss): no file bytes */
		if (end > len) {
			out->section = i;
			return fail(out, VBS_PE_SECTION_TRUNC, end);
		}
	}
	return 0;
}

int vbs_pe_check(const uint8_t *buf, size_t len, struct vbs_pe_result *out)
{
	uint32_t lfanew, nsect, optlen, hdrs;
	uint64_t opt, table, table_end;

	vbs_memset(out, 0, sizeof(*out));
	out->have = len;
	if (!span_ok(len, 0, PE_LFANEW_OFF + 4) || buf[0] != 'M' ||
	    buf[1] != 'Z')
		return fail(out, VBS_PE_NO_MZ, 0);
	lfanew = le32(buf, PE_LFANEW_OFF);
	if (!span_ok(len, lfanew, 4 + COFF_HDR_LEN) ||
	    vbs_memcmp(buf + lfanew, "PE\0\0", 4) != 0)
		return fail(out, VBS_PE_NO_PE,
			    (uint64_t)lfanew + 4 + COFF_HDR_LEN);
	if (le16(buf, lfanew + 4) != COFF_MACHINE_AMD64)
		return fail(out, VBS_PE_MACHINE, 0);
	nsect = le16(buf, lfanew + 6);
	optlen = le16(buf, lfanew + 20);
	opt = (uint64_t)lfanew + 4 + COFF_HDR_LEN;
	if (optlen < OPT_SIZE_OF_HEADERS + 4)
		return fail(out, VBS_PE_OPTHDR, 0);
	table = opt + optlen;
	table_end = table + (uint64_t)nsect * SECTION_LEN;
	if (table_end > len)
		return fail(out, VBS_PE_HEADERS_TRUNC, table_end);
	if (le16(buf, (size_t)opt) != OPT_MAGIC_PE32PLUS)
		return fail(out, VBS_PE_OPTHDR, 0);
	hdrs = le32(buf, (size_t)opt + OPT_SIZE_OF_HEADERS);
	if (hdrs > len)
		return fail(out, VBS_PE_HEADERS_TRUNC, hdrs);
	return check_sections(buf, len, (size_t)table, nsect, out);
}

const char *vbs_pe_error_msg(enum vbs_pe_error e)
{
	switch (e) {
	case VBS_PE_OK:
		return "";
	case VBS_PE_NO_MZ:
		return "not a PE/COFF image (no MZ header)";
	case VBS_PE_NO_PE:
		return "not a PE/COFF image (no PE signature)";
	case VBS_PE_MACHINE:
		return "not an x86-64 image";
	case VBS_PE_OPTHDR:
		return "no PE32+ optional header";
	case VBS_PE_HEADERS_TRUNC:
		return "truncated: the headers end past the end of the file";
	case VBS_PE_SECTION_TRUNC:
		return "truncated: a section ends past the end of the file";
	}
	return "?";
}
