/* SPDX-License-Identifier: MIT */
/*
 * VTL0's kernel modules as VTL0 reports them (include/vbs/sk_abi.h
 * VBS_SK_SVC_MODULE; docs/secure-kernel.md "Where events come from"): the
 * code range and name of each, so that an event's address can be given a
 * module name. Reported, not verified: until memory integrity checks
 * modules as they load, a name is VTL0's word. Pure.
 *
 * Concurrency as protect.h: entries are appended under the caller's lock
 * and never change once published, except their `live` flag; lookups
 * (also from secure intercepts) take no lock.
 */
#ifndef SK_SERVICES_MODULES_H
#define SK_SERVICES_MODULES_H

#include <stdint.h>

#include "vbs/sk_abi.h"

#define SK_MODULES_MAX 256u

struct sk_module {
	uint64_t base, size;
	uint32_t live;                   /* atomic: 0 after GONE */
	char name[VBS_SK_EV_MODULE_LEN]; /* NUL-terminated */
};

struct sk_modules {
	struct sk_module mod[SK_MODULES_MAX];
	uint32_t count;                  /* published entries (atomic) */
};

/* A module's code [base, base + size) and name (len bytes, 1..31
 * printable): VBS_SK_OK, E_RANGE (not a kernel address, empty, over
 * 1 GiB, wraps), E_MALFORMED (name), E_NOSPACE. A live entry at the same
 * base is replaced. */
int sk_modules_note(struct sk_modules *t, uint64_t base, uint64_t size,
		    const uint8_t *name, uint32_t len);
/* The module at base is gone: VBS_SK_OK or E_NOENT. */
int sk_modules_gone(struct sk_modules *t, uint64_t base);
/* The name of the live module holding addr (the newest), or NULL. */
const char *sk_modules_lookup(const struct sk_modules *t, uint64_t addr);

#endif
