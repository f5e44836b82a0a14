/* SPDX-License-Identifier: MIT */
/*
 * Readiness R1-R10 judged from firmware-side evidence (the UEFI loader's
 * view, readiness-spec.md §3 "UEFI:" columns). The loader gathers raw
 * bytes and values into struct vbs_fw_evidence (boot/platform.c); this
 * file only judges, with lib/fw, and does no I/O: it runs the same on the
 * host under unit tests.
 */
#ifndef VBS_LIB_BOOT_EVALUATE_H
#define VBS_LIB_BOOT_EVALUATE_H

#include "boot/report.h"

struct vbs_fw_var {
	bool present;
	uint32_t attrs;
	uint32_t size;
	uint8_t value; /* first data byte */
};

/*
 * One PCI function as the firmware enumerated it (EFI_PCI_IO_PROTOCOL
 * GetLocation, UEFI 2.10 §14.4; header type and bus numbers read from its
 * configuration space, PCI-to-PCI Bridge Architecture 1.2 §3.2).
 */
struct vbs_pci_function {
	uint16_t seg;
	uint8_t bus, dev, fn;
	bool bridge;                  /* header type 1 */
	uint8_t secondary, subordinate; /* bus range below a bridge */
};

struct vbs_fw_evidence {
	/* CPUID (raw registers) */
	char cpu_vendor[13];
	uint32_t cpuid1_ecx;
	uint32_t ext1_ecx, ext1_edx;  /* 0x80000001 */
	uint32_t svm_edx;             /* 0x8000000A, valid when svm */
	char hv_vendor[13];           /* 0x40000000 when CPUID.1:ECX[31] */
	/* MSRs (valid flags: read only when the CPU has them) */
	bool vm_cr_valid;
	uint64_t vm_cr;               /* AMD 0xC0010114 */
	bool feature_control_valid;
	uint64_t feature_control;     /* Intel 0x3A */
	bool procbased_valid;
	uint64_t procbased, procbased2; /* Intel 0x482, 0x48B */
	/* UEFI Memory Attributes Table and memory map (raw bytes) */
	const uint8_t *mat;
	size_t mat_len;               /* 0: no MAT in the configuration table */
	const uint8_t *memmap;
	size_t memmap_len;
	uint32_t memmap_desc_size;
	/* ACPI tables from the XSDT (raw, NULL when absent) */
	const uint8_t *dmar, *ivrs, *wsmt;
	size_t dmar_len, ivrs_len, wsmt_len;
	bool xsdt_found;
	/* PCI functions (R3 coverage); pci_enumerated false: not gathered */
	bool pci_enumerated;
	const struct vbs_pci_function *pci;
	size_t pci_count;
	/* EFI_TCG2_PROTOCOL.GetCapability */
	bool tcg2_present;
	bool tpm_present_flag;
	uint8_t tcg2_version_major, tcg2_version_minor;
	uint32_t active_pcr_banks;
	/* Variables */
	struct vbs_fw_var secure_boot;
	struct vbs_fw_var mor_control, mor_lock;
};

/*
 * Judge every requirement into rep (which the caller zeroed and whose
 * profile is set). Sets rep->verdict and the F_GUEST/F_SECURE_BOOT/F_TPM2
 * flags.
 */
void vbs_evaluate(const struct vbs_fw_evidence *ev, struct vbs_boot_report *rep);

#endif
