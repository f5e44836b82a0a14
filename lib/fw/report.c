// SPDX-License-Identifier: MIT
#include "fw/report.h"

void fw_report_init(struct fw_report *r, struct fw_finding *storage,
		    uint32_t cap)
{
	r->items = storage;
	r->cap = storage ? cap : 0;
	r->count = 0;
	r->dropped = 0;
}

void fw_report_add(struct fw_report *r, const char *rule, enum fw_sev sev,
		   int32_t index, uint64_t value, const char *msg)
{
	struct fw_finding *f;

	if (!r)
		return;
	if (r->count >= r->cap) {
		r->dropped++;
		return;
	}
	f = &r->items[r->count++];
	f->rule = rule;
	f->sev = sev;
	f->index = index;
	f->value = value;
	f->msg = msg;
}

enum fw_sev fw_report_worst(const struct fw_report *r)
{
	enum fw_sev worst = FW_SEV_NOTE;
	uint32_t i;

	for (i = 0; i < r->count; i++)
		if (r->items[i].sev > worst)
			worst = r->items[i].sev;
	return worst;
}

uint32_t fw_report_count_rule(const struct fw_report *r, const char *rule)
{
	uint32_t i, n = 0;

	for (i = 0; i < r->count; i++)
		if (vbs_strcmp(r->items[i].rule, rule) == 0)
			n++;
	return n;
}

const char *fw_sev_name(enum fw_sev sev)
{
	switch (sev) {
	case FW_SEV_NOTE:
		return "note";
	case FW_SEV_WARN:
		return "warn";
	case FW_SEV_UNKNOWN:
		return "unknown";
	case FW_SEV_FAIL:
		return "fail";
	}
	return "invalid";
}
