// SPDX-License-Identifier: MIT
/*
 * Taking over the boot CPU ("blue-pill", docs/hypervisor.md): the running
 * firmware context becomes the guest state of a VMCB, the CPU switches to
 * the hypervisor's own GDT, IDT, TSS and page tables, and svm_run_loop()
 * VMRUNs the firmware, which resumes at the return address of the
 * loader's call as if the call had returned 0.
 */
#include "arch/x86/boot_state.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/svm/svm.h"

/* MSR permission map, APM2 §15.11 "MSR Intercepts": 2 bits per MSR
 * (read, write) in three 2 KiB ranges. */
static int msrpm_offset(uint32_t msr, uint32_t *bit)
{
	static const struct { uint32_t base, off; } ranges[] = {
		{ 0x00000000u, 0x000 }, { 0xc0000000u, 0x800 },
		{ 0xc0010000u, 0x1000 },
	};
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (msr - ranges[i].base < 0x2000u) {
			*bit = (msr - ranges[i].base) * 2;
			return (int)ranges[i].off;
		}
	}
	return -1;
}

/* Bit 2n intercepts reads of MSR n of a range, bit 2n+1 writes. */
static void msrpm_intercept(uint8_t *msrpm, uint32_t msr, bool reads)
{
	uint32_t bit;
	int off = msrpm_offset(msr, &bit);

	if (off < 0)
		return;
	msrpm[off + bit / 8] |= (uint8_t)((reads ? 3u : 2u) << (bit % 8));
}

/* APM2 §15.5.1 "Basic Operation": a segment's hidden state in the VMCB's
 * attribute format (descriptor bits 40-47 and 52-55). */
static void seg_from_gdt(struct vmcb_seg *s, uint16_t sel,
			 const struct desc_ptr *gdtr)
{
	uint64_t d, limit;

	s->selector = sel;
	if ((sel & ~7u) == 0 || (sel | 7u) > gdtr->limit || (sel & 4)) {
		s->attrib = 0;
		s->limit = 0;
		s->base = 0;
		return;
	}
	d = *(const uint64_t *)(uintptr_t)(gdtr->base + (sel & ~7u));
	limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	if (d & (1ull << 55))
		limit = (limit << 12) | 0xfff;
	s->limit = (uint32_t)limit;
	s->base = ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24;
	s->attrib = (uint16_t)(((d >> 40) & 0xff) | ((d >> 52) & 0xf) << 8);
}

static uint16_t read_sel(int which)
{
	uint16_t s = 0;

	switch (which) {
	case 0: __asm__ volatile("mov %%es, %0" : "=r"(s)); break;
	case 1: __asm__ volatile("mov %%cs, %0" : "=r"(s)); break;
	case 2: __asm__ volatile("mov %%ss, %0" : "=r"(s)); break;
	default: __asm__ volatile("mov %%ds, %0" : "=r"(s)); break;
	}
	return s;
}

static void capture_guest(struct vmcb *vm, const uint64_t *bs)
{
	struct desc_ptr gdtr, idtr;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	__asm__ volatile("sidt %0" : "=m"(idtr));
	seg_from_gdt(&vm->save.es, read_sel(0), &gdtr);
	seg_from_gdt(&vm->save.cs, read_sel(1), &gdtr);
	seg_from_gdt(&vm->save.ss, read_sel(2), &gdtr);
	seg_from_gdt(&vm->save.ds, read_sel(3), &gdtr);
	vm->save.gdtr.base = gdtr.base;
	vm->save.gdtr.limit = gdtr.limit;
	vm->save.idtr.base = idtr.base;
	vm->save.idtr.limit = idtr.limit;
	vm->save.cpl = 0;
	/* Guest EFER keeps SVME: QEMU's VMRUN checks want it (docs/testbed.md);
	 * the EFER intercept hides it from the guest. */
	vm->save.efer = rdmsr(MSR_EFER);
	vm->save.cr0 = read_cr0();
	vm->save.cr2 = read_cr2();
	vm->save.cr3 = read_cr3();
	vm->save.cr4 = read_cr4();
	vm->save.dr6 = read_dr6();
	vm->save.dr7 = read_dr7();
	vm->save.g_pat = rdmsr(MSR_PAT);
	vm->save.rflags = bs[BS_RFLAGS];
	vm->save.rsp = bs[BS_RSP];
	vm->save.rip = bs[BS_RIP];
	vm->save.rax = 0; /* hv_start() "returns" 0 in the guest */
}

static void capture_gprs(struct svm_gprs *g, const uint64_t *bs)
{
	g->rbx = bs[BS_RBX];
	g->rcx = bs[BS_RCX];
	g->rdx = bs[BS_RDX];
	g->rsi = bs[BS_RSI];
	g->rdi = bs[BS_RDI];
	g->rbp = bs[BS_RBP];
	g->r8 = bs[BS_R8];
	g->r9 = bs[BS_R9];
	g->r10 = bs[BS_R10];
	g->r11 = bs[BS_R11];
	g->r12 = bs[BS_R12];
	g->r13 = bs[BS_R13];
	g->r14 = bs[BS_R14];
	g->r15 = bs[BS_R15];
}

/* The MSR and I/O permission maps, one pair for all CPUs (read only to
 * the CPU; APM2 §15.10 "I/O Intercepts", §15.11 "MSR Intercepts"). */
static uint64_t svm_msrpm, svm_iopm;

