// SPDX-License-Identifier: MIT
/*
 * The secure kernel's loop in VTL1 (docs/secure-kernel.md "Running in
 * VTL1"): report the start status with the first VTL_RETURN, then serve
 * one VTL call per VTL_RETURN for ever.
 *
 * A request arrives as the guest-physical address of a struct
 * vbs_sk_request in VTL0 memory (the hypervisor checked it lies in one
 * page outside the hypervisor's and the secure kernel's memory). VTL1's
 * page tables map RAM 1:1 (read/write, never executable), so an address is
 * a pointer once it is checked against [0, map_top) and the hidden
 * regions. The request block and the input buffer are copied into VTL1
 * memory before they are looked at (VTL0's other CPUs may change them
 * meanwhile); outputs are written to VTL0 memory directly. One request is
 * served at a time (a lock around the services: the vault and the log are
 * shared by all CPUs). Before it, the events secure intercepts left
 * (core/intercept.c) move into the log.
 */
#include <string.h>

#include "base/range.h"
#include "core/evlog.h"
#include "core/intercept.h"
#include "core/scrub.h"
#include "core/sk.h"
#include "services/dispatch.h"
#include "services/vault.h"
#include "vbs/hypercall.h"
#include "vbs/sk_abi.h"

extern struct sk_evlog sk_log;
extern struct sk_vault sk_vault;

uint64_t sk_vtl_return(uint64_t status, uint64_t *cpu, uint64_t *caller);
__attribute__((noreturn)) void sk_serve(uint32_t cpu, int64_t status,
					const struct vbs_sk_params *p);

static volatile uint32_t serve_lock;
static uint8_t serve_in[VBS_SK_BUF_MAX]; /* the input, copied (under lock) */
static uint32_t serve_in_used;           /* bytes of it to scrub after */

static void lock(void)
{
	while (__atomic_exchange_n(&serve_lock, 1, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause" : : : "memory");
}

static void unlock(void)
{
	__atomic_store_n(&serve_lock, 0, __ATOMIC_RELEASE);
}

/* APM3 "RDTSC": the time-stamp counter, for the diagnostic spin. */
static uint64_t serve_cycles(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* VTL0 memory a request may name: mapped, not hidden. */
static int vtl0_range_ok(const struct vbs_sk_params *p, uint64_t gpa,
			 uint64_t len)
{
	return len && gpa < p->map_top && len <= p->map_top - gpa &&
	       !vbs_range_overlaps(gpa, len, p->region_base, p->hidden_size) &&
	       !vbs_range_overlaps(gpa, len, p->hv_base, p->hv_size);
}

static int serve_vtl0_range(void *ctx, uint64_t gpa, uint64_t len)
{
	return vtl0_range_ok(ctx, gpa, len);
}

/* sk_map_fn (services/dispatch.h): inputs through the copy, outputs in
 * place. */
static void *serve_map(void *ctx, uint64_t gpa, uint32_t len, int writable)
{
	const struct vbs_sk_params *p = ctx;

	if (!vtl0_range_ok(p, gpa, len) || len > sizeof(serve_in))
		return NULL;
	if (writable)
		return (void *)(uintptr_t)gpa;
	memcpy(serve_in, (const void *)(uintptr_t)gpa, len);
	serve_in_used = len;
	return serve_in;
}

/* VBS_HC_MODIFY_VTL_PROTECTION_MASK (include/vbs/hypercall.h): 0, or
 * the hypervisor's status. */
static int serve_set_mask(uint64_t gpa, uint64_t pages, uint32_t mask)
{
	uint64_t status, rbx = gpa, rcx = pages, rdx = mask;

	__asm__ volatile("vmmcall"
			 : "=a"(status), "+b"(rbx), "+c"(rcx), "+d"(rdx)
			 : "a"((uint64_t)VBS_HC_MODIFY_VTL_PROTECTION_MASK),
			   "S"(0ull), "D"(0ull)
			 : "memory");
	return (int)status;
}

static int64_t serve_one(const struct vbs_sk_params *p, uint64_t gpa,
			 uint64_t caller)
{
	uint8_t req[VBS_SK_REQ_SIZE];
	uint8_t *vtl0_req = (uint8_t *)(uintptr_t)gpa;
	struct sk_dispatch_ctx ctx = {
		.vault = &sk_vault, .log = &sk_log, .map = serve_map,
		.map_ctx = (void *)p, .sk_version = SK_VERSION,
		.props_available = VBS_SK_PROP_VTL1 | VBS_SK_PROP_VAULT |
				   VBS_SK_PROP_PROTECT,
		.props_required = 0,
		.props_running = VBS_SK_PROP_VTL1 | VBS_SK_PROP_VAULT |
				 VBS_SK_PROP_PROTECT,
		.caller = caller,
		.caller_module = sk_modules_lookup(&sk_modules, caller),
		.cycles = serve_cycles,
		.protect = &sk_protect, .set_mask = serve_set_mask,
		.vtl0_range = serve_vtl0_range, .modules = &sk_modules,
	};
	int rc;

	if (!vtl0_range_ok(p, gpa, VBS_SK_REQ_SIZE))
		return VBS_SK_E_FAULT;
	lock();
	sk_intercept_drain(&sk_log, p->cpu_count);
	memcpy(req, vtl0_req, sizeof(req));
	rc = sk_dispatch(&ctx, req, sizeof(req));
	/* The input may have been a key (vault import): no copy stays. */
	sk_scrub(serve_in, serve_in_used);
	serve_in_used = 0;
	memcpy(vtl0_req + 0x14, req + 0x14, 4); /* status */
	memcpy(vtl0_req + 0x48, req + 0x48, 4); /* out_len */
	unlock();
	return rc;
}

void sk_serve(uint32_t cpu, int64_t status, const struct vbs_sk_params *p)
{
	uint64_t gpa, on_cpu = cpu, caller = 0;

	if (status == 0 && sk_intercept_setup(cpu))
		status = -1; /* the hypervisor refused: this CPU has no VTL1 */
	if (status == 0 && cpu == 0)
		sk_evlog_add(&sk_log, VBS_SK_EV_INFO, 0, 0, 0, "sk",
			     "serving VTL calls");
	for (;;) {
		gpa = sk_vtl_return((uint64_t)status, &on_cpu, &caller);
		status = serve_one(p, gpa, caller);
	}
}
