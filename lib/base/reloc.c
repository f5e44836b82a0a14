// SPDX-License-Identifier: MIT
/* Self-relocation of a static PIE (lib/base/reloc.h). */
#include "base/reloc.h"

#define R_X86_64_RELATIVE 8

int vbs_pie_relocate(uint64_t base, const uint64_t *rela,
		     const uint64_t *rela_end)
{
	const uint64_t *r;

	for (r = rela; r + 3 <= rela_end; r += 3) {
		if ((r[1] & 0xffffffffu) != R_X86_64_RELATIVE)
			return -1;
		*(uint64_t *)(uintptr_t)(base + r[0]) = base + r[2];
	}
	return 0;
}
