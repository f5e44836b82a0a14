/* SPDX-License-Identifier: MIT */
/*
 * The readiness checks R1-R10 (readiness-spec.md §3, §5): one table for
 * every component that judges them (the UEFI loader, lib/boot/evaluate.c;
 * vbs-check, tools/vbs-check/checks.c). Defined in lib/boot/checks.c.
 *
 * The ids are part of the report format: vbs-check's JSON "checks[].id"
 * and the loader's report variable (include/vbs/boot_report.h) carry them,
 * and vbs-check matches the loader's findings to its own by id. Never
 * rename one; add a new row instead.
 */
#ifndef VBS_CHECKS_H
#define VBS_CHECKS_H

#include <stdbool.h>
#include <stdint.h>

/* Row indices of vbs_checks[], in requirement order. */
enum vbs_check_index {
	VBS_CHECK_CPU_VIRT = 0,   /* R1 */
	VBS_CHECK_CPU_SLAT,       /* R2 */
	VBS_CHECK_IOMMU,          /* R3 */
	VBS_CHECK_TPM,            /* R4 */
	VBS_CHECK_SMM,            /* R5 */
	VBS_CHECK_MAT,            /* R6 */
	VBS_CHECK_MOR,            /* R7 */
	VBS_CHECK_DRIVERS,        /* R8 */
	VBS_CHECK_NESTED,         /* R9 */
	VBS_CHECK_SECUREBOOT,     /* R10 */
	VBS_CHECK_COUNT
};

/* Which profiles require a check (readiness-spec §5 "required by profile"). */
#define VBS_NEED_OEM      0x1u /* required by the oem profile */
#define VBS_NEED_MINIMUM  0x2u /* required by the minimum profile */
#define VBS_NEED_DMA      0x4u /* required by minimum with --require-dma */
#define VBS_NEED_GUEST    0x8u /* required (by any profile) only in a guest */

struct vbs_check_def {
	const char *id;    /* "vbs.mat.valid": stable, part of the report ABI */
	const char *req;   /* "R6" */
	const char *desc;  /* the text after "Checking " */
	uint8_t level;     /* fwupd HSI level (readiness-spec §4 [FW]) */
	uint8_t need;      /* VBS_NEED_*; 0: advisory */
};

extern const struct vbs_check_def vbs_checks[VBS_CHECK_COUNT];

/* The row with this id, or NULL. */
const struct vbs_check_def *vbs_check_find(const char *id);

/*
 * Is the check required? profile is enum vbs_profile (boot_report.h);
 * guest: running under a hypervisor; require_dma: vbs-check --require-dma.
 */
bool vbs_check_required(const struct vbs_check_def *d, uint8_t profile,
			bool guest, bool require_dma);

#endif
