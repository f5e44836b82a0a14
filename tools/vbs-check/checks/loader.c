// SPDX-License-Identifier: MIT
/*
 * vbs-check: the UEFI loader's report, the firmware's own findings
 * (docs/boot.md "The report variable", docs/readiness.md "Firmware
 * report"). vbsboot.efi stores it in the volatile variable
 * OpenVbsReport-8807564f-ad4b-4220-84e8-9b90123344ae; efivarfs shows it as
 * 4 attribute bytes, then the data (UEFI 2.10 §8.2 GetVariable). The bytes
 * are untrusted: lib/boot/report.c decodes them, and anything malformed
 * is reported as such and never used.
 *
 * Under OpenVBS (CPUID 0x40000000 signature VBS_CPUID_SIGNATURE) the
 * hypervisor hides SVM from the OS on purpose, so the platform's
 * virtualization verdicts (R1, R2, R9) come from the loader, which judged
 * them in firmware before the hypervisor started.
 */
#include "common.h"

#include "vbs/cpuid.h"

#define REPORT_PATH EFIVARS "/" VBS_BOOT_REPORT_VAR_NAME "-" VBS_VENDOR_GUID_STR
/* UEFI 2.10 §8.2: BOOTSERVICE_ACCESS | RUNTIME_ACCESS, not NON_VOLATILE.
 * After ExitBootServices() only non-volatile variables can be set, so a
 * volatile one was written before the OS ran. */
#define REPORT_ATTRS 0x6u

static void malformed(struct vc_loader *l, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void malformed(struct vc_loader *l, int err, const char *fmt, ...)
{
	va_list ap;

	memset(&l->rep, 0, sizeof(l->rep)); /* nothing of it is trusted */
	l->state = VC_LOADER_MALFORMED;
	l->err = err;
	va_start(ap, fmt);
	vsnprintf(l->reason, sizeof(l->reason), fmt, ap);
	va_end(ap);
}

/* Printable ASCII only: the strings are shown on terminals. */
static void sanitize(char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			s[i] = '?';
}

void loader_decode(const uint8_t *data, size_t len, struct vc_loader *l)
{
	int err;

	if (len < 4)
		return malformed(l, VBS_REPORT_ESHORT, "%zu bytes, fewer than "
				 "the 4 attribute bytes of efivarfs", len);
	l->attrs = le32(data, 0);
	if (l->attrs != REPORT_ATTRS)
		return malformed(l, VBS_REPORT_EFIELD, "attributes 0x%x, "
				 "expected 0x%x (volatile, boot-time only)",
				 l->attrs, REPORT_ATTRS);
	err = vbs_boot_report_decode(data + 4, len - 4, &l->rep);
	if (err)
		return malformed(l, err, "%s", vbs_boot_report_strerror(err));
	sanitize(l->rep.loader_version, sizeof(l->rep.loader_version));
	sanitize(l->rep.hv_vendor, sizeof(l->rep.hv_vendor));
	for (size_t i = 0; i < l->rep.check_count; i++) {
		struct vbs_check_result *c = &l->rep.checks[i];

		sanitize(c->id, sizeof(c->id));
		sanitize(c->requirement, sizeof(c->requirement));
		sanitize(c->message, sizeof(c->message));
	}
	l->state = VC_LOADER_VALID;
	l->err = 0;
	snprintf(l->reason, sizeof(l->reason), "vbsboot.efi %s",
		 l->rep.loader_version);
}

void gather_loader(struct ev *ev, bool efi, struct vc_loader *l)
{
	struct ev_buf b = { 0 };
	int err;

	memset(l, 0, sizeof(*l));
	if (!efi) {
		snprintf(l->reason, sizeof(l->reason),
			 "not booted through UEFI");
		return;
	}
	err = ev_read(ev, REPORT_PATH, &b);
	if (err == -ENOENT) {
		snprintf(l->reason, sizeof(l->reason), "no %s variable: not "
			 "booted through vbsboot.efi", VBS_BOOT_REPORT_VAR_NAME);
	} else if (err) {
		l->state = VC_LOADER_UNREADABLE;
		l->err = err;
		snprintf(l->reason, sizeof(l->reason), "%s",
			 vc_why(err, REPORT_PATH));
	} else {
		loader_decode(b.data, b.len, l);
	}
	ev_buf_free(&b);
}

const struct vbs_check_result *loader_find(const struct vc_loader *l,
					   const struct vbs_check_def *spec)
{
	if (!l || l->state != VC_LOADER_VALID)
		return NULL;
	for (size_t i = 0; i < l->rep.check_count; i++) {
		const struct vbs_check_result *c = &l->rep.checks[i];

		if (!strcmp(c->id, spec->id) && !strcmp(c->requirement, spec->req))
			return c;
	}
	return NULL;
}

const char *loader_state_name(enum vc_loader_state s)
{
	switch (s) {
	case VC_LOADER_ABSENT: return "absent";
	case VC_LOADER_VALID: return "valid";
	case VC_LOADER_MALFORMED: return "malformed";
	default: return "unreadable";
	}
}

/* The loader's result in vbs-check's vocabulary, with a fwupd code. */
static void take_result(struct vc_check *c, uint8_t r)
{
	static const struct { enum vc_result res; const char *code; } map[] = {
		[VBS_RESULT_PASS] = { VC_PASS, "enabled" },
		[VBS_RESULT_FAIL] = { VC_FAIL, "not-enabled" },
		[VBS_RESULT_WARN] = { VC_WARN, "enabled" },
		[VBS_RESULT_UNKNOWN] = { VC_UNKNOWN, "unknown" },
		[VBS_RESULT_NOT_APPLICABLE] = { VC_NA, "not-supported" },
		[VBS_RESULT_ERROR] = { VC_ERROR, "unknown" },
		[VBS_RESULT_NOTE] = { VC_PASS, "enabled" },
	};

	/* the decoder accepts only results up to VBS_RESULT_NOTE */
	c->result = r < sizeof(map) / sizeof(map[0]) ? map[r].res : VC_ERROR;
	c->result_code = r < sizeof(map) / sizeof(map[0]) ? map[r].code :
			 "unknown";
}

void judge_from_loader(const struct vc_loader *l, struct vc_check *c)
{
	const struct vbs_check_result *fw = loader_find(l, c->def->spec);

	vc_evidence_add(c, "cpuid", "0x40000000 vendor", NULL, "%s",
			VBS_CPUID_SIGNATURE);
	c->n_flags = 0; /* the OS's view (no SVM) calls for no action */
	c->has_note = false;
	if (!fw) {
		vc_set(c, VC_UNKNOWN, "unknown", "SVM is hidden from this OS by "
		       "the OpenVBS hypervisor and the loader's firmware report "
		       "is %s (%s)", l->state == VC_LOADER_VALID ?
		       "without this check" : loader_state_name(l->state),
		       l->reason);
		return;
	}
	take_result(c, fw->result);
	vc_evidence_add(c, "efivarfs", VBS_BOOT_REPORT_VAR_NAME, NULL,
			"%s %s: %s", fw->id, vbs_result_name(fw->result),
			fw->message);
	snprintf(c->message, sizeof(c->message), "from the OpenVBS loader's "
		 "firmware report: SVM is hidden from this OS by the "
		 "hypervisor; firmware: %s", fw->message[0] ? fw->message :
		 vbs_result_name(fw->result));
	c->has_note = c->result == VC_PASS;
}
