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
 * is the identity too, except hidden pages: the hypervisor's (for both
 * VTLs) and the secure kernel's (for VTL0). Those are never read on a
 * VTL's behalf — the guest sees the zero page there, and an instruction
 * "fetched" here must be what the guest could see, or the decoder would
 * hand hidden bytes to an emulated store. */
static int read_phys(void *opaque, uint64_t gpa, void *buf, size_t len)
{
	const struct hv_vcpu *v = opaque;

	if (gpa >= hv_phys_top || len > hv_phys_top - gpa)
		return -1;
	if (hv_hidden_from_vtl(v->vtl, gpa, len))
		return -1;
	memcpy(buf, (const void *)(uintptr_t)gpa, len);
	return 0;
}

int vcpu_read_guest(struct hv_vcpu *v, uint64_t la, void *buf, size_t len)
{
	const struct vmcb_save *s = &v->vmcb->save;
	struct gwalk_ctx c = {
		.cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer,
		.read_phys = read_phys, .opaque = v,
	};

	return gwalk_read(&c, la, buf, len);
}

enum insn_mode vcpu_insn_mode(const struct vmcb_save *s)
{
	if ((s->efer & EFER_LMA) && (s->cs.attrib & (1u << 9)))
		return INSN_MODE64; /* CS.L */
	if (!(s->cr0 & 1) || !(s->cs.attrib & (1u << 10)))
		return INSN_MODE16; /* real mode, or CS.D = 0 */
	return INSN_MODE32;
}

/*
 * The bytes of the instruction at CS.base + RIP, read through the guest's
 * page tables: up to 15, or up to the end of the page when the next page
 * is not readable. *avail gets the count. 0, or -1.
 */
int vcpu_fetch_insn(struct hv_vcpu *v, uint8_t *bytes, size_t *avail)
{
	const struct vmcb_save *s = &v->vmcb->save;
	uint64_t la = s->cs.base + s->rip;

	if (vcpu_insn_mode(s) != INSN_MODE64)
		la &= 0xffffffffull;
	*avail = INSN_MAX_LEN;
	if (!vcpu_read_guest(v, la, bytes, *avail))
		return 0;
	*avail = 4096 - (size_t)(la & 4095);
	if (*avail > INSN_MAX_LEN || vcpu_read_guest(v, la, bytes, *avail))
		return -1;
	return 0;
}

/*
 * RIP += len, then what follows any instruction: RF cleared, interrupt
 * shadow cleared, #DB queued if TF was set (APM2 §13.1.5 "Single-Step").
 * The only code that writes RIP besides the post-SIPI reset.
 */
void vcpu_complete_insn(struct hv_vcpu *v, unsigned int len)
{
	struct vmcb_save *s = &v->vmcb->save;

	s->rip += len;
	if (vcpu_insn_mode(s) != INSN_MODE64)
		s->rip &= 0xffffffffull;
	s->rflags &= ~RFLAGS_RF;
	v->vmcb->control.int_state &= ~1ull;
	if (s->rflags & RFLAGS_TF)
		v->vmcb->control.event_inj = SVM_EVTINJ_VALID |
					     SVM_EVTINJ_TYPE_EXC | 1;
}

/*
 * Complete the intercepted instruction. No NRIPS on this test bed
 * (docs/testbed.md), so its bytes are fetched and their length decoded
 * (arch/x86/insn.c). 0, or -1: not decodable.
 */
int vcpu_skip_insn(struct hv_vcpu *v)
{
	uint8_t bytes[INSN_MAX_LEN];
	size_t avail;
	int len;

	if (vcpu_fetch_insn(v, bytes, &avail))
		return -1;
	len = insn_length(bytes, avail, vcpu_insn_mode(&v->vmcb->save));
	if (len < 1 || len > INSN_MAX_LEN)
		return -1;
	vcpu_complete_insn(v, (unsigned int)len);
	return 0;
}

/* General-purpose register by its encoding number (0 rax .. 15 r15;
 * APM3 §1.4.2 "ModRM Byte Format"): RAX and RSP live in the VMCB. */
uint64_t vcpu_gpr(const struct hv_vcpu *v, unsigned int reg)
{
	const uint64_t *g = (const uint64_t *)&v->gprs;

	switch (reg & 15) {
	case 0: return v->vmcb->save.rax;
	case 1: return v->gprs.rcx;
	case 2: return v->gprs.rdx;
	case 3: return v->gprs.rbx;
	case 4: return v->vmcb->save.rsp;
	case 5: return v->gprs.rbp;
	case 6: return v->gprs.rsi;
	case 7: return v->gprs.rdi;
	default: return g[6 + (reg & 15) - 8]; /* r8.. at GPR_R8 */
	}
}

