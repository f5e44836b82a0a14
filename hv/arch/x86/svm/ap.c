// SPDX-License-Identifier: MIT
/*
 * Application processors (docs/hypervisor.md "Application processors").
 *
 * The boot CPU is taken over before ExitBootServices; every other CPU is
 * taken over when somebody starts it. Guest writes of the local APIC's ICR
 * trap (the xAPIC page is read-only in the NPT, exits/apic.c), and
 * apic_icr_plan() (arch/x86/apic_icr.c, pure) decides per target:
 *  - a native CPU gets the INIT as is, and its SIPI is redirected to the
 *    trampoline page (arch/x86/ap_tramp.S), which enters hv_ap_main() on
 *    that CPU; the guest then starts there in the post-SIPI state at the
 *    vector the OS asked for;
 *  - a virtualized CPU never gets a physical INIT (on QEMU it would reset
 *    it, docs/testbed.md): its INIT and SIPI are emulated. The sender
 *    marks the target's slot and "kicks" it with an NMI (intercepted);
 *    the target notices at its next exit (ap_check_init), waits in the
 *    hypervisor for a SIPI and restarts its guest at the new vector.
 * All vCPU memory is allocated here at boot, for the CPUs the loader
 * reported (EFI MP services); a CPU not reported is never started.
 */
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/svm/svm.h"
#include "core/spinlock.h"

#define APIC_BASE_MASK 0x000ffffffffff000ull
#define APIC_ICR_BUSY (1u << 12) /* delivery status, SDM3 §10.6.1 */
#define APIC_ICR_WAIT_LOOPS 100000

bool ap_apic_trapped;
uint64_t ap_apic_base;
/* APIC ID → the AP's host stack top (ap_tramp.S hv_ap_entry), 0: none. */
uint64_t hv_ap_stacks[256];

static struct ap_slot ap_slots[HV_MAX_CPUS];
static struct hv_spinlock ap_lock;
static uint8_t ap_tramp_vector;
static uint8_t ap_cpu_by_apic[256]; /* APIC ID → CPU number + 1, 0: none */

extern char hv_ap_tramp[], hv_ap_tramp_end[], hv_ap_tramp_gdt[];
extern char hv_ap_tramp_gdtr[], hv_ap_tramp_far32[], hv_ap_tramp_far64[];
extern char hv_ap_tramp_cr3[], hv_ap_tramp_entry[], hv_ap_entry[];
extern const uint32_t hv_ap_tramp_pm32_off, hv_ap_tramp_lm64_off;

__attribute__((noreturn)) void hv_ap_main(uint32_t apic_id);

unsigned int hv_this_cpu(void)
{
	uint32_t id = cpu_apic_id();

	return ap_cpu_by_apic[id & 255] ? ap_cpu_by_apic[id & 255] - 1u : 0;
}

static uint64_t tramp_off(const char *sym)
{
	return (uint64_t)(sym - hv_ap_tramp);
}

/* Copy the trampoline to its page and fill in its data block. */
static void tramp_install(uint64_t page)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)page;

	memcpy(dst, hv_ap_tramp, (size_t)(hv_ap_tramp_end - hv_ap_tramp));
	*(uint32_t *)(dst + tramp_off(hv_ap_tramp_gdtr) + 2) =
		(uint32_t)(page + tramp_off(hv_ap_tramp_gdt));
	*(uint32_t *)(dst + tramp_off(hv_ap_tramp_far32)) =
		(uint32_t)(page + hv_ap_tramp_pm32_off);
	*(uint32_t *)(dst + tramp_off(hv_ap_tramp_far64)) =
		(uint32_t)(page + hv_ap_tramp_lm64_off);
	*(uint64_t *)(dst + tramp_off(hv_ap_tramp_cr3)) = hv_host_cr3;
	*(uint64_t *)(dst + tramp_off(hv_ap_tramp_entry)) =
		(uint64_t)(uintptr_t)hv_ap_entry;
}

