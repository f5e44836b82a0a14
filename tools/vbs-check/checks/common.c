// SPDX-License-Identifier: MIT
/*
 * vbs-check: helpers shared by the requirement families under checks/.
 */
#include "common.h"

/* ---- check records ---------------------------------------------------- */

void vc_check_init(struct vc_check *c, const struct vc_check_def *def)
{
	memset(c, 0, sizeof(*c));
	c->def = def;
	c->result = VC_UNKNOWN;
	c->result_code = "unknown";
	fw_report_init(&c->findings, c->finding_store, VC_MAX_FINDINGS);
}

void vc_evidence_add(struct vc_check *c, const char *source, const char *key,
		     const char *quality, const char *fmt, ...)
{
	if (c->n_evidence >= VC_MAX_EVIDENCE)
		return;
	struct vc_evidence *e = &c->evidence[c->n_evidence++];
	va_list ap;
	snprintf(e->source, sizeof(e->source), "%s", source);
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->quality = quality;
	va_start(ap, fmt);
	vsnprintf(e->value, sizeof(e->value), fmt, ap);
	va_end(ap);
}

void vc_set(struct vc_check *c, enum vc_result r, const char *code,
		const char *fmt, ...)
{
	va_list ap;
	c->result = r;
	c->result_code = code;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
}

void vc_flag(struct vc_check *c, const char *f)
{
	if (c->n_flags < 4)
		c->flags[c->n_flags++] = f;
}

/* Why evidence could not be read, in words a user can act on. */
const char *vc_why(int err, const char *path)
{
	static char buf[192];
	if (err == -EACCES || err == -EPERM)
		snprintf(buf, sizeof(buf), "%s: permission denied (run as root)",
			 path);
	else if (err == -ENOENT && strncmp(path, "/dev/cpu/", 9) == 0)
		snprintf(buf, sizeof(buf), "%s not present (modprobe msr)", path);
	else
		snprintf(buf, sizeof(buf), "%s: %s (%s)", path, strerror(-err),
			 ev_errname(err));
	return buf;
}


bool vc_has_name(const struct ev_list *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (!strcmp(l->names[i], name))
			return true;
	return false;
}

/* Reads an ACPI table; -ENOENT when the (world-readable) listing lacks it. */
int vc_read_table(struct ev *ev, const struct ev_list *tables,
		      int tables_err, const char *sig, struct ev_buf *out)
{
	char p[64];
	if (!tables_err && !vc_has_name(tables, sig))
		return -ENOENT;
	snprintf(p, sizeof(p), ACPI_TABLES "/%s", sig);
	return ev_read(ev, p, out);
}

const char *vc_first_finding_msg(const struct vc_check *c,
				     enum fw_sev sev)
{
	for (uint32_t i = 0; i < c->findings.count; i++)
		if (c->findings.items[i].sev == sev)
			return c->findings.items[i].msg;
	return "";
}

enum vc_result vc_worst_of(const struct fw_report *r)
{
	switch (fw_report_worst(r)) {
	case FW_SEV_FAIL: return VC_FAIL;
	case FW_SEV_UNKNOWN: return VC_UNKNOWN;
	case FW_SEV_WARN: return VC_WARN;
	default: return VC_PASS;
	}
}
