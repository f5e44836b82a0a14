// SPDX-License-Identifier: MIT
/*
 * Fuzz the MAT parser, entry rules and memory-map cross-check
 * (lib/fw/mat.c). Input: [u16 split][MAT bytes][memory map bytes].
 */
#include <string.h>
#include "fw/mat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct efi_md e[CAP], map[CAP];
	struct fw_finding items[64];
	struct fw_report r;
	struct mat_hdr h;
	size_t split, n = 0, map_n = 0;
	uint8_t *mat, *mm;

	if (size < 2)
		return 0;
	split = le16(data, 0);
	data += 2;
	size -= 2;
	if (split > size)
		split = size;
	mat = __builtin_malloc(split ? split : 1);
	mm = __builtin_malloc(size - split ? size - split : 1);
	memcpy(mat, data, split);
	memcpy(mm, data + split, size - split);
	fw_report_init(&r, items, 64);
	mat_parse(mat, split, (split & 1) ? 48 : 0, &h, e, CAP, &n, &r);
	if (n > CAP)
		__builtin_trap();
	mat_check_entries(e, n, (split & 2) ? 0x10000 : 0, &r);
	efi_memmap_parse(mm, size - split, (split & 4) ? 40 : 48, map, CAP,
			 &map_n);
	mat_check_memmap(e, n, (split & 8) ? NULL : map, map_n, &r);
	__builtin_free(mat);
	__builtin_free(mm);
	return 0;
}
