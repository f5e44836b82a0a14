// SPDX-License-Identifier: MIT
/*
 * vbs-check R7: Secure MOR revision 2 (readiness-spec §3 R7; docs/readiness.md).
 */
#include "common.h"

#include <sys/random.h>

/* ---- R7: Secure MOR revision 2 (readiness-spec §3 R7, §1.7) ------------ */

struct efivar_ctx {
	struct ev *ev;
};

static const char *mor_path(enum mor_var_id v)
{
	return v == MOR_VAR_CONTROL ?
		EFIVARS "/" MOR_CONTROL_NAME "-" MOR_CONTROL_GUID :
		EFIVARS "/" MOR_LOCK_NAME "-" MOR_LOCK_GUID;
}

static int efivar_get(void *ctx, enum mor_var_id var, uint32_t *attrs,
		      uint8_t *data, size_t cap, size_t *size)
{
	struct efivar_ctx *e = ctx;
	struct ev_buf b = { 0 };
	if (ev_read(e->ev, mor_path(var), &b) || b.len < 4) {
		ev_buf_free(&b);
		return -1;
	}
	*attrs = le32(b.data, 0);
	*size = b.len - 4;
	memcpy(data, b.data + 4, *size < cap ? *size : cap);
	ev_buf_free(&b);
	return 0;
}

static int efivar_set(void *ctx, enum mor_var_id var, uint32_t attrs,
		      const uint8_t *data, size_t size)
{
	struct efivar_ctx *e = ctx;
	uint8_t buf[4 + 16];
	if (size > 16)
		return -1;
	buf[0] = (uint8_t)attrs;
	buf[1] = (uint8_t)(attrs >> 8);
	buf[2] = (uint8_t)(attrs >> 16);
	buf[3] = (uint8_t)(attrs >> 24);
	memcpy(buf + 4, data, size);
	return e->ev->ops->write_file(e->ev, mor_path(var), buf, 4 + size);
}

static void run_probe(struct ev *ev, struct vc_mor_facts *f)
{
	struct efivar_ctx ctx = { ev };
	struct mor_ops ops = { &ctx, efivar_get, efivar_set };
	uint8_t key[MOR_KEY_LEN];
	struct fw_finding st[8];
	struct fw_report r;
	enum mor_rev rev = MOR_REV_UNKNOWN;

	fw_report_init(&r, st, 8);
	if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key))
		return;
	f->probed = true;
	/*
	 * A refused 8-byte write means revision 1 only if writes work at all:
	 * first rewrite MOR with its own value (harmless while unlocked). If
	 * even that fails (not root, efivarfs read-only), decide nothing.
	 */
	if (f->control_err || f->control.len != 5 ||
	    efivar_set(&ctx, MOR_VAR_CONTROL, MOR_ATTRS, f->control.data + 4, 1)) {
		f->probe = MOR_PROBE_UNDECIDED; /* no rule applies: not probed */
		return;
	}
	if (mor_probe(&ops, key, &rev, &r))
		rev = MOR_REV_UNKNOWN;
	f->probe = rev == MOR_REV_2 ? MOR_PROBE_REV2 :
		   rev == MOR_REV_1 ? MOR_PROBE_REV1 : MOR_PROBE_UNDECIDED;
	for (uint32_t i = 0; i < r.count; i++) {
		if (f->probe_rules[0])
			strncat(f->probe_rules, ",", sizeof(f->probe_rules) -
				strlen(f->probe_rules) - 1);
		strncat(f->probe_rules, r.items[i].rule, sizeof(f->probe_rules) -
			strlen(f->probe_rules) - 1);
	}
}