static void vcpu_gpr_store(struct hv_vcpu *v, unsigned int reg, uint64_t val)
{
	uint64_t *g = (uint64_t *)&v->gprs;

	switch (reg & 15) {
	case 0: v->vmcb->save.rax = val; break;
	case 1: v->gprs.rcx = val; break;
	case 2: v->gprs.rdx = val; break;
	case 3: v->gprs.rbx = val; break;
	case 4: v->vmcb->save.rsp = val; break;
	case 5: v->gprs.rbp = val; break;
	case 6: v->gprs.rsi = val; break;
	case 7: v->gprs.rdi = val; break;
	default: g[6 + (reg & 15) - 8] = val; break;
	}
}

/* Write a register as an instruction of that operand size would: 4-byte
 * results zero-extend, 1- and 2-byte ones merge (APM1 §3.1.2.3). */
/* The value a decoded store (insn_decode_store) writes: its immediate or
 * its register (AH..BH: bits 15:8 of RAX..RBX, SDM2 §3.1.1.1). */
uint64_t vcpu_store_value(const struct hv_vcpu *v, const struct insn_store *st)
{
	uint64_t val;

	if (st->kind == INSN_STORE_IMM)
		return st->imm;
	val = vcpu_gpr(v, st->reg_high8 ? st->reg - 4u : st->reg);
	return st->reg_high8 ? (val >> 8) & 0xff : val;
}

void vcpu_set_gpr(struct hv_vcpu *v, unsigned int reg, uint64_t val,
		  unsigned int size)
{
	uint64_t old = vcpu_gpr(v, reg);

	if (size == 4)
		val = (uint32_t)val;
	else if (size == 2)
		val = (old & ~0xffffull) | (val & 0xffff);
	else if (size == 1)
		val = (old & ~0xffull) | (val & 0xff);
	vcpu_gpr_store(v, reg, val);
}

/*
 * The architectural state after INIT and a start-up IPI with this vector
 * (APM2 §14.1.3 "Processor Initialization State", Table 14-1; §16.5: CS
 * selector vector << 8, base vector << 12, IP 0), as QEMU's VMRUN checks
 * accept it (docs/testbed.md "Real-mode VMCB values"). EFER keeps SVME
 * (hidden by the EFER intercept).
 */
void vcpu_reset_to_sipi(struct hv_vcpu *v, uint8_t vector)
{
	struct vmcb_save *s = &v->vmcb->save;
	struct vmcb_control *c = &v->vmcb->control;
	struct vmcb_seg data = { .selector = 0, .attrib = 0x0093,
				 .limit = 0xffff, .base = 0 };

	memset(s, 0, sizeof(*s));
	memset(&v->gprs, 0, sizeof(v->gprs));
	s->cs.selector = (uint16_t)(vector << 8);
	s->cs.base = (uint64_t)vector << 12;
	s->cs.limit = 0xffff;
	s->cs.attrib = 0x009b;
	s->ds = s->es = s->ss = s->fs = s->gs = data;
	s->ldtr.attrib = 0x0082;
	s->ldtr.limit = 0xffff;
	s->tr.attrib = 0x008b;
	s->tr.limit = 0xffff;
	s->gdtr.limit = 0xffff;
	s->idtr.limit = 0xffff;
	s->cpl = 0;
	s->efer = EFER_SVME;
	s->cr0 = 0x60000010; /* CD, NW, ET */
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->rflags = 2;
	s->rip = 0;
	s->g_pat = 0x0007040600070406ull;
	v->gprs.rdx = 0; /* family/model/stepping: not relied upon */
	c->event_inj = 0;
	c->int_state = 0;
	c->int_ctl = 0;
	c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	/* INIT discards what the CPU had yet to take (exits/vintr.c). */
	v->vtl0_nmi_pending = false;
	memset(v->vtl0_intr_pending, 0, sizeof(v->vtl0_intr_pending));
	c->tlb_control = 1;
}

/* APM2 §15.20 "Event Injection" */
void vcpu_inject_ud(struct hv_vcpu *v)
{
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC | 6;
}

void vcpu_inject_nmi(struct hv_vcpu *v)
{
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI | 2;
}

void vcpu_inject_gp0(struct hv_vcpu *v)
{
	v->vmcb->control.event_inj = SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXC |
				     SVM_EVTINJ_EV | 13;
}

/* Any event in EVENTINJ format (an exception with its error code, a kept
 * external interrupt); the caller knows EVENTINJ is free. */
void vcpu_inject_event(struct hv_vcpu *v, uint64_t event)
{
	v->vmcb->control.event_inj = event | SVM_EVTINJ_VALID;
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