static int ap_add_cpu(unsigned int cpu, uint32_t apic_id)
{
	struct hv_vcpu *v = (struct hv_vcpu *)(uintptr_t)hv_alloc_pages(1);

	if (!v || apic_id > 255 || ap_cpu_by_apic[apic_id])
		return -1;
	v->cpu = cpu;
	v->apic_id = apic_id;
	if (svm_alloc_cpu(v))
		return -1;
	hv_vcpus[cpu] = v;
	ap_slots[cpu].apic_id = apic_id;
	ap_slots[cpu].state = cpu ? AP_NATIVE : AP_VIRT;
	ap_cpu_by_apic[apic_id] = (uint8_t)(cpu + 1);
	hv_ap_stacks[apic_id] = cpu ? v->host_stack_top : 0;
	return 0;
}

/*
 * At boot, on the boot CPU: a vCPU for every CPU the loader reported
 * (the boot CPU first), the trampoline installed and hidden, the xAPIC
 * page read-only. 0, or -1 (logged).
 */
int ap_setup(const struct vbs_hv_params *p, uint32_t boot_apic_id)
{
	uint32_t n = p->cpu_count, i;
	uint64_t apic_base = rdmsr(MSR_APIC_BASE) & APIC_BASE_MASK;

	if (n == 0 || n > VBS_HV_MAX_CPUS || p->apic_ids[0] != boot_apic_id) {
		hv_log(0, "no usable CPU list from the loader (%u CPUs): only "
		       "the boot CPU is known; other CPUs will not be started",
		       n);
		n = 1;
	}
	for (i = 0; i < n; i++) {
		if (ap_add_cpu(i, i ? p->apic_ids[i] : boot_apic_id)) {
			hv_log(0, "CPU %u (APIC ID %u): no memory or a "
			       "duplicate/unsupported APIC ID", i,
			       p->apic_ids[i]);
			return -1;
		}
	}
	hv_ncpus = n;
	if (p->tramp_pa) {
		if (p->tramp_pa >= (1u << 20) || (p->tramp_pa & (HV_PAGE - 1)) ||
		    npt_set_perm(&hv_npt, p->tramp_pa, NPT_PERM_HIDDEN))
			return -1;
		tramp_install(p->tramp_pa);
		if (hv_paging_exec(hv_host_cr3, p->tramp_pa,
				   p->tramp_pa + HV_PAGE))
			return -1;
		ap_tramp_vector = (uint8_t)(p->tramp_pa >> 12);
	}
	/* With more than one CPU every start-up IPI must pass the hypervisor;
	 * the trap costs an exit per APIC write, so a single CPU goes without. */
	if (n > 1 || !p->tramp_pa) {
		if (npt_set_perm(&hv_npt, apic_base, NPT_PERM_R))
			return -1;
		ap_apic_trapped = true;
	}
	ap_apic_base = apic_base;
	hv_log(0, "%u CPUs (boot APIC ID %u), AP start page %lx, xAPIC at %lx "
	       "%s", n, boot_apic_id, p->tramp_pa, apic_base,
	       ap_apic_trapped ? "trapped" : "not trapped (one CPU)");
	return 0;
}

/* Send one IPI from this CPU, xAPIC (SDM3 §10.6.1: ICR high first; the
 * low write sends) or x2APIC (SDM3 §10.12.9: one WRMSR). The guest's ICR
 * high half is put back afterwards. */
static void apic_send(const struct apic_icr *icr, bool x2apic)
{
	uint32_t saved_hi, loops = APIC_ICR_WAIT_LOOPS;

	if (x2apic) {
		wrmsr(MSR_X2APIC_ICR, apic_icr_x2apic(icr));
		return;
	}
	saved_hi = mmio_read32(ap_apic_base + APIC_REG_ICR_HI);
	mmio_write32(ap_apic_base + APIC_REG_ICR_HI, apic_icr_xapic_hi(icr));
	mmio_write32(ap_apic_base + APIC_REG_ICR_LO, apic_icr_xapic_lo(icr));
	while ((mmio_read32(ap_apic_base + APIC_REG_ICR_LO) & APIC_ICR_BUSY) &&
	       --loops)
		cpu_relax();
	mmio_write32(ap_apic_base + APIC_REG_ICR_HI, saved_hi);
}

