// SPDX-License-Identifier: MIT
/*
 * Unit tests: sk/core/paging.c (the secure kernel's page tables: builder,
 * walker, W^X check, the stacks' guard-page layout) and sk/core/trap.c
 * (IDT gates, per-CPU GDT/TSS, the trap-frame decoding idt.S relies on,
 * the stack-overflow report). The tables live in an aligned
 * host buffer; their "physical" addresses are its pointers, and the
 * addresses they map are numbers never dereferenced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/paging.h"
#include "core/trap.h"

#define POOL_PAGES 64u
#define BASE 0x7e000000ull          /* a 2 MiB-aligned region base */
#define TEXT_END (BASE + 0x17000)
#define RO_END (BASE + 0x23000)
#define IMAGE_END (BASE + 0x10a000)
#define MAP_TOP (0x100000000ull + 0x300000) /* 4 GiB + 3 MiB */
#define TPM 0xfed40000ull
#define STACKS (BASE + 0x110000)    /* two CPUs' stacks, in the heap */
#define CPU_BLOCK (SK_STACK_CPU_PAGES * SK_PAGE)

static uint8_t *pool_mem;
static struct sk_pt_pool pool;
static struct sk_pt_range ranges[2];
static struct sk_pt_layout layout;
static const struct sk_wx_expect expect = { BASE, TEXT_END, RO_END, IMAGE_END,
					   NULL };
static uint64_t root;

static int setup(void **state)
{
	(void)state;
	pool_mem = aligned_alloc(4096, POOL_PAGES * 4096);
	if (!pool_mem)
		return -1;
	memset(pool_mem, 0xa5, POOL_PAGES * 4096); /* the builder zeroes */
	pool = (struct sk_pt_pool){ pool_mem, POOL_PAGES, 0 };
	ranges[0] = (struct sk_pt_range){ BASE, TEXT_END, SK_PT_EXEC };
	ranges[1] = (struct sk_pt_range){ TEXT_END, RO_END, SK_PT_READ };
	layout = (struct sk_pt_layout){
		.map_top = MAP_TOP, .split_start = BASE,
		.split_end = BASE + SK_2M, .ranges = ranges, .nranges = 2,
		.uc_addr = TPM,
	};
	root = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(pool_mem);
	return 0;
}

static void build(void)
{
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_OK);
}

/* The leaf entry for va (to tamper with). */
static uint64_t *leaf_entry(uint64_t va)
{
	uint64_t t = root, *e = NULL;
	unsigned int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		e = &((uint64_t *)(uintptr_t)t)[(va >> shift) & 511];
		if (shift == 12 || (*e & SK_PT_PS))
			break;
		t = *e & SK_PT_ADDR;
	}
	return e;
}

static void expect_leaf(uint64_t va, uint64_t size, int w, int x)
{
	struct sk_pt_leaf l;

	assert_int_equal(sk_pt_lookup(root, va, &l), SK_PT_OK);
	assert_int_equal(l.pa, va);
	assert_int_equal(l.size, size);
	assert_int_equal(l.writable, w);
	assert_int_equal(l.executable, x);
}

