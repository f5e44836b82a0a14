// SPDX-License-Identifier: MIT
/*
 * The register tracking of vbs-drvcheck (tools/vbs-drvcheck/sweep.c) on
 * code assembled by gcc from tests/unit/drv_fixtures/sweep_cases.S: at
 * every call of "watched" (offset 0) the bits known of rcx are what each
 * case's comment says, joins and resets included; and the pool verdicts
 * of tools/vbs-drvcheck/callsite.c on such bits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "callsite.h"
#include "sweep.h"

#define MAX_CALLS 32
#define BIT63 (1ull << 63)

static struct drv_bits seen[MAX_CALLS];
static size_t nseen;
static unsigned int loads;

static int callee(void *ctx, const struct drv_branch *b)
{
	(void)ctx;
	return b->is_call && !b->via_mem && b->target == 0 ? 0 : -1;
}

/* Case 13's pte_mask: bit 63 known set, like __default_kernel_pte_mask. */
static struct drv_bits load(void *ctx, uint64_t insn_addr, uint8_t disp_off,
			    unsigned int size)
{
	struct drv_bits b = { BIT63, BIT63 };

	(void)ctx;
	(void)insn_addr;
	assert_true(disp_off > 0);
	loads++;
	return size == 8 ? b : drv_bits_unknown();
}

static void site(void *ctx, uint64_t insn_addr, int idx,
		 const struct drv_bits *regs)
{
	(void)ctx;
	(void)insn_addr;
	assert_int_equal(idx, 0);
	assert_true(nseen < MAX_CALLS);
	seen[nseen++] = regs[DRV_RCX];
}

static void sweep_fixture(enum drv_abi abi)
{
	FILE *f = fopen(DRV_FIXTURES "/sweep_cases.bin", "rb");
	static uint8_t buf[4096];
	struct drv_code code = { buf, 0, 0 };
	struct drv_sweep_ops ops = {
		.abi = abi, .callee = callee, .load = load, .site = site,
	};

	if (!f)
		fail_msg("sweep_cases.bin missing (built by tests/unit/drv.mk)");
	code.len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	nseen = 0;
	loads = 0;
	assert_int_equal(drv_sweep(&code, 1, &ops), 13);
	assert_int_equal(nseen, 13);
}

static void known(size_t n, uint64_t value)
{
	if (seen[n - 1].known != ~0ull || seen[n - 1].value != value)
		fail_msg("case %zu: known %#llx value %#llx, want all known, %#llx",
			 n, (unsigned long long)seen[n - 1].known,
			 (unsigned long long)seen[n - 1].value,
			 (unsigned long long)value);
}

static void cases(void **s)
{
	(void)s;
	sweep_fixture(DRV_ABI_SYSV);
	known(1, 0x200);
	assert_int_equal(drv_bit(&seen[1], 9), -1);   /* 2: paths disagree */
	assert_int_equal(drv_bit(&seen[1], 0), 0);
	assert_int_equal(drv_bit(&seen[2], 9), 1);    /* 3: paths agree on 9 */
	assert_int_equal(drv_bit(&seen[2], 0), -1);
	assert_int_equal(seen[3].known, 0);           /* 4: loop head */
	known(5, 5);                                  /* 5: rbx kept */
	assert_int_equal(seen[5].known, 0);           /* 6: rcx clobbered */
	known(7, 7);                                  /* 7: zero-extended */
	assert_int_equal(seen[7].known, 0);           /* 8: after ret */
	known(9, 0x200);                              /* 9: after jmp */
	known(10, 0x8000000000000200ull);             /* 10: bts, or */
	assert_true(seen[10].known == 0xffffffff00000000ull &&
		    seen[10].value == 0);             /* 11: a 32-bit load */
	assert_true(seen[11].known == ~0x163ull && seen[11].value == 0);
	assert_int_equal(drv_bit(&seen[12], 63), 1);  /* 13: the load's bit */
	assert_int_equal(seen[12].known & seen[12].value & 0x163, 0x163);
	assert_int_equal(drv_bit(&seen[12], 2), -1);  /* 0 | unknown */
	assert_int_equal(loads, 1);
}

/* The Microsoft ABI keeps rsi/rdi across calls, System V does not. */
static void abi_clobbers(void **s)
{
	(void)s;
	sweep_fixture(DRV_ABI_MS);
	known(5, 5);
	assert_int_equal(seen[5].known, 0);
}

/* The verdicts the PE rules apply to rcx (POOL_TYPE, POOL_FLAGS). */
static void pool_verdicts(void **s)
{
	struct drv_bits t0 = drv_bits_const(0), t32 = drv_bits_const(32);
	struct drv_bits nx = drv_bits_const(512), paged = drv_bits_const(1);
	struct drv_bits nx_bit = { 0x200, 0x200 }, low_zero = { 0x1, 0 };
	struct drv_bits none = drv_bits_unknown();
	struct drv_bits exec = drv_bits_const(0x80), np = drv_bits_const(0x40);

	(void)s;
	assert_int_equal(drv_pool_type_verdict(&t0), DRV_VERDICT_EXEC);
	assert_int_equal(drv_pool_type_verdict(&t32), DRV_VERDICT_EXEC);
	assert_int_equal(drv_pool_type_verdict(&nx), DRV_VERDICT_NX);
	assert_int_equal(drv_pool_type_verdict(&paged), DRV_VERDICT_NX);
	assert_int_equal(drv_pool_type_verdict(&nx_bit), DRV_VERDICT_NX);
	assert_int_equal(drv_pool_type_verdict(&low_zero), DRV_VERDICT_UNKNOWN);
	assert_int_equal(drv_pool_type_verdict(&none), DRV_VERDICT_UNKNOWN);
	assert_int_equal(drv_pool_flags_verdict(&exec), DRV_VERDICT_EXEC);
	assert_int_equal(drv_pool_flags_verdict(&np), DRV_VERDICT_NX);
	assert_int_equal(drv_pool_flags_verdict(&none), DRV_VERDICT_UNKNOWN);
}

/* Every prefix of the code: no read outside it, no crash. */
static void truncated_code(void **s)
{
	FILE *f = fopen(DRV_FIXTURES "/sweep_cases.bin", "rb");
	uint8_t buf[4096];
	size_t len, n;

	(void)s;
	assert_non_null(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (n = 0; n <= len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		struct drv_code code = { copy, n, 0 };
		struct drv_sweep_ops ops = {
			.abi = DRV_ABI_SYSV, .callee = callee, .load = load,
			.site = site,
		};

		memcpy(copy, buf, n);
		nseen = 0;
		assert_true(drv_sweep(&code, 1, &ops) >= 0);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cases),
		cmocka_unit_test(abi_clobbers),
		cmocka_unit_test(pool_verdicts),
		cmocka_unit_test(truncated_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
