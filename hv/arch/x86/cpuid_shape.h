/* SPDX-License-Identifier: MIT */
/*
 * What the guest sees of CPUID (pure; tests/unit/hv_cpuid.c). The
 * hypervisor runs CPUID itself, then shapes the result here
 * (docs/abi.md "CPUID").
 */
#ifndef HV_X86_CPUID_SHAPE_H
#define HV_X86_CPUID_SHAPE_H

#include <stdint.h>

enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

struct cpuid_ctx {
	uint32_t cpu_index;
	uint32_t hv_version; /* major<<16 | minor<<8 | patch */
	const uint64_t *counters; /* VBS_CTR_COUNT of them, this CPU's */
	uint64_t guest_cr4;       /* the guest's CR4: OSXSAVE and OSPKE mirror it */
};

void cpuid_shape(uint32_t leaf, uint32_t subleaf, uint32_t r[4],
		 const struct cpuid_ctx *ctx);

#endif
