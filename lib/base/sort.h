/* SPDX-License-Identifier: MIT */
/*
 * Sorting index arrays: uint32_t positions into a table the caller owns,
 * ordered by a caller's "less" on the rows they name.
 *
 * Freestanding code has no qsort, so this is written here. It is a
 * bottom-up merge sort: O(n log n) comparisons whatever the input (a
 * hostile table cannot make it quadratic, as it could a naive quicksort),
 * stable, no recursion (style.md §5), and nothing allocated: the scratch
 * buffer comes from the caller. Merge sort rather than heap sort because
 * lib/fw/mat.c also needs the level-by-level merges themselves (it checks
 * each sorted half against the other before merging them).
 *
 * Header-only (static inline) so that every build that compiles lib/fw
 * sources, the fuzzers included, has it without a new object to link.
 */
#ifndef VBS_LIB_BASE_SORT_H
#define VBS_LIB_BASE_SORT_H

#include "base/base.h"

/* True when row a must come before row b. */
typedef bool (*vbs_idx_less)(uint32_t a, uint32_t b, const void *ctx);

/*
 * Merge the sorted runs src[0..nl) and src[nl..nl+nr) into dst[0..nl+nr);
 * on ties the left run's element comes first (stable). src and dst must
 * not overlap.
 */
static inline void vbs_idx_merge(const uint32_t *src, size_t nl, size_t nr,
				 uint32_t *dst, vbs_idx_less less,
				 const void *ctx)
{
	size_t i = 0, j = nl, k = 0, end = nl + nr;

	while (i < nl && j < end)
		dst[k++] = less(src[j], src[i], ctx) ? src[j++] : src[i++];
	while (i < nl)
		dst[k++] = src[i++];
	while (j < end)
		dst[k++] = src[j++];
}

/* Size of the left and right run of the merge at position a, width w. */
static inline void vbs_idx_runs(size_t n, size_t a, size_t w, size_t *nl,
				size_t *nr)
{
	*nl = n - a < w ? n - a : w;
	*nr = n - a - *nl < w ? n - a - *nl : w;
}

/*
 * Sort idx[0..n) by less (stable). tmp: n elements of scratch.
 * @pre n <= SIZE_MAX / 4 (the run widths double without wrapping).
 */
static inline void vbs_idx_sort(uint32_t *idx, uint32_t *tmp, size_t n,
				vbs_idx_less less, const void *ctx)
{
	uint32_t *src = idx, *dst = tmp, *t;
	size_t w, a, nl, nr;

	for (w = 1; w < n; w *= 2) {
		for (a = 0; a < n; a += nl + nr) {
			vbs_idx_runs(n, a, w, &nl, &nr);
			vbs_idx_merge(src + a, nl, nr, dst + a, less, ctx);
		}
		t = src;
		src = dst;
		dst = t;
	}
	if (src != idx)
		vbs_memcpy(idx, src, n * sizeof(*idx));
}

#endif
