// SPDX-License-Identifier: MIT
/*
 * sk_main: the secure kernel's initialisation, called by sk_start
 * (arch/x86/start.S) on CPU 0 when the hypervisor first enters VTL1
 * (docs/secure-kernel.md "Entry").
 *
 * It gathers entropy (the TPM's TPM2_GetRandom, RDSEED/RDRAND: before
 * VTL0 has run, so nothing else drives the TPM), sets up the boot CPU's
 * per-CPU block (canary from that entropy, FS base), seeds the entropy
 * pool, then the heap over the region after the image, the event log and
 * the vault. It must not call BearSSL before FS base is set.
 */
#include "arch/x86/entropy.h"
#include "arch/x86/tpm_crb.h"
#include "base/reloc.h"
#include "core/alloc.h"
#include "core/entropy_pool.h"
#include "core/evlog.h"
#include "core/scrub.h"
#include "core/sk.h"
#include "services/vault.h"

#define MSR_FS_BASE 0xc0000100u  /* APM2 §4.5.3 "Segment Registers in
				  * 64-Bit Mode": FS.base is this MSR */
#define SK_LOG_ENTRIES 1024u
#define CANARY_LEN 8u
#define SEED_LEN SK_POOL_MIN_SEED

/* Boot entropy: per source, CANARY_LEN bytes for the canary, then
 * SEED_LEN for the pool (the canary shares no byte with the seed). */
struct boot_entropy {
	uint8_t tpm[CANARY_LEN + SEED_LEN];
	uint8_t cpu[CANARY_LEN + SEED_LEN];
	struct sk_tpm_result tpm_res;
	uint32_t cpu_sources;    /* VBS_SK_ENTROPY_RDSEED / _RDRAND */
	int tpm_ok;
};

extern char __image_base[], __image_end[], __rela_start[], __rela_end[];
extern const struct vbs_sk_header sk_header;

static struct sk_percpu sk_cpus[SK_MAX_CPUS] __attribute__((aligned(64)));
static uint64_t sk_canary;
static struct vbs_sk_event sk_log_ring[SK_LOG_ENTRIES];

struct sk_heap sk_heap;
struct sk_evlog sk_log;
struct sk_vault sk_vault;

/* The image's own relocations (lib/base/reloc.c), from sk_start on CPU 0. */
int sk_relocate(uint64_t base)
{
	return vbs_pie_relocate(base, (const uint64_t *)__rela_start,
				(const uint64_t *)__rela_end);
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			     "d"((uint32_t)(v >> 32)));
}

/* Points this CPU's FS base at its per-CPU block: from then on BearSSL
 * may run on it. The hypervisor keeps VTL0's FS base in VTL0's context. */
int sk_percpu_enter(uint32_t cpu)
{
	struct sk_percpu *pc;

	if (cpu >= SK_MAX_CPUS || sk_canary == 0)
		return -1;
	pc = &sk_cpus[cpu];
	pc->self = (uint64_t)(uintptr_t)pc;
	pc->cpu = cpu;
	pc->canary = sk_canary;
	wrmsr(MSR_FS_BASE, pc->self);
	return 0;
}

static int params_ok(const struct vbs_sk_params *p, uint64_t base)
{
	uint64_t need = sk_header.mem_size + sk_header.heap_size;

	return p && p->version == VBS_SK_PARAMS_VERSION && p->flags == 0 &&
	       p->reserved == 0 && p->region_base == base &&
	       p->region_size >= need && p->cpu_count >= 1 &&
	       p->cpu_count <= SK_MAX_CPUS && p->hidden_size >= p->region_size &&
	       p->map_top > base;
}

/* Both sources, before anything else: no BearSSL here (FS base unset). */
static void entropy_gather(struct boot_entropy *e)
{
	e->tpm_ok = sk_tpm_boot_random(e->tpm, sizeof(e->tpm), &e->tpm_res) ==
		    SK_TPM_OK;
	if (sk_cpu_entropy(e->cpu, sizeof(e->cpu), &e->cpu_sources) != 0)
		e->cpu_sources = 0;
}

/* The canary: the XOR of both sources' first bytes (either alone when
 * the other gave nothing); 0 when neither did. */
static uint64_t entropy_canary(const struct boot_entropy *e)
{
	uint64_t c = 0;
	unsigned int i;

	for (i = 0; i < CANARY_LEN; i++) {
		if (e->tpm_ok)
			c ^= (uint64_t)e->tpm[i] << (8 * i);
		if (e->cpu_sources)
			c ^= (uint64_t)e->cpu[i] << (8 * i);
	}
	return c;
}

