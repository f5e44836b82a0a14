// SPDX-License-Identifier: MIT
/*
 * Boot-time page allocator: a bump pointer over the heap the loader
 * reserved after the image (include/vbs/hv_image.h heap_size), and the
 * same over other regions (vtl.c: the secure kernel's boot area). Used only
 * while the hypervisor sets itself up; exit handlers draw from pools
 * reserved here (style.md §2).
 */
#include "core/hv.h"

static struct hv_bump hv_heap;

void hv_bump_init(struct hv_bump *b, uint64_t base, uint64_t size)
{
	b->next = (base + HV_PAGE - 1) & ~(HV_PAGE - 1);
	b->end = base + size;
}

uint64_t hv_bump_pages(struct hv_bump *b, uint64_t n)
{
	uint64_t pa = b->next;

	if (b->next > b->end || n > (b->end - b->next) / HV_PAGE)
		return 0;
	b->next += n * HV_PAGE;
	memset((void *)(uintptr_t)pa, 0, n * HV_PAGE);
	return pa;
}

void hv_mm_init(uint64_t base, uint64_t size)
{
	hv_bump_init(&hv_heap, base, size);
}

uint64_t hv_alloc_pages(uint64_t n)
{
	return hv_bump_pages(&hv_heap, n);
}
