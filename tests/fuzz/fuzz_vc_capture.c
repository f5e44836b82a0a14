// SPDX-License-Identifier: MIT
/*
 * Fuzz vbs-check's capture-file parsers (vbs-capture/cpuid, msr, errors,
 * listing, facts, host) and the sysfs CPU-list/number parsers. The first
 * input byte picks the parser.
 */
#include "text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *s = (const char *)data + 1;
	size_t n = size - 1;

	switch (data[0] % 5) {
	case 0: {
		struct text_cpuid c;
		uint32_t r[4];
		if (!text_cpuid_parse(s, n, &c)) {
			text_cpuid_get(&c, 0, 0, r);
			text_cpuid_free(&c);
		}
		break;
	}
	case 1: {
		struct text_msr m;
		uint64_t v;
		if (!text_msr_parse(s, n, &m)) {
			text_msr_get(&m, 0, 0x3a, &v);
			text_msr_free(&m);
		}
		break;
	}
	case 2: {
		struct text_kv kv;
		if (!text_kv_parse(s, n, &kv)) {
			text_kv_get(&kv, "read:/sys/firmware/efi", 1);
			text_kv_free(&kv);
		}
		break;
	}
	case 3: {
		char k[16], m[8];
		long euid = -1;
		text_parse_host(s, n, k, sizeof(k), m, sizeof(m), &euid);
		break;
	}
	default: {
		char *z = malloc(n + 1);
		unsigned cpus[64];
		uint64_t v;
		if (!z)
			return 0;
		memcpy(z, s, n);
		z[n] = '\0';
		int c = text_cpulist(z, cpus, 64);
		for (int i = 1; i < c; i++)
			if (cpus[i] <= cpus[i - 1])
				abort(); /* must ascend */
		text_parse_u64(z, &v);
		text_has_word(z, "ept");
		free(z);
	}
	}
	return 0;
}
