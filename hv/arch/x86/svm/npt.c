// SPDX-License-Identifier: MIT
/*
 * Nested page tables: builders, identity map, split, permissions
 * (hv/arch/x86/svm/npt.h). APM2 §15.25 "Nested Paging", §5.3 "Long-Mode
 * Page Translation".
 */
#include "arch/x86/svm/npt.h"

#define NPT_ENTRIES 512u

static inline uint64_t *npt_ptr(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static inline unsigned int npt_index(uint64_t gpa, unsigned int level)
{
	return (unsigned int)(gpa >> (12 + 9 * (level - 1))) & 511u;
}

uint64_t npt_table_entry(uint64_t table_pa)
{
	return (table_pa & NPT_ADDR_MASK) | NPT_P | NPT_RW | NPT_US;
}

uint64_t npt_leaf_entry(uint64_t pa, enum npt_perm perm, bool large)
{
	uint64_t e = (pa & NPT_ADDR_MASK) | NPT_P | NPT_US;

	switch (perm) {
	case NPT_PERM_RWX:
		e |= NPT_RW;
		break;
	case NPT_PERM_RX:
		break;
	case NPT_PERM_RW:
		e |= NPT_RW | NPT_NX;
		break;
	case NPT_PERM_R:
	case NPT_PERM_HIDDEN:
		e |= NPT_NX;
		break;
	case NPT_PERM_NONE:
	default:
		return 0;
	}
	return large ? e | NPT_PS : e;
}

uint64_t npt_pool_page(struct npt_pool *pool)
{
	uint64_t pa, *p;
	unsigned int i;

	if (pool->used >= pool->npages)
		return 0;
	pa = pool->base + (uint64_t)pool->used++ * NPT_4K;
	p = npt_ptr(pa);
	for (i = 0; i < NPT_ENTRIES; i++)
		p[i] = 0;
	return pa;
}

int npt_build_identity(struct npt *n, uint64_t top, bool use_1g)
{
	return npt_build_identity_as(n, top, use_1g, NPT_PERM_RWX);
}

int npt_build_identity_as(struct npt *n, uint64_t top, bool use_1g,
			  enum npt_perm perm)
{
	uint64_t pdpt_pa = 0, pd_pa = 0, *pml4, gpa;

	n->pml4 = npt_pool_page(n->pool);
	if (!n->pml4)
		return -1;
	n->top = top;
	pml4 = npt_ptr(n->pml4);
	for (gpa = 0; gpa < top;) {
		if (npt_index(gpa, 3) == 0 && npt_index(gpa, 2) == 0 &&
		    npt_index(gpa, 1) == 0 && gpa % (NPT_1G * NPT_ENTRIES) == 0) {
			pdpt_pa = npt_pool_page(n->pool);
			if (!pdpt_pa)
				return -1;
			pml4[npt_index(gpa, 4)] = npt_table_entry(pdpt_pa);
		}
		if (use_1g && top - gpa >= NPT_1G) {
			npt_ptr(pdpt_pa)[npt_index(gpa, 3)] =
				npt_leaf_entry(gpa, perm, true);
			gpa += NPT_1G;
			continue;
		}
		if (gpa % NPT_1G == 0) {
			pd_pa = npt_pool_page(n->pool);
			if (!pd_pa)
				return -1;
			npt_ptr(pdpt_pa)[npt_index(gpa, 3)] =
				npt_table_entry(pd_pa);
		}
		npt_ptr(pd_pa)[npt_index(gpa, 2)] =
			npt_leaf_entry(gpa, perm, true);
		gpa += NPT_2M;
	}
	n->flush_pending = true;
	return 0;
}

/* Replace the large leaf *e (covering size bytes) by a table of 512
 * entries with the same target and permissions, one level down. */
static int npt_split(struct npt *n, uint64_t *e, uint64_t size)
{
	uint64_t sub = size / NPT_ENTRIES, t_pa, *t, flags, base;
	unsigned int i;

	t_pa = npt_pool_page(n->pool);
	if (!t_pa)
		return -1;
	t = npt_ptr(t_pa);
	base = *e & NPT_ADDR_MASK & ~(size - 1);
	flags = *e & ~NPT_ADDR_MASK;
	if (sub == NPT_4K)
		flags &= ~NPT_PS; /* PTEs have PAT, not PS, at bit 7 */
	for (i = 0; i < NPT_ENTRIES; i++)
		t[i] = (base + i * sub) | flags;
	*e = npt_table_entry(t_pa);
	return 0;
}

/* The entry that maps gpa at 4 KiB level, splitting as needed. */
static uint64_t *npt_walk_split(struct npt *n, uint64_t gpa)
{
	uint64_t *table = npt_ptr(n->pml4), *e;
	unsigned int level;

	for (level = 4; level > 1; level--) {
		e = &table[npt_index(gpa, level)];
		if (!(*e & NPT_P))
			return 0;
		if (*e & NPT_PS) {
			if (npt_split(n, e, 1ull << (12 + 9 * (level - 1))))
				return 0;
		}
		table = npt_ptr(*e & NPT_ADDR_MASK);
	}
	return &table[npt_index(gpa, 1)];
}

int npt_set_perm(struct npt *n, uint64_t gpa, enum npt_perm perm)
{
	uint64_t *e;

	if (gpa >= n->top)
		return -1;
	gpa &= ~(NPT_4K - 1);
	e = npt_walk_split(n, gpa);
	if (!e)
		return -1;
	*e = npt_leaf_entry(perm == NPT_PERM_HIDDEN ? n->zero_page : gpa,
			    perm, false);
	/* No flush-by-ASID on this test bed: TLB_CONTROL=1 (APM2 §15.16
	 * "TLB Control") flushes everything on the next VMRUN. */
	n->flush_pending = true;
	return 0;
}

uint64_t npt_lookup(const struct npt *n, uint64_t gpa, uint64_t *size)
{
	uint64_t *table = npt_ptr(n->pml4), e = 0;
	unsigned int level;

	for (level = 4; level >= 1; level--) {
		e = table[npt_index(gpa, level)];
		if (!(e & NPT_P))
			return 0;
		if (level == 1 || (e & NPT_PS)) {
			*size = 1ull << (12 + 9 * (level - 1));
			return e;
		}
		table = npt_ptr(e & NPT_ADDR_MASK);
	}
	return 0;
}

/* The table entry at *e, made present with a fresh pool page if needed;
 * the table's address, or 0 (pool empty, or *e is a large leaf). */
static uint64_t npt_table_at(struct npt *n, uint64_t *e)
{
	uint64_t t_pa;

	if (*e & NPT_P)
		return (*e & NPT_PS) ? 0 : *e & NPT_ADDR_MASK;
	t_pa = npt_pool_page(n->pool);
	if (t_pa)
		*e = npt_table_entry(t_pa);
	return t_pa;
}

int npt_map_mmio_1g(struct npt *n, uint64_t gpa, uint64_t limit, bool use_1g)
{
	uint64_t base = gpa & ~(NPT_1G - 1), pdpt_pa, pd_pa, *e, *pd;
	unsigned int i;

	if (gpa < n->top || gpa >= limit)
		return -1;
	pdpt_pa = npt_table_at(n, &npt_ptr(n->pml4)[npt_index(base, 4)]);
	if (!pdpt_pa)
		return -1;
	e = &npt_ptr(pdpt_pa)[npt_index(base, 3)];
	if (*e & NPT_P)
		return 0; /* mapped meanwhile (another CPU's fault) */
	if (use_1g) {
		*e = npt_leaf_entry(base, NPT_PERM_RW, true);
		return 0;
	}
	pd_pa = npt_pool_page(n->pool);
	if (!pd_pa)
		return -1;
	pd = npt_ptr(pd_pa);
	for (i = 0; i < NPT_ENTRIES; i++)
		pd[i] = npt_leaf_entry(base + i * NPT_2M, NPT_PERM_RW, true);
	*e = npt_table_entry(pd_pa);
	return 0;
}
