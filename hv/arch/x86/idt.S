/* SPDX-License-Identifier: MIT */
/*
 * Exception entry stubs for vectors 0-31, 16 bytes apart (desc.c computes
 * each address as hv_exc_stubs + 16 * vector). Vectors without an error
 * code push a zero (APM2 §8.2 "Vectors": 8, 10-14, 17, 21, 29, 30 push
 * one). Every exception in the hypervisor is fatal: hv_exception() logs
 * and resets. Except NMI: the host takes one only in the SMI handler's
 * STGI window (GIF is 0 everywhere else in the host); it belongs to the
 * guest, so it is recorded in hv_nmi_pending and re-injected
 * (exits/smi.c).
 */
	.text
	.balign 16
	.globl hv_exc_stubs
hv_exc_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign 16
	.if \v == 2
	jmp hv_nmi
	.elseif (\v == 8) || (\v >= 10 && \v <= 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	pushq $\v
	.else
	pushq $0
	pushq $\v
	.endif
	jmp hv_exc_common
	.endr

#define VCPU_HOST_NMIS 0x80 /* struct hv_vcpu, asserted in svm/svm.h */
hv_nmi:
	lock incl %gs:VCPU_HOST_NMIS
	iretq

hv_exc_common:
	pushq %r15
	pushq %r14
	pushq %r13
	pushq %r12
	pushq %r11
	pushq %r10
	pushq %r9
	pushq %r8
	pushq %rbp
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %rcx
	pushq %rbx
	pushq %rax
	movq %rsp, %rdi
	andq $-16, %rsp
	call hv_exception
1:	cli
	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
