/* SPDX-License-Identifier: MIT */
/*
 * Reading guest memory by linear address through the guest's own page
 * tables (pure; tests/unit/hv_walk.c). Used to fetch the instruction at
 * guest RIP when the CPU gives no decode assist (docs/hypervisor.md).
 */
#ifndef HV_X86_GUEST_WALK_H
#define HV_X86_GUEST_WALK_H

#include <stddef.h>
#include <stdint.h>

struct gwalk_ctx {
	uint64_t cr0, cr3, cr4, efer;
	/* Read len bytes of guest-physical memory; 0 or -1 (not RAM). */
	int (*read_phys)(void *opaque, uint64_t gpa, void *buf, size_t len);
	void *opaque;
};

/* Linear to guest-physical; 0, or -1 when not present. */
int gwalk_translate(const struct gwalk_ctx *c, uint64_t la, uint64_t *gpa);

/* Read len bytes at linear address la (may cross pages); 0 or -1. */
int gwalk_read(const struct gwalk_ctx *c, uint64_t la, void *buf, size_t len);

#endif
