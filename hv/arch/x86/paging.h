/* SPDX-License-Identifier: MIT */
#ifndef HV_X86_PAGING_H
#define HV_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* The host's identity-mapped PML4 (physical address), 0 when out of
 * memory. top: a multiple of 1 GiB. */
uint64_t hv_paging_build(uint64_t top, bool use_1g);

/* Make [start, end) read-only and executable (4 KiB pages; everything
 * else stays read/write, no-execute). 0, or -1 when out of memory. */
int hv_paging_exec(uint64_t pml4, uint64_t start, uint64_t end);

/* The leaf entry for pa, 0 if unmapped; whether pa is mapped read-only
 * executable, or read/write no-execute (hv_main checks its own W^X). */
uint64_t hv_paging_lookup(uint64_t pml4, uint64_t pa);
bool hv_paging_is_exec(uint64_t pml4, uint64_t pa);
bool hv_paging_is_data(uint64_t pml4, uint64_t pa);

#endif