static void test_build_exact(void **state)
{
	struct sk_pt_leaf l;

	(void)state;
	/* PML4, PDPT, 5 PDs (4 GiB + 3 MiB rounds up to 4 GiB + 4 MiB),
	 * one PT for the image's 2 MiB page. */
	assert_int_equal(sk_pt_pages_needed(&layout), 8);
	build();
	assert_int_equal(pool.used, 8);
	assert_int_equal(root, (uint64_t)(uintptr_t)pool_mem);
	expect_leaf(BASE, SK_PAGE, 0, 1);
	expect_leaf(TEXT_END - SK_PAGE, SK_PAGE, 0, 1);
	expect_leaf(TEXT_END, SK_PAGE, 0, 0);
	expect_leaf(RO_END - SK_PAGE, SK_PAGE, 0, 0);
	expect_leaf(RO_END, SK_PAGE, 1, 0);
	expect_leaf(IMAGE_END, SK_PAGE, 1, 0);        /* heap, same 2 MiB */
	expect_leaf(BASE + SK_2M - SK_PAGE, SK_PAGE, 1, 0);
	expect_leaf(BASE + SK_2M, SK_2M, 1, 0);       /* next 2 MiB page */
	expect_leaf(0, SK_2M, 1, 0);
	expect_leaf(MAP_TOP - 1 - ((MAP_TOP - 1) & (SK_2M - 1)), SK_2M, 1, 0);
	expect_leaf(0x100000000ull + 0x3fffff, SK_2M, 1, 0); /* rounded up */
	assert_int_equal(sk_pt_lookup(root, 0x100400000ull, &l),
			 SK_PT_E_UNMAPPED);
	assert_int_equal(sk_pt_lookup(root, 0x140000000ull, &l),
			 SK_PT_E_UNMAPPED);
	assert_int_equal(l.size, SK_1G);
	assert_int_equal(sk_pt_lookup(root, 0x8000000000ull, &l),
			 SK_PT_E_UNMAPPED);
	assert_int_equal(l.size, 1ull << 39);
	assert_int_equal(sk_pt_lookup(root, 0xffff800000000000ull, &l),
			 SK_PT_E_UNMAPPED);
	/* the TPM's page uncached, nothing else */
	assert_int_equal(sk_pt_lookup(root, TPM + 0x30, &l), SK_PT_OK);
	assert_int_equal(l.pa, TPM + 0x30);
	assert_int_equal(l.entry & (SK_PT_PCD | SK_PT_PWT), SK_PT_PCD | SK_PT_PWT);
	assert_int_equal(sk_pt_lookup(root, TPM + SK_2M, &l), SK_PT_OK);
	assert_int_equal(l.entry & (SK_PT_PCD | SK_PT_PWT), 0);
	assert_int_equal(*leaf_entry(BASE) & (SK_PT_PCD | SK_PT_PWT), 0);
}

static void test_verify_ok(void **state)
{
	struct sk_wx_report r;

	(void)state;
	build();
	assert_int_equal(sk_pt_verify(root, &expect, &r), SK_WX_OK);
	assert_int_equal(r.violation, SK_WX_OK);
	assert_int_equal(r.code, TEXT_END - BASE);
	assert_int_equal(r.rodata, RO_END - TEXT_END);
	assert_int_equal(r.data, IMAGE_END - RO_END);
	assert_int_equal(r.exec_total, TEXT_END - BASE);
	assert_int_equal(r.mapped_total, 0x100400000ull);
}

static void expect_violation(enum sk_wx_violation v, uint64_t at)
{
	struct sk_wx_report r;

	assert_int_equal(sk_pt_verify(root, &expect, &r), v);
	assert_int_equal(r.violation, v);
	assert_int_equal(r.bad_addr, at);
}

