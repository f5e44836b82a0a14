// SPDX-License-Identifier: MIT
/*
 * vbsctl's pure parts: option parsing, number parsing, JSON strings, hex,
 * names of the secure kernel ABI's values (include/vbs/sk_abi.h) and the
 * log answer check. No I/O besides writing to a given FILE; unit-tested
 * in tests/unit/vbsctl_fmt.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vbs/sk_abi.h"
#include "vbsctl.h"

static const struct {
	const char *name;
	unsigned int flag;
	bool has_arg;
} option_table[] = {
	{ "--json", OPT_JSON, false },
	{ "--in", OPT_IN, true },
	{ "--out", OPT_OUT, true },
	{ "--aad", OPT_AAD, true },
	{ "--kind", OPT_KIND, true },
	{ "--label", OPT_LABEL, true },
	{ "--from", OPT_FROM, true },
	{ "--mask", OPT_MASK, true },
	{ "--policy", OPT_POLICY, true },
};

static int opt_store(struct vbsctl_opts *o, unsigned int flag,
		     const char *val, char *err, size_t err_size)
{
	switch (flag) {
	case OPT_JSON: o->json = true; break;
	case OPT_IN: o->in = val; break;
	case OPT_OUT: o->out = val; break;
	case OPT_AAD: o->aad = val; break;
	case OPT_KIND: o->kind = val; break;
	case OPT_LABEL: o->label = val; break;
	case OPT_MASK: o->mask = val; break;
	case OPT_POLICY: o->policy = val; break;
	case OPT_FROM:
		if (parse_u64(val, &o->from) != 0) {
			snprintf(err, err_size, "--from: not a number: '%s'", val);
			return -1;
		}
		break;
	}
	return 0;
}

int opts_parse(int argc, char **argv, int first, unsigned int allowed,
	       unsigned int max_pos, struct vbsctl_opts *o, char *err,
	       size_t err_size)
{
	int i;
	size_t k;

	memset(o, 0, sizeof(*o));
	for (i = first; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0') {
			if (o->npos >= max_pos || o->npos >= VBSCTL_MAX_POS) {
				snprintf(err, err_size, "unexpected argument '%s'", a);
				return -1;
			}
			o->pos[o->npos++] = a;
			continue;
		}
		for (k = 0; k < sizeof(option_table) / sizeof(option_table[0]); k++)
			if (strcmp(a, option_table[k].name) == 0)
				break;
		if (k == sizeof(option_table) / sizeof(option_table[0]) ||
		    !(allowed & option_table[k].flag)) {
			snprintf(err, err_size, "unknown option '%s'", a);
			return -1;
		}
		if (o->seen & option_table[k].flag) {
			snprintf(err, err_size, "%s given twice", a);
			return -1;
		}
		o->seen |= option_table[k].flag;
		if (!option_table[k].has_arg) {
			opt_store(o, option_table[k].flag, NULL, err, err_size);
			continue;
		}
		if (i + 1 >= argc) {
			snprintf(err, err_size, "%s needs a value", a);
			return -1;
		}
		if (opt_store(o, option_table[k].flag, argv[++i], err, err_size))
			return -1;
	}
	return 0;
}

int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

int parse_u32(const char *s, uint32_t *v)
{
	uint64_t x;

	if (parse_u64(s, &x) != 0 || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* RFC 8259 §7 "Strings": quote, backslash and controls escaped; bytes
 * >= 0x7f as \u00XX so the output is ASCII whatever the bytes. */
void json_str(FILE *f, const char *s, size_t len)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void hex_write(FILE *f, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fprintf(f, "%02x", p[i]);
}

size_t field_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0')
		n++;
	return n;
}

