/* SPDX-License-Identifier: MIT */
/*
 * x86 instruction length decoder (pure; also built on the host for
 * tests/unit/hv_insn.c). Used where the CPU gives no next RIP (no NRIPS on
 * this test bed, docs/hypervisor.md "Exits"): the bytes at guest RIP are
 * fetched through the guest's page tables and measured here.
 */
#ifndef HV_X86_INSN_H
#define HV_X86_INSN_H

#include <stddef.h>
#include <stdint.h>

#define INSN_MAX_LEN 15 /* SDM2 §2.3.11 "AVX Instruction Length" / APM3 §1.1 */

enum insn_mode { INSN_MODE16, INSN_MODE32, INSN_MODE64 };

/* Errors (negative returns of insn_length). */
#define INSN_E_TRUNC   (-1) /* needs more than avail bytes */
#define INSN_E_INVALID (-2) /* opcode invalid in this mode */
#define INSN_E_UNSUPP  (-3) /* VEX/EVEX/XOP: not decoded here */
#define INSN_E_LONG    (-4) /* longer than 15 bytes */

/* Length of the instruction at b[0..avail), or an INSN_E_* error. */
int insn_length(const uint8_t *b, size_t avail, enum insn_mode mode);

#endif
