// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/insn.c, the instruction length decoder that
 * advances guest RIP where there is no NRIPS, and the store decoder that
 * emulates writes to the xAPIC page. Encodings checked against objdump
 * (binutils) output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/insn.h"

struct insn_case {
	const char *what;
	uint8_t bytes[16];
	size_t n;
	enum insn_mode mode;
	int len;
};

#define C(w, m, l, ...) { w, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), m, l }
#define M64 INSN_MODE64
#define M32 INSN_MODE32
#define M16 INSN_MODE16

static const struct insn_case cases[] = {
	C("cpuid", M64, 2, 0x0f, 0xa2),
	C("ds cpuid", M64, 3, 0x3e, 0x0f, 0xa2),
	C("cs ds cpuid", M64, 4, 0x2e, 0x3e, 0x0f, 0xa2),
	C("opsize cpuid", M64, 3, 0x66, 0x0f, 0xa2),
	C("rex.w cpuid", M64, 3, 0x48, 0x0f, 0xa2),
	C("rdmsr", M64, 2, 0x0f, 0x32),
	C("wrmsr", M64, 2, 0x0f, 0x30),
	C("vmmcall", M64, 3, 0x0f, 0x01, 0xd9),
	C("vmrun", M64, 3, 0x0f, 0x01, 0xd8),
	C("mov %eax,(%rcx)", M64, 2, 0x89, 0x01),
	C("mov %edx,0x300(%rax)", M64, 6, 0x89, 0x90, 0x00, 0x03, 0x00, 0x00),
	C("mov %eax,0xfee00300 (sib abs32)", M64, 7, 0x89, 0x04, 0x25, 0x00,
	  0x03, 0xe0, 0xfe),
	C("mov %eax,0x10(%rip)", M64, 6, 0x89, 0x05, 0x10, 0, 0, 0),
	C("mov %eax,0x8(%rsp)", M64, 4, 0x89, 0x44, 0x24, 0x08),
	C("movl $1,0x10(%rbx)", M64, 7, 0xc7, 0x43, 0x10, 1, 0, 0, 0),
	C("movw $1,(%rax)", M64, 5, 0x66, 0xc7, 0x00, 1, 0),
	C("movabs $imm64,%rax", M64, 10, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8),
	C("mov $imm32,%eax", M64, 5, 0xb8, 1, 2, 3, 4),
	C("movabs 0x..,%eax (moffs64)", M64, 9, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8),
	C("addr32 moffs", M64, 6, 0x67, 0xa1, 1, 2, 3, 4),
	C("testb $1,(%rax)", M64, 3, 0xf6, 0x00, 0x01),
	C("testl $1,(%rax)", M64, 6, 0xf7, 0x00, 1, 0, 0, 0),
	C("notl (%rax)", M64, 2, 0xf7, 0x10),
	C("lock cmpxchg %ecx,(%rdx)", M64, 4, 0xf0, 0x0f, 0xb1, 0x0a),
	C("xchg %eax,(%rdx)", M64, 2, 0x87, 0x02),
	C("rep stosb", M64, 2, 0xf3, 0xaa),
	C("jmp rel32", M64, 5, 0xe9, 0, 0, 0, 0),
	C("jne rel32", M64, 6, 0x0f, 0x85, 0, 0, 0, 0),
	C("enter", M64, 4, 0xc8, 0x10, 0x00, 0x00),
	C("pshufb (0f 38)", M64, 5, 0x66, 0x0f, 0x38, 0x00, 0xc1),
	C("palignr (0f 3a)", M64, 6, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 0x08),
	C("bt $3,%eax", M64, 4, 0x0f, 0xba, 0xe0, 0x03),
	C("16-bit: mov %ax,(0x1234)", M16, 4, 0x89, 0x06, 0x34, 0x12),
	C("16-bit: mov $imm16,%ax", M16, 3, 0xb8, 0x34, 0x12),
	C("16-bit: opsize mov $imm32,%eax", M16, 6, 0x66, 0xb8, 1, 2, 3, 4),
	C("16-bit: ljmp ptr16:16", M16, 5, 0xea, 0, 0, 0, 0),
	C("32-bit: ljmp ptr16:32", M32, 7, 0xea, 0, 0, 0, 0, 0, 0),
	C("32-bit: mov 0x..,%eax (moffs32)", M32, 5, 0xa1, 1, 2, 3, 4),
	C("32-bit: inc %eax", M32, 1, 0x40),
	C("32-bit: addr16 mov %eax,(%bx+si)", M32, 3, 0x67, 0x89, 0x00),
};

