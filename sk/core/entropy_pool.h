/* SPDX-License-Identifier: MIT */
/*
 * VTL1's entropy pool (docs/secure-kernel.md "Entropy"): an HMAC_DRBG
 * (NIST SP 800-90A rev. 1 §10.1.2, SHA-256; BearSSL's br_hmac_drbg)
 * instantiated at boot from the TPM's bytes and the CPU's (RDSEED /
 * RDRAND), each delivered source counted only with at least
 * SK_POOL_MIN_SEED bytes; with none, nothing is drawn. Every later draw
 * first mixes in fresh CPU output where the CPU has RDSEED / RDRAND
 * (Update with it as additional input, §10.1.2.2), so neither source
 * alone decides the output. Pure: the CPU source is a callback. Not
 * thread-safe: the caller locks (in sk, draws happen under the
 * dispatcher's lock, or on CPU 0 at boot).
 */
#ifndef SK_CORE_ENTROPY_POOL_H
#define SK_CORE_ENTROPY_POOL_H

#include <stddef.h>
#include <stdint.h>

#define SK_POOL_MIN_SEED 32u     /* bytes a source must give to count */
#define SK_POOL_FRESH 32u        /* CPU bytes mixed in per draw */
/* Personalization string, after the entropy input (domain separation). */
#define SK_POOL_LABEL "OpenVBS VTL1 entropy pool 1"

/* Fills buf with CPU entropy: 0 and *used = the VBS_SK_ENTROPY_* bits of
 * the instructions that delivered (0 when the CPU has none: buf is then
 * untouched), or -1 when an instruction the CPU has kept failing. */
typedef int (*sk_cpu_entropy_fn)(void *buf, size_t len, uint32_t *used);

/* The boot material; sk_pool_seed scrubs tpm and cpu. */
struct sk_pool_input {
	uint8_t *tpm;
	size_t tpm_len;          /* 0: no TPM bytes */
	uint8_t *cpu;
	size_t cpu_len;          /* 0: no CPU bytes */
	uint32_t cpu_sources;    /* VBS_SK_ENTROPY_RDSEED / _RDRAND */
};

/* Instantiates the pool: 0, or -1 when no source gave enough (the pool
 * then refuses every draw). fresh may be NULL (no mixing per draw). */
int sk_pool_seed(struct sk_pool_input *in, sk_cpu_entropy_fn fresh);
/* len bytes from the pool: 0, or -1 (not seeded, or the CPU source
 * failed: then nothing is written). */
int sk_pool_draw(void *buf, size_t len);
/* VBS_SK_ENTROPY_* of the sources that seeded the pool; 0 before. */
uint32_t sk_entropy_sources(void);
/* Forgets the pool (scrubbed): for tests. */
void sk_pool_reset(void);

#endif
