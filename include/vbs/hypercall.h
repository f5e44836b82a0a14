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
};

enum vbs_hc_status {
	VBS_HC_OK = 0,
	VBS_HC_E_UNKNOWN = 1,   /* no such call code */
	VBS_HC_E_RESERVED = 2,  /* a reserved bit or register is not zero */
	VBS_HC_E_RANGE = 3,     /* an argument is out of range */
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
	VBS_CTR_COUNT = 10,
};

#endif
