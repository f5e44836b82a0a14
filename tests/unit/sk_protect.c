// SPDX-License-Identifier: MIT
/*
 * sk/services/protect.c: protected ranges (parsing, no weakening, list)
 * and the verdicts for secure intercepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "services/protect.h"

static struct sk_protect t;

static void range(uint8_t *b, uint64_t gpa, uint64_t pages, uint32_t mask,
		  uint32_t policy, const char *label)
{
	memset(b, 0, sizeof(struct vbs_sk_protect_range));
	memcpy(b + 0x00, &gpa, 8);
	memcpy(b + 0x08, &pages, 8);
	memcpy(b + 0x10, &mask, 4);
	memcpy(b + 0x14, &policy, 4);
	memcpy(b + 0x28, label, strlen(label));
}

static int add(uint64_t gpa, uint64_t pages, uint32_t mask, uint32_t policy)
{
	uint8_t b[sizeof(struct vbs_sk_protect_range)];
	uint32_t idx;

	struct vbs_sk_protect_range r;
	int rc;

	range(b, gpa, pages, mask, policy, "t");
	rc = sk_protect_parse(b, sizeof(b), &r);
	return rc ? rc : sk_protect_add(&t, &r, &idx);
}

static int setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	return 0;
}

static void test_add_and_list(void **state)
{
	struct vbs_sk_protect_range out[4];
	uint8_t b[sizeof(struct vbs_sk_protect_range)];
	struct vbs_sk_protect_range r;
	uint32_t idx = 99;

	(void)state;
	range(b, 0x10000, 2, VBS_VTL_PROT_READ, VBS_SK_PROTECT_DENY, "kdp");
	assert_int_equal(sk_protect_parse(b, sizeof(b), &r), VBS_SK_OK);
	assert_int_equal(sk_protect_add(&t, &r, &idx), VBS_SK_OK);
	assert_int_equal(idx, 0);
	assert_int_equal(sk_protect_list(&t, out, 4), 1);
	assert_int_equal(out[0].gpa, 0x10000);
	assert_int_equal(out[0].pages, 2);
	assert_int_equal(out[0].state, VBS_SK_PROTECT_ST_ACTIVE);
	assert_string_equal(out[0].label, "kdp");
	sk_protect_mark_partial(&t, 0);
	sk_protect_list(&t, out, 4);
	assert_int_equal(out[0].state, VBS_SK_PROTECT_ST_PARTIAL);
}

static void test_no_weakening(void **state)
{
	(void)state;
	assert_int_equal(add(0x10000, 2, VBS_VTL_PROT_READ, 1), VBS_SK_OK);
	/* any overlap is refused, looser or tighter */
	assert_int_equal(add(0x11000, 1, 0xf, 1), VBS_SK_E_DENIED);
	assert_int_equal(add(0xf000, 2, 0, 1), VBS_SK_E_DENIED);
	assert_int_equal(add(0x10000, 1, VBS_VTL_PROT_READ, 1), VBS_SK_E_DENIED);
	/* adjacent is fine */
	assert_int_equal(add(0x12000, 1, 0, 1), VBS_SK_OK);
	assert_int_equal(add(0xf000, 1, 0, 1), VBS_SK_OK);
}

static void test_bad_ranges(void **state)
{
	uint8_t b[sizeof(struct vbs_sk_protect_range)];
	struct vbs_sk_protect_range r;

	(void)state;
	assert_int_equal(add(0x10001, 1, 1, 1), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, 0, 1, 1), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, VBS_SK_PROTECT_MAX_PAGES + 1, 1, 1),
			 VBS_SK_E_RANGE);
	assert_int_equal(add(0xfffffffffffff000ull, 2, 1, 1), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, 1, VBS_VTL_PROT_WRITE, 1), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, 1, VBS_VTL_PROT_KEXEC, 1), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, 1, 0x10, 1), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, 1, 1, 0), VBS_SK_E_RANGE);
	assert_int_equal(add(0x10000, 1, 1, 4), VBS_SK_E_RANGE);
	range(b, 0x10000, 1, 1, 1, "x");
	assert_int_equal(sk_protect_parse(b, sizeof(b) - 1, &r),
			 VBS_SK_E_MALFORMED);
	assert_int_equal(sk_protect_parse(NULL, sizeof(b), &r),
			 VBS_SK_E_MALFORMED);
	b[0x18] = 1; /* violations is an output */
	assert_int_equal(sk_protect_parse(b, sizeof(b), &r), VBS_SK_E_MALFORMED);
	range(b, 0x10000, 1, 1, 1, "x");
	memset(b + 0x28, 'a', 32); /* label without NUL */
	assert_int_equal(sk_protect_parse(b, sizeof(b), &r), VBS_SK_E_MALFORMED);
	range(b, 0x10000, 1, 1, 1, "a\nb");
	assert_int_equal(sk_protect_parse(b, sizeof(b), &r), VBS_SK_E_MALFORMED);
	assert_int_equal(t.count, 0);
}

