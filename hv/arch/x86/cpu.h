/* SPDX-License-Identifier: MIT */
/* x86 instructions the hypervisor needs, as inline functions. */
#ifndef HV_X86_CPU_H
#define HV_X86_CPU_H

#include <stdint.h>

#define MSR_EFER 0xc0000080u
#define MSR_PAT 0x00000277u
#define MSR_GS_BASE 0xc0000101u
#define MSR_APIC_BASE 0x0000001bu
#define MSR_X2APIC_ICR 0x00000830u
#define MSR_VM_CR 0xc0010114u
#define MSR_VM_HSAVE_PA 0xc0010117u
#define EFER_SVME (1ull << 12)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define CR0_WP (1ull << 16)
#define CR4_PSE (1ull << 4)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define VM_CR_SVMDIS (1ull << 4)
#define VM_CR_LOCK (1ull << 3)
#define VM_CR_R_INIT (1ull << 1)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_RF (1ull << 16)

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

#define READ_CR(n) \
static inline uint64_t read_cr##n(void) \
{ \
	uint64_t v; \
	__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); \
	return v; \
}
READ_CR(0)
READ_CR(2)
READ_CR(3)
READ_CR(4)

static inline void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr4(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t read_dr7(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr7, %0" : "=r"(v));
	return v;
}

static inline uint64_t read_dr6(void)
{
	uint64_t v;

	__asm__ volatile("mov %%dr6, %0" : "=r"(v));
	return v;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

/* Memory-mapped device registers (the local APIC), through the
 * hypervisor's identity map. */
static inline uint32_t mmio_read32(uint64_t pa)
{
	return *(volatile uint32_t *)(uintptr_t)pa;
}

static inline void mmio_write32(uint64_t pa, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)pa = v;
}

/* The initial APIC ID of this CPU (CPUID 1 EBX[31:24]). */
static inline uint32_t cpu_apic_id(void)
{
	uint32_t r[4];

	cpuid_count(1, 0, r);
	return r[1] >> 24;
}

struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	uint64_t base;
};

static inline void hlt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
