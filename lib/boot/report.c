// SPDX-License-Identifier: MIT
/*
 * The loader's report: encoding and decoding (include/vbs/boot_report.h,
 * docs/boot.md "The report variable").
 */
#include "boot/report.h"

#define HDR_SIZE 64u
#define CHECK_SIZE 96u

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	put16(p, off, (uint16_t)v);
	put16(p, off + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put32(p, off, (uint32_t)v);
	put32(p, off + 4, (uint32_t)(v >> 32));
}

void vbs_field_set(char *dst, size_t n, const char *src)
{
	size_t i = 0;

	if (n == 0)
		return;
	if (src)
		for (; i + 1 < n && src[i]; i++)
			dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = 0;
}

/* Copy a fixed field out of untrusted bytes, forcing a terminating NUL. */
static void field_get(char *dst, const uint8_t *p, size_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (char)p[off + i];
	dst[n - 1] = 0;
}

bool vbs_boot_report_add(struct vbs_boot_report *rep, const char *id,
			 const char *requirement, enum vbs_result result,
			 bool required, uint8_t level, uint64_t value,
			 const char *message)
{
	struct vbs_check_result *c;

	if (rep->check_count >= VBS_BOOT_REPORT_MAX_CHECKS) {
		rep->flags |= VBS_REPORT_F_DROPPED;
		return false;
	}
	c = &rep->checks[rep->check_count++];
	vbs_field_set(c->id, sizeof(c->id), id);
	vbs_field_set(c->requirement, sizeof(c->requirement), requirement);
	c->result = (uint8_t)result;
	c->required = required ? 1 : 0;
	c->level = level;
	c->value = value;
	vbs_field_set(c->message, sizeof(c->message), message);
	return true;
}

size_t vbs_boot_report_size(const struct vbs_boot_report *rep)
{
	return HDR_SIZE + (size_t)rep->check_count * CHECK_SIZE;
}

static void encode_field(uint8_t *out, size_t off, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[off + i] = (uint8_t)s[i];
	out[off + n - 1] = 0;
}

size_t vbs_boot_report_encode(const struct vbs_boot_report *rep, uint8_t *out,
			      size_t cap)
{
	size_t size, i;

	if (rep->check_count > VBS_BOOT_REPORT_MAX_CHECKS)
		return 0;
	size = vbs_boot_report_size(rep);
	if (size > cap)
		return 0;
	vbs_memset(out, 0, size);
	vbs_memcpy(out, VBS_BOOT_REPORT_MAGIC, 8);
	put16(out, 8, VBS_BOOT_REPORT_VERSION);
	put16(out, 10, HDR_SIZE);
	put16(out, 12, CHECK_SIZE);
	put16(out, 14, rep->check_count);
	put32(out, 16, (uint32_t)size);
	put32(out, 20, rep->flags);
	out[24] = rep->profile;
	out[25] = rep->verdict;
	out[26] = rep->policy_source;
	out[27] = rep->action;
	encode_field(out, 32, rep->loader_version, 16);
	encode_field(out, 48, rep->hv_vendor, 13);
	for (i = 0; i < rep->check_count; i++) {
		const struct vbs_check_result *c = &rep->checks[i];
		size_t at = HDR_SIZE + i * CHECK_SIZE;

		encode_field(out, at, c->id, 24);
		encode_field(out, at + 24, c->requirement, 4);
		out[at + 28] = c->result;
		out[at + 29] = c->required;
		out[at + 30] = c->level;
		put64(out, at + 32, c->value);
		encode_field(out, at + 40, c->message, 56);
	}
	return size;
}

static int decode_header(const uint8_t *buf, size_t len,
			 struct vbs_boot_report *out, size_t *check_at)
{
	uint16_t hdr_size, check_size, count;
	uint64_t need;

