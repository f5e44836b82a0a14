// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own page tables: an identity map of [0, hv_phys_top)
 * with 2 MiB pages (1 GiB where the CPU has them), supervisor-only, and
 * W^X: everything is read/write and no-execute except the hypervisor's
 * text (read-only, executable, 4 KiB pages) and the AP start page
 * (read-only, executable). APM2 §5.3 "Long-Mode Page Translation", §5.6
 * "Page-Protection Checks" (NX needs EFER.NXE, write protection of
 * ring-0 writes needs CR0.WP: svm.c sets both). Built once at boot.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "core/hv.h"

#define PT_P (1ull << 0)
#define PT_RW (1ull << 1)
#define PT_PS (1ull << 7)
#define PT_NX (1ull << 63)
#define PT_ADDR 0x000ffffffffff000ull
#define PT_LEAF_RW (PT_P | PT_RW | PT_NX)

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
			pt(pdpt)[(a >> 30) & 511] = a | PT_LEAF_RW | PT_PS;
			a += 1ull << 30;
			continue;
		}
		if (a % (1ull << 30) == 0) {
			pd = hv_alloc_pages(1);
			if (!pd)
				return 0;
			pt(pdpt)[(a >> 30) & 511] = pd | PT_P | PT_RW;
		}
		pt(pd)[(a >> 21) & 511] = a | PT_LEAF_RW | PT_PS;
		a += 1ull << 21;
	}
	return pml4;
}

/* The 4 KiB entry for pa, splitting 1 GiB / 2 MiB pages on the way with
 * boot-allocator pages (same flags one level down; bit 7 is PAT in a
 * PTE, so PS is dropped there). 0 when out of memory. */
static uint64_t *pte_for(uint64_t pml4, uint64_t pa)
{
	uint64_t *table = pt(pml4), *e, t, flags, base, size;
	unsigned int level, i;

	for (level = 4; level > 1; level--) {
		e = &table[(pa >> (12 + 9 * (level - 1))) & 511];
		if (!(*e & PT_P))
			return 0;
		if (*e & PT_PS) {
			size = 1ull << (12 + 9 * (level - 1));
			t = hv_alloc_pages(1);
			if (!t)
				return 0;
			base = *e & PT_ADDR & ~(size - 1);
			flags = *e & ~PT_ADDR;
			if (level == 2)
				flags &= ~PT_PS;
			for (i = 0; i < 512; i++)
				pt(t)[i] = (base + i * (size / 512)) | flags;
			*e = t | PT_P | PT_RW;
		}
		table = pt(*e & PT_ADDR);
	}
	return &table[(pa >> 12) & 511];
}

int hv_paging_exec(uint64_t pml4, uint64_t start, uint64_t end)
{
	uint64_t a, *e;

	for (a = start & ~0xfffull; a < end; a += 4096) {
		e = pte_for(pml4, a);
		if (!e)
			return -1;
		*e = (*e & ~(PT_RW | PT_NX)) | PT_P;
	}
	return 0;
}

/* The leaf entry mapping pa (any size), 0 when unmapped. */
uint64_t hv_paging_lookup(uint64_t pml4, uint64_t pa)
{
	uint64_t *table = pt(pml4), e = 0;
	unsigned int level;

	for (level = 4; level >= 1; level--) {
		e = table[(pa >> (12 + 9 * (level - 1))) & 511];
		if (!(e & PT_P) || level == 1 || (e & PT_PS))
			return (e & PT_P) ? e : 0;
		table = pt(e & PT_ADDR);
	}
	return 0;
}

bool hv_paging_is_exec(uint64_t pml4, uint64_t pa)
{
	uint64_t e = hv_paging_lookup(pml4, pa);

	return e && !(e & PT_NX) && !(e & PT_RW);
}

bool hv_paging_is_data(uint64_t pml4, uint64_t pa)
{
	uint64_t e = hv_paging_lookup(pml4, pa);

	return e && (e & PT_NX) && (e & PT_RW);
}