static void test_tampered(void **state)
{
	uint64_t *e, saved;

	(void)state;
	build();
	/* code made writable: W and X */
	e = leaf_entry(BASE + 0x5000);
	saved = *e;
	*e |= SK_PT_RW;
	expect_violation(SK_WX_WRITE_EXEC, BASE + 0x5000);
	/* code made no-execute */
	*e = saved | SK_PT_NX;
	expect_violation(SK_WX_CODE_NOEXEC, BASE + 0x5000);
	*e = saved;
	/* read-only data writable, or executable */
	e = leaf_entry(TEXT_END + 0x2000);
	saved = *e;
	*e |= SK_PT_RW;
	expect_violation(SK_WX_RO_WRITABLE, TEXT_END + 0x2000);
	*e = saved & ~SK_PT_NX;
	expect_violation(SK_WX_DATA_EXEC, TEXT_END + 0x2000);
	*e = saved;
	/* bss executable, read-only, absent, elsewhere */
	e = leaf_entry(IMAGE_END - SK_PAGE);
	saved = *e;
	*e &= ~SK_PT_NX;
	expect_violation(SK_WX_WRITE_EXEC, IMAGE_END - SK_PAGE);
	*e = saved & ~SK_PT_RW;
	expect_violation(SK_WX_DATA_READONLY, IMAGE_END - SK_PAGE);
	*e = 0;
	expect_violation(SK_WX_UNMAPPED, IMAGE_END - SK_PAGE);
	*e = (saved & ~SK_PT_ADDR) | 0x1000;
	expect_violation(SK_WX_NOT_IDENTITY, IMAGE_END - SK_PAGE);
	*e = saved;
	/* a page outside the image executable, read-only */
	e = leaf_entry(0x40000000ull);
	saved = *e;
	*e &= ~(SK_PT_NX | SK_PT_RW);
	expect_violation(SK_WX_EXEC_OUTSIDE, 0x40000000ull);
	*e = saved & ~SK_PT_NX;
	expect_violation(SK_WX_WRITE_EXEC, 0x40000000ull);
	*e = saved;
	/* the split range's heap page executable (same PT as the image) */
	e = leaf_entry(BASE + SK_2M - SK_PAGE);
	saved = *e;
	*e &= ~(SK_PT_NX | SK_PT_RW);
	expect_violation(SK_WX_EXEC_OUTSIDE, BASE + SK_2M - SK_PAGE);
	*e = saved;
	/* a 2 MiB leaf mapping another 2 MiB */
	e = leaf_entry(0);
	saved = *e;
	*e = (saved & ~SK_PT_ADDR) | SK_2M;
	expect_violation(SK_WX_NOT_IDENTITY, 0);
	*e = saved;
	/* an upper-half mapping; a PS bit in the PML4 */
	((uint64_t *)(uintptr_t)root)[300] = 0x1000 | SK_PT_P;
	expect_violation(SK_WX_UPPER_HALF, 0xffff000000000000ull | 300ull << 39);
	((uint64_t *)(uintptr_t)root)[300] = 0;
	((uint64_t *)(uintptr_t)root)[1] = SK_PT_P | SK_PT_PS;
	expect_violation(SK_WX_BAD_ENTRY, 1ull << 39);
	((uint64_t *)(uintptr_t)root)[1] = 0;
	/* NX at an upper level makes code no-execute (AND/OR over levels) */
	e = &((uint64_t *)(uintptr_t)root)[0];
	*e |= SK_PT_NX;
	expect_violation(SK_WX_CODE_NOEXEC, BASE);
	*e &= ~SK_PT_NX;
	/* RW cleared at an upper level: data no longer writable */
	*e &= ~SK_PT_RW;
	expect_violation(SK_WX_DATA_READONLY, RO_END);
	*e |= SK_PT_RW;
	expect_violation(SK_WX_OK, 0);
}

static void test_layout_refused(void **state)
{
	struct sk_pt_layout l;
	struct sk_pt_range bad;
	uint32_t used;

	(void)state;
	l = layout;
	l.map_top = 0;
	assert_int_equal(sk_pt_pages_needed(&l), 0);
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l.map_top = SK_PT_MAP_MAX + SK_2M;
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l = layout;
	l.split_start = BASE + SK_PAGE;
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l = layout;
	l.split_end = l.split_start;
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l = layout;
	l.split_start = 0x100400000ull;
	l.split_end = 0x100600000ull; /* above map_top */
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l = layout;
	l.uc_addr = BASE + 0x1000; /* inside the split range */
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l = layout;
	l.ranges = &bad;
	l.nranges = 1;
	bad = (struct sk_pt_range){ BASE - SK_PAGE, BASE + SK_PAGE, SK_PT_EXEC };
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	bad = (struct sk_pt_range){ BASE, BASE + 0x800, SK_PT_EXEC };
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	bad = (struct sk_pt_range){ BASE, BASE + SK_PAGE, (enum sk_pt_perm)4 };
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	bad = (struct sk_pt_range){ BASE + SK_PAGE, BASE + SK_PAGE, SK_PT_EXEC };
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	l.ranges = NULL;
	assert_int_equal(sk_pt_build(&l, &pool, &root), SK_PT_E_LAYOUT);
	assert_int_equal(pool.used, 0);
	/* a pool one page short: refused before any page is taken */
	pool.npages = 7;
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_E_NOMEM);
	assert_int_equal(pool.used, 0);
	pool.npages = POOL_PAGES;
	pool.used = POOL_PAGES - 8;
	used = pool.used;
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_OK);
	assert_int_equal(pool.used, used + 8);
}

