// SPDX-License-Identifier: MIT
/*
 * Unit tests: hv/arch/x86/insn.c, the instruction length decoder that
 * advances guest RIP where there is no NRIPS. Encodings checked against
 * objdump (binutils) output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_invalid_and_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
