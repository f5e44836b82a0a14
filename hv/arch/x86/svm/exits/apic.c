// SPDX-License-Identifier: MIT
/*
 * Guest writes to the local APIC (xAPIC MMIO page, read-only in the NPT
 * when more than one CPU exists; ap.c). Every write faults (NPF, write to
 * a read-only page, EXITINFO2 = the register's address; docs/testbed.md:
 * no decode assists here) and is completed by the hypervisor: the store
 * at guest RIP is decoded (arch/x86/insn.c insn_decode_store), its value
 * taken from the register or immediate, and written to the same register
 * of this CPU's physical APIC — except the ICR's low half, which goes to
 * ap_icr_write() (INIT and SIPI are the hypervisor's to deliver).
 * SDM3 §10.4.1 "The Local APIC Block Diagram" (register offsets),
 * §10.6.1 "Interrupt Command Register (ICR)".
 */
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"

#define APIC_PAGE_MASK 0xfffull

enum hv_exit_action svm_apic_write(struct hv_vcpu *v,
				   const struct svm_exit_info *ei)
{
	uint64_t off = ei->info2 & APIC_PAGE_MASK, reg_pa = ap_apic_base + off;
	uint8_t bytes[INSN_MAX_LEN];
	struct insn_store st;
	uint32_t old = 0, val;
	size_t avail;

	if (vcpu_fetch_insn(v, bytes, &avail) ||
	    insn_decode_store(bytes, avail, vcpu_insn_mode(&v->vmcb->save),
			      &st))
		hv_exit_fatal(v, ei, "APIC write: cannot decode the store");
	/* APIC registers are 32 bits wide at 16-byte-aligned offsets
	 * (SDM3 §10.4.1, Table 10-1); other accesses are not supported. */
	if (st.size != 4 || (off & 3))
		hv_exit_fatal(v, ei, "APIC write: not an aligned 32-bit store");
	val = (uint32_t)vcpu_store_value(v, &st);
	if (st.kind == INSN_XCHG_REG)
		old = mmio_read32(reg_pa);
	v->counters[VBS_CTR_APIC]++;
	if (off == APIC_REG_ICR_LO)
		(void)ap_icr_write(v, val, false); /* refusals are logged */
	else
		mmio_write32(reg_pa, val);
	if (st.kind == INSN_XCHG_REG)
		vcpu_set_gpr(v, st.reg, old, 4);
	vcpu_complete_insn(v, st.len);
	return HV_RESUME;
}
