// SPDX-License-Identifier: MIT
/*
 * vbs-check R4: TPM 2.0 (readiness-spec §3 R4; docs/readiness.md).
 */
#include "common.h"

/* ---- R4: TPM 2.0 (readiness-spec §3 R4; ABI tpm_version_major) --------- */

void gather_tpm(struct ev *ev, struct vc_tpm_facts *f)
{
	struct ev_list l = { 0 };
	struct ev_buf b = { 0 };

	memset(f, 0, sizeof(*f));
	f->class_err = ev_ls(ev, "/sys/class/tpm", &l);
	f->tpm0 = !f->class_err && vc_has_name(&l, "tpm0");
	ev_list_free(&l);
	if (!ev_ls(ev, "/sys/class/tpmrm", &l))
		f->tpmrm0 = vc_has_name(&l, "tpmrm0");
	ev_list_free(&l);
	if (f->tpm0) {
		f->version_err = ev_read_str(ev,
			"/sys/class/tpm/tpm0/tpm_version_major",
			f->version_major, sizeof(f->version_major));
		/* TPM 1.2 only: drivers/char/tpm/tpm-sysfs.c "pcrs" */
		f->pcrs = !ev_read(ev, "/sys/class/tpm/tpm0/pcrs", &b);
		ev_buf_free(&b);
	}
	if (ev_ls(ev, ACPI_TABLES, &l) == 0 && !vc_has_name(&l, "TPM2"))
		f->tpm2_err = -ENOENT;
	else
		f->tpm2_err = ev_read(ev, ACPI_TABLES "/TPM2", &f->tpm2);
	ev_list_free(&l);
}

void free_tpm(struct vc_tpm_facts *f)
{
	ev_buf_free(&f->tpm2);
}

void judge_r4(const struct vc_tpm_facts *f, enum vc_profile p,
	      struct vc_check *c)
{
	/* MS-VBS: "TPM is not a must requirement" -> WARN under minimum */
	enum vc_result bad = p == VC_PROFILE_OEM ? VC_FAIL : VC_WARN;
	char how[64] = "";

	if (!f->tpm2_err) {
		struct tpm2 t;
		struct fw_report r;
		struct fw_finding st[8];
		fw_report_init(&r, st, 8);
		if (!tpm2_parse(f->tpm2.data, f->tpm2.len, &t, &r)) {
			snprintf(how, sizeof(how), ", start method %s",
				 t.start_method_name);
			vc_evidence_add(c, "acpi", "TPM2 StartMethod", NULL,
					"%u (%s)", t.start_method,
					t.start_method_name);
		}
	}
	if (f->class_err && f->class_err != -ENOENT) {
		vc_set(c, VC_UNKNOWN, "unknown", "%s", vc_why(f->class_err,
							"/sys/class/tpm"));
		return;
	}
	if (!f->tpm0) {
		vc_set(c, bad, "not-found", "no TPM (/sys/class/tpm/tpm0 absent)");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (!f->version_err)
		vc_evidence_add(c, "sysfs", "tpm_version_major", NULL, "%s",
				f->version_major);
	if ((!f->version_err && !strcmp(f->version_major, "1")) || f->pcrs) {
		vc_set(c, bad, "not-enabled", "TPM 1.2, not 2.0");
		vc_flag(c, "action-contact-oem");
		return;
	}
	if ((!f->version_err && !strcmp(f->version_major, "2")) ||
	    (f->version_err == -ENOENT && f->tpmrm0)) {
		vc_set(c, VC_PASS, "found", "TPM 2.0%s", how);
		return;
	}
	vc_set(c, VC_UNKNOWN, "unknown", "TPM version not known: %s",
	    f->version_err ? vc_why(f->version_err,
				 "/sys/class/tpm/tpm0/tpm_version_major")
			   : f->version_major);
}

void vc_eval_r4(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_tpm_facts f;
	gather_tpm(x->ev, &f);
	judge_r4(&f, x->opt.profile, c);
	free_tpm(&f);
}
