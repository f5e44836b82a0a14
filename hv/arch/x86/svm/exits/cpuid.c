// SPDX-License-Identifier: MIT
/* CPUID (exit 0x72): run it, shape the result (arch/x86/cpuid_shape.c). */
#include "arch/x86/cpu.h"
#include "arch/x86/cpuid_shape.h"
#include "arch/x86/svm/svm.h"

enum hv_exit_action svm_exit_cpuid(struct hv_vcpu *v,
				   const struct svm_exit_info *ei)
{
	struct vmcb_save *s = &v->vmcb->save;
	uint32_t leaf = (uint32_t)s->rax, sub = (uint32_t)v->gprs.rcx, r[4];
	struct cpuid_ctx ctx = {
		.cpu_index = v->cpu, .hv_version = HV_VERSION,
		.counters = v->counters, .guest_cr4 = s->cr4,
	};

	cpuid_count(leaf, sub, r);
	cpuid_shape(leaf, sub, r, &ctx);
	s->rax = r[CPUID_EAX];
	v->gprs.rbx = r[CPUID_EBX];
	v->gprs.rcx = r[CPUID_ECX];
	v->gprs.rdx = r[CPUID_EDX];
	if (vcpu_skip_insn(v))
		hv_exit_fatal(v, ei, "cannot decode the CPUID instruction");
	return HV_RESUME;
}
