// SPDX-License-Identifier: MIT
/*
 * TPM2 ACPI table [E-TPM2, L-T3]; TCG "ACPI Specification" §8.3 "ACPI
 * Table for TPM 2.0" (table rev 4, with the rev-4 log-area trailer).
 */
#include "fw/tpm2.h"

const char *tpm2_start_method_name(uint32_t sm)
{
	switch (sm) {
	case TPM2_START_ACPI:
		return "acpi";
	case TPM2_START_TIS:
		return "tis";
	case TPM2_START_CRB:
		return "crb";
	case TPM2_START_CRB_ACPI:
		return "crb-acpi";
	case TPM2_START_CRB_SMC:
		return "crb-arm-smc";
	case TPM2_START_PLUTON:
		return "pluton";
	case TPM2_START_CRB_FFA:
		return "crb-arm-ffa";
	}
	return "unknown";
}

static bool tpm2_is_crb(uint32_t sm)
{
	return sm == TPM2_START_CRB || sm == TPM2_START_CRB_ACPI ||
	       sm == TPM2_START_CRB_SMC || sm == TPM2_START_CRB_FFA;
}

/* TCG ACPI §8.3: LAML @64 and LASA @68 follow 12 bytes of parameters. */
static void tpm2_log_rules(const uint8_t *buf, struct tpm2 *t,
			   struct fw_report *r)
{
	uint32_t len = t->hdr.length;
	uint64_t end;

	t->params_len = len - TPM2_MIN_LEN;
	if (len >= TPM2_LOG_LEN) {
		t->params_len = 12;
		t->has_log = true;
		t->laml = le32(buf, 64);
		t->lasa = le64(buf, 68);
	} else if (len != 52 && len != 56 && len != 64) {
		/* 0, 4 (CRB+ACPI start) or 12 (Arm SMC) parameter bytes */
		fw_report_add(r, "TPM2-L3", FW_SEV_WARN, FW_NO_INDEX, len,
			      "Length cuts StartMethodParameters/log trailer");
	}
	if (!t->has_log)
		return;
	if ((t->laml == 0) != (t->lasa == 0))
		fw_report_add(r, "TPM2-L1", FW_SEV_WARN, FW_NO_INDEX,
			      t->laml ? t->laml : t->lasa,
			      "only one of LAML/LASA is zero");
	if (ovf_add_u64(t->lasa, t->laml, &end))
		fw_report_add(r, "TPM2-L2", FW_SEV_FAIL, FW_NO_INDEX, t->lasa,
			      "LASA + LAML wraps the address space");
}

int tpm2_parse(const uint8_t *buf, size_t len, struct tpm2 *out,
	       struct fw_report *r)
{
	int ret;

	if (!out)
		return FW_EINVAL;
	vbs_memset(out, 0, sizeof(*out));
	out->start_method_name = "unknown";
	ret = acpi_hdr_parse(buf, len, "TPM2", &out->hdr, r);
	if (ret)
		return ret;
	if (out->hdr.length < TPM2_MIN_LEN) {
		fw_report_add(r, "TPM2-H1", FW_SEV_FAIL, FW_NO_INDEX,
			      out->hdr.length, "TPM2 Length below 52");
		return FW_EBADF;
	}
	if (out->hdr.revision != 3 && out->hdr.revision != 4)
		fw_report_add(r, "TPM2-H2", FW_SEV_WARN, FW_NO_INDEX,
			      out->hdr.revision, "TPM2 Revision not 3 or 4");
	out->platform_class = le16(buf, 36);
	out->flags32 = le32(buf, 36);
	out->control_area = le64(buf, 40);
	out->start_method = le32(buf, 48);
	out->start_method_name = tpm2_start_method_name(out->start_method);
	out->crb = tpm2_is_crb(out->start_method);
	/* Revision 3 had Flags u32 @36; only rev 4 has PlatformClass. */
	if (out->hdr.revision >= 4 && out->platform_class > 1)
		fw_report_add(r, "TPM2-P1", FW_SEV_WARN, FW_NO_INDEX,
			      out->platform_class,
			      "PlatformClass not client (0) or server (1)");
	if (vbs_strcmp(out->start_method_name, "unknown") == 0)
		fw_report_add(r, "TPM2-S1", FW_SEV_WARN, FW_NO_INDEX,
			      out->start_method, "unknown StartMethod");
	/* A CRB interface is found only through its Control Area. */
	if (out->crb && out->control_area == 0)
		fw_report_add(r, "TPM2-S2", FW_SEV_FAIL, FW_NO_INDEX, 0,
			      "CRB start method with zero ControlArea");
	tpm2_log_rules(buf, out, r);
	return 0;
}
