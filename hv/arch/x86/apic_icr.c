// SPDX-License-Identifier: MIT
/*
 * Interrupt Command Register decoding and the INIT/SIPI planner (pure;
 * hv/arch/x86/apic.h). The hypervisor calls the planner for each guest ICR
 * write it traps (xAPIC page write, x2APIC MSR 0x830 write) and for an
 * intercepted #SX; the runtime carries the actions out.
 *
 * Why INIT and SIPI are planned at all: a physical INIT resets a CPU that
 * runs as a guest on this test bed (docs/testbed.md "Multiple CPUs"), so a
 * virtualized CPU only ever gets an emulated INIT/SIPI, and a native CPU
 * that the OS starts is sent to the hypervisor's trampoline instead of the
 * OS's start-up code, so the hypervisor takes it over.
 */
#include "arch/x86/apic.h"

/* SDM3 §10.6.1 "Interrupt Command Register (ICR)" (Figure 10-12);
 * APM2 §16.5 "Interprocessor Interrupts" (the same layout). */
#define ICR_VECTOR_MASK    0x000000ffu
#define ICR_DM_SHIFT       8
#define ICR_DM_MASK        0x7u
#define ICR_LOGICAL        (1u << 11)
#define ICR_DELIV_STATUS   (1u << 12) /* read-only; written as 0 */
#define ICR_LEVEL_ASSERT   (1u << 14)
#define ICR_LEVEL_TRIGGER  (1u << 15)
#define ICR_SH_SHIFT       18
#define ICR_SH_MASK        0x3u
#define ICR_XAPIC_DEST_SHIFT 24 /* in ICR_HI (0x310) */

/* The low 32 bits, common to the xAPIC ICR_LO and the x2APIC ICR. */
static void icr_from_lo(uint32_t lo, struct apic_icr *icr)
{
	icr->vector = (uint8_t)(lo & ICR_VECTOR_MASK);
	icr->dm = (uint8_t)((lo >> ICR_DM_SHIFT) & ICR_DM_MASK);
	icr->logical = (lo & ICR_LOGICAL) != 0;
	icr->level_assert = (lo & ICR_LEVEL_ASSERT) != 0;
	icr->level_trigger = (lo & ICR_LEVEL_TRIGGER) != 0;
	icr->shorthand = (uint8_t)((lo >> ICR_SH_SHIFT) & ICR_SH_MASK);
}

void apic_icr_from_xapic(uint32_t lo, uint32_t hi, struct apic_icr *icr)
{
	*icr = (struct apic_icr){ 0 };
	icr_from_lo(lo, icr);
	icr->dest = hi >> ICR_XAPIC_DEST_SHIFT;
}

/* SDM3 §10.12.9 "ICR Operation in x2APIC Mode"; APM2 §16.13 (x2APIC ICR,
 * MSR 0x830): one 64-bit register, destination in bits 63:32, no delivery
 * status bit. */
void apic_icr_from_x2apic(uint64_t value, struct apic_icr *icr)
{
	*icr = (struct apic_icr){ 0 };
	icr_from_lo((uint32_t)value, icr);
	icr->dest = (uint32_t)(value >> 32);
	icr->x2apic = true;
}

uint32_t apic_icr_xapic_lo(const struct apic_icr *icr)
{
	return icr->vector |
	       (uint32_t)(icr->dm & ICR_DM_MASK) << ICR_DM_SHIFT |
	       (icr->logical ? ICR_LOGICAL : 0) |
	       (icr->level_assert ? ICR_LEVEL_ASSERT : 0) |
	       (icr->level_trigger ? ICR_LEVEL_TRIGGER : 0) |
	       (uint32_t)(icr->shorthand & ICR_SH_MASK) << ICR_SH_SHIFT;
}

uint32_t apic_icr_xapic_hi(const struct apic_icr *icr)
{
	return (icr->dest & 0xffu) << ICR_XAPIC_DEST_SHIFT;
}

uint64_t apic_icr_x2apic(const struct apic_icr *icr)
{
	return (uint64_t)icr->dest << 32 | apic_icr_xapic_lo(icr);
}