static uint8_t ap_state(unsigned int cpu)
{
	return __atomic_load_n(&ap_slots[cpu].state, __ATOMIC_ACQUIRE);
}

/* Make a virtualized CPU leave its guest: an NMI, which it intercepts
 * (exits/nmi.c) and does not pass on because kicks says it was ours. The
 * ICR format follows the APIC's mode (IA32_APIC_BASE.EXTD, bit 10: SDM3
 * §10.12.1 "Detecting and Enabling x2APIC Mode"). */
void ap_kick(struct hv_vcpu *self, unsigned int target)
{
	bool x2apic = (rdmsr(MSR_APIC_BASE) >> 10) & 1;
	struct apic_icr nmi = {
		.dm = APIC_DM_NMI, .level_assert = true,
		.dest = ap_slots[target].apic_id, .x2apic = x2apic,
	};

	if (target == self->cpu)
		return; /* ap_check_init() runs at the end of this exit */
	__atomic_add_fetch(&hv_vcpus[target]->kicks, 1, __ATOMIC_SEQ_CST);
	apic_send(&nmi, x2apic);
}

/* Whether this CPU is (or is about to be) in its guest: only such a CPU
 * can hold stale nested translations (shootdown.c). */
bool ap_cpu_runs_guest(unsigned int cpu)
{
	return ap_state(cpu) == AP_VIRT;
}

static void ap_run_actions(struct hv_vcpu *v, const struct apic_act *acts,
			   int n, bool x2apic)
{
	int i;

	for (i = 0; i < n; i++) {
		switch (acts[i].kind) {
		case APIC_ACT_SEND:
			apic_send(&acts[i].icr, x2apic);
			break;
		case APIC_ACT_EMUL_INIT:
			hv_log(v->cpu, "INIT to CPU %u (virtualized): emulated",
			       acts[i].slot);
			ap_kick(v, acts[i].slot);
			break;
		case APIC_ACT_EMUL_SIPI:
			hv_log(v->cpu, "SIPI to CPU %u (virtualized): vector "
			       "%x", acts[i].slot, ap_slots[acts[i].slot].sipi_vector);
			break;
		default:
			break;
		}
	}
}

/*
 * A guest write of the ICR (value: xAPIC low half, the high half is in
 * the physical ICR; or the 64-bit x2APIC MSR value). 0, or -1 when the
 * write was refused (logged; the IPI is not sent).
 */
int ap_icr_write(struct hv_vcpu *v, uint64_t value, bool x2apic)
{
	struct apic_act acts[HV_MAX_CPUS + 1];
	struct apic_icr icr;
	int n;

	if (x2apic)
		apic_icr_from_x2apic(value, &icr);
	else
		apic_icr_from_xapic((uint32_t)value,
				    mmio_read32(ap_apic_base + APIC_REG_ICR_HI),
				    &icr);
	if (icr.dm != APIC_DM_INIT && icr.dm != APIC_DM_SIPI) {
		if (x2apic)
			wrmsr(MSR_X2APIC_ICR, value);
		else
			mmio_write32(ap_apic_base + APIC_REG_ICR_LO,
				     (uint32_t)value);
		return 0;
	}
	hv_spin_lock(&ap_lock);
	if (!ap_tramp_vector && icr.dm == APIC_DM_SIPI)
		n = APIC_PLAN_E_UNKNOWN; /* nowhere to start a native CPU */
	else
		n = apic_icr_plan(ap_slots, hv_ncpus, v->cpu, &icr,
				  ap_tramp_vector, acts, HV_MAX_CPUS + 1);
	if (n >= 0)
		ap_run_actions(v, acts, n, x2apic);
	hv_spin_unlock(&ap_lock);
	if (n < 0) {
		hv_log(v->cpu, "%s %lx (destination %x) refused: %s",
		       icr.dm == APIC_DM_INIT ? "INIT" : "SIPI", value, icr.dest,
		       n == APIC_PLAN_E_LOGICAL ? "logical destination mode" :
		       "not a CPU the hypervisor can start");
		return -1;
	}
	return 0;
}

