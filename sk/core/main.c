// SPDX-License-Identifier: MIT
/*
 * sk_main: the secure kernel's initialisation, called by sk_start
 * (arch/x86/start.S) on CPU 0 when the hypervisor first enters VTL1
 * (docs/secure-kernel.md "Entry").
 *
 * It sets up the heap over the region after the image, every CPU's
 * stacks (each with a guard page below it) and the boot CPU's exception
 * handling (GDT, TSS with #DF and #PF stacks, IDT: core/trap.c),
 * gathers entropy (the TPM's TPM2_GetRandom, RDSEED/RDRAND: before VTL0
 * has run, so nothing else drives the TPM), sets up the boot CPU's
 * per-CPU block (canary from that entropy, FS base), seeds the entropy
 * pool, then the event log and the vault, and last the secure kernel's
 * own page tables (core/paging.c: W^X for the image, the stacks' guard
 * pages unmapped, checked by walking the loaded tables). It must not call
 * BearSSL before FS base is set. sk_enter then moves each CPU from the
 * hypervisor's boot stack to its own call stack.
 */
#include "arch/x86/entropy.h"
#include "arch/x86/tpm_crb.h"
#include "base/reloc.h"
#include "core/alloc.h"
#include "core/entropy_pool.h"
#include "core/evlog.h"
#include "core/paging.h"
#include "core/scrub.h"
#include "core/sk.h"
#include "core/trap.h"
#include "services/vault.h"

#define MSR_FS_BASE 0xc0000100u  /* APM2 §4.5.3 "Segment Registers in
				  * 64-Bit Mode": FS.base is this MSR */
#define SK_LOG_ENTRIES 1024u
#define CANARY_LEN 8u
#define SEED_LEN SK_POOL_MIN_SEED
#define CR0_WP (1ull << 16)      /* APM2 §3.1.1 "CR0 Register": ring 0
				  * honours read-only pages */

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
extern char __text_end[], __rodata_end[];
extern const struct vbs_sk_header sk_header;
extern const uint64_t sk_trap_stubs[SK_TRAP_VECTORS];
void sk_load_descriptors(const void *gdtr, const void *idtr);
typedef void (*sk_serve_fn)(uint32_t cpu, int64_t status,
			    const struct vbs_sk_params *p);
__attribute__((noreturn)) void sk_serve(uint32_t cpu, int64_t status,
					const struct vbs_sk_params *p);
__attribute__((noreturn)) void sk_run_on_stack(uint32_t cpu, int64_t status,
					       const struct vbs_sk_params *p,
					       uint64_t top, sk_serve_fn fn);
__attribute__((noreturn)) void sk_enter(uint32_t cpu, int64_t status,
					const struct vbs_sk_params *p);
uint64_t sk_trap_fault(const uint64_t *frame, uint64_t cr2,
		       struct sk_trap_info *t);

_Static_assert(SK_MAX_CPUS <= SK_STACK_CPUS_MAX, "struct sk_stacks");

