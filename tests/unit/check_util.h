/* SPDX-License-Identifier: MIT */
/* Helpers shared by the vbs-check unit tests (tests/unit/check_*.c). */
#ifndef VBS_TESTS_CHECK_UTIL_H
#define VBS_TESTS_CHECK_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"

/* A check record for def row idx, required as under the oem profile. */
static inline void new_check(struct vc_check *c, size_t idx)
{
	vc_check_init(c, &vc_checks[idx]);
	c->required = true;
}

/* A heap ev_buf holding a copy of bytes (as an evidence read returns). */
static inline struct ev_buf buf_of(const void *p, size_t n)
{
	struct ev_buf b = { malloc(n + 1), n };
	assert_non_null(b.data);
	memcpy(b.data, p, n);
	b.data[n] = 0;
	return b;
}

/* Does the report hold a finding with this rule id? */
static inline bool has_rule(const struct vc_check *c, const char *rule)
{
	return fw_report_count_rule(&c->findings, rule) > 0;
}

#endif
