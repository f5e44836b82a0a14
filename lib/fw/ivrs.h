/* SPDX-License-Identifier: MIT */
/*
 * I/O Virtualization Reporting Structure (IVRS) [L-T2, L-AMDI; AMD IOMMU
 * spec §5.2 "ACPI Tables"], readiness R3.
 *
 * Rules (besides ACPI-H1..H4):
 *   IVRS-H1 fail  Length < 48
 *   IVRS-F1 warn  IVinfo DMA remap support (0x2, the pre-boot DMA
 *                 protection opt-in) clear
 *   IVRS-B1 fail  IVDB header (4 bytes) overruns the table
 *   IVRS-B2 fail  IVDB Length overruns the table
 *   IVRS-B3 fail  zero-length IVDB (Length < 4: walk stops there)
 *   IVRS-B4 fail  IVDB Length below its type's minimum (IVHD 0x10: 24,
 *                 0x11/0x40: 40, IVMD: 32)
 *   IVRS-B5 note  unknown IVDB type (skipped by its Length)
 *   IVRS-D1 fail  no IVHD
 *   IVRS-D2 fail  IVHD IOMMU Base Address zero
 *   IVRS-E1 fail  device entry overruns its IVHD
 *   IVRS-E2 warn  unknown device entry type (skipped by type bits 7:6)
 *   IVRS-E3 fail  START without END, or END without START
 *   IVRS-E4 fail  HID entry (type 240): UID length overruns the IVHD
 *   IVRS-E5 fail  range END DeviceId below its START DeviceId
 *   IVRS-M1 fail  IVMD start + length wraps the 64-bit address space
 * Index of a finding: the IVDB's ordinal in the table (0-based).
 */
#ifndef VBS_LIB_FW_IVRS_H
#define VBS_LIB_FW_IVRS_H

#include "fw/dmar.h"   /* FW_COVERED / FW_NOT_COVERED / FW_IS_IOMMU */

#define IVRS_HDR_LEN 48u

/* IVinfo @36 */
#define IVRS_IVINFO_EFRSUP 0x1u
#define IVRS_IVINFO_DMA_REMAP 0x2u

/* IVDB types */
#define IVRS_IVHD_10 0x10u
#define IVRS_IVHD_11 0x11u
#define IVRS_IVHD_40 0x40u
#define IVRS_IVMD_ALL 0x20u
#define IVRS_IVMD_SELECT 0x21u
#define IVRS_IVMD_RANGE 0x22u

/* IVHD device entry types */
#define IVRS_DE_PAD4 0u
#define IVRS_DE_ALL 1u
#define IVRS_DE_SELECT 2u
#define IVRS_DE_START 3u
#define IVRS_DE_END 4u
#define IVRS_DE_PAD8 64u
#define IVRS_DE_ALIAS_SELECT 66u
#define IVRS_DE_ALIAS_START 67u
#define IVRS_DE_EXT_SELECT 70u
#define IVRS_DE_EXT_START 71u
#define IVRS_DE_SPECIAL 72u
#define IVRS_DE_HID 240u

static inline uint16_t ivrs_devid(uint8_t bus, uint8_t dev, uint8_t fn)
{
	return (uint16_t)((unsigned)bus << 8 | (unsigned)(dev & 0x1f) << 3 |
			  (fn & 7u));
}

struct ivrs {
	struct acpi_hdr hdr;
	uint32_t ivinfo;      /* @36 */
	uint32_t n_ivhd, n_ivmd, n_unknown;
	bool walk_complete;
};

/* Returns 0 when parsed (findings say what is wrong), FW_EBADF otherwise. */
int ivrs_parse(const uint8_t *buf, size_t len, struct ivrs *out,
	       struct fw_report *r);

/*
 * Is DeviceId devid (ivrs_devid()) of PCI segment seg behind an AMD
 * IOMMU? Matched by ALL, SELECT, START..END, ALIAS_SELECT,
 * ALIAS_START..END, EXT_SELECT, EXT_START..END entries of any IVHD of
 * that segment. The IOMMU's own DeviceId answers FW_IS_IOMMU (not a DMA
 * master to be judged). Returns FW_COVERED, FW_NOT_COVERED, FW_IS_IOMMU or
 * FW_EBADF. Malformed blocks/entries are skipped, never read past.
 */
int ivrs_covers(const uint8_t *buf, size_t len, uint16_t seg, uint16_t devid);

#endif
