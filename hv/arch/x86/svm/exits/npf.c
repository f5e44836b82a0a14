// SPDX-License-Identifier: MIT
/*
 * Nested page faults (exit 0x400; APM2 §15.25.6 "Nested versus Guest Page
 * Faults, Fault Ordering": EXITINFO1 = error code, bit 32/33 final GPA /
 * guest table walk; EXITINFO2 = the faulting guest-physical address).
 *
 * Hypervisor memory is mapped to the shared read-only zero page: a guest
 * write to it faults here, is logged and dropped (RIP skips the
 * instruction). A write to the xAPIC page, read-only when it is trapped,
 * goes to exits/apic.c. Anything else is not expected yet: fatal (VTL1's
 * protections come next).
 */
#include "arch/x86/svm/svm.h"

#define NPF_WRITE (1ull << 1)
#define NPF_FETCH (1ull << 4)
#define HIDDEN_WRITE_LOG_FIRST 16

static bool npf_hidden(uint64_t gpa)
{
	return gpa >= hv_region.base && gpa - hv_region.base < hv_region.size;
}

enum hv_exit_action svm_exit_npf(struct hv_vcpu *v,
				 const struct svm_exit_info *ei)
{
	uint64_t gpa = ei->info2;

	if (npf_hidden(gpa) && (ei->info1 & NPF_WRITE) &&
	    !(ei->info1 & NPF_FETCH)) {
		v->hidden_writes++;
		if (v->hidden_writes <= HIDDEN_WRITE_LOG_FIRST ||
		    (v->hidden_writes & 1023) == 0)
			hv_log(v->cpu, "guest write to hypervisor memory "
			       "dropped: gpa %lx rip %lx (%lu so far)", gpa,
			       v->vmcb->save.rip, v->hidden_writes);
		if (vcpu_skip_insn(v))
			hv_exit_fatal(v, ei, "cannot decode the faulting write");
		return HV_RESUME;
	}
	if (ap_apic_trapped && (gpa & ~0xfffull) == ap_apic_base &&
	    (ei->info1 & NPF_WRITE) && !(ei->info1 & NPF_FETCH))
		return svm_apic_write(v, ei);
	hv_log(v->cpu, "nested page fault: gpa %lx error %lx", gpa, ei->info1);
	return HV_STOP;
}
