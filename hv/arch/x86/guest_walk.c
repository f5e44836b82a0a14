// SPDX-License-Identifier: MIT
/*
 * Guest page-table walk: APM2 §5.2 "Legacy-Mode Page Translation" (32-bit
 * and PAE) and §5.3 "Long-Mode Page Translation" (4- and 5-level). Only
 * presence and page size matter here: the hypervisor reads, it does not
 * check the guest's permissions.
 */
#include "arch/x86/guest_walk.h"

#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define EFER_LMA (1ull << 10)
#define PTE_P (1ull << 0)
#define PTE_PS (1ull << 7)
#define PTE_ADDR 0x000ffffffffff000ull

static int read_entry(const struct gwalk_ctx *c, uint64_t pa, size_t size,
		      uint64_t *e)
{
	uint8_t b[8];
	size_t i;

	if (c->read_phys(c->opaque, pa, b, size))
		return -1;
	*e = 0;
	for (i = 0; i < size; i++)
		*e |= (uint64_t)b[i] << (8 * i);
	return 0;
}

/* 64-bit entries: PAE (3 levels) and long mode (4/5 levels). */
static int walk64(const struct gwalk_ctx *c, uint64_t la, int levels,
		  uint64_t *gpa)
{
	uint64_t table = c->cr3 & PTE_ADDR, e;
	unsigned int shift;
	int level;

	if (levels == 3)
		table = c->cr3 & 0xffffffe0ull; /* PDPT is 32-byte aligned */
	for (level = levels; level >= 1; level--) {
		shift = 12 + 9 * (unsigned int)(level - 1);
		if (levels == 3 && level == 3)
			e = (la >> 30) & 3;
		else
			e = (la >> shift) & 511;
		if (read_entry(c, table + e * 8, 8, &e) || !(e & PTE_P))
			return -1;
		if (level == 1 || ((e & PTE_PS) &&
		    (level == 2 || (level == 3 && levels != 3)))) {
			uint64_t size = 1ull << shift;

			*gpa = (e & PTE_ADDR & ~(size - 1)) | (la & (size - 1));
			return 0;
		}
		table = e & PTE_ADDR;
	}
	return -1;
}

/* 32-bit non-PAE: 2 levels, 4 MiB pages with CR4.PSE. */
static int walk32(const struct gwalk_ctx *c, uint64_t la, uint64_t *gpa)
{
	uint64_t e;

	if (read_entry(c, (c->cr3 & 0xfffff000ull) + ((la >> 22) & 1023) * 4,
		       4, &e) || !(e & PTE_P))
		return -1;
	if ((e & PTE_PS) && (c->cr4 & CR4_PSE)) {
		*gpa = (e & 0xffc00000ull) | (la & 0x3fffff);
		return 0;
	}
	if (read_entry(c, (e & 0xfffff000ull) + ((la >> 12) & 1023) * 4, 4,
		       &e) || !(e & PTE_P))
		return -1;
	*gpa = (e & 0xfffff000ull) | (la & 0xfff);
	return 0;
}

int gwalk_translate(const struct gwalk_ctx *c, uint64_t la, uint64_t *gpa)
{
	if (!(c->cr0 & CR0_PG)) {
		*gpa = la & 0xffffffffull;
		return 0;
	}
	if (c->efer & EFER_LMA)
		return walk64(c, la, (c->cr4 & CR4_LA57) ? 5 : 4, gpa);
	if (c->cr4 & CR4_PAE)
		return walk64(c, la & 0xffffffffull, 3, gpa);
	return walk32(c, la & 0xffffffffull, gpa);
}

int gwalk_read(const struct gwalk_ctx *c, uint64_t la, void *buf, size_t len)
{
	uint8_t *out = buf;
	uint64_t gpa;
	size_t chunk;

	while (len) {
		if (gwalk_translate(c, la, &gpa))
			return -1;
		chunk = 4096 - (size_t)(la & 4095);
		if (chunk > len)
			chunk = len;
		if (c->read_phys(c->opaque, gpa, out, chunk))
			return -1;
		out += chunk;
		la += chunk;
		len -= chunk;
	}
	return 0;
}
