// SPDX-License-Identifier: MIT
/*
 * Nested page faults (exit 0x400; APM2 §15.25.6 "Nested versus Guest Page
 * Faults, Fault Ordering": EXITINFO1 = error code, bit 32/33 final GPA /
 * guest table walk; EXITINFO2 = the faulting guest-physical address).
 *
 * Hypervisor memory is mapped to the shared read-only zero page: a guest
 * write to it faults here, is logged and dropped (RIP skips the
 * instruction); a fetch from it gets #GP. A write to the xAPIC page, read-only when it is trapped,
 * goes to exits/apic.c. The first touch of memory above the memory map's
 * top (PCI 64-bit windows) maps its GiB (npt_map_mmio_1g) and retries.
 * Any other fault in VTL0 below the top is a page whose permissions VTL1
 * restricted: a secure intercept (exits/intercept.c). Anything else is
 * fatal.
 */
#include "arch/x86/svm/svm.h"
#include "base/range.h"
#include "core/spinlock.h"

#define NPF_PRESENT (1ull << 0)
#define NPF_WRITE (1ull << 1)
#define NPF_FETCH (1ull << 4)
#define HIDDEN_WRITE_LOG_FIRST 16

static enum hv_exit_action npf_mmio_above_top(struct hv_vcpu *v,
					      const struct svm_exit_info *ei)
{
	int rc;

	hv_spin_lock(&hv_npt_lock);
	rc = npt_map_mmio_1g(&hv_npt, ei->info2, hv_phys_limit, hv_npt_1g);
	hv_spin_unlock(&hv_npt_lock);
	if (rc)
		hv_exit_fatal(v, ei, "MMIO above the memory map: NPT pool empty");
	hv_log(v->cpu, "MMIO at %lx: GiB %lx mapped (read/write, no execute)",
	       ei->info2, (uint64_t)(ei->info2 & ~((1ull << 30) - 1)));
	return HV_RESUME;
}

enum hv_exit_action svm_exit_npf(struct hv_vcpu *v,
				 const struct svm_exit_info *ei)
{
	uint64_t gpa = ei->info2;
	/* Memory the VTL sees as the zero page: the hypervisor's, and from
	 * VTL0 the secure kernel's. */
	bool hidden = hv_hidden_from_vtl(v->vtl, gpa, 1);

	if (hidden && (ei->info1 & NPF_WRITE) && !(ei->info1 & NPF_FETCH)) {
		v->hidden_writes++;
		if (v->hidden_writes <= HIDDEN_WRITE_LOG_FIRST ||
		    (v->hidden_writes & 1023) == 0)
			hv_log(v->cpu, "guest write to %s memory dropped: "
			       "gpa %lx rip %lx vtl %u (%lu so far)",
			       vbs_range_overlaps(gpa, 1, hv_region.base,
						  hv_region.size) ?
			       "hypervisor" : "secure kernel", gpa,
			       v->vmcb->save.rip, (unsigned int)v->vtl,
			       v->hidden_writes);
		if (vcpu_skip_insn(v))
			hv_exit_fatal(v, ei, "cannot decode the faulting write");
		return HV_RESUME;
	}
	if (hidden) {
		/* An instruction fetch from hidden memory (the zero page is
		 * no-execute): #GP, never VTL1's to allow. */
		hv_log(v->cpu, "guest fetch from hidden memory at gpa %lx rip "
		       "%lx vtl %u: #GP", gpa, v->vmcb->save.rip,
		       (unsigned int)v->vtl);
		vcpu_inject_gp0(v);
		return HV_RESUME;
	}
	if (ap_apic_trapped && (gpa & ~0xfffull) == ap_apic_base &&
	    (ei->info1 & NPF_WRITE) && !(ei->info1 & NPF_FETCH))
		return svm_apic_write(v, ei);
	/* Not present (error code bit 0 clear) above the map: first touch,
	 * or another CPU mapped it meanwhile (npt_map_mmio_1g returns 0). */
	if (gpa >= hv_npt.top && gpa < hv_phys_limit && !(ei->info1 & NPF_PRESENT))
		return npf_mmio_above_top(v, ei);
	if (v->vtl == 0 && gpa < hv_npt.top)
		return vtl_intercept(v, ei);
	hv_log(v->cpu, "nested page fault: gpa %lx error %lx", gpa, ei->info1);
	return HV_STOP;
}
