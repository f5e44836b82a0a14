// SPDX-License-Identifier: MIT
/* Unit tests: hv/core/hypercall.c, hypercall argument validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/hypercall.h"
#include "vbs/hypercall.h"

static uint64_t cpu0[VBS_CTR_COUNT] = { 100, 50, 7 };
static uint64_t cpu1[VBS_CTR_COUNT] = { 200, 80, 9 };
static const uint64_t *const rows[] = { cpu0, cpu1 };
static const struct hc_ctx ctx = {
	.ncpus = 2, .hv_version = 0x000100, .counters = rows,
};

static struct hc_regs call(uint64_t rax, uint64_t rbx, uint64_t rcx)
{
	struct hc_regs r = { .rax = rax, .rbx = rbx, .rcx = rcx };

	hc_dispatch(&r, &ctx);
	return r;
}

static void test_version(void **state)
{
	struct hc_regs r = call(VBS_HC_VERSION, 0, 0);

	(void)state;
	assert_int_equal(r.rax, VBS_HC_OK);
	assert_int_equal(r.rbx, VBS_HC_ABI_VERSION);
	assert_int_equal(r.rcx, 0x000100);
	assert_int_equal(r.rdx, 2);
}

static void test_stats(void **state)
{
	struct hc_regs r;

	(void)state;
	r = call(VBS_HC_EXIT_STATS, 1, VBS_CTR_CPUID);
	assert_int_equal(r.rax, VBS_HC_OK);
	assert_int_equal(r.rbx, 80);
	r = call(VBS_HC_EXIT_STATS, 0, VBS_CTR_TOTAL);
	assert_int_equal(r.rbx, 100);
	r = call(VBS_HC_EXIT_STATS, 2, 0); /* no CPU 2 */
	assert_int_equal(r.rax, VBS_HC_E_RANGE);
	r = call(VBS_HC_EXIT_STATS, 0, VBS_CTR_COUNT);
	assert_int_equal(r.rax, VBS_HC_E_RANGE);
	r = call(VBS_HC_EXIT_STATS, ~0ull, ~0ull);
	assert_int_equal(r.rax, VBS_HC_E_RANGE);
}

static void test_malformed(void **state)
{
	struct hc_regs r;

	(void)state;
	assert_int_equal(call(0, 0, 0).rax, VBS_HC_E_UNKNOWN);
	assert_int_equal(call(0xffff, 0, 0).rax, VBS_HC_E_UNKNOWN);
	/* reserved bits of the call code */
	assert_int_equal(call(VBS_HC_VERSION | 1ull << 16, 0, 0).rax,
			 VBS_HC_E_RESERVED);
	assert_int_equal(call(VBS_HC_VERSION | 1ull << 63, 0, 0).rax,
			 VBS_HC_E_RESERVED);
	/* unused argument registers must be zero */
	assert_int_equal(call(VBS_HC_VERSION, 1, 0).rax, VBS_HC_E_RESERVED);
	r = (struct hc_regs){ .rax = VBS_HC_EXIT_STATS, .rsi = 1 };
	hc_dispatch(&r, &ctx);
	assert_int_equal(r.rax, VBS_HC_E_RESERVED);
	r = (struct hc_regs){ .rax = VBS_HC_EXIT_STATS, .rdi = 1 };
	hc_dispatch(&r, &ctx);
	assert_int_equal(r.rax, VBS_HC_E_RESERVED);
	r = (struct hc_regs){ .rax = VBS_HC_EXIT_STATS, .rdx = 1 };
	hc_dispatch(&r, &ctx);
	assert_int_equal(r.rax, VBS_HC_E_RESERVED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
