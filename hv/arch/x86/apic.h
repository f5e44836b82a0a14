/* SPDX-License-Identifier: MIT */
/*
 * Local APIC Interrupt Command Register: decoding and encoding, and the
 * planner that decides what one guest ICR write does to the machine's CPUs
 * when INIT and SIPI must not reach a virtualized CPU (docs/hypervisor.md
 * "Application processors"; docs/testbed.md "Multiple CPUs"). Pure: no
 * hardware access; also built on the host for tests/unit/hv_apic.c.
 */
#ifndef HV_X86_APIC_H
#define HV_X86_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_DEFAULT_BASE 0xfee00000ull
#define APIC_REG_ICR_LO 0x300
#define APIC_REG_ICR_HI 0x310
#define X2APIC_MSR_ICR 0x830u

/* Physical destination "all APICs": SDM3 §10.6.2.1 "Physical Destination
 * Mode", SDM3 §10.12.9 "ICR Operation in x2APIC Mode". */
#define APIC_BROADCAST_XAPIC 0xffu
#define APIC_BROADCAST_X2APIC 0xffffffffu

/* ICR delivery mode, bits 10:8 (SDM3 §10.6.1; APM2 §16.5 "Interprocessor
 * Interrupts"). 3 and 7 are reserved for the ICR. */
enum apic_dm { APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2,
	       APIC_DM_NMI = 4, APIC_DM_INIT = 5, APIC_DM_SIPI = 6 };
/* ICR destination shorthand, bits 19:18. */
enum apic_sh { APIC_SH_NONE = 0, APIC_SH_SELF = 1, APIC_SH_ALL = 2,
	       APIC_SH_OTHERS = 3 };

/* One ICR value, decoded. Fields the hardware reserves are dropped. */
struct apic_icr {
	uint8_t vector, dm, shorthand;
	bool logical, level_assert, level_trigger;
	bool x2apic;   /* from the x2APIC MSR: dest is 32 bits, broadcast
			  is 0xffffffff (else 8 bits, broadcast 0xff) */
	uint32_t dest; /* xAPIC: ICR_HI[31:24]; x2APIC: bits 63:32 */
};

void apic_icr_from_xapic(uint32_t lo, uint32_t hi, struct apic_icr *icr);
void apic_icr_from_x2apic(uint64_t value, struct apic_icr *icr);
uint32_t apic_icr_xapic_lo(const struct apic_icr *icr); /* delivery status 0 */
uint32_t apic_icr_xapic_hi(const struct apic_icr *icr); /* dest[7:0] << 24 */
uint64_t apic_icr_x2apic(const struct apic_icr *icr);

/*
 * One CPU as the hypervisor tracks it (the table is per machine, index =
 * hypervisor CPU number, 0 = boot CPU; the runtime holds a lock around
 * every call).
 */
enum ap_state {
	AP_NATIVE,      /* not virtualized; no INIT seen since the hypervisor
			   started */
	AP_NATIVE_INIT, /* a physical INIT was passed through: natively in
			   wait-for-SIPI */
	AP_STARTING,    /* SIPI redirected to the hypervisor's trampoline;
			   sipi_vector = the OS's */
	AP_VIRT,        /* runs as a guest (the runtime sets this when the
			   AP enters the guest) */
	AP_VIRT_INIT,   /* virtualized; emulated INIT: waits in the
			   hypervisor for a SIPI */
	AP_VIRT_SIPI,   /* virtualized; emulated SIPI received, sipi_vector
			   set; the runtime moves it to AP_VIRT when it
			   resumes the guest there */
};
struct ap_slot {
	uint32_t apic_id;
	uint8_t state;       /* enum ap_state */
	uint8_t sipi_vector;
};

enum apic_act_kind {
	APIC_ACT_SEND,      /* write icr to the physical ICR of the writing CPU */
	APIC_ACT_EMUL_INIT, /* slot's CPU must stop its guest and wait for SIPI */
	APIC_ACT_EMUL_SIPI, /* slot's CPU (waiting) starts its guest at
			       sipi_vector */
};
/* slot: the target CPU's index; for a pass-through SEND (not INIT/SIPI)
 * the writing CPU's (self). */
struct apic_act {
	uint8_t kind;       /* enum apic_act_kind */
	uint32_t slot;
	struct apic_icr icr;
};

#define APIC_PLAN_E_LOGICAL (-1) /* INIT/SIPI in logical destination mode:
				    not supported */
#define APIC_PLAN_E_UNKNOWN (-2) /* INIT/SIPI to an APIC ID that is in no
				    slot (or self out of range) */
#define APIC_PLAN_E_SPACE   (-3) /* more actions than max */

/*
 * What one guest ICR write does; updates slot states for the transitions
 * the write causes. Returns the number of actions written to acts[0..max)
 * or an APIC_PLAN_E_* (then no slot has changed). INIT/SIPI actions are
 * unicast (shorthand none, physical, dest = the target's APIC ID), in slot
 * order; a shorthand or broadcast that names no CPU gives 0 actions.
 */
int apic_icr_plan(struct ap_slot *slots, unsigned int nslots, unsigned int self,
		  const struct apic_icr *icr, uint8_t tramp_vector,
		  struct apic_act *acts, unsigned int max);

/*
 * R_INIT (APM2 §15.29 "Redirection of INIT": with VM_CR.R_INIT an INIT
 * becomes #SX, exception 30, intercepted): what to do for an INIT that
 * arrived at CPU self. Same return convention: one APIC_ACT_EMUL_INIT when
 * self is virtualized (VIRT, VIRT_INIT, VIRT_SIPI; state VIRT_INIT), else
 * 0 actions.
 */
int apic_sx_init_plan(struct ap_slot *slots, unsigned int nslots,
		      unsigned int self, struct apic_act *acts,
		      unsigned int max);

#endif
