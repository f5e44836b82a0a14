/* SPDX-License-Identifier: MIT */
/*
 * The firmware context captured by hv_start (start.S) at the loader's call:
 * the state the boot CPU resumes in as a guest (docs/hypervisor.md
 * "Blue-pill of the boot CPU"). Indices into uint64_t hv_boot_state[].
 */
#ifndef HV_X86_BOOT_STATE_H
#define HV_X86_BOOT_STATE_H

#define BS_RAX 0
#define BS_RBX 1
#define BS_RCX 2
#define BS_RDX 3
#define BS_RSI 4
#define BS_RDI 5
#define BS_RBP 6
#define BS_R8 7
#define BS_R9 8
#define BS_R10 9
#define BS_R11 10
#define BS_R12 11
#define BS_R13 12
#define BS_R14 13
#define BS_R15 14
#define BS_RFLAGS 15
#define BS_RSP 16 /* after the return: the caller's RSP */
#define BS_RIP 17 /* the return address */
#define BS_COUNT 18

#endif
