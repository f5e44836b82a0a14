// SPDX-License-Identifier: MIT
/*
 * Unit tests: guest/vbsctl/fmt.c, vbsctl's pure parts: option and number
 * parsing, JSON string escaping (RFC 8259 §7), the property names, and
 * the check of a log answer's head against its length (include/vbs/
 * sk_abi.h VBS_SK_LOG_READ) with hostile counts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vbs/sk_abi.h"
#include "vbsctl.h"

/* Runs fn's output into a string (open_memstream); the caller frees. */
#define CAPTURE(var, stmt)                                              \
	do {                                                            \
		size_t __len;                                           \
		FILE *f = open_memstream(&(var), &__len);               \
		assert_non_null(f);                                     \
		stmt;                                                   \
		fclose(f);                                              \
	} while (0)

static int parse(const char *const *args, int n, unsigned int allowed,
		 unsigned int max_pos, struct vbsctl_opts *o)
{
	char err[128];
	char *argv[16];
	int i;

	for (i = 0; i < n; i++)
		argv[i] = (char *)args[i];
	return opts_parse(n, argv, 1, allowed, max_pos, o, err, sizeof(err));
}

static void test_opts_ok(void **state)
{
	const char *a[] = { "sign", "7", "--in", "m.bin", "--json", "--out", "-" };
	struct vbsctl_opts o;

	(void)state;
	assert_int_equal(parse(a, 7, OPT_IN | OPT_OUT | OPT_JSON, 1, &o), 0);
	assert_true(o.json);
	assert_string_equal(o.in, "m.bin");
	assert_string_equal(o.out, "-");
	assert_int_equal(o.npos, 1);
	assert_string_equal(o.pos[0], "7");
}

static void test_opts_refused(void **state)
{
	const char *not_allowed[] = { "list", "--in", "x" };
	const char *twice[] = { "log", "--json", "--json" };
	const char *no_value[] = { "log", "--from" };
	const char *bad_from[] = { "log", "--from", "-1" };
	const char *extra[] = { "delete", "1", "2" };
	const char *unknown[] = { "status", "--jsn" };
	struct vbsctl_opts o;

	(void)state;
	assert_int_equal(parse(not_allowed, 3, OPT_JSON, 0, &o), -1);
	assert_int_equal(parse(twice, 3, OPT_JSON, 0, &o), -1);
	assert_int_equal(parse(no_value, 2, OPT_FROM, 0, &o), -1);
	assert_int_equal(parse(bad_from, 3, OPT_FROM, 0, &o), -1);
	assert_int_equal(parse(extra, 3, 0, 1, &o), -1);
	assert_int_equal(parse(unknown, 2, OPT_JSON, 0, &o), -1);
}

static void test_numbers(void **state)
{
	uint32_t v32;
	uint64_t v64;

	(void)state;
	assert_int_equal(parse_u32("42", &v32), 0);
	assert_int_equal(v32, 42);
	assert_int_equal(parse_u32("0x10", &v32), 0);
	assert_int_equal(v32, 16);
	assert_int_equal(parse_u32("4294967295", &v32), 0);
	assert_int_equal(parse_u32("4294967296", &v32), -1);
	assert_int_equal(parse_u32("-1", &v32), -1);
	assert_int_equal(parse_u32("", &v32), -1);
	assert_int_equal(parse_u32("12x", &v32), -1);
	assert_int_equal(parse_u32(" 1", &v32), -1);
	assert_int_equal(parse_u64("18446744073709551615", &v64), 0);
	assert_true(v64 == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", &v64), -1);
}

static void test_json_str(void **state)
{
	const char in[] = "a\"b\\c\n\x01\xff";
	char *s;

	(void)state;
	CAPTURE(s, json_str(f, in, sizeof(in) - 1));
	assert_string_equal(s, "\"a\\\"b\\\\c\\n\\u0001\\u00ff\"");
	free(s);
	/* A NUL inside the length is escaped, not an end. */
	CAPTURE(s, json_str(f, "x\0y", 3));
	assert_string_equal(s, "\"x\\u0000y\"");
	free(s);
}

static void test_props(void **state)
{
	char *s;

	(void)state;
	CAPTURE(s, props_write(f, VBS_SK_PROP_VTL1 | VBS_SK_PROP_HVCI, ", ", false));
	assert_string_equal(s, "vtl1, hvci");
	free(s);
	CAPTURE(s, props_write(f, VBS_SK_PROP_VAULT | (1u << 31), ",", true));
	assert_string_equal(s, "\"vault\",\"0x80000000\"");
	free(s);
	CAPTURE(s, props_write(f, 0, ",", true));
	assert_string_equal(s, "");
	free(s);
}

static void test_names(void **state)
{
	uint32_t k;

	(void)state;
	assert_int_equal(key_kind_parse("ecdsa-p256", &k), 0);
	assert_int_equal(k, VBS_SK_KEY_ECDSA_P256);
	assert_string_equal(key_kind_name(VBS_SK_KEY_AES256_GCM), "aes256-gcm");
	assert_int_equal(key_kind_parse("rsa", &k), -1);
	assert_int_equal(key_kind_parse(NULL, &k), -1);
	assert_string_equal(sk_status_name(VBS_SK_E_NOENT), "no such secret");
	assert_string_equal(sk_status_name(-99), "unknown status");
	assert_int_equal(field_len("abc\0\0", 5), 3);
	assert_int_equal(field_len("abcde", 5), 5);
}

static void test_log_head(void **state)
{
	uint8_t buf[sizeof(struct vbs_sk_log_head) + 2 * sizeof(struct vbs_sk_event)];
	struct vbs_sk_log_head h = { .first_seq = 5, .next_seq = 7, .count = 2,
				     .entry_size = sizeof(struct vbs_sk_event) };
	struct vbs_sk_log_head got;

	(void)state;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(log_head_check(buf, sizeof(buf), &got), 0);
	assert_int_equal(got.count, 2);
	/* One byte short of the second entry. */
	assert_int_equal(log_head_check(buf, sizeof(buf) - 1, &got), -1);
	/* Shorter than a head. */
	assert_int_equal(log_head_check(buf, sizeof(h) - 1, &got), -1);
	/* count * entry_size wraps in 32 bits: still refused. */
	h.count = 0x02000000;
	h.entry_size = 0x80;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(log_head_check(buf, sizeof(buf), &got), -1);
	h.count = UINT32_MAX;
	h.entry_size = UINT32_MAX;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(log_head_check(buf, sizeof(buf), &got), -1);
	/* Entries smaller than the ABI's. */
	h.count = 1;
	h.entry_size = 8;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(log_head_check(buf, sizeof(buf), &got), -1);
	/* An empty answer is fine whatever entry_size says. */
	h.count = 0;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(log_head_check(buf, sizeof(h), &got), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_ok),
		cmocka_unit_test(test_opts_refused),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_props),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_log_head),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
