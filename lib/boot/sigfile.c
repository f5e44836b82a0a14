// SPDX-License-Identifier: MIT
/*
 * Detached signature file format (lib/boot/sigfile.h).
 */
#include "boot/sigfile.h"

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

void vbs_sig_header(uint8_t out[VBS_SIG_SIGNED_HDR_LEN], uint16_t kind,
		    const uint8_t key_id[VBS_SIG_KEY_ID_LEN],
		    uint64_t content_len)
{
	int i;

	vbs_memcpy(out, VBS_SIG_MAGIC, 8);
	put16(out, 8, VBS_SIG_VERSION);
	put16(out, 10, VBS_SIG_ALG_ECDSA_P256_SHA256);
	put16(out, 12, kind);
	put16(out, 14, VBS_SIG_RAW_LEN);
	vbs_memcpy(out + 16, key_id, VBS_SIG_KEY_ID_LEN);
	for (i = 0; i < 8; i++)
		out[24 + i] = (uint8_t)(content_len >> (8 * i));
}

void vbs_sig_encode(uint8_t out[VBS_SIG_FILE_LEN],
		    const uint8_t hdr[VBS_SIG_SIGNED_HDR_LEN],
		    const uint8_t sig[VBS_SIG_RAW_LEN])
{
	vbs_memcpy(out, hdr, VBS_SIG_SIGNED_HDR_LEN);
	vbs_memcpy(out + VBS_SIG_SIGNED_HDR_LEN, sig, VBS_SIG_RAW_LEN);
}

int vbs_sig_parse(const uint8_t *buf, size_t len, struct vbs_sig *out)
{
	uint16_t kind;

	vbs_memset(out, 0, sizeof(*out));
	if (!buf || len != VBS_SIG_FILE_LEN)
		return VBS_SIG_ESIZE;
	if (vbs_memcmp(buf, VBS_SIG_MAGIC, 8) != 0)
		return VBS_SIG_EMAGIC;
	if (le16(buf, 8) != VBS_SIG_VERSION)
		return VBS_SIG_EVERSION;
	if (le16(buf, 10) != VBS_SIG_ALG_ECDSA_P256_SHA256 ||
	    le16(buf, 14) != VBS_SIG_RAW_LEN)
		return VBS_SIG_EALG;
	kind = le16(buf, 12);
	if (kind < VBS_SIG_KIND_POLICY || kind > VBS_SIG_KIND_SK)
		return VBS_SIG_EKIND;
	out->kind = kind;
	vbs_memcpy(out->key_id, buf + 16, VBS_SIG_KEY_ID_LEN);
	out->content_len = le64(buf, 24);
	vbs_memcpy(out->signed_hdr, buf, VBS_SIG_SIGNED_HDR_LEN);
	vbs_memcpy(out->sig, buf + VBS_SIG_SIGNED_HDR_LEN, VBS_SIG_RAW_LEN);
	return 0;
}

const char *vbs_sig_error(int err)
{
	switch (err) {
	case 0:
		return "ok";
	case VBS_SIG_ESIZE:
		return "signature file is not 96 bytes";
	case VBS_SIG_EMAGIC:
		return "not an OpenVBS signature file (bad magic)";
	case VBS_SIG_EVERSION:
		return "unsupported signature file version";
	case VBS_SIG_EALG:
		return "unsupported signature algorithm";
	case VBS_SIG_EKIND:
		return "unknown signed-object kind";
	}
	return "unknown error";
}

const char *vbs_sig_kind_name(uint16_t kind)
{
	switch (kind) {
	case VBS_SIG_KIND_POLICY:
		return "policy";
	case VBS_SIG_KIND_HV:
		return "hypervisor";
	case VBS_SIG_KIND_SK:
		return "secure-kernel";
	}
	return "?";
}