/*
 * The planner. The targets of a write are kept as a rule over slot indices
 * (one slot, or all but perhaps self) so that counting the actions (to
 * fail with APIC_PLAN_E_SPACE before anything changes) and producing them
 * walk the slots the same way.
 */
struct plan_targets {
	bool all;            /* every slot ... */
	bool skip_self;      /* ... but self */
	unsigned int single; /* else exactly this slot */
};

static bool is_broadcast(const struct apic_icr *icr)
{
	return icr->dest == (icr->x2apic ? APIC_BROADCAST_X2APIC :
					   APIC_BROADCAST_XAPIC);
}

/* SDM3 §10.6.1 "Destination Shorthand" and §10.6.2.1 "Physical
 * Destination Mode". Returns 0 or an APIC_PLAN_E_*. */
static int resolve_targets(const struct ap_slot *slots, unsigned int nslots,
			   unsigned int self, const struct apic_icr *icr,
			   struct plan_targets *t)
{
	unsigned int i;

	*t = (struct plan_targets){ 0 };
	switch (icr->shorthand) {
	case APIC_SH_SELF:
		if (self >= nslots)
			return APIC_PLAN_E_UNKNOWN;
		t->single = self;
		return 0;
	case APIC_SH_ALL:
		t->all = true;
		return 0;
	case APIC_SH_OTHERS:
		t->all = true;
		t->skip_self = true;
		return 0;
	default:
		break;
	}
	if (icr->logical)
		return APIC_PLAN_E_LOGICAL;
	if (is_broadcast(icr)) {
		t->all = true;
		return 0;
	}
	/* the first slot with this ID; the table holds each ID once */
	for (i = 0; i < nslots; i++) {
		if (slots[i].apic_id == icr->dest) {
			t->single = i;
			return 0;
		}
	}
	return APIC_PLAN_E_UNKNOWN;
}

static bool is_target(const struct plan_targets *t, unsigned int nslots,
		      unsigned int self, unsigned int i)
{
	if (i >= nslots)
		return false;
	if (!t->all)
		return i == t->single;
	return !(t->skip_self && i == self);
}

static bool is_native(uint8_t state)
{
	return state == AP_NATIVE || state == AP_NATIVE_INIT ||
	       state == AP_STARTING;
}

/* One target's step: whether it gets an action, which, and the slot's
 * state and SIPI vector after it. */
struct target_step {
	bool act;
	uint8_t kind;
	uint8_t vector;    /* the vector of the action's icr */
	uint8_t state;
	uint8_t sipi_vector;
};

/*
 * SDM3 §10.6.1: "INIT Level De-assert" is delivery mode INIT with trigger
 * mode level and level de-assert. It synchronizes arbitration IDs on old
 * processors and does nothing to a CPU's state: pass it to native CPUs,
 * keep it from virtualized ones.
 */
static void step_init_deassert(const struct ap_slot *s, struct target_step *st)
{
	st->act = is_native(s->state);
	st->kind = APIC_ACT_SEND;
}

/*
 * INIT: a native CPU gets the real INIT and waits for SIPI natively; a
 * virtualized CPU must never see a physical INIT (QEMU resets it even with
 * GIF clear), it gets an emulated one.
 */
static void step_init(const struct ap_slot *s, struct target_step *st)
{
	st->act = true;
	if (is_native(s->state)) {
		st->kind = APIC_ACT_SEND;
		st->state = AP_NATIVE_INIT;
	} else {
		st->kind = APIC_ACT_EMUL_INIT;
		st->state = AP_VIRT_INIT;
	}
}

/*
 * SIPI (SDM3 §8.4 "Multiple-Processor (MP) Initialization": only a CPU in
 * wait-for-SIPI acts on a SIPI, later ones are ignored; Linux and OVMF
 * send two). A native CPU in (or, AP_NATIVE, assumed in) wait-for-SIPI is
 * sent to the trampoline, and the OS's vector is kept for the guest's
 * start there. A virtualized CPU waiting after an emulated INIT starts
 * its guest at the OS's vector.
 */
