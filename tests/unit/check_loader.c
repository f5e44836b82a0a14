// SPDX-License-Identifier: MIT
/*
 * vbs-check and the UEFI loader's report (tools/vbs-check/checks/loader.c):
 * blobs made by the real encoder (lib/boot/report.c), decoded as efivarfs
 * shows them; the OpenVBS rule for R1, R2, R9; the firmware column.
 */
#include "check_util.h"
#include "out.h"

#include "boot/checks.h"
#include "vbs/cpuid.h"

#include <stdio.h>

/* A loader report with one row per table entry, each with result r. */
static void make_report(struct vbs_boot_report *rep, uint8_t r)
{
	memset(rep, 0, sizeof(*rep));
	rep->profile = VBS_PROFILE_OEM;
	vbs_field_set(rep->loader_version, sizeof(rep->loader_version),
		      "0.1.0");
	for (size_t i = 0; i < VBS_CHECK_COUNT; i++)
		assert_true(vbs_boot_report_add(rep, vbs_checks[i].id,
			vbs_checks[i].req, r, true, vbs_checks[i].level, i,
			r == VBS_RESULT_PASS ? "" : "firmware says so"));
}

/* efivarfs bytes: 4 attribute bytes, then the encoded report. */
static size_t efivar_blob(const struct vbs_boot_report *rep, uint32_t attrs,
			  uint8_t *out, size_t cap)
{
	size_t n;

	assert_true(cap >= 4);
	out[0] = (uint8_t)attrs;
	out[1] = (uint8_t)(attrs >> 8);
	out[2] = (uint8_t)(attrs >> 16);
	out[3] = (uint8_t)(attrs >> 24);
	n = vbs_boot_report_encode(rep, out + 4, cap - 4);
	assert_true(n > 0);
	return n + 4;
}

static void decode_valid(void **state)
{
	(void)state;
	static uint8_t buf[4 + VBS_BOOT_REPORT_MAX_SIZE];
	struct vbs_boot_report rep;
	struct vc_loader l;
	size_t n;

	make_report(&rep, VBS_RESULT_PASS);
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	assert_int_equal(l.state, VC_LOADER_VALID);
	assert_string_equal(l.rep.loader_version, "0.1.0");
	for (size_t i = 0; i < VBS_CHECK_COUNT; i++) {
		const struct vbs_check_result *fw =
			loader_find(&l, &vbs_checks[i]);
		assert_non_null(fw);
		assert_int_equal(fw->value, i);
	}
}

