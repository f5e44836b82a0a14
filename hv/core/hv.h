/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor core: per-CPU state, log, panic, boot-time page allocator
 * (docs/hypervisor.md).
 */
#ifndef HV_CORE_HV_H
#define HV_CORE_HV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vbs/hypercall.h"
#include "vbs/version.h"

#define HV_MAX_CPUS 64
#define HV_PAGE 4096ull
#define HV_VERSION ((VBS_VERSION_MAJOR << 16) | (VBS_VERSION_MINOR << 8) | \
		    VBS_VERSION_PATCH)

/* log.c: QEMU's debug port 0xe9, every line "[hv cpuN] ..." */
void hv_log(unsigned int cpu, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void hv_vlog(unsigned int cpu, const char *fmt, va_list ap);

/* The CPU running this code (by APIC ID; arch/x86/svm/ap.c). */
unsigned int hv_this_cpu(void);

/* panic.c */
__attribute__((noreturn)) void hv_panic(unsigned int cpu, const char *why);

/* mm.c: pages from the heap after the image, at boot only (never on an
 * exit path). Zeroed, 4 KiB aligned; 0 when exhausted. */
void hv_mm_init(uint64_t base, uint64_t size);
uint64_t hv_alloc_pages(uint64_t n);

/* The same bump allocation over any region (zeroed 4 KiB pages, 0 when
 * it is used up). */
struct hv_bump {
	uint64_t next, end;
};
void hv_bump_init(struct hv_bump *b, uint64_t base, uint64_t size);
uint64_t hv_bump_pages(struct hv_bump *b, uint64_t n);

/* string.c: what the compiler may emit calls to. */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* Memory the guest must not see: the whole region the loader reserved. */
struct hv_region {
	uint64_t base, size;
};
extern struct hv_region hv_region;
extern uint64_t hv_phys_top; /* identity maps cover [0, hv_phys_top) */
extern uint64_t hv_phys_limit; /* 1 << MAXPHYADDR (at most 1 TiB) */
extern bool hv_npt_1g;        /* 1 GiB nested pages available */

#endif
