/* SPDX-License-Identifier: MIT */
/*
 * Register values at call sites, for the call-site rules of vbs-drvcheck
 * (docs/drvcheck.md, "Call sites"): a linear sweep of x86-64 code with
 * Capstone that tracks, bit by bit, what is known about each general
 * purpose register, and reports the register file at every call of a
 * watched function. The caller (PE or ELF) says which calls are watched
 * and what a rip-relative memory operand holds; this file knows neither
 * format.
 *
 * Control flow: the state at an instruction is the join of the state
 * falling into it and of the states at every direct forward branch to it
 * (a bit stays known only when all of them agree on it). Function entries
 * (given by the caller, plus direct call targets) and targets of backward
 * branches (loops) start from nothing known. After an unconditional jump
 * the next instruction keeps the state from before the jump (it is reached
 * from elsewhere in the function: a cold path or an alternatives
 * replacement), after a return it starts from nothing known. Branches
 * through registers or jump tables are not followed.
 */
#ifndef VBS_DRVCHECK_SWEEP_H
#define VBS_DRVCHECK_SWEEP_H

#include <stddef.h>
#include <stdint.h>

/* A 64-bit value known bit by bit: bit i is known when known has it set. */
struct drv_bits {
	uint64_t known;
	uint64_t value;  /* zero outside known */
};

/* Register file indices, in the hardware encoding order. */
enum drv_reg {
	DRV_RAX, DRV_RCX, DRV_RDX, DRV_RBX, DRV_RSP, DRV_RBP, DRV_RSI, DRV_RDI,
	DRV_R8, DRV_R9, DRV_R10, DRV_R11, DRV_R12, DRV_R13, DRV_R14, DRV_R15,
	DRV_NREGS
};

/* Which registers a call clobbers: System V (Linux) or Microsoft x64. */
enum drv_abi { DRV_ABI_SYSV, DRV_ABI_MS };

/* A run of code: an executable section's bytes at address addr. */
struct drv_code {
	const uint8_t *bytes;
	size_t len;
	uint64_t addr;   /* PE: the section's RVA; ELF: 0 (section offsets) */
};

/* A direct call or jump, as the caller's callbacks see it. */
struct drv_branch {
	uint64_t addr;      /* of the instruction */
	uint8_t size;
	uint8_t is_call;    /* call, else jmp (jcc are never call sites) */
	uint8_t via_mem;    /* call/jmp [rip+disp]: target is the slot address */
	uint8_t field_off;  /* offset of the rel32 or disp32 field in it */
	uint64_t target;
};

struct drv_sweep_ops {
	enum drv_abi abi;
	const uint64_t *starts;  /* function entries, sorted ascending */
	size_t nstarts;
	void *ctx;
	/* Pass 1, optional: every call and unconditional jump. */
	void (*branch_seen)(void *ctx, const struct drv_branch *b);
	/* Pass 2: the watched callee a call or tail jump reaches, or -1. */
	int (*callee)(void *ctx, const struct drv_branch *b);
	/* Optional: what a size-byte rip-relative load at insn_addr reads. */
	struct drv_bits (*load)(void *ctx, uint64_t insn_addr,
				uint8_t disp_off, unsigned int size);
	/* A call site: the register file just before the call. */
	void (*site)(void *ctx, uint64_t insn_addr, int callee,
		     const struct drv_bits *regs);
};

/*
 * Sweep code[0, ncode). Returns the number of call sites reported, or -1
 * when Capstone cannot be opened or memory runs out.
 */
int drv_sweep(const struct drv_code *code, size_t ncode,
	      const struct drv_sweep_ops *ops);

static inline struct drv_bits drv_bits_unknown(void)
{
	struct drv_bits b = { 0, 0 };

	return b;
}

static inline struct drv_bits drv_bits_const(uint64_t v)
{
	struct drv_bits b = { ~0ull, v };

	return b;
}

/* 1 or 0 when bit is known, -1 when it is not. */
static inline int drv_bit(const struct drv_bits *b, unsigned int bit)
{
	if (!(b->known >> bit & 1))
		return -1;
	return (int)(b->value >> bit & 1);
}

#endif
