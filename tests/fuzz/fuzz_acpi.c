// SPDX-License-Identifier: MIT
/* Fuzz the ACPI header decoder (lib/fw/acpi.c). */
#include "fw/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_finding items[8];
	struct fw_report r;
	struct acpi_hdr h;

	fw_report_init(&r, items, 8);
	if (acpi_hdr_parse(data, size, NULL, &h, &r) == 0 &&
	    (h.length < ACPI_HDR_LEN || h.length > size))
		__builtin_trap();   /* a usable header is inside the buffer */
	acpi_hdr_parse(data, size, "DMAR", &h, &r);
	return 0;
}
