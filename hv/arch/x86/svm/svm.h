/* SPDX-License-Identifier: MIT */
/* SVM backend: vCPU state, exit dispatch, helpers used by exits/. */
#ifndef HV_SVM_SVM_H
#define HV_SVM_SVM_H

#include "arch/x86/svm/npt.h"
#include "arch/x86/svm/vmcb.h"
#include "core/hv.h"

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
	struct vmcb *vmcb;
	unsigned int cpu;
	uint64_t counters[VBS_CTR_COUNT];
	uint64_t hidden_writes;        /* NPF writes to hidden pages */
	bool dumped;
};
#define VCPU_VMCB_PA 0x70
#define VCPU_HOST_VMCB_PA 0x78
_Static_assert(offsetof(struct hv_vcpu, vmcb_pa) == VCPU_VMCB_PA, "entry.S");
_Static_assert(offsetof(struct hv_vcpu, host_vmcb_pa) == VCPU_HOST_VMCB_PA,
	       "entry.S");
_Static_assert(offsetof(struct svm_gprs, r15) == GPR_R15, "entry.S");

enum hv_exit_action { HV_RESUME, HV_STOP };

struct svm_exit_info {
	uint64_t code, info1, info2;
};

typedef enum hv_exit_action (*svm_exit_fn)(struct hv_vcpu *v,
					   const struct svm_exit_info *ei);

/* Per-CPU state; index = hypervisor CPU number (0 = boot CPU). */
extern struct hv_vcpu *hv_vcpus[HV_MAX_CPUS];
extern uint32_t hv_ncpus;
extern struct npt hv_npt;

/* entry.S */
__attribute__((noreturn)) void svm_run_loop(struct hv_vcpu *v);
/* exit.c */
void svm_exit_handler(struct hv_vcpu *v);
__attribute__((noreturn)) void hv_exit_fatal(struct hv_vcpu *v,
					     const struct svm_exit_info *ei,
					     const char *why);
/* vcpu.c */
int vcpu_skip_insn(struct hv_vcpu *v);
void vcpu_inject_ud(struct hv_vcpu *v);
void vcpu_inject_gp0(struct hv_vcpu *v);
void vcpu_dump(struct hv_vcpu *v);
int vcpu_read_guest(struct hv_vcpu *v, uint64_t la, void *buf, size_t len);
/* svm.c */
int svm_setup_boot_cpu(struct hv_vcpu *v, const uint64_t *boot_state);

/* exits/ */
enum hv_exit_action svm_exit_cpuid(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_msr(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_vmmcall(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_npf(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_svm_insn(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_gp(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_smi(struct hv_vcpu *, const struct svm_exit_info *);
enum hv_exit_action svm_exit_shutdown(struct hv_vcpu *, const struct svm_exit_info *);

#endif