static void test_ranges_and_perms(void **state)
{
	struct sk_pt_range r[4] = {
		{ BASE, BASE + 0x4000, SK_PT_EXEC },
		{ BASE + 0x2000, BASE + 0x3000, SK_PT_NONE }, /* later wins */
		{ BASE + 0x10000, BASE + 0x11000, SK_PT_READ },
		{ BASE + SK_2M - SK_PAGE, BASE + SK_2M, SK_PT_WRITE },
	};
	struct sk_pt_leaf l;
	uint64_t va;

	(void)state;
	layout.ranges = r;
	layout.nranges = 4;
	layout.split_end = BASE + 2 * SK_2M;
	build();
	expect_leaf(BASE + 0x1000, SK_PAGE, 0, 1);
	assert_int_equal(sk_pt_lookup(root, BASE + 0x2000, &l), SK_PT_E_UNMAPPED);
	assert_int_equal(l.size, SK_PAGE);
	expect_leaf(BASE + 0x3000, SK_PAGE, 0, 1);
	expect_leaf(BASE + 0x10000, SK_PAGE, 0, 0);
	expect_leaf(BASE + SK_2M + SK_PAGE, SK_PAGE, 1, 0);
	/* no leaf anywhere in the split range is writable and executable */
	for (va = BASE; va < BASE + 2 * SK_2M; va += SK_PAGE)
		if (sk_pt_lookup(root, va, &l) == SK_PT_OK)
			assert_false(l.writable && l.executable);
}

static void test_bad_expect(void **state)
{
	struct sk_wx_expect e = expect;
	struct sk_wx_report r;

	(void)state;
	build();
	e.text_end = e.text_start;
	assert_int_equal(sk_pt_verify(root, &e, &r), SK_WX_BAD_EXPECT);
	e = expect;
	e.ro_end = e.image_end + SK_PAGE;
	assert_int_equal(sk_pt_verify(root, &e, &r), SK_WX_BAD_EXPECT);
	e = expect;
	e.text_end += 8;
	assert_int_equal(sk_pt_verify(root, &e, &r), SK_WX_BAD_EXPECT);
	/* expecting more code than is executable */
	e = expect;
	e.text_end += SK_PAGE;
	assert_int_equal(sk_pt_verify(root, &e, &r), SK_WX_CODE_NOEXEC);
	assert_int_equal(r.bad_addr, TEXT_END);
}

/* --- the stacks and their guard pages --- */

static const struct sk_stacks stacks = { STACKS, 2 };

/* [guard][call 4][guard][intercept 2][guard][#DF 1][guard][#PF 1] */
static void test_stack_layout(void **state)
{
	static const uint64_t guard_page[SK_STACK_KINDS] = { 0, 5, 8, 10 };
	static const uint64_t top_page[SK_STACK_KINDS] = { 5, 8, 10, 12 };
	struct sk_stacks bad;
	enum sk_stack_kind k, gk;
	uint32_t cpu, gcpu, page, guards = 0;

	(void)state;
	assert_int_equal(sk_stacks_size(2), 24 * SK_PAGE);
	for (cpu = 0; cpu < 2; cpu++)
		for (k = SK_STACK_CALL; k < SK_STACK_KINDS; k++) {
			assert_int_equal(sk_stack_guard(&stacks, cpu, k),
					 STACKS + cpu * CPU_BLOCK +
					 guard_page[k] * SK_PAGE);
			assert_int_equal(sk_stack_top(&stacks, cpu, k),
					 STACKS + cpu * CPU_BLOCK +
					 top_page[k] * SK_PAGE);
		}
	/* every byte of each guard page is found, with its CPU and stack;
	 * no other page of the blocks, nothing outside them */
	for (page = 0; page < 24; page++) {
		uint64_t a = STACKS + page * SK_PAGE;
		int g = sk_stack_guard_of(&stacks, a + 0xff8, &gcpu, &gk);

		assert_int_equal(sk_stack_guard_of(&stacks, a, &gcpu, &gk), g);
		if (!g)
			continue;
		guards++;
		assert_int_equal(sk_stack_guard(&stacks, gcpu, gk), a);
	}
	assert_int_equal(guards, 8);
	assert_int_equal(sk_stack_guard_of(&stacks, STACKS - 1, &gcpu, &gk), 0);
	assert_int_equal(sk_stack_guard_of(&stacks, STACKS + 24 * SK_PAGE,
					   &gcpu, &gk), 0);
	/* a stack's lowest byte is not its guard; the byte below it is */
	assert_int_equal(sk_stack_guard_of(&stacks, STACKS + CPU_BLOCK +
					   6 * SK_PAGE, &gcpu, &gk), 0);
	assert_int_equal(sk_stack_guard_of(&stacks, STACKS + CPU_BLOCK +
					   6 * SK_PAGE - 1, &gcpu, &gk), 1);
	assert_int_equal(gcpu, 1);
	assert_int_equal(gk, SK_STACK_INTERCEPT);
	/* no such CPU or stack; unusable blocks */
	assert_int_equal(sk_stack_top(&stacks, 2, SK_STACK_CALL), 0);
	assert_int_equal(sk_stack_top(&stacks, 0, SK_STACK_KINDS), 0);
	assert_int_equal(sk_stack_top(NULL, 0, SK_STACK_CALL), 0);
	bad = (struct sk_stacks){ STACKS + 8, 2 };
	assert_int_equal(sk_stack_top(&bad, 0, SK_STACK_CALL), 0);
	assert_int_equal(sk_stack_guard_of(&bad, STACKS + 8, &gcpu, &gk), 0);
	bad = (struct sk_stacks){ STACKS, 0 };
	assert_int_equal(sk_stack_top(&bad, 0, SK_STACK_CALL), 0);
	bad = (struct sk_stacks){ STACKS, SK_STACK_CPUS_MAX + 1 };
	assert_int_equal(sk_stack_top(&bad, 0, SK_STACK_CALL), 0);
	bad = (struct sk_stacks){ STACKS, SK_STACK_CPUS_MAX };
	assert_int_equal(sk_stack_top(&bad, SK_STACK_CPUS_MAX - 1, SK_STACK_PF),
			 STACKS + SK_STACK_CPUS_MAX * CPU_BLOCK);
}

