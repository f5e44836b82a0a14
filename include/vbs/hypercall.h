/* SPDX-License-Identifier: MIT */
/*
 * OpenVBS hypercall ABI, version 1 (docs/abi.md "Hypercalls").
 *
 * VMMCALL (0f 01 d9) from CPL 0. CPL > 0 gets #UD, as in the Hyper-V TLFS
 * §3.1 "Hypercall Interface". Inputs: RAX = call code (bits 63:16 must be
 * zero), RBX, RCX = arguments, RDX, RSI, RDI must be zero. Outputs: RAX =
 * status (enum vbs_hc_status), RBX/RCX/RDX = results; other registers are
 * preserved. RIP advances past VMMCALL on every status.
 */
#ifndef VBS_HYPERCALL_H
#define VBS_HYPERCALL_H

#define VBS_HC_ABI_VERSION 1u

enum vbs_hc_code {
	/* out: RBX = ABI version, RCX = hypervisor version (major<<16 |
	 * minor<<8 | patch), RDX = number of virtualized CPUs */
	VBS_HC_VERSION = 0x0001,
	/* in: RBX = CPU index, RCX = counter (enum vbs_hv_counter);
	 * out: RBX = value of that CPU's counter */
	VBS_HC_EXIT_STATS = 0x0002,
	/*
	 * Virtual secure mode (docs/abi.md "VTLs"; codes as the Hyper-V
	 * TLFS's HvCallModifyVtlProtectionMask 0x000C, HvCallVtlCall 0x0011,
	 * HvCallVtlReturn 0x0012).
	 * VTL_CALL, from VTL0 at CPL 0: in: RBX = guest-physical address of
	 * a struct vbs_sk_request (include/vbs/sk_abi.h; 8-byte aligned, not
	 * crossing a page), RCX = 0. The secure kernel runs the request and
	 * writes its status and output; out: RAX = VBS_HC_OK when VTL1 ran
	 * it (the service status is in the request), VBS_HC_E_NOVTL1 when no
	 * secure kernel runs. VTL1 may be interrupted: the call is then
	 * restarted transparently (VTL0 takes the interrupt first).
	 */
	VBS_HC_VTL_CALL = 0x0011,
	/* VTL_RETURN, from VTL1 only: back to VTL0. */
	VBS_HC_VTL_RETURN = 0x0012,
	/* MODIFY_VTL_PROTECTION_MASK, from VTL1 only: in: RBX = first GPA
	 * (page aligned), RCX = pages, RDX = mask (VBS_VTL_PROT_*). */
	VBS_HC_MODIFY_VTL_PROTECTION_MASK = 0x000c,
};

/* VTL0 page permissions set by VTL1 (TLFS HV_MAP_GPA_* bit values). */
#define VBS_VTL_PROT_READ 0x1u
#define VBS_VTL_PROT_WRITE 0x2u
#define VBS_VTL_PROT_KEXEC 0x4u
#define VBS_VTL_PROT_UEXEC 0x8u

enum vbs_hc_status {
	VBS_HC_OK = 0,
	VBS_HC_E_UNKNOWN = 1,   /* no such call code */
	VBS_HC_E_RESERVED = 2,  /* a reserved bit or register is not zero */
	VBS_HC_E_RANGE = 3,     /* an argument is out of range */
	VBS_HC_E_DENIED = 4,    /* not allowed from this VTL */
	VBS_HC_E_NOVTL1 = 5,    /* no secure kernel runs */
};

/*
 * Per-CPU exit counters (VBS_HC_EXIT_STATS, CPUID 0x40000002). The
 * numbers are ABI: new counters are only appended.
 */
enum vbs_hv_counter {
	VBS_CTR_TOTAL = 0,
	VBS_CTR_CPUID = 1,
	VBS_CTR_MSR = 2,
	VBS_CTR_VMMCALL = 3,
	VBS_CTR_NPF = 4,
	VBS_CTR_SVM_INSN = 5,
	VBS_CTR_SMI = 6,
	VBS_CTR_OTHER = 7,
	VBS_CTR_NMI = 8,      /* NMI exits (another CPU's kick, or the guest's) */
	VBS_CTR_APIC = 9,     /* xAPIC writes trapped and completed (also in NPF) */
	VBS_CTR_VTL_CALL = 10, /* VTL calls VTL1 began serving */
	VBS_CTR_INTR = 11,    /* VTL1 runs ended by a physical interrupt */
	VBS_CTR_COUNT = 12,
};

#endif
