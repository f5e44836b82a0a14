/* SPDX-License-Identifier: MIT */
/*
 * Self-relocation of a static PIE linked at 0 (hv.bin, sk.bin): both apply
 * their own R_X86_64_RELATIVE relocations at entry, before anything else.
 */
#ifndef LIB_BASE_RELOC_H
#define LIB_BASE_RELOC_H

#include <stdint.h>

/*
 * ELF-64 "Relocation Entries" (Elf64_Rela: offset, info, addend; System V
 * AMD64 ABI: R_X86_64_RELATIVE = 8, B + A): sets the quadword at base +
 * offset to base + addend for each entry of [rela, rela_end). Idempotent.
 * 0, or -1 at the first entry of another type (nothing else may remain:
 * hv/hv.mk and sk/sk.mk refuse such a link). Touches no global data, so it
 * may run before the image is relocated.
 */
int vbs_pie_relocate(uint64_t base, const uint64_t *rela,
		     const uint64_t *rela_end);

#endif
