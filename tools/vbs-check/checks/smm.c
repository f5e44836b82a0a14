// SPDX-License-Identifier: MIT
/*
 * vbs-check R5: SMM protection, WSMT (readiness-spec §3 R5; docs/readiness.md).
 */
#include "common.h"

/* ---- R5: SMM protection, WSMT (readiness-spec §3 R5, §1.2) ------------- */

void gather_wsmt(struct ev *ev, struct vc_wsmt_facts *f)
{
	struct ev_list l = { 0 };
	memset(f, 0, sizeof(*f));
	f->tables_err = ev_ls(ev, ACPI_TABLES, &l);
	f->err = vc_read_table(ev, &l, f->tables_err, "WSMT", &f->wsmt);
	ev_list_free(&l);
}

#define MSR_AMD_HWCR 0xc0010015u
#define MSR_SMM_FEATURE_CONTROL 0x4e0u

/*
 * Corroborating locks, reported as evidence only (they never change the
 * verdict): AMD HWCR bit 0 SmmLock; Intel SMM_FEATURE_CONTROL bit 0 LOCK,
 * bit 2 SMM_CODE_CHK_EN (readiness-spec §3 R5).
 */
static void r5_smm_lock(const struct vc_wsmt_facts *f, struct vc_check *c)
{
	const char *key = f->amd ? "HWCR SmmLock" : "SMM_FEATURE_CONTROL";
	if (f->smm_lock.err)
		vc_evidence_add(c, "msr", key, NULL, "unreadable (%s)",
				ev_errname(f->smm_lock.err));
	else if (f->amd)
		vc_evidence_add(c, "msr", key, NULL, "%u",
				(unsigned)(f->smm_lock.val & 1));
	else
		vc_evidence_add(c, "msr", key, NULL, "lock %u, code check %u",
				(unsigned)(f->smm_lock.val & 1),
				(unsigned)(f->smm_lock.val >> 2 & 1));
}

void judge_r5(const struct vc_wsmt_facts *f, struct vc_check *c)
{
	struct wsmt w;

	if (f->err == -ENOENT) {
		vc_set(c, VC_FAIL, "not-found", "no WSMT ACPI table");
		vc_flag(c, "action-contact-oem");
		return;
	}
	if (f->err) {
		vc_set(c, VC_UNKNOWN, "unknown", "%s", vc_why(f->err, ACPI_TABLES "/WSMT"));
		return;
	}
	if (wsmt_parse(f->wsmt.data, f->wsmt.len, &w, &c->findings) ||
	    w.verdict == WSMT_NOT_VALID) {
		vc_set(c, VC_FAIL, "not-valid", "WSMT table malformed");
		vc_flag(c, "action-contact-oem");
		return;
	}
	vc_evidence_add(c, "acpi", "WSMT ProtectionFlags", NULL, "0x%x", w.flags);
	r5_smm_lock(f, c);
	if (w.verdict == WSMT_PASS && !w.reserved) {
		vc_set(c, VC_PASS, "enabled", "WSMT protection flags 0x%x", w.flags);
		return;
	}
	char miss[96] = "";
	if (w.missing & WSMT_FIXED_COMM_BUFFERS)
		strcat(miss, " FIXED_COMM_BUFFERS");
	if (w.missing & WSMT_COMM_BUFFER_NESTED_PTR_PROTECTION)
		strcat(miss, " NESTED_PTR_PROTECTION");
	if (w.missing & WSMT_SYSTEM_RESOURCE_PROTECTION)
		strcat(miss, " SYSTEM_RESOURCE_PROTECTION");
	if (w.missing)
		vc_set(c, VC_WARN, "not-enabled", "WSMT flags 0x%x, missing:%s",
		    w.flags, miss);
	else
		vc_set(c, VC_WARN, "enabled", "WSMT reserved flag bits set (0x%x)",
		    w.flags);
	vc_flag(c, "action-contact-oem");
}

void vc_eval_r5(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_wsmt_facts f;
	gather_wsmt(x->ev, &f);
	f.amd = vc_is_amd(x->cpu);
	f.smm_lock.err = ev_rdmsr(x->ev, x->cpu->cpu[0],
				  f.amd ? MSR_AMD_HWCR : MSR_SMM_FEATURE_CONTROL,
				  &f.smm_lock.val);
	judge_r5(&f, c);
	ev_buf_free(&f.wsmt);
}
