// SPDX-License-Identifier: MIT
/*
 * VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA from the guest: SVM
 * is hidden (CPUID, EFER), so they raise #UD as on a CPU without SVM
 * (APM3 "VMRUN": "#UD: The SVM instructions are not supported / EFER.SVME
 * is 0"). RIP stays at the instruction (a fault).
 *
 * At CPL > 0 the CPU checks the privilege before the intercept and raises
 * #GP, because the guest's EFER.SVME stays set for VMRUN's checks
 * (docs/hypervisor.md): that would tell the guest SVM is there. So #GP is
 * intercepted too, and a #GP raised by an SVM instruction becomes #UD;
 * every other #GP is given back to the guest unchanged.
 */
#include "arch/x86/insn.h"
#include "arch/x86/svm/svm.h"

enum hv_exit_action svm_exit_svm_insn(struct hv_vcpu *v,
				      const struct svm_exit_info *ei)
{
	(void)ei;
	vcpu_inject_ud(v);
	return HV_RESUME;
}

/* Is the instruction at guest RIP 0f 01 d8-df (after legacy/REX
 * prefixes)? */
static bool gp_by_svm_insn(struct hv_vcpu *v)
{
	const struct vmcb_save *s = &v->vmcb->save;
	uint8_t b[INSN_MAX_LEN];
	unsigned int i = 0;

	if (vcpu_read_guest(v, s->cs.base + s->rip, b, 3))
		return false;
	if (vcpu_read_guest(v, s->cs.base + s->rip, b, sizeof(b)))
		i = 0; /* near a page end: only the unprefixed form */
	else
		while (i < sizeof(b) - 3 &&
		       (b[i] == 0x26 || b[i] == 0x2e || b[i] == 0x36 ||
			b[i] == 0x3e || b[i] == 0x64 || b[i] == 0x65 ||
			b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf0 ||
			b[i] == 0xf2 || b[i] == 0xf3 || (b[i] & 0xf0) == 0x40))
			i++;
	return b[i] == 0x0f && b[i + 1] == 0x01 && b[i + 2] >= 0xd8;
}

enum hv_exit_action svm_exit_gp(struct hv_vcpu *v,
				const struct svm_exit_info *ei)
{
	/* #GP is intercepted in both VTLs. In VTL1 it is a bug in the
	 * secure kernel (before its IDT is loaded every exception ends as
	 * #GP, IDT limit 0; after, its other exceptions are reported with
	 * VBS_HC_VTL1_FAULT): fail-stop here as there, with the VMCB dump. */
	if (v->vtl == 1)
		hv_exit_fatal(v, ei, "exception in VTL1 (the secure kernel)");
	if (gp_by_svm_insn(v)) {
		vcpu_inject_ud(v);
		return HV_RESUME;
	}
	/* APM2 §15.12 "Exception Intercepts": EXITINFO1 = error code */
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC |
				     SVM_EVTINJ_EV | 13 |
				     (ei->info1 & 0xffffffffull) << 32;
	return HV_RESUME;
}
