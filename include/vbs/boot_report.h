/* SPDX-License-Identifier: MIT */
/*
 * The loader's readiness report, as handed to the OS.
 *
 * vbsboot.efi evaluates R1-R10 inside the firmware and stores the result in
 * a volatile, runtime-readable UEFI variable
 *
 *     OpenVbsReport-8807564f-ad4b-4220-84e8-9b90123344ae
 *     attributes BOOTSERVICE_ACCESS | RUNTIME_ACCESS (0x6): never written
 *     to flash, gone at the next reset, readable by the OS through
 *     GetVariable (Linux: efivarfs, 4 attribute bytes then these bytes).
 *
 * Layout (version 1), little-endian, fixed width, no pointers:
 *
 *   struct vbs_boot_report_hdr   (64 bytes)
 *   struct vbs_boot_report_check (96 bytes) x check_count
 *
 * A reader must check magic, version, hdr_size, check_size, check_count
 * and total_size against the bytes it actually has; lib/boot/report.c
 * (vbs_boot_report_decode) does exactly that. Strings are NUL-padded and
 * always NUL-terminated inside their field. Documented in docs/boot.md.
 */
#ifndef VBS_BOOT_REPORT_H
#define VBS_BOOT_REPORT_H

#include <stdint.h>

#define VBS_BOOT_REPORT_VAR_NAME "OpenVbsReport"
/* The project's vendor GUID 8807564f-ad4b-4220-84e8-9b90123344ae. */
#define VBS_VENDOR_GUID_INIT \
	{ 0x8807564f, 0xad4b, 0x4220, \
	  { 0x84, 0xe8, 0x9b, 0x90, 0x12, 0x33, 0x44, 0xae } }
#define VBS_VENDOR_GUID_STR "8807564f-ad4b-4220-84e8-9b90123344ae"

#define VBS_BOOT_REPORT_MAGIC "OVBSRPT" /* 7 chars + NUL = 8 bytes */
#define VBS_BOOT_REPORT_VERSION 1u
#define VBS_BOOT_REPORT_MAX_CHECKS 16u

/* Result of one check: the vbs-check vocabulary (readiness-spec §5). */
enum vbs_result {
	VBS_RESULT_PASS = 0,
	VBS_RESULT_FAIL = 1,
	VBS_RESULT_WARN = 2,
	VBS_RESULT_UNKNOWN = 3,
	VBS_RESULT_NOT_APPLICABLE = 4,
	VBS_RESULT_ERROR = 5,
	VBS_RESULT_NOTE = 6, /* pass with an informational remark */
};

enum vbs_profile {
	VBS_PROFILE_OEM = 0,     /* R1-R7, R10 required */
	VBS_PROFILE_MINIMUM = 1, /* R1, R2, R10 required */
};

enum vbs_verdict {
	VBS_VERDICT_READY = 0,
	VBS_VERDICT_NOT_READY = 1,
	VBS_VERDICT_INDETERMINATE = 2,
};

/* Where the policy in force came from (hdr.policy_source). */
enum vbs_policy_source {
	VBS_POLICY_SIGNED = 0,          /* the ESP's policy, signature good */
	VBS_POLICY_DEFAULT_MISSING = 1, /* no policy file: built-in default */
	VBS_POLICY_DEFAULT_UNSIGNED = 2,/* no or unreadable signature file */
	VBS_POLICY_DEFAULT_BAD_SIG = 3, /* signature does not verify */
	VBS_POLICY_DEFAULT_MALFORMED = 4, /* signed but does not parse */
};

/* What the loader did about the verdict (hdr.action). */
enum vbs_boot_action {
	VBS_ACTION_BOOT = 0,             /* verdict ready */
	VBS_ACTION_BOOT_UNPROTECTED = 1, /* not ready, policy says boot anyway */
	VBS_ACTION_HALT = 2,             /* not ready, policy says halt */
};

/* hdr.flags */
#define VBS_REPORT_F_GUEST       0x1u /* CPUID.1:ECX[31]: under a hypervisor */
#define VBS_REPORT_F_SECURE_BOOT 0x2u /* SecureBoot variable == 1 */
#define VBS_REPORT_F_TPM2        0x4u /* EFI_TCG2_PROTOCOL present, TPM 2.0 */
#define VBS_REPORT_F_MEASURED    0x8u /* loaded images measured into PCRs */
#define VBS_REPORT_F_DROPPED     0x10u /* some checks did not fit */
#define VBS_REPORT_F_HYPERVISOR  0x20u /* OpenVBS hypervisor started (boot CPU) */

struct vbs_boot_report_hdr {
	char magic[8];            /* @0  "OVBSRPT\0" */
	uint16_t version;         /* @8  VBS_BOOT_REPORT_VERSION */
	uint16_t hdr_size;        /* @10 sizeof(struct vbs_boot_report_hdr) */
	uint16_t check_size;      /* @12 sizeof(struct vbs_boot_report_check) */
	uint16_t check_count;     /* @14 */
	uint32_t total_size;      /* @16 hdr_size + check_count * check_size */
	uint32_t flags;           /* @20 VBS_REPORT_F_* */
	uint8_t profile;          /* @24 enum vbs_profile */
	uint8_t verdict;          /* @25 enum vbs_verdict */
	uint8_t policy_source;    /* @26 enum vbs_policy_source */
	uint8_t action;           /* @27 enum vbs_boot_action */
	uint32_t reserved0;       /* @28 zero */
	char loader_version[16];  /* @32 e.g. "0.1.0" */
	char hv_vendor[13];       /* @48 CPUID 0x40000000 vendor when guest */
	uint8_t reserved1[3];     /* @61 zero */
};

struct vbs_boot_report_check {
	char id[24];              /* @0  "vbs.cpu.virt", ... */
	char requirement[4];      /* @24 "R1" .. "R10" */
	uint8_t result;           /* @28 enum vbs_result */
	uint8_t required;         /* @29 1 when the profile requires it */
	uint8_t level;            /* @30 fwupd HSI level */
	uint8_t reserved0;        /* @31 zero */
	uint64_t value;           /* @32 the evidence value (flags, count...) */
	char message[56];         /* @40 short hint, as vbs-check prints it */
};

_Static_assert(sizeof(struct vbs_boot_report_hdr) == 64, "report hdr size");
_Static_assert(sizeof(struct vbs_boot_report_check) == 96, "report check size");

#define VBS_BOOT_REPORT_MAX_SIZE \
	(64u + 96u * VBS_BOOT_REPORT_MAX_CHECKS)

#endif
