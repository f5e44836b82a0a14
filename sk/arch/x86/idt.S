/* SPDX-License-Identifier: MIT */
/*
 * The secure kernel's exception entry (core/trap.h, core/trap.c): one
 * stub per vector 0-31 and the loading of a CPU's GDT, TSS and IDT.
 *
 * A stub pushes 0 where the CPU pushes no error code (APM2 §8.2, Table
 * 8-1), then the vector, so every frame looks alike (enum
 * sk_trap_frame_slot), and jumps to trap_fatal: sk_trap_fault
 * (core/main.c: sk_trap_decode and sk_trap_fault_flags) fills a struct
 * sk_trap_info, and VBS_HC_VTL1_FAULT (include/vbs/hypercall.h, 0x0004:
 * RBX = vector, RCX = RIP, RDX = CR2, RSI = error code, RDI = 0 or the
 * stack-overflow flags, core/trap.h SK_FAULT_*) reports it. The
 * hypervisor stops the machine; if it ever returned, the CPU stops here.
 */
#define VBS_HC_VTL1_FAULT 0x0004
#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

	.macro TRAP_STUB vec
	.p2align 4
trap_stub_\vec:
	.if (\vec != 8) && (\vec != 10) && (\vec != 11) && (\vec != 12) && \
	    (\vec != 13) && (\vec != 14) && (\vec != 17) && (\vec != 21) && \
	    (\vec != 29) && (\vec != 30)
	pushq $0
	.endif
	pushq $\vec
	jmp trap_fatal
	.endm

	.text
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	TRAP_STUB \v
	.endr

trap_fatal:
	movq %rsp, %rdi                 /* the frame */
	movq %cr2, %rsi
	andq $-16, %rsp
	subq $0x40, %rsp                /* struct sk_trap_info */
	movq %rsp, %rdx
	call sk_trap_fault              /* core/main.c: RDI = stack overflow? */
	movq %rax, %rdi
	movq 0x00(%rsp), %rbx           /* vector */
	movq 0x08(%rsp), %rsi           /* error code */
	movq 0x10(%rsp), %rcx           /* RIP */
	movq 0x18(%rsp), %rdx           /* CR2 */
	movl $VBS_HC_VTL1_FAULT, %eax
	vmmcall
1:	cli
	hlt
	jmp 1b

	/*
	 * void sk_load_descriptors(const void *gdtr, const void *idtr)
	 * This CPU's GDT and IDT (10-byte pseudo-descriptors, APM2 §4.6.2),
	 * CS by far return, the data selectors, then its TSS (LTR marks the
	 * descriptor busy: once per CPU). FS and GS stay: FS base is the
	 * per-CPU block (core/main.c).
	 */
	.globl sk_load_descriptors
sk_load_descriptors:
	lgdt (%rdi)
	lidt (%rsi)
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	pushq $SEL_CODE64
	leaq 2f(%rip), %rax
	pushq %rax
	lretq
2:	movl $SEL_TSS, %eax
	ltr %ax
	ret

	/* The stubs' addresses for sk_idt_fill (relocated at entry; read
	 * only once the secure kernel's page tables are loaded). */
	.section .data.rel.ro.sk_trap_stubs, "aw"
	.p2align 3
	.globl sk_trap_stubs
sk_trap_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\v
	.endr
	.section .note.GNU-stack, "", @progbits
