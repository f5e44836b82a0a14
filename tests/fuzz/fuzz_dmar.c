// SPDX-License-Identifier: MIT
/* Fuzz the DMAR parser and coverage query (lib/fw/dmar.c). */
#include <string.h>
#include "fw/dmar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fuzzer-chosen platform: bridges on every function, bus numbers
 * derived from the address, so multi-hop paths and ranges are walked. */
static int bridge(void *ctx, uint16_t seg, uint8_t bus, uint8_t dev,
		  uint8_t fn, uint8_t *sec, uint8_t *sub)
{
	(void)ctx;
	if ((dev + fn + seg) % 3 == 0)
		return -1;
	*sec = (uint8_t)(bus + dev + 1);
	*sub = (uint8_t)(*sec + fn);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_finding items[64];
	struct fw_report r;
	struct dmar d;
	uint8_t *copy = __builtin_malloc(size ? size : 1);
	unsigned q;

	memcpy(copy, data, size);
	if (size >= 4)
		memcpy(copy, "DMAR", 4);
	if (size >= 10)   /* keep the checksum right often enough */
		copy[9] = (uint8_t)(copy[9] - acpi_checksum(copy, size < 36 ?
					size : (le32(copy, 4) <= size ?
						le32(copy, 4) : size)));
	fw_report_init(&r, items, 64);
	dmar_parse(copy, size, &d, &r);
	for (q = 0; q < 8; q++) {
		uint8_t bus = size > q ? data[q] : (uint8_t)q;

		if (dmar_covers(copy, size, (uint16_t)(q & 1), bus,
				(uint8_t)(q * 3 & 0x1f), (uint8_t)(q & 7),
				q & 2 ? bridge : NULL, NULL) < FW_EBADF)
			__builtin_trap();
	}
	__builtin_free(copy);
	return 0;
}
