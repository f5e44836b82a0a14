/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's service dispatcher (docs/abi.md "Secure kernel
 * services (VTL1)"). Pure: the request block is bytes,
 * buffers are turned into host pointers by the caller's map callback (the
 * VTL0 address translation is glue that does not exist yet).
 */
#ifndef SK_SERVICES_DISPATCH_H
#define SK_SERVICES_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/evlog.h"
#include "services/modules.h"
#include "services/protect.h"
#include "services/vault.h"
#include "vbs/sk_abi.h"

/* A host pointer to [gpa, gpa + len), writable if asked; NULL if that
 * range may not be touched (not VTL0 RAM, VTL1 memory, ...). len > 0. */
typedef void *(*sk_map_fn)(void *map_ctx, uint64_t gpa, uint32_t len, int writable);

struct sk_dispatch_ctx {
	struct sk_vault *vault;
	struct sk_evlog *log;
	sk_map_fn map;
	void *map_ctx;
	uint32_t sk_version;
	uint32_t props_available;
	uint32_t props_required;
	uint32_t props_running;
	uint64_t caller;          /* where the request came from (VTL0 RIP) */
	const char *caller_module;/* module holding caller, NULL if unknown */
	/* A cycle counter for VBS_SK_STATUS_SPIN (RDTSC in VTL1); NULL:
	 * that operation is refused with VBS_SK_E_OP. */
	uint64_t (*cycles)(void);
	/* Protected ranges (VBS_SK_SVC_PROTECT) and the hypercall that sets
	 * VTL0's mask (0 done, else the hypervisor's status); either NULL:
	 * that service is refused with VBS_SK_E_OP. */
	struct sk_protect *protect;
	int (*set_mask)(uint64_t gpa, uint64_t pages, uint32_t mask);
	/* Whether [gpa, gpa + len) is VTL0 memory VTL0 may protect (not the
	 * hypervisor's or the secure kernel's); NULL: any. */
	int (*vtl0_range)(void *map_ctx, uint64_t gpa, uint64_t len);
	/* VTL0's modules as reported (VBS_SK_SVC_MODULE); NULL: refused. */
	struct sk_modules *modules;
};

/* Parses, validates and runs one request block of req_len bytes. Writes
 * status (0x14) and out_len (0x48) back when req_len covers the block.
 * Returns the status. Every refusal is logged (VBS_SK_EV_REFUSED). */
int sk_dispatch(const struct sk_dispatch_ctx *ctx, uint8_t *req, size_t req_len);

#endif
