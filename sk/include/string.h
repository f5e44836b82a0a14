/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's own <string.h>: the freestanding build has no libc
 * headers (-nostdinc), and BearSSL's bearssl_hash.h includes this one.
 * Only the functions sk/core/libc.c defines.
 */
#ifndef SK_STRING_H
#define SK_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
