// SPDX-License-Identifier: MIT
/*
 * Fuzz the loader's report as vbs-check reads it from efivarfs: 4 attribute
 * bytes then the report (lib/boot/report.c vbs_boot_report_decode through
 * checks/loader.c), then everything vbs-check does with a decoded report:
 * match each check by id, take the OpenVBS verdicts, format the lines.
 */
#include "checks.h"

#include "boot/checks.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vc_loader l;
	static struct vc_check c;
	char line[256];

	loader_decode(data, size, &l);
	if (l.state != VC_LOADER_VALID) {
		if (l.rep.check_count != 0)
			__builtin_trap(); /* a malformed report must be empty */
		return 0;
	}
	for (size_t i = 0; i < vc_checks_count; i++) {
		vc_check_init(&c, &vc_checks[i]);
		c.fw = loader_find(&l, vc_checks[i].spec);
		if (vc_checks[i].platform_virt)
			judge_from_loader(&l, &c);
		if (c.result == VC_FAIL && (!c.fw ||
		    c.fw->result != VBS_RESULT_FAIL))
			__builtin_trap(); /* never unfit without the loader */
	}
	for (size_t i = 0; i < l.rep.check_count; i++)
		vbs_format_result(&l.rep.checks[i], line, sizeof(line));
	return 0;
}
