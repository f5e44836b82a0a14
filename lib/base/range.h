/* SPDX-License-Identifier: MIT */
/*
 * Address ranges: does one range touch, or lie inside, another?
 *
 * One answer for the hypervisor (hv_hidden_from_vtl), the secure kernel
 * (the VTL0 buffers it is handed, its protected ranges) and host tests.
 * Header-only and pure, so hv.bin and sk.bin (which link no libvbs.a)
 * compile it with their own flags; freestanding headers only.
 *
 * A range is its start and a length in bytes: the len bytes at start,
 * start + 1, ..., computed modulo 2^64 as address arithmetic is. So a
 * range that runs past 2^64 continues at 0 (and touches what lies there),
 * one that ends exactly at 2^64 does not, and a range of length 0 holds
 * no byte. No sum start + len is ever formed: only differences, which
 * cannot overflow.
 */
#ifndef VBS_LIB_BASE_RANGE_H
#define VBS_LIB_BASE_RANGE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * True when [a, a + alen) and [b, b + blen) share at least one byte.
 * Two runs on the circle of 2^64 addresses meet exactly when one starts
 * inside the other: b - a < alen (b is among a's bytes) or a - b < blen.
 * Ranges that only touch (a + alen == b) do not overlap; an empty range
 * overlaps nothing.
 */
static inline bool vbs_range_overlaps(uint64_t a, uint64_t alen, uint64_t b,
				      uint64_t blen)
{
	if (!alen || !blen)
		return false;
	return b - a < alen || a - b < blen;
}

/*
 * True when every byte of [a, a + alen) is a byte of [b, b + blen): the
 * offset of a in b is at most blen and the rest of b holds alen bytes. An
 * empty range is within when its start lies in [b, b + blen] (the end
 * included). When [b, b + blen) does not run past 2^64, neither does a
 * range within it: then b <= a and a + alen <= b + blen as integers.
 */
static inline bool vbs_range_within(uint64_t a, uint64_t alen, uint64_t b,
				    uint64_t blen)
{
	uint64_t off = a - b;

	return off <= blen && alen <= blen - off;
}

/*
 * True when [a, a + alen) runs past 2^64, so that its last byte, a +
 * alen - 1, would be computed as a small address. A range ending exactly
 * at 2^64 does not wrap; an empty one never does.
 */
static inline bool vbs_range_wraps(uint64_t a, uint64_t alen)
{
	return alen && alen - 1 > UINT64_MAX - a;
}

#endif
