/* SPDX-License-Identifier: MIT */
/*
 * The contract between the loader (boot/hv.c) and the hypervisor image
 * (hv/, docs/hypervisor.md "Image and start").
 *
 * hv.bin is a flat, position-independent image: its first bytes are a
 * struct vbs_hv_header (little-endian, explicit offsets below). The loader
 * copies the file to the start of a region it allocates as
 * EfiReservedMemoryType below 4 GiB (application processors load the
 * hypervisor's CR3 in 32-bit mode), region_size = hv.mem_size +
 * hv.heap_size bytes, zeroes the rest, and calls base + entry_off with the System V AMD64 ABI:
 *
 *     int64_t entry(const struct vbs_hv_params *p);
 *
 * on the boot CPU, before ExitBootServices, with interrupts as the
 * firmware has them. A return of 0 means: this CPU now runs as a guest of
 * the hypervisor (the call returned inside the guest). Negative: nothing
 * was changed, the reason is in the hypervisor log.
 */
#ifndef VBS_HV_IMAGE_H
#define VBS_HV_IMAGE_H

#include <stdint.h>

#define VBS_HV_MAGIC "OVBS-HV1"     /* 8 bytes, no NUL */
#define VBS_HV_HEADER_VERSION 1u
#define VBS_HV_PARAMS_VERSION 3u
#define VBS_HV_MAX_CPUS 64u

struct vbs_hv_header {
	uint8_t magic[8];        /* 0x00 VBS_HV_MAGIC */
	uint32_t header_version; /* 0x08 */
	uint32_t header_size;    /* 0x0c sizeof(struct vbs_hv_header) */
	uint64_t entry_off;      /* 0x10 entry point, from the image base */
	uint64_t file_size;      /* 0x18 bytes of hv.bin */
	uint64_t mem_size;       /* 0x20 image incl. bss, page multiple */
	uint64_t heap_size;      /* 0x28 extra pages the hypervisor wants */
	uint64_t align;          /* 0x30 base alignment, power of two */
};
_Static_assert(sizeof(struct vbs_hv_header) == 0x38, "hv header");

/*
 * What the loader tells the hypervisor. memmap*: the UEFI memory map as
 * the firmware returned it (UEFI 2.10 §7.2.3). tramp_pa: one 4 KiB page
 * below 1 MiB, EfiReservedMemoryType, where application processors start
 * (a SIPI vector names a page below 1 MiB; docs/hypervisor.md
 * "Application processors"), 0 if none could be reserved. cpu_count and
 * apic_ids: the processors EFI_MP_SERVICES_PROTOCOL reports (PI 1.7 vol 2
 * §13.4), the boot processor included; 0 when the protocol is absent.
 * sk_base/sk_size: the secure kernel's region (include/vbs/sk_image.h),
 * verified and measured by the loader, EfiReservedMemoryType below 4 GiB:
 * the image, its heap, then VBS_SK_BOOT_AREA bytes the hypervisor uses to
 * enter it (VTL1's first page tables, GDT, stacks); 0 when there is none.
 */
struct vbs_hv_params {
	uint32_t version;        /* 0x00 VBS_HV_PARAMS_VERSION */
	uint32_t flags;          /* 0x04 reserved, 0 */
	uint64_t region_base;    /* 0x08 where the loader put the image */
	uint64_t region_size;    /* 0x10 mem_size + heap_size, page multiple */
	uint64_t memmap;         /* 0x18 address of the descriptors */
	uint64_t memmap_size;    /* 0x20 bytes */
	uint64_t desc_size;      /* 0x28 bytes per descriptor */
	uint64_t tramp_pa;       /* 0x30 AP start page below 1 MiB, or 0 */
	uint32_t cpu_count;      /* 0x38 entries of apic_ids used */
	uint32_t reserved;       /* 0x3c 0 */
	uint32_t apic_ids[VBS_HV_MAX_CPUS]; /* 0x40 initial APIC IDs */
	uint64_t sk_base;        /* 0x140 secure kernel region, or 0 */
	uint64_t sk_size;        /* 0x148 bytes */
};
_Static_assert(sizeof(struct vbs_hv_params) == 0x150, "hv params");

/* Bytes after the secure kernel's image and heap for the hypervisor's
 * VTL1 entry structures (docs/hypervisor.md "VTL1"). */
#define VBS_SK_BOOT_AREA (512u << 10)

#endif
