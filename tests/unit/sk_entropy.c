// SPDX-License-Identifier: MIT
/*
 * Unit tests: sk/core/entropy_pool.c (VTL1's HMAC_DRBG pool) and
 * sk/arch/x86/entropy.c on the host CPU. The pool's output is checked
 * against an independent HMAC_DRBG (NIST SP 800-90A rev. 1 §10.1.2,
 * written here over OpenSSL's HMAC-SHA256): the seed is the CPU's bytes,
 * the TPM's bytes and the label, in that order, and every draw first
 * mixes in fresh CPU bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "arch/x86/entropy.h"
#include "core/entropy_pool.h"
#include "services/vault.h"
#include "vbs/sk_abi.h"

/* ---- reference HMAC_DRBG (SHA-256) ---- */

struct ref_drbg {
	uint8_t k[32], v[32];
};

static void ref_hmac(const uint8_t k[32], const uint8_t *a, size_t alen,
		     uint8_t sep, int with_sep, const uint8_t *b, size_t blen,
		     uint8_t out[32])
{
	uint8_t msg[512];
	size_t n = 0;
	unsigned int len = 32;

	assert_true(alen + 1 + blen <= sizeof(msg));
	memcpy(msg, a, alen);
	n = alen;
	if (with_sep)
		msg[n++] = sep;
	if (blen)
		memcpy(msg + n, b, blen);
	n += blen;
	assert_non_null(HMAC(EVP_sha256(), k, 32, msg, n, out, &len));
}

/* §10.1.2.2 HMAC_DRBG_Update */
static void ref_update(struct ref_drbg *d, const uint8_t *data, size_t len)
{
	ref_hmac(d->k, d->v, 32, 0x00, 1, data, len, d->k);
	ref_hmac(d->k, d->v, 32, 0, 0, NULL, 0, d->v);
	if (!len)
		return;
	ref_hmac(d->k, d->v, 32, 0x01, 1, data, len, d->k);
	ref_hmac(d->k, d->v, 32, 0, 0, NULL, 0, d->v);
}

/* §10.1.2.3 Instantiate: K = 0x00.., V = 0x01.., Update(seed material) */
static void ref_init(struct ref_drbg *d, const uint8_t *seed, size_t len)
{
	memset(d->k, 0, 32);
	memset(d->v, 1, 32);
	ref_update(d, seed, len);
}

/* §10.1.2.5 Generate, no additional input */
static void ref_generate(struct ref_drbg *d, uint8_t *out, size_t len)
{
	size_t n;

	while (len) {
		ref_hmac(d->k, d->v, 32, 0, 0, NULL, 0, d->v);
		n = len < 32 ? len : 32;
		memcpy(out, d->v, n);
		out += n;
		len -= n;
	}
	ref_update(d, NULL, 0);
}

/* ---- a CPU source under the test's control ---- */

static uint8_t fresh_byte;
static uint32_t fresh_used;
static int fresh_fail, fresh_calls;

static int test_fresh(void *buf, size_t len, uint32_t *used)
{
	size_t i;

	fresh_calls++;
	*used = 0;
	if (fresh_fail)
		return -1;
	if (!fresh_used)
		return 0;
	for (i = 0; i < len; i++)
		((uint8_t *)buf)[i] = (uint8_t)(fresh_byte + i);
	*used = fresh_used;
	return 0;
}

static uint8_t cpu_seed[32], tpm_seed[32];

static void fill(uint8_t *p, size_t n, uint8_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(start + 3 * i);
}

