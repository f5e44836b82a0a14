// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/svm/npt.c, nested page table builders, the
 * identity map, split on demand and per-page permissions. The tables live
 * in an aligned host buffer; their "physical" addresses are its pointers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "arch/x86/svm/npt.h"

#define POOL_PAGES 64

static struct npt_pool pool;
static struct npt n;
static void *pool_mem;

static int setup(void **state)
{
	(void)state;
	pool_mem = aligned_alloc(4096, POOL_PAGES * 4096);
	if (!pool_mem)
		return -1;
	pool = (struct npt_pool){ (uint64_t)(uintptr_t)pool_mem, POOL_PAGES, 0 };
	n = (struct npt){ .pool = &pool, .zero_page = 0x7000 };
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(pool_mem);
	return 0;
}

static void test_builders(void **state)
{
	(void)state;
	assert_int_equal(npt_table_entry(0x123000), 0x123007);
	assert_int_equal(npt_leaf_entry(0x200000, NPT_PERM_RWX, true),
			 0x200000 | NPT_P | NPT_RW | NPT_US | NPT_PS);
	assert_int_equal(npt_leaf_entry(0x5000, NPT_PERM_RX, false),
			 0x5000 | NPT_P | NPT_US);
	assert_int_equal(npt_leaf_entry(0x5000, NPT_PERM_R, false),
			 0x5000 | NPT_P | NPT_US | NPT_NX);
	assert_int_equal(npt_leaf_entry(0x5000, NPT_PERM_RW, false),
			 0x5000 | NPT_P | NPT_RW | NPT_US | NPT_NX);
	assert_int_equal(npt_leaf_entry(0x5000, NPT_PERM_NONE, false), 0);
	/* low bits of the address never leak into flags */
	assert_int_equal(npt_leaf_entry(0x5fff, NPT_PERM_R, false) &
			 NPT_ADDR_MASK, 0x5000);
}

static void test_identity_2m(void **state)
{
	uint64_t e, size, gpa;

	(void)state;
	/* 4 GiB + 2 MiB: PML4, PDPT, 5 PDs */
	assert_int_equal(npt_build_identity(&n, (4ull << 30) + (2 << 20), false), 0);
	assert_int_equal(pool.used, 7);
	for (gpa = 0; gpa < (4ull << 30) + (2 << 20); gpa += 0x1234567) {
		e = npt_lookup(&n, gpa, &size);
		assert_int_equal(size, 2 << 20);
		assert_int_equal(e & NPT_ADDR_MASK, gpa & ~((2ull << 20) - 1));
		assert_true(e & NPT_RW);
		assert_false(e & NPT_NX);
	}
	assert_int_equal(npt_lookup(&n, (4ull << 30) + (2 << 20), &size), 0);
}

static void test_identity_1g(void **state)
{
	uint64_t e, size;

	(void)state;
	assert_int_equal(npt_build_identity(&n, 8ull << 30, true), 0);
	assert_int_equal(pool.used, 2);
	e = npt_lookup(&n, (5ull << 30) + 0x1234, &size);
	assert_int_equal(size, 1 << 30);
	assert_int_equal(e & NPT_ADDR_MASK, 5ull << 30);
}

static void test_split_and_perm(void **state)
{
	uint64_t e, size, used;

	(void)state;
	assert_int_equal(npt_build_identity(&n, 4ull << 30, true), 0);
	used = pool.used;
	n.flush_pending = false;
	assert_int_equal(npt_set_perm(&n, 0x40201000, NPT_PERM_HIDDEN), 0);
	assert_true(n.flush_pending);
	assert_int_equal(pool.used, used + 2); /* 1G -> PD, 2M -> PT */
	e = npt_lookup(&n, 0x40201abc, &size);
	assert_int_equal(size, 4096);
	assert_int_equal(e & NPT_ADDR_MASK, 0x7000); /* the zero page */
	assert_false(e & NPT_RW);
	assert_true(e & NPT_NX);
	/* neighbours keep their identity mapping and permissions */
	e = npt_lookup(&n, 0x40202000, &size);
	assert_int_equal(size, 4096);
	assert_int_equal(e & NPT_ADDR_MASK, 0x40202000);
	assert_true(e & NPT_RW);
	assert_false(e & NPT_PS); /* bit 7 of a PTE is PAT: cleared */
	e = npt_lookup(&n, 0x40400000, &size);
	assert_int_equal(size, 2 << 20);
	assert_true(e & NPT_PS);
	/* a second page in the same 2M needs no new table */
	assert_int_equal(npt_set_perm(&n, 0x40203000, NPT_PERM_R), 0);
	assert_int_equal(pool.used, used + 2);
	e = npt_lookup(&n, 0x40203000, &size);
	assert_int_equal(e & NPT_ADDR_MASK, 0x40203000);
	assert_false(e & NPT_RW);
	assert_int_equal(npt_set_perm(&n, 0x40203000, NPT_PERM_NONE), 0);
	assert_int_equal(npt_lookup(&n, 0x40203000, &size), 0);
	/* outside the map */
	assert_int_equal(npt_set_perm(&n, 4ull << 30, NPT_PERM_R), -1);
}

