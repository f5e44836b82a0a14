/* SPDX-License-Identifier: MIT */
/*
 * Hypercall dispatch (include/vbs/hypercall.h, docs/abi.md). Pure: takes a
 * copy of the guest registers and the per-CPU counters; tests in
 * tests/unit/hv_hypercall.c.
 */
#ifndef HV_CORE_HYPERCALL_H
#define HV_CORE_HYPERCALL_H

#include <stdint.h>

struct hc_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi;
};

struct hc_ctx {
	uint32_t ncpus;
	uint32_t hv_version;
	/* counters[cpu][VBS_CTR_COUNT] */
	const uint64_t *const *counters;
};

/* Runs the call in r (in: the guest's registers; out: what it gets back). */
void hc_dispatch(struct hc_regs *r, const struct hc_ctx *ctx);

#endif