static int setup(void **state)
{
	(void)state;
	sk_pool_reset();
	fill(cpu_seed, sizeof(cpu_seed), 0x11);
	fill(tpm_seed, sizeof(tpm_seed), 0x80);
	fresh_byte = 0xc0;
	fresh_used = VBS_SK_ENTROPY_RDRAND;
	fresh_fail = 0;
	fresh_calls = 0;
	return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

static void test_no_source_no_pool(void **state)
{
	struct sk_pool_input in = { 0 };
	uint8_t out[16];

	(void)state;
	assert_int_equal(sk_pool_seed(&in, test_fresh), -1);
	assert_int_equal(sk_entropy_sources(), 0);
	memset(out, 0x77, sizeof(out));
	assert_int_equal(sk_pool_draw(out, sizeof(out)), -1);
	assert_int_equal(out[0], 0x77);
	/* Too few bytes from either source do not count either. */
	in = (struct sk_pool_input){ .tpm = tpm_seed, .tpm_len = 31,
		.cpu = cpu_seed, .cpu_len = 31,
		.cpu_sources = VBS_SK_ENTROPY_RDRAND };
	assert_int_equal(sk_pool_seed(&in, test_fresh), -1);
	assert_int_equal(sk_pool_draw(out, sizeof(out)), -1);
	/* CPU bytes with no source bit are not counted. */
	in = (struct sk_pool_input){ .cpu = cpu_seed, .cpu_len = 32 };
	assert_int_equal(sk_pool_seed(&in, test_fresh), -1);
}

/* Both sources: the exact HMAC_DRBG of cpu || tpm || label, fresh bytes
 * mixed in before each draw; the seed buffers are scrubbed. */
static void test_both_sources_known_answer(void **state)
{
	uint8_t seed[128], cpu[32], tpm[32], fresh[32], got[48], want[48];
	struct sk_pool_input in = { .tpm = tpm, .tpm_len = 32, .cpu = cpu,
		.cpu_len = 32, .cpu_sources = VBS_SK_ENTROPY_RDRAND };
	struct ref_drbg ref;
	size_t n = 0, i;

	(void)state;
	memcpy(cpu, cpu_seed, 32);
	memcpy(tpm, tpm_seed, 32);
	assert_int_equal(sk_pool_seed(&in, test_fresh), 0);
	assert_true(all_zero(cpu, 32));
	assert_true(all_zero(tpm, 32));
	assert_int_equal(sk_entropy_sources(),
			 VBS_SK_ENTROPY_TPM | VBS_SK_ENTROPY_RDRAND);

	memcpy(seed, cpu_seed, 32);
	memcpy(seed + 32, tpm_seed, 32);
	n = 64 + strlen(SK_POOL_LABEL);
	memcpy(seed + 64, SK_POOL_LABEL, strlen(SK_POOL_LABEL));
	ref_init(&ref, seed, n);
	for (i = 0; i < 3; i++) {
		fresh_byte = (uint8_t)(0xc0 + i);
		for (n = 0; n < 32; n++)
			fresh[n] = (uint8_t)(fresh_byte + n);
		ref_update(&ref, fresh, 32);
		ref_generate(&ref, want, sizeof(want));
		assert_int_equal(sk_pool_draw(got, sizeof(got)), 0);
		assert_memory_equal(got, want, sizeof(want));
	}
	assert_int_equal(fresh_calls, 3);
}

/* TPM alone (a CPU without RDSEED/RDRAND): seeded, no mixing per draw. */
static void test_tpm_only(void **state)
{
	uint8_t seed[96], tpm[32], got[32], want[32];
	struct sk_pool_input in = { .tpm = tpm, .tpm_len = 32 };
	struct ref_drbg ref;

	(void)state;
	memcpy(tpm, tpm_seed, 32);
	fresh_used = 0;        /* the CPU has neither instruction */
	assert_int_equal(sk_pool_seed(&in, test_fresh), 0);
	assert_int_equal(sk_entropy_sources(), VBS_SK_ENTROPY_TPM);
	memcpy(seed, tpm_seed, 32);
	memcpy(seed + 32, SK_POOL_LABEL, strlen(SK_POOL_LABEL));
	ref_init(&ref, seed, 32 + strlen(SK_POOL_LABEL));
	ref_generate(&ref, want, sizeof(want));
	assert_int_equal(sk_pool_draw(got, sizeof(got)), 0);
	assert_memory_equal(got, want, sizeof(want));
}

/* Each source changes the output: neither alone decides it. */
static void test_each_source_matters(void **state)
{
	uint8_t cpu[32], tpm[32], a[32], b[32], c[32], d[32];
	struct sk_pool_input in;

	(void)state;
#define SEED(tbyte, fbyte, out) do { \
		memcpy(cpu, cpu_seed, 32); memcpy(tpm, tpm_seed, 32); \
		tpm[5] ^= (tbyte); \
		in = (struct sk_pool_input){ .tpm = tpm, .tpm_len = 32, \
			.cpu = cpu, .cpu_len = 32, \
			.cpu_sources = VBS_SK_ENTROPY_RDSEED }; \
		assert_int_equal(sk_pool_seed(&in, test_fresh), 0); \
		fresh_byte = (fbyte); \
		assert_int_equal(sk_pool_draw(out, 32), 0); \
	} while (0)
	SEED(0, 0x10, a);
	SEED(0, 0x10, b);
	SEED(1, 0x10, c);       /* one TPM bit differs */
	SEED(0, 0x11, d);       /* the fresh CPU bytes differ */
#undef SEED
	assert_memory_equal(a, b, 32);
	assert_memory_not_equal(a, c, 32);
	assert_memory_not_equal(a, d, 32);
	assert_int_equal(sk_entropy_sources(),
			 VBS_SK_ENTROPY_TPM | VBS_SK_ENTROPY_RDSEED);
}