static void test_full(void **state)
{
	uint32_t i;

	(void)state;
	for (i = 0; i < VBS_SK_PROTECT_RANGES; i++)
		assert_int_equal(add(0x100000ull + i * 0x1000, 1, 1, 1), VBS_SK_OK);
	assert_int_equal(add(0x900000, 1, 1, 1), VBS_SK_E_NOSPACE);
}

static struct vbs_vtl_intercept icpt(uint64_t gpa, uint32_t access,
				     uint32_t store_size)
{
	struct vbs_vtl_intercept m;

	memset(&m, 0, sizeof(m));
	m.kind = VBS_VTL_INTERCEPT_MEMORY;
	m.gpa = gpa;
	m.access = access;
	m.store_size = store_size;
	m.rip = 0xffffffff81000000ull;
	return m;
}

static void test_verdicts(void **state)
{
	struct sk_protect_verdict v;
	struct vbs_vtl_intercept m;
	struct vbs_sk_protect_range out[4];

	(void)state;
	assert_int_equal(add(0x10000, 1, VBS_VTL_PROT_READ, VBS_SK_PROTECT_DENY), 0);
	assert_int_equal(add(0x20000, 1, VBS_VTL_PROT_READ, VBS_SK_PROTECT_AUDIT), 0);
	assert_int_equal(add(0x30000, 1, 0, VBS_SK_PROTECT_TRIPWIRE), 0);

	m = icpt(0x10008, VBS_VTL_PROT_WRITE, 8);
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_DENY);
	assert_int_equal(v.event_kind, VBS_SK_EV_DENIED);
	assert_int_equal(v.code, VBS_VTL_PROT_WRITE);
	assert_string_equal(v.detail, "write denied: t");

	m = icpt(0x20ff8, VBS_VTL_PROT_WRITE, 8);
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_EMULATE);
	assert_int_equal(v.event_kind, VBS_SK_EV_AUDIT);
	m = icpt(0x20000, VBS_VTL_PROT_WRITE, 0); /* not decodable */
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_ALLOW);
	m = icpt(0x20000, VBS_VTL_PROT_KEXEC, 0);
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_ALLOW);
	assert_string_equal(v.detail, "exec audited: t");

	m = icpt(0x30010, VBS_VTL_PROT_READ, 0);
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_ALLOW);
	assert_string_equal(v.detail, "read tripwire: t");
	m = icpt(0x30010, VBS_VTL_PROT_WRITE, 8);
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_ALLOW);

	/* outside every range: denied, said so */
	m = icpt(0x40000, VBS_VTL_PROT_WRITE, 8);
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_DENY);
	assert_string_equal(v.detail, "write denied: no range");
	/* an unknown kind is denied whatever the policy */
	m = icpt(0x20000, VBS_VTL_PROT_WRITE, 8);
	m.kind = 7;
	sk_protect_decide(&t, &m, &v);
	assert_int_equal(v.action, VBS_VTL_INTERCEPT_DENY);

	sk_protect_list(&t, out, 4);
	assert_int_equal(out[0].violations, 1);
	assert_int_equal(out[1].violations, 4);
	assert_int_equal(out[2].violations, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_and_list, setup),
		cmocka_unit_test_setup(test_no_weakening, setup),
		cmocka_unit_test_setup(test_bad_ranges, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_verdicts, setup),
	};

	return cmocka_run_group_tests_name("sk_protect", tests, NULL, NULL);
}
