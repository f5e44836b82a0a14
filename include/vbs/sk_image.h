/* SPDX-License-Identifier: MIT */
/*
 * The contract between whoever loads the secure kernel and its image
 * (sk/, docs/secure-kernel.md "Image"). The loader (boot/hv.c) verifies,
 * measures and places sk.bin; the hypervisor enters it in VTL1.
 *
 * sk.bin is a flat, position-independent image like hv.bin
 * (include/vbs/hv_image.h): its first bytes are a struct vbs_sk_header
 * (little-endian, explicit offsets below). The loader copies the file to
 * the start of a region of mem_size + heap_size + VBS_SK_BOOT_AREA bytes
 * aligned to align and zeroes the rest; the hypervisor enters base +
 * entry_off on each CPU (see "Entry" below). On CPU 0 the image relocates
 * itself (R_X86_64_RELATIVE only) and initialises; on every CPU it sets FS
 * base to its per-CPU block (the BearSSL stack-protector canary lives at
 * FS:0x28) and reports its status with its first VTL_RETURN.
 */
#ifndef VBS_SK_IMAGE_H
#define VBS_SK_IMAGE_H

#include <stdint.h>

#define VBS_SK_MAGIC "OVBS-SK1"     /* 8 bytes, no NUL */
#define VBS_SK_HEADER_VERSION 1u
#define VBS_SK_PARAMS_VERSION 1u

struct vbs_sk_header {
	uint8_t magic[8];        /* 0x00 VBS_SK_MAGIC */
	uint32_t header_version; /* 0x08 VBS_SK_HEADER_VERSION */
	uint32_t header_size;    /* 0x0c sizeof(struct vbs_sk_header) */
	uint64_t entry_off;      /* 0x10 entry point, from the image base */
	uint64_t file_size;      /* 0x18 bytes of sk.bin */
	uint64_t mem_size;       /* 0x20 image incl. bss, page multiple */
	uint64_t heap_size;      /* 0x28 bytes after mem_size for sk's heap */
	uint64_t align;          /* 0x30 base alignment, power of two */
};
_Static_assert(sizeof(struct vbs_sk_header) == 0x38, "sk header");
_Static_assert(__builtin_offsetof(struct vbs_sk_header, entry_off) == 0x10, "sk entry_off");
_Static_assert(__builtin_offsetof(struct vbs_sk_header, file_size) == 0x18, "sk file_size");
_Static_assert(__builtin_offsetof(struct vbs_sk_header, mem_size) == 0x20, "sk mem_size");
_Static_assert(__builtin_offsetof(struct vbs_sk_header, heap_size) == 0x28, "sk heap_size");
_Static_assert(__builtin_offsetof(struct vbs_sk_header, align) == 0x30, "sk align");

/* What the entering code (the hypervisor, hv/arch/x86/svm/vtl.c) tells
 * the secure kernel. */
struct vbs_sk_params {
	uint32_t version;        /* 0x00 VBS_SK_PARAMS_VERSION */
	uint32_t flags;          /* 0x04 reserved, 0 */
	uint64_t region_base;    /* 0x08 where the image was put */
	uint64_t region_size;    /* 0x10 mem_size + heap_size, page multiple */
	uint32_t cpu_count;      /* 0x18 CPUs that will enter sk */
	uint32_t reserved;       /* 0x1c 0 */
	uint64_t map_top;        /* 0x20 VTL1's page tables map [0, map_top) */
	uint64_t hidden_size;    /* 0x28 bytes from region_base VTL0 cannot
				  * see (image, heap, the boot area) */
	uint64_t hv_base;        /* 0x30 the hypervisor's region: hidden */
	uint64_t hv_size;        /* 0x38 from VTL1 too */
};
_Static_assert(sizeof(struct vbs_sk_params) == 0x40, "sk params");
_Static_assert(__builtin_offsetof(struct vbs_sk_params, cpu_count) == 0x18, "sk cpu_count");
_Static_assert(__builtin_offsetof(struct vbs_sk_params, map_top) == 0x20, "sk map_top");

/*
 * Entry on each CPU (docs/secure-kernel.md "Running in VTL1"): 64-bit
 * mode, CPL 0, interrupts off, RDI = params, RSI = CPU number (0 first,
 * once, before any other), RSP = that CPU's stack in the boot area. The
 * secure kernel never returns: it ends its start with a VTL_RETURN
 * hypercall (RBX = 0 when ready) and serves VTL calls from then on.
 */

/* The per-CPU block FS base points at while sk runs: BearSSL is built
 * with -fstack-protector and reads its canary at %fs:0x28 (the x86-64
 * System V TLS ABI's place for it, as glibc's tcbhead_t.stack_guard). */
#define VBS_SK_PERCPU_CANARY_OFF 0x28u

#endif
