// SPDX-License-Identifier: MIT
/*
 * Boot policy parser (lib/boot/policy.h, docs/boot.md "Policy format").
 */
#include "boot/policy.h"

#define KEY_MAX 32u

enum policy_key {
	KEY_FORMAT,
	KEY_PROFILE,
	KEY_ON_MISSING,
	KEY_KERNEL,
	KEY_INITRD,
	KEY_CMDLINE,
	KEY_HYPERVISOR,
	KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	[KEY_FORMAT] = "openvbs-policy",
	[KEY_PROFILE] = "profile",
	[KEY_ON_MISSING] = "on_missing",
	[KEY_KERNEL] = "kernel",
	[KEY_INITRD] = "initrd",
	[KEY_CMDLINE] = "cmdline",
	[KEY_HYPERVISOR] = "hypervisor",
};

static const bool key_required[KEY_COUNT] = {
	[KEY_FORMAT] = true,
	[KEY_PROFILE] = true,
	[KEY_ON_MISSING] = true,
	[KEY_KERNEL] = true,
};

/* A value: a view into the caller's buffer. */
struct span {
	const uint8_t *p;
	size_t len;
};

void vbs_policy_default(struct vbs_policy *out)
{
	vbs_memset(out, 0, sizeof(*out));
	out->format = VBS_POLICY_FORMAT;
	out->profile = VBS_PROFILE_OEM;
	out->on_missing = VBS_ON_MISSING_HALT;
	vbs_memcpy(out->kernel, "\\vmlinuz", sizeof("\\vmlinuz"));
	vbs_memcpy(out->initrd, "\\initrd.img", sizeof("\\initrd.img"));
}

const char *vbs_on_missing_name(enum vbs_on_missing m)
{
	return m == VBS_ON_MISSING_HALT ? "halt" :
	       m == VBS_ON_MISSING_BOOT_UNPROTECTED ? "boot-unprotected" : "?";
}

static bool span_is(struct span s, const char *word)
{
	size_t n = vbs_strlen(word);

	return s.len == n && vbs_memcmp(s.p, word, n) == 0;
}

static int lookup_key(struct span key)
{
	int k;

	for (k = 0; k < KEY_COUNT; k++)
		if (span_is(key, key_names[k]))
			return k;
	return -1;
}

static bool copy_value(char *dst, size_t cap, struct span v)
{
	if (v.len >= cap)
		return false;
	vbs_memcpy(dst, v.p, v.len);
	dst[v.len] = 0;
	return true;
}

/*
 * An ESP path: starts with '\', components of [A-Za-z0-9._-], none empty,
 * none "." or "..". FAT is case-insensitive; we keep the case given.
 */
