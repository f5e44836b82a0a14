// SPDX-License-Identifier: MIT
/* Unit tests: lib/boot/report.c, lib/boot/sigfile.c, lib/boot/evaluate.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "boot/checks.h"
#include "boot/evaluate.h"
#include "boot/report.h"
#include "boot/sigfile.h"

static void fill(struct vbs_boot_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->profile = VBS_PROFILE_OEM;
	rep->verdict = VBS_VERDICT_NOT_READY;
	rep->policy_source = VBS_POLICY_DEFAULT_BAD_SIG;
	rep->action = VBS_ACTION_HALT;
	vbs_field_set(rep->loader_version, 16, "0.1.0");
	vbs_boot_report_add(rep, "vbs.cpu.virt", "R1", VBS_RESULT_PASS, true,
			    1, 0x10, "AMD-V");
	vbs_boot_report_add(rep, "vbs.smm.wsmt", "R5", VBS_RESULT_FAIL, true,
			    1, 0, "no WSMT table");
}

static void test_roundtrip(void **state)
{
	struct vbs_boot_report rep, back;
	uint8_t buf[VBS_BOOT_REPORT_MAX_SIZE];
	size_t n;

	(void)state;
	fill(&rep);
	n = vbs_boot_report_encode(&rep, buf, sizeof(buf));
	assert_int_equal(n, 64 + 2 * 96);
	assert_memory_equal(buf, "OVBSRPT", 8);
	assert_int_equal(buf[8], 1);
	assert_int_equal(vbs_boot_report_decode(buf, n, &back), 0);
	assert_int_equal(back.check_count, 2);
	assert_string_equal(back.checks[1].id, "vbs.smm.wsmt");
	assert_string_equal(back.checks[1].message, "no WSMT table");
	assert_int_equal(back.checks[0].value, 0x10);
	assert_int_equal(back.action, VBS_ACTION_HALT);
	assert_int_equal(vbs_boot_report_encode(&rep, buf, n - 1), 0);
}

static void test_decode_rejects(void **state)
{
	struct vbs_boot_report rep, back;
	uint8_t buf[VBS_BOOT_REPORT_MAX_SIZE];
	size_t n;

	(void)state;
	fill(&rep);
	n = vbs_boot_report_encode(&rep, buf, sizeof(buf));
	assert_int_equal(vbs_boot_report_decode(buf, n - 1, &back),
			 VBS_REPORT_ESHORT);
	assert_int_equal(vbs_boot_report_decode(buf, 10, &back),
			 VBS_REPORT_ESHORT);
	buf[14] = 17; /* count beyond the maximum */
	assert_int_equal(vbs_boot_report_decode(buf, n, &back),
			 VBS_REPORT_ELAYOUT);
	buf[14] = 2;
	buf[16] ^= 1; /* total_size lies */
	assert_int_equal(vbs_boot_report_decode(buf, n, &back),
			 VBS_REPORT_ELAYOUT);
	buf[16] ^= 1;
	buf[64 + 28] = 9; /* result out of range */
	assert_int_equal(vbs_boot_report_decode(buf, n, &back),
			 VBS_REPORT_EFIELD);
	buf[64 + 28] = 0;
	memset(buf + 64, 'A', 24); /* unterminated id: forced NUL */
	assert_int_equal(vbs_boot_report_decode(buf, n, &back), 0);
	assert_int_equal(strlen(back.checks[0].id), 23);
	buf[0] = 'X';
	assert_int_equal(vbs_boot_report_decode(buf, n, &back),
			 VBS_REPORT_EMAGIC);
}

static void test_sigfile(void **state)
{
	uint8_t hdr[32], raw[64], file[96], id[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct vbs_sig sig;

	(void)state;
	memset(raw, 0xab, sizeof(raw));
	vbs_sig_header(hdr, VBS_SIG_KIND_POLICY, id, 127);
	vbs_sig_encode(file, hdr, raw);
	assert_int_equal(vbs_sig_parse(file, 96, &sig), 0);
	assert_int_equal(sig.kind, VBS_SIG_KIND_POLICY);
	assert_int_equal(sig.content_len, 127);
	assert_memory_equal(sig.key_id, id, 8);
	assert_int_equal(vbs_sig_parse(file, 95, &sig), VBS_SIG_ESIZE);
	file[12] = 9;
	assert_int_equal(vbs_sig_parse(file, 96, &sig), VBS_SIG_EKIND);
	file[12] = 1;
	file[10] = 2;
	assert_int_equal(vbs_sig_parse(file, 96, &sig), VBS_SIG_EALG);
	file[10] = 1;
	file[8] = 2;
	assert_int_equal(vbs_sig_parse(file, 96, &sig), VBS_SIG_EVERSION);
}

/* The QEMU test bed as the loader saw it: a TCG guest with SVM+NPT, TPM,
 * MAT absent here, no WSMT, no MOR lock, Secure Boot off. */
static void test_evaluate(void **state)
{
	struct vbs_fw_evidence ev;
	struct vbs_boot_report rep;
	char line[160], want[160];

	(void)state;
	memset(&ev, 0, sizeof(ev));
	memset(&rep, 0, sizeof(rep));
	ev.cpuid1_ecx = 1u << 31;
	ev.ext1_ecx = 1u << 2;
	ev.ext1_edx = 1u << 29;
	ev.svm_edx = 1;
	ev.vm_cr_valid = true;
	ev.xsdt_found = true;
	ev.tcg2_present = ev.tpm_present_flag = true;
	rep.profile = VBS_PROFILE_MINIMUM;
	vbs_evaluate(&ev, &rep);
	assert_int_equal(rep.check_count, 10);
	assert_int_equal(rep.checks[0].result, VBS_RESULT_PASS);
	assert_int_equal(rep.checks[1].result, VBS_RESULT_NOTE);
	assert_int_equal(rep.checks[9].result, VBS_RESULT_FAIL); /* R10 */
	assert_int_equal(rep.verdict, VBS_VERDICT_NOT_READY);
	assert_true(rep.flags & VBS_REPORT_F_GUEST);
	ev.secure_boot = (struct vbs_fw_var){ true, 7, 1, 1 };
	memset(&rep, 0, sizeof(rep));
	rep.profile = VBS_PROFILE_MINIMUM;
	vbs_evaluate(&ev, &rep);
	assert_int_equal(rep.verdict, VBS_VERDICT_READY);
	memset(&rep, 0, sizeof(rep));
	rep.profile = VBS_PROFILE_OEM; /* WSMT, MOR, MAT now required */
	vbs_evaluate(&ev, &rep);
	assert_int_equal(rep.verdict, VBS_VERDICT_NOT_READY);
	vbs_format_result(&rep.checks[4], line, sizeof(line));
	snprintf(want, sizeof(want), "   VBS: Checking %-60s: FAIL (no WSMT table)",
		 "for SMM protection (WSMT)");
	assert_string_equal(line, want);
	ev.svm_edx = 0; /* SVM without NPT */
	memset(&rep, 0, sizeof(rep));
	vbs_evaluate(&ev, &rep);
	assert_int_equal(rep.checks[1].result, VBS_RESULT_FAIL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_decode_rejects),
		cmocka_unit_test(test_sigfile),
		cmocka_unit_test(test_evaluate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
