// SPDX-License-Identifier: MIT
/*
 * Nested TLB coherence (docs/hypervisor.md "Nested page tables"). The
 * nested page tables are shared by all CPUs, and every CPU may cache their
 * translations (APM2 §15.16 "TLB Control": TLB_CONTROL=1 flushes all
 * ASIDs at the next VMRUN; no flush-by-ASID here).
 *
 * A change bumps a generation; each CPU compares it with the one it last
 * flushed at the end of every exit. That is enough when a change only
 * adds rights (a stale entry faults and retries). A change that removes
 * rights must reach every CPU before it is reported done: npt_shootdown()
 * kicks every other CPU running a guest out of it with an NMI (ap.c's
 * kick; exits/nmi.c consumes it) and waits until each has passed the
 * generation check — after which its next VMRUN flushes before any guest
 * instruction runs. CPUs not running a guest (not started, or waiting for
 * an emulated SIPI) flush before they next enter it. A CPU waiting here
 * counts as flushed for others, so two shootdowns never wait on each
 * other; the caller holds no lock while it waits.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"

#define SHOOTDOWN_SPIN_LOG (1ull << 28) /* loops before a warning */

struct hv_spinlock hv_npt_lock;
static uint64_t npt_flush_gen = 1;

void npt_flush_if_changed(struct hv_vcpu *v)
{
	uint64_t gen;

	if (__atomic_exchange_n(&hv_npt.flush_pending, false, __ATOMIC_ACQ_REL))
		__atomic_add_fetch(&npt_flush_gen, 1, __ATOMIC_SEQ_CST);
	gen = __atomic_load_n(&npt_flush_gen, __ATOMIC_ACQUIRE);
	if (v->npt_flush_gen != gen) {
		v->vmcb->control.tlb_control = 1;
		__atomic_store_n(&v->npt_flush_gen, gen, __ATOMIC_RELEASE);
	}
}

static bool cpu_flushed(unsigned int cpu, uint64_t gen)
{
	const struct hv_vcpu *o = hv_vcpus[cpu];

	return __atomic_load_n(&o->npt_flush_gen, __ATOMIC_ACQUIRE) >= gen ||
	       __atomic_load_n(&o->shootdown_waiting, __ATOMIC_ACQUIRE) ||
	       !ap_cpu_runs_guest(cpu);
}

void npt_shootdown(struct hv_vcpu *v)
{
	uint64_t gen, loops = 0;
	unsigned int cpu;

	__atomic_store_n(&hv_npt.flush_pending, false, __ATOMIC_RELEASE);
	gen = __atomic_add_fetch(&npt_flush_gen, 1, __ATOMIC_SEQ_CST);
	v->counters[VBS_CTR_SHOOTDOWN]++;
	v->vmcb->control.tlb_control = 1;
	v->npt_flush_gen = gen;
	if (hv_ncpus < 2)
		return;
	__atomic_store_n(&v->shootdown_waiting, true, __ATOMIC_SEQ_CST);
	for (cpu = 0; cpu < hv_ncpus; cpu++)
		if (cpu != v->cpu && !cpu_flushed(cpu, gen))
			ap_kick(v, cpu);
	for (cpu = 0; cpu < hv_ncpus; cpu++) {
		while (cpu != v->cpu && !cpu_flushed(cpu, gen)) {
			cpu_relax();
			if (++loops == SHOOTDOWN_SPIN_LOG)
				hv_log(v->cpu, "NPT shootdown: CPU %u slow to "
				       "flush (generation %lu)", cpu, gen);
		}
	}
	__atomic_store_n(&v->shootdown_waiting, false, __ATOMIC_SEQ_CST);
}
