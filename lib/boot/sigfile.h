/* SPDX-License-Identifier: MIT */
/*
 * Detached signature files (FILE.sig), written by vbs-sign and checked by
 * the loader (docs/boot.md "Signature format"). Version 1, 96 bytes:
 *
 *   @0  magic     "OVBSSIG\0"
 *   @8  version   u16 = 1
 *   @10 alg       u16 = 1: ECDSA over NIST P-256 with SHA-256, raw r||s
 *   @12 kind      u16: 1 policy, 2 hypervisor image, 3 secure-kernel image
 *   @14 sig_len   u16 = 64
 *   @16 key_id    8 bytes: SHA-256(uncompressed public key)[0..8)
 *   @24 content_len u64: exact length of the signed file
 *   @32 sig       64 bytes: r || s, big-endian each
 *
 * The signed digest is SHA-256(bytes [0, 32) of this file || content):
 * the kind, key id and length are signed with the content, so a policy
 * signature cannot be replayed on an image, nor a file truncated.
 * This file only encodes and decodes; hashing and ECDSA live with the
 * crypto library (boot/verify.c, shared by the loader and vbs-sign).
 */
#ifndef VBS_LIB_BOOT_SIGFILE_H
#define VBS_LIB_BOOT_SIGFILE_H

#include "base/base.h"

#define VBS_SIG_MAGIC "OVBSSIG" /* + NUL = 8 bytes */
#define VBS_SIG_VERSION 1u
#define VBS_SIG_ALG_ECDSA_P256_SHA256 1u
#define VBS_SIG_RAW_LEN 64u
#define VBS_SIG_SIGNED_HDR_LEN 32u
#define VBS_SIG_FILE_LEN 96u
#define VBS_SIG_KEY_ID_LEN 8u
#define VBS_PUBKEY_LEN 65u /* 0x04 || X || Y */

enum vbs_sig_kind {
	VBS_SIG_KIND_POLICY = 1,
	VBS_SIG_KIND_HV = 2,
	VBS_SIG_KIND_SK = 3,
};

struct vbs_sig {
	uint16_t kind;
	uint8_t key_id[VBS_SIG_KEY_ID_LEN];
	uint64_t content_len;
	uint8_t signed_hdr[VBS_SIG_SIGNED_HDR_LEN]; /* bytes [0,32) verbatim */
	uint8_t sig[VBS_SIG_RAW_LEN];
};

/* Errors of vbs_sig_parse (negative). */
#define VBS_SIG_ESIZE    (-1) /* not exactly 96 bytes */
#define VBS_SIG_EMAGIC   (-2)
#define VBS_SIG_EVERSION (-3)
#define VBS_SIG_EALG     (-4)
#define VBS_SIG_EKIND    (-5)

int vbs_sig_parse(const uint8_t *buf, size_t len, struct vbs_sig *out);

/* Build the signed header [0,32) for kind/key_id/content_len. */
void vbs_sig_header(uint8_t out[VBS_SIG_SIGNED_HDR_LEN], uint16_t kind,
		    const uint8_t key_id[VBS_SIG_KEY_ID_LEN],
		    uint64_t content_len);

/* Whole file: header plus raw signature. */
void vbs_sig_encode(uint8_t out[VBS_SIG_FILE_LEN],
		    const uint8_t hdr[VBS_SIG_SIGNED_HDR_LEN],
		    const uint8_t sig[VBS_SIG_RAW_LEN]);

const char *vbs_sig_error(int err);
const char *vbs_sig_kind_name(uint16_t kind);

#endif
