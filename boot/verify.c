// SPDX-License-Identifier: MIT
/*
 * Detached-signature verification (boot/verify.h). All cryptography is
 * BearSSL's (Debian libbearssl-dev); nothing here is hand-written crypto.
 */
#include <bearssl_ec.h>
#include <bearssl_hash.h>

#include "boot/verify.h"

void vbs_sha256(const void *data, size_t len, uint8_t out[32])
{
	br_sha256_context ctx;

	br_sha256_init(&ctx);
	br_sha256_update(&ctx, data, len);
	br_sha256_out(&ctx, out);
}

void vbs_key_id(const uint8_t pub[VBS_PUBKEY_LEN],
		uint8_t id[VBS_SIG_KEY_ID_LEN])
{
	uint8_t digest[32];

	vbs_sha256(pub, VBS_PUBKEY_LEN, digest);
	vbs_memcpy(id, digest, VBS_SIG_KEY_ID_LEN);
}

void vbs_sig_digest(const uint8_t hdr[VBS_SIG_SIGNED_HDR_LEN],
		    const uint8_t *content, size_t len, uint8_t out[32])
{
	br_sha256_context ctx;

	br_sha256_init(&ctx);
	br_sha256_update(&ctx, hdr, VBS_SIG_SIGNED_HDR_LEN);
	br_sha256_update(&ctx, content, len);
	br_sha256_out(&ctx, out);
}

static enum vbs_verify verdict(const char **why, enum vbs_verify v,
			       const char *msg)
{
	if (why)
		*why = msg;
	return v;
}

enum vbs_verify vbs_verify_detached(const uint8_t pub[VBS_PUBKEY_LEN],
				    uint16_t kind, const uint8_t *sigbuf,
				    size_t siglen, const uint8_t *content,
				    size_t len, const char **why)
{
	uint8_t key_id[VBS_SIG_KEY_ID_LEN], digest[32];
	uint8_t q[VBS_PUBKEY_LEN];
	br_ec_public_key pk;
	struct vbs_sig sig;
	int err;

	err = vbs_sig_parse(sigbuf, siglen, &sig);
	if (err)
		return verdict(why, VBS_VERIFY_BAD_FILE, vbs_sig_error(err));
	if (sig.kind != kind)
		return verdict(why, VBS_VERIFY_WRONG_KIND,
			       "signature is for another kind of file");
	vbs_key_id(pub, key_id);
	if (vbs_memcmp(key_id, sig.key_id, VBS_SIG_KEY_ID_LEN) != 0)
		return verdict(why, VBS_VERIFY_WRONG_KEY,
			       "signed with a key other than the built-in one");
	if (sig.content_len != (uint64_t)len)
		return verdict(why, VBS_VERIFY_LENGTH,
			       "file length differs from the signed length");
	vbs_sig_digest(sig.signed_hdr, content, len, digest);
	vbs_memcpy(q, pub, VBS_PUBKEY_LEN); /* BearSSL wants a mutable q */
	pk.curve = BR_EC_secp256r1;
	pk.q = q;
	pk.qlen = VBS_PUBKEY_LEN;
	/* FIPS 186-4 §6.4 ECDSA verification, BearSSL i31 on P-256. */
	if (br_ecdsa_i31_vrfy_raw(&br_ec_p256_m31, digest, sizeof(digest), &pk,
				  sig.sig, VBS_SIG_RAW_LEN) != 1)
		return verdict(why, VBS_VERIFY_BAD_SIG,
			       "signature does not verify");
	return verdict(why, VBS_VERIFY_OK, "ok");
}
