/* SPDX-License-Identifier: MIT */
/*
 * Signature verification with BearSSL (ECDSA P-256, SHA-256), shared by
 * the loader and the host tool vbs-sign so that there is one signature
 * format and one verifier (docs/boot.md "Signature format").
 *
 * In the loader, BearSSL's code reads a stack canary at %fs:0x28: call
 * efi_cpu_setup_canary() (boot/cpu.c) before anything here.
 */
#ifndef VBS_BOOT_VERIFY_H
#define VBS_BOOT_VERIFY_H

#include "base/base.h"
#include "boot/sigfile.h"

enum vbs_verify {
	VBS_VERIFY_OK = 0,
	VBS_VERIFY_BAD_FILE,   /* the .sig does not parse */
	VBS_VERIFY_WRONG_KIND, /* signed as another kind of object */
	VBS_VERIFY_WRONG_KEY,  /* key id is not the built-in key's */
	VBS_VERIFY_LENGTH,     /* content length differs from the signed one */
	VBS_VERIFY_BAD_SIG,    /* ECDSA verification failed */
};

void vbs_sha256(const void *data, size_t len, uint8_t out[32]);
void vbs_key_id(const uint8_t pub[VBS_PUBKEY_LEN],
		uint8_t id[VBS_SIG_KEY_ID_LEN]);
/* SHA-256(signed header || content): what the signature covers. */
void vbs_sig_digest(const uint8_t hdr[VBS_SIG_SIGNED_HDR_LEN],
		    const uint8_t *content, size_t len, uint8_t out[32]);

/*
 * Verify a detached signature file over content with the public key pub.
 * *why receives a static explanation (also on success: "ok").
 */
enum vbs_verify vbs_verify_detached(const uint8_t pub[VBS_PUBKEY_LEN],
				    uint16_t kind, const uint8_t *sigbuf,
				    size_t siglen, const uint8_t *content,
				    size_t len, const char **why);

#endif
