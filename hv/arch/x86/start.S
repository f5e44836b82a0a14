/* SPDX-License-Identifier: MIT */
/*
 * hv.bin starts here: the image header (include/vbs/hv_image.h) and the
 * entry the loader calls, int64_t hv_start(const struct vbs_hv_params *),
 * System V AMD64 ABI, on the boot CPU with the firmware's GDT, IDT, page
 * tables and stack.
 *
 * It records the caller's registers, RFLAGS, RSP and return address
 * (hv_boot_state, the context the CPU resumes in as a guest), applies the
 * image's own R_X86_64_RELATIVE relocations (the image is linked at 0 and
 * runs where the loader put it), switches to the hypervisor's boot stack
 * and calls hv_main(). hv_main() returns only on failure: then the
 * caller's callee-saved registers, stack and RFLAGS are restored and the
 * status returned, with nothing changed.
 */
#include "arch/x86/boot_state.h"

#define SLOT(i) hv_boot_state+8*i(%rip)

	/* file_size and mem_size are filled in after the link (hv/hv.mk). */
	.section .text.entry, "ax"
	.globl hv_header
hv_header:
	.ascii "OVBS-HV1"
	.long 1                 /* header_version */
	.long 0x38              /* header_size */
	.quad hv_start - hv_header
	.quad 0                 /* file_size */
	.quad 0                 /* mem_size */
	.quad 0xa00000          /* heap_size: page tables, NPT pool, per-CPU */
	.quad 0x200000          /* align: 2 MiB, so the region hides in whole PTs */

	.globl hv_start
hv_start:
	pushfq
	cli
	movq %rax, SLOT(BS_RAX)
	movq %rbx, SLOT(BS_RBX)
	movq %rcx, SLOT(BS_RCX)
	movq %rdx, SLOT(BS_RDX)
	movq %rsi, SLOT(BS_RSI)
	movq %rdi, SLOT(BS_RDI)
	movq %rbp, SLOT(BS_RBP)
	movq %r8, SLOT(BS_R8)
	movq %r9, SLOT(BS_R9)
	movq %r10, SLOT(BS_R10)
	movq %r11, SLOT(BS_R11)
	movq %r12, SLOT(BS_R12)
	movq %r13, SLOT(BS_R13)
	movq %r14, SLOT(BS_R14)
	movq %r15, SLOT(BS_R15)
	popq SLOT(BS_RFLAGS)
	movq (%rsp), %rax
	movq %rax, SLOT(BS_RIP)
	leaq 8(%rsp), %rax
	movq %rax, SLOT(BS_RSP)

	leaq hv_boot_stack_top(%rip), %rsp
	leaq __image_base(%rip), %rdi
	call hv_relocate
	movq SLOT(BS_RDI), %rdi
	leaq hv_boot_state(%rip), %rsi
	call hv_main

	/* Failure: back to the caller, as it was. */
	movq SLOT(BS_RSP), %rsp
	subq $8, %rsp
	movq SLOT(BS_RBX), %rbx
	movq SLOT(BS_RBP), %rbp
	movq SLOT(BS_R12), %r12
	movq SLOT(BS_R13), %r13
	movq SLOT(BS_R14), %r14
	movq SLOT(BS_R15), %r15
	pushq SLOT(BS_RFLAGS)
	popfq
	ret

	.bss
	.balign 16
	.globl hv_boot_state
hv_boot_state:
	.skip 8 * BS_COUNT
	.balign 4096
hv_boot_stack:
	.skip 32768
	.globl hv_boot_stack_top
hv_boot_stack_top:
	.section .note.GNU-stack, "", @progbits
