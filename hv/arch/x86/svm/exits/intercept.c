// SPDX-License-Identifier: MIT
/*
 * Secure intercepts (include/vbs/hypercall.h, docs/abi.md "Secure
 * intercepts"; the Hyper-V TLFS's "Virtual Secure Mode" intercepts of
 * VTL0 accesses that VTL1's protections forbid).
 *
 * A nested page fault in VTL0 on a page of guest memory (not hidden, below
 * the identity map's top) can only come from a mask VTL1 set: the access
 * does not happen. The hypervisor decodes what it can (the access kind
 * from the NPF error code, APM2 §15.25.6; for a write, the store at RIP),
 * writes a struct vbs_vtl_intercept into VTL1's message buffer for this
 * CPU and runs VTL1 at its intercept entry — on its own stack, interrupts
 * off, with VTL1's other context (a VTL call it may be serving) saved
 * aside. VTL1's VTL_RETURN carries the answer (vtl_intercept_end):
 * allow, deny (#GP(0) in VTL0) or emulate (the write done once here).
 * Nothing is allocated: the message buffer is VTL1's, the saved context a
 * page per CPU from boot.
 *
 * The access may be the CPU's own, delivering an event (EXITINTINFO valid,
 * APM2 §15.7.2 "Intercepts During IDT Interrupt Delivery"): a frame pushed
 * onto a protected stack page, a protected IDT or GDT read. Then the
 * instruction at RIP did not make the access: no store is decoded (an
 * EMULATE answer is a DENY), VTL1 is told (VBS_VTL_INTERCEPT_F_EVENT and
 * the event), and a DENY's #GP(0) meets the interrupted event as the
 * architecture says (arch/x86/event.c: #DF(0) after a contributory
 * exception or #PF; a triple fault, fatal for the machine, after #DF; an
 * interrupted external interrupt or NMI kept and delivered later,
 * exits/vintr.c). ALLOW leaves the re-injection svm_exit_handler
 * pre-loaded (arch/x86/event.c hv_event_reinject: a software interrupt's
 * INT n runs again instead).
 */
#include "arch/x86/event.h"
#include "arch/x86/svm/svm.h"
#include "core/spinlock.h"

#define NPF_WRITE (1ull << 1)
#define NPF_FETCH (1ull << 4)
#define NPF_GUEST_WALK (1ull << 33) /* during the guest's table walk */
#define RFLAGS_FIXED 0x2ull

/* The access the NPF reports, as one VBS_VTL_PROT_* bit: an instruction
 * fetch at CPL 3 is a user execute (APM2 §15.25.6: nested walks count
 * every access as a user access, so U/S says nothing here). */
static uint32_t npf_access(const struct hv_vcpu *v, uint64_t error)
{
	if (error & NPF_FETCH)
		return v->vmcb->save.cpl == 3 ? VBS_VTL_PROT_UEXEC :
						VBS_VTL_PROT_KEXEC;
	return (error & NPF_WRITE) ? VBS_VTL_PROT_WRITE : VBS_VTL_PROT_READ;
}

/* A write VTL1 may ask to emulate: a decoded MOV/XCHG store, naturally
 * aligned (so it lies in the faulting page and EXITINFO2 is its start). */
static void decode_write(struct hv_vcpu *v, uint64_t gpa, uint64_t error,
			 struct insn_store *st)
{
	uint8_t bytes[INSN_MAX_LEN];
	size_t avail;

	memset(st, 0, sizeof(*st));
	if ((error & NPF_GUEST_WALK) || vcpu_fetch_insn(v, bytes, &avail) ||
	    insn_decode_store(bytes, avail, vcpu_insn_mode(&v->vmcb->save), st) ||
	    (gpa & (st->size - 1u)))
		memset(st, 0, sizeof(*st));
}

