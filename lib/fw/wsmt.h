/* SPDX-License-Identifier: MIT */
/*
 * Windows SMM Security Mitigation Table (WSMT) [E-WSMT], readiness R5.
 *
 * Rules (besides ACPI-H1..H4 for the header):
 *   WSMT-H1 fail  Revision != 1
 *   WSMT-H2 fail  Length < 40 (no ProtectionFlags field)
 *   WSMT-F1 warn  FIXED_COMM_BUFFERS (0x1) clear
 *   WSMT-F2 warn  COMM_BUFFER_NESTED_PTR_PROTECTION (0x2) clear
 *   WSMT-F3 warn  SYSTEM_RESOURCE_PROTECTION (0x4) clear
 *   WSMT-F4 fail  0x2 set without 0x1 (the spec requires 0x1 with 0x2)
 *   WSMT-F5 warn  reserved bits set
 * Verdict: malformed (any fail) -> "not-valid"; (flags & 7) == 7 -> pass;
 * otherwise warn naming the missing bits (wsmt.missing).
 */
#ifndef VBS_LIB_FW_WSMT_H
#define VBS_LIB_FW_WSMT_H

#include "fw/acpi.h"

#define WSMT_LEN 40u
#define WSMT_REVISION 1u
#define WSMT_FIXED_COMM_BUFFERS 0x1u
#define WSMT_COMM_BUFFER_NESTED_PTR_PROTECTION 0x2u
#define WSMT_SYSTEM_RESOURCE_PROTECTION 0x4u
#define WSMT_ALL_PROTECTIONS 0x7u

enum wsmt_verdict {
	WSMT_PASS = 0,       /* (flags & 7) == 7, well formed */
	WSMT_WARN = 1,       /* well formed, some protection bit missing */
	WSMT_NOT_VALID = 2,  /* malformed: header, revision, length, 0x2 w/o 0x1 */
};

struct wsmt {
	struct acpi_hdr hdr;
	uint32_t flags;      /* ProtectionFlags @36 (0 when not readable) */
	uint32_t missing;    /* WSMT_ALL_PROTECTIONS bits not set */
	uint32_t reserved;   /* flags bits outside WSMT_ALL_PROTECTIONS */
	enum wsmt_verdict verdict;
};

/* Returns 0 when parsed (see out->verdict), FW_EBADF when malformed. */
int wsmt_parse(const uint8_t *buf, size_t len, struct wsmt *out,
	       struct fw_report *r);

#endif
