// SPDX-License-Identifier: MIT
/* libFuzzer target: the boot policy parser and the report decoder, which
 * both take untrusted bytes (an ESP file, a UEFI variable). */
#include <stddef.h>
#include <stdint.h>

#include "boot/policy.h"
#include "boot/report.h"
#include "boot/sigfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct vbs_policy pol;
	struct vbs_policy_error err;
	struct vbs_boot_report rep;
	struct vbs_sig sig;
	uint8_t out[VBS_BOOT_REPORT_MAX_SIZE];

	if (vbs_policy_parse(data, len, &pol, &err) == 0) {
		/* Accepted values are terminated and within their fields. */
		if (vbs_strlen(pol.kernel) >= sizeof(pol.kernel) ||
		    pol.kernel[0] != '\\')
			__builtin_trap();
	}
	if (vbs_boot_report_decode(data, len, &rep) == 0) {
		size_t n = vbs_boot_report_encode(&rep, out, sizeof(out));

		if (n == 0 || n > len)
			__builtin_trap();
	}
	vbs_sig_parse(data, len, &sig);
	return 0;
}