static void fill_message(struct hv_vcpu *v, uint64_t error)
{
	struct vbs_vtl_intercept *m =
		(struct vbs_vtl_intercept *)(uintptr_t)v->icpt_msg;
	const struct vmcb_save *s = &v->vmcb->save;
	unsigned int r;

	memset(m, 0, sizeof(*m));
	m->kind = VBS_VTL_INTERCEPT_MEMORY;
	m->access = v->icpt.access;
	m->gpa = v->icpt.gpa;
	m->rip = s->rip;
	m->rsp = s->rsp;
	m->rflags = s->rflags;
	m->cr3 = s->cr3;
	m->cpl = s->cpl;
	m->flags = (error & NPF_GUEST_WALK) ? VBS_VTL_INTERCEPT_F_WALK : 0;
	if (v->icpt.event) {
		m->flags |= VBS_VTL_INTERCEPT_F_EVENT;
		m->event = v->icpt.event;
	}
	m->error_code = error;
	if (v->icpt.store.size) {
		m->insn_len = v->icpt.store.len;
		m->store_size = v->icpt.store.size;
		m->store_value = vcpu_store_value(v, &v->icpt.store);
	}
	for (r = 0; r < 16; r++)
		m->gprs[r] = vcpu_gpr(v, r);
	m->seq = ++v->icpt_seq;
}

/* Run VTL1 at its intercept entry; its call context waits in vtl1_saved. */
static void enter_vtl1(struct hv_vcpu *v)
{
	struct vmcb_save *s1 = &v->vtl_vmcb[1]->save;

	*v->vtl1_saved = *v->vtl_ctx[1];
	v->vtl1_saved_rip = s1->rip;
	v->vtl1_saved_rsp = s1->rsp;
	v->vtl1_saved_rflags = s1->rflags;
	v->vtl_ctx[1]->gprs.rdi = v->icpt_msg;
	v->vtl_ctx[1]->gprs.rsi = v->cpu;
	s1->rip = v->icpt_entry;
	s1->rsp = v->icpt_stack;
	s1->rflags = RFLAGS_FIXED; /* IF clear: not preempted */
	v->in_intercept = true;
	v->counters[VBS_CTR_INTERCEPT]++;
	vtl_switch(v, 1);
}

/* SDM3 §6.15 Interrupt 8 / APM2 §8.2.9: a fault while delivering #DF
 * shuts the processor down; as a guest SHUTDOWN (exits/shutdown.c), the
 * machine stops, logged. */
static __attribute__((noreturn)) void triple_fault(struct hv_vcpu *v)
{
	hv_log(v->cpu, "guest SHUTDOWN (triple fault): #GP while delivering "
	       "%lx (secure intercept at gpa %lx): state follows",
	       v->icpt.event, v->icpt.gpa);
	vcpu_dump(v);
	hv_panic(v->cpu, "guest shutdown");
}

/*
 * DENY on VTL0 (its VMCB is v->vmcb): #GP(0) at the instruction, or, when
 * the access was an event's delivery, what arch/x86/event.c makes of the
 * #GP and that event. EVENTINJ's pre-loaded re-injection is replaced.
 */
static void deny_access(struct hv_vcpu *v)
{
	const uint64_t gp0 = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC |
			     SVM_EVTINJ_EV | 13;
	struct hv_event_plan plan;

	hv_event_plan(v->icpt.event, gp0, &plan);
	if (plan.outcome == HV_EVENT_SHUTDOWN)
		triple_fault(v);
	vcpu_inject_event(v, plan.inject);
	if (plan.keep)
		vtl0_keep_event(v, plan.keep);
	if (v->icpt.event)
		hv_log(v->cpu, "secure intercept during event delivery denied: "
		       "event %lx gpa %lx rip %lx: inject %lx, keep %lx",
		       v->icpt.event, v->icpt.gpa, v->vmcb->save.rip,
		       plan.inject, plan.keep);
}

enum hv_exit_action vtl_intercept(struct hv_vcpu *v,
				  const struct svm_exit_info *ei)
{
	uint64_t error = ei->info1, intinfo = v->vmcb->control.exit_int_info;

	if (v->vtl != 0 || v->in_intercept)
		hv_exit_fatal(v, ei, "nested page fault outside VTL0's view");
	v->icpt.gpa = ei->info2;
	v->icpt.access = npf_access(v, error);
	/* As the architecture means it (QEMU leaves a stale error code
	 * without EV and calls interrupts and NMIs exceptions). */
	v->icpt.event = hv_event_normalize(intinfo);
	memset(&v->icpt.store, 0, sizeof(v->icpt.store));
	if (v->icpt.access == VBS_VTL_PROT_WRITE && !v->icpt.event)
		decode_write(v, ei->info2, error, &v->icpt.store);
	if (!v->icpt_entry || (v->vtl1_state != VTL1_READY &&
			       v->vtl1_state != VTL1_BUSY)) {
		hv_log(v->cpu, "secure intercept at gpa %lx rip %lx with no "
		       "VTL1 to answer: denied", ei->info2, v->vmcb->save.rip);
		deny_access(v);
		return HV_RESUME;
	}
	fill_message(v, error);
	enter_vtl1(v);
	return HV_RESUME;
}

