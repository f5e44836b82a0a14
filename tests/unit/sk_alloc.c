// SPDX-License-Identifier: MIT
/* Unit tests: sk/core/alloc.c, the secure kernel's first-fit allocator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/alloc.h"

#define REGION 4096

static _Alignas(16) uint8_t region[REGION + 64];

static struct sk_heap fresh(void)
{
	struct sk_heap h;

	memset(region, 0xa5, sizeof(region));
	assert_int_equal(sk_heap_init(&h, region, REGION), SK_ALLOC_OK);
	return h;
}

static int zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return 0;
	return 1;
}

static void test_init_bad(void **state)
{
	struct sk_heap h;

	(void)state;
	assert_int_equal(sk_heap_init(&h, NULL, 4096), SK_ALLOC_E_ARG);
	assert_int_equal(sk_heap_init(&h, region, 16), SK_ALLOC_E_ARG);
	/* unaligned start, 47 bytes: one 16-byte granule after aligning */
	assert_int_equal(sk_heap_init(&h, region + 1, 40), SK_ALLOC_E_ARG);
	assert_int_equal(sk_heap_init(&h, (void *)(uintptr_t)(UINTPTR_MAX - 8), 64),
			 SK_ALLOC_E_ARG);
}

static void test_alloc_zeroed_aligned(void **state)
{
	struct sk_heap h = fresh();
	uint8_t *a = sk_alloc(&h, 100), *b = sk_alloc(&h, 1);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal((uintptr_t)a % SK_ALLOC_ALIGN, 0);
	assert_int_equal((uintptr_t)b % SK_ALLOC_ALIGN, 0);
	assert_true(zero(a, 100));
	assert_true(b >= a + 100);
	assert_true(a >= h.base && b + 1 <= h.base + h.size);
	assert_null(sk_alloc(&h, 0));
	assert_int_equal(sk_heap_check(&h), SK_ALLOC_OK);
}

static void test_exhaustion(void **state)
{
	struct sk_heap h = fresh();
	void *p[REGION / 32];
	size_t n = 0, i;

	(void)state;
	while (n < REGION / 32 && (p[n] = sk_alloc(&h, 16)) != NULL)
		n++;
	/* 32 bytes per block (16 header + 16 payload): exactly all of it */
	assert_int_equal(n, REGION / 32);
	assert_null(sk_alloc(&h, 1));
	assert_int_equal(sk_heap_largest(&h), 0);
	assert_null(sk_alloc(&h, SIZE_MAX));
	assert_null(sk_alloc(&h, REGION));
	for (i = 0; i < n; i++)
		assert_int_equal(sk_free(&h, p[i]), SK_ALLOC_OK);
	assert_int_equal(h.used, 0);
	/* everything coalesced back into one block */
	assert_int_equal(sk_heap_largest(&h), REGION - 16);
	assert_non_null(sk_alloc(&h, REGION - 16));
	assert_int_equal(sk_heap_check(&h), SK_ALLOC_OK);
}

static void test_fragmentation(void **state)
{
	struct sk_heap h = fresh();
	void *p[8];
	int i;

	(void)state;
	for (i = 0; i < 8; i++)
		assert_non_null(p[i] = sk_alloc(&h, 480)); /* 496 with header */
	/* 8 * 496 = 3968; 128 left */
	for (i = 0; i < 8; i += 2)
		assert_int_equal(sk_free(&h, p[i]), SK_ALLOC_OK);
	/* four holes of 480 bytes, none bigger: 1000 does not fit */
	assert_int_equal(sk_heap_largest(&h), 480);
	assert_null(sk_alloc(&h, 1000));
	/* first fit: a small request lands in the first hole */
	assert_ptr_equal(sk_alloc(&h, 32), p[0]);
	/* freeing a neighbour merges holes 2 and 3 with block 3 */
	assert_int_equal(sk_free(&h, p[3]), SK_ALLOC_OK);
	assert_int_equal(sk_heap_largest(&h), 3 * 496 - 16);
	assert_ptr_equal(sk_alloc(&h, 1000), p[2]);
	assert_int_equal(sk_heap_check(&h), SK_ALLOC_OK);
}

static void test_double_free_and_bad_pointers(void **state)
{
	struct sk_heap h = fresh();
	uint8_t *a = sk_alloc(&h, 64), *b = sk_alloc(&h, 64);
	uint8_t outside[32];

	(void)state;
	assert_int_equal(sk_free(&h, a), SK_ALLOC_OK);
	assert_int_equal(sk_free(&h, a), SK_ALLOC_E_DOUBLE);
	assert_int_equal(sk_free(&h, b + 16), SK_ALLOC_E_NOTBLOCK);
	assert_int_equal(sk_free(&h, b + 1), SK_ALLOC_E_NOTBLOCK);
	assert_int_equal(sk_free(&h, outside), SK_ALLOC_E_OUTSIDE);
	assert_int_equal(sk_free(&h, NULL), SK_ALLOC_E_OUTSIDE);
	assert_int_equal(sk_free(&h, h.base), SK_ALLOC_E_OUTSIDE);
	assert_int_equal(sk_free(&h, h.base + h.size), SK_ALLOC_E_OUTSIDE);
	assert_int_equal(h.errors, 7);
	/* b is untouched by all that, and the heap is consistent */
	assert_int_equal(sk_free(&h, b), SK_ALLOC_OK);
	/* b merged into a's free block: still reported as a double free */
	assert_int_equal(sk_free(&h, b), SK_ALLOC_E_DOUBLE);
	assert_int_equal(sk_free(&h, a), SK_ALLOC_E_DOUBLE);
	assert_int_equal(h.errors, 9);
	assert_int_equal(h.used, 0);
	assert_int_equal(sk_heap_check(&h), SK_ALLOC_OK);
}

static void test_zero_on_free(void **state)
{
	struct sk_heap h = fresh();
	uint8_t *a = sk_alloc(&h, 256), *b = sk_alloc(&h, 256);

	(void)state;
	memset(a, 0x5a, 256);
	memset(b, 0xc3, 256);
	assert_int_equal(sk_free(&h, a), SK_ALLOC_OK);
	/* the secret bytes are gone from the region, not just unreferenced */
	assert_true(zero(a, 256));
	assert_int_equal(sk_free(&h, b), SK_ALLOC_OK);
	assert_true(zero(h.base + 16, h.size - 16));
	assert_int_equal(sk_heap_check(&h), SK_ALLOC_OK);
	/* a new allocation over the same bytes comes back zeroed */
	a = sk_alloc(&h, 512);
	assert_true(zero(a, 512));
}

static void test_corruption_detected(void **state)
{
	struct sk_heap h = fresh();
	uint8_t *a = sk_alloc(&h, 64), *b = sk_alloc(&h, 64);

	(void)state;
	(void)a;
	memset(b - 16, 0xff, 16); /* smash b's header */
	assert_int_equal(sk_heap_check(&h), SK_ALLOC_E_CORRUPT);
	assert_int_equal(sk_free(&h, b), SK_ALLOC_E_CORRUPT);
	assert_null(sk_alloc(&h, 3000)); /* the walk stops at the bad header */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_bad),
		cmocka_unit_test(test_alloc_zeroed_aligned),
		cmocka_unit_test(test_exhaustion),
		cmocka_unit_test(test_fragmentation),
		cmocka_unit_test(test_double_free_and_bad_pointers),
		cmocka_unit_test(test_zero_on_free),
		cmocka_unit_test(test_corruption_detected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
