/* SPDX-License-Identifier: MIT */
/*
 * A structural check of a PE/COFF image before the loader hands it to the
 * firmware's LoadImage: so that a truncated or corrupt kernel on the ESP is
 * reported as exactly that, with sizes, instead of whatever status the
 * firmware's loader happens to return (OVMF answers a truncated image with
 * EFI_ACCESS_DENIED, which reads like a Secure Boot refusal).
 *
 * Only what can be judged from the bytes: headers and every section's raw
 * data lie inside the file, the machine is x86-64 and the optional header
 * is PE32+. Signatures are the firmware's business.
 */
#ifndef VBS_LIB_BOOT_PE_H
#define VBS_LIB_BOOT_PE_H

#include "base/base.h"

enum vbs_pe_error {
	VBS_PE_OK = 0,
	VBS_PE_NO_MZ,        /* no "MZ" DOS header */
	VBS_PE_NO_PE,        /* e_lfanew outside the file or no "PE\0\0" */
	VBS_PE_MACHINE,      /* COFF Machine is not AMD64 (0x8664) */
	VBS_PE_OPTHDR,       /* optional header missing, short or not PE32+ */
	VBS_PE_HEADERS_TRUNC, /* section table/SizeOfHeaders past the end */
	VBS_PE_SECTION_TRUNC, /* a section's raw data ends past the end */
};

struct vbs_pe_result {
	enum vbs_pe_error error;
	uint32_t section;    /* VBS_PE_SECTION_TRUNC: its index */
	uint64_t needed;     /* bytes the image claims (truncation errors) */
	uint64_t have;       /* bytes in the file */
};

/* Check len bytes; 0 when the image is structurally whole, else -1. */
int vbs_pe_check(const uint8_t *buf, size_t len, struct vbs_pe_result *out);

/* A short static description of an error ("" for VBS_PE_OK). */
const char *vbs_pe_error_msg(enum vbs_pe_error e);

#endif