static void test_lengths(void **state)
{
	size_t i;
	int got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = insn_length(cases[i].bytes, cases[i].n, cases[i].mode);
		if (got != cases[i].len)
			print_error("%s: got %d, want %d\n", cases[i].what, got,
				    cases[i].len);
		assert_int_equal(got, cases[i].len);
	}
}

static void test_truncated(void **state)
{
	static const uint8_t b[] = { 0x89, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe };
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(b); n++)
		assert_int_equal(insn_length(b, n, INSN_MODE64), INSN_E_TRUNC);
	assert_int_equal(insn_length(b, sizeof(b), INSN_MODE64), 7);
}

static void test_too_long(void **state)
{
	uint8_t b[16];
	size_t i;

	(void)state;
	for (i = 0; i < 14; i++)
		b[i] = 0x3e;
	b[14] = 0x0f;
	b[15] = 0xa2;
	/* 14 prefixes + 2 opcode bytes = 16 > 15 */
	assert_true(insn_length(b, sizeof(b), INSN_MODE64) < 0);
	/* 13 prefixes + cpuid = 15: the longest legal instruction */
	assert_int_equal(insn_length(b + 1, 15, INSN_MODE64), 15);
}

static void test_invalid_and_unsupported(void **state)
{
	static const uint8_t pusha[] = { 0x60 };
	static const uint8_t vex[] = { 0xc5, 0xf8, 0x77 };
	static const uint8_t evex[] = { 0x62, 0xf1, 0x7c, 0x48, 0x28, 0xc1 };
	static const uint8_t bound[] = { 0x62, 0x01 }; /* 32-bit: BOUND */

	(void)state;
	assert_int_equal(insn_length(pusha, 1, INSN_MODE64), INSN_E_INVALID);
	assert_int_equal(insn_length(pusha, 1, INSN_MODE32), 1);
	assert_int_equal(insn_length(vex, 3, INSN_MODE64), INSN_E_UNSUPP);
	assert_int_equal(insn_length(evex, 6, INSN_MODE64), INSN_E_UNSUPP);
	assert_int_equal(insn_length(bound, 2, INSN_MODE32), 2);
}

/*
 * insn_decode_store. Encodings are `objdump -d` output of `as --64/--32`
 * (16-bit: `.code16`, `objdump -Mi8086`) or of gcc 12 -O2 builds of:
 *   Linux 6.1 native_apic_mem_write() (arch/x86/include/asm/apic.h):
 *     asm volatile("movl %0, %P1" : "=r"(v), "=m"(*addr) : "0"(v), "m"(*addr))
 *     and its X86_BUG_11AP alternative "xchgl %0, %P1", with
 *     addr = APIC_BASE + reg, -mcmodel=kernel; a constant reg gives
 *     [abs32] through SIB (89 /r 25), a variable one [base+disp32] (89 /r
 *     mod 2). Debian's 6.1 kernel image has exactly these forms:
 *     89 3c 25, 89 14 25, 89 34 25 (abs32), 89 b7 (disp32(%rdi)) and 87
 *     with the same operands. The tests use APIC_BASE 0xfffffffffee00000,
 *     so the bytes name no real kernel address.
 *   EDK2 MmioWrite32() (MdePkg BaseIoLibIntrinsic, X64, MS ABI):
 *     *(volatile UINT32 *)Address = Value  ->  89 11 mov %edx,(%rcx)
 */
struct store_case {
	const char *what;
	uint8_t bytes[16];
	size_t n;
	enum insn_mode mode;
	uint8_t kind, size, reg;
	bool high8;
	uint64_t imm;
};

