/* SPDX-License-Identifier: MIT */
/*
 * Findings: what a firmware-table rule reports.
 *
 * Every rule has a stable id ("MAT-E2", "WSMT-F1", ...) listed in
 * docs/readiness.md. A report is a caller-owned array: nothing here
 * allocates, so the same code runs in the UEFI loader and in host tools.
 * When the array is full, further findings are counted in `dropped` so a
 * loss is never silent.
 */
#ifndef VBS_LIB_FW_REPORT_H
#define VBS_LIB_FW_REPORT_H

#include "base/base.h"

enum fw_sev {
	FW_SEV_NOTE = 0,    /* informational */
	FW_SEV_WARN = 1,    /* weakens protection, does not break it */
	FW_SEV_UNKNOWN = 2, /* cannot be decided from this evidence */
	FW_SEV_FAIL = 3,    /* the requirement is not met */
};

#define FW_NO_INDEX (-1)

struct fw_finding {
	const char *rule;  /* stable id, static storage */
	enum fw_sev sev;
	int32_t index;     /* entry/structure index, or FW_NO_INDEX */
	uint64_t value;    /* the offending value (address, flags, length...) */
	const char *msg;   /* static explanation */
};

struct fw_report {
	struct fw_finding *items;
	uint32_t cap;
	uint32_t count;
	uint32_t dropped;
};

void fw_report_init(struct fw_report *r, struct fw_finding *storage,
		    uint32_t cap);
void fw_report_add(struct fw_report *r, const char *rule, enum fw_sev sev,
		   int32_t index, uint64_t value, const char *msg);
/* Worst severity present; FW_SEV_NOTE when empty. */
enum fw_sev fw_report_worst(const struct fw_report *r);
/* Number of findings carrying this rule id. */
uint32_t fw_report_count_rule(const struct fw_report *r, const char *rule);
const char *fw_sev_name(enum fw_sev sev);

#endif
