/* SPDX-License-Identifier: MIT */
/*
 * A test-and-test-and-set spinlock for the few places CPUs share state
 * (the log, the AP start-up table). The host runs with interrupts and
 * GIF off, so a holder is never preempted; holders keep it for a few
 * hundred instructions at most.
 */
#ifndef HV_CORE_SPINLOCK_H
#define HV_CORE_SPINLOCK_H

#include <stdint.h>

struct hv_spinlock {
	volatile uint32_t held;
};

static inline void hv_spin_lock(struct hv_spinlock *l)
{
	while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->held, __ATOMIC_RELAXED))
			__asm__ volatile("pause" : : : "memory");
}

static inline void hv_spin_unlock(struct hv_spinlock *l)
{
	__atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

#endif
