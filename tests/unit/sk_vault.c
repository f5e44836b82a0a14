// SPDX-License-Identifier: MIT
/*
 * Unit tests: sk/services/vault.c (BearSSL inside) and
 * sk/arch/x86/entropy.c on the host CPU. ECDSA signatures are checked
 * with OpenSSL's libcrypto, an independent implementation (host only).
 */
#define OPENSSL_API_COMPAT 0x10101000L /* EC_KEY, ECDSA_do_verify */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/sha.h>

#include "arch/x86/entropy.h"
#include "core/entropy_pool.h"
#include "services/vault.h"

static struct sk_vault vault;

/* Deterministic "entropy" for known-answer tests: repeats fixed[]. */
static uint8_t fixed[64];
static size_t fixed_len;
static int fail_entropy;

static int test_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t i;

	if (fail_entropy)
		return -1;
	for (i = 0; i < len; i++)
		p[i] = fixed[i % fixed_len];
	return 0;
}

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;
	unsigned int b;

	while (h[0] && h[1] && sscanf(h, "%2x", &b) == 1) {
		out[n++] = (uint8_t)b;
		h += 2;
	}
	return n;
}

/* sk_hw_entropy draws from VTL1's pool: seed it from this CPU's
 * RDSEED/RDRAND as sk_main does on a machine without a TPM (nothing to
 * seed from when the CPU has neither: the pool then refuses). */
static int seed_pool_from_cpu(void **state)
{
	uint8_t seed[SK_POOL_MIN_SEED];
	struct sk_pool_input in = { .cpu = seed, .cpu_len = sizeof(seed) };

	(void)state;
	if (sk_cpu_entropy(seed, sizeof(seed), &in.cpu_sources) == 0 &&
	    in.cpu_sources)
		sk_pool_seed(&in, sk_cpu_entropy);
	return 0;
}

static int setup_hw(void **state)
{
	(void)state;
	sk_vault_init(&vault, sk_hw_entropy);
	return 0;
}

static int setup_fixed(void **state)
{
	(void)state;
	fail_entropy = 0;
	fixed_len = unhex("cafebabefacedbaddecaf888", fixed);
	sk_vault_init(&vault, test_entropy);
	return 0;
}

/* 1 if any 8-byte run of key occurs in buf. */
static int contains_key(const void *buf, size_t len, const uint8_t *key, size_t klen)
{
	const uint8_t *b = buf;
	size_t i, j;

	for (j = 0; j + 8 <= klen; j++)
		for (i = 0; i + 8 <= len; i++)
			if (memcmp(b + i, key + j, 8) == 0)
				return 1;
	return 0;
}

static const struct sk_vault_slot *slot_of(uint32_t id)
{
	uint32_t i;

	for (i = 0; i < SK_VAULT_SLOTS; i++)
		if (vault.slot[i].id == id)
			return &vault.slot[i];
	return NULL;
}

/* ---- entropy on this CPU ---- */

static void test_hw_entropy(void **state)
{
	uint8_t a[32] = { 0 }, b[32] = { 0 }, zero[32] = { 0 }, ones[32];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	if (!sk_hw_entropy_present()) {
		assert_int_equal(sk_hw_entropy(a, sizeof(a)), -1);
		skip();
	}
	assert_int_equal(sk_hw_entropy(a, sizeof(a)), 0);
	assert_int_equal(sk_hw_entropy(b, 5), 0);
	assert_int_equal(sk_hw_entropy(b + 5, sizeof(b) - 5), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_memory_not_equal(a, ones, sizeof(a));
}

/* ---- HMAC-SHA256: RFC 4231 §4.2, §4.3, §4.5 ---- */

static void hmac_case(const char *key_hex, const void *data, size_t len,
		      const char *mac_hex)
{
	uint8_t key[64], want[32], mac[32];
	size_t klen = unhex(key_hex, key);
	uint32_t id;

	unhex(mac_hex, want);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_HMAC_SHA256, "rfc4231", 7,
					 key, klen, &id), VBS_SK_OK);
	assert_int_equal(sk_vault_mac(&vault, id, data, len, mac, sizeof(mac)), VBS_SK_OK);
	assert_memory_equal(mac, want, 32);
	assert_int_equal(sk_vault_delete(&vault, id), VBS_SK_OK);
}

