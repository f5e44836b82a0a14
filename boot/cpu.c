// SPDX-License-Identifier: MIT
/*
 * CPU access for the loader: CPUID, RDMSR, and the FS base that BearSSL's
 * stack protector needs.
 *
 * Debian builds libbearssl.a with -fstack-protector: its functions read the
 * canary at %fs:0x28. UEFI leaves FS base 0, so those reads would hit
 * physical address 0x28 (the real-mode IVT; it "works" by accident and the
 * canary is whatever lies there). Before the first BearSSL call the loader
 * points IA32_FS_BASE (MSR 0xC0000100, AMD APM vol. 2 §4.5.3 / Intel SDM
 * vol. 3 §3.4.4) at a block of its own holding a canary. The firmware does
 * not use FS, and Linux sets its own FS base, so nothing else observes it.
 */
#include "boot/loader.h"

#define MSR_FS_BASE 0xC0000100u

/* %fs:0x28 is the canary slot of the x86-64 SysV stack protector. */
static uint64_t tls_block[8] __attribute__((aligned(64)));

void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

uint64_t cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static void cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static uint64_t canary_value(void)
{
	uint32_t lo, hi;
	uint64_t v;

	/* Not a secret against this threat model (firmware is trusted); a
	 * varying value still catches stack smashing in BearSSL code. */
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	v = ((uint64_t)hi << 32 | lo) * 0x9e3779b97f4a7c15ull;
	return v & ~0xffull; /* a NUL byte stops string overruns */
}

void cpu_setup_canary(void)
{
	tls_block[0] = (uint64_t)(uintptr_t)tls_block; /* %fs:0 self pointer */
	tls_block[5] = canary_value();                   /* %fs:0x28 */
	cpu_wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)tls_block);
}