/*
 * VM_CR.R_INIT turned an INIT at this CPU into #SX (APM2 §15.29
 * "Redirection of INIT", exit 0x5e): emulate it like an INIT from another
 * CPU; ap_check_init() at the end of this exit does the rest. Real
 * hardware only: TCG has no R_INIT (docs/testbed.md).
 */
void ap_sx_init(struct hv_vcpu *v)
{
	struct apic_act acts[1];
	int n;

	hv_spin_lock(&ap_lock);
	n = apic_sx_init_plan(ap_slots, hv_ncpus, v->cpu, acts, 1);
	hv_spin_unlock(&ap_lock);
	hv_log(v->cpu, "INIT (redirected as #SX): %s",
	       n > 0 ? "emulated" : "ignored");
}


/*
 * At the end of every exit: if another CPU sent this one an INIT, stop
 * the guest and wait in the hypervisor, as the CPU would in
 * wait-for-SIPI, then restart the guest in the post-SIPI state. The host
 * spins here with interrupts and GIF off (the guest was told the CPU is
 * being reset: it expects nothing from it).
 */
void ap_check_init(struct hv_vcpu *v)
{
	uint8_t st = ap_state(v->cpu), vector;
	bool logged = false;

	if (st != AP_VIRT_INIT && st != AP_VIRT_SIPI)
		return;
	if (v->in_intercept)
		return; /* VTL1 answers first (a short run, interrupts off) */
	/* INIT resets VTL0; VTL1 keeps its state (vbs.ko never lets a CPU
	 * go offline inside a VTL call: it runs with preemption off). */
	vtl_switch(v, 0);
	for (;;) {
		st = ap_state(v->cpu);
		if (st == AP_VIRT_SIPI) {
			hv_spin_lock(&ap_lock);
			if (ap_slots[v->cpu].state == AP_VIRT_SIPI) {
				vector = ap_slots[v->cpu].sipi_vector;
				ap_slots[v->cpu].state = AP_VIRT;
				hv_spin_unlock(&ap_lock);
				break;
			}
			hv_spin_unlock(&ap_lock);
		}
		if (!logged) {
			hv_log(v->cpu, "INIT (emulated): guest stopped, waiting "
			       "for SIPI");
			logged = true;
		}
		cpu_relax();
	}
	vcpu_reset_to_sipi(v, vector);
	hv_log(v->cpu, "SIPI (emulated): guest restarts at %x:0000",
	       (unsigned int)vector << 8);
}

/*
 * An AP arrives from the trampoline (ap_tramp.S), on its own stack. It
 * must be one the hypervisor redirected (AP_STARTING); anything else
 * (an INIT overtook it) halts and waits to be reset.
 */
void hv_ap_main(uint32_t apic_id)
{
	unsigned int cpu = ap_cpu_by_apic[apic_id & 255] - 1u;
	struct hv_vcpu *v = hv_vcpus[cpu];
	uint8_t vector;

	hv_spin_lock(&ap_lock);
	if (ap_slots[cpu].state != AP_STARTING) {
		hv_spin_unlock(&ap_lock);
		hlt_forever();
	}
	vector = ap_slots[cpu].sipi_vector;
	ap_slots[cpu].state = AP_VIRT;
	hv_spin_unlock(&ap_lock);
	svm_enable_cpu(v);
	vcpu_reset_to_sipi(v, vector);
	v->npt_flush_gen = 0;
	v->vmcb->control.tlb_control = 1;
	hv_log(cpu, "APIC ID %u virtualized; guest starts at %x:0000 "
	       "(the OS's SIPI vector %x)", apic_id, (unsigned int)vector << 8,
	       vector);
	if (hv_vtl1.present && v->vtl1_state == VTL1_NONE)
		vtl1_start(v); /* VTL1 first, then the OS's start code */
	svm_run_loop(v);
}