static void test_hmac_rfc4231(void **state)
{
	uint8_t cd[50];

	(void)state;
	hmac_case("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", 8,
		  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	hmac_case("4a656665", "what do ya want for nothing?", 28,
		  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	memset(cd, 0xcd, sizeof(cd));
	hmac_case("0102030405060708090a0b0c0d0e0f10111213141516171819", cd, sizeof(cd),
		  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

static void test_hmac_created_keys_differ(void **state)
{
	uint8_t m1[32], m2[32];
	uint32_t a, b;

	(void)state;
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "a", 1, &a), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "b", 1, &b), 0);
	assert_int_not_equal(a, b);
	assert_int_equal(sk_vault_mac(&vault, a, "x", 1, m1, 32), 0);
	assert_int_equal(sk_vault_mac(&vault, b, "x", 1, m2, 32), 0);
	assert_memory_not_equal(m1, m2, 32);
	assert_memory_not_equal(slot_of(a)->key, slot_of(b)->key, 32);
}

/* ---- ECDSA-P256 ---- */

static int openssl_verify(const uint8_t pub[65], const void *msg, size_t len,
			  const uint8_t sig[64])
{
	EC_KEY *k = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	EC_POINT *pt = EC_POINT_new(EC_KEY_get0_group(k));
	ECDSA_SIG *s = ECDSA_SIG_new();
	uint8_t hash[32];
	int ok;

	assert_int_equal(EC_POINT_oct2point(EC_KEY_get0_group(k), pt, pub, 65, NULL), 1);
	assert_int_equal(EC_KEY_set_public_key(k, pt), 1);
	ECDSA_SIG_set0(s, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL));
	SHA256(msg, len, hash);
	ok = ECDSA_do_verify(hash, 32, s, k);
	ECDSA_SIG_free(s);
	EC_POINT_free(pt);
	EC_KEY_free(k);
	return ok;
}

static void test_ecdsa_created_verifies_with_openssl(void **state)
{
	uint8_t pub[80], sig[64], msg[1000];
	size_t plen, slen;
	uint32_t id;

	(void)state;
	memset(msg, 'm', sizeof(msg));
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ECDSA_P256, "signer", 6, &id), 0);
	assert_int_equal(sk_vault_pubkey(&vault, id, pub, sizeof(pub), &plen), 0);
	assert_int_equal(plen, 65);
	assert_int_equal(pub[0], 0x04);
	assert_int_equal(sk_vault_sign(&vault, id, msg, sizeof(msg), sig, sizeof(sig), &slen), 0);
	assert_int_equal(slen, 64);
	assert_int_equal(openssl_verify(pub, msg, sizeof(msg), sig), 1);
	/* a changed message or signature does not verify */
	msg[500] ^= 1;
	assert_int_not_equal(openssl_verify(pub, msg, sizeof(msg), sig), 1);
	msg[500] ^= 1;
	sig[10] ^= 0x80;
	assert_int_not_equal(openssl_verify(pub, msg, sizeof(msg), sig), 1);
	/* the empty message is signable */
	assert_int_equal(sk_vault_sign(&vault, id, NULL, 0, sig, sizeof(sig), &slen), 0);
	assert_int_equal(openssl_verify(pub, "", 0, sig), 1);
}

/* RFC 6979 §A.2.5: P-256 key, SHA-256, message "sample": BearSSL's
 * deterministic nonces give exactly the published signature. */
static void test_ecdsa_rfc6979(void **state)
{
	uint8_t x[32], pub[65], want_pub[65], sig[64], want_sig[64];
	size_t plen, slen;
	uint32_t id;

	(void)state;
	unhex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", x);
	want_pub[0] = 4;
	unhex("60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
	      "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
	      want_pub + 1);
	unhex("efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
	      "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
	      want_sig);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, x, 32, &id), 0);
	assert_int_equal(sk_vault_pubkey(&vault, id, pub, sizeof(pub), &plen), 0);
	assert_memory_equal(pub, want_pub, 65);
	assert_int_equal(sk_vault_sign(&vault, id, "sample", 6, sig, sizeof(sig), &slen), 0);
	assert_memory_equal(sig, want_sig, 64);
	assert_int_equal(openssl_verify(pub, "sample", 6, sig), 1);
}

