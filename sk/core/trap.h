/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's exceptions (docs/secure-kernel.md "Page tables and
 * traps"): per-CPU GDT and 64-bit TSS (IST1 = the CPU's #DF stack, IST2
 * its #PF stack), one
 * IDT for vectors 0-31, and the decoding of what the stubs in
 * arch/x86/idt.S leave on the stack. Every exception in VTL1 is fatal:
 * the stub reports it to the hypervisor (VBS_HC_VTL1_FAULT), which logs
 * it and stops the machine. Pure: the descriptors are built in memory the
 * caller owns; arch/x86/idt.S loads them.
 */
#ifndef SK_CORE_TRAP_H
#define SK_CORE_TRAP_H

#include <stdint.h>

#include "core/paging.h"
#include "vbs/hypercall.h"

#define SK_TRAP_VECTORS 32u      /* the exceptions, APM2 §8.2 */
#define SK_IDT_ENTRIES 256u      /* the others not present: #NP */
#define SK_SEL_CODE64 0x08u
#define SK_SEL_DATA 0x10u
#define SK_SEL_TSS 0x18u
#define SK_GDT_ENTRIES 5u        /* null, code, data, TSS (two) */
#define SK_DF_IST 1u             /* #DF runs on IST1 */
#define SK_PF_IST 2u             /* #PF runs on IST2: a stack overflow
				  * (a push into a guard page) cannot be
				  * delivered on the stack that overflowed */

/* RDI of VBS_HC_VTL1_FAULT (docs/abi.md): 0, or for a #PF whose CR2
 * lies in the guard page below a stack (core/paging.h struct
 * sk_stacks): SK_FAULT_STACK_OVERFLOW | (kind + 1) << 8 | CPU << 16. */
#define SK_FAULT_STACK_OVERFLOW VBS_VTL1_FAULT_STACK_OVERFLOW
#define SK_FAULT_STACK_KIND_SHIFT 8
#define SK_FAULT_STACK_CPU_SHIFT 16

/* APM2 §12.2.5 "64-Bit Task State Segment" (104 bytes). */
struct sk_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];         /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iopb;           /* past the limit: no I/O bitmap */
} __attribute__((packed));
_Static_assert(sizeof(struct sk_tss) == 104, "64-bit TSS");
_Static_assert(__builtin_offsetof(struct sk_tss, ist) == 0x24, "TSS IST1");

/* One CPU's descriptor tables (the TSS descriptor's busy bit is per
 * GDT, so each CPU has its own GDT). */
struct sk_cpu_desc {
	uint64_t gdt[SK_GDT_ENTRIES];
	struct sk_tss tss;
} __attribute__((aligned(64)));

/* What the stub leaves at RSP (arch/x86/idt.S): vector, error code (0
 * when the CPU pushes none), then the CPU's frame (APM2 §8.9.3
 * "Interrupt Stack Frame"). */
enum sk_trap_frame_slot {
	SK_FRAME_VECTOR = 0, SK_FRAME_ERROR, SK_FRAME_RIP, SK_FRAME_CS,
	SK_FRAME_RFLAGS, SK_FRAME_RSP, SK_FRAME_SS, SK_FRAME_SLOTS,
};

/* What the stub hands the hypervisor; offsets used by idt.S. */
struct sk_trap_info {
	uint64_t vector;         /* 0x00 RBX */
	uint64_t error;          /* 0x08 RSI */
	uint64_t rip;            /* 0x10 RCX */
	uint64_t cr2;            /* 0x18 RDX (#PF: the faulting address) */
	uint64_t cs, rflags, rsp, ss;
};
_Static_assert(__builtin_offsetof(struct sk_trap_info, cr2) == 0x18, "idt.S");
_Static_assert(sizeof(struct sk_trap_info) == 0x40, "idt.S reserves 0x40");

int sk_trap_has_error(unsigned int vector);
void sk_idt_gate(uint64_t gate[2], uint64_t handler, uint16_t sel,
		 unsigned int ist);
void sk_idt_fill(uint64_t idt[2 * SK_IDT_ENTRIES],
		 const uint64_t stubs[SK_TRAP_VECTORS]);
void sk_cpu_desc_fill(struct sk_cpu_desc *d, uint64_t df_stack_top,
		      uint64_t pf_stack_top);
void sk_trap_decode(const uint64_t *frame, uint64_t cr2,
		    struct sk_trap_info *t);
/* What VBS_HC_VTL1_FAULT's RDI says of t (SK_FAULT_*). */
uint64_t sk_trap_fault_flags(const struct sk_trap_info *t,
			     const struct sk_stacks *s);

#endif
