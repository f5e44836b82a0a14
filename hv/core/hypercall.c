// SPDX-License-Identifier: MIT
/*
 * Hypercall dispatch, ABI version 1 (include/vbs/hypercall.h). The guest's
 * registers arrive as a copy; every one is checked before use (style.md
 * §6: sizes, reserved fields zero, ranges, then the nospec clamp).
 */
#include "core/hypercall.h"
#include "vbs/hypercall.h"

#define HC_CODE_MASK 0xffffull

/* Index clamp that holds under speculation (the array_index_nospec idea:
 * a mask that is all ones only when idx < size). */
static inline uint64_t hc_clamp(uint64_t idx, uint64_t size)
{
	uint64_t mask = (uint64_t)((int64_t)(idx - size) >> 63);

	return idx & mask;
}

static void hc_version(struct hc_regs *r, const struct hc_ctx *ctx)
{
	r->rax = VBS_HC_OK;
	r->rbx = VBS_HC_ABI_VERSION;
	r->rcx = ctx->hv_version;
	r->rdx = ctx->ncpus;
}

static void hc_exit_stats(struct hc_regs *r, const struct hc_ctx *ctx)
{
	uint64_t cpu = r->rbx, ctr = r->rcx;

	if (cpu >= ctx->ncpus || ctr >= VBS_CTR_COUNT) {
		r->rax = VBS_HC_E_RANGE;
		return;
	}
	cpu = hc_clamp(cpu, ctx->ncpus);
	ctr = hc_clamp(ctr, VBS_CTR_COUNT);
	r->rax = VBS_HC_OK;
	r->rbx = ctx->counters[cpu][ctr];
}

void hc_dispatch(struct hc_regs *r, const struct hc_ctx *ctx)
{
	uint64_t code = r->rax;

	if ((code & ~HC_CODE_MASK) || r->rdx || r->rsi || r->rdi) {
		r->rax = VBS_HC_E_RESERVED;
		return;
	}
	switch (code) {
	case VBS_HC_VERSION:
		if (r->rbx || r->rcx) {
			r->rax = VBS_HC_E_RESERVED;
			return;
		}
		hc_version(r, ctx);
		return;
	case VBS_HC_EXIT_STATS:
		hc_exit_stats(r, ctx);
		return;
	default:
		r->rax = VBS_HC_E_UNKNOWN;
		return;
	}
}
