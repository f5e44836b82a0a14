/* SPDX-License-Identifier: MIT */
/*
 * EFI Memory Attributes Table (MAT) [E-MAT, L-EFIH, L-MA; UEFI 2.10 §4.6.4
 * "EFI_MEMORY_ATTRIBUTES_TABLE"], readiness R6; rules of
 * readiness-spec.md §2.2, each reported under exactly its id:
 *
 *   MAT-H1 fail  len < 16, or Version not 1/2 (> 2 -> unknown)
 *   MAT-H2 fail  DescriptorSize < 40, not a multiple of 8, or > memmap stride
 *   MAT-H3 fail  NumberOfEntries > 65536, or 16 + N*stride > len
 *   MAT-H4 warn  v1 Flags != 0; v2 Flags & ~1 != 0
 *   MAT-E1 fail  Type not RuntimeServicesCode/Data (5/6)
 *   MAT-E2 fail  neither RO nor XP
 *   MAT-E3 fail  PhysicalStart or size not page aligned, 0 pages, or wrap
 *   MAT-E4 warn  RUNTIME attribute bit clear
 *   MAT-E5 warn  RuntimeServicesData without XP
 *   MAT-E6 warn  undefined attribute bits
 *   MAT-X1 fail  entries overlap
 *   MAT-X2 warn  PhysicalStart not ascending
 *   MAT-C1 fail  entry not inside one RUNTIME memmap descriptor of its type
 *   MAT-C2 fail  memmap RuntimeServicesCode/Data+RUNTIME not all covered
 *   (C1/C2 are reported as unknown, index FW_NO_INDEX, without a memmap.)
 * Index of a finding: the entry index (memmap descriptor index for C2).
 *
 * The entry rules work on struct efi_md arrays so that entries rebuilt
 * from Linux's kernel log (no raw table there) use the same code.
 */
#ifndef VBS_LIB_FW_MAT_H
#define VBS_LIB_FW_MAT_H

#include "fw/acpi.h"   /* FW_E* error codes */

/* dcfa911d-26eb-469f-a220-38b7dc461220 (EFI configuration table GUID) */
#define EFI_MAT_GUID_BYTES                                               \
	{ 0x1d, 0x91, 0xfa, 0xdc, 0xeb, 0x26, 0x9f, 0x46,                \
	  0xa2, 0x20, 0x38, 0xb7, 0xdc, 0x46, 0x12, 0x20 }

#define MAT_HDR_LEN 16u
#define MAT_MAX_ENTRIES 65536u       /* Linux SZ_64K */
#define MAT_VERSION_1 1u
#define MAT_VERSION_2 2u
#define MAT_FLAG_RT_FORWARD_CONTROL_FLOW_GUARD 0x1u

#define EFI_MD_SIZE 40u              /* sizeof(EFI_MEMORY_DESCRIPTOR) */
#define EFI_PAGE_SIZE 4096u
#define EFI_PAGE_SHIFT 12u

/* UEFI 2.10 §7.2 "EFI_BOOT_SERVICES.AllocatePages()" memory types */
#define EFI_RESERVED_TYPE 0u
#define EFI_LOADER_CODE 1u
#define EFI_LOADER_DATA 2u
#define EFI_BOOT_SERVICES_CODE 3u
#define EFI_BOOT_SERVICES_DATA 4u
#define EFI_RUNTIME_SERVICES_CODE 5u
#define EFI_RUNTIME_SERVICES_DATA 6u
#define EFI_CONVENTIONAL_MEMORY 7u
#define EFI_UNUSABLE_MEMORY 8u
#define EFI_ACPI_RECLAIM_MEMORY 9u
#define EFI_ACPI_MEMORY_NVS 10u
#define EFI_MEMORY_MAPPED_IO 11u
#define EFI_MEMORY_MAPPED_IO_PORT_SPACE 12u
#define EFI_PAL_CODE 13u
#define EFI_PERSISTENT_MEMORY 14u
#define EFI_UNACCEPTED_MEMORY 15u

