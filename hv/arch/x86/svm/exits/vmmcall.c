// SPDX-License-Identifier: MIT
/*
 * VMMCALL (exit 0x81): the hypercall interface (include/vbs/hypercall.h).
 * CPL > 0 gets #UD, as in the Hyper-V TLFS §3.1 (the hypercall page is a
 * kernel interface); CPL 0 calls are dispatched by core/hypercall.c on a
 * copy of the registers, and RIP advances on every status.
 */
#include "arch/x86/svm/svm.h"
#include "core/hypercall.h"

enum hv_exit_action svm_exit_vmmcall(struct hv_vcpu *v,
				     const struct svm_exit_info *ei)
{
	struct vmcb_save *s = &v->vmcb->save;
	struct hc_regs r = {
		.rax = s->rax, .rbx = v->gprs.rbx, .rcx = v->gprs.rcx,
		.rdx = v->gprs.rdx, .rsi = v->gprs.rsi, .rdi = v->gprs.rdi,
	};
	const uint64_t *rows[HV_MAX_CPUS];
	struct hc_ctx ctx = {
		.ncpus = hv_ncpus, .hv_version = HV_VERSION, .counters = rows,
	};
	uint32_t i;

	if (s->cpl != 0) {
		vcpu_inject_ud(v);
		return HV_RESUME;
	}
	switch (s->rax) { /* the VTL calls need the vCPU: exits/vtl.c */
	case VBS_HC_VTL_CALL:
		return vtl_hc_call(v, ei);
	case VBS_HC_VTL_RETURN:
		return vtl_hc_return(v, ei);
	case VBS_HC_MODIFY_VTL_PROTECTION_MASK:
		return vtl_hc_protect(v, ei);
	case VBS_HC_SET_INTERCEPT_ENTRY:
		return vtl_hc_set_intercept(v, ei);
	case VBS_HC_VTL1_FAULT:
		return vtl_hc_fault(v, ei);
	default:
		break;
	}
	for (i = 0; i < hv_ncpus && i < HV_MAX_CPUS; i++)
		rows[i] = hv_vcpus[i]->counters;
	hc_dispatch(&r, &ctx);
	s->rax = r.rax;
	v->gprs.rbx = r.rbx;
	v->gprs.rcx = r.rcx;
	v->gprs.rdx = r.rdx;
	if (vcpu_skip_insn(v))
		hv_exit_fatal(v, ei, "cannot decode VMMCALL");
	return HV_RESUME;
}
