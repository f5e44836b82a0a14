// SPDX-License-Identifier: MIT
/*
 * The few C library symbols the secure kernel image needs, and why:
 *
 * - memcpy, memmove, memset, memcmp come from lib/image/cmem.c (shared
 *   with hv.bin).
 * - strlen: libbearssl.a's objects reference it.
 * - __memcpy_chk, __memmove_chk, __memset_chk: Debian builds BearSSL with
 *   -D_FORTIFY_SOURCE=2, which turns calls with a known destination size
 *   into these checked forms (LSB 5.0 "Interfaces for libc": abort when
 *   the length exceeds the destination size).
 * - __stack_chk_fail: BearSSL is built with -fstack-protector-strong; a
 *   function whose canary (%fs:0x28, struct sk_percpu) changed calls it.
 *   Every such failure is fatal here: the stack of a VTL1 service was
 *   overwritten, so sk stops this CPU rather than continue.
 *
 * Built with -fno-tree-loop-distribute-patterns so the loop below is not
 * turned back into a call to strlen.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len);
void *__memmove_chk(void *dst, const void *src, size_t n, size_t dst_len);
void *__memset_chk(void *dst, int c, size_t n, size_t dst_len);
void __stack_chk_fail(void);
void sk_halt(void) __attribute__((noreturn));

void sk_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
	if (n > dst_len)
		sk_halt();
	return memcpy(dst, src, n);
}

void *__memmove_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
	if (n > dst_len)
		sk_halt();
	return memmove(dst, src, n);
}

void *__memset_chk(void *dst, int c, size_t n, size_t dst_len)
{
	if (n > dst_len)
		sk_halt();
	return memset(dst, c, n);
}

void __stack_chk_fail(void)
{
	sk_halt();
}