static size_t text_put(char *dst, size_t at, size_t cap, const char *src)
{
	while (*src && at + 1 < cap)
		dst[at++] = *src++;
	dst[at] = 0;
	return at;
}

/* "TPM 40 bytes, RDRAND" and the like (at most 31 characters). */
static void entropy_text(const struct boot_entropy *e, char *t, size_t cap)
{
	char num[4] = { (char)('0' + sizeof(e->tpm) / 10 % 10),
			(char)('0' + sizeof(e->tpm) % 10), 0, 0 };
	int st = e->tpm_res.status;
	size_t n;

	_Static_assert(sizeof(e->tpm) < 100, "two digits");
	if (st == SK_TPM_OK)
		n = text_put(t, text_put(t, text_put(t, 0, cap, "TPM "), cap,
					 num), cap, " bytes");
	else
		n = text_put(t, 0, cap, st == SK_TPM_ABSENT ? "no TPM" :
				 st == SK_TPM_NOT_CRB ? "TPM not CRB" :
				 "TPM failed");
	n = text_put(t, n, cap, ", ");
	if ((e->cpu_sources & VBS_SK_ENTROPY_RDSEED) &&
	    (e->cpu_sources & VBS_SK_ENTROPY_RDRAND))
		text_put(t, n, cap, "RDSEED/RDRAND");
	else if (e->cpu_sources & VBS_SK_ENTROPY_RDSEED)
		text_put(t, n, cap, "RDSEED");
	else if (e->cpu_sources & VBS_SK_ENTROPY_RDRAND)
		text_put(t, n, cap, "RDRAND");
	else
		text_put(t, n, cap, "no RDSEED/RDRAND");
}

/* After FS base: the pool from the seed bytes of both sources (scrubbed
 * by sk_pool_seed). */
static int entropy_seed(struct boot_entropy *e)
{
	struct sk_pool_input in = {
		.tpm = e->tpm + CANARY_LEN, .tpm_len = e->tpm_ok ? SEED_LEN : 0,
		.cpu = e->cpu + CANARY_LEN,
		.cpu_len = e->cpu_sources ? SEED_LEN : 0,
		.cpu_sources = e->cpu_sources,
	};
	int rc = sk_pool_seed(&in, sk_cpu_entropy);

	sk_scrub(e->tpm, sizeof(e->tpm));
	sk_scrub(e->cpu, sizeof(e->cpu));
	return rc;
}

/* The boot's INFO event ("entropy: TPM 40 bytes, RDRAND"; code = the TPM
 * status, arg = the sources), and the TPM's failure if any. */
static void entropy_log(const struct boot_entropy *e)
{
	char text[VBS_SK_EV_DETAIL_LEN];

	entropy_text(e, text, sizeof(text));
	sk_evlog_add(&sk_log, VBS_SK_EV_INFO, e->tpm_res.status,
		     SK_TPM_LOC0_BASE, sk_entropy_sources(), "entropy", text);
	if (e->tpm_res.status < 0)
		sk_evlog_add(&sk_log, VBS_SK_EV_INFO, e->tpm_res.status,
			     SK_TPM_LOC0_BASE, e->tpm_res.tpm_rc, "entropy",
			     "TPM2_GetRandom failed");
}

int64_t sk_main(const struct vbs_sk_params *p)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_base;
	struct boot_entropy e;

	if (!params_ok(p, base))
		return VBS_SK_E_MALFORMED;
	entropy_gather(&e);
	sk_canary = entropy_canary(&e);
	/* The canary's low byte 0 stops string overflows at it (as glibc). */
	sk_canary &= ~0xffull;
	if (sk_canary == 0 || sk_percpu_enter(0) != 0 || entropy_seed(&e) != 0) {
		sk_scrub(&e, sizeof(e));
		return VBS_SK_E_ENTROPY;
	}
	if (sk_heap_init(&sk_heap, (void *)(uintptr_t)(base + sk_header.mem_size),
			 sk_header.heap_size) != SK_ALLOC_OK)
		return VBS_SK_E_RANGE;
	sk_evlog_init(&sk_log, sk_log_ring, SK_LOG_ENTRIES);
	sk_vault_init(&sk_vault, sk_hw_entropy);
	sk_evlog_add(&sk_log, VBS_SK_EV_INFO, 0, 0, SK_VERSION, "sk",
		     "secure kernel initialised");
	entropy_log(&e);
	return VBS_SK_OK;
}
