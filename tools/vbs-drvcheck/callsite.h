/* SPDX-License-Identifier: MIT */
/*
 * Pool allocations of PE drivers judged at their call sites
 * (docs/drvcheck.md, PE-XPOOL): the first argument (rcx, Microsoft x64
 * ABI) of every call of an ExAllocatePool* import, as sweep.h knows it
 * before the call. The verdicts on the argument's bits are here so that
 * the unit tests check exactly what the tool applies.
 */
#ifndef VBS_DRVCHECK_CALLSITE_H
#define VBS_DRVCHECK_CALLSITE_H

#include "internal.h"
#include "sweep.h"

enum drv_verdict { DRV_VERDICT_EXEC, DRV_VERDICT_NX, DRV_VERDICT_UNKNOWN };

/*
 * POOL_TYPE (Microsoft docs "POOL_TYPE enumeration"): executable unless
 * the paged bit 0 (PagedPool and its variants) or the Nx bit 9
 * (NonPagedPoolNx = 512, POOL_NX_ALLOCATION) is set.
 */
enum drv_verdict drv_pool_type_verdict(const struct drv_bits *arg);

/*
 * POOL_FLAGS (Microsoft docs "POOL_FLAGS"): executable exactly when
 * POOL_FLAG_NON_PAGED_EXECUTE (0x80) is set; POOL_FLAG_NON_PAGED (0x40)
 * is non-paged NX.
 */
enum drv_verdict drv_pool_flags_verdict(const struct drv_bits *arg);

#define DRV_POOL_FLAG_NON_PAGED_EXECUTE 0x80u

#endif
