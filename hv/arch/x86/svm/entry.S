/* SPDX-License-Identifier: MIT */
/*
 * The VMRUN loop (APM2 §15.5 "VMRUN Instruction", §15.6 "#VMEXIT",
 * §15.5.2 "VMSAVE and VMLOAD Instructions"). VMRUN switches only part of
 * the state; FS, GS, TR, LDTR, KernelGsBase and the SYSCALL/SYSENTER MSRs
 * are moved with VMLOAD/VMSAVE: the guest's before VMRUN and after the
 * exit, then the host's again (its TR holds the IST stacks). RAX and RSP
 * of the guest live in the VMCB, the other registers in struct svm_gprs.
 *
 * void svm_run_loop(struct hv_vcpu *v): never returns. [rsp] holds v.
 */
#define GPR(r) 8 * r

	.text
	.globl svm_run_loop
svm_run_loop:
	pushq %rdi
1:
	movq (%rsp), %rax
	movq 0x00(%rax), %rbx
	movq 0x08(%rax), %rcx
	movq 0x10(%rax), %rdx
	movq 0x18(%rax), %rsi
	movq 0x28(%rax), %rbp
	movq 0x30(%rax), %r8
	movq 0x38(%rax), %r9
	movq 0x40(%rax), %r10
	movq 0x48(%rax), %r11
	movq 0x50(%rax), %r12
	movq 0x58(%rax), %r13
	movq 0x60(%rax), %r14
	movq 0x68(%rax), %r15
	movq 0x20(%rax), %rdi
	movq 0x70(%rax), %rax           /* VCPU_VMCB_PA */
	vmload %rax
	vmrun %rax
	vmsave %rax
	pushq %rdi
	movq 8(%rsp), %rdi
	movq %rbx, 0x00(%rdi)
	movq %rcx, 0x08(%rdi)
	movq %rdx, 0x10(%rdi)
	movq %rsi, 0x18(%rdi)
	popq 0x20(%rdi)
	movq %rbp, 0x28(%rdi)
	movq %r8, 0x30(%rdi)
	movq %r9, 0x38(%rdi)
	movq %r10, 0x40(%rdi)
	movq %r11, 0x48(%rdi)
	movq %r12, 0x50(%rdi)
	movq %r13, 0x58(%rdi)
	movq %r14, 0x60(%rdi)
	movq %r15, 0x68(%rdi)
	movq 0x78(%rdi), %rax           /* VCPU_HOST_VMCB_PA */
	vmload %rax
	call svm_exit_handler
	jmp 1b
	.section .note.GNU-stack, "", @progbits