/* A CPU source that exists but fails: the draw fails, nothing written. */
static void test_fresh_failure(void **state)
{
	uint8_t cpu[32], out[16];
	struct sk_pool_input in = { .cpu = cpu, .cpu_len = 32,
		.cpu_sources = VBS_SK_ENTROPY_RDRAND };

	(void)state;
	memcpy(cpu, cpu_seed, 32);
	assert_int_equal(sk_pool_seed(&in, test_fresh), 0);
	assert_int_equal(sk_entropy_sources(), VBS_SK_ENTROPY_RDRAND);
	fresh_fail = 1;
	memset(out, 0x77, sizeof(out));
	assert_int_equal(sk_pool_draw(out, sizeof(out)), -1);
	assert_int_equal(out[0], 0x77);
	assert_int_equal(out[15], 0x77);
	fresh_fail = 0;
	assert_int_equal(sk_pool_draw(out, sizeof(out)), 0);
}

/* With no entropy at all the vault creates no key (VBS_SK_E_ENTROPY). */
static void test_vault_refuses_without_pool(void **state)
{
	static struct sk_vault v;
	uint32_t id = 0;
	uint8_t cpu[32];
	struct sk_pool_input in = { .cpu = cpu, .cpu_len = 32,
		.cpu_sources = VBS_SK_ENTROPY_RDRAND };

	(void)state;
	sk_vault_init(&v, sk_hw_entropy);
	assert_int_equal(sk_vault_create(&v, VBS_SK_KEY_HMAC_SHA256, "k", 1, &id),
			 VBS_SK_E_ENTROPY);
	assert_int_equal(sk_vault_create(&v, VBS_SK_KEY_ECDSA_P256, "k", 1, &id),
			 VBS_SK_E_ENTROPY);
	assert_int_equal(sk_vault_used(&v), 0);
	memcpy(cpu, cpu_seed, 32);
	assert_int_equal(sk_pool_seed(&in, test_fresh), 0);
	assert_int_equal(sk_vault_create(&v, VBS_SK_KEY_HMAC_SHA256, "k", 1, &id),
			 VBS_SK_OK);
	assert_int_equal(sk_vault_used(&v), 1);
}

/* The host CPU's RDSEED/RDRAND through sk_cpu_entropy, then the pool
 * seeded from it the way sk_main does with no TPM. */
static void test_host_cpu(void **state)
{
	uint8_t a[40], b[40];
	uint32_t used = 0;
	struct sk_pool_input in = { .cpu = a, .cpu_len = 32 };

	(void)state;
	memset(a, 0, sizeof(a));
	assert_int_equal(sk_cpu_entropy(a, sizeof(a), &used), 0);
	if (!sk_hw_entropy_present()) {
		assert_int_equal(used, 0);
		assert_true(all_zero(a, sizeof(a)));
		skip();
	}
	assert_true(used & (VBS_SK_ENTROPY_RDSEED | VBS_SK_ENTROPY_RDRAND));
	assert_int_equal(used & ~(VBS_SK_ENTROPY_RDSEED | VBS_SK_ENTROPY_RDRAND), 0);
	assert_int_equal(sk_cpu_entropy(b, sizeof(b), &used), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	in.cpu_sources = used;
	assert_int_equal(sk_pool_seed(&in, sk_cpu_entropy), 0);
	assert_int_equal(sk_entropy_sources(), used);
	assert_int_equal(sk_hw_entropy(a, 7), 0);
	assert_int_equal(sk_hw_entropy(b, 7), 0);
	assert_memory_not_equal(a, b, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_source_no_pool, setup),
		cmocka_unit_test_setup(test_both_sources_known_answer, setup),
		cmocka_unit_test_setup(test_tpm_only, setup),
		cmocka_unit_test_setup(test_each_source_matters, setup),
		cmocka_unit_test_setup(test_fresh_failure, setup),
		cmocka_unit_test_setup(test_vault_refuses_without_pool, setup),
		cmocka_unit_test_setup(test_host_cpu, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