static void decode_rejects(void **state)
{
	(void)state;
	static uint8_t buf[4 + VBS_BOOT_REPORT_MAX_SIZE];
	struct vbs_boot_report rep;
	struct vc_loader l;
	size_t n;

	make_report(&rep, VBS_RESULT_PASS);
	/* non-volatile: could have been written by the OS */
	n = efivar_blob(&rep, 0x7, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	assert_int_equal(l.state, VC_LOADER_MALFORMED);
	assert_null(loader_find(&l, &vbs_checks[0]));
	assert_non_null(strstr(l.reason, "attributes 0x7"));
	/* every truncation is malformed, never valid, never a crash */
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	for (size_t cut = 0; cut < n; cut++) {
		loader_decode(buf, cut, &l);
		assert_int_equal(l.state, VC_LOADER_MALFORMED);
		assert_int_equal(l.rep.check_count, 0);
	}
	buf[4] ^= 0xff; /* magic */
	loader_decode(buf, n, &l);
	assert_int_equal(l.state, VC_LOADER_MALFORMED);
	assert_string_equal(l.reason, "bad magic");
	buf[4] ^= 0xff;
	buf[4 + 64 + 28] = 0x77; /* a result out of range */
	loader_decode(buf, n, &l);
	assert_int_equal(l.state, VC_LOADER_MALFORMED);
	assert_null(loader_find(&l, &vbs_checks[0]));
}

static void decode_sanitizes(void **state)
{
	(void)state;
	static uint8_t buf[4 + VBS_BOOT_REPORT_MAX_SIZE];
	struct vbs_boot_report rep;
	struct vc_loader l;
	size_t n;

	make_report(&rep, VBS_RESULT_FAIL);
	vbs_field_set(rep.checks[0].message, sizeof(rep.checks[0].message),
		      "\033[2Jcleared");
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	assert_int_equal(l.state, VC_LOADER_VALID);
	assert_string_equal(l.rep.checks[0].message, "?[2Jcleared");
}

static void openvbs_takes_loader_verdict(void **state)
{
	(void)state;
	static uint8_t buf[4 + VBS_BOOT_REPORT_MAX_SIZE];
	struct vbs_boot_report rep;
	struct vc_loader l;
	struct vc_check c;
	size_t n;

	make_report(&rep, VBS_RESULT_PASS);
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	new_check(&c, VBS_CHECK_CPU_VIRT);
	c.result = VC_FAIL; /* what Linux sees: no SVM */
	judge_from_loader(&l, &c);
	assert_int_equal(c.result, VC_PASS);
	assert_true(c.has_note);
	assert_non_null(strstr(c.message, "from the OpenVBS loader's firmware "
			       "report: SVM is hidden from this OS by the "
			       "hypervisor"));
	/* the loader's failure stands too */
	make_report(&rep, VBS_RESULT_FAIL);
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	new_check(&c, VBS_CHECK_CPU_SLAT);
	judge_from_loader(&l, &c);
	assert_int_equal(c.result, VC_FAIL);
	assert_non_null(strstr(c.message, "firmware says so"));
}

static void openvbs_without_report_is_unknown(void **state)
{
	(void)state;
	static uint8_t buf[4 + VBS_BOOT_REPORT_MAX_SIZE];
	struct vbs_boot_report rep;
	struct vc_loader l = { .state = VC_LOADER_ABSENT,
			       .reason = "no OpenVbsReport variable" };
	struct vc_check c;
	size_t n;

	new_check(&c, VBS_CHECK_NESTED);
	c.result = VC_FAIL;
	judge_from_loader(&l, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message, "report is absent"));
	/* malformed: unknown with the reason, never fail */
	make_report(&rep, VBS_RESULT_PASS);
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n - 1, &l);
	new_check(&c, VBS_CHECK_CPU_VIRT);
	c.result = VC_FAIL;
	judge_from_loader(&l, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
	assert_non_null(strstr(c.message, "malformed"));
	/* valid, but without this check */
	rep.check_count = 1;
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	new_check(&c, VBS_CHECK_NESTED);
	judge_from_loader(&l, &c);
	assert_int_equal(c.result, VC_UNKNOWN);
}

static void text_has_firmware_column(void **state)
{
	(void)state;
	static uint8_t buf[4 + VBS_BOOT_REPORT_MAX_SIZE];
	struct vbs_boot_report rep;
	struct vc_loader l;
	struct vc_check c;
	char *text = NULL, want[256];
	size_t n, len = 0;
	FILE *f;

	make_report(&rep, VBS_RESULT_WARN);
	n = efivar_blob(&rep, 0x6, buf, sizeof(buf));
	loader_decode(buf, n, &l);
	new_check(&c, VBS_CHECK_TPM);
	c.result = VC_PASS;
	c.fw = loader_find(&l, c.def->spec);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	vc_print_text(f, &l, &c, 1, false, false);
	fclose(f);
	snprintf(want, sizeof(want), "   VBS: Checking %-60s: PASS "
		 "[firmware: WARN (firmware says so)]\n", "for TPM 2.0");
	assert_non_null(strstr(text, want));
	assert_non_null(strstr(text, "Firmware report (vbsboot.efi 0.1.0): "
			       "profile oem"));
	free(text);
}

/* The one line format, as the loader prints a report entry. */
static void loader_line_is_vbs_check_line(void **state)
{
	(void)state;
	struct vbs_check_result r = { .result = VBS_RESULT_NOTE,
				      .required = 0 };
	char line[160], want[160];

	vbs_field_set(r.id, sizeof(r.id), "vbs.mor.secure");
	vbs_field_set(r.message, sizeof(r.message), "rev 2 unverified");
	vbs_format_result(&r, line, sizeof(line));
	snprintf(want, sizeof(want), "   VBS: Checking %-60s: NOTE "
		 "(rev 2 unverified)", "for Secure MOR revision 2 (advisory)");
	assert_string_equal(line, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_valid),
		cmocka_unit_test(decode_rejects),
		cmocka_unit_test(decode_sanitizes),
		cmocka_unit_test(openvbs_takes_loader_verdict),
		cmocka_unit_test(openvbs_without_report_is_unknown),
		cmocka_unit_test(text_has_firmware_column),
		cmocka_unit_test(loader_line_is_vbs_check_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