/* The builder leaves the guards unmapped, the W^X check counts them and
 * refuses a guard that is present or a stack page that is not RW NX. */
static void test_stack_guards(void **state)
{
	struct sk_wx_expect ex = expect;
	struct sk_wx_report r;
	struct sk_pt_leaf l;
	uint64_t *e, saved, g;
	enum sk_stack_kind k;
	uint32_t cpu;

	(void)state;
	layout.stacks = &stacks;
	ex.stacks = &stacks;
	assert_int_equal(sk_pt_pages_needed(&layout), 8);
	build();
	for (cpu = 0; cpu < 2; cpu++)
		for (k = SK_STACK_CALL; k < SK_STACK_KINDS; k++) {
			g = sk_stack_guard(&stacks, cpu, k);
			assert_int_equal(sk_pt_lookup(root, g, &l),
					 SK_PT_E_UNMAPPED);
			assert_int_equal(l.size, SK_PAGE);
			expect_leaf(g + SK_PAGE, SK_PAGE, 1, 0);
			expect_leaf(sk_stack_top(&stacks, cpu, k) - SK_PAGE,
				    SK_PAGE, 1, 0);
		}
	expect_leaf(STACKS - SK_PAGE, SK_PAGE, 1, 0);
	expect_leaf(STACKS + 24 * SK_PAGE, SK_PAGE, 1, 0);
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_OK);
	assert_int_equal(r.guards, 8);
	assert_int_equal(r.mapped_total, 0x100400000ull - 8 * SK_PAGE);
	assert_int_equal(r.data, IMAGE_END - RO_END);
	/* without the stacks the same tables fail the plain check nowhere,
	 * but report no guard */
	assert_int_equal(sk_pt_verify(root, &expect, &r), SK_WX_OK);
	assert_int_equal(r.guards, 0);
	/* a guard present (RW NX, as the rest of the heap) */
	g = sk_stack_guard(&stacks, 1, SK_STACK_DF);
	e = leaf_entry(g);
	assert_int_equal(*e, 0);
	*e = g | SK_PT_P | SK_PT_RW | SK_PT_NX;
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_GUARD_MAPPED);
	assert_int_equal(r.bad_addr, g);
	*e = 0;
	/* a stack page read-only, executable (not writable), elsewhere, gone */
	g = sk_stack_top(&stacks, 0, SK_STACK_INTERCEPT) - SK_PAGE;
	e = leaf_entry(g);
	saved = *e;
	*e &= ~SK_PT_RW;
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_STACK_BAD);
	assert_int_equal(r.bad_addr, g);
	*e = saved & ~(SK_PT_NX | SK_PT_RW);
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_STACK_BAD);
	*e = (saved & ~SK_PT_ADDR) | (g + SK_PAGE);
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_STACK_BAD);
	*e = 0;
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_STACK_BAD);
	*e = saved;
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_OK);
	/* the stacks may not overlap the image, nor be unusable */
	ex.stacks = &(struct sk_stacks){ IMAGE_END - SK_PAGE, 2 };
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_BAD_EXPECT);
	ex.stacks = &(struct sk_stacks){ STACKS, 0 };
	assert_int_equal(sk_pt_verify(root, &ex, &r), SK_WX_BAD_EXPECT);
}

