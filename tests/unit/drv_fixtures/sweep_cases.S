/*
 * Register tracking cases for tests/unit/drv_sweep.c. Each case ends in a
 * call of "watched" (at offset 0); the test checks, call by call, what
 * the sweep knows of rcx there. Cases are separated by "ret" so that no
 * state leaks from one to the next.
 */
	.text
watched:
	ret
other:
	ret

	/* 1: a constant */
	mov	$0x200, %ecx
	call	watched
	ret
	/* 2: paths that disagree on bit 9 */
	mov	$0x200, %ecx
	test	%rdx, %rdx
	je	1f
	xor	%ecx, %ecx
1:	call	watched
	ret
	/* 3: paths that agree on bit 9 and disagree on bit 0 */
	test	%rdx, %rdx
	je	1f
	mov	$0x200, %ecx
	jmp	2f
1:	mov	$0x201, %ecx
2:	call	watched
	ret
	/* 4: a loop head starts from nothing known */
	mov	$0x200, %ebx
1:	mov	%rbx, %rcx
	call	watched
	dec	%edx
	jne	1b
	ret
	/* 5: a callee-saved register survives a call */
	mov	$5, %ebx
	call	other
	mov	%rbx, %rcx
	call	watched
	ret
	/* 6: a caller-saved register does not */
	mov	$5, %ecx
	call	other
	call	watched
	ret
	/* 7: a 32-bit write clears bits 63:32 */
	mov	$-1, %rcx
	mov	$7, %ecx
	call	watched
	ret
	/* 8: after a return nothing is known */
	mov	$0x200, %ecx
	ret
	call	watched
	ret
	/* 9: after a jump the state carries on (a cold path) */
	mov	$0x200, %ecx
	jmp	1f
	call	watched
1:	ret
	/* 10: bts and or with a 64-bit immediate */
	xor	%ecx, %ecx
	bts	$9, %rcx
	movabs	$0x8000000000000000, %rax
	or	%rax, %rcx
	call	watched
	ret
	/* 11: a load from memory: unknown, bits 63:32 zero */
	mov	(%rdi), %ecx
	call	watched
	ret
	/* 12: and with an unknown value keeps the known zeros */
	mov	$0x163, %ecx
	and	(%rdi), %rcx
	call	watched
	ret
	/* 13: or with a rip-relative load the caller knows bit 63 of */
	mov	$0x163, %ecx
	or	pte_mask(%rip), %rcx
	call	watched
	ret
pte_mask:
	.quad	0
