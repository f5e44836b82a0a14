// SPDX-License-Identifier: MIT
/*
 * sk_main: the secure kernel's initialisation, called by sk_start
 * (arch/x86/start.S) on CPU 0 when the hypervisor first enters VTL1
 * (docs/secure-kernel.md "Entry").
 *
 * It sets up the boot CPU's per-CPU block (canary from RDSEED/RDRAND, FS
 * base), the heap over the region after the image, the event log and the
 * vault. It must not call BearSSL before FS base is set.
 */
#include "arch/x86/entropy.h"
#include "base/reloc.h"
#include "core/alloc.h"
#include "core/evlog.h"
#include "core/sk.h"
#include "services/vault.h"

#define MSR_FS_BASE 0xc0000100u  /* APM2 §4.5.3 "Segment Registers in
				  * 64-Bit Mode": FS.base is this MSR */
#define SK_LOG_ENTRIES 1024u

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

int64_t sk_main(const struct vbs_sk_params *p)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_base;

	if (!params_ok(p, base))
		return VBS_SK_E_MALFORMED;
	if (sk_hw_entropy(&sk_canary, sizeof(sk_canary)) != 0 || sk_canary == 0)
		return VBS_SK_E_ENTROPY;
	/* The canary's low byte 0 stops string overflows at it (as glibc). */
	sk_canary &= ~0xffull;
	if (sk_canary == 0 || sk_percpu_enter(0) != 0)
		return VBS_SK_E_ENTROPY;
	if (sk_heap_init(&sk_heap, (void *)(uintptr_t)(base + sk_header.mem_size),
			 sk_header.heap_size) != SK_ALLOC_OK)
		return VBS_SK_E_RANGE;
	sk_evlog_init(&sk_log, sk_log_ring, SK_LOG_ENTRIES);
	sk_vault_init(&sk_vault, sk_hw_entropy);
	sk_evlog_add(&sk_log, VBS_SK_EV_INFO, 0, 0, SK_VERSION, "sk",
		     "secure kernel initialised");
	return VBS_SK_OK;
}
