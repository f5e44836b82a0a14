// SPDX-License-Identifier: MIT
/*
 * vbs-check: the table of checks R1-R10 and the run (readiness-spec §3, §5;
 * docs/readiness.md). Each requirement family gathers and judges in its own
 * file under checks/; see checks.h.
 */
#include "checks/common.h"

#include "vbs/cpuid.h"

/* ---- the table ------------------------------------------------------- */

#define ROW(idx, eval, virt) { &vbs_checks[idx], eval, virt }
const struct vc_check_def vc_checks[] = {
	ROW(VBS_CHECK_CPU_VIRT, vc_eval_r1, true),
	ROW(VBS_CHECK_CPU_SLAT, vc_eval_r2, true),
	ROW(VBS_CHECK_IOMMU, vc_eval_r3, false),
	ROW(VBS_CHECK_TPM, vc_eval_r4, false),
	ROW(VBS_CHECK_SMM, vc_eval_r5, false),
	ROW(VBS_CHECK_MAT, vc_eval_r6, false),
	ROW(VBS_CHECK_MOR, vc_eval_r7, false),
	ROW(VBS_CHECK_DRIVERS, vc_eval_r8, false),
	ROW(VBS_CHECK_NESTED, vc_eval_r9, true),
	ROW(VBS_CHECK_SECUREBOOT, vc_eval_r10, false),
};
const size_t vc_checks_count = sizeof(vc_checks) / sizeof(vc_checks[0]);

bool vc_required(const struct vbs_check_def *spec, const struct vc_opts *o,
		 bool guest)
{
	return vbs_check_required(spec, o->profile == VC_PROFILE_OEM ?
				  VBS_PROFILE_OEM : VBS_PROFILE_MINIMUM,
				  guest, o->require_dma);
}

int vc_run(struct vc_ctx *ctx, struct vc_check *checks)
{
	ctx->cpu = calloc(1, sizeof(*ctx->cpu));
	if (!ctx->cpu)
		return -ENOMEM;
	ctx->ev->ops->host(ctx->ev, &ctx->host);
	gather_cpu(ctx->ev, ctx->cpu);
	ctx->guest = ctx->cpu->hypervisor;
	struct ev_list l = { 0 };
	ctx->efi = !ev_ls(ctx->ev, "/sys/firmware/efi", &l);
	ev_list_free(&l);
	ctx->openvbs = ctx->guest &&
		       !strcmp(ctx->cpu->hv_vendor, VBS_CPUID_SIGNATURE);
	ctx->loader = calloc(1, sizeof(*ctx->loader));
	if (!ctx->loader)
		return -ENOMEM;
	gather_loader(ctx->ev, ctx->efi, ctx->loader);
	for (size_t i = 0; i < vc_checks_count; i++) {
		const struct vc_check_def *d = &vc_checks[i];

		vc_check_init(&checks[i], d);
		checks[i].required = vc_required(d->spec, &ctx->opt,
						 ctx->guest);
		d->linux_eval(ctx, &checks[i]);
		checks[i].fw = loader_find(ctx->loader, d->spec);
		if (ctx->openvbs && d->platform_virt)
			judge_from_loader(ctx->loader, &checks[i]);
	}
	return 0;
}

void vc_ctx_free(struct vc_ctx *ctx)
{
	free(ctx->cpu);
	ctx->cpu = NULL;
	free(ctx->loader);
	ctx->loader = NULL;
}

int vc_exit_code(const struct vc_check *c, size_t n, bool strict)
{
	bool fail = false, unknown = false, warn = false;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].required)
			continue; /* advisory checks never change the exit code */
		fail |= c[i].result == VC_FAIL;
		unknown |= c[i].result == VC_UNKNOWN || c[i].result == VC_ERROR;
		warn |= c[i].result == VC_WARN;
	}
	if (fail)
		return 1;
	if (unknown)
		return 2;
	if (strict && warn)
		return 3;
	return 0;
}

const char *vc_verdict(int exit_code)
{
	switch (exit_code) {
	case 0:
	case 3: return "ready";
	case 1: return "not-ready";
	default: return "indeterminate";
	}
}

const char *vc_result_name(enum vc_result r)
{
	static const char *const names[] = {
		[VC_PASS] = "pass", [VC_WARN] = "warn", [VC_FAIL] = "fail",
		[VC_UNKNOWN] = "unknown", [VC_NA] = "not-applicable",
		[VC_ERROR] = "error",
	};
	return r <= VC_ERROR ? names[r] : "error";
}
