// SPDX-License-Identifier: MIT
/* Fuzz the TPM2 parser (lib/fw/tpm2.c). The first 36 bytes' signature is
 * forced so that the fuzzer spends its time past the header. */
#include <string.h>
#include "fw/tpm2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_finding items[32];
	struct fw_report r;
	struct tpm2 out;
	uint8_t *copy = __builtin_malloc(size ? size : 1);

	memcpy(copy, data, size);
	if (size >= 4)
		memcpy(copy, "TPM2", 4);
	fw_report_init(&r, items, 32);
	tpm2_parse(copy, size, &out, &r);
	if (r.count > 32)
		__builtin_trap();
	__builtin_free(copy);
	return 0;
}
