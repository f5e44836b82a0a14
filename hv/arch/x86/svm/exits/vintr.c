// SPDX-License-Identifier: MIT
/*
 * Events VTL0 has yet to take, and its interrupt window (exit 0x64).
 *
 * A secure intercept that denies the CPU's delivery of an external
 * interrupt or NMI (exits/intercept.c, arch/x86/event.c) keeps that event:
 * it was already taken from the APIC, and the guest must still get it. An
 * NMI that arrives while EVENTINJ holds another event is kept too (only
 * one NMI is ever kept, as the CPU latches one). Per CPU, no allocation.
 *
 *  - An NMI is injected at the end of the first VTL0 exit whose EVENTINJ
 *    is free (exit.c). NMI blocking after it is the guest's, until its
 *    IRET.
 *  - An external interrupt only when the guest can take one: RFLAGS.IF = 1
 *    and no interrupt shadow. The interrupt-window exit says when: a
 *    virtual interrupt request (V_IRQ, priority 15, V_IGN_TPR) is taken
 *    under the same masking as a physical one (the guest's EFLAGS.IF, the
 *    interrupt shadow; APM2 §15.21 "Interrupt and Local APIC Support",
 *    virtual interrupts), and with the VINTR intercept (Table B-1, vector
 *    3 bit 4) taking it is a #VMEXIT with code 0x64 (Appendix C) instead:
 *    the virtual interrupt itself is never delivered. Highest vector
 *    first (the APIC's priority order, SDM3 §10.8.3.1 "Task and Processor
 *    Priorities").
 *
 * The window also carries a kept NMI when EVENTINJ stays taken; in the
 * rare case of a guest that never sets IF again, such an NMI waits for
 * its next exit with EVENTINJ free.
 */
#include "arch/x86/svm/svm.h"

static bool intr_pending(const struct hv_vcpu *v)
{
	return v->vtl0_intr_pending[0] | v->vtl0_intr_pending[1] |
	       v->vtl0_intr_pending[2] | v->vtl0_intr_pending[3];
}

/* Anything kept for VTL0: exit.c then calls vtl0_deliver_pending(). */
bool vtl0_events_pending(const struct hv_vcpu *v)
{
	return v->vtl0_nmi_pending || intr_pending(v);
}

/* The highest pending vector, taken off the set; the set is not empty. */
static unsigned int intr_take(struct hv_vcpu *v)
{
	unsigned int word = 4, bit;

	while (word-- > 1 && !v->vtl0_intr_pending[word])
		;
	bit = 63u - (unsigned int)__builtin_clzll(v->vtl0_intr_pending[word]);
	v->vtl0_intr_pending[word] &= ~(1ull << bit);
	return word * 64u + bit;
}

static void window(struct hv_vcpu *v, bool open)
{
	struct vmcb_control *c = &v->vmcb->control;
	const uint64_t vintr = SVM_INT_CTL_V_IRQ | SVM_INT_CTL_V_IGN_TPR |
			       SVM_INT_CTL_V_INTR_PRIO_MASK;

	c->int_ctl &= ~vintr;
	c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	if (open) {
		c->int_ctl |= vintr;
		c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
	}
}

/* Keep an external interrupt or NMI (EVENTINJ format) for VTL0. */
void vtl0_keep_event(struct hv_vcpu *v, uint64_t event)
{
	unsigned int vec = (unsigned int)(event & SVM_EVTINJ_VEC_MASK);

	if ((event & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_NMI)
		v->vtl0_nmi_pending = true;
	else
		v->vtl0_intr_pending[vec / 64u] |= 1ull << (vec % 64u);
}

/* At the end of every VTL0 exit with something kept (exit.c; VTL0's VMCB
 * is v->vmcb): inject a kept NMI if EVENTINJ is free; open the window
 * while anything else is kept, close it otherwise. */
void vtl0_deliver_pending(struct hv_vcpu *v)
{
	if (v->vtl0_nmi_pending &&
	    !(v->vmcb->control.event_inj & SVM_EVTINJ_VALID)) {
		v->vtl0_nmi_pending = false;
		vcpu_inject_nmi(v);
	}
	window(v, v->vtl0_nmi_pending || intr_pending(v));
}

/* The guest can take an interrupt now: the kept NMI first, then the
 * highest kept interrupt (the virtual one is dropped: V_IRQ cleared). */
enum hv_exit_action svm_exit_vintr(struct hv_vcpu *v,
				   const struct svm_exit_info *ei)
{
	if (v->vtl != 0)
		hv_exit_fatal(v, ei, "interrupt window outside VTL0");
	window(v, false);
	if (!(v->vmcb->control.event_inj & SVM_EVTINJ_VALID) &&
	    !v->vtl0_nmi_pending && intr_pending(v))
		vcpu_inject_event(v, SVM_EVTINJ_TYPE_INTR | intr_take(v));
	return HV_RESUME; /* exit.c reopens the window if more is kept */
}
