// SPDX-License-Identifier: MIT
/*
 * PE pool-allocation call sites (callsite.h). The calls are found by
 * sweep.c: call/jmp [rip+slot] through an allocator's IAT slot, and calls
 * or tail jumps to linker stubs "jmp [rip+slot]" (GNU ld, MSVC
 * incremental links); function entries come from the exception directory
 * (.pdata RUNTIME_FUNCTION.BeginAddress, Microsoft PE Format "The .pdata
 * Section").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callsite.h"

#define MAX_STUBS 64
#define MAX_CODE_SECTIONS 32
#define MAX_PDATA (1u << 20)
#define PDATA_ENTRY_LEN 12u

struct pool_scan {
	const struct pe_view *pe;
	struct drv_result *res;
	uint64_t stubs[MAX_STUBS];     /* RVAs of "jmp [rip+slot]" stubs */
	int stub_slot[MAX_STUBS];
	size_t nstubs;
};

enum drv_verdict drv_pool_type_verdict(const struct drv_bits *arg)
{
	int paged = drv_bit(arg, 0), nx = drv_bit(arg, 9);

	if (paged == 1 || nx == 1)
		return DRV_VERDICT_NX;
	if (paged == 0 && nx == 0)
		return DRV_VERDICT_EXEC;
	return DRV_VERDICT_UNKNOWN;
}

enum drv_verdict drv_pool_flags_verdict(const struct drv_bits *arg)
{
	switch (drv_bit(arg, 7)) {
	case 1:
		return DRV_VERDICT_EXEC;
	case 0:
		return DRV_VERDICT_NX;
	default:
		return DRV_VERDICT_UNKNOWN;
	}
}

static int slot_index(const struct pe_view *pe, uint64_t rva)
{
	size_t i;

	for (i = 0; i < pe->npool; i++)
		if (pe->pool[i].rva == rva)
			return (int)i;
	return -1;
}

static int stub_index(const struct pool_scan *ps, uint64_t rva)
{
	size_t i;

	for (i = 0; i < ps->nstubs; i++)
		if (ps->stubs[i] == rva)
			return (int)i;
	return -1;
}

/* Pass 1: "jmp [rip+slot]" is a stub for that slot. */
static void branch_seen(void *ctx, const struct drv_branch *b)
{
	struct pool_scan *ps = ctx;
	int slot;

	if (b->is_call || !b->via_mem || ps->nstubs >= MAX_STUBS)
		return;
	slot = slot_index(ps->pe, b->target);
	if (slot >= 0) {
		ps->stubs[ps->nstubs] = b->addr;
		ps->stub_slot[ps->nstubs++] = slot;
	}
}

static int callee(void *ctx, const struct drv_branch *b)
{
	struct pool_scan *ps = ctx;
	int stub;

	if (b->via_mem)
		return !b->is_call && stub_index(ps, b->addr) >= 0 ?
			       -1 : slot_index(ps->pe, b->target);
	stub = stub_index(ps, b->target);
	return stub >= 0 ? ps->stub_slot[stub] : -1;
}

static void report(struct pool_scan *ps, uint32_t rva,
		   const struct drv_pool_slot *slot, const struct drv_bits *rcx)
{
	int flags = slot->arg == DRV_POOL_FLAGS;
	enum drv_verdict v = flags ? drv_pool_flags_verdict(rcx) :
				     drv_pool_type_verdict(rcx);
	char value[40];

	if (v == DRV_VERDICT_NX)
		return;
	if (v == DRV_VERDICT_UNKNOWN) {
		drv_add(ps->res, "PE-XPOOL-UNKNOWN", DRV_WARN,
			"call of %s at RVA 0x%x: %s not decidable from the code before it",
			slot->name, rva, flags ? "pool flags" : "pool type");
		return;
	}
	if (flags) {
		drv_add(ps->res, "PE-XPOOL", DRV_FAIL,
			"call of %s at RVA 0x%x passes POOL_FLAG_NON_PAGED_EXECUTE: executable pool (use POOL_FLAG_NON_PAGED)",
			slot->name, rva);
		return;
	}
	if ((rcx->known & 0xffffffffull) == 0xffffffffull)
		snprintf(value, sizeof(value), "%u", (uint32_t)rcx->value);
	else
		snprintf(value, sizeof(value), "with bits 0 and 9 clear");
	drv_add(ps->res, "PE-XPOOL", DRV_FAIL,
		"call of %s at RVA 0x%x passes pool type %s, an executable pool (use NonPagedPoolNx)",
		slot->name, rva, value);
}

static void site(void *ctx, uint64_t insn_addr, int idx,
		 const struct drv_bits *regs)
{
	struct pool_scan *ps = ctx;

	report(ps, (uint32_t)insn_addr, &ps->pe->pool[idx], &regs[DRV_RCX]);
}

/* Executable sections' raw bytes, for the disassembler. */
static size_t pe_code(const struct pe_view *pe, struct drv_code *code,
		      size_t cap)
{
	struct pe_section s;
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < pe->nsect && n < cap; i++) {
		drv_pe_section(pe, i, &s);
		if (!(s.flags & DRV_SCN_MEM_EXECUTE) || !s.raw)
			continue;
		/* vbs_pe_check proved [ptr, ptr + raw) inside the file. */
		code[n].bytes = pe->buf + s.ptr;
		code[n].len = s.raw;
		code[n++].addr = s.va;
	}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Function entries from .pdata, sorted; *n = 0 when there is none. */
static uint64_t *pe_function_starts(const struct pe_view *pe, size_t *n)
{
	uint32_t rva, size, i, count;
	uint64_t *starts;
	size_t off;

	*n = 0;
	drv_pe_dir(pe, DRV_PE_DIR_EXCEPTION, &rva, &size);
	count = size / PDATA_ENTRY_LEN;
	if (!rva || !count)
		return NULL;
	if (count > MAX_PDATA)
		count = MAX_PDATA;
	starts = malloc((size_t)count * sizeof(*starts));
	if (!starts)
		return NULL;
	for (i = 0; i < count; i++) {
		uint64_t at = (uint64_t)rva + (uint64_t)i * PDATA_ENTRY_LEN;

		if (at > UINT32_MAX || drv_pe_rva_to_off(pe, (uint32_t)at, &off) ||
		    !span_ok(pe->len, off, 4))
			break;
		starts[(*n)++] = le32(pe->buf, off);
	}
	qsort(starts, *n, sizeof(*starts), cmp_u64);
	return starts;
}

void drv_pe_pool_calls(const struct pe_view *pe, struct drv_result *res)
{
	struct drv_code code[MAX_CODE_SECTIONS];
	struct pool_scan ps = { .pe = pe, .res = res };
	struct drv_sweep_ops ops = {
		.abi = DRV_ABI_MS,
		.ctx = &ps,
		.branch_seen = branch_seen,
		.callee = callee,
		.site = site,
	};
	size_t ncode;
	uint64_t *starts;
	int sites;

	if (!pe->npool)
		return;
	ncode = pe_code(pe, code, MAX_CODE_SECTIONS);
	starts = pe_function_starts(pe, &ops.nstarts);
	ops.starts = starts;
	sites = drv_sweep(code, ncode, &ops);
	free(starts);
	if (sites < 0)
		drv_add(res, "PE-XPOOL-UNKNOWN", DRV_UNKNOWN,
			"imports %s: the disassembler could not be started",
			pe->pool[0].name);
	else if (sites == 0)
		drv_add(res, "PE-XPOOL-UNKNOWN", DRV_WARN,
			"imports %s but no direct call site was found",
			pe->pool[0].name);
}
