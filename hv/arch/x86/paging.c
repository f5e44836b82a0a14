// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own page tables: an identity map of [0, hv_phys_top)
 * with 2 MiB pages (1 GiB where the CPU has them), supervisor-only.
 * APM2 §5.3 "Long-Mode Page Translation". Built once at boot.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "core/hv.h"

#define PT_P (1ull << 0)
#define PT_RW (1ull << 1)
#define PT_PS (1ull << 7)

static uint64_t *pt(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

uint64_t hv_paging_build(uint64_t top, bool use_1g)
{
	uint64_t pml4 = hv_alloc_pages(1), pdpt = 0, pd = 0, a;

	if (!pml4)
		return 0;
	for (a = 0; a < top;) {
		if (a % (512ull << 30) == 0) {
			pdpt = hv_alloc_pages(1);
			if (!pdpt)
				return 0;
			pt(pml4)[(a >> 39) & 511] = pdpt | PT_P | PT_RW;
		}
		if (use_1g) {
			pt(pdpt)[(a >> 30) & 511] = a | PT_P | PT_RW | PT_PS;
			a += 1ull << 30;
			continue;
		}
		if (a % (1ull << 30) == 0) {
			pd = hv_alloc_pages(1);
			if (!pd)
				return 0;
			pt(pdpt)[(a >> 30) & 511] = pd | PT_P | PT_RW;
		}
		pt(pd)[(a >> 21) & 511] = a | PT_P | PT_RW | PT_PS;
		a += 1ull << 21;
	}
	return pml4;
}