/* APM2 §4.6.2: the operand of LGDT and LIDT. */
struct pseudo_desc {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The IDT, shared by all CPUs: written once on CPU 0 while the
 * hypervisor's boot tables map the image writable, read-only from then on
 * (it lies in .data.rel.ro, before __rodata_end: sk.lds). */
static uint64_t sk_idt[2 * SK_IDT_ENTRIES]
	__attribute__((section(".data.rel.ro.sk_idt"), aligned(4096)));
static struct sk_cpu_desc sk_desc[SK_MAX_CPUS];
static struct sk_stacks sk_stacks; /* every CPU's stacks, from the heap */
static uint32_t sk_ncpus;
static uint64_t sk_cr3;          /* the secure kernel's tables (CPU 0) */

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

static uint64_t read_cr0(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
	return v;
}

static uint64_t read_cr3(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
	return v;
}

uint64_t sk_cpu_stack_top(uint32_t cpu, enum sk_stack_kind k)
{
	return sk_stack_top(&sk_stacks, cpu, k);
}

/* From the exception stubs (arch/x86/idt.S): the report's registers, and
 * RDI = whether the #PF was a stack overflow (core/trap.h SK_FAULT_*). */
uint64_t sk_trap_fault(const uint64_t *frame, uint64_t cr2,
		       struct sk_trap_info *t)
{
	sk_trap_decode(frame, cr2, t);
	return sk_trap_fault_flags(t, &sk_stacks);
}

/* This CPU's GDT and TSS (IST1 = its #DF stack, IST2 = its #PF stack)
 * and the shared IDT. */
static int cpu_traps_enter(uint32_t cpu)
{
	struct sk_cpu_desc *d;
	struct pseudo_desc gdtr, idtr;
	uint64_t df = sk_cpu_stack_top(cpu, SK_STACK_DF);
	uint64_t pf = sk_cpu_stack_top(cpu, SK_STACK_PF);

	if (!df || !pf || cpu >= sk_ncpus || cpu >= SK_MAX_CPUS)
		return -1;
	d = &sk_desc[cpu];
	sk_cpu_desc_fill(d, df, pf);
	gdtr.limit = sizeof(d->gdt) - 1;
	gdtr.base = (uint64_t)(uintptr_t)d->gdt;
	idtr.limit = sizeof(sk_idt) - 1;
	idtr.base = (uint64_t)(uintptr_t)sk_idt;
	sk_load_descriptors(&gdtr, &idtr);
	return 0;
}

/* CR0.WP (the hypervisor starts VTL1 with it; set it if not) and the
 * secure kernel's tables in CR3 on this CPU. */
static int cpu_paging_enter(void)
{
	uint64_t cr0 = read_cr0();

	if (!sk_cr3)
		return -1;
	if (!(cr0 & CR0_WP))
		__asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0 | CR0_WP));
	__asm__ __volatile__("mov %0, %%cr3" : : "r"(sk_cr3) : "memory");
	return (read_cr3() & SK_PT_ADDR) == sk_cr3 && (read_cr0() & CR0_WP) ?
	       0 : -1;
}

/*
 * Points this CPU's FS base at its per-CPU block: from then on BearSSL
 * may run on it. The hypervisor keeps VTL0's FS base in VTL0's context.
 * The other CPUs (after CPU 0's sk_main) also load the descriptor tables
 * and the page tables CPU 0 made.
 */
