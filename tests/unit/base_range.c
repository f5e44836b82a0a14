// SPDX-License-Identifier: MIT
/*
 * Unit tests: lib/base/range.h, the range checks the hypervisor
 * (hv_hidden_from_vtl) and the secure kernel (VTL0 buffers, protected
 * ranges) share. Hand-picked cases at the edges, then every combination
 * of starts near 0 and near 2^64 and short lengths against an oracle that
 * lists the bytes of each range one by one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/range.h"

#define TOP UINT64_MAX
#define PAGE 0x1000ull

/* --- overlaps ---------------------------------------------------------- */

static void test_overlap_touching_edges(void **state)
{
	(void)state;
	/* [0x1000, 0x2000) and [0x2000, 0x3000): adjacent, no shared byte */
	assert_false(vbs_range_overlaps(0x1000, PAGE, 0x2000, PAGE));
	assert_false(vbs_range_overlaps(0x2000, PAGE, 0x1000, PAGE));
	/* one byte more on either side: they share exactly one */
	assert_true(vbs_range_overlaps(0x1000, PAGE + 1, 0x2000, PAGE));
	assert_true(vbs_range_overlaps(0x1fff, 1, 0x1000, PAGE));
	assert_true(vbs_range_overlaps(0x2000, PAGE, 0x1fff, 2));
	assert_false(vbs_range_overlaps(0x2000, PAGE, 0x1ffe, 2));
}

static void test_overlap_zero_length(void **state)
{
	(void)state;
	/* an empty range holds no byte, even in the middle of another */
	assert_false(vbs_range_overlaps(0x1800, 0, 0x1000, PAGE));
	assert_false(vbs_range_overlaps(0x1000, PAGE, 0x1800, 0));
	assert_false(vbs_range_overlaps(0x1000, 0, 0x1000, 0));
	assert_false(vbs_range_overlaps(0, 0, 0, TOP));
}

static void test_overlap_containment(void **state)
{
	(void)state;
	assert_true(vbs_range_overlaps(0x1800, 0x10, 0x1000, PAGE));
	assert_true(vbs_range_overlaps(0x1000, PAGE, 0x1800, 0x10));
	assert_true(vbs_range_overlaps(0x1000, PAGE, 0x1000, PAGE));
	/* the whole address space (but its last byte) holds every byte */
	assert_true(vbs_range_overlaps(0, TOP, 0x1234, 1));
	assert_true(vbs_range_overlaps(0x1234, 1, 0, TOP));
	assert_false(vbs_range_overlaps(0, TOP, TOP, 1));
}

static void test_overlap_wrap(void **state)
{
	(void)state;
	/* ends exactly at 2^64: its last byte is TOP, nothing at 0 */
	assert_false(vbs_range_overlaps(TOP - 15, 16, 0, 16));
	assert_true(vbs_range_overlaps(TOP - 15, 16, TOP, 1));
	/* runs past 2^64 into [0, 2): meets a range at 0 or 1, not at 2 */
	assert_true(vbs_range_overlaps(TOP - 1, 4, 0, 16));
	assert_true(vbs_range_overlaps(0, 16, TOP - 1, 4));
	assert_true(vbs_range_overlaps(TOP - 1, 4, 1, 1));
	assert_false(vbs_range_overlaps(TOP - 1, 4, 2, PAGE));
	/* the naive a < b + blen && b < a + alen gets these wrong */
	assert_true(vbs_range_overlaps(TOP - PAGE + 1, 2 * PAGE, 0x10, 1));
	assert_false(vbs_range_overlaps(TOP, 1, 0, 1));
	assert_true(vbs_range_overlaps(0x1000, 1, 0x800, TOP));
}

/* --- within ------------------------------------------------------------- */

