/* SPDX-License-Identifier: MIT */
/* Secure intercepts in VTL1 (sk/core/intercept.c). */
#ifndef SK_CORE_INTERCEPT_H
#define SK_CORE_INTERCEPT_H

#include <stdint.h>

#include "core/evlog.h"
#include "services/modules.h"
#include "services/protect.h"

extern struct sk_protect sk_protect;
extern struct sk_modules sk_modules;

/* Registers this CPU's intercept entry with the hypervisor: 0 or -1. */
int sk_intercept_setup(uint32_t cpu);
/* Moves the CPUs' pending intercept events into the log (service lock
 * held). */
void sk_intercept_drain(struct sk_evlog *log, uint32_t ncpus);

#endif
