/* SPDX-License-Identifier: MIT */
/*
 * Pool-type call-site analysis of PE drivers with Capstone
 * (docs/drvcheck.md, PE-XPOOL): finds every call of an ExAllocatePool*
 * import, directly through its IAT slot (call [rip+disp]) or through a
 * linker stub (jmp [rip+disp]), and decides the pool type from the value
 * last put in ecx/rcx (first argument, Microsoft x64 ABI) before the call.
 */
#ifndef VBS_DRVCHECK_CALLSITE_H
#define VBS_DRVCHECK_CALLSITE_H

#include <stddef.h>
#include <stdint.h>

#define DRV_MAX_SLOTS 16

struct drv_code {
	const uint8_t *bytes;  /* an executable section's raw bytes */
	size_t len;
	uint32_t rva;          /* its RVA */
};

enum drv_pool_verdict { DRV_POOL_EXEC, DRV_POOL_NX, DRV_POOL_UNKNOWN };

/* Called for every call site found. */
typedef void (*drv_callsite_fn)(void *ctx, uint32_t call_rva,
				enum drv_pool_verdict v, uint64_t pool_type);

/*
 * Scan code[0, ncode) for calls to the IAT slots slots[0, nslots).
 * Returns the number of call sites, or -1 when Capstone fails to open.
 */
int drv_pool_callsites(const struct drv_code *code, size_t ncode,
		       const uint32_t *slots, size_t nslots,
		       drv_callsite_fn fn, void *ctx);

/* Windows POOL_TYPE: executable unless paged (bit 0) or Nx (bit 9). */
static inline int drv_pool_type_executable(uint64_t t)
{
	return !(t & 1) && !(t & 512);
}

#endif
