// SPDX-License-Identifier: MIT
/*
 * #VMEXIT dispatch (style.md §2): one const table with designated
 * initializers, codes from 0x400 folded into dense indices, a bounds check
 * and clamp, and a fatal, logged default: an exit nobody handles never
 * resumes the guest silently.
 */
#include "arch/x86/event.h"
#include "arch/x86/svm/svm.h"

#define SVM_DENSE_NPF 0x100
#define SVM_DENSE_MAX 0x101

static const svm_exit_fn svm_exits[SVM_DENSE_MAX] = {
	[SVM_EXIT_CPUID] = svm_exit_cpuid,
	[SVM_EXIT_MSR] = svm_exit_msr,
	[SVM_EXIT_VMMCALL] = svm_exit_vmmcall,
	[SVM_EXIT_VMRUN] = svm_exit_svm_insn,
	[SVM_EXIT_VMLOAD] = svm_exit_svm_insn,
	[SVM_EXIT_VMSAVE] = svm_exit_svm_insn,
	[SVM_EXIT_STGI] = svm_exit_svm_insn,
	[SVM_EXIT_CLGI] = svm_exit_svm_insn,
	[SVM_EXIT_SKINIT] = svm_exit_svm_insn,
	[SVM_EXIT_INVLPGA] = svm_exit_svm_insn,
	[SVM_EXIT_INTR] = svm_exit_intr,
	[SVM_EXIT_NMI] = svm_exit_nmi,
	[SVM_EXIT_SMI] = svm_exit_smi,
	[SVM_EXIT_VINTR] = svm_exit_vintr,
	[SVM_EXIT_SHUTDOWN] = svm_exit_shutdown,
	[SVM_EXIT_EXCP_GP] = svm_exit_gp,
	[SVM_EXIT_EXCP_SX] = svm_exit_sx,
	[SVM_DENSE_NPF] = svm_exit_npf,
};

static const uint8_t svm_exit_counter[SVM_DENSE_MAX] = {
	[SVM_EXIT_CPUID] = VBS_CTR_CPUID,
	[SVM_EXIT_MSR] = VBS_CTR_MSR,
	[SVM_EXIT_VMMCALL] = VBS_CTR_VMMCALL,
	[SVM_EXIT_VMRUN] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_VMLOAD] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_VMSAVE] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_STGI] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_CLGI] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_SKINIT] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_INVLPGA] = VBS_CTR_SVM_INSN,
	[SVM_EXIT_INTR] = VBS_CTR_INTR,
	[SVM_EXIT_NMI] = VBS_CTR_NMI,
	[SVM_EXIT_SMI] = VBS_CTR_SMI,
	[SVM_DENSE_NPF] = VBS_CTR_NPF,
};

static unsigned int svm_dense(uint64_t code)
{
	if (code < SVM_EXIT_NPF)
		return code < 0x100 ? (unsigned int)code : SVM_DENSE_MAX;
	if (code - SVM_EXIT_NPF < SVM_DENSE_MAX - SVM_DENSE_NPF)
		return (unsigned int)(code - SVM_EXIT_NPF) + SVM_DENSE_NPF;
	return SVM_DENSE_MAX;
}

static inline unsigned int clamp_nospec(unsigned int idx, unsigned int size)
{
	unsigned int mask = (unsigned int)((int)(idx - size) >> 31);

	return idx & mask;
}

void hv_exit_fatal(struct hv_vcpu *v, const struct svm_exit_info *ei,
		   const char *why)
{
	hv_log(v->cpu, "FATAL exit %lx (%s): info1 %lx info2 %lx rip %lx vtl %u",
	       ei->code, why, ei->info1, ei->info2, v->vmcb->save.rip,
	       (unsigned int)v->vtl);
	vcpu_dump(v);
	hv_panic(v->cpu, "unhandled guest exit: stopping the machine");
}

void svm_exit_handler(struct hv_vcpu *v)
{
	struct vmcb_control *c = &v->vmcb->control;
	struct svm_exit_info ei = {
		.code = c->exit_code, .info1 = c->exit_info_1,
		.info2 = c->exit_info_2,
	};
	unsigned int idx;
	svm_exit_fn fn;

	c->tlb_control = 0;
	/* APM2 §15.7.2 "Intercepts During IDT Interrupt Delivery": an event
	 * the exit interrupted is re-injected (same format as EVENTINJ)
	 * unless the handler injects another; normalized, since QEMU reports
	 * interrupts and NMIs as exceptions, which its VMRUN then refuses
	 * to inject (arch/x86/event.c). */
	c->event_inj = hv_event_reinject(c->exit_int_info);
	if ((uint32_t)ei.code == SVM_EXIT_INVALID_LO)
		hv_exit_fatal(v, &ei, "VMRUN failed its consistency checks");
	v->counters[VBS_CTR_TOTAL]++;
	idx = svm_dense(ei.code);
	if (idx >= SVM_DENSE_MAX)
		hv_exit_fatal(v, &ei, "exit code out of range");
	idx = clamp_nospec(idx, SVM_DENSE_MAX);
	fn = svm_exits[idx];
	if (!fn)
		hv_exit_fatal(v, &ei, "no handler");
	v->counters[svm_exit_counter[idx] ? svm_exit_counter[idx] :
		    VBS_CTR_OTHER]++;
	if (fn(v, &ei) != HV_RESUME)
		hv_exit_fatal(v, &ei, "handler stopped the guest");
	/* Events kept for VTL0 (exits/vintr.c): the one place they are
	 * injected or their window opened, whichever exit kept them. */
	if (v->vtl == 0 && vtl0_events_pending(v))
		vtl0_deliver_pending(v);
	ap_check_init(v);
	npt_flush_if_changed(v);
}
