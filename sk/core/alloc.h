/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's allocator over one region given at init
 * (docs/secure-kernel.md "Allocator"). First fit over an implicit list
 * of blocks, 16-byte granules, neighbours coalesced on free. Free memory
 * is always zero: the region is zeroed at init and every block on free,
 * so allocations come back zeroed and no secret lingers. Not thread-safe:
 * the caller holds its lock.
 */
#ifndef SK_CORE_ALLOC_H
#define SK_CORE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#define SK_ALLOC_ALIGN 16u

enum sk_alloc_status {
	SK_ALLOC_OK = 0,
	SK_ALLOC_E_OUTSIDE = -1,   /* pointer not in the region */
	SK_ALLOC_E_NOTBLOCK = -2,  /* inside a used block, not its start */
	SK_ALLOC_E_DOUBLE = -3,    /* points into free memory: freed before */
	SK_ALLOC_E_CORRUPT = -4,   /* a block header is damaged */
	SK_ALLOC_E_ARG = -5,       /* bad region at init */
};

struct sk_heap {
	uint8_t *base;           /* 16-aligned start of the block list */
	size_t size;             /* bytes, multiple of 16 */
	size_t used;             /* bytes in allocated blocks, headers incl. */
	uint32_t blocks_used;
	uint32_t errors;         /* refused frees since init */
};

int sk_heap_init(struct sk_heap *h, void *region, size_t size);
void *sk_alloc(struct sk_heap *h, size_t n);
int sk_free(struct sk_heap *h, void *p);
/* Largest single allocation that would succeed now. */
size_t sk_heap_largest(const struct sk_heap *h);
/* Walks every block; SK_ALLOC_OK when the list is consistent and all
 * free bytes are zero. */
int sk_heap_check(const struct sk_heap *h);

#endif