#define R INSN_STORE_REG
#define I INSN_STORE_IMM
#define XR INSN_XCHG_REG
/* what, mode, kind, size, reg, high8, imm, bytes...; len = byte count */
#define S(w, m, k, sz, r, h, im, ...) \
	{ w, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), m, k, sz, r, h, im }

static const struct store_case stores[] = {
	/* 64-bit: the guests' own APIC writes */
	S("OVMF MmioWrite32: mov %edx,(%rcx)", M64, R, 4, 2, 0, 0, 0x89, 0x11),
	S("Linux: mov %edi,0xfffffffffee00300 (SIB abs32)", M64, R, 4, 7, 0, 0,
	  0x89, 0x3c, 0x25, 0x00, 0x03, 0xe0, 0xfe),
	S("Linux: mov %esi,0xfffffffffee00310 (ICR_HI)", M64, R, 4, 6, 0, 0,
	  0x89, 0x34, 0x25, 0x10, 0x03, 0xe0, 0xfe),
	S("Linux: mov %edx,0xfffffffffee00300", M64, R, 4, 2, 0, 0,
	  0x89, 0x14, 0x25, 0x00, 0x03, 0xe0, 0xfe),
	S("Linux: mov %esi,-0x1200000(%rdi) (base+disp32)", M64, R, 4, 6, 0, 0,
	  0x89, 0xb7, 0x00, 0x00, 0xe0, 0xfe),
	S("Linux 11AP: xchg %eax,-0x1200000(%rdi)", M64, XR, 4, 0, 0, 0,
	  0x87, 0x87, 0x00, 0x00, 0xe0, 0xfe),
	S("Linux 11AP: xchg %esi,0xfffffffffee00300", M64, XR, 4, 6, 0, 0,
	  0x87, 0x34, 0x25, 0x00, 0x03, 0xe0, 0xfe),
	/* 64-bit: every form, sizes, REX */
	S("mov %al,(%rbx)", M64, R, 1, 0, 0, 0, 0x88, 0x03),
	S("mov %ah,(%rbx)", M64, R, 1, 4, 1, 0, 0x88, 0x23),
	S("mov %sil,(%rbx) (REX 40: not DH)", M64, R, 1, 6, 0, 0, 0x40, 0x88, 0x33),
	S("mov %spl,(%rax)", M64, R, 1, 4, 0, 0, 0x40, 0x88, 0x20),
	S("mov %esp,(%rax) (reg 4, not high8)", M64, R, 4, 4, 0, 0, 0x89, 0x20),
	S("mov %r9b,(%rbx) (REX.R)", M64, R, 1, 9, 0, 0, 0x44, 0x88, 0x0b),
	S("mov %r12b,(%rax) (REX.R, reg 4)", M64, R, 1, 12, 0, 0, 0x44, 0x88, 0x20),
	S("mov %cx,(%rbx)", M64, R, 2, 1, 0, 0, 0x66, 0x89, 0x0b),
	S("mov %rax,(%rbx)", M64, R, 8, 0, 0, 0, 0x48, 0x89, 0x03),
	S("mov %r15,0x10(%rax) (REX.WR)", M64, R, 8, 15, 0, 0, 0x4c, 0x89, 0x78, 0x10),
	S("mov %r10d,(%rcx) (REX.R)", M64, R, 4, 10, 0, 0, 0x44, 0x89, 0x11),
	S("mov %r8d,(%r9) (REX.RB)", M64, R, 4, 8, 0, 0, 0x45, 0x89, 0x01),
	S("mov %edx,(%r8) (REX.B: not the register)", M64, R, 4, 2, 0, 0,
	  0x41, 0x89, 0x10),
	S("66 REX.W mov: REX.W wins (mov %rax,(%rbx))", M64, R, 8, 0, 0, 0,
	  0x66, 0x48, 0x89, 0x03),
	S("REX.W then 66: REX cancelled (mov %ax,(%rbx))", M64, R, 2, 0, 0, 0,
	  0x48, 0x66, 0x89, 0x03),
	S("REX then 3e: REX cancelled (mov %ah,%ds:(%rbx))", M64, R, 1, 4, 1, 0,
	  0x44, 0x3e, 0x88, 0x23),
	S("66 on a byte store: size 1", M64, R, 1, 0, 0, 0, 0x66, 0x88, 0x03),
	S("movb $0xfe,(%rax)", M64, I, 1, 0, 0, 0xfe, 0xc6, 0x00, 0xfe),
	S("movw $0xbeef,(%rax)", M64, I, 2, 0, 0, 0xbeef, 0x66, 0xc7, 0x00, 0xef, 0xbe),
	S("movl $0xc500,0xfffffffffee00300", M64, I, 4, 0, 0, 0xc500,
	  0xc7, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0xc5, 0x00, 0x00),
	S("movl $0x699,0xfffffffffee00300", M64, I, 4, 0, 0, 0x699,
	  0xc7, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe, 0x99, 0x06, 0x00, 0x00),
	S("movl $0xfffffffe,(%rax): zero-extended", M64, I, 4, 0, 0, 0xfffffffeull,
	  0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff),
	S("movq $-2,(%rax): sign-extended imm32", M64, I, 8, 0, 0,
	  0xfffffffffffffffeull, 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff),
	S("movq $0x7fffffff,(%rax)", M64, I, 8, 0, 0, 0x7fffffff,
	  0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f),
	S("movl $1,%gs:0x8(%rax)", M64, I, 4, 0, 0, 1,
	  0x65, 0xc7, 0x40, 0x08, 0x01, 0x00, 0x00, 0x00),
	S("xchg %eax,(%rdx)", M64, XR, 4, 0, 0, 0, 0x87, 0x02),
	S("lock xchg %eax,(%rdx)", M64, XR, 4, 0, 0, 0, 0xf0, 0x87, 0x02),
	S("lock xchg %rax,(%rdx)", M64, XR, 8, 0, 0, 0, 0xf0, 0x48, 0x87, 0x02),
	S("xchg %bh,(%rdx)", M64, XR, 1, 7, 1, 0, 0x86, 0x3a),
	S("xchg %r12,(%rdx)", M64, XR, 8, 12, 0, 0, 0x4c, 0x87, 0x22),
	S("xchg %r12w,(%rdx)", M64, XR, 2, 12, 0, 0, 0x66, 0x44, 0x87, 0x22),
	S("movabs %al,moffs64", M64, R, 1, 0, 0, 0,
	  0xa2, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	S("movabs %eax,moffs64", M64, R, 4, 0, 0, 0,
	  0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	S("movabs %rax,moffs64", M64, R, 8, 0, 0, 0,
	  0x48, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	S("movabs %ax,moffs64", M64, R, 2, 0, 0, 0,
	  0x66, 0xa3, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	S("addr32 mov %eax,moffs32 (67: 4-byte offset)", M64, R, 4, 0, 0, 0,
	  0x67, 0xa3, 0x44, 0x33, 0x22, 0x11),
	S("mov %eax,%fs:(%rax)", M64, R, 4, 0, 0, 0, 0x64, 0x89, 0x00),
	S("es cs ss ds fs gs mov %edx,(%rcx)", M64, R, 4, 2, 0, 0,
	  0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x89, 0x11),
	S("mov %eax,0x10(%rip)", M64, R, 4, 0, 0, 0, 0x89, 0x05, 0x10, 0, 0, 0),
	S("mov %eax,-0x1200000(%rdi,%rsi,4)", M64, R, 4, 0, 0, 0,
	  0x89, 0x84, 0xb7, 0x00, 0x00, 0xe0, 0xfe),
	S("addr32 mov %eax,(%eax)", M64, R, 4, 0, 0, 0, 0x67, 0x89, 0x00),
	/* 32-bit */
	S("32: mov %edx,(%ecx)", M32, R, 4, 2, 0, 0, 0x89, 0x11),
	S("32: mov %eax,0xfee00300 (moffs32)", M32, R, 4, 0, 0, 0,
	  0xa3, 0x00, 0x03, 0xe0, 0xfe),
	S("32: movl $0xc4500,0xfee00300 (OVMF INIT all-but-self)", M32, I, 4, 0, 0,
	  0xc4500, 0xc7, 0x05, 0x00, 0x03, 0xe0, 0xfe, 0x00, 0x45, 0x0c, 0x00),
	S("32: mov %dh,(%ecx)", M32, R, 1, 6, 1, 0, 0x88, 0x31),
	S("32: mov %dx,(%ecx)", M32, R, 2, 2, 0, 0, 0x66, 0x89, 0x11),
	S("32: movw $0x1234,(%ecx)", M32, I, 2, 0, 0, 0x1234, 0x66, 0xc7, 0x01, 0x34, 0x12),
	S("32: xchg %ecx,0xfee00300", M32, XR, 4, 1, 0, 0,
	  0x87, 0x0d, 0x00, 0x03, 0xe0, 0xfe),
	S("32: lock xchg %ecx,(%eax)", M32, XR, 4, 1, 0, 0, 0xf0, 0x87, 0x08),
	S("32: mov %al,moffs32", M32, R, 1, 0, 0, 0, 0xa2, 0x44, 0x33, 0x22, 0x11),
	S("32: mov %ax,moffs32", M32, R, 2, 0, 0, 0, 0x66, 0xa3, 0x44, 0x33, 0x22, 0x11),
	S("32: addr16 mov %eax,moffs16", M32, R, 4, 0, 0, 0, 0x67, 0xa3, 0x34, 0x12),
	S("32: addr16 mov %eax,(%bx,%si)", M32, R, 4, 0, 0, 0, 0x67, 0x89, 0x00),
	S("32: mov %edx,-0x1200000(%edi)", M32, R, 4, 2, 0, 0,
	  0x89, 0x97, 0x00, 0x00, 0xe0, 0xfe),
	/* 16-bit: default operand and address size 16 */
	S("16: mov %ax,(%bx)", M16, R, 2, 0, 0, 0, 0x89, 0x07),
	S("16: mov %eax,(%bx) (66: 32-bit)", M16, R, 4, 0, 0, 0, 0x66, 0x89, 0x07),
	S("16: mov %dx,0x300(%bx,%si)", M16, R, 2, 2, 0, 0, 0x89, 0x90, 0x00, 0x03),
	S("16: movw $0x4500,(%di)", M16, I, 2, 0, 0, 0x4500, 0xc7, 0x05, 0x00, 0x45),
	S("16: movl $0xc4500,(%di)", M16, I, 4, 0, 0, 0xc4500,
	  0x66, 0xc7, 0x05, 0x00, 0x45, 0x0c, 0x00),
	S("16: mov %eax,(%ecx) (67 66)", M16, R, 4, 0, 0, 0, 0x67, 0x66, 0x89, 0x01),
	S("16: mov %ax,moffs16", M16, R, 2, 0, 0, 0, 0xa3, 0x34, 0x12),
	S("16: mov %eax,moffs16", M16, R, 4, 0, 0, 0, 0x66, 0xa3, 0x34, 0x12),
	S("16: addr32 mov %eax,moffs32", M16, R, 4, 0, 0, 0,
	  0x67, 0x66, 0xa3, 0x00, 0x03, 0xe0, 0xfe),
	S("16: mov %bh,(%bx)", M16, R, 1, 7, 1, 0, 0x88, 0x3f),
	S("16: xchg %ax,(%bx)", M16, XR, 2, 0, 0, 0, 0x87, 0x07),
};

static void fill(struct insn_store *st)
{
	memset(st, 0xa5, sizeof(*st));
}

static bool store_zero(const struct insn_store *st)
{
	return st->len == 0 && st->kind == 0 && st->size == 0 && st->reg == 0 &&
	       !st->reg_high8 && st->imm == 0;
}

static void check_store(const struct store_case *c, const uint8_t *b,
			size_t avail)
{
	struct insn_store st;
	int rc;

	fill(&st);
	rc = insn_decode_store(b, avail, c->mode, &st);
	if (rc != 0 || st.len != c->n || st.kind != c->kind ||
	    st.size != c->size || st.imm != c->imm ||
	    ((c->kind != INSN_STORE_IMM) &&
	     (st.reg != c->reg || st.reg_high8 != c->high8)))
		print_error("%s: rc %d len %u kind %u size %u reg %u high8 %d "
			    "imm %#llx\n", c->what, rc, st.len, st.kind, st.size,
			    st.reg, st.reg_high8, (unsigned long long)st.imm);
	assert_int_equal(rc, 0);
	assert_int_equal(st.len, c->n);
	assert_int_equal(st.kind, c->kind);
	assert_int_equal(st.size, c->size);
	assert_int_equal(st.imm, c->imm);
	if (c->kind == INSN_STORE_IMM) {
		assert_int_equal(st.reg, 0);
		assert_false(st.reg_high8);
	} else {
		assert_int_equal(st.reg, c->reg);
		assert_int_equal(st.reg_high8, c->high8);
	}
	/* the length decoder agrees */
	assert_int_equal(insn_length(b, avail, c->mode), (int)c->n);
}

static void test_store_forms(void **state)
{
	uint8_t buf[INSN_MAX_LEN + 5];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		check_store(&stores[i], stores[i].bytes, stores[i].n);
		/* bytes after the instruction change nothing */
		memset(buf, 0xcc, sizeof(buf));
		memcpy(buf, stores[i].bytes, stores[i].n);
		check_store(&stores[i], buf, sizeof(buf));
	}
}

/* Every proper prefix of every valid store is INSN_E_TRUNC, with *out
 * zeroed; nothing is read beyond avail (ASan: each prefix is copied into
 * a buffer of exactly that size). */
static void test_store_truncated(void **state)
{
	struct insn_store st;
	uint8_t *b;
	size_t i, n;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
		for (n = 0; n < stores[i].n; n++) {
			b = malloc(n ? n : 1);
			assert_non_null(b);
			memcpy(b, stores[i].bytes, n);
			fill(&st);
			rc = insn_decode_store(b, n, stores[i].mode, &st);
			free(b);
			if (rc != INSN_E_TRUNC)
				print_error("%s: %zu of %zu bytes: rc %d\n",
					    stores[i].what, n, stores[i].n, rc);
			assert_int_equal(rc, INSN_E_TRUNC);
			assert_true(store_zero(&st));
		}
	}
}

struct reject_case {
	const char *what;
	uint8_t bytes[16];
	size_t n;
	enum insn_mode mode;
	int rc;
};

#define J(w, m, rc, ...) { w, { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ }), m, rc }
#define NS INSN_E_NOTSTORE

static const struct reject_case rejects[] = {
	/* register destinations (ModRM.mod = 3) */
	J("mov %ecx,%eax", M64, NS, 0x89, 0xc8),
	J("mov %ah,%al", M64, NS, 0x88, 0xe0),
	J("mov %rax,%rbx", M64, NS, 0x48, 0x89, 0xc3),
	J("xchg %edx,%eax (87 /r)", M64, NS, 0x87, 0xd0),
	J("xchg %al,%ah", M64, NS, 0x86, 0xc4),
	J("movb $1,%al (c6 c0)", M64, NS, 0xc6, 0xc0, 0x01),
	J("movl $1,%eax (c7 c0)", M64, NS, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00),
	J("16: mov %ax,%bx", M16, NS, 0x89, 0xc3),
	/* C6/C7 other than /0 */
	J("c7 /1", M64, NS, 0xc7, 0x08, 0x00, 0x00, 0x00, 0x00),
	J("xabort $1 (c6 f8)", M64, NS, 0xc6, 0xf8, 0x01),
	J("xbegin (c7 f8)", M64, NS, 0xc7, 0xf8, 0x00, 0x00, 0x00, 0x00),
	/* loads and other instructions */
	J("mov 0xfffffffffee00300,%eax (8b: load)", M64, NS,
	  0x8b, 0x04, 0x25, 0x00, 0x03, 0xe0, 0xfe),
	J("mov (%rbx),%al (8a: load)", M64, NS, 0x8a, 0x03),
	J("mov moffs,%eax (a1: load)", M32, NS, 0xa1, 0x00, 0x03, 0xe0, 0xfe),
	J("mov moffs,%al (a0: load)", M32, NS, 0xa0, 0x00, 0x03, 0xe0, 0xfe),
	J("add %edx,(%rcx)", M64, NS, 0x01, 0x11),
	J("lock add %edx,(%rcx)", M64, NS, 0xf0, 0x01, 0x11),
	J("lock cmpxchg %ecx,(%rdx)", M64, NS, 0xf0, 0x0f, 0xb1, 0x0a),
	J("cpuid", M64, NS, 0x0f, 0xa2),
	J("stos", M64, NS, 0xab),
	J("rep stos", M64, NS, 0xf3, 0xab),
	J("xchg %eax,%ecx (91)", M64, NS, 0x91),
	J("32: dec %eax; mov %eax,(%ebx) (48 is not REX)", M32, NS, 0x48, 0x89, 0x03),
	/* prefixes */
	J("repz mov %edx,(%rcx)", M64, NS, 0xf3, 0x89, 0x11),
	J("repnz mov %edx,(%rcx)", M64, NS, 0xf2, 0x89, 0x11),
	J("xacquire lock xchg %eax,(%rdx)", M64, NS, 0xf2, 0xf0, 0x87, 0x02),
	J("xrelease xchg %eax,(%rdx)", M64, NS, 0xf3, 0x87, 0x02),
	J("lock mov %edx,(%rcx): #UD", M64, INSN_E_INVALID, 0xf0, 0x89, 0x11),
	J("lock movl $1,(%rax): #UD", M64, INSN_E_INVALID,
	  0xf0, 0xc7, 0x00, 0x01, 0x00, 0x00, 0x00),
	J("lock mov %eax,moffs32: #UD", M32, INSN_E_INVALID,
	  0xf0, 0xa3, 0x00, 0x03, 0xe0, 0xfe),
	/* errors of the length decoder come through */
	J("pusha in 64-bit mode", M64, INSN_E_INVALID, 0x60),
	J("vzeroupper (VEX)", M64, INSN_E_UNSUPP, 0xc5, 0xf8, 0x77),
	J("moffs64 cut short", M64, INSN_E_TRUNC, 0xa3, 1, 2, 3, 4, 5, 6, 7),
};

static void test_store_rejected(void **state)
{
	struct insn_store st;
	size_t i, n;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(rejects) / sizeof(rejects[0]); i++) {
		n = rejects[i].n;
		fill(&st);
		rc = insn_decode_store(rejects[i].bytes, n, rejects[i].mode, &st);
		if (rc != rejects[i].rc)
			print_error("%s: rc %d, want %d\n", rejects[i].what, rc,
				    rejects[i].rc);
		assert_int_equal(rc, rejects[i].rc);
		assert_true(store_zero(&st));
	}
	fill(&st);
	assert_int_equal(insn_decode_store(rejects[0].bytes, 0, INSN_MODE64, &st),
			 INSN_E_TRUNC);
	assert_true(store_zero(&st));
}

static void test_store_too_long(void **state)
{
	struct insn_store st;
	uint8_t b[16];
	size_t i;

	(void)state;
	for (i = 0; i < 14; i++)
		b[i] = 0x3e;
	b[14] = 0x89;
	b[15] = 0x11;
	/* 14 prefixes + 89 11 = 16 bytes: an error (the length decoder
	 * looks at 15 bytes at most, so it finds the ModRM missing) */
	fill(&st);
	assert_true(insn_decode_store(b, sizeof(b), INSN_MODE64, &st) < 0);
	assert_true(store_zero(&st));
	/* 13 prefixes + 89 11 = 15: decodes */
	assert_int_equal(insn_decode_store(b + 1, 15, INSN_MODE64, &st), 0);
	assert_int_equal(st.len, 15);
	assert_int_equal(st.reg, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_invalid_and_unsupported),
		cmocka_unit_test(test_store_forms),
		cmocka_unit_test(test_store_truncated),
		cmocka_unit_test(test_store_rejected),
		cmocka_unit_test(test_store_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
