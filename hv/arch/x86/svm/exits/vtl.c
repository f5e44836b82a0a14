// SPDX-License-Identifier: MIT
/*
 * The VTL hypercalls (include/vbs/hypercall.h, docs/abi.md "VTLs") and the
 * exits that end a VTL1 run early (INTR). Hyper-V TLFS "Virtual Secure
 * Mode": HvCallVtlCall 0x11, HvCallVtlReturn 0x12,
 * HvCallModifyVtlProtectionMask 0x0C. The switch itself is vtl.c's.
 */
#include "arch/x86/svm/svm.h"
#include "base/range.h"
#include "core/spinlock.h"
#include "vbs/sk_abi.h"

#define RFLAGS_IF (1ull << 9)
#define PROTECT_MAX_PAGES 65536u

static enum hv_exit_action hc_status(struct hv_vcpu *v,
				     const struct svm_exit_info *ei,
				     uint64_t status)
{
	v->vmcb->save.rax = status;
	if (vcpu_skip_insn(v))
		hv_exit_fatal(v, ei, "cannot decode VMMCALL");
	return HV_RESUME;
}

/* A request block VTL0 may name: 8-byte aligned, inside one page, in
 * guest memory, not in the hypervisor's or the secure kernel's region. */
static bool request_gpa_ok(uint64_t gpa)
{
	return !(gpa & 7) && (gpa & 0xfff) + VBS_SK_REQ_SIZE <= HV_PAGE &&
	       gpa < hv_phys_top && !hv_hidden_from_vtl(0, gpa, VBS_SK_REQ_SIZE);
}

/*
 * VTL_CALL from VTL0 (CPL 0 checked by the caller). VTL0's RIP stays on
 * its VMMCALL until VTL1 returns: an interrupt in between makes VTL0
 * execute it again, which resumes VTL1 (VTL1_BUSY) instead of starting
 * another request.
 */
enum hv_exit_action vtl_hc_call(struct hv_vcpu *v,
				const struct svm_exit_info *ei)
{
	struct hv_vtl_ctx *vtl1;
	uint64_t gpa = v->gprs.rbx;

	if (v->vtl != 0)
		return hc_status(v, ei, VBS_HC_E_DENIED);
	if (v->gprs.rcx || v->gprs.rdx || v->gprs.rsi || v->gprs.rdi)
		return hc_status(v, ei, VBS_HC_E_RESERVED);
	if (!hv_vtl1.present || (v->vtl1_state != VTL1_READY &&
				 v->vtl1_state != VTL1_BUSY))
		return hc_status(v, ei, VBS_HC_E_NOVTL1);
	if (v->vtl1_state == VTL1_BUSY && gpa != v->vtl1_request)
		return hc_status(v, ei, VBS_HC_E_RANGE);
	if (!request_gpa_ok(gpa))
		return hc_status(v, ei, VBS_HC_E_RANGE);
	vtl1 = v->vtl_ctx[1];
	if (v->vtl1_state == VTL1_READY) {
		vtl1->gprs.rbx = gpa;
		vtl1->gprs.rcx = v->cpu;
		vtl1->gprs.rdx = v->vmcb->save.rip; /* for VTL1's event log */
		vtl1->gprs.rsi = VBS_VTL_ENTRY_CALL;
		v->vtl1_request = gpa;
		v->vtl1_state = VTL1_BUSY;
		v->counters[VBS_CTR_VTL_CALL]++;
	}
	/* VTL1 may be interrupted exactly when VTL0 could be. */
	v->vtl_vmcb[1]->save.rflags = (v->vtl_vmcb[1]->save.rflags & ~RFLAGS_IF) |
				      (v->vmcb->save.rflags & RFLAGS_IF);
	vtl_switch(v, 1);
	return HV_RESUME;
}

/* VTL_RETURN from VTL1: RBX = status. The first one on a CPU ends the
 * secure kernel's start there; later ones complete VTL0's call. */
enum hv_exit_action vtl_hc_return(struct hv_vcpu *v,
				  const struct svm_exit_info *ei)
{
	uint64_t status = v->gprs.rbx;

	if (v->vtl != 1)
		return hc_status(v, ei, VBS_HC_E_DENIED);
	if (v->in_intercept) {
		vtl_intercept_end(v, status);
		return HV_RESUME;
	}
	if (vcpu_skip_insn(v))
		hv_exit_fatal(v, ei, "cannot decode VMMCALL in VTL1");
	v->vmcb->save.rflags &= ~RFLAGS_IF;
	if (v->vtl1_state == VTL1_ENTERING) {
		v->vtl1_state = status == 0 ? VTL1_READY : VTL1_FAILED;
		hv_log(v->cpu, "secure kernel %s on this CPU (status %ld)",
		       status == 0 ? "ready" : "FAILED to start", (int64_t)status);
		vtl_switch(v, 0);
		return HV_RESUME;
	}
	if (v->vtl1_state != VTL1_BUSY)
		hv_exit_fatal(v, ei, "VTL_RETURN without a VTL call");
	v->vtl1_state = VTL1_READY;
	vtl_switch(v, 0);
	return hc_status(v, ei, VBS_HC_OK);
}

/* APM2 §15.21.1: with the INTR intercept (VTL1 only) a physical interrupt
 * ends VTL1's run; VTL0, still on its VMMCALL, takes it first. */
