// SPDX-License-Identifier: MIT
/* Zeroing through a volatile pointer, then a compiler barrier: a store
 * the compiler proves dead (memory about to be freed or go out of scope)
 * is still done. */
#include "core/scrub.h"

#include <stdint.h>

void sk_scrub(void *p, size_t n)
{
	volatile uint8_t *v = p;

	while (n--)
		*v++ = 0;
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

int sk_ct_differ(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	uint8_t acc = 0;

	while (n--)
		acc |= *x++ ^ *y++;
	return acc != 0;
}
