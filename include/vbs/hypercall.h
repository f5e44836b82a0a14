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
	 * (page aligned), RCX = pages, RDX = mask (VBS_VTL_PROT_*). When it
	 * returns, no CPU runs VTL0 with an older permission (the other
	 * CPUs' nested TLBs are flushed first: docs/hypervisor.md). */
	VBS_HC_MODIFY_VTL_PROTECTION_MASK = 0x000c,
	/*
	 * SET_INTERCEPT_ENTRY, from VTL1 only, once per CPU (OpenVBS's own;
	 * the TLFS delivers intercepts through a message page of the
	 * synthetic interrupt controller instead): in: RBX = VTL1 address
	 * where secure intercepts of this CPU start (in the secure kernel's
	 * image), RCX = top of the stack they run on, RDX = address of this
	 * CPU's struct vbs_vtl_intercept (VTL1 memory, 64-byte aligned).
	 * See "Secure intercepts" below.
	 */
	VBS_HC_SET_INTERCEPT_ENTRY = 0x0003,
	/*
	 * VTL1_FAULT, from VTL1 only (OpenVBS's own): the secure kernel took
	 * an exception (sk/core/trap.c): RBX = vector, RCX = RIP, RDX = CR2
	 * (#PF; else 0), RSI = error code (0 when the vector has none), RDI
	 * = 0, or for a #PF in the guard page below one of its stacks
	 * VBS_VTL1_FAULT_STACK_OVERFLOW | stack << 8 | CPU << 16 (stack: 1
	 * call, 2 intercept, 3 #DF, 4 #PF). Never returns: the hypervisor
	 * logs it and stops the machine (fail-stop, docs/hypervisor.md
	 * "VTL1"). From VTL0: E_DENIED.
	 */
	VBS_HC_VTL1_FAULT = 0x0004,
};
#define VBS_VTL1_FAULT_STACK_OVERFLOW 1ull

/*
 * How VTL1 was entered, in RSI when a VTL_RETURN resumes (TLFS
 * HV_VTL_ENTRY_REASON: 1 = VTL call, 2 = interrupt or intercept).
 */
#define VBS_VTL_ENTRY_CALL 1u
#define VBS_VTL_ENTRY_INTERCEPT 2u

/*
 * Secure intercepts (docs/abi.md "Secure intercepts"). A VTL0 access that
 * its protection mask forbids does not happen: the hypervisor fills the
 * CPU's struct vbs_vtl_intercept and runs VTL1 at the intercept entry
 * (RDI = the message's address, RSI = CPU, RSP = the intercept stack,
 * interrupts off), leaving VTL1's other context (a VTL call it may be
 * serving) untouched. VTL1 answers with VTL_RETURN, RBX = action:
 *   ALLOW    the page's mask gains the denied access (for every CPU) and
 *            VTL0 retries the instruction;
 *   DENY     VTL0 gets #GP(0) at the instruction (an NPF gives no linear
 *            address to report as #PF), nothing is written; when the
 *            access was an event's delivery (F_EVENT), the #GP combines
 *            with that event as the architecture's #DF rules say (#DF(0),
 *            or a triple fault: the machine stops), and an interrupted
 *            external interrupt or NMI is delivered later;
 *   EMULATE  the hypervisor completes the write once, as decoded (only
 *            naturally aligned MOV/XCHG stores, write intercepts with
 *            store_size != 0, never F_EVENT), the mask stays; otherwise
 *            it is a DENY.
 */
#define VBS_VTL_INTERCEPT_ALLOW 0u
#define VBS_VTL_INTERCEPT_DENY 1u
#define VBS_VTL_INTERCEPT_EMULATE 2u

#define VBS_VTL_INTERCEPT_MEMORY 1u /* kind: a mask violation */
#define VBS_VTL_INTERCEPT_F_WALK (1u << 0) /* the CPU's own page-table
					     * walk, not the instruction */
#define VBS_VTL_INTERCEPT_F_EVENT (1u << 1) /* the CPU delivering an event
					      * (in .event), not the
					      * instruction: no store decoded */

struct vbs_vtl_intercept {
	uint32_t kind;           /* 0x00 VBS_VTL_INTERCEPT_MEMORY */
	uint32_t access;         /* 0x04 the denied access: one VBS_VTL_PROT_* */
	uint64_t gpa;            /* 0x08 faulting guest-physical address */
	uint64_t rip;            /* 0x10 VTL0's */
	uint64_t rsp;            /* 0x18 */
	uint64_t rflags;         /* 0x20 */
	uint64_t cr3;            /* 0x28 */
	uint32_t cpl;            /* 0x30 */
	uint32_t flags;          /* 0x34 VBS_VTL_INTERCEPT_F_* */
	uint64_t error_code;     /* 0x38 the NPF's (APM2 §15.25.6) */
	uint32_t insn_len;       /* 0x40 decoded store: instruction length, */
	uint32_t store_size;     /* 0x44 bytes written (0: not decoded) */
	uint64_t store_value;    /* 0x48 the value it would write */
	uint64_t gprs[16];       /* 0x50 rax rcx rdx rbx rsp rbp rsi rdi r8..r15 */
	uint64_t seq;            /* 0xd0 this CPU's intercept count */
	uint64_t event;          /* 0xd8 F_EVENT: the event being delivered,
				  * APM2 EXITINTINFO: vector 7:0, type 10:8
				  * (0 interrupt, 2 NMI, 3 exception, 4 INT n),
				  * error code valid 11, valid 31, error code
				  * 63:32; else 0 */
	uint64_t reserved[4];    /* 0xe0 0 */
};
_Static_assert(sizeof(struct vbs_vtl_intercept) == 0x100, "vtl intercept");

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
	VBS_CTR_INTERCEPT = 12, /* secure intercepts delivered to VTL1 */
	VBS_CTR_SHOOTDOWN = 13, /* NPT shootdowns this CPU started */
	VBS_CTR_COUNT = 14,
};

#endif
