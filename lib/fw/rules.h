/* SPDX-License-Identifier: MIT */
/*
 * Every rule id of lib/fw with its default severity and one line of
 * meaning: the one source of truth for tools and docs (docs/readiness.md
 * explains each with its source).
 */
#ifndef VBS_LIB_FW_RULES_H
#define VBS_LIB_FW_RULES_H

#include "fw/report.h"

/* The rule is judged from behaviour (mor_probe), not from table bytes. */
#define FW_RULE_BEHAVIOURAL 0x1u

struct fw_rule_desc {
	const char *id;        /* "MAT-E2" */
	enum fw_sev sev;       /* default severity */
	uint32_t flags;        /* FW_RULE_* */
	const char *text;      /* one-line meaning */
};

extern const struct fw_rule_desc fw_rules[];
extern const size_t fw_rules_count;

/* The descriptor of a rule id, or NULL. */
const struct fw_rule_desc *fw_rule_find(const char *id);

#endif
