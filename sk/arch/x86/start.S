/* SPDX-License-Identifier: MIT */
/*
 * sk.bin starts here: the image header (include/vbs/sk_image.h) and the
 * entry the hypervisor runs on each CPU in VTL1 (hv/arch/x86/svm/vtl.c):
 * 64-bit, CPL 0, interrupts off, RDI = struct vbs_sk_params *, RSI = CPU
 * number, RSP = that CPU's stack in the boot area (the boot CPU, number 0,
 * comes first and alone).
 *
 * CPU 0 applies the image's own R_X86_64_RELATIVE relocations (linked at
 * 0, runs where the loader put it) and initialises the secure kernel
 * (sk_main, which ends on sk's own page tables); other CPUs set up their
 * per-CPU block and load their GDT/TSS/IDT and CPU 0's page tables
 * (sk_percpu_enter, core/main.c). Then every CPU moves to a call stack
 * of its own with an unmapped guard page below it (sk_enter, core/main.c)
 * and enters sk_serve (core/serve.c), which reports that status with its
 * first VTL_RETURN and serves VTL calls for ever.
 */
	/* file_size and mem_size are filled in after the link (sk/sk.mk). */
	.section .text.entry, "ax"
	.globl sk_header
sk_header:
	.ascii "OVBS-SK1"
	.long 1                 /* header_version */
	.long 0x38              /* header_size */
	.quad sk_start - sk_header
	.quad 0                 /* file_size */
	.quad 0                 /* mem_size */
	.quad 0x400000          /* heap_size: 4 MiB for sk_heap (the stacks:
				 * 48 KiB per CPU, up to 64; page tables) */
	.quad 0x200000          /* align: 2 MiB, so the region hides in whole PTs */

	.globl sk_start
sk_start:
	andq $-16, %rsp                 /* System V: 16-byte aligned at calls
					 * (BearSSL's SSE code relies on it) */
	movq %rdi, %r12                 /* params */
	movq %rsi, %r13                 /* CPU number */
	testq %r13, %r13
	jnz 1f
	leaq sk_header(%rip), %rdi
	call sk_relocate
	movslq %eax, %rax
	testq %rax, %rax
	jnz 2f
	movq %r12, %rdi
	call sk_main
	jmp 2f
1:	movl %r13d, %edi
	call sk_percpu_enter
	movslq %eax, %rax
2:	movl %r13d, %edi                /* sk_enter(cpu, status, params): */
	movq %rax, %rsi                 /* core/main.c, onto this CPU's */
	movq %r12, %rdx                 /* guarded call stack, sk_serve */
	call sk_enter
3:	cli
	hlt
	jmp 3b

	/*
	 * void sk_run_on_stack(uint32_t cpu, int64_t status,
	 *                      const struct vbs_sk_params *p, uint64_t top,
	 *                      void (*fn)(cpu, status, p))
	 * fn(cpu, status, p) with RSP = top (page aligned, so 16-byte
	 * aligned at the call: System V); never returns.
	 */
	.globl sk_run_on_stack
sk_run_on_stack:
	movq %rcx, %rsp
	xorl %ebp, %ebp
	call *%r8
4:	cli
	hlt
	jmp 4b

	/*
	 * uint64_t sk_vtl_return(uint64_t status, uint64_t *cpu,
	 *                        uint64_t *caller)
	 * VTL_RETURN (include/vbs/hypercall.h, 0x12) with RBX = status; the
	 * hypervisor resumes here at the next VTL call with RBX = the
	 * request's guest-physical address, RCX = CPU, RDX = VTL0's RIP. All
	 * other registers are VTL1's own (the hypervisor switches them).
	 */
	.text
	.globl sk_vtl_return
sk_vtl_return:
	pushq %rbx
	movq %rsi, %r8
	movq %rdx, %r9
	movq %rdi, %rbx
	movl $0x12, %eax
	vmmcall
	movq %rcx, (%r8)
	movq %rdx, (%r9)
	movq %rbx, %rax
	popq %rbx
	ret
	.section .note.GNU-stack, "", @progbits
