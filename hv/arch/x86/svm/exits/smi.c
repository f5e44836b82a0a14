// SPDX-License-Identifier: MIT
/*
 * SMI (exit 0x62). Under TCG SMIs arrive while the guest runs; with the
 * intercept on, the SMI stays pending while GIF = 0. Opening GIF for a
 * moment (STGI; CLGI) lets SMM run from the host context and return here
 * (docs/testbed.md; APM2 §15.13.3 "SMI Intercept", §15.17 "Global
 * Interrupt Flag").
 */
#include "arch/x86/svm/svm.h"

enum hv_exit_action svm_exit_smi(struct hv_vcpu *v,
				 const struct svm_exit_info *ei)
{
	(void)ei;
	__asm__ volatile("stgi\n\tnop\n\tclgi" : : : "memory");
	/* An NMI taken in the window (counted by the stub in
	 * arch/x86/idt.S) was the guest's: APM2 §15.20 "Event Injection",
	 * type 2 (NMI), vector 2. NMIs are intercepted (exits/nmi.c), so
	 * this happens only if one arrives between that exit and here. */
	if (__atomic_exchange_n(&v->host_nmis, 0, __ATOMIC_ACQ_REL) &&
	    !(v->vmcb->control.event_inj & SVM_EVTINJ_VALID))
		vcpu_inject_nmi(v);
	return HV_RESUME;
}