/* Stacks outside the split range (or unusable) are a refused layout. */
static void test_stack_layout_refused(void **state)
{
	struct sk_stacks s;
	struct sk_pt_leaf l;

	(void)state;
	layout.stacks = &s;
	s = (struct sk_stacks){ BASE + SK_2M - SK_PAGE, 1 }; /* past it */
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_E_LAYOUT);
	s = (struct sk_stacks){ BASE - SK_PAGE, 1 };
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_E_LAYOUT);
	s = (struct sk_stacks){ STACKS + 0x10, 1 };
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_E_LAYOUT);
	s = (struct sk_stacks){ STACKS, 0 };
	assert_int_equal(sk_pt_build(&layout, &pool, &root), SK_PT_E_LAYOUT);
	assert_int_equal(pool.used, 0);
	/* the last page of the split range may be a stack's */
	s = (struct sk_stacks){ BASE + SK_2M - CPU_BLOCK, 1 };
	build();
	expect_leaf(BASE + SK_2M - SK_PAGE, SK_PAGE, 1, 0);
	assert_int_equal(sk_pt_lookup(root, BASE + SK_2M - CPU_BLOCK, &l),
			 SK_PT_E_UNMAPPED);
}

/* --- trap.c --- */

static void test_error_code_vectors(void **state)
{
	static const unsigned int with[] = { 8, 10, 11, 12, 13, 14, 17, 21,
					     29, 30 };
	unsigned int v, i, n = 0;

	(void)state;
	for (v = 0; v < 256; v++) {
		int want = 0;

		for (i = 0; i < sizeof(with) / sizeof(with[0]); i++)
			want |= with[i] == v;
		assert_int_equal(sk_trap_has_error(v), want);
		n += want;
	}
	assert_int_equal(n, 10);
}

static uint64_t gate_handler(const uint64_t *g)
{
	return (g[0] & 0xffff) | ((g[0] >> 48) & 0xffff) << 16 | g[1] << 32;
}

static void test_idt(void **state)
{
	static uint64_t idt[2 * SK_IDT_ENTRIES];
	uint64_t stubs[SK_TRAP_VECTORS];
	unsigned int v;

	(void)state;
	for (v = 0; v < SK_TRAP_VECTORS; v++)
		stubs[v] = 0xffff800012345670ull + v * 16;
	memset(idt, 0xff, sizeof(idt));
	sk_idt_fill(idt, stubs);
	for (v = 0; v < SK_IDT_ENTRIES; v++) {
		const uint64_t *g = &idt[2 * v];

		if (v >= SK_TRAP_VECTORS) {
			assert_int_equal(g[0] | g[1], 0); /* not present */
			continue;
		}
		assert_int_equal(gate_handler(g), stubs[v]);
		assert_int_equal((g[0] >> 16) & 0xffff, SK_SEL_CODE64);
		assert_int_equal((g[0] >> 32) & 7,
				 v == 8 ? 1 : v == 14 ? 2 : 0);
		assert_int_equal((g[0] >> 40) & 0xff, 0x8e); /* P, DPL0, int */
		assert_int_equal((g[0] >> 35) & 0x1f, 0);
		assert_int_equal(g[1] >> 32, 0);
	}
}