	if (!span_ok(len, 0, HDR_SIZE))
		return VBS_REPORT_ESHORT;
	if (vbs_memcmp(buf, VBS_BOOT_REPORT_MAGIC, 8) != 0)
		return VBS_REPORT_EMAGIC;
	if (le16(buf, 8) != VBS_BOOT_REPORT_VERSION)
		return VBS_REPORT_EVERSION;
	hdr_size = le16(buf, 10);
	check_size = le16(buf, 12);
	count = le16(buf, 14);
	/* Version 1 fixes both sizes; a larger size would be a new version. */
	if (hdr_size != HDR_SIZE || check_size != CHECK_SIZE ||
	    count > VBS_BOOT_REPORT_MAX_CHECKS)
		return VBS_REPORT_ELAYOUT;
	need = (uint64_t)hdr_size + (uint64_t)count * check_size;
	if (le32(buf, 16) != need)
		return VBS_REPORT_ELAYOUT;
	if (need > len)
		return VBS_REPORT_ESHORT;
	out->flags = le32(buf, 20);
	out->profile = buf[24];
	out->verdict = buf[25];
	out->policy_source = buf[26];
	out->action = buf[27];
	if (out->profile > VBS_PROFILE_MINIMUM ||
	    out->verdict > VBS_VERDICT_INDETERMINATE ||
	    out->policy_source > VBS_POLICY_DEFAULT_MALFORMED ||
	    out->action > VBS_ACTION_HALT)
		return VBS_REPORT_EFIELD;
	field_get(out->loader_version, buf, 32, 16);
	field_get(out->hv_vendor, buf, 48, 13);
	out->check_count = count;
	*check_at = hdr_size;
	return 0;
}

int vbs_boot_report_decode(const uint8_t *buf, size_t len,
			   struct vbs_boot_report *out)
{
	size_t at, i;
	int err;

	vbs_memset(out, 0, sizeof(*out));
	err = decode_header(buf, len, out, &at);
	if (err)
		return err;
	for (i = 0; i < out->check_count; i++, at += CHECK_SIZE) {
		struct vbs_check_result *c = &out->checks[i];

		field_get(c->id, buf, at, 24);
		field_get(c->requirement, buf, at + 24, 4);
		c->result = buf[at + 28];
		c->required = buf[at + 29];
		c->level = buf[at + 30];
		c->value = le64(buf, at + 32);
		field_get(c->message, buf, at + 40, 56);
		if (c->result > VBS_RESULT_NOTE || c->required > 1)
			return VBS_REPORT_EFIELD;
	}
	return 0;
}

const char *vbs_boot_report_strerror(int err)
{
	switch (err) {
	case 0:
		return "valid";
	case VBS_REPORT_ESHORT:
		return "shorter than its header says";
	case VBS_REPORT_EMAGIC:
		return "bad magic";
	case VBS_REPORT_EVERSION:
		return "unknown version";
	case VBS_REPORT_ELAYOUT:
		return "header and check sizes or count inconsistent";
	case VBS_REPORT_EFIELD:
		return "a field out of range";
	default:
		return "?";
	}
}

static const char *name_of(const char *const *names, size_t n, uint8_t v)
{
	return v < n && names[v] ? names[v] : "?";
}

const char *vbs_result_name(uint8_t result)
{
	static const char *const names[] = {
		[VBS_RESULT_PASS] = "pass",
		[VBS_RESULT_FAIL] = "fail",
		[VBS_RESULT_WARN] = "warn",
		[VBS_RESULT_UNKNOWN] = "unknown",
		[VBS_RESULT_NOT_APPLICABLE] = "not-applicable",
		[VBS_RESULT_ERROR] = "error",
		[VBS_RESULT_NOTE] = "note",
	};
	return name_of(names, VBS_ARRAY_SIZE(names), result);
}

const char *vbs_profile_name(uint8_t profile)
{
	static const char *const names[] = {
		[VBS_PROFILE_OEM] = "oem",
		[VBS_PROFILE_MINIMUM] = "minimum",
	};
	return name_of(names, VBS_ARRAY_SIZE(names), profile);
}

const char *vbs_verdict_name(uint8_t verdict)
{
	static const char *const names[] = {
		[VBS_VERDICT_READY] = "ready",
		[VBS_VERDICT_NOT_READY] = "not-ready",
		[VBS_VERDICT_INDETERMINATE] = "indeterminate",
	};
	return name_of(names, VBS_ARRAY_SIZE(names), verdict);
}

const char *vbs_policy_source_name(uint8_t source)
{
	static const char *const names[] = {
		[VBS_POLICY_SIGNED] = "signed",
		[VBS_POLICY_DEFAULT_MISSING] = "default (policy missing)",
		[VBS_POLICY_DEFAULT_UNSIGNED] = "default (signature missing)",
		[VBS_POLICY_DEFAULT_BAD_SIG] = "default (bad signature)",
		[VBS_POLICY_DEFAULT_MALFORMED] = "default (policy malformed)",
	};
	return name_of(names, VBS_ARRAY_SIZE(names), source);
}

const char *vbs_action_name(uint8_t action)
{
	static const char *const names[] = {
		[VBS_ACTION_BOOT] = "boot",
		[VBS_ACTION_BOOT_UNPROTECTED] = "boot-unprotected",
		[VBS_ACTION_HALT] = "halt",
	};
	return name_of(names, VBS_ARRAY_SIZE(names), action);
}
