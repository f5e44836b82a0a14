// SPDX-License-Identifier: MIT
/*
 * The TPM's registers in VTL1 (sk/arch/x86/tpm_crb.h): locality 0 at the
 * PTP's fixed address 0xFED40000, reached through VTL1's identity map
 * (the hypervisor maps it in VTL1's nested page tables and, uncacheable,
 * PCD|PWT, in VTL1's page tables: hv/arch/x86/svm/vtl.c). Registers are
 * read and written as aligned 32-bit accesses, the data buffer a byte at
 * a time (PTP: CRB registers are 32 bits wide; the data buffer takes
 * byte accesses).
 *
 * Clock: RDTSC (APM3 "RDTSC"). sk does not know the TSC's rate, so a
 * millisecond is taken as 5,000,000 ticks, above the TSC rate of any
 * x86-64 part: a timeout is never shorter than the PTP's, at worst about
 * twice as long on a 2.5 GHz TSC. 10,000 polls per millisecond bound the
 * waits should the TSC stand still.
 */
#include "arch/x86/tpm_crb.h"

#define TSC_TICKS_PER_MS_MAX 5000000ull
#define POLLS_PER_MS 10000ull

static volatile uint8_t *reg(uint32_t off)
{
	return (volatile uint8_t *)(uintptr_t)(SK_TPM_LOC0_BASE + off);
}

static uint32_t mmio_rd32(void *ctx, uint32_t off)
{
	(void)ctx;
	return *(volatile uint32_t *)reg(off);
}

static void mmio_wr32(void *ctx, uint32_t off, uint32_t v)
{
	(void)ctx;
	*(volatile uint32_t *)reg(off) = v;
}

static uint8_t mmio_rd8(void *ctx, uint32_t off)
{
	(void)ctx;
	return *reg(off);
}

static void mmio_wr8(void *ctx, uint32_t off, uint8_t v)
{
	(void)ctx;
	*reg(off) = v;
}

static uint64_t tsc_now(void *ctx)
{
	uint32_t lo, hi;

	(void)ctx;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int sk_tpm_boot_random(void *buf, size_t len, struct sk_tpm_result *res)
{
	const struct sk_tpm_io io = {
		.ctx = 0, .base = SK_TPM_LOC0_BASE,
		.rd32 = mmio_rd32, .wr32 = mmio_wr32,
		.rd8 = mmio_rd8, .wr8 = mmio_wr8,
		.now = tsc_now, .ticks_per_ms = TSC_TICKS_PER_MS_MAX,
		.polls_per_ms = POLLS_PER_MS,
	};

	return sk_tpm_crb_random(&io, buf, len, res);
}
