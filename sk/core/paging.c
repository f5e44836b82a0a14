// SPDX-License-Identifier: MIT
/*
 * The secure kernel's own page tables: builder, walker and the W^X check
 * (docs/secure-kernel.md "Page tables and traps"). APM2 §5.3 "Long-Mode
 * Page Translation": PML4 → PDPT → PD → (2 MiB page | PT → 4 KiB page);
 * APM2 §5.6 "Page-Protection Checks": a page is writable only when every
 * level's R/W is set and executable only when no level's NX is set
 * (EFER.NXE = 1, and CR0.WP = 1 so that ring 0 honours read-only).
 * Pure: table pages come from the caller's pool; a table's physical
 * address is its pointer.
 */
#include <string.h>

#include "core/paging.h"

#define PT_ENTRIES 512u
#define VA_LOWER_TOP (1ull << 47) /* canonical lower half */

static const unsigned int level_shift[4] = { 39, 30, 21, 12 };

static uint64_t *table(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static uint64_t round_2m(uint64_t a)
{
	return (a + SK_2M - 1) & ~(SK_2M - 1);
}

/* Pages of each stack (enum sk_stack_kind); one guard page below each. */
static const uint32_t stack_pages[SK_STACK_KINDS] = { 4, 2, 1, 1 };

_Static_assert(4 + 2 + 1 + 1 + SK_STACK_KINDS == SK_STACK_CPU_PAGES,
	       "SK_STACK_CPU_PAGES");

uint64_t sk_stacks_size(uint32_t ncpus)
{
	return (uint64_t)ncpus * SK_STACK_CPU_PAGES * SK_PAGE;
}

static int stacks_ok(const struct sk_stacks *s)
{
	return s->ncpus >= 1 && s->ncpus <= SK_STACK_CPUS_MAX &&
	       !(s->base & (SK_PAGE - 1)) && s->base &&
	       s->base <= VA_LOWER_TOP - sk_stacks_size(s->ncpus);
}

/* The guard's offset in a CPU's block. */
static uint64_t guard_off(enum sk_stack_kind k)
{
	uint64_t pages = 0;
	unsigned int i;

	for (i = 0; i < (unsigned int)k; i++)
		pages += 1 + stack_pages[i];
	return pages * SK_PAGE;
}

uint64_t sk_stack_guard(const struct sk_stacks *s, uint32_t cpu,
			enum sk_stack_kind k)
{
	if (!s || !stacks_ok(s) || cpu >= s->ncpus || (unsigned int)k >=
	    SK_STACK_KINDS)
		return 0;
	return s->base + (uint64_t)cpu * SK_STACK_CPU_PAGES * SK_PAGE +
	       guard_off(k);
}

uint64_t sk_stack_top(const struct sk_stacks *s, uint32_t cpu,
		      enum sk_stack_kind k)
{
	uint64_t guard = sk_stack_guard(s, cpu, k);

	return guard ? guard + (1 + (uint64_t)stack_pages[k]) * SK_PAGE : 0;
}

int sk_stack_guard_of(const struct sk_stacks *s, uint64_t addr,
		      uint32_t *cpu, enum sk_stack_kind *k)
{
	uint64_t off;
	unsigned int i;

	if (!s || !stacks_ok(s) || addr < s->base ||
	    addr - s->base >= sk_stacks_size(s->ncpus))
		return 0;
	off = (addr - s->base) % (SK_STACK_CPU_PAGES * SK_PAGE);
	for (i = 0; i < SK_STACK_KINDS; i++) {
		if (off / SK_PAGE != guard_off((enum sk_stack_kind)i) / SK_PAGE)
			continue;
		*cpu = (uint32_t)((addr - s->base) /
				  (SK_STACK_CPU_PAGES * SK_PAGE));
		*k = (enum sk_stack_kind)i;
		return 1;
	}
	return 0;
}

static uint64_t pool_page(struct sk_pt_pool *pool)
{
	uint8_t *p;

	if (!pool->base || pool->used >= pool->npages)
		return 0;
	p = pool->base + (uint64_t)pool->used++ * SK_PAGE;
	memset(p, 0, SK_PAGE);
	return (uint64_t)(uintptr_t)p;
}

static int range_ok(const struct sk_pt_layout *l, const struct sk_pt_range *r)
{
	return r->start < r->end && !(r->start & (SK_PAGE - 1)) &&
	       !(r->end & (SK_PAGE - 1)) && r->start >= l->split_start &&
	       r->end <= l->split_end && r->perm >= SK_PT_NONE &&
	       r->perm <= SK_PT_WRITE;
}

static int layout_ok(const struct sk_pt_layout *l)
{
	uint64_t top, uc_2m;
	uint32_t i;

	if (!l->map_top || l->map_top > SK_PT_MAP_MAX)
		return 0;
	top = round_2m(l->map_top);
	if ((l->split_start & (SK_2M - 1)) || (l->split_end & (SK_2M - 1)) ||
	    l->split_start >= l->split_end || l->split_end > top)
		return 0;
	uc_2m = l->uc_addr & ~(SK_2M - 1);
	if (l->uc_addr && (l->uc_addr >= top || (uc_2m >= l->split_start &&
						 uc_2m < l->split_end)))
		return 0;
	if (l->nranges && !l->ranges)
		return 0;
	if (l->stacks && (!stacks_ok(l->stacks) ||
			  l->stacks->base < l->split_start ||
			  l->stacks->base + sk_stacks_size(l->stacks->ncpus) >
			  l->split_end))
		return 0;
	for (i = 0; i < l->nranges; i++)
		if (!range_ok(l, &l->ranges[i]))
			return 0;
	return 1;
}

uint32_t sk_pt_pages_needed(const struct sk_pt_layout *l)
{
	uint64_t top;

	if (!layout_ok(l))
		return 0;
	top = round_2m(l->map_top);
	return (uint32_t)(2 + (top + SK_1G - 1) / SK_1G +
			  (l->split_end - l->split_start) / SK_2M);
}

/* The leaf bits for a permission (none of them W and X). */
static uint64_t perm_bits(enum sk_pt_perm p)
{
	switch (p) {
	case SK_PT_READ:
		return SK_PT_P | SK_PT_NX;
	case SK_PT_EXEC:
		return SK_PT_P;
	case SK_PT_WRITE:
		return SK_PT_P | SK_PT_RW | SK_PT_NX;
	default:
		return 0;
	}
}

static uint64_t page_entry(uint64_t va, enum sk_pt_perm p)
{
	uint64_t bits = perm_bits(p);

	return bits ? va | bits : 0;
}

/* The guard pages in the 2 MiB page at a: not present. */
static void clear_guards(const struct sk_stacks *s, uint64_t a, uint64_t pt)
{
	uint64_t g;
	uint32_t cpu;
	unsigned int k;

	for (cpu = 0; s && cpu < s->ncpus; cpu++)
		for (k = 0; k < SK_STACK_KINDS; k++) {
			g = sk_stack_guard(s, cpu, (enum sk_stack_kind)k);
			if (g >= a && g < a + SK_2M)
				table(pt)[(g - a) / SK_PAGE] = 0;
		}
}

/* The 2 MiB page at a as a PT of 4 KiB pages: read/write no-execute,
 * then each range in order, then the stacks' guards not present. Upper
 * levels are RW and executable; the leaves decide. */
static int split_2m(const struct sk_pt_layout *l, struct sk_pt_pool *pool,
		    uint64_t a, uint64_t *pde)
{
	uint64_t pt = pool_page(pool), va, lo, hi;
	uint32_t i;

	if (!pt)
		return SK_PT_E_NOMEM;
	for (i = 0; i < PT_ENTRIES; i++)
		table(pt)[i] = page_entry(a + i * SK_PAGE, SK_PT_WRITE);
	for (i = 0; i < l->nranges; i++) {
		lo = l->ranges[i].start > a ? l->ranges[i].start : a;
		hi = l->ranges[i].end < a + SK_2M ? l->ranges[i].end : a + SK_2M;
		for (va = lo; va < hi; va += SK_PAGE)
			table(pt)[(va - a) / SK_PAGE] =
				page_entry(va, l->ranges[i].perm);
	}
	clear_guards(l->stacks, a, pt);
	*pde = pt | SK_PT_P | SK_PT_RW;
	return SK_PT_OK;
}

int sk_pt_build(const struct sk_pt_layout *l, struct sk_pt_pool *pool,
		uint64_t *root)
{
	uint64_t top, pml4, pdpt, pd = 0, a, *e;
	int rc;

	if (!layout_ok(l))
		return SK_PT_E_LAYOUT;
	if (pool->used > pool->npages ||
	    pool->npages - pool->used < sk_pt_pages_needed(l))
		return SK_PT_E_NOMEM;
	top = round_2m(l->map_top);
	pml4 = pool_page(pool);
	pdpt = pool_page(pool);
	if (!pml4 || !pdpt)
		return SK_PT_E_NOMEM;
	table(pml4)[0] = pdpt | SK_PT_P | SK_PT_RW;
	for (a = 0; a < top; a += SK_2M) {
		if (a % SK_1G == 0) {
			pd = pool_page(pool);
			if (!pd)
				return SK_PT_E_NOMEM;
			table(pdpt)[a / SK_1G] = pd | SK_PT_P | SK_PT_RW;
		}
		e = &table(pd)[(a / SK_2M) % PT_ENTRIES];
		if (a >= l->split_start && a < l->split_end) {
			rc = split_2m(l, pool, a, e);
			if (rc)
				return rc;
			continue;
		}
		*e = a | SK_PT_P | SK_PT_RW | SK_PT_PS | SK_PT_NX;
		/* PCD|PWT: PAT entry 3, UC in the default PAT (APM2 §7.8) */
		if (l->uc_addr && a == (l->uc_addr & ~(SK_2M - 1)))
			*e |= SK_PT_PCD | SK_PT_PWT;
	}
	*root = pml4;
	return SK_PT_OK;
}

int sk_pt_lookup(uint64_t root, uint64_t va, struct sk_pt_leaf *leaf)
{
	uint64_t t = root & SK_PT_ADDR, e = 0, size = 0;
	int w = 1, x = 1;
	unsigned int level;

	memset(leaf, 0, sizeof(*leaf));
	if (va >= VA_LOWER_TOP) {
		leaf->size = SK_PAGE;
		return SK_PT_E_UNMAPPED;
	}
	for (level = 0; level < 4; level++) {
		e = table(t)[(va >> level_shift[level]) % PT_ENTRIES];
		size = 1ull << level_shift[level];
		leaf->size = size;
		if (!(e & SK_PT_P))
			return SK_PT_E_UNMAPPED;
		w &= (e & SK_PT_RW) != 0;
		x &= (e & SK_PT_NX) == 0;
		if (level == 3)
			break;
		if (e & SK_PT_PS) {
			if (level == 0) /* APM2 §5.3.3: PML4E bit 7 is MBZ */
				return SK_PT_E_BAD;
			break;
		}
		t = e & SK_PT_ADDR;
	}
	leaf->pa = (e & SK_PT_ADDR & ~(size - 1)) | (va & (size - 1));
	leaf->entry = e;
	leaf->writable = w;
	leaf->executable = x;
	return SK_PT_OK;
}

static enum sk_wx_violation wx_fail(struct sk_wx_report *r,
				    enum sk_wx_violation v, uint64_t va)
{
	r->violation = v;
	r->bad_addr = va;
	return v;
}

static int expect_ok(const struct sk_wx_expect *e)
{
	const struct sk_stacks *s = e->stacks;

	if (s && (!stacks_ok(s) || (s->base < e->image_end &&
				    s->base + sk_stacks_size(s->ncpus) >
				    e->text_start)))
		return 0;
	return e->text_start < e->text_end && e->text_end <= e->ro_end &&
	       e->ro_end <= e->image_end && e->image_end <= VA_LOWER_TOP &&
	       !((e->text_start | e->text_end | e->ro_end | e->image_end) &
		 (SK_PAGE - 1));
}

/* One stack: its guard not present, its pages mapping themselves RW NX. */
static enum sk_wx_violation stack_pages_ok(uint64_t root, uint64_t guard,
					   uint64_t top, struct sk_wx_report *r)
{
	struct sk_pt_leaf leaf;
	uint64_t va;

	if (sk_pt_lookup(root, guard, &leaf) != SK_PT_E_UNMAPPED)
		return wx_fail(r, SK_WX_GUARD_MAPPED, guard);
	r->guards++;
	for (va = guard + SK_PAGE; va < top; va += SK_PAGE)
		if (sk_pt_lookup(root, va, &leaf) != SK_PT_OK ||
		    leaf.pa != va || !leaf.writable || leaf.executable)
			return wx_fail(r, SK_WX_STACK_BAD, va);
	return SK_WX_OK;
}

/* Every CPU's stacks (struct sk_stacks). */
static enum sk_wx_violation stacks_check(uint64_t root,
					 const struct sk_stacks *s,
					 struct sk_wx_report *r)
{
	enum sk_wx_violation v;
	enum sk_stack_kind k;
	uint32_t cpu;

	for (cpu = 0; s && cpu < s->ncpus; cpu++)
		for (k = SK_STACK_CALL; k < SK_STACK_KINDS; k++) {
			v = stack_pages_ok(root, sk_stack_guard(s, cpu, k),
					   sk_stack_top(s, cpu, k), r);
			if (v != SK_WX_OK)
				return v;
		}
	return SK_WX_OK;
}

/* What one image page must be, by the section it lies in. */
static enum sk_wx_violation image_page(const struct sk_wx_expect *e,
				       uint64_t va,
				       const struct sk_pt_leaf *leaf,
				       struct sk_wx_report *r)
{
	if (leaf->pa != va)
		return SK_WX_NOT_IDENTITY;
	if (leaf->writable && leaf->executable)
		return SK_WX_WRITE_EXEC;
	if (va < e->text_end) {
		r->code += SK_PAGE;
		return leaf->writable ? SK_WX_CODE_WRITABLE :
		       !leaf->executable ? SK_WX_CODE_NOEXEC : SK_WX_OK;
	}
	if (va < e->ro_end) {
		r->rodata += SK_PAGE;
		return leaf->writable ? SK_WX_RO_WRITABLE :
		       leaf->executable ? SK_WX_DATA_EXEC : SK_WX_OK;
	}
	r->data += SK_PAGE;
	return leaf->executable ? SK_WX_DATA_EXEC :
	       !leaf->writable ? SK_WX_DATA_READONLY : SK_WX_OK;
}

/* Every leaf of the lower half: identity, not W+X, code only executable. */
static enum sk_wx_violation walk_all(uint64_t root,
				     const struct sk_wx_expect *e,
				     struct sk_wx_report *r)
{
	struct sk_pt_leaf leaf;
	uint64_t va = 0, start;
	int rc;

	while (va < VA_LOWER_TOP) {
		rc = sk_pt_lookup(root, va, &leaf);
		start = va & ~(leaf.size - 1);
		if (rc == SK_PT_E_BAD)
			return wx_fail(r, SK_WX_BAD_ENTRY, va);
		if (rc == SK_PT_OK) {
			if (leaf.pa != va || start != va)
				return wx_fail(r, SK_WX_NOT_IDENTITY, va);
			if (leaf.writable && leaf.executable)
				return wx_fail(r, SK_WX_WRITE_EXEC, va);
			if (leaf.executable && (va < e->text_start ||
						va + leaf.size > e->text_end))
				return wx_fail(r, SK_WX_EXEC_OUTSIDE, va);
			if (leaf.executable)
				r->exec_total += leaf.size;
			r->mapped_total += leaf.size;
		}
		va = start + leaf.size;
	}
	return SK_WX_OK;
}

enum sk_wx_violation sk_pt_verify(uint64_t root, const struct sk_wx_expect *e,
				  struct sk_wx_report *r)
{
	struct sk_pt_leaf leaf;
	enum sk_wx_violation v;
	uint64_t va;
	unsigned int i;

	memset(r, 0, sizeof(*r));
	if (!expect_ok(e))
		return wx_fail(r, SK_WX_BAD_EXPECT, 0);
	for (va = e->text_start; va < e->image_end; va += SK_PAGE) {
		if (sk_pt_lookup(root, va, &leaf) != SK_PT_OK)
			return wx_fail(r, SK_WX_UNMAPPED, va);
		v = image_page(e, va, &leaf, r);
		if (v != SK_WX_OK)
			return wx_fail(r, v, va);
	}
	for (i = PT_ENTRIES / 2; i < PT_ENTRIES; i++)
		if (table(root & SK_PT_ADDR)[i] & SK_PT_P)
			return wx_fail(r, SK_WX_UPPER_HALF,
				       0xffff000000000000ull |
				       (uint64_t)i << level_shift[0]);
	v = stacks_check(root, e->stacks, r);
	if (v != SK_WX_OK)
		return v;
	v = walk_all(root, e, r);
	if (v == SK_WX_OK && r->exec_total != e->text_end - e->text_start)
		return wx_fail(r, SK_WX_CODE_NOEXEC, e->text_start);
	return v;
}
