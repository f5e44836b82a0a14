// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/svm/hidden.c, hv_hidden_from_vtl, over an
 * example hypervisor region and secure-kernel region (2 MiB aligned, as
 * the loader reserves them; the addresses themselves are arbitrary).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/x86/svm/svm.h"

#define HV_BASE 0x7c000000ull
#define HV_SIZE 0x01000000ull
#define SK_BASE 0x7a000000ull
#define SK_SIZE 0x02000000ull
#define TOP UINT64_MAX

/* The two globals hidden.c reads (hv/core/init.c, svm/vtl.c). */
struct hv_region hv_region;
struct hv_vtl1 hv_vtl1;

static int with_sk(void **state)
{
	(void)state;
	hv_region.base = HV_BASE;
	hv_region.size = HV_SIZE;
	hv_vtl1.present = true;
	hv_vtl1.base = SK_BASE;
	hv_vtl1.size = SK_SIZE;
	return 0;
}

static int without_sk(void **state)
{
	with_sk(state);
	hv_vtl1.present = false;
	return 0;
}

static void test_hv_region_from_both_vtls(void **state)
{
	unsigned int vtl;

	(void)state;
	for (vtl = 0; vtl < 2; vtl++) {
		assert_true(hv_hidden_from_vtl(vtl, HV_BASE, 1));
		assert_true(hv_hidden_from_vtl(vtl, HV_BASE + HV_SIZE - 1, 1));
		assert_false(hv_hidden_from_vtl(vtl, HV_BASE + HV_SIZE, 1));
		/* a range ending just below, and one reaching in by a byte */
		assert_false(hv_hidden_from_vtl(vtl, HV_BASE + HV_SIZE, 0x1000));
		assert_true(hv_hidden_from_vtl(vtl, HV_BASE + HV_SIZE - 1, 2));
		assert_true(hv_hidden_from_vtl(vtl, 0, HV_BASE + 1));
		assert_false(hv_hidden_from_vtl(vtl, 0x100000, 0x1000));
	}
}

static void test_sk_region_from_vtl0_only(void **state)
{
	(void)state;
	assert_true(hv_hidden_from_vtl(0, SK_BASE, 1));
	assert_true(hv_hidden_from_vtl(0, SK_BASE + SK_SIZE - 1, 1));
	assert_true(hv_hidden_from_vtl(0, SK_BASE - 0x40, 0x41));
	assert_false(hv_hidden_from_vtl(0, SK_BASE - 0x40, 0x40));
	/* VTL1 reads and writes its own region */
	assert_false(hv_hidden_from_vtl(1, SK_BASE, SK_SIZE));
	assert_false(hv_hidden_from_vtl(1, SK_BASE - 0x1000, 0x2000));
}

static void test_no_sk(void **state)
{
	(void)state;
	assert_false(hv_hidden_from_vtl(0, SK_BASE, SK_SIZE));
	assert_true(hv_hidden_from_vtl(0, HV_BASE, 1));
}

static void test_empty_and_wrapping(void **state)
{
	(void)state;
	/* an empty range touches nothing, even inside a region */
	assert_false(hv_hidden_from_vtl(0, HV_BASE + 0x10, 0));
	assert_false(hv_hidden_from_vtl(0, SK_BASE + 0x10, 0));
	/* ending at 2^64 is fine; running past it is refused */
	assert_false(hv_hidden_from_vtl(0, TOP - 0xfff, 0x1000));
	assert_true(hv_hidden_from_vtl(0, TOP - 0xfff, 0x1001));
	assert_true(hv_hidden_from_vtl(1, TOP, 2));
	assert_true(hv_hidden_from_vtl(0, 0x1000, TOP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hv_region_from_both_vtls, with_sk),
		cmocka_unit_test_setup(test_sk_region_from_vtl0_only, with_sk),
		cmocka_unit_test_setup(test_no_sk, without_sk),
		cmocka_unit_test_setup(test_empty_and_wrapping, with_sk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
