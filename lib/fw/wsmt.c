// SPDX-License-Identifier: MIT
/*
 * WSMT: Windows SMM Security Mitigation Table [E-WSMT]; Microsoft
 * "Windows SMM Security Mitigation Table" §3 "WSMT Table Definition".
 */
#include "fw/wsmt.h"

static void wsmt_flag_rules(struct wsmt *w, struct fw_report *r)
{
	uint32_t f = w->flags;

	w->missing = WSMT_ALL_PROTECTIONS & ~f;
	w->reserved = f & ~WSMT_ALL_PROTECTIONS;
	if (!(f & WSMT_FIXED_COMM_BUFFERS))
		fw_report_add(r, "WSMT-F1", FW_SEV_WARN, FW_NO_INDEX, f,
			      "FIXED_COMM_BUFFERS not set");
	if (!(f & WSMT_COMM_BUFFER_NESTED_PTR_PROTECTION))
		fw_report_add(r, "WSMT-F2", FW_SEV_WARN, FW_NO_INDEX, f,
			      "COMM_BUFFER_NESTED_PTR_PROTECTION not set");
	if (!(f & WSMT_SYSTEM_RESOURCE_PROTECTION))
		fw_report_add(r, "WSMT-F3", FW_SEV_WARN, FW_NO_INDEX, f,
			      "SYSTEM_RESOURCE_PROTECTION not set");
	/*
	 * "COMM_BUFFER_NESTED_PTR_PROTECTION ... If this bit is set,
	 * FIXED_COMM_BUFFERS must also be set."
	 */
	if ((f & WSMT_COMM_BUFFER_NESTED_PTR_PROTECTION) &&
	    !(f & WSMT_FIXED_COMM_BUFFERS)) {
		fw_report_add(r, "WSMT-F4", FW_SEV_FAIL, FW_NO_INDEX, f,
			      "NESTED_PTR_PROTECTION without FIXED_COMM_BUFFERS");
		w->verdict = WSMT_NOT_VALID;
	}
	if (w->reserved)
		fw_report_add(r, "WSMT-F5", FW_SEV_WARN, FW_NO_INDEX,
			      w->reserved, "reserved ProtectionFlags bits set");
}

int wsmt_parse(const uint8_t *buf, size_t len, struct wsmt *out,
	       struct fw_report *r)
{
	int ret;

	if (!out)
		return FW_EINVAL;
	vbs_memset(out, 0, sizeof(*out));
	out->verdict = WSMT_NOT_VALID;
	ret = acpi_hdr_parse(buf, len, "WSMT", &out->hdr, r);
	if (ret)
		return ret;
	if (out->hdr.revision != WSMT_REVISION)
		fw_report_add(r, "WSMT-H1", FW_SEV_FAIL, FW_NO_INDEX,
			      out->hdr.revision, "WSMT Revision is not 1");
	if (out->hdr.length < WSMT_LEN) {
		fw_report_add(r, "WSMT-H2", FW_SEV_FAIL, FW_NO_INDEX,
			      out->hdr.length,
			      "WSMT Length below 40: no ProtectionFlags");
		return FW_EBADF;
	}
	out->flags = le32(buf, 36);
	out->verdict = WSMT_PASS;
	wsmt_flag_rules(out, r);
	/* Malformed (readiness R5 "not-valid"): checksum, revision, F4. */
	if (!out->hdr.checksum_ok || out->hdr.revision != WSMT_REVISION)
		out->verdict = WSMT_NOT_VALID;
	if (out->verdict == WSMT_PASS && out->missing)
		out->verdict = WSMT_WARN;
	return out->verdict == WSMT_NOT_VALID ? FW_EBADF : 0;
}
