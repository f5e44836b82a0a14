// SPDX-License-Identifier: MIT
/*
 * Virtual trust levels (docs/hypervisor.md "VTL1"): per CPU a VTL0 and a
 * VTL1 context — own VMCB (own ASID, own nested page tables), own
 * general-purpose and x87/SSE registers — and the switch between them.
 *
 * VTL1 runs the secure kernel (sk.bin, include/vbs/sk_image.h), which the
 * loader verified, measured and placed. Its view (hv_vtl1.npt) is all of
 * guest memory read/write but never executable, its own image executable,
 * the hypervisor hidden; VTL0's view (hv_npt) hides the whole secure
 * kernel region behind the zero page. On each CPU VTL1 runs first, from the
 * image's entry, until its first VTL_RETURN; afterwards a VTL_CALL from
 * VTL0 resumes VTL1 after that VTL_RETURN with the request's address,
 * and VTL1's next VTL_RETURN completes the call. A physical interrupt while
 * VTL1 serves a call (INTR intercept, VTL1 only) switches back to VTL0
 * without completing its VMMCALL: VTL0 takes the interrupt, executes the
 * VMMCALL again, and VTL1 continues where it was (the call is restarted,
 * never lost). Hyper-V TLFS "Virtual Secure Mode": VTL call / VTL return.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"
#include "vbs/sk_image.h"

#define PT_P (1ull << 0)
#define PT_RW (1ull << 1)
#define PT_PS (1ull << 7)
#define PT_NX (1ull << 63)
#define VTL1_STACK_PAGES 4
#define VTL1_MAP_MAX (64ull << 30) /* VTL1's own page tables map RAM below */
#define VTL1_NPT_SPARE 16
#define VTL1_ASID 2
#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

struct hv_vtl1 hv_vtl1;
static struct npt_pool vtl1_npt_pool;

/* The boot area after the secure kernel's image and heap
 * (VBS_SK_BOOT_AREA): page 0 GDT + TSS + params, then page tables, then
 * one stack per CPU. */
static struct hv_bump vtl1_area;

static uint64_t area_pages(uint64_t n)
{
	return hv_bump_pages(&vtl1_area, n);
}