int svm_setup_shared(void)
{
	svm_msrpm = hv_alloc_pages(2);
	svm_iopm = hv_alloc_pages(3); /* IOIO not intercepted: all zero */
	if (!svm_msrpm || !svm_iopm)
		return -1;
	msrpm_intercept((uint8_t *)(uintptr_t)svm_msrpm, MSR_EFER, true);
	msrpm_intercept((uint8_t *)(uintptr_t)svm_msrpm, MSR_VM_CR, true);
	msrpm_intercept((uint8_t *)(uintptr_t)svm_msrpm, MSR_VM_HSAVE_PA, true);
	/* APIC base writes (relocation is refused) and the x2APIC ICR
	 * (docs/hypervisor.md "Application processors"). */
	msrpm_intercept((uint8_t *)(uintptr_t)svm_msrpm, MSR_APIC_BASE, false);
	msrpm_intercept((uint8_t *)(uintptr_t)svm_msrpm, MSR_X2APIC_ICR, false);
	return 0;
}

/* The intercepts (APM2 §15.9-§15.13), permission maps, ASID and nested
 * page tables of one VTL's VMCB; intr: physical interrupts exit (VTL1). */
void svm_setup_control(struct vmcb *vm, uint64_t n_cr3, uint32_t asid,
		       bool intr)
{
	struct vmcb_control *c = &vm->control;

	/* #GP: exits/svm_insn.c; #SX: INIT redirected by R_INIT, exits/nmi.c */
	c->intercept_exceptions = 1u << 13 | 1u << 30;
	c->intercept_misc1 = SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI |
			     SVM_INTERCEPT_CPUID | SVM_INTERCEPT_INVLPGA |
			     SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_SHUTDOWN |
			     (intr ? SVM_INTERCEPT_INTR : 0);
	/* APM2 §15.5.1: VMRUN must be intercepted. */
	c->intercept_misc2 = SVM_INTERCEPT_VMRUN | SVM_INTERCEPT_VMMCALL |
			     SVM_INTERCEPT_VMLOAD | SVM_INTERCEPT_VMSAVE |
			     SVM_INTERCEPT_STGI | SVM_INTERCEPT_CLGI |
			     SVM_INTERCEPT_SKINIT;
	c->msrpm_base_pa = svm_msrpm;
	c->iopm_base_pa = svm_iopm;
	c->guest_asid = asid;
	/* APM2 §15.25.3 "Enabling Nested Paging" */
	c->np_enable = 1;
	c->n_cr3 = n_cr3;
	c->tlb_control = 1;
}

#define HOST_STACK_PAGES 4

/* Everything one CPU needs, from the boot allocator (never later). */
int svm_alloc_cpu(struct hv_vcpu *v)
{
	uint64_t vmcb = hv_alloc_pages(1), host_vmcb = hv_alloc_pages(1);
	uint64_t stack = hv_alloc_pages(HOST_STACK_PAGES);

	v->hsave_pa = hv_alloc_pages(1);
	v->desc_pa = hv_alloc_pages(1);
	if (!vmcb || !host_vmcb || !stack || !v->hsave_pa || !v->desc_pa ||
	    hv_desc_setup(v->cpu, v->desc_pa))
		return -1;
	v->vmcb = (struct vmcb *)(uintptr_t)vmcb;
	v->vmcb_pa = vmcb;
	v->host_vmcb_pa = host_vmcb;
	v->host_stack_top = stack + HOST_STACK_PAGES * HV_PAGE;
	svm_setup_control(v->vmcb, hv_npt.pml4, 1, false);
	return vtl_alloc_cpu(v);
}

/*
 * This CPU becomes a host: VM_CR.R_INIT, EFER.SVME (APM2 §15.4), its
 * host save area, the hypervisor's GDT/TSS/IDT and page tables, GS base =
 * its vCPU (the NMI stub counts there, arch/x86/idt.S), then VMSAVE of
 * the host's FS/GS/TR/LDTR and syscall MSRs (APM2 §15.5.2). Interrupts
 * are off. The caller has captured whatever guest state it needs first.
 */
void svm_enable_cpu(struct hv_vcpu *v)
{
	/* APM2 §15.29: with R_INIT an INIT in the guest becomes #SX, which
	 * is intercepted; without it real hardware would reset a virtualized
	 * CPU (TCG drops the write and never sends one: ap.c). */
	wrmsr(MSR_VM_CR, rdmsr(MSR_VM_CR) | VM_CR_R_INIT);
	/* NXE and WP: the host's page tables are W^X (paging.c). */
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
	/* FXSAVE/FXRSTOR of the guests' SSE state on VTL switches (vtl.c). */
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	wrmsr(MSR_VM_HSAVE_PA, v->hsave_pa);
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)v);
	hv_desc_load(v->desc_pa);
	write_cr3(hv_host_cr3);
	/* PGE and PSE as Linux sets them in the guest: QEMU's TCG flushes its
	 * whole soft TLB when these CR4 bits differ between host and guest,
	 * on every VMRUN and #VMEXIT (docs/performance.md). The host's own
	 * entries have no G bit, so PGE changes nothing for it. */
	write_cr4(read_cr4() | CR4_PSE | CR4_PGE);
	__asm__ volatile("vmsave %0" : : "a"(v->host_vmcb_pa) : "memory");
}

/*
 * @pre svm_alloc_cpu(v) done; SVM available (hv_main checked CPUID and
 * VM_CR.SVMDIS). The firmware's state becomes the guest's; 0 with the
 * CPU on the hypervisor's tables.
 */
int svm_setup_boot_cpu(struct hv_vcpu *v, const uint64_t *bs)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	/* The firmware's FS, GS, TR, LDTR, KernelGsBase, STAR/LSTAR/CSTAR/
	 * SFMASK and SYSENTER MSRs, as they are now (APM2 §15.5.2). */
	__asm__ volatile("vmsave %0" : : "a"(v->vmcb_pa) : "memory");
	capture_guest(v->vmcb, bs);
	capture_gprs(&v->gprs, bs);
	svm_enable_cpu(v);
	return 0;
}
