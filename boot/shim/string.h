/* SPDX-License-Identifier: MIT */
/*
 * The loader has no libc; BearSSL's bearssl_hash.h includes <string.h>
 * for these declarations only. Definitions: boot/libc.c.
 */
#ifndef VBS_BOOT_SHIM_STRING_H
#define VBS_BOOT_SHIM_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
