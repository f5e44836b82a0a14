// SPDX-License-Identifier: MIT
/*
 * Byte and string helpers for freestanding code. Written here because no
 * libc can be linked into UEFI, hypervisor or secure-kernel images; host
 * builds use the same code so that what is tested is what runs.
 */
#include "base/base.h"

void *vbs_memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *vbs_memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int vbs_memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t vbs_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int vbs_strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}
