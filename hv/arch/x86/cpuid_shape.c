// SPDX-License-Identifier: MIT
/*
 * CPUID as the guest sees it (hv/arch/x86/cpuid_shape.h).
 */
#include "arch/x86/cpuid_shape.h"

#include <stdbool.h>
#include "vbs/cpuid.h"
#include "vbs/hypercall.h"

#define CPUID_1_ECX_HYPERVISOR (1u << 31) /* APM3 "CPUID Fn0000_0001_ECX" */
#define CPUID_80000001_ECX_SVM (1u << 2)  /* APM3 "CPUID Fn8000_0001_ECX" */
#define CPUID_LEAF_SVM 0x8000000au        /* APM3 "CPUID Fn8000_000A" */
/* Bits that report CR4 (APM3 "CPUID Fn0000_0001_ECX" OSXSAVE,
 * "Fn0000_0007_ECX_x0" OSPKE): CPUID runs in the host, so they would show
 * the host's CR4; the guest must see its own. */
#define CPUID_1_ECX_OSXSAVE (1u << 27)
#define CPUID_7_ECX_OSPKE (1u << 4)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_PKE (1ull << 22)

static void mirror(uint32_t *reg, uint32_t bit, bool on)
{
	*reg = on ? *reg | bit : *reg & ~bit;
}

static uint32_t sig_word(unsigned int i)
{
	const char *s = VBS_CPUID_SIGNATURE;

	return (uint32_t)(uint8_t)s[4 * i] |
	       (uint32_t)(uint8_t)s[4 * i + 1] << 8 |
	       (uint32_t)(uint8_t)s[4 * i + 2] << 16 |
	       (uint32_t)(uint8_t)s[4 * i + 3] << 24;
}

/* The hypervisor range 0x40000000-0x400000ff (include/vbs/cpuid.h). */
static void cpuid_hv_range(uint32_t leaf, uint32_t subleaf, uint32_t r[4],
			   const struct cpuid_ctx *ctx)
{
	r[0] = r[1] = r[2] = r[3] = 0;
	switch (leaf) {
	case VBS_CPUID_LEAF_VENDOR:
		r[CPUID_EAX] = VBS_CPUID_LEAF_MAX;
		r[CPUID_EBX] = sig_word(0);
		r[CPUID_ECX] = sig_word(1);
		r[CPUID_EDX] = sig_word(2);
		break;
	case VBS_CPUID_LEAF_INFO:
		r[CPUID_EAX] = VBS_HC_ABI_VERSION;
		r[CPUID_EBX] = ctx->hv_version;
		r[CPUID_ECX] = VBS_CTR_COUNT;
		r[CPUID_EDX] = ctx->cpu_index;
		break;
	case VBS_CPUID_LEAF_COUNTERS:
		if (subleaf >= VBS_CTR_COUNT)
			break;
		r[CPUID_EAX] = (uint32_t)ctx->counters[subleaf];
		r[CPUID_EBX] = (uint32_t)(ctx->counters[subleaf] >> 32);
		r[CPUID_ECX] = subleaf;
		r[CPUID_EDX] = 1;
		break;
	default:
		break;
	}
}

void cpuid_shape(uint32_t leaf, uint32_t subleaf, uint32_t r[4],
		 const struct cpuid_ctx *ctx)
{
	if ((leaf & 0xffffff00u) == 0x40000000u) {
		cpuid_hv_range(leaf, subleaf, r, ctx);
		return;
	}
	switch (leaf) {
	case 1:
		r[CPUID_ECX] |= CPUID_1_ECX_HYPERVISOR;
		mirror(&r[CPUID_ECX], CPUID_1_ECX_OSXSAVE,
		       ctx->guest_cr4 & CR4_OSXSAVE);
		break;
	case 7:
		if (subleaf == 0)
			mirror(&r[CPUID_ECX], CPUID_7_ECX_OSPKE,
			       ctx->guest_cr4 & CR4_PKE);
		break;
	case 0x80000001u:
		/* SVM hidden: the guest may not nest (docs/hypervisor.md). */
		r[CPUID_ECX] &= ~CPUID_80000001_ECX_SVM;
		break;
	case CPUID_LEAF_SVM:
		r[0] = r[1] = r[2] = r[3] = 0;
		break;
	default:
		break;
	}
}