static void test_ecdsa_bad_scalars(void **state)
{
	uint8_t k[32];
	uint32_t id;

	(void)state;
	memset(k, 0, 32);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, k, 32, &id),
			 VBS_SK_E_RANGE);
	/* n itself, and n + 1..., and all ones */
	unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", k);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, k, 32, &id),
			 VBS_SK_E_RANGE);
	memset(k, 0xff, 32);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, k, 32, &id),
			 VBS_SK_E_RANGE);
	/* n - 1 is the largest valid key */
	unhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550", k);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, k, 32, &id),
			 VBS_SK_OK);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, k, 31, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_used(&vault), 1);
}

/* ---- Ed25519: RFC 8032 §7.1 TEST 1 and TEST 2; verification of
 * created keys with OpenSSL's EVP Ed25519 ---- */

static int openssl_ed_verify(const uint8_t pub[32], const void *msg, size_t len,
			     const uint8_t sig[64])
{
	EVP_PKEY *k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok;

	assert_non_null(k);
	assert_int_equal(EVP_DigestVerifyInit(c, NULL, NULL, NULL, k), 1);
	ok = EVP_DigestVerify(c, sig, 64, msg, len);
	EVP_MD_CTX_free(c);
	EVP_PKEY_free(k);
	return ok;
}

static void ed_case(const char *seed_hex, const char *pub_hex, const char *msg_hex,
		    const char *sig_hex)
{
	uint8_t seed[32], pub[32], msg[8], sig[64], got_pub[40], got_sig[64];
	size_t mlen = unhex(msg_hex, msg), len;
	uint32_t id;

	unhex(seed_hex, seed);
	unhex(pub_hex, pub);
	unhex(sig_hex, sig);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ED25519, "rfc8032", 7, seed, 32,
					 &id), 0);
	assert_int_equal(sk_vault_pubkey(&vault, id, got_pub, sizeof(got_pub), &len), 0);
	assert_int_equal(len, 32);
	assert_memory_equal(got_pub, pub, 32);
	assert_int_equal(sk_vault_sign(&vault, id, msg, mlen, got_sig, sizeof(got_sig), &len), 0);
	assert_int_equal(len, 64);
	assert_memory_equal(got_sig, sig, 64);
	assert_int_equal(openssl_ed_verify(pub, msg, mlen, got_sig), 1);
}

static void test_ed25519_rfc8032(void **state)
{
	(void)state;
	ed_case("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	ed_case("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

static void test_ed25519_created_verifies_with_openssl(void **state)
{
	uint8_t pub[32], pub2[32], sig[64], msg[300];
	size_t len;
	uint32_t id, id2;

	(void)state;
	memset(msg, 'e', sizeof(msg));
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ED25519, "ed", 2, &id), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ED25519, "ed2", 3, &id2), 0);
	assert_int_equal(sk_vault_pubkey(&vault, id, pub, sizeof(pub), &len), 0);
	assert_int_equal(sk_vault_pubkey(&vault, id2, pub2, sizeof(pub2), &len), 0);
	assert_memory_not_equal(pub, pub2, 32);
	assert_int_equal(sk_vault_sign(&vault, id, msg, sizeof(msg), sig, sizeof(sig), &len), 0);
	assert_int_equal(openssl_ed_verify(pub, msg, sizeof(msg), sig), 1);
	assert_int_not_equal(openssl_ed_verify(pub2, msg, sizeof(msg), sig), 1);
	msg[0] ^= 1;
	assert_int_not_equal(openssl_ed_verify(pub, msg, sizeof(msg), sig), 1);
	/* wrong lengths and outputs */
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ED25519, "", 0, msg, 31, &id2),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_ED25519, "", 0, msg, 64, &id2),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_pubkey(&vault, id, pub, 31, &len), VBS_SK_E_SMALL);
	assert_int_equal(sk_vault_sign(&vault, id, msg, 1, sig, 63, &len), VBS_SK_E_SMALL);
	assert_int_equal(sk_vault_mac(&vault, id, msg, 1, sig, 64), VBS_SK_E_KIND);
}

