// SPDX-License-Identifier: MIT
/*
 * Exceptions raised during event delivery (pure; hv/arch/x86/event.h).
 * The secure-intercept path (svm/exits/intercept.c) asks it what a denied
 * access becomes when the access was the CPU's own, delivering an event:
 * pushing a frame onto a stack page, reading a gate or descriptor.
 */
#include "arch/x86/event.h"
#include "arch/x86/svm/vmcb.h"

#define VEC_DE 0   /* divide error */
#define VEC_DF 8   /* double fault */
#define VEC_TS 10  /* invalid TSS */
#define VEC_NP 11  /* segment not present */
#define VEC_SS 12  /* stack fault */
#define VEC_GP 13  /* general protection */
#define VEC_PF 14  /* page fault */
#define VEC_VE 20  /* virtualization exception (Intel; reserved on AMD) */
#define VEC_CP 21  /* control protection */

uint64_t hv_event_normalize(uint64_t event)
{
	uint64_t vec = event & SVM_EVTINJ_VEC_MASK;

	if (!(event & SVM_EVTINJ_VALID))
		return 0;
	if (!(event & SVM_EVTINJ_EV))
		event &= 0xffffffffull;
	if ((event & SVM_EVTINJ_TYPE_MASK) != SVM_EVTINJ_TYPE_EXC)
		return event;
	if (vec == 2)
		return SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | vec;
	if (vec >= 32)
		return SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | vec;
	return event;
}

uint64_t hv_event_reinject(uint64_t exitintinfo)
{
	uint64_t event = hv_event_normalize(exitintinfo);

	if ((event & SVM_EVTINJ_TYPE_MASK) == SVM_EVTINJ_TYPE_SOFT)
		return 0;
	return event;
}

/*
 * SDM3 Table 6-4 "Interrupt and Exception Classes": contributory are #DE,
 * #TS, #NP, #SS, #GP and #CP; the page-fault class is #PF and #VE; every
 * other exception, NMI, external interrupt and INT n is benign. APM2
 * §8.2.9 "Double-Fault Exception (#DF)" has the same contributory set and
 * #PF. INT3/INTO (vectors 3/4, as type 3 or 4) are benign either way.
 */
enum hv_event_class hv_event_class(uint64_t event)
{
	if (!(event & SVM_EVTINJ_VALID) ||
	    (event & SVM_EVTINJ_TYPE_MASK) != SVM_EVTINJ_TYPE_EXC)
		return HV_EVENT_BENIGN;
	switch (event & SVM_EVTINJ_VEC_MASK) {
	case VEC_DE: case VEC_TS: case VEC_NP: case VEC_SS: case VEC_GP:
	case VEC_CP:
		return HV_EVENT_CONTRIBUTORY;
	case VEC_PF: case VEC_VE:
		return HV_EVENT_PAGE_FAULT;
	case VEC_DF:
		return HV_EVENT_DOUBLE_FAULT;
	default:
		return HV_EVENT_BENIGN;
	}
}

/*
 * SDM3 Table 6-5 "Conditions for Generating a Double Fault" (APM2 §8.2.9,
 * Table 8-7): a contributory exception during the delivery of a
 * contributory one, or a contributory or page fault during the delivery of
 * a page fault, is a #DF; any other pair is handled serially (the second
 * now; a fault-class first one comes back when its instruction runs
 * again). SDM3 §6.15 Interrupt 8 / APM2 §8.2.9: a further fault while the
 * #DF is delivered shuts the processor down.
 */
static bool double_fault(enum hv_event_class first, enum hv_event_class second)
{
	if (first == HV_EVENT_CONTRIBUTORY)
		return second == HV_EVENT_CONTRIBUTORY ||
		       second == HV_EVENT_DOUBLE_FAULT;
	if (first == HV_EVENT_PAGE_FAULT)
		return second != HV_EVENT_BENIGN;
	return false;
}

static bool is_interrupt_or_nmi(uint64_t event)
{
	uint64_t type = event & SVM_EVTINJ_TYPE_MASK;

	return (event & SVM_EVTINJ_VALID) &&
	       (type == SVM_EVTINJ_TYPE_INTR || type == SVM_EVTINJ_TYPE_NMI);
}

/*
 * The interrupted event itself: an external interrupt or NMI was already
 * taken from its source (acknowledged), so it is kept and delivered later
 * (serial handling, Table 6-5's "benign" rows); an exception or a software
 * interrupt (INT n/INT3/INTO, type 4) is not kept — RIP still points at
 * its instruction, which runs again and raises it again.
 */
void hv_event_plan(uint64_t interrupted, uint64_t raise,
		   struct hv_event_plan *plan)
{
	enum hv_event_class first = hv_event_class(interrupted);
	enum hv_event_class second = hv_event_class(raise);

	plan->outcome = HV_EVENT_INJECT;
	plan->inject = raise | SVM_EVTINJ_VALID;
	plan->keep = 0;
	if (!(interrupted & SVM_EVTINJ_VALID))
		return;
	if (first == HV_EVENT_DOUBLE_FAULT) {
		plan->outcome = HV_EVENT_SHUTDOWN;
		plan->inject = 0;
		return;
	}
	if (double_fault(first, second)) {
		plan->inject = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC |
			       SVM_EVTINJ_EV | VEC_DF; /* #DF(0) */
		return;
	}
	if (is_interrupt_or_nmi(interrupted))
		plan->keep = SVM_EVTINJ_VALID |
			     (interrupted & (SVM_EVTINJ_TYPE_MASK |
					     SVM_EVTINJ_VEC_MASK));
}
