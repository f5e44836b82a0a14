// SPDX-License-Identifier: MIT
/*
 * RDMSR/WRMSR of the intercepted MSRs (exit 0x7c; EXITINFO1 0 = read,
 * 1 = write; APM2 §15.11 "MSR Intercepts"). SVM is hidden from the guest:
 * EFER.SVME reads as 0 and cannot be set, VM_CR reads as SVM disabled and
 * locked, VM_HSAVE_PA reads 0; writes to those two raise #GP, as on a CPU
 * whose SVM is disabled (APM2 §15.30.1 "VM_CR MSR"). Writes to APIC_BASE
 * may not move the APIC (the trap of its page would be lost), and x2APIC
 * ICR writes go to the AP start-up logic (ap.c; docs/hypervisor.md).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"

/* EFER bits a guest may write: SCE, LME, LMA (ignored), NXE, LMSLE,
 * FFXSR, TCE (APM2 §3.1.7 "Extended Feature Enable Register"). */
#define EFER_WRITABLE 0xed01ull

static void msr_result(struct hv_vcpu *v, uint64_t val)
{
	v->vmcb->save.rax = (uint32_t)val;
	v->gprs.rdx = val >> 32;
}

static enum hv_exit_action msr_done(struct hv_vcpu *v,
				    const struct svm_exit_info *ei)
{
	if (vcpu_skip_insn(v))
		hv_exit_fatal(v, ei, "cannot decode the RDMSR/WRMSR");
	return HV_RESUME;
}

static enum hv_exit_action efer_write(struct hv_vcpu *v,
				      const struct svm_exit_info *ei,
				      uint64_t val)
{
	struct vmcb_save *s = &v->vmcb->save;

	if (val & ~EFER_WRITABLE) { /* includes SVME: hidden, so reserved */
		vcpu_inject_gp0(v);
		return HV_RESUME;
	}
	s->efer = (val & ~EFER_LMA) | (s->efer & EFER_LMA) | EFER_SVME;
	hv_npt.flush_pending = true;
	return msr_done(v, ei);
}

#define APIC_BASE_ADDR 0x000ffffffffff000ull
#define APIC_BASE_X2APIC (1ull << 10) /* SDM3 §10.12.1 "x2APIC Mode" */

/* SDM3 §10.4.4 "Local APIC Status and Location": the base may not move. */
static enum hv_exit_action apic_base_write(struct hv_vcpu *v,
					   const struct svm_exit_info *ei,
					   uint64_t val)
{
	if ((val & APIC_BASE_ADDR) != ap_apic_base) {
		hv_log(v->cpu, "APIC base move to %lx refused (#GP)",
		       (uint64_t)(val & APIC_BASE_ADDR));
		vcpu_inject_gp0(v);
		return HV_RESUME;
	}
	wrmsr(MSR_APIC_BASE, val);
	return msr_done(v, ei);
}

/* SDM3 §10.12.9 "ICR Operation in x2APIC Mode": MSR 0x830, #GP unless
 * the APIC is in x2APIC mode. */
static enum hv_exit_action x2apic_icr_write(struct hv_vcpu *v,
					    const struct svm_exit_info *ei,
					    uint64_t val)
{
	if (!(rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC)) {
		vcpu_inject_gp0(v);
		return HV_RESUME;
	}
	(void)ap_icr_write(v, val, true); /* refusals are logged */
	return msr_done(v, ei);
}

enum hv_exit_action svm_exit_msr(struct hv_vcpu *v,
				 const struct svm_exit_info *ei)
{
	uint32_t msr = (uint32_t)v->gprs.rcx;
	bool write = ei->info1 == 1;
	uint64_t val = (uint32_t)v->vmcb->save.rax | v->gprs.rdx << 32;

	switch (msr) {
	case MSR_EFER:
		if (write)
			return efer_write(v, ei, val);
		msr_result(v, v->vmcb->save.efer & ~EFER_SVME);
		return msr_done(v, ei);
	case MSR_VM_CR:
		if (write)
			break;
		msr_result(v, VM_CR_SVMDIS | VM_CR_LOCK);
		return msr_done(v, ei);
	case MSR_VM_HSAVE_PA:
		if (write)
			break;
		msr_result(v, 0);
		return msr_done(v, ei);
	case MSR_APIC_BASE: /* writes only are intercepted (svm.c) */
		if (!write)
			hv_exit_fatal(v, ei, "APIC_BASE read not intercepted");
		return apic_base_write(v, ei, val);
	case MSR_X2APIC_ICR:
		if (!write)
			hv_exit_fatal(v, ei, "x2APIC ICR read not intercepted");
		return x2apic_icr_write(v, ei, val);
	default:
		hv_exit_fatal(v, ei, "MSR exit for an MSR not intercepted");
	}
	vcpu_inject_gp0(v);
	return HV_RESUME;
}