/* ---- AES-256-GCM: GCM specification (McGrew, Viega; as submitted to
 * NIST for SP 800-38D) Test Case 16: 256-bit key, 96-bit IV, AAD ---- */

static const char *tc16_key = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char *tc16_pt = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char *tc16_aad = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char *tc16_iv_ct_tag = "cafebabefacedbaddecaf888"
	"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
	"76fc6ece0f4e1768cddf8853bb2d551b";

static void test_gcm_known_answer(void **state)
{
	uint8_t key[32], pt[60], aad[20], want[88], out[100];
	size_t plen, alen, wlen, olen;
	uint32_t id;

	(void)state;
	unhex(tc16_key, key);
	plen = unhex(tc16_pt, pt);
	alen = unhex(tc16_aad, aad);
	wlen = unhex(tc16_iv_ct_tag, want);
	assert_int_equal(wlen, 12 + 60 + 16);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_AES256_GCM, "tc16", 4, key, 32,
					 &id), 0);
	/* wrap: the nonce comes from the entropy callback = the vector's IV */
	assert_int_equal(sk_vault_wrap(&vault, id, aad, alen, pt, plen, out, sizeof(out),
				       &olen), 0);
	assert_int_equal(olen, wlen);
	assert_memory_equal(out, want, wlen);
	/* unwrap the published ciphertext */
	memset(out, 0, sizeof(out));
	assert_int_equal(sk_vault_unwrap(&vault, id, aad, alen, want, wlen, out, sizeof(out),
					 &olen), 0);
	assert_int_equal(olen, plen);
	assert_memory_equal(out, pt, plen);
}

static void test_gcm_roundtrip_and_tamper(void **state)
{
	uint8_t pt[1000], blob[1100], out[1100], aad[7] = "context";
	size_t blen, olen, i;
	uint32_t id;
	const size_t spots[] = { 0, 11, 12, 500, 1011, 1012, 1027 };

	(void)state;
	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 7);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "w", 1, &id), 0);
	assert_int_equal(sk_vault_wrap(&vault, id, aad, 7, pt, sizeof(pt), blob, sizeof(blob),
				       &blen), 0);
	assert_int_equal(blen, sizeof(pt) + 28);
	assert_int_equal(sk_vault_unwrap(&vault, id, aad, 7, blob, blen, out, sizeof(out),
					 &olen), 0);
	assert_int_equal(olen, sizeof(pt));
	assert_memory_equal(out, pt, sizeof(pt));
	/* any flipped bit (nonce, ciphertext, tag) or other AAD: refused,
	 * and nothing is written to the output */
	for (i = 0; i < sizeof(spots) / sizeof(spots[0]); i++) {
		blob[spots[i]] ^= 0x01;
		memset(out, 0x77, sizeof(out));
		assert_int_equal(sk_vault_unwrap(&vault, id, aad, 7, blob, blen, out,
						 sizeof(out), &olen), VBS_SK_E_AUTH);
		assert_int_equal(out[0], 0x77);
		assert_int_equal(out[999], 0x77);
		blob[spots[i]] ^= 0x01;
	}
	aad[0] ^= 0x20;
	assert_int_equal(sk_vault_unwrap(&vault, id, aad, 7, blob, blen, out, sizeof(out),
					 &olen), VBS_SK_E_AUTH);
	assert_int_equal(sk_vault_unwrap(&vault, id, NULL, 0, blob, blen, out, sizeof(out),
					 &olen), VBS_SK_E_AUTH);
	/* another key cannot open it */
	aad[0] ^= 0x20;
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "x", 1, &id), 0);
	assert_int_equal(sk_vault_unwrap(&vault, id, aad, 7, blob, blen, out, sizeof(out),
					 &olen), VBS_SK_E_AUTH);
}

/* ---- list, delete, exhaustion, lengths ---- */

