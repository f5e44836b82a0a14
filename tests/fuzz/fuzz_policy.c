// SPDX-License-Identifier: MIT
/* libFuzzer target: the boot policy parser, the report decoder and the
 * kernel image check, which all take untrusted bytes (ESP files, a UEFI
 * variable). */
#include <stddef.h>
#include <stdint.h>

#include "boot/pe.h"
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
	struct vbs_pe_result pe;
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
	/* A whole image starts with MZ; a truncation names bytes beyond len. */
	if (vbs_pe_check(data, len, &pe) == 0 && data[0] != 'M')
		__builtin_trap();
	if (pe.have != len || ((pe.error == VBS_PE_SECTION_TRUNC ||
				pe.error == VBS_PE_HEADERS_TRUNC) &&
			       pe.needed <= len))
		__builtin_trap();
	return 0;
}