static void test_pool_exhaustion(void **state)
{
	struct npt_pool small = pool;

	(void)state;
	small.npages = 3;
	small.used = 0;
	n.pool = &small;
	assert_int_equal(npt_build_identity(&n, 4ull << 30, false), -1);
	small.used = 0;
	small.npages = 2;
	assert_int_equal(npt_build_identity(&n, 4ull << 30, true), 0);
	/* a split needs a page the pool does not have */
	assert_int_equal(npt_set_perm(&n, 0x1000, NPT_PERM_R), -1);
	n.pool = &pool;
}

/* VTL1's view: every page read/write and never executable. */
static void test_identity_as_rw(void **state)
{
	uint64_t e, size, gpa;

	(void)state;
	assert_int_equal(npt_build_identity_as(&n, 4ull << 30, false, NPT_PERM_RW), 0);
	for (gpa = 0; gpa < (4ull << 30); gpa += 0x3456789) {
		e = npt_lookup(&n, gpa, &size);
		assert_int_equal(size, 2 << 20);
		assert_true((e & NPT_RW) && (e & NPT_NX) && (e & NPT_P));
	}
	/* a page made executable again is the only one */
	assert_int_equal(npt_set_perm(&n, 0x200000, NPT_PERM_RWX), 0);
	e = npt_lookup(&n, 0x200000, &size);
	assert_int_equal(size, 4096);
	assert_false(e & NPT_NX);
	e = npt_lookup(&n, 0x201000, &size);
	assert_true(e & NPT_NX);
}

/* PCI 64-bit windows above the memory map, mapped when first touched. */
static void test_mmio_above_top(void **state)
{
	const uint64_t limit = 1ull << 40, mmio = (33ull << 30) + 0x1234;
	uint64_t e, size, used;

	(void)state;
	assert_int_equal(npt_build_identity(&n, 4ull << 30, false), 0);
	assert_int_equal(npt_lookup(&n, mmio, &size), 0);
	used = pool.used;
	assert_int_equal(npt_map_mmio_1g(&n, mmio, limit, false), 0);
	assert_int_equal(pool.used, used + 1); /* one PD */
	e = npt_lookup(&n, mmio, &size);
	assert_int_equal(size, 2 << 20);
	assert_int_equal(e & NPT_ADDR_MASK, mmio & ~((2ull << 20) - 1));
	assert_true(e & NPT_RW);
	assert_true(e & NPT_NX);
	/* the whole GiB, nothing beyond it */
	assert_int_not_equal(npt_lookup(&n, (33ull << 30), &size), 0);
	assert_int_not_equal(npt_lookup(&n, (34ull << 30) - 1, &size), 0);
	assert_int_equal(npt_lookup(&n, (34ull << 30), &size), 0);
	assert_int_equal(npt_lookup(&n, (32ull << 30) + 0x5000, &size), 0);
	/* again: nothing new */
	assert_int_equal(npt_map_mmio_1g(&n, mmio + 0x10000000, limit, false), 0);
	assert_int_equal(pool.used, used + 1);
	/* below top (already mapped) and at or above the limit: refused */
	assert_int_equal(npt_map_mmio_1g(&n, 0x1000, limit, false), -1);
	assert_int_equal(npt_map_mmio_1g(&n, limit, limit, false), -1);
	/* beyond 512 GiB a PDPT is needed too */
	assert_int_equal(npt_map_mmio_1g(&n, 600ull << 30, limit, false), 0);
	assert_int_equal(pool.used, used + 3);
	/* with 1 GiB pages: a single leaf */
	assert_int_equal(npt_map_mmio_1g(&n, 40ull << 30, limit, true), 0);
	assert_int_equal(pool.used, used + 3);
	e = npt_lookup(&n, (40ull << 30) + 0x777, &size);
	assert_int_equal(size, 1 << 30);
	assert_int_equal(e & NPT_ADDR_MASK, 40ull << 30);
	assert_true((e & NPT_NX) && (e & NPT_RW));
	/* an empty pool refuses */
	pool.used = pool.npages;
	assert_int_equal(npt_map_mmio_1g(&n, 50ull << 30, limit, false), -1);
	assert_int_equal(npt_lookup(&n, 50ull << 30, &size), 0);
}

static int reset(void **state)
{
	(void)state;
	pool.used = 0;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builders),
		cmocka_unit_test_setup(test_identity_2m, reset),
		cmocka_unit_test_setup(test_identity_1g, reset),
		cmocka_unit_test_setup(test_split_and_perm, reset),
		cmocka_unit_test_setup(test_pool_exhaustion, reset),
		cmocka_unit_test_setup(test_mmio_above_top, reset),
		cmocka_unit_test_setup(test_identity_as_rw, reset),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