static void test_list_never_exposes_keys(void **state)
{
	struct vbs_sk_vault_entry list[SK_VAULT_SLOTS];
	uint32_t ids[4], n, i;

	(void)state;
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "mac", 3, &ids[0]), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ECDSA_P256, "sig", 3, &ids[1]), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "aes", 3, &ids[2]), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ED25519, "ed", 2, &ids[3]), 0);
	memset(list, 0x55, sizeof(list));
	assert_int_equal(sk_vault_list(&vault, list, SK_VAULT_SLOTS, &n), 0);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++) {
		const struct sk_vault_slot *s = slot_of(ids[i]);

		assert_int_equal(list[i].id, ids[i]);
		assert_int_equal(list[i].kind, s->kind);
		assert_int_equal(list[i].flags, 0);
		assert_false(contains_key(list, sizeof(list), s->key, s->key_len));
	}
	assert_string_equal(list[1].label, "sig");
	/* the scan itself can find a key: sanity of the test */
	memcpy(&list[5], slot_of(ids[0])->key, 32);
	assert_true(contains_key(list, sizeof(list), slot_of(ids[0])->key, 32));
	/* max limits the output */
	assert_int_equal(sk_vault_list(&vault, list, 2, &n), 0);
	assert_int_equal(n, 2);
}

static void test_delete_scrubs(void **state)
{
	uint8_t key[32], mac[32];
	uint32_t id, id2;

	(void)state;
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "gone", 4, &id), 0);
	memcpy(key, slot_of(id)->key, 32);
	assert_true(contains_key(&vault, sizeof(vault), key, 32));
	assert_int_equal(sk_vault_delete(&vault, id), VBS_SK_OK);
	assert_false(contains_key(&vault, sizeof(vault), key, 32));
	assert_int_equal(sk_vault_delete(&vault, id), VBS_SK_E_NOENT);
	assert_int_equal(sk_vault_mac(&vault, id, "x", 1, mac, 32), VBS_SK_E_NOENT);
	assert_int_equal(sk_vault_delete(&vault, 0), VBS_SK_E_NOENT);
	/* the same for an Ed25519 and an ECDSA key */
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ED25519, "ed", 2, &id), 0);
	memcpy(key, slot_of(id)->key, 32);
	assert_int_equal(sk_vault_delete(&vault, id), VBS_SK_OK);
	assert_false(contains_key(&vault, sizeof(vault), key, 32));
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ECDSA_P256, "ec", 2, &id), 0);
	memcpy(key, slot_of(id)->key, 32);
	assert_int_equal(sk_vault_delete(&vault, id), VBS_SK_OK);
	assert_false(contains_key(&vault, sizeof(vault), key, 32));
	/* ids are not reused */
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "new", 3, &id2), 0);
	assert_true(id2 > id);
}

static void test_slot_exhaustion(void **state)
{
	uint32_t id, first = 0, i;

	(void)state;
	for (i = 0; i < SK_VAULT_SLOTS; i++) {
		assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "k", 1, &id), 0);
		if (i == 0)
			first = id;
	}
	assert_int_equal(sk_vault_used(&vault), SK_VAULT_SLOTS);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "k", 1, &id),
			 VBS_SK_E_NOSPACE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_HMAC_SHA256, "k", 1, "abc", 3, &id),
			 VBS_SK_E_NOSPACE);
	assert_int_equal(sk_vault_delete(&vault, first), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "k", 1, &id), 0);
}

