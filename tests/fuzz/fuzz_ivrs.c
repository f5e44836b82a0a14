// SPDX-License-Identifier: MIT
/* Fuzz the IVRS parser and coverage query (lib/fw/ivrs.c). */
#include <string.h>
#include "fw/ivrs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_finding items[64];
	struct fw_report r;
	struct ivrs v;
	uint8_t *copy = __builtin_malloc(size ? size : 1);
	unsigned q;

	memcpy(copy, data, size);
	if (size >= 4)
		memcpy(copy, "IVRS", 4);
	if (size >= 10)
		copy[9] = (uint8_t)(copy[9] - acpi_checksum(copy, size < 36 ?
					size : (le32(copy, 4) <= size ?
						le32(copy, 4) : size)));
	fw_report_init(&r, items, 64);
	ivrs_parse(copy, size, &v, &r);
	for (q = 0; q < 8; q++) {
		uint16_t devid = size > 2 * q + 1 ? le16(data, 2 * q) :
						    (uint16_t)q;
		int c = ivrs_covers(copy, size, (uint16_t)(q & 1), devid);

		if (c != FW_EBADF && (c < 0 || c > FW_IS_IOMMU))
			__builtin_trap();
	}
	__builtin_free(copy);
	return 0;
}
