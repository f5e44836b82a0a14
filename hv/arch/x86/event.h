/* SPDX-License-Identifier: MIT */
/*
 * An exception the hypervisor raises while the CPU was delivering another
 * event (a #VMEXIT with EXITINTINFO valid, APM2 §15.7.2 "Intercepts During
 * IDT Interrupt Delivery"): what the guest gets now, what stays pending,
 * or a shutdown. The architecture's rules for an exception during event
 * delivery: SDM3 §6.15 "Exception and Interrupt Reference", Interrupt 8
 * (#DF), Table 6-4 "Interrupt and Exception Classes" and Table 6-5
 * "Conditions for Generating a Double Fault"; APM2 §8.2.9 "Double-Fault
 * Exception (#DF)". Pure: no hardware access; also built on the host for
 * tests/unit/hv_event.c.
 *
 * Events are in the EVENTINJ / EXITINTINFO format (APM2 §15.20 "Event
 * Injection"): vector 7:0, type 10:8, error code valid 11, valid 31, error
 * code 63:32 (arch/x86/svm/vmcb.h SVM_EVTINJ_*).
 */
#ifndef HV_X86_EVENT_H
#define HV_X86_EVENT_H

#include <stdbool.h>
#include <stdint.h>

/* SDM3 Table 6-4 (plus #DF itself, which Table 6-5 does not combine). */
enum hv_event_class {
	HV_EVENT_BENIGN,
	HV_EVENT_CONTRIBUTORY,
	HV_EVENT_PAGE_FAULT,
	HV_EVENT_DOUBLE_FAULT,
};

enum hv_event_outcome {
	HV_EVENT_INJECT,   /* inject .inject now */
	HV_EVENT_SHUTDOWN, /* a fault while delivering #DF: triple fault */
};

struct hv_event_plan {
	enum hv_event_outcome outcome;
	uint64_t inject; /* EVENTINJ value (valid) for HV_EVENT_INJECT */
	/* An external interrupt or NMI that was being delivered, to deliver
	 * once the guest can take it (valid, no error code); 0: none. */
	uint64_t keep;
};

/* EXITINTINFO as the architecture means it: error code bits cleared
 * without EV; an "exception" with vector 2 is an NMI and one with a vector
 * >= 32 an external interrupt (exceptions are vectors 0-31, SDM3 §6.3.1;
 * QEMU reports both as type 3: docs/hypervisor.md "Secure intercepts"). */
uint64_t hv_event_normalize(uint64_t event);

/* What to re-inject after an exit that interrupted the delivery of an
 * event (EXITINTINFO; APM2 §15.7.2): the event normalized, except a
 * software interrupt (INT n, INT3, INTO), which is not re-injected: RIP
 * still points at the instruction, which runs again (re-injecting it
 * without NRIPS would push the instruction's own address). 0: nothing. */
uint64_t hv_event_reinject(uint64_t exitintinfo);

/* The class of one event (EVENTINJ format; not valid: benign). */
enum hv_event_class hv_event_class(uint64_t event);

/* raise (an exception, EVENTINJ format) while delivering interrupted
 * (EXITINTINFO; not valid: nothing was being delivered). */
void hv_event_plan(uint64_t interrupted, uint64_t raise,
		   struct hv_event_plan *plan);

#endif