static void test_cpu_desc(void **state)
{
	static struct sk_cpu_desc d;
	uint64_t tss = (uint64_t)(uintptr_t)&d.tss, base;

	(void)state;
	memset(&d, 0xff, sizeof(d));
	sk_cpu_desc_fill(&d, 0x7e123000ull, 0x7e125000ull);
	assert_int_equal(d.gdt[0], 0);
	/* code: L, P, DPL 0, type execute/read; data: P, writable */
	assert_int_equal((d.gdt[1] >> 53) & 1, 1);
	assert_int_equal((d.gdt[1] >> 40) & 0xff, 0x9a);
	assert_int_equal((d.gdt[2] >> 40) & 0xff, 0x92);
	assert_int_equal((d.gdt[3] >> 40) & 0xff, 0x89); /* TSS, available */
	base = ((d.gdt[3] >> 16) & 0xffffff) | ((d.gdt[3] >> 56) & 0xff) << 24 |
	       d.gdt[4] << 32;
	assert_int_equal(base, tss);
	assert_int_equal(d.gdt[3] & 0xffff, sizeof(struct sk_tss) - 1);
	assert_int_equal(d.tss.ist[0], 0x7e123000ull);
	assert_int_equal(d.tss.ist[1], 0x7e125000ull);
	assert_int_equal(d.tss.rsp[0] | d.tss.ist[2] | d.tss.ist[6], 0);
	assert_int_equal(d.tss.iopb, 104);
}

static void test_decode(void **state)
{
	uint64_t f[SK_FRAME_SLOTS] = { 14, 0x3, 0x7e001234ull, 0x10008,
				       0x46, 0x7e2ff000ull, 0x10010 };
	struct sk_trap_info t;

	(void)state;
	memset(&t, 0xff, sizeof(t));
	sk_trap_decode(f, 0x7e001000ull, &t);
	assert_int_equal(t.vector, 14);
	assert_int_equal(t.error, 3);       /* write to a present page */
	assert_int_equal(t.rip, 0x7e001234ull);
	assert_int_equal(t.cr2, 0x7e001000ull);
	assert_int_equal(t.cs, 0x8);
	assert_int_equal(t.rflags, 0x46);
	assert_int_equal(t.rsp, 0x7e2ff000ull);
	assert_int_equal(t.ss, 0x10);
	/* #UD: no error code, CR2 is not this fault's */
	f[SK_FRAME_VECTOR] = 6;
	f[SK_FRAME_ERROR] = 0x99;
	sk_trap_decode(f, 0x7e001000ull, &t);
	assert_int_equal(t.vector, 6);
	assert_int_equal(t.error, 0);
	assert_int_equal(t.cr2, 0);
	/* #GP keeps its error code (a selector index) */
	f[SK_FRAME_VECTOR] = 13;
	f[SK_FRAME_ERROR] = 0x18;
	sk_trap_decode(f, 0, &t);
	assert_int_equal(t.error, 0x18);
}

/* A #PF in a guard page is reported as that CPU's stack overflowing;
 * any other fault, or a #PF elsewhere, is not. */
static void test_fault_flags(void **state)
{
	struct sk_trap_info t = { .vector = 14, .error = 2 };
	uint64_t g = sk_stack_guard(&stacks, 1, SK_STACK_INTERCEPT);

	(void)state;
	t.cr2 = g + SK_PAGE - 8;   /* a push just below the stack */
	assert_int_equal(sk_trap_fault_flags(&t, &stacks),
			 SK_FAULT_STACK_OVERFLOW |
			 (uint64_t)(SK_STACK_INTERCEPT + 1) << 8 | 1ull << 16);
	t.cr2 = sk_stack_guard(&stacks, 0, SK_STACK_CALL);
	assert_int_equal(sk_trap_fault_flags(&t, &stacks), 0x101);
	t.cr2 = sk_stack_guard(&stacks, 0, SK_STACK_PF) + 0x10;
	assert_int_equal(sk_trap_fault_flags(&t, &stacks), 0x401);
	t.cr2 = g + SK_PAGE;       /* the stack's own lowest byte */
	assert_int_equal(sk_trap_fault_flags(&t, &stacks), 0);
	t.cr2 = BASE + 0x100;      /* a write to code */
	assert_int_equal(sk_trap_fault_flags(&t, &stacks), 0);
	t.cr2 = g;
	t.vector = 8;              /* CR2 is not a #DF's */
	assert_int_equal(sk_trap_fault_flags(&t, &stacks), 0);
	t.vector = 14;
	assert_int_equal(sk_trap_fault_flags(&t, &(struct sk_stacks){ 0, 0 }),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_build_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_verify_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranges_and_perms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_expect, setup, teardown),
		cmocka_unit_test(test_stack_layout),
		cmocka_unit_test_setup_teardown(test_stack_guards, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stack_layout_refused, setup, teardown),
		cmocka_unit_test(test_error_code_vectors),
		cmocka_unit_test(test_idt),
		cmocka_unit_test(test_cpu_desc),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_fault_flags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
