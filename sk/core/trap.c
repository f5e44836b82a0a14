// SPDX-License-Identifier: MIT
/*
 * Descriptor tables and trap decoding for the secure kernel
 * (core/trap.h; the stubs and the loading are arch/x86/idt.S). Pure.
 *
 * Policy: VTL1 never takes an interrupt through its IDT (it runs with
 * interrupts off except while serving a call, and then a physical
 * interrupt exits to the hypervisor; NMIs are intercepted too), so every
 * vector that arrives is an exception, and an exception in the secure
 * kernel is a bug or an attack on it: fail-stop. The stub reports vector,
 * error code, RIP and CR2 (VBS_HC_VTL1_FAULT) and the hypervisor stops
 * the machine. #DF (IST1) and #PF (IST2) change stacks, to per-CPU
 * stacks of their own with guard pages below (core/paging.h struct
 * sk_stacks): a stack overflow — a push into the guard page below the
 * stack in use — is a #PF that could not be delivered on that stack, and
 * a fault while pushing a frame on a bad stack is still reported.
 */
#include <string.h>

#include "core/trap.h"
#include "vbs/hypercall.h"

_Static_assert(VBS_HC_VTL1_FAULT == 0x0004, "arch/x86/idt.S reports with 4");

/* APM2 §8.2 "Vectors", Table 8-1: the exceptions that push an error
 * code (#DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX). */
int sk_trap_has_error(unsigned int vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17:
	case 21: case 29: case 30:
		return 1;
	default:
		return 0;
	}
}

/* APM2 §4.8.4 "Gate Descriptors": a 64-bit interrupt gate (type 0xE,
 * P, DPL 0), so IF is clear in the handler. */
void sk_idt_gate(uint64_t gate[2], uint64_t handler, uint16_t sel,
		 unsigned int ist)
{
	gate[0] = (handler & 0xffff) | (uint64_t)sel << 16 |
		  (uint64_t)(ist & 7) << 32 | 0x8eull << 40 |
		  ((handler >> 16) & 0xffff) << 48;
	gate[1] = handler >> 32;
}

/* Vectors 0-31 to their stubs (#DF on IST1, #PF on IST2); 32-255 not
 * present, so an unexpected INT n or interrupt becomes #NP(n) and is
 * reported too. APM2 §8.9.4 "Interrupt-Stack Table". */
void sk_idt_fill(uint64_t idt[2 * SK_IDT_ENTRIES],
		 const uint64_t stubs[SK_TRAP_VECTORS])
{
	unsigned int v;

	memset(idt, 0, 2 * SK_IDT_ENTRIES * sizeof(uint64_t));
	for (v = 0; v < SK_TRAP_VECTORS; v++)
		sk_idt_gate(&idt[2 * v], stubs[v], SK_SEL_CODE64,
			    v == 8 ? SK_DF_IST : v == 14 ? SK_PF_IST : 0);
}

/* APM2 §4.8 "Long-Mode Segment Descriptors": null, 64-bit code (L, P,
 * DPL 0), data, and the 64-bit TSS descriptor (type 9, available; two
 * entries), as the hypervisor's boot GDT (hv/arch/x86/svm/vtl.c), so the
 * selectors stay the same. */
void sk_cpu_desc_fill(struct sk_cpu_desc *d, uint64_t df_stack_top,
		      uint64_t pf_stack_top)
{
	uint64_t tss = (uint64_t)(uintptr_t)&d->tss, limit = sizeof(d->tss) - 1;

	memset(d, 0, sizeof(*d));
	d->gdt[0] = 0;
	d->gdt[1] = 0x00209a0000000000ull;
	d->gdt[2] = 0x00cf92000000ffffull;
	d->gdt[3] = (limit & 0xffff) | (tss & 0xffffff) << 16 | 0x89ull << 40 |
		    ((tss >> 24) & 0xff) << 56;
	d->gdt[4] = tss >> 32;
	d->tss.ist[SK_DF_IST - 1] = df_stack_top;
	d->tss.ist[SK_PF_IST - 1] = pf_stack_top;
	d->tss.iopb = sizeof(d->tss);
}

void sk_trap_decode(const uint64_t *frame, uint64_t cr2,
		    struct sk_trap_info *t)
{
	memset(t, 0, sizeof(*t));
	t->vector = frame[SK_FRAME_VECTOR];
	t->error = sk_trap_has_error((unsigned int)t->vector) ?
		   frame[SK_FRAME_ERROR] : 0;
	t->rip = frame[SK_FRAME_RIP];
	t->cs = frame[SK_FRAME_CS] & 0xffff;
	t->rflags = frame[SK_FRAME_RFLAGS];
	t->rsp = frame[SK_FRAME_RSP];
	t->ss = frame[SK_FRAME_SS] & 0xffff;
	t->cr2 = t->vector == 14 ? cr2 : 0;
}

/* A #PF whose address (CR2, APM2 §8.4.2 "Page-Fault Exception") lies in
 * a guard page is a stack overflow: say which stack. */
uint64_t sk_trap_fault_flags(const struct sk_trap_info *t,
			     const struct sk_stacks *s)
{
	enum sk_stack_kind k;
	uint32_t cpu;

	if (t->vector != 14 || !sk_stack_guard_of(s, t->cr2, &cpu, &k))
		return 0;
	return SK_FAULT_STACK_OVERFLOW |
	       ((uint64_t)k + 1) << SK_FAULT_STACK_KIND_SHIFT |
	       (uint64_t)cpu << SK_FAULT_STACK_CPU_SHIFT;
}
