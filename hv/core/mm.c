// SPDX-License-Identifier: MIT
/*
 * Boot-time page allocator: a bump pointer over the heap the loader
 * reserved after the image (include/vbs/hv_image.h heap_size). Used only
 * while the hypervisor sets itself up; exit handlers draw from pools
 * reserved here (style.md §2).
 */
#include "core/hv.h"

static uint64_t mm_next, mm_end;

void hv_mm_init(uint64_t base, uint64_t size)
{
	mm_next = (base + HV_PAGE - 1) & ~(HV_PAGE - 1);
	mm_end = base + size;
}

uint64_t hv_alloc_pages(uint64_t n)
{
	uint64_t pa = mm_next;

	if (n > (mm_end - mm_next) / HV_PAGE)
		return 0;
	mm_next += n * HV_PAGE;
	memset((void *)(uintptr_t)pa, 0, n * HV_PAGE);
	return pa;
}
