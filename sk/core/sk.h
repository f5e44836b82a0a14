/* SPDX-License-Identifier: MIT */
/* The secure kernel's global state and per-CPU block. */
#ifndef SK_CORE_SK_H
#define SK_CORE_SK_H

#include <stddef.h>
#include <stdint.h>

#include "vbs/sk_image.h"

#define SK_MAX_CPUS 64u
#define SK_VERSION 0x000100u   /* 0.1.0 */

/*
 * What FS base points at while sk runs on a CPU. BearSSL's functions
 * (-fstack-protector-strong) read their canary at %fs:0x28, so canary
 * must sit there; self at 0 is the x86-64 TLS convention.
 */
struct sk_percpu {
	uint64_t self;           /* 0x00 address of this block */
	uint32_t cpu;            /* 0x08 index */
	uint32_t reserved0;      /* 0x0c */
	uint64_t reserved1[3];   /* 0x10 */
	uint64_t canary;         /* 0x28 stack-protector canary */
	uint64_t reserved2[2];   /* 0x30 */
};
_Static_assert(__builtin_offsetof(struct sk_percpu, canary) ==
	       VBS_SK_PERCPU_CANARY_OFF, "canary at fs:0x28");
_Static_assert(sizeof(struct sk_percpu) == 0x40, "sk percpu");

int64_t sk_main(const struct vbs_sk_params *p);
int sk_relocate(uint64_t base);
int sk_percpu_enter(uint32_t cpu);

#endif
