/* SPDX-License-Identifier: MIT */
/*
 * DMA Remapping Reporting table (DMAR) [E-DMAR, L-DMAR; Intel VT-d spec
 * §8 "BIOS Considerations"], readiness R3.
 *
 * Rules (besides ACPI-H1..H4):
 *   DMAR-H1 fail  Length < 48 (no HAW/Flags/structures area)
 *   DMAR-H2 warn  Host Address Width below 32 bits (HAW field + 1 < 32)
 *   DMAR-F1 warn  DMA_CTRL_PLATFORM_OPT_IN_FLAG (0x4) clear
 *   DMAR-F2 note  INTR_REMAP (0x1) clear
 *   DMAR-S1 fail  remapping structure header (4 bytes) overruns the table
 *   DMAR-S2 fail  structure Length overruns the table
 *   DMAR-S3 fail  structure Length < 4 (zero-length: walk stops there)
 *   DMAR-S4 fail  structure Length below its type's minimum
 *   DMAR-S5 note  unknown structure type (skipped by its Length)
 *   DMAR-D1 fail  no DRHD
 *   DMAR-D2 fail  DRHD Register Base Address zero
 *   DMAR-D3 warn  DRHD Register Base Address not 4 KiB aligned
 *   DMAR-C1 fail  device scope header (2 bytes) overruns its structure
 *   DMAR-C2 fail  device scope Length < 6 or odd path length
 *   DMAR-C3 fail  device scope Length overruns its structure
 *   DMAR-C4 warn  unknown device scope type
 *   DMAR-C5 fail  PCI endpoint/bridge scope without a path entry
 *   DMAR-R1 warn  RMRR base/limit invalid (limit < base, or not 4 KiB
 *                 aligned)
 * Index of a finding: the structure's ordinal in the table (0-based).
 */
#ifndef VBS_LIB_FW_DMAR_H
#define VBS_LIB_FW_DMAR_H

#include "fw/acpi.h"

#define DMAR_HDR_LEN 48u

/* DMAR Flags @37 */
#define DMAR_INTR_REMAP 0x1u
#define DMAR_X2APIC_OPT_OUT 0x2u
#define DMAR_DMA_CTRL_PLATFORM_OPT_IN 0x4u

/* Remapping structure types */
#define DMAR_TYPE_DRHD 0u
#define DMAR_TYPE_RMRR 1u
#define DMAR_TYPE_ATSR 2u
#define DMAR_TYPE_RHSA 3u
#define DMAR_TYPE_ANDD 4u
#define DMAR_TYPE_SATC 5u

#define DMAR_DRHD_INCLUDE_PCI_ALL 0x1u

/* Device scope types */
#define DMAR_SCOPE_ENDPOINT 1u
#define DMAR_SCOPE_BRIDGE 2u
#define DMAR_SCOPE_IOAPIC 3u
#define DMAR_SCOPE_HPET 4u
#define DMAR_SCOPE_ACPI 5u

struct dmar {
	struct acpi_hdr hdr;
	uint8_t haw;          /* raw field: host address width - 1 */
	uint8_t flags;        /* @37 */
	uint32_t n_drhd, n_rmrr, n_atsr, n_rhsa, n_andd, n_satc, n_unknown;
	uint32_t n_include_all; /* DRHDs with INCLUDE_PCI_ALL */
	bool walk_complete;   /* every structure was walked to the table end */
};

/* Returns 0 when parsed (findings say what is wrong), FW_EBADF otherwise. */
int dmar_parse(const uint8_t *buf, size_t len, struct dmar *out,
	       struct fw_report *r);

/*
 * The platform's bus numbering, which only the caller knows: for the PCI
 * bridge at seg:bus:dev.fn, set its secondary and subordinate bus numbers
 * and return 0; return non-zero when there is no such bridge.
 */
typedef int (*fw_pci_bridge_fn)(void *ctx, uint16_t seg, uint8_t bus,
				uint8_t dev, uint8_t fn, uint8_t *secondary,
				uint8_t *subordinate);

/* Coverage results (also used by ivrs_covers). */
#define FW_NOT_COVERED 0
#define FW_COVERED 1
#define FW_IS_IOMMU 2   /* the function is the IOMMU itself (IVRS only) */

/*
 * Is PCI function seg:bus:dev.fn translated by some DRHD? Covered when a
 * DRHD of that segment has INCLUDE_PCI_ALL, or an endpoint scope's path
 * resolves to it, or it lies below a bridge scope (its bus within the
 * bridge's secondary..subordinate range, or the bridge itself). Paths
 * longer than one hop and bridge ranges need bridge_fn; without it (NULL)
 * only one-hop endpoint paths and INCLUDE_PCI_ALL can match.
 * Returns FW_COVERED, FW_NOT_COVERED or FW_EBADF (table unusable).
 * Malformed structures/scopes are skipped, never read past.
 */
int dmar_covers(const uint8_t *buf, size_t len, uint16_t seg, uint8_t bus,
		uint8_t dev, uint8_t fn, fw_pci_bridge_fn bridge_fn,
		void *ctx);

#endif