enum hv_exit_action svm_exit_intr(struct hv_vcpu *v,
				  const struct svm_exit_info *ei)
{
	if (v->vtl != 1 || v->in_intercept)
		hv_exit_fatal(v, ei, "INTR exit outside a VTL call");
	vtl_switch(v, 0);
	return HV_RESUME;
}

/*
 * MODIFY_VTL_PROTECTION_MASK from VTL1: VTL0's permissions of RBX..+RCX
 * pages become RDX (VBS_VTL_PROT_*; kernel and user execute map to one
 * execute bit until per-mode views exist: docs/abi.md). Not for the
 * hypervisor's or the secure kernel's own memory.
 */
int vtl_prot_to_perm(uint64_t mask, enum npt_perm *perm)
{
	bool r = mask & VBS_VTL_PROT_READ, w = mask & VBS_VTL_PROT_WRITE;
	bool x = mask & (VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC);

	if ((mask & ~0xfull) || (w && !r) || (x && !r))
		return -1;
	*perm = !mask ? NPT_PERM_NONE : w ? (x ? NPT_PERM_RWX : NPT_PERM_RW) :
		x ? NPT_PERM_RX : NPT_PERM_R;
	return 0;
}

enum hv_exit_action vtl_hc_protect(struct hv_vcpu *v,
				   const struct svm_exit_info *ei)
{
	uint64_t gpa = v->gprs.rbx, pages = v->gprs.rcx, i;
	enum npt_perm perm;
	int rc = 0;

	if (v->vtl != 1)
		return hc_status(v, ei, VBS_HC_E_DENIED);
	if (v->gprs.rsi || v->gprs.rdi)
		return hc_status(v, ei, VBS_HC_E_RESERVED);
	if ((gpa & 0xfff) || !pages || pages > PROTECT_MAX_PAGES ||
	    gpa >= hv_phys_top || pages > (hv_phys_top - gpa) / HV_PAGE ||
	    hv_hidden_from_vtl(0, gpa, pages * HV_PAGE) ||
	    vtl_prot_to_perm(v->gprs.rdx, &perm))
		return hc_status(v, ei, VBS_HC_E_RANGE);
	hv_spin_lock(&hv_npt_lock);
	for (i = 0; i < pages && !rc; i++)
		rc = npt_set_perm(&hv_npt, gpa + i * HV_PAGE, perm);
	hv_spin_unlock(&hv_npt_lock);
	/* Rights may have been removed: no CPU keeps the old ones once
	 * this returns (shootdown.c), even after a partial failure. */
	npt_shootdown(v);
	return hc_status(v, ei, rc ? VBS_HC_E_RANGE : VBS_HC_OK);
}

/*
 * SET_INTERCEPT_ENTRY from VTL1: where this CPU's secure intercepts start
 * (include/vbs/hypercall.h). The entry must be in the secure kernel's
 * image, the stack top and the message buffer in its region (the
 * hypervisor writes the message there and nowhere else).
 */
enum hv_exit_action vtl_hc_set_intercept(struct hv_vcpu *v,
					 const struct svm_exit_info *ei)
{
	uint64_t entry = v->gprs.rbx, stack = v->gprs.rcx, msg = v->gprs.rdx;
	uint64_t end = hv_vtl1.base + hv_vtl1.size;

	if (v->vtl != 1)
		return hc_status(v, ei, VBS_HC_E_DENIED);
	if (v->gprs.rsi || v->gprs.rdi)
		return hc_status(v, ei, VBS_HC_E_RESERVED);
	if (entry < hv_vtl1.base || entry >= hv_vtl1.image_end ||
	    (stack & 15) || stack <= hv_vtl1.base || stack > end ||
	    (msg & 63) || !vbs_range_within(msg, sizeof(struct vbs_vtl_intercept),
					    hv_vtl1.base, hv_vtl1.size))
		return hc_status(v, ei, VBS_HC_E_RANGE);
	v->icpt_entry = entry;
	v->icpt_stack = stack;
	v->icpt_msg = msg;
	hv_log(v->cpu, "VTL1 takes secure intercepts at %lx", entry);
	return hc_status(v, ei, VBS_HC_OK);
}

/*
 * VTL1_FAULT from VTL1 (include/vbs/hypercall.h): the secure kernel took
 * an exception (its IDT, sk/arch/x86/idt.S). VTL1 holds the secrets and
 * the protections VTL0 relies on, and its state after an exception is
 * unknown: fail-stop, the whole machine, rather than VTL0 going on
 * without (or with a damaged) VTL1.
 */
enum hv_exit_action vtl_hc_fault(struct hv_vcpu *v,
				 const struct svm_exit_info *ei)
{
	if (v->vtl != 1)
		return hc_status(v, ei, VBS_HC_E_DENIED);
	hv_log(v->cpu, "secure kernel fault: vector %lu at RIP %lx CR2 %lx "
	       "error %lx%s", v->gprs.rbx, v->gprs.rcx, v->gprs.rdx,
	       v->gprs.rsi, (v->gprs.rdi & VBS_VTL1_FAULT_STACK_OVERFLOW) ?
	       " (stack overflow)" : "");
	vcpu_dump(v);
	hv_panic(v->cpu, "secure kernel fault");
}
