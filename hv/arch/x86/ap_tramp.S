/* SPDX-License-Identifier: MIT */
/*
 * Where an application processor enters the hypervisor (docs/hypervisor.md
 * "Application processors"). ap.c copies [hv_ap_tramp, hv_ap_tramp_end)
 * to the page below 1 MiB the loader reserved and fills in its data block;
 * the hypervisor redirects the OS's start-up IPI to that page. The CPU
 * arrives in real mode at CS:IP = page>>4 : 0 (APM2 §16.5
 * "Interprocessor Interrupts", SIPI; §14.1.5 "Fetching the First
 * Instruction"), and goes 16-bit → 32-bit protected → 64-bit long mode
 * (APM2 §14.6 "Enabling and Activating Long Mode": PAE, CR3, EFER.LME,
 * CR0.PG) on the hypervisor's own page tables, then jumps to hv_ap_entry.
 *
 * The code is position independent: EBX holds the page's linear address
 * from the first instructions on, and every absolute value comes from the
 * data block, so nothing in it needs relocating.
 */
#define TR_OFF(sym) ((sym) - hv_ap_tramp)
#define EFER_MSR 0xc0000080
#define EFER_LME_NXE 0x900
#define CR4_PAE 0x20
/* CR0: PG | WP | NE | ET | MP | PE; CD and NW (set by INIT) cleared. */
#define CR0_LONG 0x80010033

	.section .rodata.ap_tramp, "a"
	.balign 16
	.globl hv_ap_tramp
hv_ap_tramp:
	.code16
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movzwl %ax, %ebx
	shll $4, %ebx
	lgdtl TR_OFF(hv_ap_tramp_gdtr)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl *TR_OFF(hv_ap_tramp_far32)

	.code32
tramp_pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl TR_OFF(hv_ap_tramp_cr3)(%ebx), %eax
	movl %eax, %cr3
	movl $EFER_MSR, %ecx
	rdmsr
	orl $EFER_LME_NXE, %eax
	wrmsr
	movl $CR0_LONG, %eax
	movl %eax, %cr0
	ljmpl *TR_OFF(hv_ap_tramp_far64)(%ebx)

	.code64
tramp_lm64:
	movl %ebx, %ebx
	movq TR_OFF(hv_ap_tramp_entry)(%rbx), %rax
	jmpq *%rax

	/* The data block (ap.c fills in the addresses). */
	.balign 16
	.globl hv_ap_tramp_gdt
hv_ap_tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* 0x08 32-bit code, flat */
	.quad 0x00cf92000000ffff /* 0x10 data, flat */
	.quad 0x00209a0000000000 /* 0x18 64-bit code */
	.globl hv_ap_tramp_gdtr
hv_ap_tramp_gdtr:
	.word 4 * 8 - 1
	.long 0                  /* page + TR_OFF(hv_ap_tramp_gdt) */
	.balign 8
	.globl hv_ap_tramp_far32
hv_ap_tramp_far32:
	.long 0                  /* page + TR_OFF(tramp_pm32) */
	.word 0x08
	.balign 8
	.globl hv_ap_tramp_far64
hv_ap_tramp_far64:
	.long 0                  /* page + TR_OFF(tramp_lm64) */
	.word 0x18
	.balign 8
	.globl hv_ap_tramp_cr3
hv_ap_tramp_cr3:
	.quad 0                  /* hv_host_cr3, below 4 GiB */
	.globl hv_ap_tramp_entry
hv_ap_tramp_entry:
	.quad 0                  /* hv_ap_entry */
	.globl hv_ap_tramp_end
hv_ap_tramp_end:
	.globl hv_ap_tramp_pm32_off, hv_ap_tramp_lm64_off
	.balign 4
hv_ap_tramp_pm32_off:
	.long tramp_pm32 - hv_ap_tramp
hv_ap_tramp_lm64_off:
	.long tramp_lm64 - hv_ap_tramp

	/*
	 * 64-bit, on the hypervisor's page tables and the trampoline's GDT,
	 * interrupts off, no stack yet. The CPU finds its stack by its APIC
	 * ID (hv_ap_stacks, filled by ap.c; 0 = not one of ours: stop).
	 */
	.text
	.globl hv_ap_entry
hv_ap_entry:
	movl $1, %eax
	cpuid
	shrl $24, %ebx
	movl %ebx, %edi
	leaq hv_ap_stacks(%rip), %rax
	movq (%rax,%rbx,8), %rsp
	testq %rsp, %rsp
	jz 1f
	call hv_ap_main
1:	cli
	hlt
	jmp 1b
	.section .note.GNU-stack, "", @progbits
