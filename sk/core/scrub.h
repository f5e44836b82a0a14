/* SPDX-License-Identifier: MIT */
/* Zeroing the compiler may not elide: for keys and freed memory. */
#ifndef SK_CORE_SCRUB_H
#define SK_CORE_SCRUB_H

#include <stddef.h>

void sk_scrub(void *p, size_t n);

/* Constant-time comparison: 0 when equal, the time independent of where
 * the bytes differ. */
int sk_ct_differ(const void *a, const void *b, size_t n);

#endif