static void test_within(void **state)
{
	(void)state;
	assert_true(vbs_range_within(0x1000, PAGE, 0x1000, PAGE));
	assert_true(vbs_range_within(0x1800, 0x800, 0x1000, PAGE));
	assert_false(vbs_range_within(0x1800, 0x801, 0x1000, PAGE));
	assert_false(vbs_range_within(0xfff, 2, 0x1000, PAGE));
	assert_false(vbs_range_within(0x1000, PAGE, 0x1800, 0x10));
	/* empty: its start in [b, b + blen], the end included */
	assert_true(vbs_range_within(0x2000, 0, 0x1000, PAGE));
	assert_false(vbs_range_within(0x2001, 0, 0x1000, PAGE));
	assert_false(vbs_range_within(0xfff, 0, 0x1000, PAGE));
	/* a start past 2^64 - len never fits a range that does not wrap */
	assert_false(vbs_range_within(TOP - 63, 0x48, 0x1000, 0x100000));
	assert_false(vbs_range_within(TOP - 63, 0x48, 0, TOP));
	assert_true(vbs_range_within(TOP - 63, 64, TOP - 63, 64));
	/* a container that wraps holds what wraps inside it */
	assert_true(vbs_range_within(TOP, 2, TOP - 3, 8));
	assert_false(vbs_range_within(TOP, 6, TOP - 3, 8));
}

/* --- wraps -------------------------------------------------------------- */

static void test_wraps(void **state)
{
	(void)state;
	assert_false(vbs_range_wraps(0, 0));
	assert_false(vbs_range_wraps(TOP, 0));
	assert_false(vbs_range_wraps(TOP, 1));
	assert_true(vbs_range_wraps(TOP, 2));
	assert_false(vbs_range_wraps(TOP - PAGE + 1, PAGE));
	assert_true(vbs_range_wraps(TOP - PAGE + 1, PAGE + 1));
	assert_false(vbs_range_wraps(0, TOP));
	assert_false(vbs_range_wraps(1, TOP));
	assert_true(vbs_range_wraps(2, TOP));
}

/* --- all small cases against byte-by-byte oracles ------------------------ */

#define NSTART 24
#define MAXLEN 12

static const uint64_t starts[NSTART] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
	TOP - 11, TOP - 10, TOP - 9, TOP - 8, TOP - 7, TOP - 6,
	TOP - 5, TOP - 4, TOP - 3, TOP - 2, TOP - 1, TOP,
};

/* Is byte x among the len bytes from a (addresses modulo 2^64)? */
static bool holds(uint64_t a, uint64_t len, uint64_t x)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (a + i == x)
			return true;
	return false;
}

static bool oracle_overlaps(uint64_t a, uint64_t alen, uint64_t b,
			    uint64_t blen)
{
	uint64_t i;

	for (i = 0; i < alen; i++)
		if (holds(b, blen, a + i))
			return true;
	return false;
}

/* Every byte of a is in b; an empty a by where it starts (range.h). */
static bool oracle_within(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	uint64_t i;

	if (!alen)
		return holds(b, blen + 1, a);
	for (i = 0; i < alen; i++)
		if (!holds(b, blen, a + i))
			return false;
	return true;
}

static bool oracle_wraps(uint64_t a, uint64_t alen)
{
	uint64_t i;

	for (i = 1; i < alen; i++)
		if (a + i == 0)
			return true;
	return false;
}

static void test_against_oracle(void **state)
{
	unsigned int ia, ib, checked = 0;
	uint64_t alen, blen, a, b;

	(void)state;
	for (ia = 0; ia < NSTART; ia++) {
		a = starts[ia];
		for (alen = 0; alen <= MAXLEN; alen++) {
			assert_int_equal(vbs_range_wraps(a, alen),
					 oracle_wraps(a, alen));
			for (ib = 0; ib < NSTART; ib++) {
				b = starts[ib];
				for (blen = 0; blen <= MAXLEN; blen++) {
					assert_int_equal(
						vbs_range_overlaps(a, alen, b, blen),
						oracle_overlaps(a, alen, b, blen));
					assert_int_equal(
						vbs_range_overlaps(a, alen, b, blen),
						vbs_range_overlaps(b, blen, a, alen));
					assert_int_equal(
						vbs_range_within(a, alen, b, blen),
						oracle_within(a, alen, b, blen));
					checked++;
				}
			}
		}
	}
	assert_int_equal(checked, NSTART * NSTART * (MAXLEN + 1) * (MAXLEN + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlap_touching_edges),
		cmocka_unit_test(test_overlap_zero_length),
		cmocka_unit_test(test_overlap_containment),
		cmocka_unit_test(test_overlap_wrap),
		cmocka_unit_test(test_within),
		cmocka_unit_test(test_wraps),
		cmocka_unit_test(test_against_oracle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
