/* SPDX-License-Identifier: MIT */
/* Hardware entropy for the secure kernel (docs/secure-kernel.md
 * "Entropy"). */
#ifndef SK_ARCH_X86_ENTROPY_H
#define SK_ARCH_X86_ENTROPY_H

#include <stddef.h>

/* 1 when RDSEED or RDRAND is present (CPUID). */
int sk_hw_entropy_present(void);
/* Fills buf: RDSEED when present, else RDRAND; 0, or -1 when the
 * instruction keeps failing (retry limit) or neither exists. */
int sk_hw_entropy(void *buf, size_t len);

#endif
