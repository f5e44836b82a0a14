/* SPDX-License-Identifier: MIT */
/* Shared helpers of the lib/fw unit tests (host code, libc allowed). */
#ifndef VBS_TESTS_FW_TEST_H
#define VBS_TESTS_FW_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fw/report.h"

#define FIND_CAP 256

struct rep {
	struct fw_finding items[FIND_CAP];
	struct fw_report r;
};

static inline struct fw_report *rep_init(struct rep *p)
{
	fw_report_init(&p->r, p->items, FIND_CAP);
	return &p->r;
}

/* Fixture directory: $FW_FIXTURES or tests/fixtures (run from the repo). */
static inline const char *fixture_dir(void)
{
	const char *d = getenv("FW_FIXTURES");

	return d && *d ? d : "tests/fixtures";
}

/* Read a fixture into a malloc'd buffer; NULL when missing. */
static inline uint8_t *load_fixture(const char *rel, size_t *len)
{
	char path[1200];
	uint8_t *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", fixture_dir(), rel);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (buf && n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n > 0 ? (size_t)n : 0;
	return buf;
}

static inline bool rep_has(const struct fw_report *r, const char *rule)
{
	return fw_report_count_rule(r, rule) > 0;
}

static inline void rep_dump(const struct fw_report *r)
{
	uint32_t i;

	for (i = 0; i < r->count; i++)
		print_message("    %s %s idx=%d value=0x%llx %s\n",
			      r->items[i].rule, fw_sev_name(r->items[i].sev),
			      r->items[i].index,
			      (unsigned long long)r->items[i].value,
			      r->items[i].msg);
}

/* Copy into an exactly-sized heap buffer so ASan sees any overread. */
static inline uint8_t *exact_copy(const uint8_t *src, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (len)
		memcpy(p, src, len);
	return p;
}

#endif
