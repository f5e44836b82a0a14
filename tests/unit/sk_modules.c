// SPDX-License-Identifier: MIT
/* sk/services/modules.c: VTL0's modules as reported, and lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "services/modules.h"

#define K 0xffffffffc0000000ull

static struct sk_modules t;

static int note(uint64_t base, uint64_t size, const char *name)
{
	return sk_modules_note(&t, base, size, (const uint8_t *)name,
			       (uint32_t)strlen(name));
}

static int setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	return 0;
}

static void test_lookup(void **state)
{
	(void)state;
	assert_int_equal(note(K, 0x2000, "ext4"), VBS_SK_OK);
	assert_int_equal(note(K + 0x10000, 0x1000, "vbs"), VBS_SK_OK);
	assert_string_equal(sk_modules_lookup(&t, K), "ext4");
	assert_string_equal(sk_modules_lookup(&t, K + 0x1fff), "ext4");
	assert_null(sk_modules_lookup(&t, K + 0x2000));
	assert_string_equal(sk_modules_lookup(&t, K + 0x10fff), "vbs");
	assert_null(sk_modules_lookup(&t, K - 1));
}

static void test_gone_and_reload(void **state)
{
	(void)state;
	assert_int_equal(note(K, 0x2000, "old"), VBS_SK_OK);
	assert_int_equal(sk_modules_gone(&t, K), VBS_SK_OK);
	assert_null(sk_modules_lookup(&t, K + 1));
	assert_int_equal(sk_modules_gone(&t, K), VBS_SK_E_NOENT);
	assert_int_equal(note(K, 0x3000, "new"), VBS_SK_OK);
	assert_string_equal(sk_modules_lookup(&t, K + 0x2800), "new");
	/* a second note at the same base replaces the live one */
	assert_int_equal(note(K, 0x1000, "newer"), VBS_SK_OK);
	assert_string_equal(sk_modules_lookup(&t, K), "newer");
	assert_null(sk_modules_lookup(&t, K + 0x2800));
}

static void test_refusals(void **state)
{
	char long_name[VBS_SK_EV_MODULE_LEN + 1];
	uint32_t i;

	(void)state;
	assert_int_equal(note(0x1000, 0x1000, "user"), VBS_SK_E_RANGE);
	assert_int_equal(note(K, 0, "empty"), VBS_SK_E_RANGE);
	assert_int_equal(note(K, (1ull << 30) + 1, "huge"), VBS_SK_E_RANGE);
	assert_int_equal(note(0xfffffffffffff000ull, 0x2000, "wraps"), VBS_SK_E_RANGE);
	assert_int_equal(note(K, 0x1000, ""), VBS_SK_E_MALFORMED);
	assert_int_equal(note(K, 0x1000, "a b"), VBS_SK_E_MALFORMED);
	assert_int_equal(note(K, 0x1000, "tab\t"), VBS_SK_E_MALFORMED);
	memset(long_name, 'm', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	assert_int_equal(note(K, 0x1000, long_name), VBS_SK_E_MALFORMED);
	assert_int_equal(sk_modules_note(&t, K, 0x1000, NULL, 3), VBS_SK_E_MALFORMED);
	assert_int_equal(t.count, 0);
	for (i = 0; i < SK_MODULES_MAX; i++)
		assert_int_equal(note(K + i * 0x1000ull, 0x1000, "m"), VBS_SK_OK);
	assert_int_equal(note(K + 0x200000, 0x1000, "full"), VBS_SK_E_NOSPACE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lookup, setup),
		cmocka_unit_test_setup(test_gone_and_reload, setup),
		cmocka_unit_test_setup(test_refusals, setup),
	};

	return cmocka_run_group_tests_name("sk_modules", tests, NULL, NULL);
}
