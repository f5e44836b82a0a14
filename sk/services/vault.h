/* SPDX-License-Identifier: MIT */
/*
 * The secret vault (credential isolation; docs/secure-kernel.md "Vault").
 * Pure: no hardware access, no allocation; entropy comes from the
 * caller's callback (in VTL1: sk/arch/x86/entropy.c). Key bytes never
 * leave it: list gives ids, kinds, labels and flags; the only output of a
 * key is its use (MAC, signature, wrap/unwrap) and, for ECDSA, the public
 * point. Cryptography is BearSSL's, Ed25519 libsodium's (its ed25519
 * objects only, sk/sk.mk). Not thread-safe: the caller locks.
 * Statuses are enum vbs_sk_status (include/vbs/sk_abi.h).
 */
#ifndef SK_SERVICES_VAULT_H
#define SK_SERVICES_VAULT_H

#include <stddef.h>
#include <stdint.h>

#include "vbs/sk_abi.h"

#define SK_VAULT_SLOTS 32u
#define SK_VAULT_KEY_MAX 64u
#define SK_VAULT_PUB_LEN 65u     /* SEC1 uncompressed P-256 point */
#define SK_VAULT_ED_PUB_LEN 32u  /* RFC 8032 §5.1.5 public key */
#define SK_VAULT_SIG_LEN 64u     /* ECDSA-P256 r || s; Ed25519 R || S */
#define SK_VAULT_MAC_LEN 32u
#define SK_VAULT_MSG_MAX VBS_SK_BUF_MAX

/* Fills buf with len unpredictable bytes; 0 on success, < 0 on failure. */
typedef int (*sk_entropy_fn)(void *buf, size_t len);

struct sk_vault_slot {
	uint32_t id;             /* 0 = empty */
	uint32_t kind;           /* enum vbs_sk_key_kind */
	uint32_t flags;          /* VBS_SK_VAULT_F_* */
	uint32_t key_len;
	char label[VBS_SK_LABEL_LEN];
	uint8_t key[SK_VAULT_KEY_MAX];
	uint8_t pub[SK_VAULT_PUB_LEN];
};

struct sk_vault {
	struct sk_vault_slot slot[SK_VAULT_SLOTS];
	uint32_t next_id;
	sk_entropy_fn entropy;
};

void sk_vault_init(struct sk_vault *v, sk_entropy_fn entropy);
uint32_t sk_vault_used(const struct sk_vault *v);
int sk_vault_create(struct sk_vault *v, uint32_t kind, const void *label,
		    size_t label_len, uint32_t *id);
int sk_vault_import(struct sk_vault *v, uint32_t kind, const void *label,
		    size_t label_len, const void *key, size_t key_len, uint32_t *id);
/* Up to max entries; *count = entries written. */
int sk_vault_list(const struct sk_vault *v, struct vbs_sk_vault_entry *out,
		  size_t max, uint32_t *count);
int sk_vault_delete(struct sk_vault *v, uint32_t id);
int sk_vault_pubkey(const struct sk_vault *v, uint32_t id, void *out, size_t cap,
		    size_t *len);
int sk_vault_mac(const struct sk_vault *v, uint32_t id, const void *msg,
		 size_t len, void *out, size_t cap);
int sk_vault_sign(const struct sk_vault *v, uint32_t id, const void *msg,
		  size_t len, void *out, size_t cap, size_t *sig_len);
/* out: nonce || ciphertext || tag, pt_len + 28 bytes. */
int sk_vault_wrap(const struct sk_vault *v, uint32_t id, const void *aad,
		  size_t aad_len, const void *pt, size_t pt_len, void *out,
		  size_t cap, size_t *out_len);
/* in: nonce || ciphertext || tag. Nothing is written to out unless the
 * tag verifies. */
int sk_vault_unwrap(const struct sk_vault *v, uint32_t id, const void *aad,
		    size_t aad_len, const void *in, size_t in_len, void *out,
		    size_t cap, size_t *out_len);

#endif