static void test_bad_arguments(void **state)
{
	uint8_t key[65] = { 1 }, buf[256], small[10];
	const char *label32 = "0123456789abcdef0123456789abcdef";
	size_t len;
	uint32_t hm, ec, aes, id;

	(void)state;
	assert_int_equal(sk_vault_create(&vault, 0, "", 0, &id), VBS_SK_E_KIND);
	assert_int_equal(sk_vault_create(&vault, 99, "", 0, &id), VBS_SK_E_KIND);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, label32, 32, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "a\nb", 3, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, NULL, 3, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_HMAC_SHA256, "", 0, key, 0, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_HMAC_SHA256, "", 0, key, 65, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_AES256_GCM, "", 0, key, 31, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_AES256_GCM, "", 0, key, 33, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_AES256_GCM, "", 0, NULL, 32, &id),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_used(&vault), 0);

	assert_int_equal(sk_vault_import(&vault, VBS_SK_KEY_HMAC_SHA256, label32, 31, key, 64,
					 &hm), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, &ec), 0);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "", 0, &aes), 0);
	/* wrong kind for the operation */
	assert_int_equal(sk_vault_mac(&vault, aes, "x", 1, buf, 32), VBS_SK_E_KIND);
	assert_int_equal(sk_vault_sign(&vault, hm, "x", 1, buf, 64, &len), VBS_SK_E_KIND);
	assert_int_equal(sk_vault_pubkey(&vault, aes, buf, 65, &len), VBS_SK_E_KIND);
	assert_int_equal(sk_vault_wrap(&vault, ec, NULL, 0, "x", 1, buf, 64, &len),
			 VBS_SK_E_KIND);
	/* outputs too small */
	assert_int_equal(sk_vault_mac(&vault, hm, "x", 1, small, sizeof(small)), VBS_SK_E_SMALL);
	assert_int_equal(sk_vault_sign(&vault, ec, "x", 1, buf, 63, &len), VBS_SK_E_SMALL);
	assert_int_equal(sk_vault_pubkey(&vault, ec, buf, 64, &len), VBS_SK_E_SMALL);
	assert_int_equal(sk_vault_wrap(&vault, aes, NULL, 0, buf, 100, buf + 100, 127, &len),
			 VBS_SK_E_SMALL);
	assert_int_equal(sk_vault_wrap(&vault, aes, NULL, 0, buf, 0, small, sizeof(small),
				       &len), VBS_SK_E_SMALL);
	/* huge inputs */
	assert_int_equal(sk_vault_mac(&vault, hm, buf, SK_VAULT_MSG_MAX + 1, buf, 32),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_sign(&vault, ec, buf, SIZE_MAX, buf, 64, &len),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_wrap(&vault, aes, buf, SIZE_MAX, buf, 1, buf, 64, &len),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_wrap(&vault, aes, NULL, 0, buf, SIZE_MAX - 10, buf, SIZE_MAX,
				       &len), VBS_SK_E_RANGE);
	/* unwrap shorter than nonce + tag */
	assert_int_equal(sk_vault_unwrap(&vault, aes, NULL, 0, buf, 27, buf + 100, 100, &len),
			 VBS_SK_E_RANGE);
	assert_int_equal(sk_vault_unwrap(&vault, aes, NULL, 0, buf, 60, buf + 100, 31, &len),
			 VBS_SK_E_SMALL);
}

static void test_entropy_failure(void **state)
{
	uint8_t buf[64];
	size_t len;
	uint32_t id, aes;

	(void)state;
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_AES256_GCM, "", 0, &aes), 0);
	fail_entropy = 1;
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_HMAC_SHA256, "", 0, &id),
			 VBS_SK_E_ENTROPY);
	assert_int_equal(sk_vault_create(&vault, VBS_SK_KEY_ECDSA_P256, "", 0, &id),
			 VBS_SK_E_ENTROPY);
	assert_int_equal(sk_vault_wrap(&vault, aes, NULL, 0, "x", 1, buf, sizeof(buf), &len),
			 VBS_SK_E_ENTROPY);
	fail_entropy = 0;
	assert_int_equal(sk_vault_used(&vault), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hw_entropy),
		cmocka_unit_test_setup(test_hmac_rfc4231, setup_hw),
		cmocka_unit_test_setup(test_hmac_created_keys_differ, setup_hw),
		cmocka_unit_test_setup(test_ecdsa_created_verifies_with_openssl, setup_hw),
		cmocka_unit_test_setup(test_ecdsa_rfc6979, setup_hw),
		cmocka_unit_test_setup(test_ecdsa_bad_scalars, setup_hw),
		cmocka_unit_test_setup(test_ed25519_rfc8032, setup_hw),
		cmocka_unit_test_setup(test_ed25519_created_verifies_with_openssl, setup_hw),
		cmocka_unit_test_setup(test_gcm_known_answer, setup_fixed),
		cmocka_unit_test_setup(test_gcm_roundtrip_and_tamper, setup_hw),
		cmocka_unit_test_setup(test_list_never_exposes_keys, setup_hw),
		cmocka_unit_test_setup(test_delete_scrubs, setup_hw),
		cmocka_unit_test_setup(test_slot_exhaustion, setup_hw),
		cmocka_unit_test_setup(test_bad_arguments, setup_hw),
		cmocka_unit_test_setup(test_entropy_failure, setup_fixed),
	};

	return cmocka_run_group_tests(tests, seed_pool_from_cpu, NULL);
}