static void step_sipi(const struct ap_slot *s, const struct apic_icr *icr,
		      uint8_t tramp_vector, struct target_step *st)
{
	switch (s->state) {
	case AP_NATIVE:
	case AP_NATIVE_INIT:
		st->act = true;
		st->kind = APIC_ACT_SEND;
		st->vector = tramp_vector;
		st->state = AP_STARTING;
		st->sipi_vector = icr->vector;
		break;
	case AP_VIRT_INIT:
		st->act = true;
		st->kind = APIC_ACT_EMUL_SIPI;
		st->state = AP_VIRT_SIPI;
		st->sipi_vector = icr->vector;
		break;
	default:
		break;
	}
}

static void plan_step(const struct ap_slot *s, const struct apic_icr *icr,
		      uint8_t tramp_vector, struct target_step *st)
{
	*st = (struct target_step){ .vector = icr->vector, .state = s->state,
				    .sipi_vector = s->sipi_vector };
	if (icr->dm == APIC_DM_SIPI)
		step_sipi(s, icr, tramp_vector, st);
	else if (icr->level_trigger && !icr->level_assert)
		step_init_deassert(s, st);
	else
		step_init(s, st);
}

/* The unicast copy of icr for one target. */
static void unicast_icr(const struct apic_icr *icr, uint32_t apic_id,
			uint8_t vector, struct apic_icr *out)
{
	*out = *icr;
	out->shorthand = APIC_SH_NONE;
	out->logical = false;
	out->dest = apic_id;
	out->vector = vector;
}

static int plan_init_sipi(struct ap_slot *slots, unsigned int nslots,
			  unsigned int self, const struct apic_icr *icr,
			  uint8_t tramp_vector, struct apic_act *acts,
			  unsigned int max)
{
	struct plan_targets t;
	struct target_step st;
	unsigned int i, n = 0;
	int rc;

	rc = resolve_targets(slots, nslots, self, icr, &t);
	if (rc)
		return rc;
	for (i = 0; i < nslots; i++) {
		if (!is_target(&t, nslots, self, i))
			continue;
		plan_step(&slots[i], icr, tramp_vector, &st);
		n += st.act;
	}
	if (n > max)
		return APIC_PLAN_E_SPACE;
	n = 0;
	for (i = 0; i < nslots; i++) {
		if (!is_target(&t, nslots, self, i))
			continue;
		plan_step(&slots[i], icr, tramp_vector, &st);
		slots[i].state = st.state;
		slots[i].sipi_vector = st.sipi_vector;
		if (!st.act)
			continue;
		acts[n] = (struct apic_act){ .kind = st.kind, .slot = i };
		unicast_icr(icr, slots[i].apic_id, st.vector, &acts[n].icr);
		n++;
	}
	return (int)n;
}

int apic_icr_plan(struct ap_slot *slots, unsigned int nslots, unsigned int self,
		  const struct apic_icr *icr, uint8_t tramp_vector,
		  struct apic_act *acts, unsigned int max)
{
	if (icr->dm == APIC_DM_INIT || icr->dm == APIC_DM_SIPI)
		return plan_init_sipi(slots, nslots, self, icr, tramp_vector,
				      acts, max);
	/* everything else goes out as the guest wrote it */
	if (max < 1)
		return APIC_PLAN_E_SPACE;
	acts[0] = (struct apic_act){ .kind = APIC_ACT_SEND, .slot = self,
				     .icr = *icr };
	return 1;
}

int apic_sx_init_plan(struct ap_slot *slots, unsigned int nslots,
		      unsigned int self, struct apic_act *acts,
		      unsigned int max)
{
	struct ap_slot *s;

	if (self >= nslots)
		return APIC_PLAN_E_UNKNOWN;
	s = &slots[self];
	if (is_native(s->state))
		return 0;
	if (max < 1)
		return APIC_PLAN_E_SPACE;
	s->state = AP_VIRT_INIT;
	acts[0] = (struct apic_act){
		.kind = APIC_ACT_EMUL_INIT,
		.slot = self,
		.icr = { .dm = APIC_DM_INIT, .level_assert = true,
			 .dest = s->apic_id },
	};
	return 1;
}