static uint64_t *pt(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

/* VTL1's first page tables (it may build its own later): identity of RAM
 * below min(top, 64 GiB) in 2 MiB pages, read/write, no-execute, except
 * the 2 MiB pages holding the secure kernel's image. APM2 §5.3. The 2 MiB
 * page holding the TPM's locality-0 registers (0xFED40000, the TCG PTP's
 * fixed address; sk/arch/x86/tpm_crb.h), which sk reads at boot, is
 * uncacheable: PCD|PWT select PAT entry 3, UC in VTL1's default gPAT
 * (APM2 §7.8 "Page-Attribute Table Mechanism"). top is at least 4 GiB,
 * so that page is always mapped. */
static int vtl1_page_tables(uint64_t top, uint64_t image_end)
{
	const uint64_t pt_pwt = 1ull << 3, pt_pcd = 1ull << 4;
	const uint64_t tpm_2m = 0xfed40000ull & ~((2ull << 20) - 1);
	uint64_t pml4 = area_pages(1), pdpt = area_pages(1), pd = 0, a, e;

	if (!pml4 || !pdpt)
		return -1;
	pt(pml4)[0] = pdpt | PT_P | PT_RW;
	if (top > VTL1_MAP_MAX)
		top = VTL1_MAP_MAX;
	for (a = 0; a < top; a += 2ull << 20) {
		if (a % (1ull << 30) == 0) {
			pd = area_pages(1);
			if (!pd)
				return -1;
			pt(pdpt)[a >> 30] = pd | PT_P | PT_RW;
		}
		e = a | PT_P | PT_RW | PT_PS;
		if (a + (2ull << 20) <= hv_vtl1.base || a >= image_end)
			e |= PT_NX;
		if (a == tpm_2m)
			e |= pt_pcd | pt_pwt;
		pt(pd)[(a >> 21) & 511] = e;
	}
	hv_vtl1.cr3 = pml4;
	return 0;
}

/* VTL1's boot GDT: null, 64-bit code, data, 64-bit TSS (APM2 §4.8); the
 * TSS is empty and one for all CPUs. It only serves until the secure
 * kernel has relocated itself: then each CPU loads sk's own GDT, TSS (IST1
 * = a per-CPU #DF stack) and IDT with the same selectors (sk/core/trap.c;
 * exceptions are reported with VBS_HC_VTL1_FAULT, exits/vtl.c). */
static void vtl1_gdt(uint64_t page)
{
	uint64_t *gdt = pt(page), tss = page + 0x80, limit = 0x67;

	gdt[0] = 0;
	gdt[1] = 0x00209a0000000000ull;
	gdt[2] = 0x00cf92000000ffffull;
	gdt[3] = (limit & 0xffff) | (tss & 0xffffff) << 16 | 0x89ull << 40 |
		 ((tss >> 24) & 0xff) << 56;
	gdt[4] = tss >> 32;
	hv_vtl1.gdt = page;
	hv_vtl1.tss = tss;
}

/* VTL1's nested page tables: all of [0, hv_phys_top) read/write, never
 * executable, the hypervisor hidden, the secure kernel's image
 * executable. MMIO below 4 GiB is included, so the TPM's registers at
 * 0xFED40000 reach the device; their memory type is VTL1's (the NPT's
 * is write-back and UC in the guest wins: APM2 §15.25.8 "Combining
 * Memory Types, MTRRs"). */
static int vtl1_npt(void)
{
	uint64_t pages = 4 + hv_phys_top / (1ull << 30) +
			 hv_region.size / (2ull << 20) + 4 + VTL1_NPT_SPARE, a;

	vtl1_npt_pool.base = hv_alloc_pages(pages);
	vtl1_npt_pool.npages = (uint32_t)pages;
	hv_vtl1.npt.pool = &vtl1_npt_pool;
	hv_vtl1.npt.zero_page = hv_npt.zero_page;
	if (!vtl1_npt_pool.base ||
	    npt_build_identity_as(&hv_vtl1.npt, hv_phys_top, hv_npt_1g,
				  NPT_PERM_RW))
		return -1;
	for (a = hv_region.base; a < hv_region.base + hv_region.size; a += HV_PAGE)
		if (npt_set_perm(&hv_vtl1.npt, a, NPT_PERM_HIDDEN))
			return -1;
	for (a = hv_vtl1.base; a < hv_vtl1.image_end; a += HV_PAGE)
		if (npt_set_perm(&hv_vtl1.npt, a, NPT_PERM_RWX))
			return -1;
	return 0;
}

/* The secure kernel's header, by offset (include/vbs/sk_image.h). */
static int vtl1_header(uint64_t base, uint64_t size)
{
	const uint8_t *h = (const uint8_t *)(uintptr_t)base;
	uint64_t entry = *(const uint64_t *)(h + 0x10);
	uint64_t mem = *(const uint64_t *)(h + 0x20);
	uint64_t heap = *(const uint64_t *)(h + 0x28);

	if (memcmp(h, VBS_SK_MAGIC, 8) || mem > size || heap > size ||
	    mem + heap + VBS_SK_BOOT_AREA > size || entry >= mem)
		return -1;
	hv_vtl1.entry = base + entry;
	hv_vtl1.image_end = base + mem;
	hv_vtl1.sk_size = mem + heap;
	return 0;
}

/*
 * At boot, before the CPUs are prepared: check the secure kernel's region,
 * hide it from VTL0, build VTL1's nested page tables and its boot area.
 * 0 (also when there is no secure kernel), or -1 (logged).
 */
int vtl_setup(const struct vbs_hv_params *p, uint32_t ncpus)
{
	uint64_t a, params;
	struct vbs_sk_params *sp;

	if (!p->sk_base)
		return 0;
	if ((p->sk_base & ((2ull << 20) - 1)) || (p->sk_size & (HV_PAGE - 1)) ||
	    p->sk_base + p->sk_size > (1ull << 32) ||
	    vtl1_header(p->sk_base, p->sk_size)) {
		hv_log(0, "secure kernel region %lx+%lx unusable: no VTL1",
		       p->sk_base, p->sk_size);
		return 0;
	}
	hv_vtl1.base = p->sk_base;
	hv_vtl1.size = p->sk_size;
	for (a = hv_vtl1.base; a < hv_vtl1.base + hv_vtl1.size; a += HV_PAGE)
		if (npt_set_perm(&hv_npt, a, NPT_PERM_HIDDEN))
			return -1;
	hv_bump_init(&vtl1_area, hv_vtl1.base + hv_vtl1.size - VBS_SK_BOOT_AREA,
		     VBS_SK_BOOT_AREA);
	params = area_pages(1);
	if (!params || vtl1_page_tables(hv_phys_top, hv_vtl1.image_end) ||
	    vtl1_npt())
		return -1;
	vtl1_gdt(params);
	sp = (struct vbs_sk_params *)(uintptr_t)(params + 0x100);
	sp->version = VBS_SK_PARAMS_VERSION;
	sp->region_base = hv_vtl1.base;
	sp->region_size = hv_vtl1.sk_size;
	sp->cpu_count = ncpus;
	sp->map_top = hv_phys_top < VTL1_MAP_MAX ? hv_phys_top : VTL1_MAP_MAX;
	sp->hidden_size = hv_vtl1.size;
	sp->hv_base = hv_region.base;
	sp->hv_size = hv_region.size;
	hv_vtl1.params = params + 0x100;
	hv_vtl1.stacks = area_pages((uint64_t)ncpus * VTL1_STACK_PAGES);
	if (!hv_vtl1.stacks) {
		hv_log(0, "secure kernel boot area too small for %u CPUs", ncpus);
		return -1;
	}
	hv_vtl1.present = true;
	hv_log(0, "secure kernel at %lx (image %lx, entry %lx), hidden from "
	       "VTL0; VTL1 NPT: %u of %u pool pages", hv_vtl1.base,
	       hv_vtl1.image_end - hv_vtl1.base, hv_vtl1.entry,
	       vtl1_npt_pool.used, vtl1_npt_pool.npages);
	return 0;
}

/* VTL1's VMCB and register context on one CPU, at boot. */
int vtl_alloc_cpu(struct hv_vcpu *v)
{
	uint64_t vmcb, ctx0, ctx1, saved;

	v->vtl_vmcb[0] = v->vmcb;
	v->vtl_vmcb_pa[0] = v->vmcb_pa;
	ctx0 = hv_alloc_pages(1);
	if (!ctx0)
		return -1;
	v->vtl_ctx[0] = (struct hv_vtl_ctx *)(uintptr_t)ctx0;
	if (!hv_vtl1.present)
		return 0;
	vmcb = hv_alloc_pages(1);
	ctx1 = hv_alloc_pages(1);
	saved = hv_alloc_pages(1);
	if (!vmcb || !ctx1 || !saved)
		return -1;
	v->vtl1_saved = (struct hv_vtl_ctx *)(uintptr_t)saved;
	v->vtl_vmcb[1] = (struct vmcb *)(uintptr_t)vmcb;
	v->vtl_vmcb_pa[1] = vmcb;
	v->vtl_ctx[1] = (struct hv_vtl_ctx *)(uintptr_t)ctx1;
	svm_setup_control(v->vtl_vmcb[1], hv_vtl1.npt.pml4, VTL1_ASID, true);
	return 0;
}

/* FXSAVE/FXRSTOR (APM4 "FXSAVE"): x87, MMX, SSE state, 512 bytes. */
static void fx_save(uint8_t *area)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[512])area));
}

