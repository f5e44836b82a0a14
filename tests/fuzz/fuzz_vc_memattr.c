// SPDX-License-Identifier: MIT
/*
 * Fuzz vbs-check's kernel-log parsing: the input is a kernel log (lines
 * split on '\n'), fed through the prefix stripper and the MAT facts
 * builder (memattr entry lines, MEMATTR= lines), then judged (R6).
 */
#include "checks.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vc_mat_facts f;
	struct vc_check c;
	const char *s = (const char *)data;

	memset(&f, 0, sizeof(f));
	f.efi = true;
	f.map_err = -2;
	for (size_t i = 0; i < size;) {
		const char *nl = memchr(s + i, '\n', size - i);
		size_t end = nl ? (size_t)(nl - s) : size;
		size_t n;
		const char *l = text_klog_strip(s + i, end - i, &n);
		struct memattr_line m;
		uint64_t a;

		text_memattr_parse(l, n, &m);
		text_efi_memattr_addr(l, n, &a);
		if (mat_facts_klog_line(&f, l, n))
			break;
		i = end + 1;
	}
	vc_check_init(&c, &vc_checks[5]);
	judge_r6(&f, VC_PROFILE_OEM, &c);
	if (c.result == VC_PASS && !f.memattr_found)
		abort(); /* a pass needs a MAT */
	free_mat(&f);
	return 0;
}