int sk_percpu_enter(uint32_t cpu)
{
	struct sk_percpu *pc;

	if (cpu >= SK_MAX_CPUS || sk_canary == 0)
		return -1;
	if (cpu != 0 && (cpu_traps_enter(cpu) || cpu_paging_enter()))
		return VBS_SK_E_FAULT;
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

/*
 * Every CPU's stacks (call, intercept, #DF, #PF; core/paging.h struct
 * sk_stacks), page aligned from the heap, each with a guard page below it
 * that paging_setup leaves unmapped. Why sk's own stacks rather than the
 * hypervisor's boot stacks with gaps: the boot stacks are adjacent in the
 * boot area (hv/arch/x86/svm/vtl.c) and laid out by another component;
 * here one allocation, one layout function (also used by the page-table
 * builder, the W^X check and the fault report) and no change to the
 * entry ABI. Each CPU runs on its boot stack only through its start
 * (sk_main / sk_percpu_enter: fixed code, no input from VTL0), then
 * sk_enter moves it to its call stack for good.
 */
static int stacks_setup(uint32_t ncpus)
{
	uint8_t *mem = sk_alloc(&sk_heap, sk_stacks_size(ncpus) + SK_PAGE);

	if (!mem)
		return -1;
	sk_stacks.base = ((uint64_t)(uintptr_t)mem + SK_PAGE - 1) &
			 ~(SK_PAGE - 1);
	sk_stacks.ncpus = ncpus;
	return 0;
}

/* The stacks and the IDT, then CPU 0's descriptor tables. */
static int traps_setup(const struct vbs_sk_params *p)
{
	sk_ncpus = p->cpu_count;
	if (stacks_setup(p->cpu_count))
		return -1;
	sk_idt_fill(sk_idt, sk_trap_stubs);
	return cpu_traps_enter(0);
}

/* A decimal number. */
static size_t num_put(char *t, size_t at, size_t cap, uint64_t v)
{
	char num[24];
	size_t n = sizeof(num) - 1;

	num[n] = 0;
	do {
		num[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n);
	return text_put(t, at, cap, num + n);
}

/* "<n>K<unit>" for the page-table event. */
static size_t kib_put(char *t, size_t at, size_t cap, uint64_t bytes,
		      const char *unit)
{
	return text_put(t, text_put(t, num_put(t, at, cap, bytes >> 10), cap,
				    "K"), cap, unit);
}

/* The INFO event: "W^X: 88K RX, 40K R, 912K RW"; source = the tables'
 * root, arg = executable bytes in the whole address space. */
static void paging_log(uint64_t root, const struct sk_wx_report *r)
{
	char t[VBS_SK_EV_DETAIL_LEN];
	size_t n;

	n = kib_put(t, text_put(t, 0, sizeof(t), "W^X: "), sizeof(t), r->code,
		    " RX, ");
	n = kib_put(t, n, sizeof(t), r->rodata, " R, ");
	kib_put(t, n, sizeof(t), r->data, " RW");
	sk_evlog_add(&sk_log, VBS_SK_EV_INFO, 0, root, r->exec_total, "paging",
		     t);
}

/* The INFO event: "guards: 8, 4 per CPU"; source = the stacks' base, arg
 * = guard pages the walk found not present. */
static void stacks_log(const struct sk_wx_report *r)
{
	char t[VBS_SK_EV_DETAIL_LEN];
	size_t n;

	n = num_put(t, text_put(t, 0, sizeof(t), "guards: "), sizeof(t),
		    r->guards);
	n = num_put(t, text_put(t, n, sizeof(t), ", "), sizeof(t),
		    SK_STACK_KINDS);
	text_put(t, n, sizeof(t), " per CPU");
	sk_evlog_add(&sk_log, VBS_SK_EV_INFO, 0, sk_stacks.base, r->guards,
		     "stacks", t);
}

/*
 * The secure kernel's own page tables (core/paging.c), after the
 * relocations (they wrote .data.rel.ro and the GOT, read-only from now
 * on): [0, map_top) in 2 MiB pages RW NX, the 2 MiB pages of the image
 * and its heap split by section (code RX, read-only data R, data, bss and
 * heap RW) with the stacks' guard pages unmapped, the TPM's 2 MiB page
 * uncached. The tables come from the heap: their number
 * depends on map_top (one page directory per GiB), and the heap lies in
 * the region hidden from VTL0. Loaded on CPU 0, then walked from CR3.
 */
static int64_t paging_setup(const struct vbs_sk_params *p, uint64_t base)
{
	uint64_t text_end = (uint64_t)(uintptr_t)__text_end;
	uint64_t ro_end = (uint64_t)(uintptr_t)__rodata_end;
	uint64_t image_end = (uint64_t)(uintptr_t)__image_end, root = 0;
	const struct sk_pt_range ranges[2] = {
		{ base, text_end, SK_PT_EXEC },
		{ text_end, ro_end, SK_PT_READ },
	};
	struct sk_pt_layout l = {
		.map_top = p->map_top, .split_start = base,
		.split_end = (image_end + sk_header.heap_size + SK_2M - 1) &
			     ~(SK_2M - 1),
		.ranges = ranges, .nranges = 2, .uc_addr = SK_TPM_LOC0_BASE,
		.stacks = &sk_stacks,
	};
	struct sk_wx_expect ex = { base, text_end, ro_end, image_end,
				   &sk_stacks };
	uint32_t pages = sk_pt_pages_needed(&l);
	struct sk_wx_report r;
	struct sk_pt_pool pool;
	uint8_t *mem;

	if (!pages)
		return VBS_SK_E_FAULT;
	mem = sk_alloc(&sk_heap, ((size_t)pages + 1) * SK_PAGE);
	if (!mem)
		return VBS_SK_E_FAULT;
	pool.base = (uint8_t *)(((uintptr_t)mem + SK_PAGE - 1) &
				~(uintptr_t)(SK_PAGE - 1));
	pool.npages = pages;
	pool.used = 0;
	if (sk_pt_build(&l, &pool, &root) != SK_PT_OK)
		return VBS_SK_E_FAULT;
	sk_cr3 = root;
	if (cpu_paging_enter() ||
	    sk_pt_verify(read_cr3() & SK_PT_ADDR, &ex, &r) != SK_WX_OK)
		return VBS_SK_E_FAULT;
	paging_log(root, &r);
	stacks_log(&r);
	return VBS_SK_OK;
}

#ifdef SK_TEST_FAULT
/*
 * Test images only (sk/sk.mk build/sk/test/, tests/integration/
 * vtl1-fault.sh): one exception the secure kernel's IDT must report.
 * 1: a byte written into its own code, which its page tables map
 * read-only (#PF, error code 3); 2: #UD with RSP on read-only data and
 * this CPU's #PF stack (IST2) pointed at read-only data too, so the #UD
 * frame cannot be pushed (#PF), nor that one's: #DF, on IST1; 3 (in
 * sk_enter, on CPU 0's call stack): a recursion that runs off the call
 * stack into its guard page (#PF, error code 2, on IST2, reported as a
 * stack overflow). The shipped sk.bin has none: nothing VTL0 sends can
 * cause them.
 */
static void test_fault(uint64_t base)
{
	uint64_t ro = (uint64_t)(uintptr_t)__text_end + SK_PAGE;

	if (SK_TEST_FAULT == 1) {
		*(volatile uint8_t *)(uintptr_t)(base + 0x100) = 0x90;
	} else if (SK_TEST_FAULT == 2) {
		sk_desc[0].tss.ist[SK_PF_IST - 1] = ro;
		__asm__ volatile("mov %0, %%rsp; ud2" : : "r"(ro) : "memory");
	}
}

/* 256 bytes and a return address per level, the frame's address passed
 * down so that no level can be folded into a loop. */
static __attribute__((noinline)) uint64_t
test_recurse(uint64_t depth, volatile uint8_t *up)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (up)
		up[1] = frame[0];
	if (depth >= (1ull << 20))
		return frame[0];
	return test_recurse(depth + 1, frame) + frame[1];
}

static void test_overflow_serve(uint32_t cpu, int64_t status,
				const struct vbs_sk_params *p)
{
	if (SK_TEST_FAULT == 3 && cpu == 0 && status == VBS_SK_OK)
		test_recurse(0, 0);
	sk_serve(cpu, status, p);
}
#endif

int64_t sk_main(const struct vbs_sk_params *p)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_base;
	struct boot_entropy e;
	int64_t rc;

	if (!params_ok(p, base))
		return VBS_SK_E_MALFORMED;
	if (sk_heap_init(&sk_heap, (void *)(uintptr_t)(base + sk_header.mem_size),
			 sk_header.heap_size) != SK_ALLOC_OK)
		return VBS_SK_E_RANGE;
	if (traps_setup(p))
		return VBS_SK_E_FAULT;
	entropy_gather(&e);
	sk_canary = entropy_canary(&e);
	/* The canary's low byte 0 stops string overflows at it (as glibc). */
	sk_canary &= ~0xffull;
	if (sk_canary == 0 || sk_percpu_enter(0) != 0 || entropy_seed(&e) != 0) {
		sk_scrub(&e, sizeof(e));
		return VBS_SK_E_ENTROPY;
	}
	sk_evlog_init(&sk_log, sk_log_ring, SK_LOG_ENTRIES);
	sk_vault_init(&sk_vault, sk_hw_entropy);
	sk_evlog_add(&sk_log, VBS_SK_EV_INFO, 0, 0, SK_VERSION, "sk",
		     "secure kernel initialised");
	entropy_log(&e);
	rc = paging_setup(p, base);
#ifdef SK_TEST_FAULT
	if (rc == VBS_SK_OK)
		test_fault(base); /* 1 and 2 do not come back */
#endif
	return rc;
}

/*
 * From sk_start on every CPU once its start is over (status): onto this
 * CPU's call stack (guard page below it), then sk_serve for ever. A start
 * that failed before the stacks existed reports on the boot stack.
 */
void sk_enter(uint32_t cpu, int64_t status, const struct vbs_sk_params *p)
{
	uint64_t top = sk_cpu_stack_top(cpu, SK_STACK_CALL);

	if (!top)
		sk_serve(cpu, status, p);
#ifdef SK_TEST_FAULT
	sk_run_on_stack(cpu, status, p, top, test_overflow_serve);
#else
	sk_run_on_stack(cpu, status, p, top, sk_serve);
#endif
}