static bool path_ok(struct span v)
{
	size_t i, comp = 0;

	if (v.len < 2 || v.p[0] != '\\')
		return false;
	for (i = 1; i <= v.len; i++) {
		uint8_t c = i < v.len ? v.p[i] : '\\';

		if (c == '\\') {
			size_t start = i - comp;

			if (comp == 0)
				return false;
			if (comp <= 2 && v.p[start] == '.' &&
			    (comp == 1 || v.p[start + 1] == '.'))
				return false;
			comp = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return false;
		comp++;
	}
	return true;
}

static const char *set_key(struct vbs_policy *pol, int key, struct span v)
{
	switch (key) {
	case KEY_FORMAT:
		if (!span_is(v, "1"))
			return "unsupported policy format (want openvbs-policy=1)";
		pol->format = VBS_POLICY_FORMAT;
		return NULL;
	case KEY_PROFILE:
		if (span_is(v, "oem"))
			pol->profile = VBS_PROFILE_OEM;
		else if (span_is(v, "minimum"))
			pol->profile = VBS_PROFILE_MINIMUM;
		else
			return "profile must be oem or minimum";
		return NULL;
	case KEY_ON_MISSING:
		if (span_is(v, "halt"))
			pol->on_missing = VBS_ON_MISSING_HALT;
		else if (span_is(v, "boot-unprotected"))
			pol->on_missing = VBS_ON_MISSING_BOOT_UNPROTECTED;
		else
			return "on_missing must be halt or boot-unprotected";
		return NULL;
	case KEY_KERNEL:
		if (!path_ok(v) || !copy_value(pol->kernel, sizeof(pol->kernel), v))
			return "kernel must be an ESP path like \\vmlinuz";
		return NULL;
	case KEY_INITRD:
		if (v.len == 0) {
			pol->initrd[0] = 0;
			return NULL;
		}
		if (!path_ok(v) || !copy_value(pol->initrd, sizeof(pol->initrd), v))
			return "initrd must be empty or an ESP path";
		return NULL;
	case KEY_CMDLINE:
		if (!copy_value(pol->cmdline, sizeof(pol->cmdline), v))
			return "cmdline too long";
		return NULL;
	case KEY_HYPERVISOR:
		if (span_is(v, "on"))
			pol->hypervisor_off = false;
		else if (span_is(v, "off"))
			pol->hypervisor_off = true;
		else
			return "hypervisor must be on or off";
		return NULL;
	}
	return "internal: unknown key";
}

/* Split one line (without its '\n') into key and value and apply it. */
static const char *parse_line(struct vbs_policy *pol, bool *seen,
			      struct span line)
{
	struct span key, val;
	size_t i, eq;
	int k;

	if (line.len && line.p[line.len - 1] == '\r')
		line.len--;
	eq = line.len;
	for (i = 0; i < line.len; i++) {
		uint8_t c = line.p[i];

		if (c < 0x20 || c > 0x7e)
			return "byte outside printable ASCII";
		if (c == '=' && eq == line.len)
			eq = i;
	}
	if (line.len == 0 || line.p[0] == '#')
		return NULL;
	if (eq == line.len)
		return "line is not key=value";
	key = (struct span){ line.p, eq };
	val = (struct span){ line.p + eq + 1, line.len - eq - 1 };
	if (key.len == 0 || key.len > KEY_MAX)
		return "empty or over-long key";
	k = lookup_key(key);
	if (k < 0)
		return "unknown key";
	if (seen[k])
		return "duplicate key";
	if (k != KEY_FORMAT && !seen[KEY_FORMAT])
		return "openvbs-policy=1 must come first";
	seen[k] = true;
	return set_key(pol, k, val);
}

static int fail(struct vbs_policy *out, struct vbs_policy_error *err,
		uint32_t line, const char *msg)
{
	vbs_policy_default(out);
	if (err) {
		err->line = line;
		err->msg = msg;
	}
	return -1;
}

int vbs_policy_parse(const uint8_t *buf, size_t len, struct vbs_policy *out,
		     struct vbs_policy_error *err)
{
	bool seen[KEY_COUNT] = { false };
	struct vbs_policy pol;
	uint32_t line_no = 0;
	size_t at = 0;
	int k;

	if (!out)
		return -1;
	if (!buf || len == 0)
		return fail(out, err, 0, "policy is empty");
	if (len > VBS_POLICY_MAX_SIZE)
		return fail(out, err, 0, "policy larger than 8192 bytes");
	vbs_memset(&pol, 0, sizeof(pol));
	while (at < len) {
		size_t end = at;
		const char *msg;

		while (end < len && buf[end] != '\n')
			end++;
		line_no++;
		msg = parse_line(&pol, seen,
				 (struct span){ buf + at, end - at });
		if (msg)
			return fail(out, err, line_no, msg);
		at = end + 1; /* past '\n'; a last line without one is fine */
	}
	for (k = 0; k < KEY_COUNT; k++)
		if (key_required[k] && !seen[k])
			return fail(out, err, 0,
				    k == KEY_FORMAT ? "missing openvbs-policy=1" :
				    k == KEY_PROFILE ? "missing profile=" :
				    k == KEY_ON_MISSING ? "missing on_missing=" :
				    "missing kernel=");
	*out = pol;
	if (err) {
		err->line = 0;
		err->msg = NULL;
	}
	return 0;
}