void gather_mor(struct ev *ev, bool probe, struct vc_mor_facts *f)
{
	struct ev_list l = { 0 };
	char v[120];

	memset(f, 0, sizeof(*f));
	f->efi = !ev_ls(ev, "/sys/firmware/efi", &l);
	ev_list_free(&l);
	if (!f->efi)
		return;
	f->control_err = ev_read(ev, mor_path(MOR_VAR_CONTROL), &f->control);
	f->lock_err = ev_read(ev, mor_path(MOR_VAR_LOCK), &f->lock);
	/* the probe's outcome is a fact of the capture (replay cannot write) */
	if (!ev->ops->fact_get(ev, "morlock-probe", v, sizeof(v))) {
		f->probed = true;
		f->probe = v[0] == '2' ? MOR_PROBE_REV2 :
			   v[0] == '1' ? MOR_PROBE_REV1 : MOR_PROBE_UNDECIDED;
		if (!ev->ops->fact_get(ev, "morlock-probe-rules", v, sizeof(v)))
			snprintf(f->probe_rules, sizeof(f->probe_rules), "%s", v);
		return;
	}
	if (!probe || f->lock_err || f->lock.len != 5)
		return;
	if (f->lock.data[4] != MOR_LOCK_UNLOCKED) {
		/* readiness-spec §3 R7: probe only an unlocked lock */
		snprintf(f->probe_rules, sizeof(f->probe_rules), "MOR-P3");
		return;
	}
	run_probe(ev, f);
	if (f->probed) {
		ev->ops->fact_put(ev, "morlock-probe",
				  f->probe == MOR_PROBE_REV2 ? "2" :
				  f->probe == MOR_PROBE_REV1 ? "1" : "undecided");
		ev->ops->fact_put(ev, "morlock-probe-rules", f->probe_rules);
		/* re-read: the capture must hold the state after the probe */
		ev_buf_free(&f->lock);
		f->lock_err = ev_read(ev, mor_path(MOR_VAR_LOCK), &f->lock);
	}
}

static void add_probe_findings(const struct vc_mor_facts *f,
			       struct vc_check *c)
{
	char rules[128], *save = NULL;
	snprintf(rules, sizeof(rules), "%s", f->probe_rules);
	for (char *t = strtok_r(rules, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		const struct fw_rule_desc *d = fw_rule_find(t);
		if (d)
			fw_report_add(&c->findings, d->id, d->sev, FW_NO_INDEX,
				      0, d->text);
	}
}

void judge_r7(const struct vc_mor_facts *f, struct vc_check *c)
{
	struct mor m;

	if (!f->efi) {
		vc_set(c, VC_FAIL, "not-found",
		    "not booted through UEFI: no MOR variables");
		return;
	}
	int err = f->lock_err && f->lock_err != -ENOENT ? f->lock_err :
		  f->control_err && f->control_err != -ENOENT ? f->control_err
							       : 0;
	if (err) {
		vc_set(c, VC_UNKNOWN, "unknown", "%s", vc_why(err, f->lock_err ?
			mor_path(MOR_VAR_LOCK) : mor_path(MOR_VAR_CONTROL)));
		return;
	}
	mor_parse(f->control_err ? NULL : f->control.data, f->control.len,
		  f->lock_err ? NULL : f->lock.data, f->lock.len, &m,
		  &c->findings);
	if (m.lock.present)
		vc_evidence_add(c, "efivarfs", MOR_LOCK_NAME, NULL,
				"attrs 0x%x size %u value 0x%02x", m.lock.attrs,
				m.lock.size, m.lock.value);
	add_probe_findings(f, c);
	enum vc_result r = vc_worst_of(&c->findings);
	if (r == VC_FAIL) {
		vc_set(c, VC_FAIL, !m.lock.present ? "not-found" : "not-valid",
		    "%s", vc_first_finding_msg(c, FW_SEV_FAIL));
		vc_flag(c, "action-contact-oem");
		return;
	}
	if (f->probed && f->probe == MOR_PROBE_REV2) {
		vc_set(c, VC_PASS, "locked", "Secure MOR revision 2 (probed)");
		return;
	}
	if (f->probed && f->probe == MOR_PROBE_UNDECIDED) {
		vc_set(c, VC_UNKNOWN, "unknown", "MOR lock probe undecided "
		    "(EFI variables not writable?)");
		return;
	}
	vc_set(c, r == VC_WARN ? VC_WARN : VC_PASS, "locked",
	    "Secure MOR lock present (revision 2 unverified: --probe-morlock)");
	c->has_note = true;
}

void vc_eval_r7(struct vc_ctx *x, struct vc_check *c)
{
	struct vc_mor_facts f;
	gather_mor(x->ev, x->opt.probe_morlock, &f);
	judge_r7(&f, c);
	ev_buf_free(&f.control);
	ev_buf_free(&f.lock);
}
