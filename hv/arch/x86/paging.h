/* SPDX-License-Identifier: MIT */
#ifndef HV_X86_PAGING_H
#define HV_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* The host's identity-mapped PML4 (physical address), 0 when out of
 * memory. top: a multiple of 1 GiB. */
uint64_t hv_paging_build(uint64_t top, bool use_1g);

#endif
