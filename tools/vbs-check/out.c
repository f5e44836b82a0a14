// SPDX-License-Identifier: MIT
/*
 * vbs-check output: one line per check in the style of libvirt's
 * virt-host-validate, or JSON (schema "vbs-check/1", docs/readiness.md)
 * through json-c.
 */
#include "out.h"

#include "fw/rules.h"
#include "vbs/version.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#define C_RED "\033[1;31m"
#define C_GREEN "\033[1;32m"
#define C_YELLOW "\033[1;33m"
#define C_OFF "\033[0m"

static const char *word(const struct vc_check *c, const char **colour)
{
	switch (c->result) {
	case VC_PASS:
		*colour = c->has_note ? C_YELLOW : C_GREEN;
		return c->has_note ? "NOTE" : "PASS";
	case VC_WARN:
		*colour = C_YELLOW;
		return "WARN";
	case VC_FAIL:
		*colour = c->required ? C_RED : C_YELLOW;
		return "FAIL";
	case VC_NA:
		*colour = "";
		return "SKIP";
	case VC_UNKNOWN:
		*colour = C_YELLOW;
		return "UNKNOWN";
	default:
		*colour = C_RED;
		return "ERROR";
	}
}

void vc_print_text(FILE *o, const struct vc_check *c, size_t n, bool colour,
		   bool quiet)
{
	for (size_t i = 0; i < n; i++) {
		const char *col, *w = word(&c[i], &col);
		char desc[128];

		if (quiet && (c[i].result == VC_PASS || c[i].result == VC_NA))
			continue;
		if (!colour)
			col = "";
		snprintf(desc, sizeof(desc), "%s%s", c[i].def->desc,
			 c[i].required ? "" : " (advisory)");
		/* virt-host-validate: "%6s: Checking %-60s: " */
		fprintf(o, "%6s: Checking %-60s: %s%s%s", "VBS", desc, col, w,
			*col ? C_OFF : "");
		if (c[i].result != VC_PASS || c[i].has_note)
			fprintf(o, " (%s)", c[i].message);
		fputc('\n', o);
	}
}

static json_object *jstr_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *json_findings(const struct vc_check *c)
{
	json_object *a = json_object_new_array();
	for (uint32_t i = 0; i < c->findings.count; i++) {
		const struct fw_finding *f = &c->findings.items[i];
		json_object *o = json_object_new_object();
		char v[24];
		json_object_object_add(o, "rule", json_object_new_string(f->rule));
		json_object_object_add(o, "index", f->index == FW_NO_INDEX ? NULL :
				       json_object_new_int(f->index));
		json_object_object_add(o, "severity",
				       json_object_new_string(fw_sev_name(f->sev)));
		snprintf(v, sizeof(v), "0x%llx", (unsigned long long)f->value);
		json_object_object_add(o, "value", json_object_new_string(v));
		json_object_object_add(o, "message", jstr_or_null(f->msg));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *json_evidence(const struct vc_check *c)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < c->n_evidence; i++) {
		const struct vc_evidence *e = &c->evidence[i];
		json_object *o = json_object_new_object();
		json_object_object_add(o, "source", json_object_new_string(e->source));
		json_object_object_add(o, "key", json_object_new_string(e->key));
		json_object_object_add(o, "value", json_object_new_string(e->value));
		json_object_object_add(o, "quality", jstr_or_null(e->quality));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *json_check(const struct vc_check *c)
{
	json_object *o = json_object_new_object();
	json_object *fl = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_string(c->def->id));
	json_object_object_add(o, "requirement",
			       json_object_new_string(c->def->req));
	json_object_object_add(o, "level", json_object_new_int(c->def->level));
	json_object_object_add(o, "required", json_object_new_boolean(c->required));
	json_object_object_add(o, "result",
			       json_object_new_string(vc_result_name(c->result)));
	json_object_object_add(o, "result_code",
			       json_object_new_string(c->result_code));
	json_object_object_add(o, "message", json_object_new_string(c->message));
	json_object_object_add(o, "findings", json_findings(c));
	json_object_object_add(o, "evidence", json_evidence(c));
	if (c->result == VC_PASS && !c->has_note)
		json_object_array_add(fl, json_object_new_string("success"));
	for (int i = 0; i < c->n_flags; i++)
		json_object_array_add(fl, json_object_new_string(c->flags[i]));
	json_object_object_add(o, "flags", fl);
	return o;
}

int vc_print_json(FILE *o, const struct vc_ctx *ctx, const struct vc_check *c,
		  size_t n, int exit_code)
{
	json_object *root = json_object_new_object();
	json_object *tool = json_object_new_object();
	json_object *host = json_object_new_object();
	json_object *checks = json_object_new_array();
	json_object *sum = json_object_new_object();
	int count[VC_ERROR + 1] = { 0 };

	if (!root || !tool || !host || !checks || !sum)
		return -1;
	json_object_object_add(root, "schema",
			       json_object_new_string("vbs-check/1"));
	json_object_object_add(tool, "name", json_object_new_string("vbs-check"));
	json_object_object_add(tool, "version",
			       json_object_new_string(VBS_VERSION_STRING));
	json_object_object_add(root, "tool", tool);
	json_object_object_add(host, "cpu_vendor", jstr_or_null(ctx->cpu->vendor));
	json_object_object_add(host, "guest", json_object_new_boolean(ctx->guest));
	json_object_object_add(host, "hypervisor_vendor",
			       ctx->guest ? jstr_or_null(ctx->cpu->hv_vendor)
					  : NULL);
	json_object_object_add(host, "kernel", jstr_or_null(ctx->host.kernel));
	json_object_object_add(host, "efi", json_object_new_boolean(ctx->efi));
	json_object_object_add(host, "root", ctx->host.euid < 0 ? NULL :
			       json_object_new_boolean(ctx->host.euid == 0));
	json_object_object_add(root, "host", host);
	json_object_object_add(root, "profile", json_object_new_string(
		ctx->opt.profile == VC_PROFILE_OEM ? "oem" : "minimum"));
	json_object_object_add(root, "verdict",
			       json_object_new_string(vc_verdict(exit_code)));
	for (size_t i = 0; i < n; i++) {
		json_object_array_add(checks, json_check(&c[i]));
		count[c[i].result]++;
	}
	json_object_object_add(root, "checks", checks);
	json_object_object_add(sum, "pass", json_object_new_int(count[VC_PASS]));
	json_object_object_add(sum, "fail", json_object_new_int(count[VC_FAIL]));
	json_object_object_add(sum, "warn", json_object_new_int(count[VC_WARN]));
	json_object_object_add(sum, "unknown",
			       json_object_new_int(count[VC_UNKNOWN]));
	json_object_object_add(sum, "not_applicable",
			       json_object_new_int(count[VC_NA]));
	json_object_object_add(sum, "error", json_object_new_int(count[VC_ERROR]));
	json_object_object_add(root, "summary", sum);
	const char *s = json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	int rc = s && fprintf(o, "%s\n", s) > 0 ? 0 : -1;
	json_object_put(root);
	return rc;
}
