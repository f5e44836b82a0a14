// SPDX-License-Identifier: MIT
/*
 * VTL1's entropy (docs/secure-kernel.md "Entropy"): the CPU's RDSEED /
 * RDRAND, the TPM's TPM2_GetRandom (sk/arch/x86/tpm_crb.c), and the pool
 * both seed (sk/core/entropy_pool.c), which is what the vault draws from.
 *
 * Presence: CPUID.01H:ECX[30] RDRAND, CPUID.(EAX=07H,ECX=0):EBX[18]
 * RDSEED (SDM2 "CPUID", APM3 "CPUID Fn0000_0001_ECX" / "Fn0000_0007").
 * Both set CF=1 when the value is valid (SDM2 "RDRAND", "RDSEED"). Retry
 * limits: 10 for RDRAND, as the Intel DRNG Software Implementation Guide
 * §5.2.1 recommends ("failure after 10 retries is a hardware problem");
 * RDSEED draws from the conditioner and may legitimately run dry, so it
 * gets 100 tries with PAUSE in between (§5.3.1) before falling back to
 * RDRAND. A value of all ones with CF=1 is refused too: some AMD parts
 * return it after resume while claiming success (Linux
 * arch/x86/kernel/cpu/rdrand.c checks the same way at boot).
 */
#include "arch/x86/entropy.h"

#include <stdint.h>

#include "core/entropy_pool.h"
#include "vbs/sk_abi.h"

#define RDRAND_RETRIES 10
#define RDSEED_RETRIES 100

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(sub));
}

static int has_rdrand(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return (r[2] >> 30) & 1;
}

static int has_rdseed(void)
{
	uint32_t r[4];

	cpuid(0, 0, r);
	if (r[0] < 7)
		return 0;
	cpuid(7, 0, r);
	return (r[1] >> 18) & 1;
}

static int rdrand64(uint64_t *v)
{
	uint8_t ok;
	int i;

	for (i = 0; i < RDRAND_RETRIES; i++) {
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok && *v != ~0ull)
			return 0;
	}
	return -1;
}

static int rdseed64(uint64_t *v)
{
	uint8_t ok;
	int i;

	for (i = 0; i < RDSEED_RETRIES; i++) {
		__asm__ __volatile__("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok && *v != ~0ull)
			return 0;
		__asm__ __volatile__("pause");
	}
	return -1;
}

int sk_hw_entropy_present(void)
{
	return has_rdseed() || has_rdrand();
}

/* sk_cpu_entropy_fn (core/entropy_pool.h): RDSEED per 8 bytes when
 * present, else or when it runs dry RDRAND. */
int sk_cpu_entropy(void *buf, size_t len, uint32_t *used)
{
	int seed = has_rdseed(), rand = has_rdrand();
	uint8_t *p = buf;
	uint64_t v = 0;
	size_t i, n;
	int rc = 0;

	*used = 0;
	if (!seed && !rand)
		return 0;
	while (len) {
		if (seed && rdseed64(&v) == 0) {
			*used |= VBS_SK_ENTROPY_RDSEED;
		} else if (rand && rdrand64(&v) == 0) {
			*used |= VBS_SK_ENTROPY_RDRAND;
		} else {
			rc = -1;
			break;
		}
		n = len < 8 ? len : 8;
		for (i = 0; i < n; i++)
			p[i] = (uint8_t)(v >> (8 * i));
		p += n;
		len -= n;
	}
	v = 0;
	__asm__ __volatile__("" : : "r"(v) : "memory");
	if (rc)
		*used = 0;
	return rc;
}

/* The vault's callback: the pool, with fresh CPU output mixed in. */
int sk_hw_entropy(void *buf, size_t len)
{
	return sk_pool_draw(buf, len);
}
