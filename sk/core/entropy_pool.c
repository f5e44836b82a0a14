// SPDX-License-Identifier: MIT
/*
 * VTL1's entropy pool (sk/core/entropy_pool.h). Seed material, in order:
 * the CPU's bytes, the TPM's bytes, a label (SP 800-90A §10.1.2.3
 * Instantiate: entropy_input || nonce || personalization_string; BearSSL's
 * br_hmac_drbg_init takes their concatenation). HMAC_DRBG needs at least
 * 32 bytes of entropy for SHA-256's 256-bit strength (§10.1, Table 2):
 * each source that counts gives that much on its own.
 */
#include "core/entropy_pool.h"

#include "bearssl/bearssl.h"

#include "core/scrub.h"
#include "vbs/sk_abi.h"

#define SEED_MAX 160u

static br_hmac_drbg_context pool_drbg;
static sk_cpu_entropy_fn pool_fresh;
static uint32_t pool_sources;
static int pool_seeded;

static size_t append(uint8_t *dst, size_t at, const uint8_t *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && at + i < SEED_MAX; i++)
		dst[at + i] = src[i];
	return at + i;
}

int sk_pool_seed(struct sk_pool_input *in, sk_cpu_entropy_fn fresh)
{
	uint8_t seed[SEED_MAX];
	uint32_t sources = 0;
	size_t n = 0;

	sk_pool_reset();
	if (in->cpu && in->cpu_len >= SK_POOL_MIN_SEED && in->cpu_sources) {
		n = append(seed, n, in->cpu, in->cpu_len);
		sources |= in->cpu_sources &
			   (VBS_SK_ENTROPY_RDSEED | VBS_SK_ENTROPY_RDRAND);
	}
	if (in->tpm && in->tpm_len >= SK_POOL_MIN_SEED) {
		n = append(seed, n, in->tpm, in->tpm_len);
		sources |= VBS_SK_ENTROPY_TPM;
	}
	n = append(seed, n, (const uint8_t *)SK_POOL_LABEL,
		   sizeof(SK_POOL_LABEL) - 1);
	if (in->tpm)
		sk_scrub(in->tpm, in->tpm_len);
	if (in->cpu)
		sk_scrub(in->cpu, in->cpu_len);
	if (sources) {
		br_hmac_drbg_init(&pool_drbg, &br_sha256_vtable, seed, n);
		pool_fresh = fresh;
		pool_sources = sources;
		pool_seeded = 1;
	}
	sk_scrub(seed, sizeof(seed));
	return pool_seeded ? 0 : -1;
}

int sk_pool_draw(void *buf, size_t len)
{
	uint8_t fresh[SK_POOL_FRESH];
	uint32_t used = 0;

	if (!pool_seeded)
		return -1;
	if (pool_fresh) {
		if (pool_fresh(fresh, sizeof(fresh), &used) != 0) {
			sk_scrub(fresh, sizeof(fresh));
			return -1;
		}
		if (used)
			br_hmac_drbg_update(&pool_drbg, fresh, sizeof(fresh));
		sk_scrub(fresh, sizeof(fresh));
	}
	br_hmac_drbg_generate(&pool_drbg, buf, len);
	return 0;
}

uint32_t sk_entropy_sources(void)
{
	return pool_seeded ? pool_sources : 0;
}

void sk_pool_reset(void)
{
	sk_scrub(&pool_drbg, sizeof(pool_drbg));
	pool_fresh = 0;
	pool_sources = 0;
	pool_seeded = 0;
}
