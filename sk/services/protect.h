/* SPDX-License-Identifier: MIT */
/*
 * Protected ranges of VTL0 memory and the answers to their violations
 * (include/vbs/sk_abi.h VBS_SK_SVC_PROTECT; docs/secure-kernel.md
 * "Protected memory"). Pure: no hardware access, no allocation; the
 * caller sets the masks (hypercall) and logs the verdicts.
 *
 * Concurrency: ranges are added under the caller's service lock and only
 * ever appended; a range is filled before count publishes it, so
 * sk_protect_decide() (a secure intercept, any CPU, interrupts off, maybe
 * while that CPU's VTL call holds the service lock) reads without a lock.
 */
#ifndef SK_SERVICES_PROTECT_H
#define SK_SERVICES_PROTECT_H

#include <stdint.h>

#include "vbs/hypercall.h"
#include "vbs/sk_abi.h"

struct sk_protect {
	struct vbs_sk_protect_range range[VBS_SK_PROTECT_RANGES];
	uint32_t count;          /* published ranges (atomic) */
};

/* One verdict: the answer for the hypervisor and the event to log. */
struct sk_protect_verdict {
	uint32_t action;         /* VBS_VTL_INTERCEPT_* */
	uint32_t event_kind;     /* VBS_SK_EV_DENIED or VBS_SK_EV_AUDIT */
	int32_t code;            /* the access, VBS_VTL_PROT_* */
	char detail[VBS_SK_EV_DETAIL_LEN];
};

/* Parses and checks one struct vbs_sk_protect_range (in, len bytes):
 * VBS_SK_OK, or E_MALFORMED / E_RANGE. */
int sk_protect_parse(const uint8_t *in, uint32_t len,
		     struct vbs_sk_protect_range *r);
/* Appends a parsed range: VBS_SK_OK and *idx, or E_DENIED (overlaps a
 * protected range) / E_NOSPACE. The range is ACTIVE from here on. */
int sk_protect_add(struct sk_protect *t, const struct vbs_sk_protect_range *r,
		   uint32_t *idx);
/* The hypervisor refused (part of) range idx's mask. */
void sk_protect_mark_partial(struct sk_protect *t, uint32_t idx);
/* Copies up to max ranges; returns how many. */
uint32_t sk_protect_list(const struct sk_protect *t,
			 struct vbs_sk_protect_range *out, uint32_t max);
/* The answer to a secure intercept (m was written by the hypervisor). */
void sk_protect_decide(struct sk_protect *t, const struct vbs_vtl_intercept *m,
		       struct sk_protect_verdict *v);

#endif
