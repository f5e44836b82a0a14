// SPDX-License-Identifier: MIT
/*
 * vCPU helpers for exit handlers: the only RIP writer (vcpu_skip_insn),
 * event injection, guest memory reads, the state dump.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/guest_walk.h"
#include "arch/x86/insn.h"
#include "arch/x86/svm/svm.h"

/* Guest-physical reads go through the hypervisor's identity map; the NPT
 * is the identity too (except hidden pages, which the guest never sees
 * and which are not guest page tables). */
static int read_phys(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	(void)opaque;
	if (gpa >= hv_phys_top || len > hv_phys_top - gpa)
		return -1;
	if (gpa < hv_region.base + hv_region.size &&
	    gpa + len > hv_region.base)
		return -1; /* the guest's view of it is the zero page */
	memcpy(buf, (const void *)(uintptr_t)gpa, len);
	return 0;
}

int vcpu_read_guest(struct hv_vcpu *v, uint64_t la, void *buf, size_t len)
{
	const struct vmcb_save *s = &v->vmcb->save;
	struct gwalk_ctx c = {
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.read_phys = read_phys, .opaque = 0,
	};

	return gwalk_read(&c, la, buf, len);
}

static enum insn_mode vcpu_insn_mode(const struct vmcb_save *s)
{
	if ((s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9)))
		return INSN_MODE64; /* CS.L */
	if (!(s->cr0 & 1) || !(s->cs.attrib & (1u << 10)))
		return INSN_MODE16; /* real mode, or CS.D = 0 */
	return INSN_MODE32;
}

/*
 * Complete the intercepted instruction: RIP += its length. No NRIPS on
 * this test bed (docs/testbed.md), so the bytes at CS.base + RIP are read
 * through the guest's page tables and decoded (arch/x86/insn.c). Then, as
 * after any instruction: RF cleared, interrupt shadow cleared, #DB queued
 * if TF was set (APM2 §13.1.5 "Single-Step"). 0, or -1: not decodable.
 */
int vcpu_skip_insn(struct hv_vcpu *v)
{
	struct vmcb_save *s = &v->vmcb->save;
	uint8_t bytes[INSN_MAX_LEN];
	uint64_t la = s->cs.base + s->rip;
	enum insn_mode mode = vcpu_insn_mode(s);
	size_t avail = INSN_MAX_LEN;
	int len;

	if (mode != INSN_MODE64)
		la &= 0xffffffffull;
	/* Read what is there: up to the end of the page, then the rest. */
	if (vcpu_read_guest(v, la, bytes, avail)) {
		avail = 4096 - (size_t)(la & 4095);
		if (avail > INSN_MAX_LEN || vcpu_read_guest(v, la, bytes, avail))
			return -1;
	}
	len = insn_length(bytes, avail, mode);
	if (len < 1 || len > INSN_MAX_LEN)
		return -1;
	s->rip += (uint64_t)len;
	if (mode != INSN_MODE64)
		s->rip &= 0xffffffffull;
	s->rflags &= ~RFLAGS_RF;
	v->vmcb->control.int_state &= ~1ull;
	if (s->rflags & RFLAGS_TF)
		v->vmcb->control.event_inj = SVM_EVTINJ_VALID |
					     SVM_EVTINJ_TYPE_EXC | 1;
	return 0;
}

/* APM2 §15.20 "Event Injection" */
void vcpu_inject_ud(struct hv_vcpu *v)
{
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC | 6;
}

void vcpu_inject_gp0(struct hv_vcpu *v)
{
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC |
				     SVM_EVTINJ_EV | 13;
}

void vcpu_dump(struct hv_vcpu *v)
{
	const struct vmcb_save *s = &v->vmcb->save;
	const struct vmcb_control *c = &v->vmcb->control;
	const struct svm_gprs *g = &v->gprs;

	if (v->dumped)
		return;
	v->dumped = true;
	hv_log(v->cpu, "VMCB: exit %lx info1 %lx info2 %lx intinfo %lx",
	       c->exit_code, c->exit_info_1, c->exit_info_2, c->exit_int_info);
	hv_log(v->cpu, "  rip %016lx rsp %016lx rflags %lx cpl %u",
	       s->rip, s->rsp, s->rflags, s->cpl);
	hv_log(v->cpu, "  cs %x/%x/%lx ss %x/%x ds %x es %x fs %x gs %x tr %x",
	       s->cs.selector, s->cs.attrib, s->cs.base, s->ss.selector,
	       s->ss.attrib, s->ds.selector, s->es.selector, s->fs.selector,
	       s->gs.selector, s->tr.selector);
	hv_log(v->cpu, "  cr0 %lx cr2 %lx cr3 %lx cr4 %lx efer %lx",
	       s->cr0, s->cr2, s->cr3, s->cr4, s->efer);
	hv_log(v->cpu, "  gdtr %lx/%x idtr %lx/%x",
	       s->gdtr.base, s->gdtr.limit, s->idtr.base, s->idtr.limit);
	hv_log(v->cpu, "  rax %016lx rbx %016lx rcx %016lx rdx %016lx",
	       s->rax, g->rbx, g->rcx, g->rdx);
	hv_log(v->cpu, "  rsi %016lx rdi %016lx rbp %016lx",
	       g->rsi, g->rdi, g->rbp);
}
