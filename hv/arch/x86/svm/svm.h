/* SPDX-License-Identifier: MIT */
/* SVM backend: vCPU state, exit dispatch, helpers used by exits/. */
#ifndef HV_SVM_SVM_H
#define HV_SVM_SVM_H

#include "arch/x86/insn.h"
#include "arch/x86/svm/npt.h"
#include "arch/x86/svm/vmcb.h"
#include "core/hv.h"
#include "core/spinlock.h"
#include "vbs/hv_image.h"

/* Guest general-purpose registers not kept in the VMCB (RAX, RSP are). The
 * offsets are used by entry.S. */
struct svm_gprs {
	uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
#define GPR_RBX 0x00
#define GPR_RCX 0x08
#define GPR_RDX 0x10
#define GPR_RSI 0x18
#define GPR_RDI 0x20
#define GPR_RBP 0x28
#define GPR_R8  0x30
#define GPR_R15 0x68

struct hv_vcpu {
	struct svm_gprs gprs;          /* 0x00, entry.S */
	uint64_t vmcb_pa;              /* 0x70, entry.S */
	uint64_t host_vmcb_pa;         /* 0x78, entry.S */
	uint32_t host_nmis;            /* 0x80, idt.S: NMIs taken in the host */
	unsigned int cpu;              /* hypervisor CPU number, 0 = boot CPU */
	uint32_t apic_id;
	uint32_t kicks;                /* NMIs other CPUs sent to stop the guest */
	struct vmcb *vmcb;
	uint64_t hsave_pa, desc_pa;    /* VM_HSAVE_PA page; GDT+TSS page */
	uint64_t host_stack_top;       /* APs; the boot CPU uses hv_boot_stack */
	uint64_t npt_flush_gen;        /* last NPT change this CPU flushed */
	uint64_t counters[VBS_CTR_COUNT];
	uint64_t hidden_writes;        /* NPF writes to hidden pages */
	bool dumped;
	/* Virtual trust levels (vtl.c): vmcb/vmcb_pa/gprs above are the
	 * running VTL's; the other's are in vtl_vmcb[]/vtl_ctx[]. */
	uint8_t vtl;                   /* 0 or 1 */
	uint8_t vtl1_state;            /* enum vtl1_state */
	struct vmcb *vtl_vmcb[2];
	uint64_t vtl_vmcb_pa[2];
	struct hv_vtl_ctx *vtl_ctx[2];
	uint64_t vtl1_request;         /* GPA of the call VTL1 serves */
	/* Secure intercepts (exits/intercept.c): where VTL1 takes them on
	 * this CPU, the one being handled, and VTL1's context meanwhile. */
	uint64_t icpt_entry, icpt_stack, icpt_msg;
	bool in_intercept;             /* VTL1 runs its intercept entry */
	/* Events VTL0 has yet to take (exits/vintr.c): an NMI that arrived
	 * while VTL1 ran an intercept or while EVENTINJ was taken, and
	 * external interrupts whose delivery a secure intercept denied
	 * (bit n: vector n), injected at VTL0's interrupt window. */
	bool vtl0_nmi_pending;
	uint64_t vtl0_intr_pending[4];
	bool shootdown_waiting;        /* in npt_shootdown(): counts as flushed */
	struct hv_intercept_pending {
		uint64_t gpa;
		uint32_t access;       /* VBS_VTL_PROT_* denied */
		struct insn_store store; /* .size 0: not a decoded store */
		uint64_t event;        /* EXITINTINFO if valid: the access
					* was the CPU delivering this */
	} icpt;
	uint64_t icpt_seq;
	struct hv_vtl_ctx *vtl1_saved; /* VTL1's registers under an intercept */
	uint64_t vtl1_saved_rip, vtl1_saved_rsp, vtl1_saved_rflags;
};
#define VCPU_VMCB_PA 0x70
#define VCPU_HOST_VMCB_PA 0x78
#define VCPU_HOST_NMIS 0x80
_Static_assert(offsetof(struct hv_vcpu, vmcb_pa) == VCPU_VMCB_PA, "entry.S");
_Static_assert(offsetof(struct hv_vcpu, host_vmcb_pa) == VCPU_HOST_VMCB_PA,
	       "entry.S");
_Static_assert(offsetof(struct hv_vcpu, host_nmis) == VCPU_HOST_NMIS, "idt.S");
_Static_assert(offsetof(struct svm_gprs, r15) == GPR_R15, "entry.S");
_Static_assert(sizeof(struct hv_vcpu) <= 4096, "one page per vCPU");

enum hv_exit_action { HV_RESUME, HV_STOP };

/* A VTL's registers while the other VTL runs on the CPU (one page). */
struct hv_vtl_ctx {
	uint8_t fx[512] __attribute__((aligned(64))); /* FXSAVE area */
	struct svm_gprs gprs;
};

enum vtl1_state {
	VTL1_NONE,     /* no secure kernel, or not started on this CPU */
	VTL1_ENTERING, /* running its start code, up to its first return */
	VTL1_READY,    /* waiting for a VTL call */
	VTL1_BUSY,     /* serving VTL0's call (vtl1_request) */
	VTL1_FAILED,   /* its start failed: VTL calls get E_NOVTL1 */
};

/* The secure kernel and VTL1's view (vtl.c, docs/hypervisor.md "VTL1"). */
struct hv_vtl1 {
	bool present;
	uint64_t base, size;     /* the whole region, hidden from VTL0 */
	uint64_t image_end;      /* base + mem_size: executable in VTL1 */
	uint64_t sk_size;        /* mem_size + heap_size: the secure kernel's */
	uint64_t entry;
	uint64_t cr3, gdt, tss, params, stacks; /* in the boot area */
	struct npt npt;          /* VTL1's nested page tables */
};
extern struct hv_vtl1 hv_vtl1;

struct svm_exit_info {
	uint64_t code, info1, info2;
};

typedef enum hv_exit_action (*svm_exit_fn)(struct hv_vcpu *v,
					   const struct svm_exit_info *ei);

/* Per-CPU state; index = hypervisor CPU number (0 = boot CPU). All are
 * allocated at boot for the CPUs the loader reported (ap.c). */
extern struct hv_vcpu *hv_vcpus[HV_MAX_CPUS];
extern uint32_t hv_ncpus;
extern struct npt hv_npt;
extern uint64_t hv_host_cr3;

/* entry.S */
__attribute__((noreturn)) void svm_run_loop(struct hv_vcpu *v);
/* exit.c */
void svm_exit_handler(struct hv_vcpu *v);
__attribute__((noreturn)) void hv_exit_fatal(struct hv_vcpu *v,
					     const struct svm_exit_info *ei,
					     const char *why);
/* vcpu.c */
int vcpu_skip_insn(struct hv_vcpu *v);
void vcpu_complete_insn(struct hv_vcpu *v, unsigned int len);
int vcpu_fetch_insn(struct hv_vcpu *v, uint8_t *bytes, size_t *avail);
enum insn_mode vcpu_insn_mode(const struct vmcb_save *s);
uint64_t vcpu_gpr(const struct hv_vcpu *v, unsigned int reg);
void vcpu_set_gpr(struct hv_vcpu *v, unsigned int reg, uint64_t val,
		  unsigned int size);
void vcpu_inject_ud(struct hv_vcpu *v);
void vcpu_inject_gp0(struct hv_vcpu *v);
uint64_t vcpu_store_value(const struct hv_vcpu *v, const struct insn_store *st);
void vcpu_inject_nmi(struct hv_vcpu *v);
void vcpu_inject_event(struct hv_vcpu *v, uint64_t event);
void vcpu_dump(struct hv_vcpu *v);
int vcpu_read_guest(struct hv_vcpu *v, uint64_t la, void *buf, size_t len);
void vcpu_reset_to_sipi(struct hv_vcpu *v, uint8_t vector);
/* svm.c */
int svm_setup_shared(void);
void svm_setup_control(struct vmcb *vm, uint64_t n_cr3, uint32_t asid,
		       bool intr);
int svm_alloc_cpu(struct hv_vcpu *v);
void svm_enable_cpu(struct hv_vcpu *v);
int svm_setup_boot_cpu(struct hv_vcpu *v, const uint64_t *boot_state);
/* ap.c: application processors (docs/hypervisor.md) */
int ap_setup(const struct vbs_hv_params *p, uint32_t boot_apic_id);
void ap_check_init(struct hv_vcpu *v);
void ap_sx_init(struct hv_vcpu *v);
int ap_icr_write(struct hv_vcpu *v, uint64_t value, bool x2apic);
extern bool ap_apic_trapped;  /* the xAPIC page is read-only in the NPT */
extern uint64_t ap_apic_base; /* its guest-physical (= physical) address */

/* vtl.c */
int vtl_setup(const struct vbs_hv_params *p, uint32_t ncpus);
int vtl_alloc_cpu(struct hv_vcpu *v);
void vtl_switch(struct hv_vcpu *v, unsigned int to);
void vtl1_start(struct hv_vcpu *v);

/* hidden.c: true when [gpa, gpa + len) touches memory the VTL must never
 * reach (the hypervisor's region; from VTL0 also the secure kernel's) or
 * runs past 2^64. Every such check in the hypervisor is this one. */
bool hv_hidden_from_vtl(unsigned int vtl, uint64_t gpa, uint64_t len);

/* exits/ */
enum hv_exit_action vtl_hc_call(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action vtl_hc_return(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action vtl_hc_protect(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action vtl_hc_set_intercept(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action vtl_hc_fault(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_intr(struct hv_vcpu *, const struct svm_exit_info *);
int vtl_prot_to_perm(uint64_t mask, enum npt_perm *perm);
/* exits/intercept.c: secure intercepts (docs/hypervisor.md) */
enum hv_exit_action vtl_intercept(struct hv_vcpu *, const struct svm_exit_info *);
void vtl_intercept_end(struct hv_vcpu *v, uint64_t action);
/* exits/vintr.c: events kept for VTL0, its interrupt window (exit 0x64) */
void vtl0_keep_event(struct hv_vcpu *v, uint64_t event);
bool vtl0_events_pending(const struct hv_vcpu *v);
void vtl0_deliver_pending(struct hv_vcpu *v);
enum hv_exit_action svm_exit_vintr(struct hv_vcpu *, const struct svm_exit_info *);
/* shootdown.c: after a change of hv_npt, every CPU's nested TLB */
void npt_shootdown(struct hv_vcpu *v);
extern struct hv_spinlock hv_npt_lock; /* every change of hv_npt */
void npt_flush_if_changed(struct hv_vcpu *v);
bool ap_cpu_runs_guest(unsigned int cpu);
void ap_kick(struct hv_vcpu *self, unsigned int target);
enum hv_exit_action svm_exit_cpuid(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_msr(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_vmmcall(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_npf(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_svm_insn(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_gp(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_smi(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_nmi(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_sx(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_shutdown(struct hv_vcpu *, const struct svm_exit_info *);
/* exits/apic.c: a write to the trapped xAPIC page (from svm_exit_npf) */
enum hv_exit_action svm_apic_write(struct hv_vcpu *, const struct svm_exit_info *);

#endif
