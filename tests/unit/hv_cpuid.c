// SPDX-License-Identifier: MIT
/* Unit tests: hv/arch/x86/cpuid_shape.c, CPUID as the guest sees it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/cpuid_shape.h"
#include "vbs/cpuid.h"
#include "vbs/hypercall.h"

static uint64_t counters[VBS_CTR_COUNT];
static const struct cpuid_ctx ctx = {
	.cpu_index = 3, .hv_version = 0x000100, .counters = counters,
};

static void shape(uint32_t leaf, uint32_t sub, uint32_t r[4], uint32_t fill)
{
	r[0] = r[1] = r[2] = r[3] = fill;
	cpuid_shape(leaf, sub, r, &ctx);
}

static void test_signature(void **state)
{
	uint32_t r[4];
	char sig[12];

	(void)state;
	shape(VBS_CPUID_LEAF_VENDOR, 0, r, 0xdeadbeef);
	memcpy(sig, &r[1], 4);
	memcpy(sig + 4, &r[2], 4);
	memcpy(sig + 8, &r[3], 4);
	assert_memory_equal(sig, VBS_CPUID_SIGNATURE, 12);
	assert_memory_equal(sig, "OpenVBSHyper", 12);
	assert_int_equal(r[0], VBS_CPUID_LEAF_MAX);
	/* never a signature Linux has enlightenments for */
	assert_memory_not_equal(sig, "Microsoft Hv", 12);
	assert_memory_not_equal(sig, "KVMKVMKVM\0\0\0", 12);
}

static void test_info_and_counters(void **state)
{
	uint32_t r[4];

	(void)state;
	shape(VBS_CPUID_LEAF_INFO, 0, r, 0xffffffff);
	assert_int_equal(r[0], VBS_HC_ABI_VERSION);
	assert_int_equal(r[1], 0x000100);
	assert_int_equal(r[2], VBS_CTR_COUNT);
	assert_int_equal(r[3], 3);
	counters[VBS_CTR_CPUID] = 0x123456789abull;
	shape(VBS_CPUID_LEAF_COUNTERS, VBS_CTR_CPUID, r, 0xffffffff);
	assert_int_equal(r[0], 0x456789ab);
	assert_int_equal(r[1], 0x123);
	assert_int_equal(r[2], VBS_CTR_CPUID);
	assert_int_equal(r[3], 1);
	shape(VBS_CPUID_LEAF_COUNTERS, VBS_CTR_COUNT, r, 0xffffffff);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	shape(0x40000080, 0, r, 0xffffffff); /* rest of the range: zeros */
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
}

static void test_svm_hidden(void **state)
{
	uint32_t r[4];

	(void)state;
	shape(0x80000001u, 0, r, 0xffffffff);
	assert_int_equal(r[2] & (1u << 2), 0);
	assert_int_equal(r[2] | (1u << 2), 0xffffffff); /* nothing else */
	shape(0x8000000au, 0, r, 0xffffffff);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	shape(1, 0, r, 0);
	assert_int_equal(r[2], 1u << 31); /* hypervisor present */
	shape(0, 0, r, 0x11111111);
	assert_int_equal(r[0] & r[1] & r[2] & r[3], 0x11111111);
}

/* OSXSAVE and OSPKE report the guest's CR4, whatever the host's is. */
static void test_cr4_mirrors(void **state)
{
	struct cpuid_ctx c = ctx;
	uint32_t r[4];

	(void)state;
	c.guest_cr4 = 1ull << 18;
	r[0] = r[1] = r[2] = r[3] = 0;
	cpuid_shape(1, 0, r, &c);
	assert_true(r[2] & (1u << 27));
	c.guest_cr4 = 0;
	r[2] = 0xffffffff;
	cpuid_shape(1, 0, r, &c);
	assert_false(r[2] & (1u << 27));
	assert_true(r[2] & (1u << 28)); /* AVX itself untouched */
	c.guest_cr4 = 1ull << 22;
	r[2] = 0;
	cpuid_shape(7, 0, r, &c);
	assert_int_equal(r[2], 1u << 4);
	c.guest_cr4 = 0;
	r[2] = 0xffffffff;
	cpuid_shape(7, 0, r, &c);
	assert_int_equal(r[2], ~(1u << 4));
	r[2] = 0xffffffff;
	cpuid_shape(7, 1, r, &c); /* other subleaves as they are */
	assert_int_equal(r[2], 0xffffffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_info_and_counters),
		cmocka_unit_test(test_svm_hidden),
		cmocka_unit_test(test_cr4_mirrors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
