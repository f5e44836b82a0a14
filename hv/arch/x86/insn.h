/* SPDX-License-Identifier: MIT */
/*
 * x86 instruction length decoder and store decoder (pure; also built on
 * the host for tests/unit/hv_insn.c). The length is used where the CPU
 * gives no next RIP (no NRIPS on this test bed, docs/hypervisor.md
 * "Exits"): the bytes at guest RIP are fetched through the guest's page
 * tables and measured here. The store decoder serves writes that fault in
 * the nested page tables without decode assists (the xAPIC page,
 * docs/testbed.md "Multiple CPUs").
 */
#ifndef HV_X86_INSN_H
#define HV_X86_INSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INSN_MAX_LEN 15 /* SDM2 §2.3.11 "AVX Instruction Length" / APM3 §1.1 */

enum insn_mode { INSN_MODE16, INSN_MODE32, INSN_MODE64 };

/* Errors (negative returns of insn_length and insn_decode_store). */
#define INSN_E_TRUNC   (-1) /* needs more than avail bytes */
#define INSN_E_INVALID (-2) /* opcode invalid in this mode */
#define INSN_E_UNSUPP  (-3) /* VEX/EVEX/XOP: not decoded here */
#define INSN_E_LONG    (-4) /* longer than 15 bytes */
#define INSN_E_NOTSTORE (-5) /* decodes, but is not a store insn_decode_store knows */

/* Length of the instruction at b[0..avail), or an INSN_E_* error. */
int insn_length(const uint8_t *b, size_t avail, enum insn_mode mode);

/*
 * A store to memory, decoded for the emulation of a write that faulted in
 * the nested page tables (the xAPIC page): what is written and how wide.
 * The address is not decoded: the NPF gives it (EXITINFO2).
 */
enum insn_store_kind { INSN_STORE_REG, INSN_STORE_IMM, INSN_XCHG_REG };
struct insn_store {
	uint8_t len;      /* whole instruction length (insn_length) */
	uint8_t kind;     /* enum insn_store_kind */
	uint8_t size;     /* operand size in bytes: 1, 2, 4 or 8 */
	uint8_t reg;      /* REG/XCHG: GPR number 0..15 = rax rcx rdx rbx rsp
			     rbp rsi rdi r8..r15 (ModRM.reg + REX.R; for
			     A2/A3 it is 0 = rax) */
	bool reg_high8;   /* size 1 without REX and reg 4..7: AH CH DH BH */
	uint64_t imm;     /* IMM: the immediate, zero-extended; for size 8
			     (REX.W C7) the sign-extended imm32 */
};

/*
 * Decodes a store to memory at b[0..avail): 88/89 /r (mov r/m, r),
 * C6/C7 /0 (mov r/m, imm), 86/87 /r (xchg r/m, r), A2/A3 (mov moffs,
 * AL/eAX/rAX). Prefixes: segment overrides, 66, 67, F0 (lock: only with
 * xchg), REX in 64-bit mode. The r/m operand must be memory
 * (ModRM.mod != 3). Returns 0 and fills *out, or a negative INSN_E_*
 * (*out then zeroed): the errors of insn_length, INSN_E_INVALID for LOCK
 * on a mov (#UD), INSN_E_NOTSTORE for any other instruction, a register
 * destination, or F2/F3 prefixes.
 */
int insn_decode_store(const uint8_t *b, size_t avail, enum insn_mode mode,
		      struct insn_store *out);

#endif