/* The page's mask with the access added (VBS_VTL_PROT_* of its leaf). */
static int allow_access(uint64_t gpa, uint32_t access)
{
	uint64_t size, e, mask = 0;
	enum npt_perm perm;
	int rc;

	if (hv_hidden_from_vtl(0, gpa, 1))
		return -1; /* never: npf.c keeps hidden memory to itself */
	hv_spin_lock(&hv_npt_lock);
	e = npt_lookup(&hv_npt, gpa, &size);
	if (e & NPT_P)
		mask |= VBS_VTL_PROT_READ;
	if (e & NPT_RW)
		mask |= VBS_VTL_PROT_WRITE;
	if ((e & NPT_P) && !(e & NPT_NX))
		mask |= VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC;
	mask |= access | VBS_VTL_PROT_READ;
	if (access & (VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC))
		mask |= VBS_VTL_PROT_KEXEC | VBS_VTL_PROT_UEXEC;
	rc = vtl_prot_to_perm(mask, &perm);
	if (!rc)
		rc = npt_set_perm(&hv_npt, gpa & ~0xfffull, perm);
	hv_spin_unlock(&hv_npt_lock);
	return rc;
}

/* The decoded store, done to guest memory (identity-mapped here). */
static void emulate_store(struct hv_vcpu *v)
{
	const struct insn_store *st = &v->icpt.store;
	uint64_t val = vcpu_store_value(v, st), old = 0;
	void *p = (void *)(uintptr_t)v->icpt.gpa;

	switch (st->size) {
	case 1:
		old = __atomic_exchange_n((uint8_t *)p, (uint8_t)val, __ATOMIC_SEQ_CST);
		break;
	case 2:
		old = __atomic_exchange_n((uint16_t *)p, (uint16_t)val, __ATOMIC_SEQ_CST);
		break;
	case 4:
		old = __atomic_exchange_n((uint32_t *)p, (uint32_t)val, __ATOMIC_SEQ_CST);
		break;
	default:
		old = __atomic_exchange_n((uint64_t *)p, val, __ATOMIC_SEQ_CST);
		break;
	}
	if (st->kind == INSN_XCHG_REG)
		vcpu_set_gpr(v, st->reg, old, st->size);
	vcpu_complete_insn(v, st->len);
}

/* VTL1's answer (VTL_RETURN while in_intercept): VTL1's call context back,
 * then the action on VTL0, which runs next. */
void vtl_intercept_end(struct hv_vcpu *v, uint64_t action)
{
	struct vmcb_save *s1 = &v->vtl_vmcb[1]->save;

	vtl_switch(v, 0);
	*v->vtl_ctx[1] = *v->vtl1_saved;
	s1->rip = v->vtl1_saved_rip;
	s1->rsp = v->vtl1_saved_rsp;
	s1->rflags = v->vtl1_saved_rflags;
	v->in_intercept = false;
	if (action == VBS_VTL_INTERCEPT_EMULATE && !v->icpt.store.size)
		action = VBS_VTL_INTERCEPT_DENY;
	if (action == VBS_VTL_INTERCEPT_ALLOW &&
	    allow_access(v->icpt.gpa, v->icpt.access))
		action = VBS_VTL_INTERCEPT_DENY;
	if (action == VBS_VTL_INTERCEPT_EMULATE) {
		emulate_store(v); /* never with an event: no store decoded */
	} else if (action != VBS_VTL_INTERCEPT_ALLOW &&
		   (!v->vtl0_nmi_pending || v->icpt.event)) {
		/* (With an NMI waiting and no event, the NMI goes first,
		 * EVENTINJ being free; the instruction then runs again and
		 * the denied access comes back as a new intercept.) */
		deny_access(v);
	}
	/* ALLOW: EVENTINJ holds svm_exit_handler's re-injection. Kept events
	 * go at the end of this exit (exit.c). */
}
