// SPDX-License-Identifier: MIT
/*
 * NMI (exit 0x61; APM2 §15.13.2 "NMI Intercept"). NMIs are intercepted so
 * that another CPU can stop this one's guest (ap.c's kick, for an emulated
 * INIT). The NMI stays pending after the exit and GIF is 0: opening GIF
 * for a moment (STGI; CLGI, APM2 §15.17) lets the host take it (the stub
 * in arch/x86/idt.S counts it in host_nmis). If it was a kick, it is
 * consumed; otherwise it was the guest's and is injected (type NMI,
 * vector 2; APM2 §15.20 "Event Injection"), or kept until EVENTINJ is
 * free (exits/vintr.c). Also #SX, the other way an
 * INIT reaches a virtualized CPU.
 */
#include "arch/x86/svm/svm.h"

enum hv_exit_action svm_exit_nmi(struct hv_vcpu *v,
				 const struct svm_exit_info *ei)
{
	uint32_t kicks;

	(void)ei;
	__asm__ volatile("stgi\n\tnop\n\tclgi" : : : "memory");
	v->host_nmis = 0;
	kicks = __atomic_load_n(&v->kicks, __ATOMIC_ACQUIRE);
	while (kicks) {
		if (__atomic_compare_exchange_n(&v->kicks, &kicks, kicks - 1,
						false, __ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return HV_RESUME; /* ours; ap_check_init() follows */
	}
	if (v->in_intercept) {
		/* VTL1 answers first; the NMI goes at the end of the exit
		 * that ends the intercept (exit.c). */
		v->vtl0_nmi_pending = true;
		return HV_RESUME;
	}
	vtl_switch(v, 0); /* the guest's NMI is VTL0's; VTL1 resumes later */
	/* Injected at the end of this exit if EVENTINJ is free, else kept
	 * (never overwrites an event being re-injected; exit.c,
	 * exits/vintr.c). */
	v->vtl0_nmi_pending = true;
	return HV_RESUME;
}

/* #SX (exit 0x5e): an INIT redirected by VM_CR.R_INIT (APM2 §15.29); the
 * INIT is emulated (ap.c), never delivered. */
enum hv_exit_action svm_exit_sx(struct hv_vcpu *v,
				const struct svm_exit_info *ei)
{
	(void)ei;
	ap_sx_init(v);
	return HV_RESUME;
}