/* UEFI 2.10 §7.2 "EFI_BOOT_SERVICES.GetMemoryMap()" attribute bits */
#define EFI_MEMORY_UC 0x1ull
#define EFI_MEMORY_WC 0x2ull
#define EFI_MEMORY_WT 0x4ull
#define EFI_MEMORY_WB 0x8ull
#define EFI_MEMORY_UCE 0x10ull
#define EFI_MEMORY_WP 0x1000ull
#define EFI_MEMORY_RP 0x2000ull
#define EFI_MEMORY_XP 0x4000ull
#define EFI_MEMORY_NV 0x8000ull
#define EFI_MEMORY_MORE_RELIABLE 0x10000ull
#define EFI_MEMORY_RO 0x20000ull
#define EFI_MEMORY_SP 0x40000ull
#define EFI_MEMORY_CPU_CRYPTO 0x80000ull
#define EFI_MEMORY_RUNTIME 0x8000000000000000ull
/* Every bit defined above (MAT-E6 flags any other). */
#define EFI_MEMORY_DEFINED                                                \
	(EFI_MEMORY_UC | EFI_MEMORY_WC | EFI_MEMORY_WT | EFI_MEMORY_WB |  \
	 EFI_MEMORY_UCE | EFI_MEMORY_WP | EFI_MEMORY_RP | EFI_MEMORY_XP | \
	 EFI_MEMORY_NV | EFI_MEMORY_MORE_RELIABLE | EFI_MEMORY_RO |       \
	 EFI_MEMORY_SP | EFI_MEMORY_CPU_CRYPTO | EFI_MEMORY_RUNTIME)

/* One EFI_MEMORY_DESCRIPTOR, decoded (MAT entry or memory-map entry). */
struct efi_md {
	uint32_t type;
	uint64_t phys;
	uint64_t virt;
	uint64_t pages;   /* 4 KiB pages */
	uint64_t attr;
};

struct mat_hdr {
	uint32_t version;
	uint32_t num_entries;
	uint32_t desc_size;
	uint32_t flags;
};

/*
 * Decode one descriptor at buf[off..off+40). Returns 0, or FW_EBADF when
 * it does not fit in len.
 */
int efi_md_decode(const uint8_t *buf, size_t len, size_t off,
		  struct efi_md *out);

/*
 * Parse a raw MAT: header rules H1-H4, then decode up to cap entries
 * into entries[] (*n_out = number decoded). memmap_stride: the memory
 * map's descriptor size when known (H2 upper bound), else 0.
 * Returns 0; FW_EBADF when the header is unusable (no entries decoded);
 * FW_ENOSPC when cap < NumberOfEntries (the first cap are decoded).
 * Entry rules are NOT run here: call mat_check_entries() on the result.
 */
int mat_parse(const uint8_t *buf, size_t len, uint32_t memmap_stride,
	      struct mat_hdr *hdr, struct efi_md *entries, size_t cap,
	      size_t *n_out, struct fw_report *r);

/*
 * Scratch for X1 (unsorted entries) and C2 over n entries, in uint32_t
 * elements: an index array and its merge buffer. With it both rules are
 * O(n log n) (C2: plus O(log n) per map region); with less they compare
 * pairs / rescan the entries, O(n^2), same findings. The functions
 * without _ws use a stack array for MAT_STACK_ENTRIES entries (8 KiB);
 * a caller that may hold more (a hostile table: up to MAT_MAX_ENTRIES)
 * passes its own.
 */
#define MAT_WORK_WORDS(n) (2 * (size_t)(n))
#define MAT_STACK_ENTRIES 1024u

/*
 * Entry rules E1-E6, X1, X2. os_page_size: 0 or 4096 for x86; a larger
 * power of two (arm64 64 KiB) also requires alignment to it (Linux
 * "Entry address region misaligned"). X1: when the entries ascend, an
 * entry overlapping its predecessor; otherwise one overlapping any entry
 * before it.
 */
void mat_check_entries(const struct efi_md *e, size_t n,
		       uint64_t os_page_size, struct fw_report *r);
void mat_check_entries_ws(const struct efi_md *e, size_t n,
			  uint64_t os_page_size, uint32_t *work,
			  size_t work_len, struct fw_report *r);

/*
 * Cross-check C1, C2 against the UEFI memory map (map == NULL: both
 * reported as unknown).
 */
void mat_check_memmap(const struct efi_md *e, size_t n,
		      const struct efi_md *map, size_t map_n,
		      struct fw_report *r);
void mat_check_memmap_ws(const struct efi_md *e, size_t n,
			 const struct efi_md *map, size_t map_n,
			 uint32_t *work, size_t work_len, struct fw_report *r);

/*
 * Decode a raw memory map (GetMemoryMap() buffer, stride desc_size) into
 * out[]; returns 0, FW_EBADF (bad desc_size), FW_ENOSPC (cap too small).
 */
int efi_memmap_parse(const uint8_t *buf, size_t len, uint32_t desc_size,
		     struct efi_md *out, size_t cap, size_t *n_out);

#endif
