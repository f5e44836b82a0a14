/* SPDX-License-Identifier: MIT */
/* The hypervisor's own GDT, TSS (IST stacks) and IDT (hv/arch/x86/desc.c). */
#ifndef HV_X86_DESC_H
#define HV_X86_DESC_H

#include <stdint.h>

#define HV_SEL_CODE 0x08
#define HV_SEL_DATA 0x10
#define HV_SEL_TSS 0x18

/* Builds this CPU's GDT + TSS in the page at desc_pa (IST stacks from the
 * boot allocator) and the shared IDT; 0 or -1. */
int hv_desc_setup(unsigned int cpu, uint64_t desc_pa);
/* Loads them: lgdt, CS/DS/ES/SS reload, ltr, lidt. */
void hv_desc_load(uint64_t desc_pa);

/* Exception frame built by idt.S. */
struct hv_exc_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

void hv_exception(struct hv_exc_frame *f);

#endif
