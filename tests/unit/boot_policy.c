// SPDX-License-Identifier: MIT
/* Unit tests: lib/boot/policy.c (the loader's policy parser). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot/policy.h"

static int parse(const char *text, struct vbs_policy *pol,
		 struct vbs_policy_error *err)
{
	return vbs_policy_parse((const uint8_t *)text, strlen(text), pol, err);
}

#define GOOD "openvbs-policy=1\nprofile=minimum\non_missing=boot-unprotected\n" \
	     "kernel=\\EFI\\linux\\vmlinuz\ninitrd=\\initrd.img\n" \
	     "cmdline=console=ttyS0 root=/dev/vda\n"

static void test_good(void **state)
{
	struct vbs_policy pol;
	struct vbs_policy_error err;

	(void)state;
	assert_int_equal(parse(GOOD, &pol, &err), 0);
	assert_int_equal(pol.profile, VBS_PROFILE_MINIMUM);
	assert_int_equal(pol.on_missing, VBS_ON_MISSING_BOOT_UNPROTECTED);
	assert_string_equal(pol.kernel, "\\EFI\\linux\\vmlinuz");
	assert_string_equal(pol.initrd, "\\initrd.img");
	assert_string_equal(pol.cmdline, "console=ttyS0 root=/dev/vda");
}

/* hypervisor=on|off (docs/boot.md "Hypervisor"): default on. */
static void test_hypervisor_key(void **state)
{
	struct vbs_policy pol;
	struct vbs_policy_error err;

	(void)state;
	assert_int_equal(parse(GOOD, &pol, &err), 0);
	assert_false(pol.hypervisor_off);
	assert_int_equal(parse(GOOD "hypervisor=off\n", &pol, &err), 0);
	assert_true(pol.hypervisor_off);
	assert_int_equal(parse(GOOD "hypervisor=on\n", &pol, &err), 0);
	assert_false(pol.hypervisor_off);
	assert_int_equal(parse(GOOD "hypervisor=maybe\n", &pol, &err), -1);
	assert_int_equal(err.line, 7);
	assert_string_equal(err.msg, "hypervisor must be on or off");
	assert_int_equal(parse(GOOD "hypervisor=off\nhypervisor=off\n", &pol,
			       &err), -1);
	/* the default policy (used on any error) keeps the hypervisor on */
	assert_false(pol.hypervisor_off);
}

static void test_crlf_comments_optional(void **state)
{
	struct vbs_policy pol;

	(void)state;
	assert_int_equal(parse("# c\r\nopenvbs-policy=1\r\n\r\nprofile=oem\r\n"
			       "on_missing=halt\r\nkernel=\\vmlinuz", &pol, NULL), 0);
	assert_string_equal(pol.initrd, "");
	assert_string_equal(pol.cmdline, "");
	assert_int_equal(pol.on_missing, VBS_ON_MISSING_HALT);
}

/* Every malformed input gives -1, a line, a message and the default. */
static void expect_bad(const char *text, uint32_t line)
{
	struct vbs_policy pol;
	struct vbs_policy_error err = { 99, NULL };

	assert_int_equal(parse(text, &pol, &err), -1);
	assert_int_equal(err.line, line);
	assert_non_null(err.msg);
	assert_int_equal(pol.profile, VBS_PROFILE_OEM);
	assert_int_equal(pol.on_missing, VBS_ON_MISSING_HALT);
	assert_string_equal(pol.kernel, "\\vmlinuz");
}

static void test_bad(void **state)
{
	(void)state;
	expect_bad("", 0);
	expect_bad("openvbs-policy=2\n", 1);
	expect_bad("profile=oem\nopenvbs-policy=1\n", 1);
	expect_bad("openvbs-policy=1\nprofile=oem\non_missing=halt\n", 0);
	expect_bad("openvbs-policy=1\nprofile=max\n", 2);
	expect_bad("openvbs-policy=1\nprofile=oem\nprofile=oem\n", 3);
	expect_bad("openvbs-policy=1\nbogus=1\n", 2);
	expect_bad("openvbs-policy=1\nnot a pair\n", 2);
	expect_bad("openvbs-policy=1\non_missing=maybe\n", 2);
	expect_bad("openvbs-policy=1\nkernel=vmlinuz\n", 2);
	expect_bad("openvbs-policy=1\nkernel=\\..\\x\n", 2);
	expect_bad("openvbs-policy=1\nkernel=\\a\\\\b\n", 2);
	expect_bad("openvbs-policy=1\nkernel=\\a b\n", 2);
	expect_bad("openvbs-policy=1\ncmdline=\x01\n", 2);
	expect_bad("openvbs-policy=1\ncmdline=caf\xc3\xa9\n", 2);
}

static void test_nul_and_limits(void **state)
{
	static uint8_t big[VBS_POLICY_MAX_SIZE + 1];
	char line[VBS_POLICY_CMDLINE_MAX + 64];
	const uint8_t nul[] = "openvbs-policy=1\nprofile=oem\0\n";
	struct vbs_policy pol;
	struct vbs_policy_error err;
	size_t n;

	(void)state;
	assert_int_equal(vbs_policy_parse(nul, sizeof(nul) - 1, &pol, &err), -1);
	assert_int_equal(err.line, 2);
	memset(big, '#', sizeof(big));
	assert_int_equal(vbs_policy_parse(big, sizeof(big), &pol, &err), -1);
	n = (size_t)snprintf(line, sizeof(line), "openvbs-policy=1\ncmdline=");
	memset(line + n, 'a', VBS_POLICY_CMDLINE_MAX);
	line[n + VBS_POLICY_CMDLINE_MAX] = 0;
	expect_bad(line, 2);
	line[n + VBS_POLICY_CMDLINE_MAX - 1] = 0; /* 1023 chars: fits */
	assert_int_equal(vbs_policy_parse((uint8_t *)line, strlen(line), &pol,
					  &err), -1);
	assert_int_equal(err.line, 0); /* only the missing keys now */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_hypervisor_key),
		cmocka_unit_test(test_crlf_comments_optional),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_nul_and_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
