// SPDX-License-Identifier: MIT
/*
 * vbs-check output: one line per check in the style of libvirt's
 * virt-host-validate, or JSON (schema "vbs-check/1", docs/readiness.md)
 * through json-c.
 */
#include "out.h"

#include "boot/checks.h"
#include "fw/rules.h"
#include "vbs/version.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

uint8_t vc_to_vbs_result(const struct vc_check *c)
{
	switch (c->result) {
	case VC_PASS:
		return c->has_note ? VBS_RESULT_NOTE : VBS_RESULT_PASS;
	case VC_WARN:
		return VBS_RESULT_WARN;
	case VC_FAIL:
		return VBS_RESULT_FAIL;
	case VC_UNKNOWN:
		return VBS_RESULT_UNKNOWN;
	case VC_NA:
		return VBS_RESULT_NOT_APPLICABLE;
	default:
		return VBS_RESULT_ERROR;
	}
}

/* " [firmware: WARN (hint)]": the loader's finding for this check. */
static void firmware_column(const struct vbs_check_result *fw, char *out,
			    size_t n)
{
	bool hint = fw->result != VBS_RESULT_PASS && fw->message[0];

	snprintf(out, n, " [firmware: %s%s%s%s]", vbs_result_word(fw->result),
		 hint ? " (" : "", hint ? fw->message : "", hint ? ")" : "");
}

static void print_loader(FILE *o, const struct vc_loader *l, bool quiet)
{
	const struct vbs_boot_report *r = &l->rep;

	switch (l->state) {
	case VC_LOADER_VALID:
		if (!quiet)
			fprintf(o, "%6s: Firmware report (%s): profile %s, "
				"verdict %s, policy %s, action %s\n", "VBS",
				l->reason, vbs_profile_name(r->profile),
				vbs_verdict_name(r->verdict),
				vbs_policy_source_name(r->policy_source),
				vbs_action_name(r->action));
		break;
	case VC_LOADER_ABSENT:
		if (!quiet)
			fprintf(o, "%6s: Firmware report: none (%s)\n", "VBS",
				l->reason);
		break;
	case VC_LOADER_MALFORMED:
		fprintf(o, "%6s: Firmware report: MALFORMED, not used (%s)\n",
			"VBS", l->reason);
		break;
	case VC_LOADER_UNREADABLE:
		fprintf(o, "%6s: Firmware report: UNKNOWN, not read (%s)\n",
			"VBS", l->reason);
		break;
	}
}

void vc_print_text(FILE *o, const struct vc_loader *loader,
		   const struct vc_check *c, size_t n, bool colour, bool quiet)
{
	for (size_t i = 0; i < n; i++) {
		char fw[128] = "", line[640];
		struct vbs_check_line l = {
			.desc = c[i].def->spec->desc,
			.required = c[i].required,
			.result = vc_to_vbs_result(&c[i]),
			.message = c[i].message,
			.suffix = fw,
			.colour = colour,
		};

		if (quiet && (c[i].result == VC_PASS || c[i].result == VC_NA))
			continue;
		if (c[i].fw)
			firmware_column(c[i].fw, fw, sizeof(fw));
		vbs_format_check(&l, line, sizeof(line));
		fprintf(o, "%s\n", line);
	}
	if (loader)
		print_loader(o, loader, quiet);
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

static json_object *json_hex(uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
	return json_object_new_string(s);
}

/* The loader's finding for a check (docs/readiness.md "Firmware report"). */
static json_object *json_firmware(const struct vbs_check_result *fw)
{
	json_object *o;

	if (!fw)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "result", json_object_new_string(
		vbs_result_name(fw->result)));
	json_object_object_add(o, "required",
			       json_object_new_boolean(fw->required));
	json_object_object_add(o, "level", json_object_new_int(fw->level));
	json_object_object_add(o, "value", json_hex(fw->value));
	json_object_object_add(o, "message", jstr_or_null(fw->message));
	return o;
}

static json_object *json_loader(const struct vc_loader *l)
{
	static const struct { uint32_t bit; const char *name; } flags[] = {
		{ VBS_REPORT_F_GUEST, "guest" },
		{ VBS_REPORT_F_SECURE_BOOT, "secure-boot" },
		{ VBS_REPORT_F_TPM2, "tpm2" },
		{ VBS_REPORT_F_MEASURED, "measured" },
		{ VBS_REPORT_F_DROPPED, "dropped" },
	};
	const struct vbs_boot_report *r = &l->rep;
	json_object *o = json_object_new_object(), *fl;

	json_object_object_add(o, "state", json_object_new_string(
		loader_state_name(l->state)));
	json_object_object_add(o, "reason", jstr_or_null(l->reason));
	if (l->state != VC_LOADER_VALID)
		return o;
	fl = json_object_new_array();
	json_object_object_add(o, "version", jstr_or_null(r->loader_version));
	json_object_object_add(o, "profile", json_object_new_string(
		vbs_profile_name(r->profile)));
	json_object_object_add(o, "verdict", json_object_new_string(
		vbs_verdict_name(r->verdict)));
	json_object_object_add(o, "policy_source", json_object_new_string(
		vbs_policy_source_name(r->policy_source)));
	json_object_object_add(o, "action", json_object_new_string(
		vbs_action_name(r->action)));
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (r->flags & flags[i].bit)
			json_object_array_add(fl, json_object_new_string(
				flags[i].name));
	json_object_object_add(o, "flags", fl);
	json_object_object_add(o, "hypervisor_vendor",
			       jstr_or_null(r->hv_vendor));
	json_object_object_add(o, "checks", json_object_new_int(r->check_count));
	return o;
}

static json_object *json_check(const struct vc_check *c)
{
	json_object *o = json_object_new_object();
	json_object *fl = json_object_new_array();

	json_object_object_add(o, "id", json_object_new_string(c->def->spec->id));
	json_object_object_add(o, "requirement",
			       json_object_new_string(c->def->spec->req));
	json_object_object_add(o, "level", json_object_new_int(c->def->spec->level));
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
	json_object_object_add(o, "firmware", json_firmware(c->fw));
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
	json_object_object_add(root, "loader", json_loader(ctx->loader));
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