void text_field(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

const char *sk_status_name(int32_t status)
{
	switch (status) {
	case VBS_SK_OK: return "ok";
	case VBS_SK_E_MALFORMED: return "malformed request";
	case VBS_SK_E_SERVICE: return "no such service";
	case VBS_SK_E_OP: return "no such operation";
	case VBS_SK_E_RANGE: return "length or argument out of range";
	case VBS_SK_E_FAULT: return "buffer could not be mapped";
	case VBS_SK_E_NOSPACE: return "vault full";
	case VBS_SK_E_NOENT: return "no such secret";
	case VBS_SK_E_AUTH: return "authentication failed";
	case VBS_SK_E_ENTROPY: return "entropy source failed";
	case VBS_SK_E_SMALL: return "output buffer too small";
	case VBS_SK_E_KIND: return "operation not possible with this key kind";
	case VBS_SK_E_DENIED: return "would weaken a protection already set";
	case VBS_SK_E_HV: return "the hypervisor refused the change";
	}
	return "unknown status";
}

static const struct {
	const char *name;
	uint32_t kind;
} key_kinds[] = {
	{ "hmac-sha256", VBS_SK_KEY_HMAC_SHA256 },
	{ "ecdsa-p256", VBS_SK_KEY_ECDSA_P256 },
	{ "aes256-gcm", VBS_SK_KEY_AES256_GCM },
	{ "ed25519", VBS_SK_KEY_ED25519 },
};

const char *key_kind_name(uint32_t kind)
{
	size_t i;

	for (i = 0; i < sizeof(key_kinds) / sizeof(key_kinds[0]); i++)
		if (key_kinds[i].kind == kind)
			return key_kinds[i].name;
	return "?";
}

int key_kind_parse(const char *name, uint32_t *kind)
{
	size_t i;

	for (i = 0; name && i < sizeof(key_kinds) / sizeof(key_kinds[0]); i++)
		if (strcmp(key_kinds[i].name, name) == 0) {
			*kind = key_kinds[i].kind;
			return 0;
		}
	return -1;
}

const char *event_kind_name(uint32_t kind)
{
	switch (kind) {
	case VBS_SK_EV_REFUSED: return "refused";
	case VBS_SK_EV_DENIED: return "denied";
	case VBS_SK_EV_VAULT: return "vault";
	case VBS_SK_EV_INFO: return "info";
	case VBS_SK_EV_AUDIT: return "audit";
	}
	return "?";
}

static const struct {
	const char *name;
	uint32_t mask;
} prot_masks[] = {
	{ "none", 0 },
	{ "r", VBS_VTL_PROT_READ },
	{ "rw", VBS_VTL_PROT_READ | VBS_VTL_PROT_WRITE },
	{ "rx", VBS_VTL_PROT_READ | VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC },
	{ "rwx", 0xf },
};

int prot_mask_parse(const char *name, uint32_t *mask)
{
	size_t i;

	for (i = 0; i < sizeof(prot_masks) / sizeof(prot_masks[0]); i++)
		if (strcmp(name, prot_masks[i].name) == 0) {
			*mask = prot_masks[i].mask;
			return 0;
		}
	return -1;
}

const char *prot_mask_name(uint32_t mask)
{
	size_t i;

	for (i = 0; i < sizeof(prot_masks) / sizeof(prot_masks[0]); i++)
		if (prot_masks[i].mask == mask)
			return prot_masks[i].name;
	return "?";
}

static const char *const prot_policies[] = { "deny", "audit", "tripwire" };

int prot_policy_parse(const char *name, uint32_t *policy)
{
	uint32_t i;

	for (i = 0; i < 3; i++)
		if (strcmp(name, prot_policies[i]) == 0) {
			*policy = i + VBS_SK_PROTECT_DENY;
			return 0;
		}
	return -1;
}

const char *prot_policy_name(uint32_t policy)
{
	if (policy < VBS_SK_PROTECT_DENY || policy > VBS_SK_PROTECT_TRIPWIRE)
		return "?";
	return prot_policies[policy - VBS_SK_PROTECT_DENY];
}

static const char *const prop_names[] = { "vtl1", "vault", "hvci", "protect" };

void props_write(FILE *f, uint32_t mask, const char *sep, bool json)
{
	const unsigned int nnames = sizeof(prop_names) / sizeof(prop_names[0]);
	unsigned int bit;
	bool first = true;

	for (bit = 0; bit < 32; bit++) {
		if (!(mask & (1u << bit)))
			continue;
		fputs(first ? "" : sep, f);
		first = false;
		if (json)
			fputc('"', f);
		if (bit < nnames)
			fputs(prop_names[bit], f);
		else
			fprintf(f, "0x%x", 1u << bit);
		if (json)
			fputc('"', f);
	}
}

int log_head_check(const uint8_t *buf, size_t len, struct vbs_sk_log_head *head)
{
	uint64_t body;

	if (len < sizeof(*head))
		return -1;
	memcpy(head, buf, sizeof(*head));
	if (head->count == 0)
		return 0;
	if (head->entry_size < sizeof(struct vbs_sk_event))
		return -1;
	body = (uint64_t)head->count * head->entry_size;
	if (body > len - sizeof(*head))
		return -1;
	return 0;
}
