/* SPDX-License-Identifier: MIT */
/*
 * Where the hypervisor runs VTL1 for a secure intercept (include/vbs/
 * hypercall.h VBS_HC_SET_INTERCEPT_ENTRY; sk/core/intercept.c): RDI = the
 * CPU's struct vbs_vtl_intercept, RSI = CPU number, RSP = the CPU's
 * intercept stack, interrupts off. The answer goes back with VTL_RETURN
 * (0x12), RBX = action; the hypervisor then restores VTL1's other context,
 * so this code is never resumed.
 */
	.text
	.globl sk_intercept_entry
sk_intercept_entry:
	andq $-16, %rsp
	call sk_intercept
	movq %rax, %rbx
	movl $0x12, %eax
	vmmcall
	ud2
	.section .note.GNU-stack, "", @progbits
