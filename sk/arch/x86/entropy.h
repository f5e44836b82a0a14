/* SPDX-License-Identifier: MIT */
/* VTL1's entropy: the CPU's RDSEED / RDRAND and the pool the vault draws
 * from (docs/secure-kernel.md "Entropy"; core/entropy_pool.h). */
#ifndef SK_ARCH_X86_ENTROPY_H
#define SK_ARCH_X86_ENTROPY_H

#include <stddef.h>
#include <stdint.h>

/* 1 when RDSEED or RDRAND is present (CPUID). */
int sk_hw_entropy_present(void);
/* RDSEED when present, else RDRAND (sk_cpu_entropy_fn): 0 with *used =
 * VBS_SK_ENTROPY_* that delivered (0: neither instruction exists, buf
 * untouched), or -1 when an instruction keeps failing (retry limit). */
int sk_cpu_entropy(void *buf, size_t len, uint32_t *used);
/* The vault's entropy callback (sk_entropy_fn): len bytes from VTL1's
 * pool, fresh RDSEED/RDRAND output mixed in first; 0, or -1 when the
 * pool was never seeded or the CPU source failed. */
int sk_hw_entropy(void *buf, size_t len);

#endif
