// SPDX-License-Identifier: MIT
/*
 * memcpy, memmove, memset, memcmp for the freestanding images (hv.bin,
 * sk.bin): the four functions a compiler may emit calls to even with
 * -ffreestanding (GCC manual, "C Dialect Options"), and which Debian's
 * libbearssl.a calls in sk.bin. Written here because no C library can be
 * linked into those images.
 *
 * Built only into the images, with -fno-tree-loop-distribute-patterns
 * (hv/hv.mk, sk/sk.mk) so that the loops below are not turned back into
 * calls to themselves; never into anything linked beside a C library
 * (hence lib/image/, which no library archive or host rule globs).
 * lib/base/mem.c's vbs_mem* are the same loops under names that can be
 * linked anywhere (UEFI, host tools).
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}
