/* SPDX-License-Identifier: MIT */
/*
 * TPM2 ACPI table [E-TPM2, L-T3; TCG ACPI Specification §8.3 "ACPI Table
 * for TPM 2.0"]. Used by readiness R4 for classification only.
 *
 * Rules (besides ACPI-H1..H4):
 *   TPM2-H1 fail  Length < 52 (no StartMethod)
 *   TPM2-H2 warn  Revision not 3 or 4
 *   TPM2-P1 warn  PlatformClass not 0 (client) or 1 (server)
 *   TPM2-S1 warn  StartMethod unknown or reserved
 *   TPM2-S2 fail  ControlArea address zero for a CRB start method
 *   TPM2-L1 warn  exactly one of LAML / LASA is zero
 *   TPM2-L2 fail  LASA + LAML wraps the 64-bit address space
 *   TPM2-L3 warn  Length between 52 and 76 but not 52/56/64: a truncated
 *                 StartMethodParameters / log-area trailer
 */
#ifndef VBS_LIB_FW_TPM2_H
#define VBS_LIB_FW_TPM2_H

#include "fw/acpi.h"

#define TPM2_MIN_LEN 52u
#define TPM2_LOG_LEN 76u     /* rev-4 trailer: params[12], LAML, LASA */

#define TPM2_START_ACPI 2u
#define TPM2_START_TIS 6u    /* MMIO / FIFO (TIS) */
#define TPM2_START_CRB 7u
#define TPM2_START_CRB_ACPI 8u
#define TPM2_START_CRB_SMC 11u
#define TPM2_START_PLUTON 13u
#define TPM2_START_CRB_FFA 15u

struct tpm2 {
	struct acpi_hdr hdr;
	uint16_t platform_class;  /* @36 */
	uint32_t flags32;         /* older view: Flags u32 @36 */
	uint64_t control_area;    /* @40 */
	uint32_t start_method;    /* @48 */
	const char *start_method_name; /* "crb", "tis", ... or "unknown" */
	bool crb;                 /* start method uses a CRB control area */
	uint32_t params_len;      /* bytes of StartMethodParameters present */
	bool has_log;             /* LAML/LASA present (Length >= 76) */
	uint32_t laml;            /* Log Area Minimum Length @64 */
	uint64_t lasa;            /* Log Area Start Address @68 */
};

/* Name of a StartMethod value (static string, "unknown" if not known). */
const char *tpm2_start_method_name(uint32_t start_method);

/* Returns 0 when the fields were decoded, FW_EBADF when not. */
int tpm2_parse(const uint8_t *buf, size_t len, struct tpm2 *out,
	       struct fw_report *r);

#endif
