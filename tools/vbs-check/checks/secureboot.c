// SPDX-License-Identifier: MIT
/*
 * vbs-check R10: UEFI Secure Boot (readiness-spec §3 R10; docs/readiness.md).
 */
#include "common.h"

/* ---- R10: Secure Boot (readiness-spec §3 R10; UEFI 2.10 §3.3) ---------- */

void gather_sb(struct ev *ev, struct vc_sb_facts *f)
{
	struct ev_list l = { 0 };
	memset(f, 0, sizeof(*f));
	f->efi = !ev_ls(ev, "/sys/firmware/efi", &l);
	ev_list_free(&l);
	if (f->efi)
		f->err = ev_read(ev, EFIVARS "/SecureBoot-" EFI_GLOBAL_GUID,
				 &f->var);
}

void judge_r10(const struct vc_sb_facts *f, struct vc_check *c)
{
	if (!f->efi) {
		vc_set(c, VC_FAIL, "not-supported",
		    "not booted through UEFI: no Secure Boot");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (f->err == -ENOENT) {
		vc_set(c, VC_FAIL, "not-found", "no SecureBoot variable");
		vc_flag(c, "action-config-fw");
		return;
	}
	if (f->err) {
		vc_set(c, VC_UNKNOWN, "unknown", "%s",
		    vc_why(f->err, EFIVARS "/SecureBoot-" EFI_GLOBAL_GUID));
		return;
	}
	/* efivarfs: 4-byte attributes, then the data byte (UEFI 2.10 §3.3) */
	if (f->var.len != 5) {
		vc_set(c, VC_FAIL, "not-valid", "SecureBoot variable is %zu bytes, "
		    "expected 4+1", f->var.len);
		return;
	}
	vc_evidence_add(c, "efivarfs", "SecureBoot", NULL, "%u",
			f->var.data[4]);
	if (f->var.data[4] == 1)
		vc_set(c, VC_PASS, "enabled", "Secure Boot enabled");
	else {
		vc_set(c, VC_FAIL, "not-enabled", "Secure Boot disabled");
		vc_flag(c, "action-config-fw");
	}
}

void vc_eval_r10(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_sb_facts f;
	gather_sb(x->ev, &f);
	judge_r10(&f, c);
	ev_buf_free(&f.var);
}
