/* SPDX-License-Identifier: MIT */
/*
 * lib/base: the freestanding floor under every other library.
 *
 * Runs in UEFI, the hypervisor, VTL1 and host tools alike, so it uses only
 * the compiler's freestanding headers (stdint.h, stddef.h, stdbool.h).
 * Untrusted bytes are decoded by explicit offset, little-endian, never by
 * casting a struct over a buffer (docs/architecture.md, "Parsing").
 */
#ifndef VBS_LIB_BASE_H
#define VBS_LIB_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VBS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Little-endian loads. @pre the caller has bounds-checked off+width. */
static inline uint8_t le8(const uint8_t *p, size_t off) { return p[off]; }
static inline uint16_t le16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | (uint16_t)p[off + 1] << 8);
}
static inline uint32_t le32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	       (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}
static inline uint64_t le64(const uint8_t *p, size_t off)
{
	return (uint64_t)le32(p, off) | (uint64_t)le32(p, off + 4) << 32;
}

/* Overflow-checked arithmetic: return true on overflow (out untouched then). */
static inline bool ovf_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_add_overflow(a, b, out);
}
static inline bool ovf_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}
static inline bool ovf_add_size(size_t a, size_t b, size_t *out)
{
	return __builtin_add_overflow(a, b, out);
}
static inline bool ovf_mul_size(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

/*
 * True when [off, off+width) lies inside a buffer of len bytes, written in
 * subtraction form so that no sum can wrap.
 */
static inline bool span_ok(size_t len, size_t off, size_t width)
{
	return off <= len && width <= len - off;
}

/* Byte helpers: freestanding code has no libc (lib/base/mem.c). */
void *vbs_memset(void *dst, int c, size_t n);
void *vbs_memcpy(void *dst, const void *src, size_t n);
int vbs_memcmp(const void *a, const void *b, size_t n);
size_t vbs_strlen(const char *s);
int vbs_strcmp(const char *a, const char *b);

#endif
