// SPDX-License-Identifier: MIT
/*
 * The C library symbols that Debian's libbearssl.a objects reference
 * (testbed.md "Crypto libraries in freestanding code"), on lib/base.
 */
#include <string.h>

#include "boot/loader.h"

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return vbs_memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	return vbs_memcmp(a, b, n);
}

size_t strlen(const char *s)
{
	return vbs_strlen(s);
}

/* _FORTIFY_SOURCE variants: check the destination size, then do it. */
void __stack_chk_fail(void) __attribute__((noreturn));
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);

static void __attribute__((noreturn)) fatal(const char *what)
{
	con_printf("\nOpenVBS: FATAL: %s; halting.\n", what);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void __stack_chk_fail(void)
{
	fatal("stack protector tripped in crypto code");
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	if (n > dstlen)
		fatal("memcpy overflow");
	return vbs_memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dstlen)
{
	if (n > dstlen)
		fatal("memmove overflow");
	return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dstlen)
{
	if (n > dstlen)
		fatal("memset overflow");
	return vbs_memset(dst, c, n);
}