static void fx_restore(const uint8_t *area)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*(const uint8_t(*)[512])area));
}

/*
 * Make VTL `to` the one this CPU runs: its VMCB, its registers, its x87/SSE
 * state. The other VTL's registers are saved first and overwritten by the
 * new VTL's, so nothing of VTL1's stays visible to VTL0 (and back).
 */
void vtl_switch(struct hv_vcpu *v, unsigned int to)
{
	struct hv_vtl_ctx *from = v->vtl_ctx[v->vtl], *dst = v->vtl_ctx[to];

	if (to == v->vtl)
		return;
	fx_save(from->fx);
	from->gprs = v->gprs;
	v->gprs = dst->gprs;
	fx_restore(dst->fx);
	v->vmcb = v->vtl_vmcb[to];
	v->vmcb_pa = v->vtl_vmcb_pa[to];
	v->vtl = (uint8_t)to;
}

static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attrib,
		uint32_t limit, uint64_t base)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = base;
}

/*
 * VTL1's first run on this CPU: 64-bit mode at the secure kernel's entry
 * (System V: RDI = params, RSI = CPU number), on this CPU's stack in the
 * boot area, interrupts off. It ends with VTL1's first VTL_RETURN
 * (RBX = 0 when it is ready). Called before the CPU's first VMRUN.
 */
void vtl1_start(struct hv_vcpu *v)
{
	struct vmcb_save *s = &v->vtl_vmcb[1]->save;
	uint64_t stack = hv_vtl1.stacks +
			 (uint64_t)(v->cpu + 1) * VTL1_STACK_PAGES * HV_PAGE - 8;
	uint8_t *fx = v->vtl_ctx[1]->fx;

	memset(s, 0, sizeof(*s));
	memset(&v->vtl_ctx[1]->gprs, 0, sizeof(v->vtl_ctx[1]->gprs));
	memset(fx, 0, sizeof(v->vtl_ctx[1]->fx));
	*(uint16_t *)fx = 0x037f;             /* FCW after FNINIT */
	*(uint32_t *)(fx + 24) = 0x1f80;      /* MXCSR reset value */
	seg(&s->cs, SEL_CODE64, 0x029b, 0xffffffff, 0); /* P S code, L */
	seg(&s->ds, SEL_DATA, 0x0c93, 0xffffffff, 0);
	s->es = s->ss = s->ds;
	seg(&s->tr, SEL_TSS, 0x008b, 0x67, hv_vtl1.tss);
	s->gdtr.base = hv_vtl1.gdt;
	s->gdtr.limit = 5 * 8 - 1;
	s->cr0 = 0x80010033; /* PG WP NE ET MP PE */
	s->cr3 = hv_vtl1.cr3;
	s->cr4 = 0x620;      /* PAE OSFXSR OSXMMEXCPT */
	s->efer = EFER_SVME | EFER_NXE | EFER_LMA | (1ull << 8); /* LME */
	s->g_pat = 0x0007040600070406ull;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->rflags = 2;
	s->rip = hv_vtl1.entry;
	s->rsp = stack;
	*(uint64_t *)(uintptr_t)stack = 0; /* no return address */
	v->vtl_ctx[1]->gprs.rdi = hv_vtl1.params;
	v->vtl_ctx[1]->gprs.rsi = v->cpu;
	v->vtl1_state = VTL1_ENTERING;
	vtl_switch(v, 1);
	hv_log(v->cpu, "entering the secure kernel (VTL1) at %lx", s->rip);
}
