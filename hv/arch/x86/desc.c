// SPDX-License-Identifier: MIT
/*
 * The hypervisor's descriptor tables: a GDT per CPU (null, 64-bit code,
 * data, TSS), a TSS with IST stacks for NMI, #DF and #MC (OVMF runs with
 * TR=0, docs/testbed.md: the firmware's cannot be used), and one IDT
 * whose 32 exception gates all lead to hv_exception(), which logs and
 * resets. APM2 §4.8 "Long-Mode Segment Descriptors", §12.2.5 "64-Bit
 * Task State Segment", §8.9.4 "Interrupt-Stack Table".
 */
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "core/hv.h"

#define IST_NMI 1
#define IST_DF 2
#define IST_MC 3
#define IST_STACK_PAGES 2

/* APM2 Figure 12-8 "Long Mode TSS Format". */
struct __attribute__((packed)) hv_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};
_Static_assert(sizeof(struct hv_tss) == 0x68, "TSS size");

/* APM2 Figure 4-24 "Interrupt-Gate and Trap-Gate Descriptors—Long Mode". */
struct __attribute__((packed)) hv_idt_gate {
	uint16_t off_lo, selector;
	uint8_t ist, type_attr;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
};
_Static_assert(sizeof(struct hv_idt_gate) == 16, "gate size");

/* Layout of the per-CPU descriptor page. */
struct hv_desc_page {
	uint64_t gdt[5];
	struct hv_tss tss;
};

static struct hv_idt_gate hv_idt[32] __attribute__((aligned(16)));
extern char hv_exc_stubs[];

static void idt_build(void)
{
	unsigned int v;
	uint64_t a;

	for (v = 0; v < 32; v++) {
		a = (uint64_t)(uintptr_t)hv_exc_stubs + 16 * v;
		hv_idt[v].off_lo = (uint16_t)a;
		hv_idt[v].selector = HV_SEL_CODE;
		hv_idt[v].ist = v == 2 ? IST_NMI : v == 8 ? IST_DF :
				v == 18 ? IST_MC : 0;
		hv_idt[v].type_attr = 0x8e; /* present, DPL 0, interrupt gate */
		hv_idt[v].off_mid = (uint16_t)(a >> 16);
		hv_idt[v].off_hi = (uint32_t)(a >> 32);
		hv_idt[v].reserved = 0;
	}
}

int hv_desc_setup(unsigned int cpu, uint64_t desc_pa)
{
	struct hv_desc_page *d = (struct hv_desc_page *)(uintptr_t)desc_pa;
	uint64_t tss = (uint64_t)(uintptr_t)&d->tss, limit = sizeof(d->tss) - 1;
	uint64_t stack;
	int i;

	(void)cpu;
	d->gdt[0] = 0;
	d->gdt[1] = 0x00209a0000000000ull; /* code: P, DPL0, L */
	d->gdt[2] = 0x00cf92000000ffffull; /* data: P, DPL0, writable */
	/* APM2 Figure 4-22 "System-Segment Descriptor—Long Mode", type 9 */
	d->gdt[3] = (limit & 0xffff) | (tss & 0xffffff) << 16 | 0x89ull << 40 |
		    ((limit >> 16) & 0xf) << 48 | ((tss >> 24) & 0xff) << 56;
	d->gdt[4] = tss >> 32;
	d->tss.iomap_base = sizeof(d->tss);
	for (i = 0; i < 3; i++) {
		stack = hv_alloc_pages(IST_STACK_PAGES);
		if (!stack)
			return -1;
		d->tss.ist[i] = stack + IST_STACK_PAGES * HV_PAGE;
	}
	idt_build();
	return 0;
}

void hv_desc_load(uint64_t desc_pa)
{
	struct hv_desc_page *d = (struct hv_desc_page *)(uintptr_t)desc_pa;
	struct desc_ptr gdtr = { sizeof(d->gdt) - 1, (uint64_t)(uintptr_t)d->gdt };
	struct desc_ptr idtr = { sizeof(hv_idt) - 1, (uint64_t)(uintptr_t)hv_idt };
	uint64_t tmp;

	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");
	__asm__ volatile("pushq %1\n\t"
			 "leaq 1f(%%rip), %0\n\t"
			 "pushq %0\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %k0\n\t"
			 "movl %k0, %%ds\n\t"
			 "movl %k0, %%es\n\t"
			 "movl %k0, %%ss\n\t"
			 : "=&r"(tmp)
			 : "i"(HV_SEL_CODE), "i"(HV_SEL_DATA)
			 : "memory");
	__asm__ volatile("ltr %w0" : : "r"(HV_SEL_TSS));
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "?9",
	"#TS", "#NP", "#SS", "#GP", "#PF", "?15", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP", "?22", "?23", "?24", "?25", "?26", "?27", "#HV", "#VC",
	"#SX", "?31",
};

void hv_exception(struct hv_exc_frame *f)
{
	unsigned int cpu = hv_this_cpu();

	hv_log(cpu, "EXCEPTION in the hypervisor: %s (vector %lu) error %lx",
	       exc_names[f->vector & 31], f->vector, f->error);
	hv_log(cpu, "  rip %016lx cs %lx rflags %lx rsp %016lx cr2 %016lx",
	       f->rip, f->cs, f->rflags, f->rsp, read_cr2());
	hv_log(cpu, "  rax %016lx rbx %016lx rcx %016lx rdx %016lx",
	       f->rax, f->rbx, f->rcx, f->rdx);
	hv_panic(cpu, "exception in the hypervisor");
}
